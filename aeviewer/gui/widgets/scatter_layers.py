"""Large scatters drawn as one raster image of single-colour layers, with a legend.

pyqtgraph's ScatterPlotItem styles and paints every point in Python, which costs more than a
second for 70,000 points. Here the points are splatted with numpy into an RGBA image the size of
the view (a small disc per point, layers in order, later layers on top) and shown with one
ImageItem, redrawn when the view range or size changes. An update then costs a few
milliseconds whatever the number of points; hover and selection work on the positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QColor

from aeviewer.gui.widgets.legend import LEGEND_BOX, keep_clear

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


#: Brightness of the points outside a selection.
FADE = 0.3
#: Selections up to this size get a white ring per point; larger ones fade the rest.
MAX_RINGS = 20


def disc_offsets(diameter: float) -> np.ndarray:
    """Pixel offsets ``(M, 2)`` (row, column) of a disc of ``diameter`` pixels."""
    r = max(diameter / 2.0, 0.5)
    span = np.arange(-int(np.ceil(r)), int(np.ceil(r)) + 1)
    dy, dx = np.meshgrid(span, span, indexing="ij")
    inside = dy**2 + dx**2 <= r * r + 0.25
    return np.column_stack([dy[inside], dx[inside]])


def ring_offsets(diameter: float, width: float = 1.5) -> np.ndarray:
    """Pixel offsets of a ring just outside a disc of ``diameter`` pixels."""
    outer = {tuple(o) for o in disc_offsets(diameter + 2 * width + 2)}
    inner = {tuple(o) for o in disc_offsets(diameter + 2)}
    return np.array(sorted(outer - inner), np.int64).reshape(-1, 2)


def rasterize(
    positions: np.ndarray,
    layers: Sequence[Layer],
    view: tuple[float, float, float, float],
    shape: tuple[int, int],
    diameter: float = 4.0,
    highlight: np.ndarray | None = None,
) -> np.ndarray:
    """Splat ``positions`` split into ``layers`` into an RGBA image.

    Each point marks one pixel with its layer number; a dilation with a disc (the maximum over
    shifted copies of the whole image) grows the pixels into dots, so the cost hardly depends on
    the number of points, and where dots overlap the later layer is on top.

    Parameters
    ----------
    view
        ``(x0, x1, y0, y1)``: the data range the image covers.
    shape
        ``(height, width)`` in pixels. Row 0 is ``y0`` (a y-up plot draws it at the bottom).
    highlight
        Selected rows of ``positions``, drawn on top: up to :data:`MAX_RINGS` get a white
        ring each; a larger selection fades the other points instead.
    """
    h, w = shape
    x0, x1, y0, y1 = view
    if h <= 0 or w <= 0 or x1 <= x0 or y1 <= y0:
        return np.zeros((max(h, 0), max(w, 0), 4), np.uint8)
    disc = disc_offsets(diameter)
    ring = ring_offsets(diameter)
    pad = int(max(np.abs(disc).max(), np.abs(ring).max() if ring.size else 0))
    dtype = np.uint8 if len(layers) < 255 else np.uint16

    def centres(rows: np.ndarray, values: np.ndarray) -> np.ndarray:
        """A padded image with ``values`` at the pixels of ``positions[rows]``."""
        canvas = np.zeros((h + 2 * pad, w + 2 * pad), values.dtype)
        pts = positions[rows]
        cols = np.floor((pts[:, 0] - x0) * (w / (x1 - x0))).astype(np.int64) + pad
        rws = np.floor((pts[:, 1] - y0) * (h / (y1 - y0))).astype(np.int64) + pad
        keep = (cols >= 0) & (cols < w + 2 * pad) & (rws >= 0) & (rws < h + 2 * pad)
        canvas[rws[keep], cols[keep]] = values[keep]
        return canvas

    def dilate(canvas: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        out = np.zeros((h, w), canvas.dtype)
        for dy, dx in offsets:
            np.maximum(out, canvas[pad - dy : pad - dy + h, pad - dx : pad - dx + w], out=out)
        return out

    palette = np.zeros((len(layers) + 1, 4), np.uint8)
    for i, layer in enumerate(layers, start=1):
        palette[i] = layer.color.getRgb()
    selected = highlight is not None and len(highlight) > 0
    # A few picked points get rings; a larger selection fades the rest instead.
    fade = selected and len(highlight) > MAX_RINGS
    # One 32-bit word per RGBA pixel: a take of words is several times faster than of rows.
    words = palette.view(np.uint32)[:, 0]
    if fade:
        # With a large selection the other points fade, so that the selected ones stand out.
        faded = palette.copy()
        faded[1:, :3] = (faded[1:, :3] * FADE).astype(np.uint8)
        words = faded.view(np.uint32)[:, 0]
    image = np.zeros((h, w, 4), np.uint8)
    number_of_row = np.zeros(len(positions), dtype)
    if layers:
        # Assigned in layer order, so at a shared pixel the later layer's number stays.
        rows = np.concatenate([np.asarray(layer.indices, np.int64) for layer in layers])
        numbers = np.repeat(
            np.arange(1, len(layers) + 1, dtype=dtype), [len(layer.indices) for layer in layers]
        )
        number_of_row[rows] = numbers
        labels = dilate(centres(rows, numbers), disc)
        image = np.take(words, labels).view(np.uint8).reshape(h, w, 4)
    if selected:
        chosen = np.asarray(highlight, np.int64)
        pixels = image.view(np.uint32)[..., 0]
        if len(chosen) <= MAX_RINGS and ring.size:
            rings = dilate(centres(chosen, np.ones(len(chosen), np.uint8)), ring)
            pixels[rings > 0] = np.uint32(0xFFFFFFFF)
        labels = dilate(centres(chosen, number_of_row[chosen]), disc)
        full = palette.view(np.uint32)[:, 0]
        pixels[labels > 0] = full[labels[labels > 0]]
    return image


def column_bounds(positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Minimum and maximum of each column of ``positions`` ``(N, 2)``.

    Column by column: numpy's ``min(axis=0)`` on a tall, narrow array is about ten times slower.
    """
    lo = np.array([positions[:, i].min() for i in range(positions.shape[1])])
    hi = np.array([positions[:, i].max() for i in range(positions.shape[1])])
    return lo, hi


class ScatterLayers:
    """Layers of points on ``plot``, drawn as one raster image, with legend entries."""

    def __init__(self, plot: pg.PlotItem, size: float = 5.0) -> None:
        self.plot = plot
        self.viewbox = plot.getViewBox()
        self.size = size
        self.image = pg.ImageItem(axisOrder="row-major")
        plot.addItem(self.image, ignoreBounds=True)
        self.bounds = pg.PlotCurveItem(pen=pg.mkPen(None))
        plot.addItem(self.bounds)
        self.legend = plot.addLegend(labelTextSize="8pt", **LEGEND_BOX)
        keep_clear(plot, self.legend)
        self._samples: list[pg.ScatterPlotItem] = []
        self._legend_key: tuple[tuple[str, str], ...] = ()
        self._positions = np.zeros((0, 2), np.float32)
        self._layers: list[Layer] = []
        self._highlight = np.zeros(0, np.int64)
        self._rendered: tuple[object, ...] = ()
        self._version = 0
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.render)
        self.viewbox.sigRangeChanged.connect(self._timer.start)
        self.viewbox.sigResized.connect(self._timer.start)

    def set_layers(self, positions: np.ndarray, layers: Sequence[Layer]) -> None:
        """Draw ``positions`` ``(N, 2)`` split into ``layers`` (later layers on top)."""
        self._positions = np.asarray(positions, np.float32)
        self._layers = list(layers)
        self._version += 1
        self._update_legend(self._layers)
        if self._positions.shape[0]:
            self._follow_data()
        else:
            self.bounds.setData([], [])
        if any(self.viewbox.autoRangeEnabled()):
            # Fit now rather than on the next event-loop pass, so the first raster is right.
            self.viewbox.updateAutoRange()
        self.render()

    def _follow_data(self) -> None:
        """Let the view's auto-range fit the data, but only when the data left the fitted box or
        shrank well inside it.

        The raster itself has no bounds for pyqtgraph's auto-range; an invisible two-point curve
        stands in for the data. Keeping it while the points drift a little spares redrawing the
        axes on every snapshot and keeps the picture calm while the latent space forms.
        """
        lo, hi = column_bounds(self._positions)
        box = self.bounds.getData()
        if box[0] is not None and len(box[0]) == 2:
            box_lo = np.array([box[0][0], box[1][0]])
            box_span = np.array([box[0][1] - box[0][0], box[1][1] - box[1][0]])
            inside = bool(np.all(lo >= box_lo) and np.all(hi <= box_lo + box_span))
            if inside and bool(np.all(hi - lo >= 0.6 * box_span)):
                return
        self.bounds.setData([float(lo[0]), float(hi[0])], [float(lo[1]), float(hi[1])])

    def set_highlight(self, rows: np.ndarray, render: bool = True) -> None:
        """Ring the points at ``rows`` (of the positions) in white."""
        rows = np.asarray(rows, np.int64)
        if np.array_equal(rows, self._highlight):
            return
        self._highlight = rows
        self._version += 1
        if render:
            self.render()

    @property
    def highlighted(self) -> np.ndarray:
        """The rows ringed in white."""
        return self._highlight

    def clear(self) -> None:
        """Remove every point and legend entry."""
        self.set_layers(np.zeros((0, 2), np.float32), [])

    def point_counts(self) -> list[int]:
        """How many points each layer holds."""
        return [len(layer.indices) for layer in self._layers]

    def layer_positions(self, i: int) -> np.ndarray:
        """The positions ``(n, 2)`` of layer ``i``."""
        return self._positions[self._layers[i].indices]

    @property
    def layer_names(self) -> list[str]:
        """The names of the layers, in drawing order."""
        return [layer.name for layer in self._layers]

    def render(self) -> None:
        """Rasterise the layers for the current view range and size (skipped when unchanged)."""
        self._timer.stop()
        if not self._layers:
            self.image.clear()
            self._rendered = ()
            return
        (x0, x1), (y0, y1) = self.viewbox.viewRange()
        scene = self.viewbox.scene()
        ratio = scene.views()[0].devicePixelRatioF() if scene and scene.views() else 1.0
        w = max(int(self.viewbox.width() * ratio), 1)
        h = max(int(self.viewbox.height() * ratio), 1)
        key = (self._version, x0, x1, y0, y1, w, h)
        if key == self._rendered:
            return
        self._rendered = key
        highlight = self._highlight if self._highlight.size else None
        if highlight is not None and highlight.max() >= len(self._positions):
            highlight = None
        image = rasterize(
            self._positions, self._layers, (x0, x1, y0, y1), (h, w), self.size * ratio, highlight
        )
        # uint8 RGBA without levels takes pyqtgraph's direct path to a QImage.
        self.image.setImage(image, autoLevels=False, levels=None)
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))

    def _update_legend(self, layers: Sequence[Layer]) -> None:
        key = tuple((layer.name, layer.color.name()) for layer in layers)
        if key == self._legend_key:
            return
        same_colors = [c for _, c in key] == [c for _, c in self._legend_key]
        self._legend_key = key
        if same_colors and len(self.legend.items) == len(layers):
            # Only the names changed (error bins move every snapshot): relabel in place.
            for (_, label), layer in zip(self.legend.items, layers, strict=True):
                label.setText(layer.name)
            return
        self.legend.clear()
        self._samples = []
        if len(layers) > 1:
            for layer in layers:
                # An empty scatter item only lends its symbol to the legend.
                sample = pg.ScatterPlotItem(size=8, pen=None, brush=pg.mkBrush(layer.color))
                self._samples.append(sample)
                self.legend.addItem(sample, layer.name)
