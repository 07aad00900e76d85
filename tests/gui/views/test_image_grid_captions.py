"""Tile captions show only while the tiles are drawn wide enough to hold them."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from aeviewer.gui.widgets.image_grid import MosaicPanel


def test_captions_hide_when_tiles_are_too_small_and_return_when_large(qtbot):
    canvas = pg.GraphicsLayoutWidget()
    qtbot.addWidget(canvas)
    panel = MosaicPanel(canvas.ci, "tiles", 0, 0)
    canvas.resize(900, 900)
    canvas.show()
    qtbot.waitExposed(canvas)
    images = np.random.default_rng(0).random((16, 28, 28), dtype=np.float32)
    panel.set_images(images, captions=[f"MSE {0.01 * i:.4f}" for i in range(16)])
    qtbot.waitUntil(lambda: all(c.isVisible() for c in panel.captions), timeout=3000)
    assert panel.captions_fit()
    canvas.resize(160, 160)
    qtbot.waitUntil(lambda: not any(c.isVisible() for c in panel.captions), timeout=3000)
    assert not panel.captions_fit()
    canvas.resize(900, 900)
    qtbot.waitUntil(lambda: all(c.isVisible() for c in panel.captions), timeout=3000)
