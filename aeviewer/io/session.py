"""Sessions: the whole state of a piece of work in one ``.aev`` file, and autosave.

A session is a zip archive holding

- ``session.json``: the format and version, the data set reference and normalisation, the run
  config, the :class:`~aeviewer.training.events.Started` and ``Finished`` events, the snapshot
  index, the model description (``model.json``'s object) and the GUI's view state;
- ``model.safetensors``: the weights (absent before a model exists);
- ``metrics.jsonl``: one :class:`~aeviewer.training.events.EpochEnd` per line;
- ``snapshots.npz``: the arrays of the latest snapshots (read with ``allow_pickle=False``).

Opening one executes nothing from the file. Saving is atomic: a crash mid-save leaves the
previous file as it was.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors
from torch import nn

from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset, Normalization
from aeviewer.errors import AeviewerError, RunError
from aeviewer.io.atomic import atomic_open
from aeviewer.io.formats import SESSION_SUFFIX
from aeviewer.io.models import LoadedModel, check_data_fits
from aeviewer.io.records import (
    ArrayStore,
    epoch_end_from_dict,
    epoch_end_to_dict,
    finished_from_dict,
    finished_to_dict,
    snapshot_from_dict,
    snapshot_to_dict,
    started_from_dict,
    started_to_dict,
)
from aeviewer.models.info import DataInfo
from aeviewer.training.events import EpochEnd, Event, Finished, Snapshot, Started
from aeviewer.training.rundir import (
    load_state,
    model_from_description,
    model_json,
    model_record,
)

SESSION_FORMAT = "aeviewer.session"
SESSION_VERSION = 1
SESSION_JSON = "session.json"
SESSION_WEIGHTS = "model.safetensors"
SESSION_METRICS = "metrics.jsonl"
SESSION_SNAPSHOTS = "snapshots.npz"

#: How many of the latest snapshots a session keeps by default.
MAX_SNAPSHOTS = 10

#: Environment variable that moves the autosave folder (tests, portable installs).
STATE_DIR_ENV = "AEVIEWER_STATE_DIR"
AUTOSAVE_NAME = "autosave" + SESSION_SUFFIX


@dataclass(frozen=True, eq=False)
class DataReference:
    """Which data set a session was built on, enough to reload and check it."""

    source: str
    name: str
    sample_shape: tuple[int, ...]
    n_samples: int
    normalization: Normalization = field(default_factory=Normalization)
    class_names: tuple[str, ...] | None = None

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> DataReference:
        """The reference of a (prepared) data set."""
        return cls(
            source=dataset.source,
            name=dataset.name,
            sample_shape=tuple(int(s) for s in dataset.sample_shape),
            n_samples=dataset.n_samples,
            normalization=dataset.normalization,
            class_names=dataset.class_names,
        )

    def check(self, dataset: Dataset, where: str | Path = "the session") -> None:
        """Raise a RunError unless ``dataset`` is the same size as the referenced one.

        The snapshots index samples by position, so shape and count must both match.
        """
        shape = tuple(int(s) for s in dataset.sample_shape)
        if shape != self.sample_shape or dataset.n_samples != self.n_samples:
            raise RunError(
                f"{dataset.source or dataset.name}: {dataset.n_samples} samples of shape "
                f"{list(shape)} do not match {where}, saved with {self.n_samples} samples of "
                f"shape {list(self.sample_shape)} from {self.source}"
            )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description."""
        return {
            "source": self.source,
            "name": self.name,
            "sample_shape": list(self.sample_shape),
            "n_samples": self.n_samples,
            "normalization": self.normalization.to_dict(),
            "class_names": None if self.class_names is None else list(self.class_names),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DataReference:
        """Inverse of :meth:`to_dict`."""
        names = data.get("class_names")
        return cls(
            source=str(data["source"]),
            name=str(data.get("name", "")),
            sample_shape=tuple(int(s) for s in data["sample_shape"]),
            n_samples=int(data["n_samples"]),
            normalization=Normalization.from_dict(data["normalization"]),
            class_names=None if names is None else tuple(str(n) for n in names),
        )


@dataclass(frozen=True, eq=False)
class Session:
    """Everything needed to bring the views back as they were.

    ``events()`` replays ``started``, the epochs, the snapshots and ``finished`` in the order
    a live run yields them, so views can be fed them directly. ``weights`` (with
    ``model_description``, the ``model.json`` object) rebuild the model via :meth:`model`.
    ``view_state`` is whatever JSON-able mapping the GUI passed (threshold, selections ...);
    numpy arrays and scalars in it are saved as lists and numbers and come back as such.
    """

    config: RunConfig
    data: DataReference
    started: Started | None = None
    epochs: tuple[EpochEnd, ...] = ()
    snapshots: tuple[Snapshot, ...] = ()
    finished: Finished | None = None
    view_state: Mapping[str, Any] = field(default_factory=dict)
    model_description: Mapping[str, Any] | None = None
    weights: Mapping[str, torch.Tensor] | None = None
    saved_at: str = ""

    @property
    def has_model(self) -> bool:
        """True when the session holds weights."""
        return self.weights is not None and self.model_description is not None

    def model(self) -> nn.Module:
        """A fresh model with the session's weights (CPU, eval mode).

        Raises
        ------
        RunError
            When the session holds no model, or its weights do not fit its description.
        """
        return self.loaded_model().model

    def loaded_model(self) -> LoadedModel:
        """The model with its config and record, as :func:`aeviewer.io.open_model` gives it."""
        if self.weights is None or self.model_description is None:
            raise RunError("the session holds no model yet")
        description = dict(self.model_description)
        model, config, record = model_from_description(description, "the session's model")
        load_state(model, dict(self.weights), f"the session's {SESSION_WEIGHTS}")
        return LoadedModel(model.eval(), config, record)

    def events(self) -> list[Event]:
        """The session's events in the order a live run yields them."""
        out: list[Event] = [] if self.started is None else [self.started]
        snapshots = sorted(self.snapshots, key=lambda s: s.epoch)
        i = 0
        for end in self.epochs:
            out.append(end)
            while i < len(snapshots) and snapshots[i].epoch <= end.epoch:
                out.append(snapshots[i])
                i += 1
        out.extend(snapshots[i:])
        if self.finished is not None:
            out.append(self.finished)
        return out


def make_session(
    config: RunConfig,
    dataset: Dataset,
    events: Iterable[Event] = (),
    *,
    model: nn.Module | None = None,
    view_state: Mapping[str, Any] | None = None,
) -> Session:
    """A session from what the GUI holds: the config, data, events so far and the model.

    The model's description records the last epoch and step seen in ``events`` and why the
    run ended (``"paused"`` while no :class:`Finished` was seen).
    """
    started, finished = None, None
    epochs: list[EpochEnd] = []
    snapshots: list[Snapshot] = []
    for event in events:
        if isinstance(event, Started):
            started = event
        elif isinstance(event, EpochEnd):
            epochs.append(event)
        elif isinstance(event, Snapshot):
            snapshots.append(event)
        elif isinstance(event, Finished):
            finished = event
    description, weights = None, None
    if model is not None:
        epoch = epochs[-1].epoch if epochs else 0
        step = epochs[-1].step if epochs else 0
        reason = "paused" if finished is None else finished.reason
        record = model_record(model, dataset, epoch=epoch, step=step, reason=reason)
        description = model_json(config, record)
        weights = {k: v.detach().to("cpu").clone() for k, v in model.state_dict().items()}
    return Session(
        config=config,
        data=DataReference.from_dataset(dataset),
        started=started,
        epochs=tuple(epochs),
        snapshots=tuple(snapshots),
        finished=finished,
        view_state=dict(view_state or {}),
        model_description=description,
        weights=weights,
    )


# -- saving ----------------------------------------------------------------------------------
def save_session(path: str | Path, session: Session, *, max_snapshots: int = MAX_SNAPSHOTS) -> Path:
    """Write ``session`` to ``path`` (``.aev`` added when missing) atomically.

    Only the latest ``max_snapshots`` snapshots are kept. Returns the path written.

    Raises
    ------
    RunError
        When the view state is not JSON-able or the file cannot be written.
    """
    path = Path(path)
    if path.suffix.lower() != SESSION_SUFFIX:
        path = path.with_name(path.name + SESSION_SUFFIX)
    kept = (
        sorted(session.snapshots, key=lambda s: s.epoch)[-max_snapshots:] if max_snapshots else []
    )
    store = ArrayStore()
    started = None
    if session.started is not None:
        started_meta, started_arrays = started_to_dict(session.started)
        started = {
            **started_meta,
            "arrays": {k: store.add(v) for k, v in started_arrays.items()},
        }
    meta = {
        "format": SESSION_FORMAT,
        "version": SESSION_VERSION,
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data": session.data.to_dict(),
        "config": session.config.to_dict(),
        "started": started,
        "finished": None if session.finished is None else finished_to_dict(session.finished),
        "snapshots": [snapshot_to_dict(s, store) for s in kept],
        "model": None if session.model_description is None else dict(session.model_description),
        "view_state": dict(session.view_state),
    }
    try:
        meta_text = json.dumps(meta, indent=1, allow_nan=True, default=_numpy_to_json)
    except (TypeError, ValueError) as exc:
        raise RunError(f"{path}: the view state cannot be saved as JSON: {exc}") from None
    metrics = "".join(
        json.dumps(epoch_end_to_dict(e), allow_nan=True) + "\n" for e in session.epochs
    )
    try:
        with (
            atomic_open(path, "wb") as handle,
            zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        ):
            archive.writestr(SESSION_JSON, meta_text)
            archive.writestr(SESSION_METRICS, metrics)
            if session.weights is not None:
                state = {k: v.contiguous() for k, v in session.weights.items()}
                archive.writestr(SESSION_WEIGHTS, save_safetensors(state))
            if store.arrays:
                with archive.open(SESSION_SNAPSHOTS, "w", force_zip64=True) as member:
                    np.savez(member, **store.arrays)
    except OSError as exc:
        raise RunError(f"{path}: cannot write the session: {exc.strerror or exc}") from None
    return path


def _numpy_to_json(value: object) -> object:
    # Selections and thresholds often arrive as numpy values; they come back as lists/numbers.
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON-able")


# -- opening ---------------------------------------------------------------------------------
def open_session(path: str | Path) -> Session:
    """Read a session written by :func:`save_session`.

    Raises
    ------
    RunError
        When the file is missing, not a session, from a newer version, or damaged (naming
        the member and what is wrong).
    """
    path = Path(path)
    if path.suffix.lower() in (".pt2", ".pt", ".pth", ".onnx"):
        raise RunError(f"{path}: not a session; sessions are {SESSION_SUFFIX} files")
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise RunError(f"{path}: no such file") from None
    except (OSError, zipfile.BadZipFile) as exc:
        raise RunError(f"{path}: not an aeviewer session ({exc})") from None
    with archive:
        meta = _read_meta(path, archive)
        arrays = _read_arrays(path, archive)
        weights = _read_weights(path, archive)
        epochs = _read_epochs(path, archive)
    try:
        started = meta.get("started")
        session = Session(
            config=RunConfig.from_dict(meta["config"]),
            data=DataReference.from_dict(meta["data"]),
            started=None
            if started is None
            else started_from_dict(
                started, {k: arrays[v] for k, v in started.get("arrays", {}).items()}
            ),
            epochs=epochs,
            snapshots=tuple(snapshot_from_dict(s, arrays) for s in meta.get("snapshots", [])),
            finished=None if meta.get("finished") is None else finished_from_dict(meta["finished"]),
            view_state=dict(meta.get("view_state") or {}),
            model_description=meta.get("model"),
            weights=weights,
            saved_at=str(meta.get("saved_at", "")),
        )
    except AeviewerError as exc:
        raise RunError(f"{path}: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise RunError(f"{path}: {SESSION_JSON} is incomplete or invalid ({exc!r})") from None
    if session.has_model:
        session.model()  # a description that does not match its weights fails here, not later
    return session


def _read_meta(path: Path, archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        meta = json.loads(archive.read(SESSION_JSON).decode("utf-8"))
    except KeyError:
        raise RunError(f"{path}: not an aeviewer session (no {SESSION_JSON})") from None
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RunError(f"{path}: {SESSION_JSON} is damaged: {exc}") from None
    if not isinstance(meta, dict) or meta.get("format") != SESSION_FORMAT:
        raise RunError(f"{path}: not an aeviewer session")
    version = meta.get("version")
    if not isinstance(version, int) or version > SESSION_VERSION:
        raise RunError(
            f"{path}: session version {version} is newer than this aeviewer reads "
            f"({SESSION_VERSION}); update aeviewer"
        )
    return meta


def _read_arrays(path: Path, archive: zipfile.ZipFile) -> dict[str, np.ndarray]:
    if SESSION_SNAPSHOTS not in archive.namelist():
        return {}
    try:
        data = io.BytesIO(archive.read(SESSION_SNAPSHOTS))
        with np.load(data, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise RunError(f"{path}: {SESSION_SNAPSHOTS} is damaged or holds objects: {exc}") from None


def _read_weights(path: Path, archive: zipfile.ZipFile) -> dict[str, torch.Tensor] | None:
    if SESSION_WEIGHTS not in archive.namelist():
        return None
    try:
        return load_safetensors(archive.read(SESSION_WEIGHTS))
    except (OSError, zipfile.BadZipFile, SafetensorError) as exc:
        raise RunError(f"{path}: {SESSION_WEIGHTS} is damaged: {exc}") from None


def _read_epochs(path: Path, archive: zipfile.ZipFile) -> tuple[EpochEnd, ...]:
    try:
        text = archive.read(SESSION_METRICS).decode("utf-8")
    except KeyError:
        return ()
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise RunError(f"{path}: {SESSION_METRICS} is damaged: {exc}") from None
    epochs = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            epochs.append(epoch_end_from_dict(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise RunError(f"{path}: {SESSION_METRICS} line {number} is invalid: {exc!r}") from None
    return tuple(epochs)


def data_fits_session_model(session: Session, dataset: Dataset) -> None:
    """Raise a RunError unless ``dataset`` fits the session's model (when it has one)."""
    if session.model_description is None:
        return
    info = DataInfo.from_dict(session.model_description.get("data", {}))
    check_data_fits(info, dataset, "the session")


# -- autosave --------------------------------------------------------------------------------
def state_dir() -> Path:
    """Where aeviewer keeps state between starts (``$AEVIEWER_STATE_DIR`` overrides)."""
    override = os.environ.get(STATE_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_state_dir

    return Path(user_state_dir("aeviewer", appauthor=False))


def autosave_path() -> Path:
    """The autosave file."""
    return state_dir() / AUTOSAVE_NAME


def write_autosave(session: Session, *, max_snapshots: int = MAX_SNAPSHOTS) -> Path:
    """Save ``session`` as the autosave (atomically, replacing the previous one)."""
    return save_session(autosave_path(), session, max_snapshots=max_snapshots)


def find_autosave() -> Path | None:
    """The autosave left by an earlier start, or None (also for a file that is not a zip)."""
    path = autosave_path()
    return path if path.is_file() and zipfile.is_zipfile(path) else None


def clear_autosave() -> None:
    """Remove the autosave (after a clean exit, or once the user declined to restore it).

    Temporary files that a killed autosave left behind go too.
    """
    path = autosave_path()
    path.unlink(missing_ok=True)
    if path.parent.is_dir():
        for leftover in path.parent.glob(f".{path.name}.*.tmp"):
            leftover.unlink(missing_ok=True)
