"""A view box whose automatic range moves in steps, not with every new point of a live curve."""

from __future__ import annotations

import math

import pyqtgraph as pg

Span = tuple[float, float]

#: How far, as a fraction of a held span's width, data may lie outside it and still keep it.
TOLERANCE = 0.01


def steady_span(data: Span, held: Span | None, headroom: float, min_fill: float) -> Span:
    """The span to show for data spanning ``data`` when ``held`` is shown now.

    ``held`` stays while it contains the data (give or take :data:`TOLERANCE` of its width:
    pyqtgraph pads a curve's bounds by its pen width in pixels, which moves with the scale) and
    the data fill at least ``min_fill`` of it. Otherwise the span is fitted again, with
    ``headroom`` (a fraction of the data's span) to spare on each side where the data left
    ``held``, so that a curve that keeps growing that way needs a new span only now and then.
    """
    lo, hi = data
    if held is None:
        return data
    held_lo, held_hi = held
    slack = TOLERANCE * (held_hi - held_lo)
    inside = held_lo - slack <= lo and hi <= held_hi + slack
    if inside and (hi - lo) >= min_fill * (held_hi - held_lo):
        return held
    extra = headroom * (hi - lo)
    return (lo - extra if lo < held_lo else lo, hi + extra if hi > held_hi else hi)


class SteadyViewBox(pg.ViewBox):
    """pyqtgraph's automatic range, held steady while live data stay inside it.

    pyqtgraph fits the automatic range to the data exactly, so each point added to a growing
    curve moves the range, and each move makes both axes lay out their ticks again and clipped
    curves clip again: milliseconds per redraw that, while training, the training threads wait
    for. Here the range only changes when the data leave it (see :func:`steady_span`), and
    ``x_end``, where the data are known to be heading (the planned end of a run), is in the x
    range from the start. :meth:`refit` goes back to an exact fit.

    Parameters
    ----------
    headroom
        Room added beyond the data, as a fraction of their span, where they left the range.
    min_fill
        The smallest fraction of the range the data may fill before it is fitted again.
    """

    def __init__(self, headroom: float = 0.15, min_fill: float = 0.5, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.headroom = headroom
        self.min_fill = min_fill
        self.x_end: float | None = None
        self._held: list[Span | None] = [None, None]
        self._auto_fitting = False

    def refit(self, x_end: float | None = None) -> None:
        """Forget the held range (and set ``x_end``): the next automatic fit is exact."""
        self.x_end = x_end
        self._held = [None, None]
        self.queueUpdateAutoRange()

    def updateAutoRange(self) -> None:
        """pyqtgraph's automatic fit, over the steady bounds of :meth:`childrenBounds`."""
        self._auto_fitting = True
        try:
            super().updateAutoRange()
        finally:
            self._auto_fitting = False

    def childrenBounds(self, frac=None, orthoRange=(None, None), items=None):
        """The items' bounds; during an automatic fit, held steady as the class describes."""
        bounds = super().childrenBounds(frac=frac, orthoRange=orthoRange, items=items)
        if not self._auto_fitting or items is not None or any(r is not None for r in orthoRange):
            return bounds
        x_span = bounds[0]
        if x_span is not None and self.x_end is not None:
            bounds[0] = [x_span[0], max(x_span[1], self.x_end)]
        for axis in (0, 1):
            if bounds[axis] is not None and all(map(math.isfinite, bounds[axis])):
                data = (float(bounds[axis][0]), float(bounds[axis][1]))
                span = steady_span(data, self._held[axis], self.headroom, self.min_fill)
                self._held[axis] = span
                bounds[axis] = list(span)
        return bounds
