"""Large scatters drawn as a few single-colour layers, with a legend.

One :class:`pyqtgraph.ScatterPlotItem` per colour (a class, a flag, an error bin) and pixel-size
symbols keep 70,000 points fast: no per-point brushes, one ``setData`` per layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

_TAB10 = (
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
)


def class_colors(n: int) -> list[QColor]:
    """Distinct colours for ``n`` classes (the tab10 palette up to ten)."""
    if n <= len(_TAB10):
        return [QColor(*c) for c in _TAB10[:n]]
    return [pg.intColor(i, hues=n) for i in range(n)]


def ramp_colors(n: int, colormap: str = "viridis") -> list[QColor]:
    """``n`` colours sampled evenly from ``colormap`` (low to high)."""
    cmap = pg.colormap.get(colormap)
    return [cmap.map(t, mode="qcolor") for t in np.linspace(0.0, 1.0, max(n, 1))]


@dataclass(frozen=True)
class Layer:
    """Points ``indices`` drawn in ``color`` and listed as ``name`` in the legend."""

    name: str
    indices: np.ndarray
    color: QColor


class ScatterLayers:
    """A pool of scatter items on ``plot``, one per layer, reused from update to update."""

    def __init__(self, plot: pg.PlotItem, size: float = 4.0) -> None:
        self.plot = plot
        self.size = size
        self.items: list[pg.ScatterPlotItem] = []
        self.legend = plot.addLegend(offset=(-10, 10), labelTextSize="8pt")
        self._legend_key: tuple[tuple[str, str], ...] = ()

    def set_layers(self, positions: np.ndarray, layers: Sequence[Layer]) -> None:
        """Draw ``positions`` ``(N, 2)`` split into ``layers``; unused items are emptied."""
        while len(self.items) < len(layers):
            item = pg.ScatterPlotItem(pxMode=True, size=self.size, pen=None, hoverable=False)
            self.plot.addItem(item)
            self.items.append(item)
        for i, item in enumerate(self.items):
            if i < len(layers):
                layer = layers[i]
                pts = positions[layer.indices]
                item.setData(
                    x=pts[:, 0],
                    y=pts[:, 1],
                    brush=pg.mkBrush(layer.color),
                    pen=None,
                    size=self.size,
                )
                item.setZValue(i)
                item.setVisible(True)
            else:
                item.setData(x=[], y=[])
                item.setVisible(False)
        self._update_legend(layers)

    def clear(self) -> None:
        """Remove every point and legend entry."""
        self.set_layers(np.zeros((0, 2), np.float32), [])

    def point_counts(self) -> list[int]:
        """How many points each visible layer holds."""
        return [len(item.data) for item in self.items if item.isVisible()]

    def _update_legend(self, layers: Sequence[Layer]) -> None:
        key = tuple((layer.name, layer.color.name()) for layer in layers)
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        if len(layers) > 1:
            for item, layer in zip(self.items, layers, strict=False):
                self.legend.addItem(item, layer.name)
