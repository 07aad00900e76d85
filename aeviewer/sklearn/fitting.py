"""Driving the engine's training loop for an estimator, and applying a model in batches."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning
from torch import nn

from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset, Normalization
from aeviewer.errors import AeviewerError
from aeviewer.io.records import metrics_line
from aeviewer.training.events import EpochEnd, Finished, LrChanged, Started
from aeviewer.training.loop import train
from aeviewer.training.rundir import CONFIG_FILE, METRICS_FILE

#: Samples per batch when a fitted model encodes, decodes or scores.
APPLY_BATCH = 4096


@dataclass
class EngineResult:
    """What one training run gave an estimator."""

    model: nn.Module
    config: RunConfig
    history: list[dict[str, Any]] = field(default_factory=list)
    reason: str = ""
    epoch: int = 0
    step: int = 0
    pca_val_loss: float | None = None


def check_new_run_dir(run_dir: str | Path) -> None:
    """Refuse a folder that holds a run already, before anything is written into it.

    Raises
    ------
    ValueError
        Naming the folder and how to continue the run instead.
    """
    path = Path(run_dir)
    if path.exists() and not path.is_dir():
        raise ValueError(f"{path}: exists and is not a folder")
    if (path / CONFIG_FILE).exists() or (path / METRICS_FILE).exists():
        raise ValueError(
            f"{path}: already holds a run; choose another run_dir, or continue it with: "
            f"aeviewer train --resume {path}"
        )


def run_engine(
    config: RunConfig,
    dataset: Dataset,
    *,
    run_dir: str | Path | None,
    verbose: int,
    stream: TextIO | None = None,
) -> EngineResult:
    """Train with :func:`aeviewer.training.loop.train`, collecting the epochs' metrics.

    ``verbose`` 1 or more prints a line per epoch on ``stream`` (stderr). The engine's warnings
    (a latent as large as the input) become UserWarnings, a divergence a ConvergenceWarning.

    Raises
    ------
    ValueError
        For a config that does not fit the data, or a device this machine lacks.
    """
    out = stream if stream is not None else sys.stderr
    holder: list[nn.Module] = []
    result: EngineResult | None = None
    history: list[dict[str, Any]] = []
    pending: list[LrChanged] = []
    pca_loss: float | None = None
    total: int | None = None
    try:
        for event in train(config, dataset, run_dir=run_dir, on_model=holder.append):
            if isinstance(event, Started):
                pca_loss = event.pca_val_loss
                config = event.config  # with the engine's automatic settings decided
                total = _total_epochs(event)
                for message in event.warnings:
                    warnings.warn(message, UserWarning, stacklevel=4)
                if verbose:
                    out.write(
                        f"training {config.model.kind} ({event.n_parameters:,} parameters) on "
                        f"{event.n_train} samples ({event.n_val} for validation), {event.device}\n"
                    )
            elif isinstance(event, LrChanged):
                pending.append(event)
            elif isinstance(event, EpochEnd):
                history.append(metrics_line(event, pending))
                pending = []
                if verbose:
                    out.write(_epoch_line(event, total) + "\n")
            elif isinstance(event, Finished):
                result = EngineResult(
                    holder[0], config, history, event.reason, event.epoch, event.step, pca_loss
                )
                if event.reason == "diverged":
                    warnings.warn(event.message, ConvergenceWarning, stacklevel=4)
    except AeviewerError as exc:
        raise ValueError(str(exc)) from None
    if result is None:  # the loop always ends with Finished
        raise RuntimeError("training ended without a result")
    return result


def _total_epochs(started: Started) -> int | None:
    try:
        return int(started.total_epochs)
    except TypeError:  # epochs not fixed in advance
        return None


def _epoch_line(event: EpochEnd, total: int | None) -> str:
    of = "" if total is None else f"/{total}"
    text = f"epoch {event.epoch}{of} train {event.train_loss:.5g}"
    if event.val_loss is not None:
        text += f" val {event.val_loss:.5g}"
    return f"{text} {event.seconds:.1f}s"


def model_device(model: nn.Module) -> torch.device:
    """The device of ``model``'s parameters (the CPU for a model without any)."""
    for parameter in model.parameters():
        return parameter.device
    return torch.device("cpu")


def apply_batched(
    fn: Callable[[torch.Tensor], torch.Tensor],
    x: np.ndarray,
    *,
    device: torch.device,
    normalization: Normalization | None,
    width: int,
) -> np.ndarray:
    """``fn`` applied to samples ``x`` ``(N, D)`` in batches, as a float32 array ``(N, width)``
    (``width`` 0 for per-sample values ``(N,)``).

    Each batch is normalised on the device with ``normalization`` (None: ``x`` is normalised
    already); float32 input is never copied whole.
    """
    n = x.shape[0]
    out = np.empty((n, width) if width else (n,), np.float32)
    offset = scale = None
    if normalization is not None and normalization.kind != "none":
        offset = torch.as_tensor(normalization.offset, dtype=torch.float32, device=device)
        scale = torch.as_tensor(normalization.scale, dtype=torch.float32, device=device)
    with warnings.catch_warnings(), torch.inference_mode():
        # Read-only arrays (memory maps) are only read here: torch's warning does not apply.
        warnings.filterwarnings("ignore", message="The given NumPy array is not writable")
        for start in range(0, n, APPLY_BATCH):
            chunk = x[start : start + APPLY_BATCH]
            if chunk.dtype != np.float32 or not chunk.flags.c_contiguous:
                chunk = np.ascontiguousarray(chunk, dtype=np.float32)
            batch = torch.from_numpy(chunk).to(device, non_blocking=True)
            if offset is not None:
                batch = torch.sub(batch, offset).div_(scale)
            out[start : start + chunk.shape[0]] = fn(batch).float().cpu().numpy()
    return out
