"""The default built-in data set: anti-aliased 28x28 outline and filled shapes.

Each shape is a signed distance function evaluated on the pixel grid for a whole batch at once;
``clip(0.5 - distance, 0, 1)`` turns the distance into a one-pixel anti-aliased edge.
"""

from __future__ import annotations

import numpy as np

from aeviewer.data.dataset import Dataset, Normalization

SIZE = 28
CLASS_NAMES: tuple[str, ...] = ("circle", "ring", "square", "triangle", "cross", "bar")

# How far each shape reaches from its centre, in units of its size parameter, whatever the
# rotation: a square's corners lie at sqrt(2), a triangle's at 2 / sqrt(3).
_REACH = {
    "circle": 1.0,
    "ring": 1.0,
    "square": np.sqrt(2.0),
    "triangle": 2 / np.sqrt(3.0),
    "cross": 1.0,
    "bar": 1.0,
}


def make_shapes(n: int, seed: int) -> Dataset:
    """``n`` images ``(1, 28, 28)`` of six shape classes, deterministic for ``seed``.

    Position, size, rotation, stroke width and brightness vary per image; the classes are
    balanced (cycled, then shuffled).
    """
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % len(CLASS_NAMES)).astype(np.int64)
    stroke = rng.uniform(1.5, 3.5, n).astype(np.float32)
    # The shape's outer radius (stroke included) is drawn first, so every class spans the same
    # range of visual sizes; the size parameter follows from the class's reach.
    reach = rng.uniform(6.5, SIZE / 2 - 2.0, n).astype(np.float32)
    factor = np.array([_REACH[c] for c in CLASS_NAMES], np.float32)[labels]
    size = (reach - stroke / 2) / factor
    angle = rng.uniform(0.0, 2 * np.pi, n).astype(np.float32)
    brightness = rng.uniform(0.7, 1.0, n).astype(np.float32)
    room = SIZE / 2 - 1.0 - reach
    centre = (SIZE - 1) / 2 + rng.uniform(-1.0, 1.0, (2, n)).astype(np.float32) * room

    images = np.empty((n, SIZE * SIZE), np.float32)
    grid = np.arange(SIZE, dtype=np.float32)
    for label, name in enumerate(CLASS_NAMES):
        idx = np.flatnonzero(labels == label)
        if idx.size == 0:
            continue
        # Local coordinates: translate to the centre, rotate by -angle.
        dx = grid[None, None, :] - centre[0, idx, None, None]
        dy = grid[None, :, None] - centre[1, idx, None, None]
        cos, sin = np.cos(angle[idx])[:, None, None], np.sin(angle[idx])[:, None, None]
        u, v = cos * dx + sin * dy, -sin * dx + cos * dy
        r, w = size[idx, None, None], stroke[idx, None, None]
        distance = _DISTANCES[name](u, v, r, w)
        coverage = np.clip(0.5 - distance, 0.0, 1.0) * brightness[idx, None, None]
        images[idx] = coverage.reshape(idx.size, -1)
    return Dataset(
        x=images,
        sample_shape=(1, SIZE, SIZE),
        name="shapes",
        source="builtin:shapes",
        labels=labels,
        class_names=CLASS_NAMES,
        normalization=Normalization("minmax", np.float32(0.0), np.float32(1.0)),
    )


def _box(u: np.ndarray, v: np.ndarray, half_u: np.ndarray, half_v: np.ndarray) -> np.ndarray:
    """Signed distance to an axis-aligned box with half-sizes ``half_u``, ``half_v``."""
    qu, qv = np.abs(u) - half_u, np.abs(v) - half_v
    outside = np.hypot(np.maximum(qu, 0.0), np.maximum(qv, 0.0))
    return outside + np.minimum(np.maximum(qu, qv), 0.0)


def _triangle(u: np.ndarray, v: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Signed distance to an equilateral triangle of side ``2 r`` centred on the origin."""
    k = np.float32(np.sqrt(3.0))
    px, py = np.abs(u) - r, v + r / k
    fold = px + k * py > 0
    px, py = np.where(fold, (px - k * py) / 2, px), np.where(fold, (-k * px - py) / 2, py)
    px = px - np.clip(px, -2 * r, 0.0)
    return -np.hypot(px, py) * np.sign(py)


def _circle(u, v, r, w):
    return np.hypot(u, v) - r


def _ring(u, v, r, w):
    return np.abs(np.hypot(u, v) - r) - w / 2


def _square(u, v, r, w):
    return np.abs(_box(u, v, r, r)) - w / 2


def _triangle_outline(u, v, r, w):
    return np.abs(_triangle(u, v, r)) - w / 2


def _cross(u, v, r, w):
    return np.minimum(_box(u, v, r, w / 2), _box(u, v, w / 2, r))


def _bar(u, v, r, w):
    return _box(u, v, r, w / 2)


_DISTANCES = {
    "circle": _circle,
    "ring": _ring,
    "square": _square,
    "triangle": _triangle_outline,
    "cross": _cross,
    "bar": _bar,
}
