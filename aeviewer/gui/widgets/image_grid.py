"""Image mosaics: turn flat samples into tiles and show many of them with one ImageItem.

One :class:`pyqtgraph.ImageItem` per panel, whatever the number of tiles, keeps redraws cheap;
captions are small text items placed over the tiles, shown only while the tiles are drawn wide
enough to hold them (a caption never spills onto the next tile).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics

#: Colour map of error heat maps (dark = exact, bright = large error).
HEAT_MAP = "inferno"


def as_images(samples: np.ndarray, sample_shape: tuple[int, ...]) -> np.ndarray:
    """Flat samples ``(N, D)`` as displayable images ``(N, H, W)`` or ``(N, H, W, 3)``.

    One channel gives grey images, three give RGB; for any other channel count the channels
    are averaged.
    """
    samples = np.asarray(samples, np.float32)
    n = samples.shape[0]
    if len(sample_shape) == 3:
        c, h, w = sample_shape
        images = samples.reshape(n, c, h, w)
        if c == 1:
            return images[:, 0]
        if c == 3:
            return np.ascontiguousarray(images.transpose(0, 2, 3, 1))
        return images.mean(axis=1)
    if len(sample_shape) == 2:
        return samples.reshape(n, *sample_shape)
    raise ValueError(f"samples of shape {sample_shape} are not images")


def grid_columns(n: int, max_columns: int = 8) -> int:
    """A pleasant number of columns for ``n`` tiles: about square, at most ``max_columns``."""
    if n <= 0:
        return 1
    return max(1, min(max_columns, math.ceil(math.sqrt(n))))


def tile(images: np.ndarray, n_columns: int, pad: int = 1, fill: float = np.nan) -> np.ndarray:
    """Tile images ``(N, H, W[, 3])`` row by row into one array, ``pad`` pixels apart.

    Padding and empty cells hold ``fill`` (NaN draws as transparent).
    """
    n, h, w = images.shape[:3]
    rest = images.shape[3:]
    n_columns = max(1, min(n_columns, max(n, 1)))
    n_rows = max(1, math.ceil(n / n_columns))
    out = np.full((n_rows * (h + pad) - pad, n_columns * (w + pad) - pad, *rest), fill, np.float32)
    for i in range(n):
        r, c = divmod(i, n_columns)
        out[r * (h + pad) : r * (h + pad) + h, c * (w + pad) : c * (w + pad) + w] = images[i]
    return out


class MosaicPanel:
    """A titled view box inside a :class:`pyqtgraph.GraphicsLayout` that shows a tile mosaic.

    Parameters
    ----------
    layout
        The layout to add the title and the view box to.
    title
        The text above the panel.
    row, col
        Where in ``layout`` the panel goes (the title takes the row above ``row``).
    """

    PAD = 2

    def __init__(self, layout: pg.GraphicsLayout, title: str, row: int, col: int) -> None:
        self.label = layout.addLabel(title, row=row, col=col)
        self.view = layout.addViewBox(row=row + 1, col=col, lockAspect=True, invertY=True)
        self.view.setMouseEnabled(False, False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.view.addItem(self.image)
        self.captions: list[pg.TextItem] = []
        self.n_tiles = 0
        self.n_columns = 1
        self.tile_shape = (0, 0)
        self._font = QFont()
        self._font.setPointSize(7)
        self._texts: list[str] = []
        self.view.sigResized.connect(self._fit_captions)
        self.view.sigRangeChanged.connect(self._fit_captions)

    def set_title(self, title: str) -> None:
        """Change the text above the panel."""
        self.label.setText(title)

    def set_images(
        self,
        images: np.ndarray,
        captions: Sequence[str] | None = None,
        n_columns: int | None = None,
        levels: tuple[float, float] | None = None,
        colormap: str | None = None,
    ) -> None:
        """Show ``images`` ``(N, H, W[, 3])`` as a mosaic with optional per-tile captions."""
        images = np.asarray(images, np.float32)
        self.n_tiles = images.shape[0]
        if self.n_tiles == 0:
            self.clear()
            return
        self.n_columns = n_columns or grid_columns(self.n_tiles)
        self.tile_shape = images.shape[1:3]
        mosaic = tile(images, self.n_columns, pad=self.PAD)
        if levels is None:
            finite = images[np.isfinite(images)]
            lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
            levels = (lo, hi if hi > lo else lo + 1.0)
        self.image.setLookupTable(
            pg.colormap.get(colormap).getLookupTable(nPts=256) if colormap else None
        )
        self.image.setImage(mosaic, levels=levels, autoLevels=False)
        self.image.setVisible(True)
        self._set_captions(list(captions or []))
        self.view.autoRange(padding=0.02)

    def clear(self) -> None:
        """Show nothing."""
        self.n_tiles = 0
        self.image.clear()
        self.image.setVisible(False)
        self._set_captions([])

    def tile_at(self, x: float, y: float) -> int | None:
        """The index of the tile under image coordinates ``(x, y)``, or None."""
        h, w = self.tile_shape
        if self.n_tiles == 0 or x < 0 or y < 0:
            return None
        col, row = int(x // (w + self.PAD)), int(y // (h + self.PAD))
        index = row * self.n_columns + col
        if col >= self.n_columns or index >= self.n_tiles:
            return None
        return index

    def _set_captions(self, captions: list[str]) -> None:
        while len(self.captions) < len(captions):
            # On a dark box of its own: the caption stays legible over any tile.
            item = pg.TextItem(color=(255, 220, 90), anchor=(0, 0), fill=(0, 0, 0, 190))
            item.setFont(self._font)
            self.view.addItem(item)
            self.captions.append(item)
        self._texts = captions
        h, w = self.tile_shape
        for i, item in enumerate(self.captions):
            if i < len(captions):
                r, c = divmod(i, self.n_columns)
                item.setText(captions[i])
                item.setPos(c * (w + self.PAD), r * (h + self.PAD))
        self._fit_captions()

    def captions_fit(self) -> bool:
        """True when every caption fits inside its tile as the tiles are drawn now."""
        if not self._texts:
            return True
        size = self.view.viewPixelSize()
        if not size[0] or not size[1]:
            return False
        h, w = self.tile_shape
        tile_width, tile_height = w / size[0], h / size[1]
        metrics = QFontMetrics(self._font)
        # The text item's box adds a few pixels around the text.
        widest = max(metrics.horizontalAdvance(text) for text in self._texts) + 6
        return widest <= tile_width and metrics.height() + 4 <= tile_height / 2

    def _fit_captions(self, *_: object) -> None:
        fits = self.captions_fit()
        for i, item in enumerate(self.captions):
            item.setVisible(fits and i < len(self._texts))
