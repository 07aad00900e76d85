"""A reader of the shared MNIST test set for the engine's tests (IDX, gzipped)."""

from __future__ import annotations

import gzip
from functools import lru_cache

import numpy as np
from shared_data import MNIST_T10K, MNIST_T10K_IMAGES, MNIST_T10K_LABELS

from aeviewer.data.dataset import Dataset, Normalization


@lru_cache(maxsize=1)
def load_mnist() -> Dataset:
    """The 10000 MNIST test images as pixel/255 in [0, 1], with labels."""
    with gzip.open(MNIST_T10K_IMAGES, "rb") as handle:
        raw = np.frombuffer(handle.read(), np.uint8, offset=16)
    with gzip.open(MNIST_T10K_LABELS, "rb") as handle:
        labels = np.frombuffer(handle.read(), np.uint8, offset=8).astype(np.int64)
    x = (raw.reshape(-1, 784).astype(np.float32)) / 255.0
    x.flags.writeable = False
    return Dataset(
        x=x,
        sample_shape=(1, 28, 28),
        name="mnist-t10k",
        source=str(MNIST_T10K.name),
        labels=labels,
        class_names=tuple(str(i) for i in range(10)),
        normalization=Normalization("minmax", np.float32(0.0), np.float32(255.0)),
    )
