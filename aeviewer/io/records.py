"""Training events as JSON objects and named arrays, and back.

``metrics.jsonl`` lines, a session's history and its snapshot archive all use these, so that
what comes back is the very :mod:`aeviewer.training.events` classes the views are fed live.
Arrays that several snapshots share (the PCA reconstructions, the fixed originals) are stored
once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from aeviewer.config import RunConfig
from aeviewer.training.events import EpochEnd, Event, Finished, LrChanged, Snapshot, Started

#: Snapshot fields that hold arrays (``extras`` is a mapping of arrays besides these).
SNAPSHOT_ARRAYS: tuple[str, ...] = (
    "eval_indices",
    "latents",
    "scores",
    "pca_scores",
    "recon_indices",
    "originals",
    "reconstructions",
    "pca_reconstructions",
    "noisy",
    "gan_samples",
    "gan_grid",
)


# -- epoch ends ------------------------------------------------------------------------------
def epoch_end_to_dict(end: EpochEnd) -> dict[str, Any]:
    """The JSON object of an epoch, as a line of ``metrics.jsonl``."""
    return {
        "epoch": end.epoch,
        "step": end.step,
        "stage": end.stage,
        "stage_epoch": end.stage_epoch,
        "train": dict(end.train),
        "val": dict(end.val),
        "lr": dict(end.lr),
        "seconds": end.seconds,
        "samples_per_s": end.samples_per_s,
    }


def epoch_end_from_dict(data: Mapping[str, Any]) -> EpochEnd:
    """An :class:`EpochEnd` from a ``metrics.jsonl`` object.

    Raises
    ------
    KeyError, TypeError, ValueError
        When a required field is missing or has the wrong type.
    """
    train = _floats(data["train"])
    if "loss" not in train:
        raise KeyError("train.loss")
    return EpochEnd(
        epoch=int(data["epoch"]),
        step=int(data.get("step", 0)),
        train=train,
        val=_floats(data.get("val") or {}),
        lr=_floats(data.get("lr") or {}),
        seconds=float(data.get("seconds", 0.0)),
        samples_per_s=float(data.get("samples_per_s", 0.0)),
        stage=str(data.get("stage", "train")),
        stage_epoch=int(data.get("stage_epoch", 0)),
    )


def metrics_line(end: EpochEnd, lr_changes: list[LrChanged] | tuple = ()) -> dict[str, Any]:
    """A ``metrics.jsonl`` object: the epoch, with the learning-rate changes made during it."""
    line = epoch_end_to_dict(end)
    if lr_changes:
        line["lr_changes"] = [{"step": c.step, "group": c.group, "lr": c.lr} for c in lr_changes]
    return line


def events_from_metrics_line(data: Mapping[str, Any]) -> list[EpochEnd | LrChanged]:
    """The :class:`LrChanged` events recorded in a ``metrics.jsonl`` object, then its
    :class:`EpochEnd`.

    Raises
    ------
    KeyError, TypeError, ValueError
        When a required field is missing or has the wrong type.
    """
    end = epoch_end_from_dict(data)
    changes = data.get("lr_changes") or []
    if not isinstance(changes, list):
        raise TypeError("lr_changes must be a list")
    events: list[EpochEnd | LrChanged] = [
        LrChanged(end.epoch, int(c["step"]), str(c["group"]), float(c["lr"])) for c in changes
    ]
    return [*events, end]


def metrics_lines(events: list[Event]) -> list[dict[str, Any]]:
    """The ``metrics.jsonl`` objects of recorded events (each epoch with its rate changes)."""
    lines, pending = [], []
    for event in events:
        if isinstance(event, LrChanged):
            pending.append(event)
        elif isinstance(event, EpochEnd):
            lines.append(metrics_line(event, [c for c in pending if c.epoch == event.epoch]))
            pending = []
    return lines


def _floats(mapping: Any) -> dict[str, float]:
    if not isinstance(mapping, Mapping):
        raise TypeError(f"expected an object of numbers, got {type(mapping).__name__}")
    return {str(k): float(v) for k, v in mapping.items()}


# -- start and finish ------------------------------------------------------------------------
def started_to_dict(started: Started) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The JSON object of a :class:`Started` event and its arrays."""
    meta = {
        "config": started.config.to_dict(),
        "device": started.device,
        "n_train": started.n_train,
        "n_val": started.n_val,
        "n_batches": started.n_batches,
        "n_parameters": started.n_parameters,
        "stages": list(started.stages),
        "pca_val_loss": started.pca_val_loss,
        "warnings": list(started.warnings),
        "n_features": started.n_features,
    }
    arrays = {}
    if started.pca_explained_variance is not None:
        arrays["pca_explained_variance"] = np.asarray(started.pca_explained_variance)
    return meta, arrays


def started_from_dict(meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Started:
    """Inverse of :func:`started_to_dict`."""
    pca_loss = meta.get("pca_val_loss")
    n_features = meta.get("n_features")  # absent in sessions saved before it was recorded
    return Started(
        config=RunConfig.from_dict(meta["config"]),
        device=str(meta["device"]),
        n_train=int(meta["n_train"]),
        n_val=int(meta["n_val"]),
        n_batches=int(meta["n_batches"]),
        n_parameters=int(meta["n_parameters"]),
        stages=tuple(str(s) for s in meta.get("stages", ("train",))),
        pca_val_loss=None if pca_loss is None else float(pca_loss),
        pca_explained_variance=_readonly(arrays.get("pca_explained_variance")),
        warnings=tuple(str(w) for w in meta.get("warnings", ())),
        n_features=None if n_features is None else int(n_features),
    )


def finished_to_dict(finished: Finished) -> dict[str, Any]:
    """The JSON object of a :class:`Finished` event."""
    return {
        "reason": finished.reason,
        "epoch": finished.epoch,
        "step": finished.step,
        "message": finished.message,
    }


def finished_from_dict(data: Mapping[str, Any]) -> Finished:
    """Inverse of :func:`finished_to_dict`."""
    return Finished(
        str(data["reason"]), int(data["epoch"]), int(data["step"]), str(data.get("message", ""))
    )


# -- snapshots -------------------------------------------------------------------------------
class ArrayStore:
    """Named arrays for an ``.npz``, each distinct array object stored once."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self._names: dict[int, str] = {}

    def add(self, array: np.ndarray) -> str:
        """The name ``array`` is stored under (the same for the same object)."""
        name = self._names.get(id(array))
        if name is None:
            name = f"a{len(self.arrays)}"
            self._names[id(array)] = name
            self.arrays[name] = np.asarray(array)
        return name


def snapshot_to_dict(snapshot: Snapshot, store: ArrayStore) -> dict[str, Any]:
    """The JSON object of a snapshot; its arrays go into ``store`` and are named in it."""
    arrays = {
        name: store.add(value)
        for name in SNAPSHOT_ARRAYS
        if (value := getattr(snapshot, name)) is not None
    }
    extent = snapshot.gan_grid_extent
    return {
        "epoch": snapshot.epoch,
        "step": snapshot.step,
        "stage": snapshot.stage,
        "gan_d_real": snapshot.gan_d_real,
        "gan_d_fake": snapshot.gan_d_fake,
        "gan_grid_extent": None if extent is None else [float(v) for v in extent],
        "arrays": arrays,
        "extras": {k: store.add(v) for k, v in snapshot.extras.items()},
    }


def snapshot_from_dict(meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Snapshot:
    """Inverse of :func:`snapshot_to_dict`; arrays come back read-only, shared as stored.

    Raises
    ------
    KeyError, TypeError, ValueError
        For a missing field or an array name not in ``arrays``.
    """
    named = meta["arrays"]
    unknown = set(named) - set(SNAPSHOT_ARRAYS)
    if unknown:
        raise ValueError(f"unknown snapshot arrays {sorted(unknown)}")
    values = {name: _readonly(arrays[key]) for name, key in named.items()}
    extent = meta.get("gan_grid_extent")
    d_real, d_fake = meta.get("gan_d_real"), meta.get("gan_d_fake")
    return Snapshot(
        epoch=int(meta["epoch"]),
        step=int(meta["step"]),
        stage=str(meta["stage"]),
        gan_d_real=None if d_real is None else float(d_real),
        gan_d_fake=None if d_fake is None else float(d_fake),
        gan_grid_extent=None if extent is None else tuple(float(v) for v in extent),  # type: ignore[arg-type]
        extras={k: _readonly(arrays[v]) for k, v in meta.get("extras", {}).items()},
        **values,
    )


def _readonly(array: np.ndarray | None) -> np.ndarray | None:
    if array is not None:
        array.flags.writeable = False
    return array
