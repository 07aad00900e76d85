"""A small preview of a data set: a strip of thumbnails for images, a plot for vectors."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from aeviewer.data.dataset import Dataset

#: How many thumbnails the strip shows.
N_THUMBNAILS = 12
#: How many points the scatter preview draws at most.
N_POINTS = 1500


def preview_indices(dataset: Dataset, n: int) -> np.ndarray:
    """Up to ``n`` sample indices, one per class in turn when labelled, so every class shows."""
    if dataset.labels is None:
        return np.arange(min(n, dataset.n_samples))
    picked: list[int] = []
    per_class = [np.flatnonzero(dataset.labels == c) for c in range(dataset.n_classes)]
    depth = 0
    while len(picked) < min(n, dataset.n_samples):
        added = False
        for members in per_class:
            if depth < members.size and len(picked) < n:
                picked.append(int(members[depth]))
                added = True
        if not added:
            break
        depth += 1
    return np.asarray(picked)


def mosaic(images: np.ndarray, columns: int, gap: int = 2) -> np.ndarray:
    """Tile images ``(N, C, H, W)`` in rows of ``columns`` into one uint8 array.

    The result is ``(H', W')`` for grayscale and ``(H', W', 3)`` for colour images. Each image
    is stretched to its own min..max so that faint samples stay visible.
    """
    n, c, h, w = images.shape
    lo = images.reshape(n, -1).min(axis=1)[:, None, None, None]
    hi = images.reshape(n, -1).max(axis=1)[:, None, None, None]
    scaled = (images - lo) / np.where(hi > lo, hi - lo, 1.0)
    tiles = np.clip(scaled * 255.0, 0, 255).astype(np.uint8)
    channels = 3 if c >= 3 else 1
    columns = max(1, min(columns, n))
    rows = -(-n // columns)
    out = np.full((rows * (h + gap) - gap, columns * (w + gap) - gap, channels), 255, np.uint8)
    for i in range(n):
        tile = tiles[i, :3] if channels == 3 else tiles[i, :1]
        top, left = (i // columns) * (h + gap), (i % columns) * (w + gap)
        out[top : top + h, left : left + w] = np.moveaxis(tile, 0, -1)
    return out[..., 0] if channels == 1 else out


def to_pixmap(array: np.ndarray, scale: float) -> QPixmap:
    """A uint8 grayscale ``(H, W)`` or RGB ``(H, W, 3)`` array as a pixmap, scaled up."""
    data = np.ascontiguousarray(array)
    h, w = data.shape[:2]
    if data.ndim == 2:
        image = QImage(data.data, w, h, data.strides[0], QImage.Format.Format_Grayscale8)
    else:
        image = QImage(data.data, w, h, data.strides[0], QImage.Format.Format_RGB888)
    # copy(): the QImage must not outlive the numpy buffer it points into.
    image = image.copy()
    return QPixmap.fromImage(image).scaled(
        w * scale,
        h * scale,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )


class SamplePreview(QWidget):
    """Shows a few samples of the current data set: thumbnails or a small plot.

    The plot (pyqtgraph) is made the first time vector data arrives, so that the window can
    show before pyqtgraph is imported.
    """

    #: Width the thumbnails are fitted to, in pixels.
    STRIP_WIDTH = 290
    #: Thumbnails per row.
    COLUMNS = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strip = QLabel()
        self.strip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.plot = None
        self.scatter = None
        self.lines: list = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.strip)

    def currentWidget(self) -> QWidget:
        """The widget showing now: the thumbnail strip or the plot."""
        if self.plot is not None and self.plot.isVisibleTo(self):
            return self.plot
        return self.strip

    def set_dataset(self, dataset: Dataset | None) -> None:
        """Show ``dataset`` (``None`` clears the preview)."""
        self.strip.clear()
        if dataset is not None and not dataset.is_image:
            self._plot_vectors(dataset)
            self.strip.hide()
            self.plot.show()
            return
        if self.plot is not None:
            self.plot.hide()
        self.strip.show()
        if dataset is not None:
            images = dataset.images(preview_indices(dataset, N_THUMBNAILS))
            tiles = mosaic(images, self.COLUMNS)
            scale = min(3.0, self.STRIP_WIDTH / tiles.shape[1])
            self.strip.setPixmap(to_pixmap(tiles, max(scale, 0.25)))

    def _make_plot(self) -> None:
        import pyqtgraph as pg

        self.plot = pg.PlotWidget(background="w")
        self.plot.setFixedHeight(170)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.scatter = pg.ScatterPlotItem(size=3, pen=None)
        self.plot.addItem(self.scatter)
        self._layout.addWidget(self.plot)

    def _plot_vectors(self, dataset: Dataset) -> None:
        import pyqtgraph as pg

        if self.plot is None:
            self._make_plot()
        for line in self.lines:
            self.plot.removeItem(line)
        self.lines.clear()
        self.scatter.clear()
        if dataset.n_features in (2, 3):
            rng = np.random.default_rng(0)
            idx = np.sort(
                rng.choice(dataset.n_samples, min(N_POINTS, dataset.n_samples), replace=False)
            )
            xy = dataset.x[idx, :2]
            labels = dataset.labels[idx] if dataset.labels is not None else np.zeros(idx.size, int)
            colours = [pg.intColor(int(k), hues=max(dataset.n_classes, 1)) for k in labels]
            self.scatter.setData(x=xy[:, 0], y=xy[:, 1], brush=colours)
        else:
            for k, i in enumerate(preview_indices(dataset, 4)):
                line = self.plot.plot(dataset.x[i], pen=pg.mkPen(pg.intColor(k, hues=4), width=1))
                self.lines.append(line)
        self.plot.autoRange()
