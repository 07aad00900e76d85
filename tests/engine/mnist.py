"""A reader of the shared MNIST test set for the engine's tests (IDX, gzipped)."""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

import numpy as np

from aeviewer.data.dataset import Dataset, Normalization

MNIST_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets" / "mnist-t10k"
IMAGES = MNIST_DIR / "t10k-images-idx3-ubyte.gz"
LABELS = MNIST_DIR / "t10k-labels-idx1-ubyte.gz"


def mnist_available() -> bool:
    """True when the shared MNIST files are present."""
    return IMAGES.exists() and LABELS.exists()


@lru_cache(maxsize=1)
def load_mnist() -> Dataset:
    """The 10000 MNIST test images as pixel/255 in [0, 1], with labels."""
    with gzip.open(IMAGES, "rb") as handle:
        raw = np.frombuffer(handle.read(), np.uint8, offset=16)
    with gzip.open(LABELS, "rb") as handle:
        labels = np.frombuffer(handle.read(), np.uint8, offset=8).astype(np.int64)
    x = (raw.reshape(-1, 784).astype(np.float32)) / 255.0
    x.flags.writeable = False
    return Dataset(
        x=x,
        sample_shape=(1, 28, 28),
        name="mnist-t10k",
        source=str(MNIST_DIR.name),
        labels=labels,
        class_names=tuple(str(i) for i in range(10)),
        normalization=Normalization("minmax", np.float32(0.0), np.float32(255.0)),
    )
