"""Legends move to the plot corner where they hide the least data."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from aeviewer.gui.widgets.legend import LEGEND_BOX, keep_clear


@pytest.fixture
def widget(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(500, 350)
    widget.show()
    widget.getPlotItem().addLegend(**LEGEND_BOX)
    return widget


def test_a_legend_leaves_the_corner_a_curve_runs_through(qtbot, widget):
    plot = widget.getPlotItem()
    placer = keep_clear(plot)
    x = np.linspace(0, 1, 200)
    # A rising curve fills the top right and the bottom left; the other two corners are clear.
    plot.plot(x, x, name="rising")
    plot.plot(x, x + 0.02, name="rising too")
    plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
    qtbot.waitUntil(lambda: placer.corner in ((0, 0), (1, 1)), timeout=3000)
    assert placer.covered(placer.corner) == 0
    assert placer.covered((1, 0)) > 0 and placer.covered((0, 1)) > 0


def test_a_legend_stays_where_nothing_is_hidden(qtbot, widget):
    plot = widget.getPlotItem()
    placer = keep_clear(plot)
    x = np.linspace(0, 1, 50)
    plot.plot(x, 0.1 * np.ones_like(x), name="low")
    plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
    qtbot.wait(300)
    placer.place()
    assert placer.corner == (1, 0)


def test_bars_count_as_data(qtbot, widget):
    plot = widget.getPlotItem()
    legend = plot.legend
    placer = keep_clear(plot)
    bars = pg.BarGraphItem(x=np.arange(10), height=np.linspace(0, 1, 10), width=0.8)
    plot.addItem(bars)
    legend.addItem(bars, "bars")
    plot.setRange(xRange=(-0.5, 9.5), yRange=(0, 1), padding=0)
    qtbot.wait(300)
    placer.place()
    assert placer.corner == (0, 0)


def test_histogram_steps_count_at_their_centres(qtbot, widget):
    plot = widget.getPlotItem()
    placer = keep_clear(plot)
    edges = np.linspace(0, 1, 21)
    plot.plot(edges, np.linspace(1, 0, 20), stepMode="center", name="falling")
    plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
    qtbot.wait(300)
    placer.place()
    assert placer.corner == (1, 0)
    assert placer.covered((0, 0)) > 0
