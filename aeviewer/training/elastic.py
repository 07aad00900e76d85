"""Elastic restarts of a torchrun launch: which run directory is this launch's own.

torchrun restarts every worker of a launch after one fails (``--max-restarts``), with the same
command line. The restarted workers must then continue the run they started, from its newest
checkpoint, rather than refuse the run directory as taken. Rank 0 marks a new run directory
with the launch's id (``TORCHELASTIC_RUN_ID``, the same across restarts) in ``launch.json``; a
restart that finds its own mark continues that run, and never touches any other.
"""

from __future__ import annotations

import json
from pathlib import Path

from aeviewer.errors import RunError
from aeviewer.io.atomic import atomic_write_json
from aeviewer.training.checkpoints import list_checkpoints
from aeviewer.training.rundir import CONFIG_FILE, DATA_FILE, METRICS_FILE

LAUNCH_FILE = "launch.json"


def mark_new_run(run_dir: str | Path, run_id: str, world_size: int) -> None:
    """Record in a new run directory that launch ``run_id`` trains it (nothing when the folder
    already holds a run: creating the run then refuses it, as for any run).

    Raises
    ------
    RunError
        When the folder cannot be created or written.
    """
    path = Path(run_dir)
    if (path / CONFIG_FILE).exists():
        return
    try:
        path.mkdir(parents=True, exist_ok=True)
        atomic_write_json(path / LAUNCH_FILE, {"run_id": run_id, "world_size": world_size})
    except OSError as exc:
        raise RunError(f"{path}: cannot write the run folder: {exc.strerror}") from None


def launched_by(run_dir: str | Path, run_id: str) -> bool:
    """True when launch ``run_id`` started the run in ``run_dir``."""
    try:
        record = json.loads((Path(run_dir) / LAUNCH_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and record.get("run_id") == run_id


def has_checkpoint(run_dir: str | Path) -> bool:
    """True when the run has a checkpoint to continue from."""
    return bool(list_checkpoints(run_dir))


def forget_unstarted(run_dir: str | Path) -> None:
    """Remove the header of a run that died before its first checkpoint, so that the restarted
    launch starts it again (only for a run :func:`launched_by` this launch)."""
    path = Path(run_dir)
    for name in (METRICS_FILE, CONFIG_FILE, DATA_FILE):
        (path / name).unlink(missing_ok=True)
