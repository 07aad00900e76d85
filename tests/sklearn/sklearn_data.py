"""Small data sets and fast estimator settings for the aeviewer.sklearn tests."""

from __future__ import annotations

import numpy as np

#: Settings that keep a fit well under a second (the engine's defaults stay the defaults).
FAST: dict[str, object] = {"latent": 2, "hidden": (16,), "epochs": 2, "batch_size": 32}


def vectors(n: int = 200, d: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Float64 vectors near a 2-D subspace in three classes, and the class labels."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 3
    codes = rng.normal(size=(n, 2)) + labels[:, None]
    x = codes @ rng.normal(size=(2, d)) + 0.05 * rng.normal(size=(n, d))
    return x, labels


def images(n: int = 60, shape: tuple[int, ...] = (9, 11), seed: int = 0) -> np.ndarray:
    """Float32 images in [0, 1] of an odd size, ``(n, *shape)``."""
    return np.random.default_rng(seed).random((n, *shape), dtype=np.float32)
