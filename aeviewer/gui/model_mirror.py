"""The GUI thread's own CPU copy of the current model: decoding for the views, export, sessions.

The copy is built once per run (torch is imported lazily, after the window shows) and the
weights the training thread hands over are loaded into it, so nothing here touches the
training thread's model.
"""

from __future__ import annotations

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
        self.model: nn.Module | None = None
        self.config: RunConfig | None = None
        self.dataset: Dataset | None = None
        self.epoch = 0
        self.step = 0
        self.reason = "paused"

    @property
    def has_model(self) -> bool:
        """True once weights were loaded."""
        return self.model is not None

    def clear(self) -> None:
        """Forget the model (on reset or a new data set)."""
        self.model = None
        self.config = None
        self.dataset = None
        self.epoch = self.step = 0
        self.reason = "paused"

    def load_state(
        self, config: RunConfig, dataset: Dataset, state: Mapping[str, Any], epoch: int
    ) -> None:
        """Load ``state`` into the copy, building it first when the config or data changed."""
        if self.model is None or self.config != config or self.dataset is not dataset:
            from aeviewer.models.info import DataInfo
            from aeviewer.models.registry import build_model

            self.model = build_model(config.model, DataInfo.from_dataset(dataset)).eval()
            self.config, self.dataset = config, dataset
        self.model.load_state_dict(dict(state))
        self.epoch = epoch

    def set_model(self, model: nn.Module, config: RunConfig, dataset: Dataset, epoch: int) -> None:
        """Adopt a model loaded from disk (an opened model, session or checkpoint)."""
        self.model = model.to("cpu").eval()
        self.config, self.dataset, self.epoch = config, dataset, epoch

    def can_decode(self) -> bool:
        """True when the model maps latents to samples (every family but the GAN)."""
        return (
            self.model is not None
            and self.config is not None
            and self.config.model.kind != "gan"
            and hasattr(self.model, "decode")
        )

    def decode(self, latents: np.ndarray) -> np.ndarray:
        """Samples ``(n, D)`` for latents ``(n, K)``."""
        import torch

        if self.model is None:
            raise RuntimeError("no model to decode with")
        codes = torch.from_numpy(np.ascontiguousarray(latents, dtype=np.float32))
        with torch.no_grad():
            out = self.model.decode(codes)
        return out.reshape(out.shape[0], -1).numpy()

    def loaded_model(self) -> LoadedModel:
        """The copy as :func:`aeviewer.io.export_model` takes it."""
        from aeviewer.io.models import LoadedModel
        from aeviewer.training.rundir import model_record

        if self.model is None or self.config is None or self.dataset is None:
            raise RuntimeError("no model yet")
        record = model_record(
            self.model, self.dataset, epoch=self.epoch, step=self.step, reason=self.reason
        )
        return LoadedModel(self.model, self.config, record)
