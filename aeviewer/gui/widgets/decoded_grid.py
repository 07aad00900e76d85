"""A square grid of samples decoded over a 2-D latent plane, laid out for a y-up plot (Qt-free
apart from the rectangle that places it)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QRectF

from aeviewer.analysis.projections import CancelCheck, ProjectionCancelled
from aeviewer.gui.widgets.image_grid import as_images

#: Decoded samples per side of the grid.
GRID_SIDE = 12


def decode_grid(
    decoder: Callable[[np.ndarray], np.ndarray],
    lo: np.ndarray,
    hi: np.ndarray,
    sample_shape: tuple[int, ...],
    cancel: CancelCheck,
    side: int = GRID_SIDE,
) -> tuple[np.ndarray, QRectF]:
    """Decode ``side`` x ``side`` points over ``[lo, hi]``; returns the mosaic and where it goes.

    The mosaic's first row is the bottom of the plane (a y-up plot draws an image's first row at
    the bottom), with every tile upright; the rectangle centres each tile on its latent point.
    """
    xs = np.linspace(lo[0], hi[0], side, dtype=np.float32)
    ys = np.linspace(hi[1], lo[1], side, dtype=np.float32)  # top row first
    grid = np.array([[x, y] for y in ys for x in xs], np.float32)
    samples = np.asarray(decoder(grid), np.float32)
    if cancel():
        raise ProjectionCancelled("the decoded grid was superseded")
    images = as_images(samples, sample_shape)
    h, w = images.shape[1:3]
    rows = images.reshape(side, side, h, w, *images.shape[3:])
    mosaic = np.concatenate([np.concatenate(list(r), axis=1) for r in rows], axis=0)
    step_x = (hi[0] - lo[0]) / max(side - 1, 1)
    step_y = (hi[1] - lo[1]) / max(side - 1, 1)
    rect = QRectF(
        float(lo[0] - step_x / 2),
        float(lo[1] - step_y / 2),
        float(step_x * side),
        float(step_y * side),
    )
    return np.ascontiguousarray(mosaic[::-1]), rect
