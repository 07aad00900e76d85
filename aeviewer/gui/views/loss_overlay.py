"""Other runs' curves over the Loss view: one curve per visible run in the run's colour, and
PCA's validation MSE of each latent size as a dotted line.

Each run draws its validation loss (its training loss without a validation split) against the
Loss view's x axis (epochs, steps or training seconds), with the view's smoothing and log
scale; the window's own run is the view's own curves. Plot items are made once per run and
updated with ``setData``; the overlay's curves are not antialiased (20 antialiased curves cost
a repaint about 40 ms, see ``benchmarks/bench_overlay.py``).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from aeviewer.gui.views.loss_history import ema, epoch_positions
from aeviewer.io.run_set import RunEntry

PCA_COLOUR = "#555555"


def run_series(entry: RunEntry, axis: str) -> tuple[np.ndarray, np.ndarray]:
    """The x and y values of a run's overlay curve."""
    epochs = entry.epochs
    split = "val" if epochs and "loss" in epochs[-1].val else "train"
    x = np.asarray(epoch_positions(epochs, axis), float)
    y = np.asarray(
        [e.val.get("loss", np.nan) if split == "val" else e.train["loss"] for e in epochs]
    )
    return x, np.asarray(y, float)


class LossOverlay:
    """The compared runs' curves on a :class:`~aeviewer.gui.views.loss.LossView`."""

    def __init__(self, view) -> None:
        self.view = view
        self.plot: pg.PlotItem = view.plot
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.pca_lines: dict[int, pg.InfiniteLine] = {}
        self.entries: list[RunEntry] = []
        self.selected: str | None = None
        view.x_axis.currentIndexChanged.connect(self.redraw)
        view.smoothing.valueChanged.connect(self.redraw)
        view.log_scale.toggled.connect(self.redraw)

    def show_runs(self, entries: list[RunEntry]) -> None:
        """Draw ``entries`` (the visible runs besides the window's own) and nothing else."""
        self.entries = [e for e in entries if not e.is_live]
        self.redraw()

    def select(self, key: str | None) -> None:
        """Draw run ``key`` thicker."""
        self.selected = key
        for k, curve in self.curves.items():
            curve.setPen(self._pen(k))

    def _pen(self, key: str) -> pg.QtGui.QPen:
        entry = next((e for e in self.entries if e.key == key), None)
        colour = entry.colour if entry is not None else "#999999"
        return pg.mkPen(colour, width=3.0 if key == self.selected else 1.6)

    def redraw(self, *_: object) -> None:
        """Update every curve and line from the entries and the view's settings."""
        axis, alpha = self.view.axis, self.view.alpha
        keys = {e.key for e in self.entries}
        for key in [k for k in self.curves if k not in keys]:
            curve = self.curves.pop(key)
            self.plot.removeItem(curve)
            self.view.legend.removeItem(curve)
        for entry in self.entries:
            curve = self.curves.get(entry.key)
            if curve is None:
                curve = self.plot.plot([], [], name=entry.name, antialias=False)
                curve.setSkipFiniteCheck(False)
                self.curves[entry.key] = curve
                curve.setPen(self._pen(entry.key))
            x, y = run_series(entry, axis)
            curve.setData(x, ema(y, alpha))
        self._draw_pca_lines()
        # Fit the range and move the view now: left to the paint, they change the scene while
        # it is painted, and it is painted twice (as the Loss view's own flush does).
        viewbox = self.plot.getViewBox()
        viewbox.updateAutoRange()
        viewbox.updateMatrix()

    def _draw_pca_lines(self) -> None:
        by_latent: dict[int, float] = {}
        for entry in self.entries:
            pca, latent = entry.pca_mse, entry.latent
            if pca is not None and latent is not None and math.isfinite(pca) and pca > 0:
                by_latent.setdefault(latent, pca)
        for latent in [k for k in self.pca_lines if k not in by_latent]:
            self.plot.removeItem(self.pca_lines.pop(latent))
        log = self.view.log_scale.isChecked()
        for index, (latent, value) in enumerate(sorted(by_latent.items())):
            line = self.pca_lines.get(latent)
            if line is None:
                line = pg.InfiniteLine(
                    angle=0,
                    movable=False,
                    pen=pg.mkPen(PCA_COLOUR, width=1, style=Qt.PenStyle.DotLine),
                    label=f"PCA k={latent}",
                    labelOpts={"color": PCA_COLOUR, "anchors": [(1, 1), (1, 1)]},
                )
                # In the view's bounds: the range takes in every PCA reference.
                self.plot.addItem(line)
                self.pca_lines[latent] = line
            # Labels side by side, so that close lines keep readable labels.
            line.label.setPosition(0.97 - 0.1 * (index % 8))
            line.setPos(math.log10(value) if log else value)
