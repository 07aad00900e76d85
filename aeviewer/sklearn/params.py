"""The estimators' constructor arguments and the engine's :class:`~aeviewer.config.RunConfig`.

Every model and training setting of a run is a constructor argument, under the name the config
gives it (``kind``, ``latent``, ``hidden`` ... ``epochs``, ``batch_size``, ``lr`` ...), with the
engine's own defaults. ``random_state`` stands for the training seed. The settings that only
shape the GUI's live views (``snapshot_every``, ``n_eval``, ``n_recon``) are left at the command
line's choices: one snapshot after the last epoch.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from aeviewer.config import (
    DataSpec,
    ModelSpec,
    NoiseSpec,
    RunConfig,
    SparsitySpec,
    TrainSpec,
)
from aeviewer.errors import ConfigError

MODEL_DEFAULTS = ModelSpec()
TRAIN_DEFAULTS = TrainSpec()
DATA_DEFAULTS = DataSpec()

#: Constructor arguments that are :class:`ModelSpec` fields of the same name.
MODEL_PARAMS: tuple[str, ...] = (
    "kind",
    "latent",
    "hidden",
    "activation",
    "output",
    "loss",
    "noise",
    "sparsity",
    "conv_channels",
    "beta",
    "stage_epochs",
    "gan_d_steps",
    "gan_g_steps",
)
#: Constructor arguments that are :class:`TrainSpec` fields of the same name.
TRAIN_PARAMS: tuple[str, ...] = (
    "epochs",
    "batch_size",
    "lr",
    "lr_d",
    "optimizer",
    "weight_decay",
    "grad_clip",
    "device",
    "checkpoint_every",
    "keep_checkpoints",
)
#: Constructor arguments that are :class:`DataSpec` fields of the same name.
DATA_PARAMS: tuple[str, ...] = ("normalize", "val_fraction", "split_seed")

_INTS = {
    "latent",
    "stage_epochs",
    "gan_d_steps",
    "gan_g_steps",
    "epochs",
    "batch_size",
    "checkpoint_every",
    "keep_checkpoints",
    "split_seed",
}
_FLOATS = {"beta", "lr", "weight_decay", "val_fraction"}
_OPTIONAL_FLOATS = {"lr_d", "grad_clip"}
_SIZES = {"hidden", "conv_channels"}
_TEXT = {"kind", "activation", "output", "loss", "optimizer", "device", "normalize"}


def seed_from(random_state: Any) -> int:
    """The integer training seed for ``random_state``.

    An integer is the seed itself (``random_state=0`` trains as ``aeviewer train --seed 0``);
    None or a :class:`numpy.random.RandomState` draws one, as scikit-learn estimators do.
    """
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return int(random_state)
    from sklearn.utils import check_random_state

    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def run_config(params: dict[str, Any], *, seed: int, source: str) -> RunConfig:
    """The validated run configuration of an estimator's ``params`` (``get_params()``).

    Raises
    ------
    ValueError
        For a setting the engine refuses, with the engine's message.
    """
    values = {name: _converted(name, params[name]) for name in params}
    try:
        model = ModelSpec(**{name: values[name] for name in MODEL_PARAMS})
        epochs = values["epochs"]
        train = TrainSpec(
            **{name: values[name] for name in TRAIN_PARAMS},
            seed=seed,
            # As `aeviewer train` does: nobody watches the views, one snapshot at the end.
            snapshot_every=epochs if isinstance(epochs, int) and epochs > 0 else 1,
        )
        data = DataSpec(source=source, **{name: values[name] for name in DATA_PARAMS})
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    except TypeError as exc:
        raise ValueError(f"invalid setting: {exc}") from None
    return RunConfig(data=data, model=model, train=train)


def params_from_config(config: RunConfig) -> dict[str, Any]:
    """The constructor arguments that reproduce ``config`` (seed as ``random_state``)."""
    params: dict[str, Any] = {name: getattr(config.model, name) for name in MODEL_PARAMS}
    params.update({name: getattr(config.train, name) for name in TRAIN_PARAMS})
    params.update({name: getattr(config.data, name) for name in DATA_PARAMS})
    params["random_state"] = config.train.seed
    return params


def _converted(name: str, value: Any) -> Any:
    """``value`` as the spec field ``name`` expects it; a ValueError names the argument."""
    try:
        if name in _INTS:
            return _integer(value)
        if name in _FLOATS or (name in _OPTIONAL_FLOATS and value is not None):
            return _real(value)
        if name in _SIZES:
            return tuple(_integer(v) for v in value)
        if name in _TEXT:
            if not isinstance(value, str):
                raise TypeError("expected text")
            return value
        if name == "noise" and value is not None and not isinstance(value, NoiseSpec):
            return NoiseSpec.parse(_text(value))
        if name == "sparsity" and value is not None and not isinstance(value, SparsitySpec):
            return SparsitySpec.parse(_text(value))
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"invalid value for {name}: {value!r}") from None
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError("expected an integer")
    return int(value)


def _real(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError("expected a number")
    return float(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text such as gaussian:0.3 or l1:1e-3")
    return value
