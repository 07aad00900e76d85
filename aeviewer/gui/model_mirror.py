"""The GUI thread's own CPU copy of the current model: decoding for the views, export, sessions.

The copy is built once per run (torch is imported lazily, after the window shows) and the
weights the training thread hands over are loaded into it, so nothing here touches the
training thread's model. Handed-over weights are only kept until something asks for the model:
while nobody decodes, a snapshot costs the GUI thread nothing here. Views also decode in their
background threads (the decoded grid), so loading and decoding take turns under one lock.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset

if TYPE_CHECKING:
    from torch import nn

    from aeviewer.io.models import LoadedModel


class ModelMirror:
    """A CPU model, its config and data set, and the epoch its weights come from."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._model: nn.Module | None = None
        self._pending_state: Mapping[str, Any] | None = None
        self.config: RunConfig | None = None
        self.dataset: Dataset | None = None
        self.epoch = 0
        self.step = 0
        self.reason = "paused"

    @property
    def model(self) -> nn.Module | None:
        """The CPU model with the newest weights (built and loaded here on first use)."""
        with self._lock:
            state, self._pending_state = self._pending_state, None
            model = self._model
            if state is not None:
                if model is None:
                    from aeviewer.models.info import DataInfo
                    from aeviewer.models.registry import build_model

                    model = build_model(self.config.model, DataInfo.from_dataset(self.dataset))
                    self._model = model.eval()
                model.load_state_dict(dict(state))
            return model

    @property
    def has_model(self) -> bool:
        """True once weights were handed over or a model was set."""
        return self._model is not None or self._pending_state is not None

    def clear(self) -> None:
        """Forget the model (on reset or a new data set)."""
        with self._lock:
            self._model = None
            self._pending_state = None
            self.config = None
            self.dataset = None
        self.epoch = self.step = 0
        self.reason = "paused"

    def load_state(
        self, config: RunConfig, dataset: Dataset, state: Mapping[str, Any], epoch: int
    ) -> None:
        """Keep ``state`` for the copy; it is loaded (and the copy built, when the config or the
        data set changed) the next time :attr:`model` is read."""
        with self._lock:
            if self.config != config or self.dataset is not dataset:
                self._model = None
                self.config, self.dataset = config, dataset
            self._pending_state = state
        self.epoch = epoch

    def set_model(self, model: nn.Module, config: RunConfig, dataset: Dataset, epoch: int) -> None:
        """Adopt a model loaded from disk (an opened model, session or checkpoint)."""
        with self._lock:
            self._model = model.to("cpu").eval()
            self._pending_state = None
            self.config, self.dataset = config, dataset
        self.epoch = epoch

    def can_decode(self) -> bool:
        """True when the model maps latents to samples (every family but the GAN)."""
        # Handed weights are not loaded yet: the family says it. A model set from disk is asked.
        return (
            self.has_model
            and self.config is not None
            and self.config.model.kind != "gan"
            and (self._model is None or hasattr(self._model, "decode"))
        )

    def decode(self, latents: np.ndarray) -> np.ndarray:
        """Samples ``(n, D)`` for latents ``(n, K)``."""
        import torch

        # A copy: snapshot arrays are read-only, and torch warns about tensors on such memory.
        codes = torch.from_numpy(np.array(latents, dtype=np.float32, order="C", copy=True))
        with self._lock, torch.no_grad():
            model = self.model
            if model is None:
                raise RuntimeError("no model to decode with")
            out = model.decode(codes)
        return out.reshape(out.shape[0], -1).numpy()

    def loaded_model(self) -> LoadedModel:
        """The copy as :func:`aeviewer.io.export_model` takes it."""
        from aeviewer.io.models import LoadedModel
        from aeviewer.training.rundir import model_record

        model = self.model
        if model is None or self.config is None or self.dataset is None:
            raise RuntimeError("no model yet")
        record = model_record(
            model, self.dataset, epoch=self.epoch, step=self.step, reason=self.reason
        )
        return LoadedModel(model, self.config, record)
