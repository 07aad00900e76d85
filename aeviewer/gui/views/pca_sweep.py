"""Compared runs on the PCA view's "Reconstruction MSE by components" plot: the seed's story in
one picture.

PCA's curve (from the runs' recorded spectrum, one per data set) runs over the number of
components; each run is a point at its latent size and final MSE, a circle for the non-linear
autoencoders (beneath the curve when they beat PCA) and a diamond for the linear ones (on it,
as theory says). A click on a point selects its run.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt

from aeviewer.io.run_set import RunEntry

translate = QCoreApplication.translate

#: Symbols by family: linear autoencoders as diamonds, every other family as circles.
LINEAR_SYMBOL = "d"
OTHER_SYMBOL = "o"


def pca_curve(baseline: dict) -> tuple[np.ndarray, np.ndarray] | None:
    """PCA's MSE for k = 1 … D components from a run's ``baseline.json`` record."""
    from aeviewer.gui.views.pca import pca_mse_by_components

    variance = np.asarray(baseline.get("explained_variance") or [], np.float64)
    n_features = int(baseline.get("n_features") or 0)
    if variance.size == 0 or n_features <= 0:
        return None
    mse = pca_mse_by_components(variance, n_features)
    ks = np.arange(len(mse))
    keep = (ks >= 1) & (mse > 0)
    return ks[keep].astype(float), mse[keep]


def run_point(entry: RunEntry) -> tuple[float, float] | None:
    """(latent size, final model MSE) of a run, when both are known and positive."""
    if entry.summary is None or entry.latent is None:
        return None
    mse = entry.summary.figures.get("model_mse")
    if mse is None or not mse > 0:
        return None
    return float(entry.latent), float(mse)


class PcaSweepPoints:
    """Run points and PCA curves on a :class:`~aeviewer.gui.views.pca.PcaView`'s error plot.

    ``on_click(key)`` is called with the run of a clicked point.
    """

    def __init__(self, view, on_click: Callable[[str], None]) -> None:
        self.view = view
        self.plot: pg.PlotItem = view.error_plot
        self.on_click = on_click
        self.points: dict[str, pg.PlotDataItem] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.selected: str | None = None
        self.names = {
            OTHER_SYMBOL: translate("PcaView", "runs: autoencoders"),
            LINEAR_SYMBOL: translate("PcaView", "runs: linear"),
        }
        for symbol in self.names:
            # PlotDataItems, not bare scatters, so that the log y axis applies to them too. In
            # the legend only while they have points (see show_runs).
            item = self.plot.plot(pen=None, symbol=symbol, symbolSize=12)
            item.sigPointsClicked.connect(self._on_clicked)
            self.points[symbol] = item

    def show_runs(self, entries: list[RunEntry]) -> None:
        """Draw the visible runs' points and their data sets' PCA curves."""
        baselines: dict[str, dict] = {}
        groups: dict[str, list[tuple[float, float, RunEntry]]] = {
            LINEAR_SYMBOL: [],
            OTHER_SYMBOL: [],
        }
        for entry in entries:
            if entry.is_live:
                continue  # the window's own model is the view's "model (latest)" point
            if entry.summary is not None and entry.baseline:
                baselines.setdefault(entry.summary.data_id, entry.baseline)
            point = run_point(entry)
            if point is not None:
                symbol = LINEAR_SYMBOL if entry.summary.kind == "linear" else OTHER_SYMBOL
                groups[symbol].append((*point, entry))
        for symbol, items in groups.items():
            self.points[symbol].setData(
                [x for x, _, _ in items],
                [y for _, y, _ in items],
                data=[e.key for _, _, e in items],
                symbolBrush=[pg.mkBrush(e.colour) for _, _, e in items],
                symbolPen=[self._outline(e.key) for _, _, e in items],
            )
            self._list_in_legend(symbol, bool(items))
        ys = self._draw_curves(baselines, groups)
        latents = [x for items in groups.values() for x, _, _ in items]
        if latents:
            self._fit_range(max(latents), ys + [y for it in groups.values() for _, y, _ in it])

    def _list_in_legend(self, symbol: str, listed: bool) -> None:
        legend, item = self.plot.legend, self.points[symbol]
        if legend is None or (legend.getLabel(item) is not None) == listed:
            return
        if listed:
            legend.addItem(item, self.names[symbol])
        else:
            legend.removeItem(item)

    def _outline(self, key: str) -> pg.QtGui.QPen:
        if key == self.selected:
            return pg.mkPen("k", width=3)
        return pg.mkPen("w", width=1)

    def _fit_range(self, largest_latent: float, values: list[float]) -> None:
        """Show the components up to four times the largest latent (at least 50), as the view
        does, and the decades of the values seen there (the y axis is logarithmic)."""
        shown = max(50.0, 4.0 * largest_latent)
        self.plot.setXRange(0, shown, padding=0.02)
        positive = [v for v in values if v > 0]
        if positive:
            low, high = np.log10(min(positive)), np.log10(max(positive))
            self.plot.setYRange(low - 0.2, high + 0.2, padding=0)

    def _draw_curves(self, baselines: dict[str, dict], groups) -> list[float]:
        """Draw PCA's curve per data set; return its values within the range to be shown."""
        largest = max((x for items in groups.values() for x, _, _ in items), default=0.0)
        shown = max(50.0, 4.0 * largest)
        values: list[float] = []
        for key in [k for k in self.curves if k not in baselines]:
            self.plot.removeItem(self.curves.pop(key))
        for data_id, baseline in baselines.items():
            curve = pca_curve(baseline)
            if curve is None:
                continue
            values += [float(v) for v in curve[1][curve[0] <= shown]]
            item = self.curves.get(data_id)
            if item is None:
                pen = pg.mkPen((44, 160, 44), width=1.5, style=Qt.PenStyle.DashLine)
                item = self.plot.plot(pen=pen, name=f"PCA ({data_id})")
                self.curves[data_id] = item
            item.setData(*curve)
        return values

    def select(self, key: str | None, entries: list[RunEntry]) -> None:
        """Outline the point of run ``key``."""
        self.selected = key
        self.show_runs(entries)

    def _on_clicked(self, item, points, *_: object) -> None:
        if len(points):
            self.on_click(str(points[0].data()))
