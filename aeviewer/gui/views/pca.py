"""The PCA-baseline tab: the spectrum, PCA's error over the number of components, and, for
the linear family, the principal angles between the decoder's subspace and PCA's.

A linear autoencoder trained with squared error spans PCA's subspace and its error approaches
PCA's, the lower bound for any rank-k linear map; this tab lets the user watch that happen.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from aeviewer.analysis.metrics import principal_angles
from aeviewer.data.dataset import Dataset
from aeviewer.gui.views.base import View
from aeviewer.gui.widgets.legend import LEGEND_BOX, keep_clear
from aeviewer.gui.widgets.view_export import ExportButton, export_plot, export_table
from aeviewer.training.events import EpochEnd, Snapshot, Started

translate = QCoreApplication.translate

#: ``Snapshot.extras`` keys this view reads: the decoder's weight columns and PCA's axes.
DECODER_BASIS = "decoder_basis"
PCA_COMPONENTS = "pca_components"
_MODEL_COLOR = (255, 127, 14)
_PCA_COLOR = (44, 160, 44)


def pca_mse_by_components(variances: np.ndarray, n_features: int) -> np.ndarray:
    """PCA's mean squared error per feature for ``k = 0 .. len(variances)`` components.

    ``variances`` is the full spectrum (descending), so keeping ``k`` components leaves the sum
    of the variances beyond ``k``, divided by the number of features ``D``.
    """
    v = np.asarray(variances, np.float64)
    tail = np.concatenate([np.cumsum(v[::-1])[::-1], [0.0]])
    return tail / max(n_features, 1)


def model_mse(event: EpochEnd) -> tuple[float, str] | None:
    """The model's reconstruction MSE of an epoch (validation first) and the term's name."""
    for split, terms in (("val", event.val), ("train", event.train)):
        if "mse" in terms:
            return float(terms["mse"]), f"{split} mse"
    return None


class PcaView(View):
    """Explained variance, PCA's error against the model's, and principal angles over epochs."""

    title = "PCA baseline"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dataset: Dataset | None = None
        self._variances: np.ndarray | None = None
        self._latent: int | None = None
        self._n_features: int | None = None
        self._pca_val_loss: float | None = None
        self.model_history: list[tuple[int, float]] = []
        self._model_point_stale = False
        self.angle_history: list[tuple[int, np.ndarray]] = []
        self._build()

    # -- construction ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.summary = QLabel(translate("PcaView", "Start training to fit the PCA baseline."))
        self.summary.setWordWrap(True)
        self.export_button = ExportButton(self.export_plot, self.export_data, "pca")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        self.canvas = pg.GraphicsLayoutWidget()
        ci = self.canvas.ci
        self.variance_plot = ci.addPlot(
            row=0, col=0, title=translate("PcaView", "Explained variance per component")
        )
        self.variance_plot.setLabel("bottom", translate("PcaView", "component"))
        self.variance_plot.setLabel("left", translate("PcaView", "share of variance"))
        self.variance_bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=(31, 119, 180))
        self.variance_plot.addItem(self.variance_bars)
        self.cumulative_plot = ci.addPlot(
            row=0, col=1, title=translate("PcaView", "Cumulative explained variance")
        )
        self.cumulative_plot.setLabel("bottom", translate("PcaView", "components"))
        self.cumulative_curve = self.cumulative_plot.plot(pen=pg.mkPen((31, 119, 180), width=2))
        self.cumulative_plot.setYRange(0, 1.02, padding=0)
        self.error_plot = ci.addPlot(
            row=1, col=0, title=translate("PcaView", "Reconstruction MSE by components")
        )
        self.error_plot.setLabel("bottom", translate("PcaView", "components k"))
        self.error_plot.setLogMode(y=True)
        keep_clear(self.error_plot, self.error_plot.addLegend(labelTextSize="8pt", **LEGEND_BOX))
        self.pca_curve = self.error_plot.plot(pen=pg.mkPen(_PCA_COLOR, width=2), name="PCA")
        # A PlotDataItem (not a bare scatter) so that the log axis applies to the point too.
        self.model_point = self.error_plot.plot(
            pen=None,
            symbol="o",
            symbolSize=11,
            symbolBrush=_MODEL_COLOR,
            name=translate("PcaView", "model (latest)"),
        )
        self.angle_plot = ci.addPlot(
            row=1, col=1, title=translate("PcaView", "Principal angles: decoder vs PCA")
        )
        self.angle_plot.setLabel("bottom", translate("PcaView", "epoch"))
        self.angle_plot.setLabel("left", translate("PcaView", "angle (degrees)"))
        keep_clear(self.angle_plot, self.angle_plot.addLegend(labelTextSize="8pt", **LEGEND_BOX))
        self.angle_curves = {
            "largest": self.angle_plot.plot(
                pen=pg.mkPen((214, 39, 40), width=2), name=translate("PcaView", "largest")
            ),
            "mean": self.angle_plot.plot(
                pen=pg.mkPen(_MODEL_COLOR, width=2), name=translate("PcaView", "mean")
            ),
            "smallest": self.angle_plot.plot(
                pen=pg.mkPen((255, 220, 90), width=2, style=Qt.PenStyle.DashLine),
                name=translate("PcaView", "smallest"),
            ),
        }
        self.angle_hint = pg.TextItem(
            translate(
                "PcaView",
                "Principal angles appear for linear models\n(snapshots with the decoder's basis).",
            ),
            color=(160, 160, 160),
            anchor=(0.5, 0.5),
        )
        self.angle_plot.addItem(self.angle_hint)
        self.angle_hint.setPos(0.5, 45)
        self.angle_plot.setYRange(0, 90, padding=0.02)
        for plot in (self.variance_plot, self.cumulative_plot, self.error_plot, self.angle_plot):
            plot.showGrid(x=True, y=True, alpha=0.2)
        self.latent_lines = []
        for plot in (self.cumulative_plot, self.error_plot):
            line = pg.InfiniteLine(angle=90, pen=pg.mkPen(_MODEL_COLOR, style=Qt.PenStyle.DotLine))
            line.setVisible(False)
            plot.addItem(line)
            self.latent_lines.append(line)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)

    # -- View hooks ------------------------------------------------------------------------------
    def set_dataset(self, dataset: Dataset | None) -> None:
        """Keep the data set: its number of features divides PCA's residual variance."""
        self._dataset = dataset
        self.reset()

    def reset(self) -> None:
        """Forget the baseline and the model's history."""
        self._variances = None
        self._latent = None
        self._pca_val_loss = None
        self.model_history = []
        self._model_point_stale = False
        self.angle_history = []
        self.variance_bars.setOpts(x=[], height=[])
        self.cumulative_curve.setData([], [])
        self.pca_curve.setData([], [])
        self.model_point.setData([], [])
        for curve in self.angle_curves.values():
            curve.setData([], [])
        for line in self.latent_lines:
            line.setVisible(False)
        self.angle_hint.setVisible(True)
        self.summary.setText(translate("PcaView", "Start training to fit the PCA baseline."))

    def on_started(self, event: Started) -> None:
        """Draw the spectrum and PCA's error curve."""
        self.reset()
        self._latent = event.config.model.latent
        self._pca_val_loss = event.pca_val_loss
        if event.pca_explained_variance is None:
            self.summary.setText(translate("PcaView", "This run has no PCA baseline."))
            return
        variances = np.asarray(event.pca_explained_variance, np.float64)
        self._variances = variances
        ds = self._dataset
        self._n_features = ds.n_features if ds is not None else len(variances)
        ratio = variances / max(variances.sum(), 1e-30)
        components = np.arange(1, len(variances) + 1)
        self.variance_bars.setOpts(x=components, height=ratio, width=0.8)
        shown = min(len(variances), max(50, 4 * (self._latent or 1)))
        self.variance_plot.setXRange(0.5, shown + 0.5, padding=0)
        self.variance_plot.setYRange(0, float(ratio[:shown].max()) * 1.05, padding=0)
        self.cumulative_curve.setData(np.r_[0, components], np.r_[0.0, np.cumsum(ratio)])
        mse = pca_mse_by_components(variances, self._n_features)
        ks = np.arange(len(mse))
        positive = mse > 0  # a log axis cannot show an exact zero
        self.pca_curve.setData(ks[positive], mse[positive])
        for line in self.latent_lines:
            line.setPos(self._latent)
            line.setVisible(True)
        self.cumulative_plot.setXRange(0, shown, padding=0.02)
        self.error_plot.setXRange(0, shown, padding=0.02)
        visible = mse[: shown + 1][mse[: shown + 1] > 0]
        if visible.size:
            # Log axis: the range is given in decades.
            self.error_plot.setYRange(
                np.log10(visible.min()) - 0.2, np.log10(visible.max()) + 0.2, padding=0
            )
        self._summarise()

    def on_epoch(self, event: EpochEnd) -> None:
        """Place the model's latest reconstruction MSE next to PCA's curve."""
        found = model_mse(event)
        if found is None or self._latent is None:
            return
        self.model_history.append((event.epoch, found[0]))
        # In a hidden tab the point waits for the tab to be shown: every millisecond the GUI
        # thread spends while training is taken from the training threads.
        self._model_point_stale = self._in_hidden_tab()
        if not self._model_point_stale:
            self._draw_model_point()

    def _draw_model_point(self) -> None:
        self._model_point_stale = False
        mse = self.model_history[-1][1]
        self.model_point.setData([self._latent], [max(mse, 1e-30)])
        self._summarise()

    def showEvent(self, event: QShowEvent) -> None:
        """Draw the model's latest point if it arrived while the tab was hidden."""
        super().showEvent(event)
        if self._model_point_stale and self.model_history:
            self._draw_model_point()

    def on_snapshot(self, event: Snapshot) -> None:
        """Track the principal angles when the snapshot carries both bases."""
        basis = event.extras.get(DECODER_BASIS)
        components = event.extras.get(PCA_COMPONENTS)
        if basis is None or components is None:
            return
        angles = np.degrees(principal_angles(np.asarray(basis), np.asarray(components)))
        self.angle_history.append((event.epoch, angles))
        epochs = np.array([e for e, _ in self.angle_history], float)
        stats = {
            "largest": np.array([a.max() for _, a in self.angle_history]),
            "mean": np.array([a.mean() for _, a in self.angle_history]),
            "smallest": np.array([a.min() for _, a in self.angle_history]),
        }
        for name, curve in self.angle_curves.items():
            curve.setData(epochs, stats[name], symbol="o", symbolSize=5)
        self.angle_hint.setVisible(False)
        self._summarise()

    # -- text and export -------------------------------------------------------------------------
    def pca_mse_at_latent(self) -> float | None:
        """PCA's MSE with as many components as the model's latent size."""
        if self._variances is None or self._latent is None:
            return None
        mse = pca_mse_by_components(self._variances, self._n_features or len(self._variances))
        return float(mse[min(self._latent, len(mse) - 1)])

    def _summarise(self) -> None:
        parts = []
        pca = self.pca_mse_at_latent()
        if pca is not None and self._variances is not None:
            kept = self._variances[: self._latent].sum() / max(self._variances.sum(), 1e-30)
            parts.append(
                translate(
                    "PcaView", "PCA with {0} components keeps {1}% of the variance, MSE {2}"
                ).format(self._latent, f"{100 * kept:.1f}", f"{pca:.4g}")
            )
        if self.model_history:
            epoch, mse = self.model_history[-1]
            ratio = f" ({mse / pca:.2f}× PCA)" if pca else ""
            parts.append(
                translate("PcaView", "model at epoch {0}: MSE {1}").format(epoch, f"{mse:.4g}")
                + ratio
            )
        if self.angle_history:
            parts.append(
                translate("PcaView", "largest principal angle {0}°").format(
                    f"{self.angle_history[-1][1].max():.1f}"
                )
            )
        self.summary.setText(" · ".join(parts))

    def export_plot(self, path: Path) -> Path:
        """Write the four plots as PNG or SVG."""
        return export_plot(self.canvas.ci, path)

    def export_data(self, path: Path) -> Path:
        """Write the spectrum (component, variance, ratio, cumulative, PCA MSE) as CSV or NPY."""
        if self._variances is None:
            raise ValueError(f"{path}: there is no PCA spectrum to export yet")
        v = self._variances
        ratio = v / max(v.sum(), 1e-30)
        mse = pca_mse_by_components(v, self._n_features or len(v))
        return export_table(
            path,
            {
                "components": np.arange(1, len(v) + 1),
                "variance": v,
                "ratio": ratio,
                "cumulative": np.cumsum(ratio),
                "pca_mse": mse[1:],
            },
        )
