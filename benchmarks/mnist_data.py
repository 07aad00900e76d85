"""The shared MNIST test set for the benchmarks, read one way (``../shared/datasets``).

Without the shared folder the benchmarks that only time training run on random images of the
same shape instead, and say so through the data set's name; :func:`mnist_or_none` is for those
that need the real digits (their labels).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from aeviewer.data.dataset import Dataset

#: Where the shared data sets live: beside the checkout.
SHARED_DATASETS = Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets"
#: The MNIST test set (IDX, gzipped: images and labels).
MNIST_T10K = SHARED_DATASETS / "mnist-t10k"


def mnist_or_none() -> Dataset | None:
    """The 10,000 MNIST test images as loaded by the app (pixel/255, labels, ``(1, 28, 28)``),
    or None without the shared folder."""
    from aeviewer.data import load_source

    if not any(MNIST_T10K.glob("t10k-images*")):
        return None
    return load_source(str(MNIST_T10K))


def mnist_images(n: int | None = None, *, flat: bool = False) -> Dataset:
    """The first ``n`` (default all) MNIST test images as float32 in [0, 1], without labels:
    ``(1, 28, 28)`` samples, or ``(784,)`` vectors with ``flat``. Random images of the same
    shape (named ``random``) without the shared folder."""
    shape = (784,) if flat else (1, 28, 28)
    loaded = mnist_or_none()
    if loaded is None:
        x = np.random.default_rng(0).random((n or 10_000, 784), dtype=np.float32)
        return Dataset(x=x, sample_shape=shape, name="random", source="bench:random")
    x = np.ascontiguousarray(loaded.x[:n], dtype=np.float32)
    return Dataset(x=x, sample_shape=shape, name="mnist", source="bench:mnist")
