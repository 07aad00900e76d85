"""The whole state of a training run, to continue it exactly: capture and restore.

A :class:`TrainingState` is two parts, so that it stores without pickle: ``tensors`` (CPU copies
of the weights, every optimiser tensor and every random generator's state) for safetensors, and
``meta`` (positions, optimiser hyper-parameters, learning rates, the data record, the config)
for JSON. Capturing only copies tensors, on the training thread; serialising happens elsewhere.

Tensor names: ``model/<state-dict key>``, ``optim/<group>/<param index>/<state key>`` and
``rng/<stream>``. The random streams are the shuffling generator (``shuffle``), the trainer's
generator for noise, VAE sampling and GAN noise (``trainer``), and torch's global generators
(``torch``; ``cuda`` on a CUDA device), which layers such as dropout draw from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from aeviewer.config import RunConfig
from aeviewer.errors import RunError

STATE_FORMAT = "aeviewer.training-state"
STATE_VERSION = 1


@dataclass(frozen=True, eq=False)
class TrainingState:
    """Tensors (CPU) and JSON-ready metadata of a run after a whole epoch.

    Attributes
    ----------
    tensors
        Weights, optimiser tensors and random generator states.
    meta
        ``epoch``, ``step``, ``stage``, ``stage_epoch``, ``optimizers`` (param groups and
        non-tensor state per group), ``devices`` of the random streams, ``val_loss``,
        ``config`` and ``data`` (the data record).
    """

    tensors: Mapping[str, torch.Tensor]
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def epoch(self) -> int:
        """Epochs completed."""
        return int(self.meta["epoch"])

    @property
    def step(self) -> int:
        """Optimisation steps completed."""
        return int(self.meta["step"])

    @property
    def stage(self) -> str:
        """The stage the last completed epoch belonged to."""
        return str(self.meta["stage"])

    @property
    def stage_epoch(self) -> int:
        """Epochs completed in :attr:`stage`."""
        return int(self.meta["stage_epoch"])

    @property
    def val_loss(self) -> float | None:
        """The validation loss of the last epoch, if there was a validation split."""
        value = self.meta.get("val_loss")
        return None if value is None else float(value)

    @property
    def weights_only(self) -> bool:
        """True for a state with weights alone (no optimiser or random streams)."""
        return bool(self.meta.get("weights_only", False))

    @property
    def config(self) -> RunConfig:
        """The config the run was trained with."""
        return RunConfig.from_dict(self.meta["config"])

    @property
    def data(self) -> dict[str, Any] | None:
        """The data record of the run (see :mod:`aeviewer.training.data_record`)."""
        return self.meta.get("data")

    def model_state(self, prefix: str = "model/") -> dict[str, torch.Tensor]:
        """The model's state dict (``prefix`` ``best/``: the best epoch's weights, if kept)."""
        return {k[len(prefix) :]: v for k, v in self.tensors.items() if k.startswith(prefix)}


def _cpu_copy(tensor: torch.Tensor) -> torch.Tensor:
    return tensor.detach().to("cpu", copy=True).contiguous()


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value


def capture_state(
    *,
    model: nn.Module,
    optimizers: Mapping[str, torch.optim.Optimizer],
    generators: Mapping[str, torch.Generator],
    epoch: int,
    step: int,
    stage: str,
    stage_epoch: int,
    val_loss: float | None,
    config: RunConfig,
    data: Mapping[str, Any] | None,
    extra_meta: Mapping[str, Any] | None = None,
    extra_tensors: Mapping[str, torch.Tensor] | None = None,
) -> TrainingState:
    """Copy everything needed to continue training (cheap: tensor copies only).

    ``extra_meta`` and ``extra_tensors`` (names prefixed by their owner, e.g. ``best/``) carry
    what the loop keeps besides: peak learning rates, early stopping and its best weights.
    """
    tensors: dict[str, torch.Tensor] = {
        f"model/{k}": _cpu_copy(v) for k, v in model.state_dict().items()
    }
    for name, value in (extra_tensors or {}).items():
        tensors[name] = _cpu_copy(value)
    optim_meta: dict[str, Any] = {}
    for group, optimizer in optimizers.items():
        saved = optimizer.state_dict()
        scalars: dict[str, dict[str, Any]] = {}
        for index, values in saved["state"].items():
            for key, value in values.items():
                if torch.is_tensor(value):
                    tensors[f"optim/{group}/{index}/{key}"] = _cpu_copy(value)
                else:
                    scalars.setdefault(str(index), {})[key] = _json_value(value)
        optim_meta[group] = {
            "param_groups": [
                {k: _json_value(v) for k, v in g.items()} for g in saved["param_groups"]
            ],
            "state": scalars,
        }
    devices = {}
    for name, generator in generators.items():
        tensors[f"rng/{name}"] = generator.get_state().clone()
        devices[name] = str(generator.device)
    tensors["rng/torch"] = torch.get_rng_state().clone()
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        tensors["rng/cuda"] = torch.cuda.get_rng_state().clone()
    meta = {
        "format": STATE_FORMAT,
        "version": STATE_VERSION,
        "epoch": int(epoch),
        "step": int(step),
        "stage": stage,
        "stage_epoch": int(stage_epoch),
        "val_loss": None if val_loss is None or not math.isfinite(val_loss) else float(val_loss),
        "optimizers": optim_meta,
        "rng_devices": devices,
        "config": config.to_dict(),
        "data": None if data is None else dict(data),
        **(extra_meta or {}),
    }
    return TrainingState(tensors, meta)


def weights_only_state(
    model_state: Mapping[str, torch.Tensor],
    config: RunConfig,
    *,
    epoch: int,
    step: int = 0,
    data: Mapping[str, Any] | None = None,
) -> TrainingState:
    """A state with weights alone (an exported model, a diverged run): continuing it trains
    the last stage with fresh optimisers and fresh random streams."""
    stage = "finetune" if config.model.kind == "stacked" else "train"
    meta = {
        "format": STATE_FORMAT,
        "version": STATE_VERSION,
        "weights_only": True,
        "epoch": int(epoch),
        "step": int(step),
        "stage": stage,
        "stage_epoch": 0,
        "val_loss": None,
        "optimizers": {},
        "rng_devices": {},
        "config": config.to_dict(),
        "data": None if data is None else dict(data),
    }
    tensors = {f"model/{k}": _cpu_copy(v) for k, v in model_state.items()}
    return TrainingState(tensors, meta)


def continued_config(config: RunConfig, state: TrainingState, more_epochs: int | None) -> RunConfig:
    """``config`` set to train ``more_epochs`` beyond ``state`` (None: as many as an automatic
    run on its data would, with its early stopping), on the state's own data preparation (its
    model settings must be the state's)."""
    from dataclasses import replace

    from aeviewer.errors import ConfigError
    from aeviewer.training.schedule import resolve_train_spec

    saved = state.config
    if saved.model != config.model:
        raise ConfigError(
            "the model settings differ from the model being continued; Reset to train a new "
            "model with them"
        )
    train = config.train
    if more_epochs is None:
        record = state.data or {}
        n_train, has_val = int(record.get("n_train", 1)), bool(record.get("n_val", 1))
        resolved = resolve_train_spec(train, n_train, has_val, config.model.kind)
        more_epochs = int(resolved.epochs)
        train = replace(train, patience=resolved.patience)
    done = state.stage_epoch if state.stage in ("train", "finetune") else 0
    return replace(config, data=saved.data, train=replace(train, epochs=done + more_epochs))


def restore_optimizer(
    optimizer: torch.optim.Optimizer, group: str, state: TrainingState, where: str
) -> None:
    """Load the saved state of optimiser ``group`` into ``optimizer``."""
    saved = state.meta.get("optimizers", {}).get(group)
    if saved is None:
        raise RunError(f"{where}: the checkpoint has no state for the {group!r} optimiser")
    per_param: dict[int, dict[str, Any]] = {}
    prefix = f"optim/{group}/"
    for name, tensor in state.tensors.items():
        if name.startswith(prefix):
            index, _, key = name[len(prefix) :].partition("/")
            per_param.setdefault(int(index), {})[key] = tensor
    for index, values in saved.get("state", {}).items():
        per_param.setdefault(int(index), {}).update(values)
    param_groups = []
    for saved_group in saved["param_groups"]:
        restored = dict(saved_group)
        if isinstance(restored.get("betas"), list):
            restored["betas"] = tuple(restored["betas"])
        param_groups.append(restored)
    try:
        optimizer.load_state_dict({"state": per_param, "param_groups": param_groups})
    except (KeyError, TypeError, ValueError, RuntimeError) as exc:
        raise RunError(f"{where}: the {group!r} optimiser state does not fit: {exc}") from None


def restore_generator(
    generator: torch.Generator, name: str, state: TrainingState, where: str
) -> bool:
    """Set ``generator`` to the saved stream ``name``; False when it was saved on another
    device type (its state does not transfer), leaving ``generator`` as it is."""
    saved = state.tensors.get(f"rng/{name}")
    if saved is None:
        raise RunError(f"{where}: the checkpoint has no state of the {name!r} random stream")
    saved_device = str(state.meta.get("rng_devices", {}).get(name, "cpu"))
    if torch.device(saved_device).type != generator.device.type:
        return False
    try:
        generator.set_state(saved)
    except RuntimeError as exc:
        raise RunError(f"{where}: the {name!r} random stream state is invalid: {exc}") from None
    return True


def restore_global_rng(state: TrainingState, where: str) -> None:
    """Set torch's global generators to their saved states (dropout and similar layers)."""
    saved = state.tensors.get("rng/torch")
    try:
        if saved is not None:
            torch.set_rng_state(saved)
        cuda = state.tensors.get("rng/cuda")
        if cuda is not None and torch.cuda.is_available():
            torch.cuda.set_rng_state(cuda)
    except RuntimeError as exc:
        raise RunError(f"{where}: a global random state is invalid: {exc}") from None
