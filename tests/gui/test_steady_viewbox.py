"""The steady automatic range: held while live data stay inside it, refitted when they leave."""

from __future__ import annotations

import pyqtgraph as pg
import pytest

from aeviewer.gui.widgets.steady_viewbox import SteadyViewBox, steady_span


def test_the_first_fit_is_exact():
    assert steady_span((0.0, 1.0), None, headroom=0.2, min_fill=0.5) == (0.0, 1.0)


def test_data_inside_a_well_filled_span_keep_it():
    assert steady_span((0.1, 0.9), (0.0, 1.0), headroom=0.2, min_fill=0.5) == (0.0, 1.0)


def test_data_leaving_the_span_get_headroom_on_that_side_only():
    lo, hi = steady_span((-1.0, 1.0), (0.0, 1.0), headroom=0.25, min_fill=0.5)
    assert (lo, hi) == pytest.approx((-1.5, 1.0))
    lo, hi = steady_span((0.0, 2.0), (0.0, 1.0), headroom=0.25, min_fill=0.5)
    assert (lo, hi) == pytest.approx((0.0, 2.5))


def test_data_filling_too_little_of_the_span_are_fitted_again():
    assert steady_span((0.4, 0.5), (0.0, 1.0), headroom=0.2, min_fill=0.5) == (0.4, 0.5)


def test_a_growing_curve_moves_the_range_only_now_and_then(qtbot):
    widget = pg.PlotWidget(viewBox=SteadyViewBox(headroom=0.2))
    qtbot.addWidget(widget)
    viewbox = widget.getPlotItem().getViewBox()
    curve = widget.plot([0.0], [1.0])
    moves: list[object] = []
    viewbox.sigRangeChanged.connect(lambda *args: moves.append(args))
    xs, ys = [0.0], [1.0]
    for n in range(1, 101):
        xs.append(float(n))
        ys.append(1.0 / (1 + n))  # a falling loss
        curve.setData(xs, ys)
        viewbox.updateAutoRange()
    assert 0 < len(moves) < 30
    (x_lo, x_hi), (y_lo, y_hi) = viewbox.viewRange()
    assert x_lo <= 0 and x_hi >= 100 and y_lo <= min(ys) and y_hi >= 1.0


def test_x_end_is_in_the_range_until_a_refit(qtbot):
    widget = pg.PlotWidget(viewBox=SteadyViewBox())
    qtbot.addWidget(widget)
    viewbox = widget.getPlotItem().getViewBox()
    widget.plot([0.0, 1.0], [1.0, 0.5])
    viewbox.refit(x_end=20.0)
    viewbox.updateAutoRange()
    assert viewbox.viewRange()[0][1] >= 20
    viewbox.refit()
    viewbox.updateAutoRange()
    assert viewbox.viewRange()[0][1] < 2
