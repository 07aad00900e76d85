"""Checkpointing cost: a default run directory (a full checkpoint every epoch, written in the
background, newest two plus the best kept) against the same run with intermediate checkpoints
off (``checkpoint_every`` = the number of epochs, so only the final state is written).

The model is the issue's 784-512-256-32 autoencoder on 8,000 MNIST images (random images of the
same size when the shared set is absent), 15 epochs, batch 128, a 20% validation split; both
runs write ``metrics.jsonl`` and the final model. Runs alternate in pairs, which see the same
machine load; the row is the median over the pairs of the default run's wall time divided by
the other's (target at most 1.05: checkpoints never stall training).

Run from the repository root with ``python -m benchmarks.bench_checkpoints`` or through
``python benchmarks/run.py checkpoints``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data.dataset import Dataset
from aeviewer.training.loop import train
from benchmarks.mnist_data import mnist_images

N_IMAGES = 8_000
EPOCHS = 15
PAIRS = 3
TARGET_RATIO = 1.05

Row = tuple[str, float, str]


def _dataset() -> Dataset:
    return mnist_images(N_IMAGES)


def _config(checkpoint_every: int) -> RunConfig:
    return RunConfig(
        data=DataSpec(source="bench"),
        model=ModelSpec("ae", latent=32, hidden=(512, 256)),
        train=TrainSpec(
            epochs=EPOCHS,
            batch_size=128,
            device="cpu",
            snapshot_every=EPOCHS,
            checkpoint_every=checkpoint_every,
        ),
    )


def _wall_time(config: RunConfig, dataset: Dataset, folder: Path) -> float:
    start = time.perf_counter()
    for _ in train(config, dataset, run_dir=folder):
        pass
    return time.perf_counter() - start


def run() -> list[Row]:
    """The median ratio of wall times, default checkpointing over final-only."""
    dataset = _dataset()
    default, final_only = _config(1), _config(EPOCHS)
    ratios, times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        _wall_time(default, dataset, Path(tmp) / "warm-up")
        for pair in range(PAIRS):
            with_checkpoints = _wall_time(default, dataset, Path(tmp) / f"default-{pair}")
            without = _wall_time(final_only, dataset, Path(tmp) / f"final-{pair}")
            ratios.append(with_checkpoints / without)
            times.append((with_checkpoints, without))
    ratio = statistics.median(ratios)
    note = (
        f"{dataset.name} {N_IMAGES} x 784, {EPOCHS} epochs; pairs (s): "
        + ", ".join(f"{a:.1f}/{b:.1f}" for a, b in times)
        + f"; target <= {TARGET_RATIO}"
    )
    return [("checkpoints: default run / no intermediate checkpoints (wall)", ratio, note)]


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name}: {value:.3f} ({note})")
