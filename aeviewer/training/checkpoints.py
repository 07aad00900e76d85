"""Checkpoints on disk: the full training state as safetensors plus JSON, written in the
background, bounded in number.

A checkpoint of epoch E is two files in ``RUN/checkpoints/``::

    epoch-000000000012.safetensors   every tensor of the TrainingState
    epoch-000000000012.json          the metadata, with the tensor file's size and SHA-256

The numbers have twelve digits, so names sort as epochs do at any realistic epoch count (and
listing sorts by the parsed number anyway). Both files are written atomically, the tensors
first: a checkpoint is complete once its JSON exists and the tensor file matches the size and
hash the JSON names, so a kill at any moment leaves either a complete checkpoint or none.

:class:`CheckpointWriter` serialises and syncs in its own thread: the training thread only
copies tensors. At most one write is in flight; a newer state waiting for the writer replaces
an older one that has not started yet, so training never waits for the disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safetensors import SafetensorError
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors

from aeviewer import __version__
from aeviewer.errors import RunError
from aeviewer.io.atomic import atomic_write_bytes, atomic_write_json
from aeviewer.training.state import STATE_FORMAT, STATE_VERSION, TrainingState

CHECKPOINT_DIR = "checkpoints"
CHECKPOINT_FORMAT = "aeviewer.checkpoint"
CHECKPOINT_VERSION = 1
#: Newest checkpoints kept besides the best one, unless a run says otherwise.
DEFAULT_KEEP = 2
#: The most a checkpoint's JSON may hold; larger files are refused before they are parsed.
MAX_META_BYTES = 16 * 1024 * 1024

_NAME = re.compile(r"^epoch-(\d+)\.json$")


def checkpoint_stem(epoch: int) -> str:
    """The file name of the checkpoint of ``epoch``, without suffix."""
    return f"epoch-{epoch:012d}"


@dataclass(frozen=True)
class CheckpointFile:
    """A checkpoint found on disk (complete as far as its sizes tell)."""

    epoch: int
    meta_path: Path
    tensors_path: Path
    val_loss: float | None


def list_checkpoints(run_dir: str | Path) -> list[CheckpointFile]:
    """The checkpoints of a run whose JSON reads and whose tensor file has the named size,
    oldest first. Hashes are checked when one is read (:func:`read_checkpoint`)."""
    folder = Path(run_dir) / CHECKPOINT_DIR
    found = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        match = _NAME.match(name)
        if match is None:
            continue
        try:
            meta = _read_meta(folder / name)
            tensors = folder / str(meta["tensors"])
            if tensors.stat().st_size != int(meta["tensors_bytes"]):
                continue
            val = meta["state"].get("val_loss")
        except (RunError, OSError, KeyError, TypeError, ValueError, AttributeError):
            continue
        found.append(
            CheckpointFile(
                int(match.group(1)),
                folder / name,
                tensors,
                None if val is None else float(val),
            )
        )
    return sorted(found, key=lambda c: c.epoch)


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        size = path.stat().st_size
        if size > MAX_META_BYTES:
            raise RunError(f"{path}: {size:,} bytes is too large for a checkpoint description")
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise RunError(f"{path}: not a readable checkpoint description ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != CHECKPOINT_FORMAT:
        raise RunError(f"{path}: not an aeviewer checkpoint")
    if meta.get("version") != CHECKPOINT_VERSION:
        raise RunError(
            f"{path}: checkpoint format version {meta.get('version')!r}, but this aeviewer "
            f"({__version__}) reads version {CHECKPOINT_VERSION}"
        )
    return meta


def read_checkpoint(path: str | Path) -> TrainingState:
    """Read a checkpoint's JSON (``path``) and its tensor file, checking both.

    Raises
    ------
    RunError
        For a truncated, altered or foreign file, naming it and what is wrong.
    """
    meta_path = Path(path)
    meta = _read_meta(meta_path)
    try:
        tensors_path = meta_path.parent / str(meta["tensors"])
        expected_size, expected_hash = int(meta["tensors_bytes"]), str(meta["tensors_sha256"])
        state_meta = meta["state"]
        if not isinstance(state_meta, dict) or state_meta.get("format") != STATE_FORMAT:
            raise ValueError("no training state")
        if state_meta.get("version") != STATE_VERSION:
            raise ValueError(f"training state version {state_meta.get('version')!r}")
    except (KeyError, TypeError, ValueError) as exc:
        raise RunError(f"{meta_path}: incomplete checkpoint description ({exc})") from None
    try:
        data = tensors_path.read_bytes()
    except OSError as exc:
        raise RunError(f"{tensors_path}: cannot read: {exc.strerror or exc}") from None
    if len(data) != expected_size:
        raise RunError(
            f"{tensors_path}: truncated or altered: {len(data):,} bytes, "
            f"the checkpoint names {expected_size:,}"
        )
    if hashlib.sha256(data).hexdigest() != expected_hash:
        raise RunError(f"{tensors_path}: its SHA-256 does not match the checkpoint description")
    try:
        tensors = load_safetensors(data)
    except (SafetensorError, ValueError) as exc:
        raise RunError(f"{tensors_path}: not a readable safetensors file: {exc}") from None
    return TrainingState(tensors, state_meta)


def newest_state(run_dir: str | Path) -> tuple[TrainingState, Path]:
    """The newest checkpoint of ``run_dir`` that reads completely, and its JSON path.

    A damaged newer checkpoint is passed over for an older complete one.

    Raises
    ------
    RunError
        When the run has no complete checkpoint.
    """
    if not (Path(run_dir) / "config.json").is_file():
        raise RunError(f"{run_dir}: not a run directory (no config.json)")
    problems = []
    for checkpoint in reversed(list_checkpoints(run_dir)):
        try:
            return read_checkpoint(checkpoint.meta_path), checkpoint.meta_path
        except RunError as exc:
            problems.append(str(exc))
    detail = f" ({problems[0]})" if problems else ""
    raise RunError(f"{run_dir}: the run has no complete checkpoint to resume from{detail}")


def write_checkpoint(run_dir: str | Path, state: TrainingState) -> Path:
    """Write ``state`` as the checkpoint of its epoch (tensors, then JSON); returns the JSON."""
    folder = Path(run_dir) / CHECKPOINT_DIR
    stem = checkpoint_stem(state.epoch)
    data = save_safetensors(dict(state.tensors), metadata={"format": CHECKPOINT_FORMAT})
    atomic_write_bytes(folder / f"{stem}.safetensors", data)
    meta = {
        "format": CHECKPOINT_FORMAT,
        "version": CHECKPOINT_VERSION,
        "aeviewer": __version__,
        "epoch": state.epoch,
        "tensors": f"{stem}.safetensors",
        "tensors_bytes": len(data),
        "tensors_sha256": hashlib.sha256(data).hexdigest(),
        "state": dict(state.meta),
    }
    atomic_write_json(folder / f"{stem}.json", meta)
    return folder / f"{stem}.json"


def prune_checkpoints(run_dir: str | Path, keep: int) -> None:
    """Delete all but the newest ``keep`` checkpoints and the one with the lowest validation
    loss; also leftovers of writes that a kill interrupted."""
    folder = Path(run_dir) / CHECKPOINT_DIR
    checkpoints = list_checkpoints(run_dir)
    kept = {c.epoch for c in checkpoints[-keep:]} if keep > 0 else set()
    scored = [c for c in checkpoints if c.val_loss is not None and math.isfinite(c.val_loss)]
    if scored:
        kept.add(min(scored, key=lambda c: (c.val_loss, -c.epoch)).epoch)
    for checkpoint in checkpoints:
        if checkpoint.epoch not in kept:
            # The JSON first: a checkpoint without it is incomplete, never half-deleted.
            for path in (checkpoint.meta_path, checkpoint.tensors_path):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
    complete = {c.meta_path.name for c in checkpoints} | {c.tensors_path.name for c in checkpoints}
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            stale_temp = name.startswith(".") and name.endswith(".tmp")
            orphan = name.startswith("epoch-") and name not in complete
            if stale_temp or orphan:
                with contextlib.suppress(FileNotFoundError):
                    (folder / name).unlink()


def _val_loss(state: TrainingState) -> float:
    value = state.val_loss
    return math.inf if value is None else value


class CheckpointWriter:
    """Writes checkpoints of one run directory in a background thread.

    Parameters
    ----------
    run_dir
        The run directory.
    keep
        Newest checkpoints kept besides the best one.
    before_write
        Called in the writer thread before each checkpoint (the run directory syncs its
        metrics there, so a checkpoint never gets ahead of the epochs on disk).
    """

    def __init__(self, run_dir: str | Path, keep: int = DEFAULT_KEEP, before_write=None) -> None:
        self.run_dir = Path(run_dir)
        self.keep = keep
        self._before_write = before_write
        self._cond = threading.Condition()
        # At most two queued states: the newest, and before it a state whose validation loss
        # beats every other, so that a slow disk never drops the best checkpoint.
        self._pending: list[TrainingState] = []
        self._best_written = math.inf
        self._busy = False
        self._closed = False
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        #: Checkpoint JSON paths written, oldest first (for events and tests).
        self.written: list[Path] = []

    def submit(self, state: TrainingState) -> None:
        """Queue ``state`` for writing, replacing a queued one not yet started unless that one
        holds the best validation loss so far."""
        with self._cond:
            self._raise_error()
            if self._closed:
                raise RuntimeError("the checkpoint writer is closed")
            best = min(self._pending, key=_val_loss, default=None)
            keep_best = best is not None and _val_loss(best) < min(
                self._best_written, _val_loss(state)
            )
            self._pending = [best, state] if keep_best else [state]
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="aeviewer-checkpoints", daemon=True
                )
                self._thread.start()
            self._cond.notify_all()

    def flush(self) -> None:
        """Wait until every queued checkpoint is on disk; re-raise a write's failure."""
        with self._cond:
            while self._pending or self._busy:
                self._cond.wait()
            self._raise_error()

    def close(self) -> None:
        """Finish queued writes and end the thread (errors are kept for :meth:`flush`)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            if isinstance(error, RunError):
                raise error
            raise RunError(f"{self.run_dir}: cannot write a checkpoint: {error}") from None

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                if not self._pending:
                    return
                state = self._pending.pop(0)
                self._busy = True
            try:
                if self._before_write is not None:
                    self._before_write()
                path = write_checkpoint(self.run_dir, state)
                prune_checkpoints(self.run_dir, self.keep)
                self.written.append(path)
                with self._cond:
                    self._best_written = min(self._best_written, _val_loss(state))
            except Exception as exc:
                with self._cond:
                    self._error = exc
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
