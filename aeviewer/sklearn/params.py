"""The estimators' constructor arguments and the engine's :class:`~aeviewer.config.RunConfig`.

Every field of :class:`~aeviewer.config.ModelSpec` and :class:`~aeviewer.config.TrainSpec` is a
constructor argument of the same name with the engine's own default, read from the dataclasses
themselves so that a setting the engine gains is an estimator setting too. ``random_state``
stands for the training seed; the settings that only shape the GUI's live views
(``snapshot_every``, ``n_eval``, ``n_recon``) are left as the command line leaves them: one
snapshot after the last epoch. Of :class:`~aeviewer.config.DataSpec`, the preparation of the
samples (``normalize``, ``val_fraction``, ``split_seed``) are arguments; which samples to train
on is the caller's choice of ``X``.
"""

from __future__ import annotations

import inspect
import numbers
from dataclasses import MISSING, fields
from typing import Any

import numpy as np

from aeviewer.config import DataSpec, ModelSpec, NoiseSpec, RunConfig, SparsitySpec, TrainSpec
from aeviewer.errors import ConfigError

#: TrainSpec fields that are no constructor arguments: the seed is ``random_state``; the rest
#: only shape the GUI's live views.
TRAIN_EXCLUDED = frozenset({"seed", "snapshot_every", "n_eval", "n_recon"})
#: DataSpec fields that are constructor arguments.
DATA_FIELDS: tuple[str, ...] = ("normalize", "val_fraction", "split_seed")
#: Snapshot cadence when the number of epochs is not fixed: only after the last epoch.
ONLY_AT_THE_END = 1_000_000_000


def _section(cls: type, excluded: frozenset[str] = frozenset()) -> dict[str, Any]:
    """``{name: field}`` of a spec dataclass, in declaration order."""
    return {f.name: f for f in fields(cls) if f.name not in excluded}


MODEL_FIELDS = _section(ModelSpec)
TRAIN_FIELDS = _section(TrainSpec, TRAIN_EXCLUDED)
DATA_SPEC_FIELDS = {name: f for name, f in _section(DataSpec).items() if name in DATA_FIELDS}

#: The arguments every estimator has besides the specs' fields, with their defaults.
ESTIMATOR_ARGUMENTS: dict[str, Any] = {
    "random_state": None,
    "sample_shape": None,
    "run_dir": None,
    "verbose": 0,
}


def init_signature(**extra: Any) -> inspect.Signature:
    """The ``__init__`` signature of an estimator: ``kind`` first (positional or keyword), then
    every other setting as a keyword with its default; ``extra`` adds arguments."""
    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for section in (MODEL_FIELDS, TRAIN_FIELDS, DATA_SPEC_FIELDS):
        for name, f in section.items():
            kind = (
                inspect.Parameter.POSITIONAL_OR_KEYWORD
                if name == "kind"
                else inspect.Parameter.KEYWORD_ONLY
            )
            default = f.default if f.default is not MISSING else f.default_factory()
            parameters.append(inspect.Parameter(name, kind, default=default, annotation=f.type))
    for name, default in {**extra, **ESTIMATOR_ARGUMENTS}.items():
        parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default))
    return inspect.Signature(parameters)


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
    try:
        model = ModelSpec(**_values(MODEL_FIELDS, params))
        train_values = _values(TRAIN_FIELDS, params)
        epochs = train_values.get("epochs")
        train = TrainSpec(
            **train_values,
            seed=seed,
            # As `aeviewer train` does: nobody watches the views, one snapshot at the end.
            snapshot_every=epochs if isinstance(epochs, int) and epochs > 0 else ONLY_AT_THE_END,
        )
        data = DataSpec(source=source, **_values(DATA_SPEC_FIELDS, params))
        return RunConfig(data=data, model=model, train=train)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    except TypeError as exc:  # a value of a type the spec cannot compare
        raise ValueError(f"invalid setting: {exc}") from None


def params_from_config(config: RunConfig) -> dict[str, Any]:
    """The constructor arguments that reproduce ``config`` (its seed as ``random_state``)."""
    params: dict[str, Any] = {name: getattr(config.model, name) for name in MODEL_FIELDS}
    params.update({name: getattr(config.train, name) for name in TRAIN_FIELDS})
    params.update({name: getattr(config.data, name) for name in DATA_SPEC_FIELDS})
    params["random_state"] = config.train.seed
    return params


def _values(section: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    return {name: _converted(name, params[name], str(f.type)) for name, f in section.items()}


def _converted(name: str, value: Any, annotation: str) -> Any:
    """``value`` as a spec field annotated ``annotation`` holds it (numpy scalars become Python
    numbers, lists tuples, ``"gaussian:0.3"`` a NoiseSpec); a ValueError names the argument."""
    optional = "None" in annotation
    try:
        if value is None and optional:
            return None
        if name == "noise" and not isinstance(value, NoiseSpec):
            return NoiseSpec.parse(_text(value))
        if name == "sparsity" and not isinstance(value, SparsitySpec):
            return SparsitySpec.parse(_text(value))
        if annotation.startswith("tuple[int"):
            if isinstance(value, str):
                raise TypeError("expected sizes")
            return tuple(_integer(v) for v in value)
        if annotation.startswith("int"):
            return _integer(value)
        if annotation.startswith("float"):
            return _real(value)
        if annotation.startswith("str"):
            return _text(value)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"invalid value for {name} ({annotation}): {value!r}") from None
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
        raise TypeError("expected text")
    return str(value)
