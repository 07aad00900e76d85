"""TensorBoard event files in a run directory (with the optional ``tensorboard`` extra).

Per epoch (TensorBoard's step is the epoch): every training and validation term as
``train/TERM`` and ``val/TERM``, each learning rate as ``lr/GROUP``, ``pca/val_mse`` (the PCA
baseline of the same size, constant, so that it overlays the curves), ``perf/samples_per_s``
and ``perf/epoch_seconds``. Snapshots of image data add an image ``reconstructions`` (about
ten per run, the last one always): a grid with a row of originals, one of the model's
reconstructions and one of PCA's (a GAN's snapshots add ``samples``). The run's config is
written once as text.

Scalars carry the values of ``metrics.jsonl`` as float32; the files are flushed after
every epoch, so ``tensorboard --logdir runs`` follows runs while they train.
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import numpy as np

from aeviewer.training.events import EpochEnd, Event, Snapshot, Started

#: Samples shown per row of the reconstruction image.
IMAGES_PER_ROW = 8
#: At most about this many reconstruction images per run (and always the last snapshot's).
IMAGES_PER_RUN = 10


def tensorboard_available() -> bool:
    """True when the ``tensorboard`` package is installed."""
    return importlib.util.find_spec("tensorboard") is not None


class TensorBoardLog:
    """Writes one run's events as TensorBoard event files in ``run_path``."""

    def __init__(self, run_path: str | Path, started: Started) -> None:
        from torch.utils.tensorboard import SummaryWriter

        self.writer = SummaryWriter(log_dir=str(run_path), flush_secs=30)
        self.pca = started.pca_val_loss
        self.total_epochs = started.total_epochs
        self.image_every = max(1, math.ceil(self.total_epochs / IMAGES_PER_RUN))
        if started.config.model.kind == "gan":
            self.pca = None  # a GAN reconstructs nothing: PCA's error is no reference
        if started.first_epoch == 0:
            text = json.dumps(started.config.to_dict(), indent=2)
            # Markdown: indented by four spaces, the JSON shows as code.
            self.writer.add_text("config", "\n".join("    " + line for line in text.splitlines()))

    def record(self, event: Event) -> None:
        """Write what ``event`` says (epoch ends and snapshots; other events add nothing)."""
        if isinstance(event, EpochEnd):
            self._epoch(event)
        elif isinstance(event, Snapshot):
            self._snapshot(event)

    def _epoch(self, end: EpochEnd) -> None:
        add = self.writer.add_scalar
        step = end.epoch
        for split in ("train", "val"):
            for term, value in getattr(end, split).items():
                add(f"{split}/{term}", float(value), step)
        for group, lr in end.lr.items():
            add(f"lr/{group}", float(lr), step)
        if self.pca is not None and math.isfinite(self.pca):
            add("pca/val_mse", float(self.pca), step)
        add("perf/samples_per_s", float(end.samples_per_s), step)
        add("perf/epoch_seconds", float(end.seconds), step)
        self.writer.flush()

    def _snapshot(self, snap: Snapshot) -> None:
        if snap.epoch % self.image_every and snap.epoch < self.total_epochs:
            return
        rows = [snap.originals, snap.reconstructions, snap.pca_reconstructions]
        tag = "reconstructions"
        if snap.gan_samples is not None:
            rows, tag = [snap.gan_samples], "samples"
        grid = image_grid([r for r in rows if r is not None])
        if grid is not None:
            self.writer.add_image(tag, grid, snap.epoch, dataformats="HWC")
            self.writer.flush()

    def close(self) -> None:
        """Flush and close the event file."""
        self.writer.close()


def image_grid(rows: list[np.ndarray], per_row: int = IMAGES_PER_ROW) -> np.ndarray | None:
    """One ``(H, W, 3)`` uint8 image: each array of ``(n, C, H, W)`` images is a row of at most
    ``per_row`` tiles, all scaled to 0..255 by their joint range; None when these are not
    images (vectors, or another number of channels than 1 or 3)."""
    arrays = [np.asarray(r, np.float32)[:per_row] for r in rows]
    if not arrays or any(a.ndim != 4 or a.shape[1] not in (1, 3) for a in arrays):
        return None
    if len({a.shape[1:] for a in arrays}) != 1:
        return None
    _, channels, height, width = arrays[0].shape
    n = max(a.shape[0] for a in arrays)
    lo = min(float(a.min()) for a in arrays)
    hi = max(float(a.max()) for a in arrays)
    scale = 255.0 / (hi - lo) if hi > lo else 0.0
    pad = 2
    grid = np.full((len(arrays) * (height + pad) + pad, n * (width + pad) + pad, 3), 255, np.uint8)
    for r, array in enumerate(arrays):
        tiles = np.clip((array - lo) * scale + 0.5, 0, 255).astype(np.uint8)
        for c, tile in enumerate(tiles):
            top, left = pad + r * (height + pad), pad + c * (width + pad)
            image = tile.transpose(1, 2, 0)
            grid[top : top + height, left : left + width] = (
                image if channels == 3 else np.repeat(image, 3, axis=2)
            )
    return grid
