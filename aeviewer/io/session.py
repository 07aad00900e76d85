"""Sessions: the whole state of a piece of work in one ``.aev`` file, and autosave.

A session is a zip archive holding

- ``session.json``: the format and version, the data set reference and normalisation, the run
  config, the :class:`~aeviewer.training.events.Started` and ``Finished`` events, the snapshot
  index, the model description (``model.json``'s object) and the GUI's view state;
- ``model.safetensors``: the weights (absent before a model exists);
- ``metrics.jsonl``: one :class:`~aeviewer.training.events.EpochEnd` per line, with the
  :class:`~aeviewer.training.events.LrChanged` events of its epoch (``"lr_changes"``, as a run
  directory's ``metrics.jsonl`` holds them);
- ``snapshots.npz``: the arrays of the latest snapshots (read with ``allow_pickle=False``);
- ``training_state.safetensors`` and ``training_state.json``: the whole
  :class:`~aeviewer.training.state.TrainingState` to continue training exactly (absent when the
  GUI had none); the JSON holds the state's metadata and the tensor member's size and SHA-256.

Opening one executes nothing from the file, and treats it as hostile: the declared sizes of the
members are checked against budgets before anything is read, JSON members are limited in size
and nesting, and a damaged member is a :class:`~aeviewer.errors.RunError` naming the file and
the member. Saving is atomic: a crash mid-save leaves the previous file as it was.

Autosave is per process: each running aeviewer writes its own ``autosave-<pid>-<token>.aev`` in
:func:`state_dir`, next to a ``.lock`` file that it holds locked (``fcntl.flock``; ``msvcrt``
on Windows) from its first autosave until it exits. :func:`find_autosave` offers only the
autosaves whose lock no live process holds: those of instances that crashed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import secrets
import sys
import threading
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

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
    events_from_metrics_line,
    finished_from_dict,
    finished_to_dict,
    metrics_line,
    snapshot_from_dict,
    snapshot_to_dict,
    started_from_dict,
    started_to_dict,
)
from aeviewer.models.info import DataInfo
from aeviewer.training.events import EpochEnd, Event, Finished, LrChanged, Snapshot, Started
from aeviewer.training.rundir import (
    load_state,
    model_from_description,
    model_json,
    model_record,
)
from aeviewer.training.state import STATE_FORMAT, STATE_VERSION, TrainingState

SESSION_FORMAT = "aeviewer.session"
SESSION_VERSION = 1
SESSION_JSON = "session.json"
SESSION_WEIGHTS = "model.safetensors"
SESSION_METRICS = "metrics.jsonl"
SESSION_SNAPSHOTS = "snapshots.npz"
SESSION_STATE_TENSORS = "training_state.safetensors"
SESSION_STATE_JSON = "training_state.json"
STATE_MEMBER_FORMAT = "aeviewer.session-training-state"

#: Budgets an opened session must keep (declared sizes are checked before reading).
MAX_MEMBERS = 64
#: The most ``session.json`` may hold (the view state can hold long selections).
MAX_SESSION_JSON_BYTES = 64 * 1024 * 1024
#: The most ``training_state.json`` may hold.
MAX_STATE_JSON_BYTES = 16 * 1024 * 1024
#: The most ``metrics.jsonl`` may hold (about a million epochs).
MAX_METRICS_BYTES = 512 * 1024 * 1024
#: The most all members together may hold once decompressed.
MAX_ARCHIVE_BYTES = 32 * 1024**3
#: Deflate expands at most about 1032-fold; a member declaring more is forged.
MAX_COMPRESSION_RATIO = 1100
#: The deepest nesting of arrays and objects a JSON member may have.
MAX_JSON_DEPTH = 64

#: How many of the latest snapshots a session keeps by default.
MAX_SNAPSHOTS = 10

#: Environment variable that moves the autosave folder (tests, portable installs).
STATE_DIR_ENV = "AEVIEWER_STATE_DIR"
#: The autosave of aeviewer before autosaves were per process (offered once if left over).
AUTOSAVE_NAME = "autosave" + SESSION_SUFFIX
AUTOSAVE_PREFIX = "autosave-"
LOCK_SUFFIX = ".lock"


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
    ``lr_changes`` are the live learning-rate changes, replayed before the epoch end of the
    epoch they were made in. ``training_state`` is the whole state to continue training
    exactly (None when the session was saved without one, or by an older aeviewer).
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
    lr_changes: tuple[LrChanged, ...] = ()
    training_state: TrainingState | None = None

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
        """The session's events in the order a live run yields them: a learning-rate change
        comes before the end of the epoch it was made in, a snapshot after it."""
        out: list[Event] = [] if self.started is None else [self.started]
        snapshots = sorted(self.snapshots, key=lambda s: s.epoch)
        changes = list(self.lr_changes)
        i = j = 0
        for end in self.epochs:
            while j < len(changes) and changes[j].epoch <= end.epoch:
                out.append(changes[j])
                j += 1
            out.append(end)
            while i < len(snapshots) and snapshots[i].epoch <= end.epoch:
                out.append(snapshots[i])
                i += 1
        out.extend(snapshots[i:])
        out.extend(changes[j:])
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
    training_state: TrainingState | None = None,
) -> Session:
    """A session from what the GUI holds: the config, data, events so far and the model.

    The model's description records the last epoch and step seen in ``events`` and why the
    run ended (``"paused"`` while no :class:`Finished` was seen). ``training_state`` (from
    the loop's :class:`~aeviewer.training.events.Resumable`) is kept as it is, so that the
    opened session continues training exactly.
    """
    started, finished = None, None
    epochs: list[EpochEnd] = []
    snapshots: list[Snapshot] = []
    lr_changes: list[LrChanged] = []
    for event in events:
        if isinstance(event, Started):
            started = event
        elif isinstance(event, EpochEnd):
            epochs.append(event)
        elif isinstance(event, LrChanged):
            lr_changes.append(event)
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
        lr_changes=tuple(lr_changes),
        training_state=training_state,
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
    lines, unattached = _metrics_lines(session.epochs, session.lr_changes)
    if unattached:
        # Changes after the last epoch end (made while paused, or in a stopped epoch).
        meta["lr_changes"] = [_lr_change_to_dict(c) for c in unattached]
    try:
        meta_text = json.dumps(meta, indent=1, allow_nan=True, default=_numpy_to_json)
    except (TypeError, ValueError) as exc:
        raise RunError(f"{path}: the view state cannot be saved as JSON: {exc}") from None
    metrics = "".join(json.dumps(line, allow_nan=True) + "\n" for line in lines)
    state_members = None
    if session.training_state is not None:
        state_members = _training_state_members(path, session.training_state)
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
            if state_members is not None:
                tensors, description = state_members
                archive.writestr(SESSION_STATE_TENSORS, tensors)
                archive.writestr(SESSION_STATE_JSON, description)
            if store.arrays:
                with archive.open(SESSION_SNAPSHOTS, "w", force_zip64=True) as member:
                    np.savez(member, **store.arrays)
    except OSError as exc:
        raise RunError(f"{path}: cannot write the session: {exc.strerror or exc}") from None
    return path


def _metrics_lines(
    epochs: Iterable[EpochEnd], lr_changes: Iterable[LrChanged]
) -> tuple[list[dict[str, Any]], list[LrChanged]]:
    """The ``metrics.jsonl`` objects (each epoch with the rate changes made in it) and the
    changes that belong to no saved epoch."""
    pending = list(lr_changes)
    lines = []
    for end in epochs:
        mine = [c for c in pending if c.epoch == end.epoch]
        pending = [c for c in pending if c.epoch != end.epoch]
        lines.append(metrics_line(end, mine))
    return lines, pending


def _lr_change_to_dict(change: LrChanged) -> dict[str, Any]:
    return {"epoch": change.epoch, "step": change.step, "group": change.group, "lr": change.lr}


def _training_state_members(path: Path, state: TrainingState) -> tuple[bytes, str]:
    """The safetensors bytes of ``state`` and the JSON that describes and checks them."""
    try:
        tensors = save_safetensors(
            {k: v.detach().to("cpu").contiguous() for k, v in state.tensors.items()},
            metadata={"format": STATE_FORMAT},
        )
    except (TypeError, ValueError, RuntimeError, SafetensorError) as exc:
        raise RunError(f"{path}: the training state cannot be saved: {exc}") from None
    description = {
        "format": STATE_MEMBER_FORMAT,
        "version": 1,
        "tensors": SESSION_STATE_TENSORS,
        "tensors_bytes": len(tensors),
        "tensors_sha256": hashlib.sha256(tensors).hexdigest(),
        "state": dict(state.meta),
    }
    try:
        text = json.dumps(description, indent=1, allow_nan=True, default=_numpy_to_json)
    except (TypeError, ValueError) as exc:
        raise RunError(f"{path}: the training state cannot be saved as JSON: {exc}") from None
    return tensors, text


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

    The file is read as untrusted: members are size-checked before they are read, JSON is
    limited in size and depth, arrays in ``snapshots.npz`` must fit their members, and the
    training state's tensors must have the size and SHA-256 its JSON names.

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
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise RunError(f"{path}: not an aeviewer session ({exc})") from None
    with archive:
        _check_members(path, archive)
        meta = _read_meta(path, archive)
        arrays = _read_arrays(path, archive)
        weights = _read_weights(path, archive)
        epochs, lr_changes = _read_epochs(path, archive)
        training_state = _read_training_state(path, archive)
    try:
        started = meta.get("started")
        unattached = tuple(
            LrChanged(int(c["epoch"]), int(c["step"]), str(c["group"]), float(c["lr"]))
            for c in meta.get("lr_changes") or ()
        )
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
            lr_changes=lr_changes + unattached,
            training_state=training_state,
        )
    except AeviewerError as exc:
        raise RunError(f"{path}: {exc}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RunError(f"{path}: {SESSION_JSON} is incomplete or invalid ({exc!r})") from None
    if session.has_model:
        session.model()  # a description that does not match its weights fails here, not later
    return session


def _check_members(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse archives whose members could not be read within the budgets."""
    _check_infos(f"{path}", archive.infolist(), MAX_ARCHIVE_BYTES)


def _check_infos(where: str, infos: list[zipfile.ZipInfo], budget: int) -> None:
    if len(infos) > MAX_MEMBERS:
        raise RunError(f"{where}: {len(infos)} members is more than a session has")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise RunError(f"{where}: the archive holds {twice[0]} more than once")
    total = 0
    for info in infos:
        size = info.file_size
        if info.compress_type != zipfile.ZIP_STORED:
            ratio_limit = MAX_COMPRESSION_RATIO * max(info.compress_size, 1) + 1024
            if size > ratio_limit:
                raise RunError(
                    f"{where}: {info.filename} declares {size:,} bytes from "
                    f"{info.compress_size:,} compressed; the member is forged"
                )
        elif size != info.compress_size:
            raise RunError(f"{where}: {info.filename} declares inconsistent sizes")
        total += size
        if total > budget:
            raise RunError(
                f"{where}: {info.filename} takes the members past {budget:,} bytes; "
                "too large to open"
            )


def _read_member(path: Path, archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """The bytes of member ``name`` (None when absent), refusing more than ``limit``."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limit:
        raise RunError(
            f"{path}: {name} declares {info.file_size:,} bytes, more than the {limit:,} "
            "a session member may hold"
        )
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (OSError, zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise RunError(f"{path}: {name} is damaged: {exc}") from None
    if len(data) != info.file_size:
        raise RunError(f"{path}: {name} is damaged: its size is not the declared one")
    return data


def _read_json(path: Path, archive: zipfile.ZipFile, name: str, limit: int) -> Any:
    """The JSON value of member ``name`` (None when absent), within size and depth limits."""
    data = _read_member(path, archive, name, limit)
    if data is None:
        return None
    try:
        return _parse_json(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise RunError(f"{path}: {name} is damaged: {exc}") from None


def _parse_json(text: str) -> Any:
    """``json.loads`` that refuses nesting deeper than :data:`MAX_JSON_DEPTH`.

    Raises
    ------
    ValueError
        For invalid or too deeply nested JSON.
    """
    value = json.loads(text)
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return value


def _read_meta(path: Path, archive: zipfile.ZipFile) -> dict[str, Any]:
    meta = _read_json(path, archive, SESSION_JSON, MAX_SESSION_JSON_BYTES)
    if meta is None:
        raise RunError(f"{path}: not an aeviewer session (no {SESSION_JSON})")
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
    data = _read_member(path, archive, SESSION_SNAPSHOTS, MAX_ARCHIVE_BYTES)
    if data is None:
        return {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            _check_infos(f"{path}: {SESSION_SNAPSHOTS}", inner.infolist(), len(data) * 2 + 4096)
            for info in inner.infolist():
                with inner.open(info) as member:
                    _check_npy_header(member, info)
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except RunError as exc:
        raise RunError(f"{path}: {SESSION_SNAPSHOTS} is damaged: {exc}") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, NotImplementedError) as exc:
        raise RunError(f"{path}: {SESSION_SNAPSHOTS} is damaged or holds objects: {exc}") from None


def _check_npy_header(member: IO[bytes], info: zipfile.ZipInfo) -> None:
    """Refuse an ``.npy`` member whose header asks for more bytes than the member holds
    (numpy allocates the whole array before reading it)."""
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, _, dtype = np.lib.format.read_array_header_2_0(member)
    else:
        raise RunError(f"{info.filename}: unsupported .npy version {version}")
    if dtype.hasobject:
        raise RunError(f"{info.filename}: holds Python objects")
    count = 1
    for size in shape:
        count *= int(size)
    if count * dtype.itemsize > info.file_size:
        raise RunError(f"{info.filename}: its header asks for more data than it holds")


def _read_weights(path: Path, archive: zipfile.ZipFile) -> dict[str, torch.Tensor] | None:
    data = _read_member(path, archive, SESSION_WEIGHTS, MAX_ARCHIVE_BYTES)
    if data is None:
        return None
    try:
        return load_safetensors(data)
    except (SafetensorError, ValueError, RuntimeError) as exc:
        raise RunError(f"{path}: {SESSION_WEIGHTS} is damaged: {exc}") from None


def _read_epochs(
    path: Path, archive: zipfile.ZipFile
) -> tuple[tuple[EpochEnd, ...], tuple[LrChanged, ...]]:
    data = _read_member(path, archive, SESSION_METRICS, MAX_METRICS_BYTES)
    if data is None:
        return (), ()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RunError(f"{path}: {SESSION_METRICS} is damaged: {exc}") from None
    epochs: list[EpochEnd] = []
    changes: list[LrChanged] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = _parse_json(line)
            if not isinstance(obj, dict):
                raise TypeError("a line must be an object")
            for event in events_from_metrics_line(obj):
                (changes if isinstance(event, LrChanged) else epochs).append(event)
        except (KeyError, TypeError, ValueError, RecursionError) as exc:
            raise RunError(f"{path}: {SESSION_METRICS} line {number} is invalid: {exc!r}") from None
    return tuple(epochs), tuple(changes)


def _read_training_state(path: Path, archive: zipfile.ZipFile) -> TrainingState | None:
    """The training state of the session (None when it was saved without one)."""
    names = set(archive.namelist())
    if SESSION_STATE_JSON not in names:
        if SESSION_STATE_TENSORS in names:
            raise RunError(f"{path}: {SESSION_STATE_TENSORS} has no {SESSION_STATE_JSON}")
        return None
    description = _read_json(path, archive, SESSION_STATE_JSON, MAX_STATE_JSON_BYTES)
    try:
        if not isinstance(description, dict):
            raise TypeError("not an object")
        if description.get("format") != STATE_MEMBER_FORMAT:
            raise ValueError(f"format {description.get('format')!r}")
        if description.get("version") != 1:
            raise ValueError(f"version {description.get('version')!r} is not 1")
        if description.get("tensors") != SESSION_STATE_TENSORS:
            raise ValueError(f"names tensors {description.get('tensors')!r}")
        expected_size = int(description["tensors_bytes"])
        expected_hash = str(description["tensors_sha256"])
        meta = description["state"]
        if not isinstance(meta, dict) or meta.get("format") != STATE_FORMAT:
            raise ValueError("no training state")
        if meta.get("version") != STATE_VERSION:
            raise ValueError(f"training state version {meta.get('version')!r}")
        for key in ("epoch", "step"):  # fields every state has
            int(meta[key])
    except (KeyError, TypeError, ValueError) as exc:
        raise RunError(f"{path}: {SESSION_STATE_JSON} is incomplete or invalid ({exc})") from None
    try:
        declared = archive.getinfo(SESSION_STATE_TENSORS).file_size
    except KeyError:
        raise RunError(f"{path}: {SESSION_STATE_TENSORS} is missing") from None
    if declared != expected_size:
        raise RunError(
            f"{path}: {SESSION_STATE_TENSORS} holds {declared:,} bytes, but "
            f"{SESSION_STATE_JSON} names {expected_size:,}"
        )
    data = _read_member(path, archive, SESSION_STATE_TENSORS, MAX_ARCHIVE_BYTES)
    assert data is not None
    if hashlib.sha256(data).hexdigest() != expected_hash:
        raise RunError(f"{path}: {SESSION_STATE_TENSORS} does not match its SHA-256; damaged")
    try:
        tensors = load_safetensors(data)
    except (SafetensorError, ValueError, RuntimeError) as exc:
        raise RunError(f"{path}: {SESSION_STATE_TENSORS} is damaged: {exc}") from None
    return TrainingState(tensors, meta)


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


def _lock_path(path: Path) -> Path:
    return path.with_suffix(LOCK_SUFFIX)


def _try_lock(fd: int) -> bool:
    """Lock ``fd`` exclusively without waiting; False when another holder has it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)


def _take_lock(lock: Path, create: bool) -> int | None:
    """An open descriptor of ``lock``, locked; None when a live process holds it (or, without
    ``create``, when there is no lock file)."""
    flags = os.O_RDWR | (os.O_CREAT if create else 0) | getattr(os, "O_BINARY", 0)
    for _ in range(10):
        try:
            fd = os.open(lock, flags, 0o644)
        except FileNotFoundError:
            return None
        if not _try_lock(fd):
            os.close(fd)
            return None
        if sys.platform == "win32" or _same_file(fd, lock):
            return fd
        # Someone removed the file between our open and our lock: lock the new one instead.
        _unlock(fd)
        os.close(fd)
        if not create:
            return None
    raise OSError(f"{lock} keeps being replaced")


def _same_file(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _release_lock(fd: int, lock: Path, *, remove: bool) -> None:
    """Unlock and close ``fd``; ``remove`` deletes the lock file too (while still holding it
    where the system allows, so that no one else takes a lock that is going away)."""
    removed = False
    if remove and sys.platform != "win32":
        with contextlib.suppress(OSError):
            lock.unlink()
            removed = True
    _unlock(fd)
    os.close(fd)
    if remove and not removed:
        with contextlib.suppress(OSError):
            lock.unlink()


def _lock_held(lock: Path) -> bool:
    """True when a live process holds ``lock`` (a missing lock file is not held)."""
    try:
        fd = _take_lock(lock, create=False)
    except OSError:
        return True  # unreadable: treat it as another's, and leave it alone
    if fd is None:
        return lock.exists()
    _unlock(fd)
    os.close(fd)
    return False


def _remove_autosave_files(path: Path) -> None:
    """Remove ``path`` and the temporary files that killed writes of it left."""
    path.unlink(missing_ok=True)
    if path.parent.is_dir():
        for leftover in path.parent.glob(f".{path.name}.*.tmp"):
            leftover.unlink(missing_ok=True)


class _OwnAutosave:
    """This process's autosave: its file and, from the first write on, its held lock.

    One per process (it stands for the process, so it is module state); a forked child that
    autosaves gets a file of its own.
    """

    def __init__(self) -> None:
        self.mutex = threading.RLock()
        self.pid = 0
        self.path: Path | None = None
        self.lock_fd: int | None = None

    def current(self) -> Path:
        """The autosave path, chosen on first use (again after a fork or a new state folder)."""
        folder = state_dir()
        if self.pid != os.getpid():
            # A forked child shares the parent's lock; it must not release or reuse it.
            self.pid, self.path, self.lock_fd = os.getpid(), None, None
        if self.path is not None and self.path.parent != folder:
            self.forget()
        if self.path is None:
            name = f"{AUTOSAVE_PREFIX}{os.getpid()}-{secrets.token_hex(4)}{SESSION_SUFFIX}"
            self.path = folder / name
        return self.path

    def hold(self) -> Path:
        """Lock the autosave (first write), returning its path.

        Raises
        ------
        RunError
            When the lock file cannot be created or is somehow held by another process.
        """
        path = self.current()
        if self.lock_fd is None:
            lock = _lock_path(path)
            try:
                lock.parent.mkdir(parents=True, exist_ok=True)
                fd = _take_lock(lock, create=True)
            except OSError as exc:
                raise RunError(f"{lock}: cannot lock the autosave: {exc.strerror or exc}") from None
            if fd is None:
                raise RunError(f"{lock}: the autosave is locked by another process")
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
            self.lock_fd = fd
        return path

    def forget(self, *, remove: bool = False) -> None:
        """Let go of the autosave: release its lock, and with ``remove`` delete its files."""
        path = self.path
        if path is None or self.pid != os.getpid():
            return
        if remove:
            _remove_autosave_files(path)
        if self.lock_fd is not None:
            _release_lock(self.lock_fd, _lock_path(path), remove=remove)
        elif remove:
            _lock_path(path).unlink(missing_ok=True)
        self.path, self.lock_fd = None, None


_OWN = _OwnAutosave()


def autosave_path() -> Path:
    """This process's autosave file, ``autosave-<pid>-<token>.aev`` in :func:`state_dir`
    (the same name for the life of the process, until it is cleared or abandoned)."""
    with _OWN.mutex:
        return _OWN.current()


def write_autosave(session: Session, *, max_snapshots: int = MAX_SNAPSHOTS) -> Path:
    """Save ``session`` as this process's autosave (atomically, replacing the previous one).

    The first write locks the autosave for the rest of the process's life, so other instances
    do not offer it while this one lives.

    Raises
    ------
    RunError
        When the autosave cannot be locked or written.
    """
    with _OWN.mutex:
        return save_session(_OWN.hold(), session, max_snapshots=max_snapshots)


def find_autosaves() -> list[Path]:
    """The autosaves of aeviewers that ended without clearing theirs (crashed), newest first.

    An autosave whose lock a live process holds (this one's included) is never listed, nor a
    file that is not a zip. Lock and temporary files that a crash left without an autosave
    are removed on the way.
    """
    folder = state_dir()
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    with _OWN.mutex:
        own = _OWN.path if _OWN.pid == os.getpid() else None
    found: list[tuple[float, Path]] = []
    for name in names:
        path = folder / name
        if path == own or not name.startswith("autosave"):
            continue
        if name.endswith(LOCK_SUFFIX) and name.startswith(AUTOSAVE_PREFIX):
            autosave = path.with_suffix(SESSION_SUFFIX)
            if autosave != own and not autosave.exists():
                _discard_orphan(autosave)
            continue
        if not name.endswith(SESSION_SUFFIX) or _lock_held(_lock_path(path)):
            continue
        try:
            if zipfile.is_zipfile(path):
                found.append((path.stat().st_mtime, path))
        except OSError:
            continue
    return [path for _, path in sorted(found, key=lambda item: item[0], reverse=True)]


def find_autosave() -> Path | None:
    """The newest autosave an earlier, crashed aeviewer left (see :func:`find_autosaves`),
    or None."""
    found = find_autosaves()
    return found[0] if found else None


def clear_autosave(path: str | Path | None = None) -> bool:
    """Remove an autosave and the temporary files killed writes of it left.

    Parameters
    ----------
    path
        None for this process's own autosave (after a clean exit), or an autosave that
        :func:`find_autosave` offered and the user declined to restore. Another process's
        autosave is only removed while no live process holds its lock.

    Returns
    -------
    bool
        False when ``path`` belongs to a live process and was left alone.
    """
    with _OWN.mutex:
        own = _OWN.path if _OWN.pid == os.getpid() else None
        if path is None or Path(path) == own:
            if own is None:
                # Nothing written yet under this process's name: clear what its name would be.
                return True
            _OWN.forget(remove=True)
            return True
    return _discard_orphan(Path(path))


def _discard_orphan(path: Path) -> bool:
    lock = _lock_path(path)
    try:
        fd = _take_lock(lock, create=False)
    except OSError:
        return False
    if fd is None and lock.exists():
        return False  # a live aeviewer's autosave
    _remove_autosave_files(path)
    if fd is not None:
        _release_lock(fd, lock, remove=True)
    return True


def adopt_autosave(path: str | Path) -> Path:
    """Make an orphaned autosave this process's own (the user restores it): it is locked,
    later autosaves replace it, and a clean exit removes it. This process's previous autosave,
    if it wrote one, is removed.

    Raises
    ------
    RunError
        When a live process holds the autosave.
    """
    path = Path(path)
    with _OWN.mutex:
        if _OWN.pid == os.getpid() and _OWN.path == path:
            return _OWN.hold()
        lock = _lock_path(path)
        try:
            fd = _take_lock(lock, create=True)
        except OSError as exc:
            raise RunError(f"{lock}: cannot lock the autosave: {exc.strerror or exc}") from None
        if fd is None:
            raise RunError(f"{path}: another running aeviewer is using this autosave")
        _OWN.current()
        _OWN.forget(remove=True)
        _OWN.pid, _OWN.path, _OWN.lock_fd = os.getpid(), path, fd
        return path


def abandon_autosave() -> None:
    """Let go of this process's autosave without removing it, as a crash would: its lock is
    released and later autosaves go to a new file (tests of crash recovery use this)."""
    with _OWN.mutex:
        _OWN.forget(remove=False)
