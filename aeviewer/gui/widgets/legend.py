"""Legends drawn on a box of their own, in the plot corner where they hide the least data.

No outline: a legend with no entries yet is then an invisible box, not an empty frame.
:class:`LegendPlacer` moves a legend to whichever corner of its plot covers the fewest data
points (matplotlib's ``loc="best"``), whenever the range, the size or the data change.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, QTimer

#: Keyword arguments of ``PlotItem.addLegend`` for the dark plots (the analysis views).
LEGEND_BOX: dict[str, object] = {"brush": (0, 0, 0, 200)}
#: The same for plots on a white background (the Loss view).
LIGHT_LEGEND_BOX: dict[str, object] = {"brush": (255, 255, 255, 225)}

#: Corners as (x, y) fractions of the legend and of the plot: top right first (the usual place).
CORNERS: tuple[tuple[int, int], ...] = ((1, 0), (0, 0), (1, 1), (0, 1))
#: Pixels between a legend and the edges of its plot.
MARGIN = 10
#: Points sampled along each line inside a candidate corner, so that a line crossing a corner
#: with no data point in it still counts.
LINE_SAMPLES = 48
#: Points of one item counted at most (evenly strided): the count only ranks the corners, and a
#: million-point latent cloud would otherwise cost the GUI thread 80 ms a second.
MAX_COUNTED = 20_000
#: How often the data are looked at again (they change without the range changing: ROC curves
#: on fixed axes), in milliseconds.
RECHECK_MS = 1000


class LegendPlacer(QObject):
    """Keeps ``legend`` in the corner of ``plot`` where it covers the fewest data points.

    Owned by the legend (a Qt child): it goes when the legend goes. It moves the legend only
    when another corner is strictly clearer than the current one, so a legend does not wander.
    """

    def __init__(self, plot: pg.PlotItem, legend: pg.LegendItem, margin: int = MARGIN) -> None:
        super().__init__(legend)
        self._plot = plot
        self._legend = legend
        self._margin = margin
        self.corner: tuple[int, int] = CORNERS[0]
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(100)
        self._soon.timeout.connect(self.place)
        self._recheck = QTimer(self)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self._place_if_shown)
        self._recheck.start()
        plot.vb.sigRangeChanged.connect(self.schedule)
        plot.vb.sigResized.connect(self.schedule)
        self._anchor(self.corner)

    def schedule(self, *_: object) -> None:
        """Place the legend again shortly (calls within 100 ms are merged)."""
        self._soon.start()

    def _place_if_shown(self) -> None:
        if self._legend.isVisible() and any(v.isVisible() for v in self._views()):
            self.place()

    def _views(self) -> list:
        scene = self._legend.scene()
        return [] if scene is None else list(scene.views())

    def place(self) -> None:
        """Move the legend to the clearest corner now."""
        if not self._legend.isVisible() or not self._legend.items:
            return
        scores = {corner: self.covered(corner) for corner in CORNERS}
        best = min(CORNERS, key=lambda c: (scores[c], c != self.corner))
        if scores[best] < scores[self.corner]:
            self._anchor(best)

    def covered(self, corner: tuple[int, int]) -> int:
        """How many data points (and line samples, and bars) the legend would hide in
        ``corner``."""
        area = self._corner_in_view(corner)
        if area is None:
            return 0
        x0, x1 = sorted((area.left(), area.right()))
        y0, y1 = sorted((area.top(), area.bottom()))
        total = 0
        for item in self._plot.items:
            if item is self._legend or not item.isVisible():
                continue
            if isinstance(item, pg.BarGraphItem):
                total += 10 * _bars_in(item, x0, x1, y0, y1)
            elif isinstance(item, (pg.PlotDataItem, pg.ScatterPlotItem)):
                x, y = item.getData()
                total += _points_in(x, y, x0, x1, y0, y1)
        return total

    def _corner_in_view(self, corner: tuple[int, int]) -> QRectF | None:
        vb = self._plot.vb
        box = vb.boundingRect()
        size = self._legend.boundingRect()
        if box.width() <= 0 or size.width() <= 0:
            return None
        m = self._margin
        left = box.left() + m if corner[0] == 0 else box.right() - m - size.width()
        top = box.top() + m if corner[1] == 0 else box.bottom() - m - size.height()
        pixels = QRectF(left, top, size.width(), size.height())
        return vb.mapToView(pixels).boundingRect()

    def _anchor(self, corner: tuple[int, int]) -> None:
        self.corner = corner
        m = self._margin
        offset = (-m if corner[0] else m, -m if corner[1] else m)
        self._legend.anchor(itemPos=corner, parentPos=corner, offset=offset)


def keep_clear(plot: pg.PlotItem, legend: pg.LegendItem | None = None) -> LegendPlacer:
    """Place ``legend`` (default: the plot's) where it hides the least data, from now on."""
    legend = legend if legend is not None else plot.legend
    return LegendPlacer(plot, legend)


def _points_in(x, y, x0: float, x1: float, y0: float, y1: float) -> int:
    if x is None or y is None or len(x) == 0:
        return 0
    x, y = np.asarray(x), np.asarray(y)
    if x.size == y.size + 1:
        x = 0.5 * (x[:-1] + x[1:])  # a histogram's bin edges: its steps' centres
    if x.size != y.size:
        return 0
    stride = -(-x.size // MAX_COUNTED)
    x = np.asarray(x[::stride], dtype=np.float64)
    y = np.asarray(y[::stride], dtype=np.float64)
    inside = int(np.count_nonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)))
    finite = np.isfinite(x) & np.isfinite(y)
    xs, ys = x[finite], y[finite]
    if xs.size >= 2 and np.all(np.diff(xs) >= 0) and xs[0] <= x1 and xs[-1] >= x0:
        grid = np.linspace(max(x0, xs[0]), min(x1, xs[-1]), LINE_SAMPLES)
        line = np.interp(grid, xs, ys)
        inside += int(np.count_nonzero((line >= y0) & (line <= y1)))
    return inside


def _bars_in(item: pg.BarGraphItem, x0: float, x1: float, y0: float, y1: float) -> int:
    opts = item.opts
    x = opts.get("x")
    height = opts.get("height")
    if x is None or height is None:
        return 0
    x = np.atleast_1d(np.asarray(x, dtype=np.float64))
    width = _broadcast(opts.get("width"), 0.8, x.shape)
    height = _broadcast(height, 0.0, x.shape)
    base = _broadcast(opts.get("y0"), 0.0, x.shape)
    low, high = np.minimum(base, base + height), np.maximum(base, base + height)
    overlap = (x - width / 2 < x1) & (x + width / 2 > x0) & (low < y1) & (high > y0)
    return int(np.count_nonzero(overlap))


def _broadcast(value, default: float, shape: tuple[int, ...]) -> np.ndarray:
    value = default if value is None else value
    return np.broadcast_to(np.asarray(value, dtype=np.float64), shape)
