"""The one-class table of MNIST with the default autoencoder: each digit in turn as the normal one.

For each digit, the default ``ae`` with 16 latents (no other setting: the step budget, schedule
and early stopping decide the training) learns that digit's training split of the shared MNIST
test set (80/20), and the ROC AUC of its reconstruction error over every held-out image (the
other digits are the anomalies) is set against PCA's with 16 components and the published
one-class Deep SVDD figure (Ruff et al., ICML 2018, Table 1). The same table as
``aeviewer benchmark oneclass --data ../shared/datasets/mnist-t10k --models ae --latent 16``.
Target (issue 13): the mean over the ten digits at least 0.95 and above PCA's.

Run with ``python benchmarks/run.py oneclass`` (ten trainings: many minutes on a CPU).
``AEVIEWER_BENCH_DEVICE`` picks the device (default ``cpu``); ``AEVIEWER_BENCH_CLASSES`` (e.g.
``0,2,5``) measures only those digits. The views' snapshots are skipped (they change nothing
of the training).
"""

from __future__ import annotations

import os

from aeviewer.analysis.published import CITATION
from aeviewer.training.oneclass import one_class_table
from benchmarks.mnist_data import mnist_or_none

LATENT = 16
TARGET_MEAN = 0.95

Row = tuple[str, float, str]


def run() -> list[Row]:
    """Measure the table and return a row per digit, then the means."""
    data = mnist_or_none()
    if data is None:
        raise RuntimeError("the shared MNIST test set is absent (../shared/datasets/mnist-t10k)")
    chosen = os.environ.get("AEVIEWER_BENCH_CLASSES")
    classes = [int(c) for c in chosen.split(",")] if chosen else None
    options = {
        "device": os.environ.get("AEVIEWER_BENCH_DEVICE", "cpu"),
        "snapshot_every": 100_000,
    }
    table = one_class_table(data, ("ae",), latent=LATENT, classes=classes, train_options=options)
    rows: list[Row] = []
    for cls in table.classes:
        svdd = table.value("deep_svdd", cls)
        rows.append(
            (
                f"digit {cls} ae ROC AUC",
                float(table.value("ae", cls)),
                f"PCA {table.value('pca', cls):.3f}, Deep SVDD {svdd:.3f}",
            )
        )
    mean, pca = table.mean("ae"), table.mean("pca")
    met = mean >= TARGET_MEAN and mean > pca
    rows.append(
        (
            f"mean ae ROC AUC ({len(table.classes)} digits)",
            mean,
            f"PCA {pca:.3f}, Deep SVDD {table.mean('deep_svdd'):.3f}; target >= {TARGET_MEAN} "
            f"and above PCA ({'met' if met else 'not met'}); published: {CITATION}",
        )
    )
    return rows


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name:40s} {value:8.4f}  {note}")
