"""Low-dimensional built-ins: two moons, Swiss roll, S-curve and a ring of Gaussians.

The rolls are labelled by binning the position along the roll, so colouring a 2-D latent by
label shows at a glance whether a model unrolled the manifold or folded it.
"""

from __future__ import annotations

import numpy as np

from aeviewer.data.dataset import Dataset

ROLL_BINS = 6
RING_MODES = 8


def make_moons(n: int, seed: int) -> Dataset:
    """Two interleaved half circles in 2-D with Gaussian noise (0.1)."""
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % 2).astype(np.int64)
    t = rng.uniform(0.0, np.pi, n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    x = np.where(labels[:, None] == 0, upper, lower) + rng.normal(0.0, 0.1, (n, 2))
    return _vectors(x, "moons", labels, ("upper moon", "lower moon"), ("x", "y"))


def make_swiss_roll(n: int, seed: int) -> Dataset:
    """A Swiss roll in 3-D; labels bin the angle along the roll into six segments."""
    rng = np.random.default_rng(seed)
    t = 1.5 * np.pi * (1.0 + 2.0 * rng.uniform(0.0, 1.0, n))
    height = rng.uniform(0.0, 21.0, n)
    x = np.stack([t * np.cos(t), height, t * np.sin(t)], axis=1) + rng.normal(0.0, 0.05, (n, 3))
    labels = _bins(t, 1.5 * np.pi, 4.5 * np.pi)
    return _vectors(x, "swiss-roll", labels, _segment_names(), ("x", "y", "z"))


def make_s_curve(n: int, seed: int) -> Dataset:
    """An S-shaped sheet in 3-D; labels bin the position along the S into six segments."""
    rng = np.random.default_rng(seed)
    t = 3.0 * np.pi * (rng.uniform(0.0, 1.0, n) - 0.5)
    height = rng.uniform(0.0, 2.0, n)
    x = np.stack([np.sin(t), height, np.sign(t) * (np.cos(t) - 1.0)], axis=1)
    x += rng.normal(0.0, 0.05, (n, 3))
    labels = _bins(t, -1.5 * np.pi, 1.5 * np.pi)
    return _vectors(x, "s-curve", labels, _segment_names(), ("x", "y", "z"))


def make_ring(n: int, seed: int) -> Dataset:
    """Eight Gaussians (std 0.05) evenly spaced on a circle of radius 2; labels are the mode."""
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % RING_MODES).astype(np.int64)
    angle = 2 * np.pi * labels / RING_MODES
    x = 2.0 * np.stack([np.cos(angle), np.sin(angle)], axis=1) + rng.normal(0.0, 0.05, (n, 2))
    names = tuple(f"mode {k}" for k in range(RING_MODES))
    return _vectors(x, "ring", labels, names, ("x", "y"))


def _bins(t: np.ndarray, lo: float, hi: float) -> np.ndarray:
    edges = np.linspace(lo, hi, ROLL_BINS + 1)[1:-1]
    return np.digitize(t, edges).astype(np.int64)


def _segment_names() -> tuple[str, ...]:
    return tuple(f"segment {k + 1}" for k in range(ROLL_BINS))


def _vectors(
    x: np.ndarray,
    name: str,
    labels: np.ndarray,
    class_names: tuple[str, ...],
    feature_names: tuple[str, ...],
) -> Dataset:
    return Dataset(
        x=np.ascontiguousarray(x, np.float32),
        sample_shape=(x.shape[1],),
        name=name,
        source=f"builtin:{name}",
        labels=labels,
        class_names=class_names,
        feature_names=feature_names,
    )
