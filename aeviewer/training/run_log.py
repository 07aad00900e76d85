"""What a run directory records besides the loop's own files: the PCA baseline and TensorBoard.

:func:`logged` wraps the loop's events on their way out of :func:`aeviewer.training.loop.train`
when a run directory is written. It adds

- ``RUN/baseline.json``: PCA's validation MSE at the run's latent size and PCA's spectrum, so
  that runs can be compared with PCA without loading their data again (the Runs table, the
  PCA view's MSE-by-components plot of a sweep);
- with the ``tensorboard`` extra installed, TensorBoard event files in ``RUN/`` (see
  :mod:`aeviewer.training.tensorboard_log`), so ``tensorboard --logdir runs`` shows every run.

The events pass through unchanged; the caller sees exactly what the loop yields.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from aeviewer.errors import RunError
from aeviewer.io.atomic import atomic_write_json
from aeviewer.limits import read_json_limited
from aeviewer.training.events import Event, Started

BASELINE_FILE = "baseline.json"
BASELINE_FORMAT = "aeviewer.baseline"
BASELINE_VERSION = 1
#: Set to 0 to write no TensorBoard event files even with tensorboard installed.
TENSORBOARD_ENV = "AEVIEWER_TENSORBOARD"


def logged(events: Iterator[Event], run_path: str | Path, started: Started) -> Iterator[Event]:
    """Yield ``events`` unchanged, recording the baseline and TensorBoard events of the run."""
    run_path = Path(run_path)
    write_baseline(run_path, started)
    board = open_tensorboard(run_path, started)
    try:
        for event in events:
            if board is not None:
                board.record(event)
            yield event
    finally:
        if board is not None:
            board.close()


def open_tensorboard(run_path: Path, started: Started) -> Any:
    """A :class:`~aeviewer.training.tensorboard_log.TensorBoardLog`, or None when tensorboard
    is not installed or :data:`TENSORBOARD_ENV` is ``0``."""
    if os.environ.get(TENSORBOARD_ENV, "1").strip() in ("0", "false", "no", "off"):
        return None
    from aeviewer.training.tensorboard_log import TensorBoardLog, tensorboard_available

    if not tensorboard_available():
        return None
    return TensorBoardLog(run_path, started)


# -- the baseline record ---------------------------------------------------------------------
def write_baseline(run_path: Path, started: Started) -> None:
    """Write ``baseline.json`` (atomically; a failure to write it is not a training failure)."""
    with contextlib.suppress(OSError):
        atomic_write_json(run_path / BASELINE_FILE, baseline_record(started))


def baseline_record(started: Started) -> dict[str, Any]:
    """The object ``baseline.json`` holds for the run that ``started`` begins (the live run's
    figures are computed from the same object, so that they match the run's on disk)."""
    variance = started.pca_explained_variance
    pca = started.pca_val_loss
    return {
        "format": BASELINE_FORMAT,
        "version": BASELINE_VERSION,
        "latent": started.config.model.latent,
        "n_features": started.n_features,
        "pca_val_mse": pca if pca is not None and math.isfinite(pca) else None,
        "explained_variance": (
            [] if variance is None else [float(v) for v in np.asarray(variance, np.float64)]
        ),
    }


def read_baseline(run_path: str | Path) -> dict[str, Any] | None:
    """The run's ``baseline.json`` (None when the run has none: older runs).

    Raises
    ------
    RunError
        When the file exists but is not a baseline record.
    """
    path = Path(run_path) / BASELINE_FILE
    if not path.is_file():
        return None
    record = read_json_limited(path, what="baseline record", error=RunError)
    if not isinstance(record, dict) or record.get("format") != BASELINE_FORMAT:
        raise RunError(f"{path}: not an aeviewer baseline record")
    version = record.get("version")
    if not isinstance(version, int) or version > BASELINE_VERSION:
        raise RunError(f"{path}: a baseline record of a version this aeviewer cannot read")
    return record
