"""A view box that reports clicks and left-drags in data coordinates, for selection tools."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal

#: Interaction modes: pan and zoom (click still picks a point), rectangle, lasso, live decoding.
MODES: tuple[str, ...] = ("pan", "rect", "lasso", "decode")


class SelectionViewBox(pg.ViewBox):
    """In any mode but ``"pan"`` a left drag is reported instead of panning the view.

    Signals
    -------
    clicked(QPointF)
        A left click, in data coordinates.
    dragged(QPointF, QPointF, bool)
        The drag's start and current point in data coordinates, and whether it finished.
    """

    clicked = Signal(QPointF)
    dragged = Signal(QPointF, QPointF, bool)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.mode = "pan"

    def set_mode(self, mode: str) -> None:
        """Switch the interaction mode (one of :data:`MODES`)."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose one of {MODES}")
        self.mode = mode

    def mouseClickEvent(self, ev: object) -> None:
        """Report left clicks; other buttons keep pyqtgraph's behaviour (context menu)."""
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.clicked.emit(self.mapSceneToView(ev.scenePos()))
            return
        super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev: object, axis: int | None = None) -> None:
        """Pan in pan mode; otherwise report the drag."""
        if self.mode == "pan" or ev.button() != Qt.MouseButton.LeftButton:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        start = self.mapSceneToView(ev.buttonDownScenePos())
        self.dragged.emit(start, self.mapSceneToView(ev.scenePos()), bool(ev.isFinish()))


def points_in_polygon(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Mask of ``points`` ``(N, 2)`` inside the closed ``polygon`` ``(M, 2)`` (even-odd rule)."""
    pts = np.asarray(points, np.float64)
    poly = np.asarray(polygon, np.float64)
    inside = np.zeros(pts.shape[0], bool)
    if poly.shape[0] < 3:
        return inside
    x, y = pts[:, 0], pts[:, 1]
    x0, y0 = poly[:, 0], poly[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    for ax, ay, bx, by in zip(x0, y0, x1, y1, strict=True):
        crosses = (ay > y) != (by > y)
        if not crosses.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = ax + (y - ay) * (bx - ax) / (by - ay)
        inside ^= crosses & (x < x_at)
    return inside
