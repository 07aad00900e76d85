"""The reconstructions tab: fixed samples next to the autoencoder's and PCA's reconstructions.

Images: the originals (and, for denoising runs, the noisy inputs), the autoencoder's output, PCA's
output with as many components, and the absolute error of both as heat maps, each tile captioned
with its mean squared error. Vectors: input and both reconstructions overlaid per feature. A VAE's
snapshots also carry samples decoded from fixed draws of its prior N(0, I): they get a panel (or
a plot) of their own, so one sees the model generate as well as reconstruct.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from aeviewer.data.dataset import Dataset
from aeviewer.gui.views.base import View
from aeviewer.gui.widgets.image_grid import HEAT_MAP, MosaicPanel, as_images
from aeviewer.gui.widgets.legend import LEGEND_BOX, keep_clear
from aeviewer.gui.widgets.scatter_layers import class_colors
from aeviewer.gui.widgets.view_export import ExportButton, export_plot, export_table
from aeviewer.training.events import Snapshot, Started

translate = QCoreApplication.translate

#: Vector data: how many samples get a line plot.
N_VECTOR_PLOTS = 4
_PENS = {
    "input": pg.mkPen((230, 230, 230), width=2),
    "autoencoder": pg.mkPen((255, 127, 14), width=2),
    "pca": pg.mkPen((44, 160, 44), width=1.5, style=Qt.PenStyle.DashLine),
}


def sample_mse(reference: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Mean squared error per sample between two stacks of samples of any shape."""
    n = reference.shape[0]
    diff = np.asarray(reference, np.float64).reshape(n, -1) - np.asarray(other, np.float64).reshape(
        n, -1
    )
    return (diff**2).mean(axis=1)


#: The titles of the image columns and rows, translated when shown.
_PANEL_TITLES = {
    "input": QT_TRANSLATE_NOOP("ReconstructionsView", "input"),
    "clean input": QT_TRANSLATE_NOOP("ReconstructionsView", "clean input"),
    "noisy": QT_TRANSLATE_NOOP("ReconstructionsView", "noisy"),
    "noisy input": QT_TRANSLATE_NOOP("ReconstructionsView", "noisy input"),
    "autoencoder": QT_TRANSLATE_NOOP("ReconstructionsView", "autoencoder"),
    "denoised": QT_TRANSLATE_NOOP("ReconstructionsView", "denoised"),
    "pca": QT_TRANSLATE_NOOP("ReconstructionsView", "pca"),
    "prior": QT_TRANSLATE_NOOP("ReconstructionsView", "prior"),
    "autoencoder error": QT_TRANSLATE_NOOP("ReconstructionsView", "autoencoder error"),
    "pca error": QT_TRANSLATE_NOOP("ReconstructionsView", "pca error"),
}


def _panel_title(name: str) -> str:
    return translate("ReconstructionsView", _PANEL_TITLES.get(name, name))


class ReconstructionsView(View):
    """Originals, autoencoder and PCA reconstructions, and their errors, for the fixed samples."""

    title = "Reconstructions"

    draws_latest_snapshot_only = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dataset: Dataset | None = None
        self._latent: int | None = None
        self._kind = ""
        self._snapshot: Snapshot | None = None
        self.panels: dict[str, MosaicPanel] = {}
        self.mse_plot: pg.PlotItem | None = None
        self.mse_bars: dict[str, pg.BarGraphItem] = {}
        self.vector_plots: list[pg.PlotItem] = []
        self.vector_curves: list[dict[str, pg.PlotDataItem]] = []
        self.prior_plot: pg.PlotItem | None = None
        self.prior_curves: list[pg.PlotDataItem] = []
        self.summary = QLabel(
            translate(
                "ReconstructionsView", "No snapshot yet: start training to see reconstructions."
            )
        )
        self.export_button = ExportButton(self.export_plot, self.export_data, "reconstructions")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        self.canvas = pg.GraphicsLayoutWidget()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)

    # -- View hooks ------------------------------------------------------------------------------
    def set_dataset(self, dataset: Dataset | None) -> None:
        """Remember the data set (its sample shape decides between images and vectors)."""
        self._dataset = dataset
        self.reset()

    def reset(self) -> None:
        """Clear every panel."""
        self._snapshot = None
        self._kind = ""
        self.panels = {}
        self.vector_plots = []
        self.vector_curves = []
        self.prior_plot = None
        self.prior_curves = []
        self.canvas.clear()
        self.summary.setText(
            translate(
                "ReconstructionsView", "No snapshot yet: start training to see reconstructions."
            )
        )

    def on_started(self, event: Started) -> None:
        """Note the latent size: PCA's panel is labelled with its number of components."""
        self._latent = event.config.model.latent

    def on_snapshot(self, event: Snapshot) -> None:
        """Draw the fixed samples of the snapshot."""
        if event.originals is None or event.reconstructions is None:
            return
        self._snapshot = event
        originals = np.asarray(event.originals, np.float32)
        shape = tuple(originals.shape[1:])
        is_image = len(shape) == 3 and not (shape[1] == 1 and shape[2] == 1)
        denoising = event.noisy is not None
        kind = ("denoise" if denoising else "image") if is_image else "vector"
        prior = event.extras.get("prior_samples")
        if prior is not None:
            kind += "+prior"
        if kind != self._kind:
            self._build(kind, min(len(originals), N_VECTOR_PLOTS))
        if kind.startswith("vector"):
            self._draw_vectors(event)
        else:
            self._draw_images(event)
        if prior is not None:
            self._draw_prior(np.asarray(prior, np.float32), is_image, _levels(originals))

    # -- drawing ---------------------------------------------------------------------------------
    def _build(self, kind: str, n_plots: int) -> None:
        self.canvas.clear()
        self.panels = {}
        self.vector_plots = []
        self.vector_curves = []
        self.prior_plot = None
        self.prior_curves = []
        self._kind = kind
        layout = self.canvas.ci
        if kind.startswith("vector"):
            for i in range(n_plots):
                plot = layout.addPlot(row=i, col=0)
                plot.showGrid(x=True, y=True, alpha=0.2)
                if i == 0:
                    keep_clear(plot, plot.addLegend(labelTextSize="8pt", **LEGEND_BOX))
                curves = {
                    name: plot.plot(pen=pen, name=name, symbol="o", symbolSize=4, symbolPen=None)
                    for name, pen in _PENS.items()
                }
                self.vector_plots.append(plot)
                self.vector_curves.append(curves)
            if kind.endswith("+prior"):
                self.prior_plot = layout.addPlot(row=n_plots, col=0)
                self.prior_plot.showGrid(x=True, y=True, alpha=0.2)
                self.prior_curves = [
                    self.prior_plot.plot(
                        pen=pg.mkPen(colour, width=1.5),
                        symbol="o",
                        symbolSize=4,
                        symbolPen=None,
                        symbolBrush=colour,
                    )
                    for colour in class_colors(N_VECTOR_PLOTS)
                ]
            (self.prior_plot or self.vector_plots[-1]).setLabel(
                "bottom", translate("ReconstructionsView", "feature")
            )
            return
        columns = ["input", "autoencoder", "pca"]
        if kind.startswith("denoise"):
            columns = ["input", "noisy", "autoencoder", "pca"]
        if kind.endswith("+prior"):
            columns.append("prior")
        for col, name in enumerate(columns):
            self.panels[name] = MosaicPanel(layout, _panel_title(name), 0, col)
        for name in ("autoencoder", "pca"):
            col = columns.index(name)
            self.panels[f"{name} error"] = MosaicPanel(
                layout, _panel_title(f"{name} error"), 2, col
            )
        span = columns.index("autoencoder")
        layout.addLabel(
            translate("ReconstructionsView", "MSE per sample"), row=2, col=0, colspan=span
        )
        self.mse_plot = layout.addPlot(row=3, col=0, colspan=span)
        # Equal heights for the image rows, whatever size the bar chart would like.
        self.mse_plot.setPreferredHeight(50)
        layout.layout.setRowStretchFactor(1, 1)
        layout.layout.setRowStretchFactor(3, 1)
        self.mse_plot.setLabel("bottom", translate("ReconstructionsView", "sample"))
        keep_clear(self.mse_plot, self.mse_plot.addLegend(labelTextSize="8pt", **LEGEND_BOX))
        self.mse_bars = {
            "autoencoder": pg.BarGraphItem(
                x=[], height=[], width=0.4, brush=_PENS["autoencoder"].color()
            ),
            "pca": pg.BarGraphItem(x=[], height=[], width=0.4, brush=_PENS["pca"].color()),
        }
        for name, bars in self.mse_bars.items():
            self.mse_plot.addItem(bars)
            self.mse_plot.legend.addItem(
                bars, _panel_title(name) if name == "autoencoder" else "PCA"
            )

    def _draw_images(self, event: Snapshot) -> None:
        originals = np.asarray(event.originals, np.float32)
        shape = tuple(originals.shape[1:])
        recon = np.asarray(event.reconstructions, np.float32)
        pca = None if event.pca_reconstructions is None else np.asarray(event.pca_reconstructions)
        levels = _levels(originals)
        ae_mse = sample_mse(originals, recon)
        self.panels["input"].set_images(
            as_images(_flat(originals), shape), _index_captions(event), levels=levels
        )
        self.panels["input"].set_title(
            _panel_title("clean input") if event.noisy is not None else _panel_title("input")
        )
        if "noisy" in self.panels and event.noisy is not None:
            noisy = np.asarray(event.noisy, np.float32)
            self.panels["noisy"].set_images(
                as_images(_flat(noisy), shape),
                _mse_captions(sample_mse(originals, noisy)),
                levels=levels,
            )
            self.panels["noisy"].set_title(
                _panel_title("noisy input") + f" · MSE {sample_mse(originals, noisy).mean():.4g}"
            )
        name = _panel_title("denoised" if event.noisy is not None else "autoencoder")
        self.panels["autoencoder"].set_images(
            as_images(_flat(recon), shape), _mse_captions(ae_mse), levels=levels
        )
        self.panels["autoencoder"].set_title(f"{name} · MSE {ae_mse.mean():.4g}")
        errors = [_pixel_error(originals, recon)]
        pca_label = (
            "PCA"
            if self._latent is None
            else translate("ReconstructionsView", "PCA, {0} components").format(self._latent)
        )
        if pca is not None:
            pca_mse = sample_mse(originals, pca)
            self.panels["pca"].set_images(
                as_images(_flat(pca), shape), _mse_captions(pca_mse), levels=levels
            )
            self.panels["pca"].set_title(f"{pca_label} · MSE {pca_mse.mean():.4g}")
            errors.append(_pixel_error(originals, pca))
        else:
            self.panels["pca"].clear()
            self.panels["pca"].set_title(translate("ReconstructionsView", "PCA: not available"))
        top = max(float(e.max()) for e in errors) or 1.0
        self.panels["autoencoder error"].set_images(
            as_images(_flat(errors[0]), errors[0].shape[1:]), levels=(0.0, top), colormap=HEAT_MAP
        )
        self.panels["autoencoder error"].set_title(
            f"|{_panel_title('input')} − {name}| (0 … {top:.3g})"
        )
        if pca is not None:
            self.panels["pca error"].set_images(
                as_images(_flat(errors[1]), errors[1].shape[1:]),
                levels=(0.0, top),
                colormap=HEAT_MAP,
            )
            self.panels["pca error"].set_title(f"|{_panel_title('input')} − PCA| (0 … {top:.3g})")
        else:
            self.panels["pca error"].clear()
        pca_mse = None if pca is None else sample_mse(originals, pca)
        positions = np.arange(len(ae_mse))
        self.mse_bars["autoencoder"].setOpts(x=positions - 0.2, height=ae_mse, width=0.4)
        self.mse_bars["pca"].setOpts(
            x=positions + 0.2, height=[] if pca_mse is None else pca_mse, width=0.4
        )
        self._summarise(event, ae_mse, pca_mse)

    def _draw_vectors(self, event: Snapshot) -> None:
        originals = _flat(np.asarray(event.originals, np.float32))
        recon = _flat(np.asarray(event.reconstructions, np.float32))
        pca = (
            None
            if event.pca_reconstructions is None
            else _flat(np.asarray(event.pca_reconstructions))
        )
        ae_mse = sample_mse(originals, recon)
        pca_mse = None if pca is None else sample_mse(originals, pca)
        features = np.arange(originals.shape[1])
        names = self._feature_names(originals.shape[1])
        for i, (plot, curves) in enumerate(zip(self.vector_plots, self.vector_curves, strict=True)):
            curves["input"].setData(features, originals[i])
            curves["autoencoder"].setData(features, recon[i])
            if pca is None:
                curves["pca"].setData([], [])
            else:
                curves["pca"].setData(features, pca[i])
            title = translate("ReconstructionsView", "sample {0} · AE MSE {1}").format(
                _index(event, i), f"{ae_mse[i]:.4g}"
            )
            if pca_mse is not None:
                title += f" · PCA MSE {pca_mse[i]:.4g}"
            plot.setTitle(title, size="9pt")
            if names is not None:
                plot.getAxis("bottom").setTicks([list(enumerate(names))])
        self._summarise(event, ae_mse, pca_mse)

    def _draw_prior(self, samples: np.ndarray, is_image: bool, levels: tuple[float, float]) -> None:
        """Samples decoded from fixed draws of the prior (the same draws in every snapshot),
        images on the inputs' grey levels."""
        title = translate("ReconstructionsView", "{0} samples from the prior N(0, I)").format(
            len(samples)
        )
        if is_image:
            self.panels["prior"].set_images(
                as_images(_flat(samples), samples.shape[1:]), levels=levels
            )
            self.panels["prior"].set_title(title)
            return
        flat = _flat(samples)[: len(self.prior_curves)]
        features = np.arange(flat.shape[1])
        for i, curve in enumerate(self.prior_curves):
            if i < len(flat):
                curve.setData(features, flat[i])
            else:
                curve.setData([], [])
        self.prior_plot.setTitle(
            translate("ReconstructionsView", "{0} of {1}").format(len(flat), title), size="9pt"
        )

    def _summarise(self, event: Snapshot, ae: np.ndarray, pca: np.ndarray | None) -> None:
        text = translate(
            "ReconstructionsView", "epoch {0} · {1} fixed samples · autoencoder MSE {2}"
        ).format(event.epoch, len(ae), f"{ae.mean():.4g}")
        if pca is not None:
            text += f" · PCA MSE {pca.mean():.4g}"
        self.summary.setText(text)

    def _feature_names(self, n: int) -> tuple[str, ...] | None:
        ds = self._dataset
        if ds is None or ds.feature_names is None or len(ds.feature_names) != n or n > 20:
            return None
        return ds.feature_names

    # -- export ----------------------------------------------------------------------------------
    def export_plot(self, path: Path) -> Path:
        """Write the whole grid as PNG or SVG."""
        return export_plot(self.canvas.ci, path)

    def export_data(self, path: Path) -> Path:
        """Write per-sample errors (index, autoencoder MSE, PCA MSE) as CSV or NPY."""
        event = self._snapshot
        if event is None:
            raise ValueError(f"{path}: there are no reconstructions to export yet")
        originals = np.asarray(event.originals, np.float32)
        columns = {
            "index": np.asarray(
                event.recon_indices
                if event.recon_indices is not None
                else np.arange(len(originals))
            ),
            "autoencoder_mse": sample_mse(originals, np.asarray(event.reconstructions)),
        }
        if event.pca_reconstructions is not None:
            columns["pca_mse"] = sample_mse(originals, np.asarray(event.pca_reconstructions))
        if event.noisy is not None:
            columns["noisy_mse"] = sample_mse(originals, np.asarray(event.noisy))
        return export_table(path, columns)


def _flat(samples: np.ndarray) -> np.ndarray:
    return samples.reshape(samples.shape[0], -1)


def _pixel_error(reference: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Absolute error per pixel ``(N, 1, H, W)``, averaged over the channels."""
    return np.abs(reference - np.asarray(other, np.float32)).mean(axis=1, keepdims=True)


def _levels(samples: np.ndarray) -> tuple[float, float]:
    lo, hi = float(samples.min()), float(samples.max())
    return lo, hi if hi > lo else lo + 1.0


def _mse_captions(mse: np.ndarray) -> list[str]:
    return [f"{v:.3g}" for v in mse]


def _index(event: Snapshot, i: int) -> str:
    return f"#{int(event.recon_indices[i])}" if event.recon_indices is not None else f"{i}"


def _index_captions(event: Snapshot) -> list[str]:
    return [_index(event, i) for i in range(len(event.originals))]
