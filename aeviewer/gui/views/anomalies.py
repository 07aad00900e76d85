"""The anomalies tab: reconstruction error as an anomaly score.

A histogram of the scores (normal against anomalous where the truth is known), a threshold set as
a score, a percentile or an expected contamination that relabels at once, ROC and
precision-recall curves for the model and for PCA, the most anomalous samples and per-pixel (or
per-feature) error heat maps.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aeviewer.analysis import metrics
from aeviewer.analysis.thresholds import (
    THRESHOLD_MODES,
    Threshold,
    flag_counts,
    percentile_of,
)
from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.errors import AeviewerError
from aeviewer.gui import dialogs
from aeviewer.gui.views.base import View
from aeviewer.gui.views.oneclass_table import OneClassTableDialog
from aeviewer.gui.widgets.image_grid import HEAT_MAP, MosaicPanel, as_images
from aeviewer.gui.widgets.legend import LEGEND_BOX, keep_clear
from aeviewer.gui.widgets.view_export import ExportButton, export_plot, export_table
from aeviewer.training.events import Snapshot, Started

Decoder = Callable[[np.ndarray], np.ndarray]
#: How many of the most anomalous samples the gallery shows.
N_GALLERY = 16
_N_BINS = 60
translate = QCoreApplication.translate

_MODE_LABELS = {
    "score": QT_TRANSLATE_NOOP("AnomaliesView", "Score"),
    "percentile": QT_TRANSLATE_NOOP("AnomaliesView", "Percentile"),
    "contamination": QT_TRANSLATE_NOOP("AnomaliesView", "Contamination"),
}
_DEFAULTS = {"score": 0.0, "percentile": 95.0, "contamination": 0.05}
_NORMAL_COLOR = (150, 150, 150)
_ANOMALY_COLOR = (214, 39, 40)
_MODEL_COLOR = (255, 127, 14)
_PCA_COLOR = (44, 160, 44)


class AnomaliesView(View):
    """Scores histogram, threshold, ROC/PR curves, gallery and error heat maps."""

    title = "Anomalies"
    draws_latest_snapshot_only = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dataset: Dataset | None = None
        self._snapshot: Snapshot | None = None
        self._decoder: Decoder | None = None
        self.auc: dict[str, float] = {}
        self.average_precision: dict[str, float] = {}
        self._log_x = False
        self._selection: np.ndarray | None = None
        #: The class a one-class run was trained on (its normal class), if any.
        self._normal_class: int | None = None
        #: The run config the panels describe (set by the main window), for the one-class table.
        self.config_source: Callable[[], RunConfig] | None = None
        #: The one-class table's window, made when first asked for.
        self.oneclass_dialog: OneClassTableDialog | None = None
        self._build()

    # -- construction ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.truth_combo = QComboBox()
        self.mode_combo = QComboBox()
        for mode in THRESHOLD_MODES:
            self.mode_combo.addItem(translate("AnomaliesView", _MODE_LABELS[mode]), mode)
        self.value_spin = QDoubleSpinBox()
        self.value_spin.setDecimals(4)
        self.value_spin.setKeyboardTracking(False)
        self.count_label = QLabel("")
        self.export_button = ExportButton(self.export_plot, self.export_data, "anomalies")
        top = QHBoxLayout()
        top.addWidget(QLabel(translate("AnomaliesView", "Truth")))
        top.addWidget(self.truth_combo)
        top.addWidget(QLabel(translate("AnomaliesView", "Threshold")))
        top.addWidget(self.mode_combo)
        top.addWidget(self.value_spin)
        top.addWidget(self.count_label, 1)
        self.oneclass_button = QPushButton(self.tr("One-class table…"))
        self.oneclass_button.setToolTip(
            self.tr(
                "ROC AUC of the current family and of PCA with each class in turn as the "
                "normal one, measured in the background (needs labelled data)"
            )
        )
        self.oneclass_button.setEnabled(False)
        self.oneclass_button.clicked.connect(self.open_one_class_table)
        top.addWidget(self.oneclass_button)
        top.addWidget(self.export_button)

        self.canvas = pg.GraphicsLayoutWidget()
        ci = self.canvas.ci
        self.histogram = ci.addPlot(
            row=0, col=0, colspan=2, title=translate("AnomaliesView", "Reconstruction error")
        )
        self.histogram.setLabel("bottom", translate("AnomaliesView", "score"))
        self.histogram.setLabel("left", translate("AnomaliesView", "samples"))
        keep_clear(self.histogram, self.histogram.addLegend(labelTextSize="8pt", **LEGEND_BOX))
        self.hist_curves = {
            "all": self.histogram.plot(
                stepMode="center", fillLevel=0, brush=(*_NORMAL_COLOR, 120), pen=_NORMAL_COLOR
            ),
            "normal": self.histogram.plot(
                stepMode="center", fillLevel=0, brush=(*_NORMAL_COLOR, 120), pen=_NORMAL_COLOR
            ),
            "anomalous": self.histogram.plot(
                stepMode="center", fillLevel=0, brush=(*_ANOMALY_COLOR, 120), pen=_ANOMALY_COLOR
            ),
        }
        self.threshold_line = pg.InfiniteLine(
            angle=90, movable=True, pen=pg.mkPen((255, 220, 90), width=2)
        )
        self.histogram.addItem(self.threshold_line)

        self.roc = ci.addPlot(row=1, col=0, title="ROC")
        self.roc.setLabel("bottom", translate("AnomaliesView", "false positive rate"))
        self.roc.setLabel("left", translate("AnomaliesView", "true positive rate"))
        self.roc.plot([0, 1], [0, 1], pen=pg.mkPen((110, 110, 110), style=Qt.PenStyle.DashLine))
        self.roc_legend = self.roc.addLegend(labelTextSize="8pt", **LEGEND_BOX)
        keep_clear(self.roc, self.roc_legend)
        self.pr = ci.addPlot(row=1, col=1, title=translate("AnomaliesView", "Precision-recall"))
        self.pr.setLabel("bottom", translate("AnomaliesView", "recall"))
        self.pr.setLabel("left", translate("AnomaliesView", "precision"))
        self.pr_legend = self.pr.addLegend(labelTextSize="8pt", **LEGEND_BOX)
        keep_clear(self.pr, self.pr_legend)
        self.roc_curves: dict[str, pg.PlotDataItem] = {}
        self.pr_curves: dict[str, pg.PlotDataItem] = {}
        for name, color in (("model", _MODEL_COLOR), ("PCA", _PCA_COLOR)):
            shown = _source_name(name)
            self.roc_curves[name] = self.roc.plot(pen=pg.mkPen(color, width=2), name=shown)
            self.pr_curves[name] = self.pr.plot(pen=pg.mkPen(color, width=2), name=shown)
        self.operating_point = pg.ScatterPlotItem(size=9, brush=(255, 220, 90), pen=None)
        self.roc.addItem(self.operating_point)
        for plot in (self.roc, self.pr):
            plot.setRange(xRange=(0, 1), yRange=(0, 1.02), padding=0.02)
            plot.showGrid(x=True, y=True, alpha=0.2)

        self.galleries = self.canvas.ci.addLayout(row=0, col=2, rowspan=2)
        self.gallery_panel = MosaicPanel(
            self.galleries, translate("AnomaliesView", "Most anomalous"), 0, 0
        )
        self.heat_panel = MosaicPanel(
            self.galleries, translate("AnomaliesView", "Error heat maps"), 2, 0
        )
        ci.layout.setColumnStretchFactor(0, 3)
        ci.layout.setColumnStretchFactor(1, 3)
        ci.layout.setColumnStretchFactor(2, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)

        self.mode_combo.setCurrentIndex(THRESHOLD_MODES.index("percentile"))
        self.mode_combo.currentIndexChanged.connect(self._on_mode_changed)
        self.value_spin.valueChanged.connect(self._relabel)
        self.truth_combo.currentIndexChanged.connect(self._redraw)
        self.threshold_line.sigPositionChangeFinished.connect(self._on_line_moved)
        self._on_mode_changed()
        self._fill_truth_combo()

    # -- View hooks ------------------------------------------------------------------------------
    def set_dataset(self, dataset: Dataset | None) -> None:
        """Keep the data set: its anomaly flags or labels are the truth the curves need."""
        self._dataset = dataset
        self.reset()
        self._fill_truth_combo()
        self.oneclass_button.setEnabled(dataset is not None and dataset.n_classes > 1)
        if self.oneclass_dialog is not None:
            # A table of the old data means nothing for the new ones.
            self.oneclass_dialog.cancel()
            self.oneclass_dialog.close()

    def shutdown(self) -> None:
        """Cancel a one-class table under way (nothing waits for it)."""
        if self.oneclass_dialog is not None:
            self.oneclass_dialog.cancel()

    def open_one_class_table(self) -> OneClassTableDialog | None:
        """Show the one-class table's window for the open data set and the panels' model."""
        dataset, source = self._dataset, self.config_source
        if dataset is None or source is None:
            return None
        try:
            config = source()
        except AeviewerError as exc:
            dialogs.show_error(self, self.tr("Cannot measure the one-class table"), str(exc))
            return None
        dialog = self.oneclass_dialog
        if dialog is None:
            dialog = self.oneclass_dialog = OneClassTableDialog(self)
            dialog.setWindowFlag(Qt.WindowType.Window)
        if not dialog.is_running:
            dialog.set_inputs(dataset, config)
        dialog.show()
        dialog.raise_()
        return dialog

    def on_started(self, event: Started) -> None:
        """A one-class run (trained on its normal class only) makes that class the truth."""
        normal = event.config.data.normal_class
        if normal != self._normal_class:
            self._normal_class = normal
            self._fill_truth_combo()

    def reset(self) -> None:
        """Forget the scores (and the run's normal class)."""
        if self._normal_class is not None:
            self._normal_class = None
            self._fill_truth_combo()
        self._snapshot = None
        self.auc = {}
        self.average_precision = {}
        for curve in (
            *self.hist_curves.values(),
            *self.roc_curves.values(),
            *self.pr_curves.values(),
        ):
            curve.setData([], [])
        self.operating_point.setData([], [])
        self.gallery_panel.clear()
        self.heat_panel.clear()
        self.histogram.enableAutoRange()
        self.count_label.setText(translate("AnomaliesView", "No scores yet."))

    def on_snapshot(self, event: Snapshot) -> None:
        """Draw the scores of the snapshot."""
        if event.scores is None:
            return
        self._snapshot = event
        self._redraw()

    # -- public actions --------------------------------------------------------------------------
    def set_decoder(self, decoder: Decoder | None) -> None:
        """Decode latents ``(n, K)`` to samples ``(n, D)``: error maps for the top anomalies."""
        self._decoder = decoder
        self._draw_galleries()

    def set_selection(self, indices: np.ndarray | None) -> None:
        """Show error heat maps for these data-set indices (the latent view's selection, say).

        Reconstructions come from the decoder when one is set, otherwise from the fixed samples
        among the selection. ``None`` or an empty selection goes back to the default maps.
        """
        empty = indices is None or len(indices) == 0
        self._selection = None if empty else np.asarray(indices, np.int64)
        self._draw_galleries()

    def view_state(self) -> dict:
        """The threshold rule, for a session."""
        threshold = self.threshold()
        return {"threshold_mode": threshold.mode, "threshold_value": threshold.value}

    def restore_view_state(self, state: dict) -> None:
        """Put back :meth:`view_state` (a missing or unknown rule is ignored)."""
        mode, value = state.get("threshold_mode"), state.get("threshold_value")
        if mode in THRESHOLD_MODES and isinstance(value, int | float):
            self.set_threshold(mode, float(value))

    def set_threshold(self, mode: str, value: float) -> None:
        """Set the threshold rule (``"score"``, ``"percentile"`` or ``"contamination"``)."""
        self.mode_combo.blockSignals(True)
        self.mode_combo.setCurrentIndex(THRESHOLD_MODES.index(mode))
        self.mode_combo.blockSignals(False)
        self._configure_spin(mode)
        self.value_spin.setValue(value)
        self._relabel()

    def set_truth(self, key: str | int | None) -> None:
        """Choose the truth: ``"anomalies"`` (the flags), a normal class index, or None."""
        index = self.truth_combo.findData(key)
        if index < 0:
            raise ValueError(f"no truth {key!r} for this data set")
        self.truth_combo.setCurrentIndex(index)

    def threshold(self) -> Threshold:
        """The threshold rule in force."""
        return Threshold(self.mode_combo.currentData(), float(self.value_spin.value()))

    def flags(self) -> np.ndarray:
        """Anomaly flags of the evaluation samples under the current threshold."""
        if self._snapshot is None:
            return np.zeros(0, bool)
        return self.threshold().flags(self._snapshot.scores)

    def truth(self) -> np.ndarray | None:
        """True for the evaluation samples known to be anomalous, or None without truth."""
        key = self.truth_combo.currentData()
        ds, snap = self._dataset, self._snapshot
        if key is None or ds is None or snap is None:
            return None
        idx = np.asarray(snap.eval_indices)
        if idx.size and idx.max() >= ds.n_samples:
            return None
        if key == "anomalies":
            return None if ds.anomalies is None else np.asarray(ds.anomalies[idx], bool)
        return None if ds.labels is None else ds.labels[idx] != int(key)

    # -- drawing ---------------------------------------------------------------------------------
    def _fill_truth_combo(self) -> None:
        """Offer the data's anomaly labels and each class as the normal one; the default is the
        run's normal class when it had one, else the labels as given, else none (never a class
        the model was not trained to single out)."""
        self.truth_combo.blockSignals(True)
        self.truth_combo.clear()
        ds = self._dataset
        if ds is not None and ds.anomalies is not None:
            self.truth_combo.addItem(
                translate("AnomaliesView", "anomaly labels as given"), "anomalies"
            )
        if ds is not None and ds.labels is not None:
            for c in range(ds.n_classes):
                self.truth_combo.addItem(
                    translate("AnomaliesView", "normal class: {0}").format(ds.class_name(c)), c
                )
        self.truth_combo.addItem(translate("AnomaliesView", "none (no ROC)"), None)
        default = self.truth_combo.findData(self._normal_class)
        if self._normal_class is None or default < 0:
            default = self.truth_combo.findData("anomalies")
        if default < 0:
            default = self.truth_combo.findData(None)
        self.truth_combo.setCurrentIndex(default)
        self.truth_combo.blockSignals(False)

    def _redraw(self) -> None:
        snap = self._snapshot
        if snap is None:
            return
        scores = np.asarray(snap.scores, np.float64)
        truth = self.truth()
        # A long tail would squeeze the bulk into one bar: such scores get a log axis.
        self._log_x = wants_log_axis(scores)
        self.histogram.setLogMode(x=self._log_x, y=False)
        edges = histogram_edges(scores, self._log_x)
        if truth is None or truth.all() or not truth.any():
            counts, _ = np.histogram(scores, edges)
            self.hist_curves["all"].setData(edges, counts)
            self.hist_curves["normal"].setData([], [])
            self.hist_curves["anomalous"].setData([], [])
        else:
            self.hist_curves["all"].setData([], [])
            self.hist_curves["normal"].setData(edges, np.histogram(scores[~truth], edges)[0])
            self.hist_curves["anomalous"].setData(edges, np.histogram(scores[truth], edges)[0])
        self._update_legend(truth)
        self._draw_curves(scores, truth)
        self._configure_spin(self.mode_combo.currentData())
        self._relabel()

    def _update_legend(self, truth: np.ndarray | None) -> None:
        legend = self.histogram.legend
        legend.clear()
        if truth is not None and truth.any() and not truth.all():
            legend.addItem(
                self.hist_curves["normal"],
                translate("AnomaliesView", "normal ({0})").format(int((~truth).sum())),
            )
            legend.addItem(
                self.hist_curves["anomalous"],
                translate("AnomaliesView", "anomalous ({0})").format(int(truth.sum())),
            )

    def _draw_curves(self, scores: np.ndarray, truth: np.ndarray | None) -> None:
        self.auc, self.average_precision = {}, {}
        self.roc_legend.clear()
        self.pr_legend.clear()
        snap = self._snapshot
        usable = truth is not None and truth.any() and not truth.all()
        sources = {"model": scores}
        if snap is not None and snap.pca_scores is not None:
            sources["PCA"] = np.asarray(snap.pca_scores, np.float64)
        for name in ("model", "PCA"):
            roc_curve, pr_curve = self.roc_curves[name], self.pr_curves[name]
            if not usable or name not in sources:
                roc_curve.setData([], [])
                pr_curve.setData([], [])
                continue
            s = sources[name]
            fpr, tpr, _ = metrics.roc_curve(s, truth)
            precision, recall, _ = metrics.precision_recall_curve(s, truth)
            self.auc[name] = metrics.roc_auc(s, truth)
            self.average_precision[name] = metrics.average_precision(s, truth)
            roc_curve.setData(fpr, tpr)
            pr_curve.setData(recall, precision)
            shown = _source_name(name)
            self.roc_legend.addItem(roc_curve, f"{shown} AUC {self.auc[name]:.3f}")
            self.pr_legend.addItem(pr_curve, f"{shown} AP {self.average_precision[name]:.3f}")
        if usable:
            self.roc.setTitle("ROC")
            self.pr.setTitle(translate("AnomaliesView", "Precision-recall"))
        else:
            self.roc.setTitle(translate("AnomaliesView", "ROC (needs labels or anomaly flags)"))
            self.pr.setTitle(translate("AnomaliesView", "Precision-recall (needs truth)"))

    def _relabel(self) -> None:
        snap = self._snapshot
        if snap is None:
            return
        scores = np.asarray(snap.scores, np.float64)
        rule = self.threshold()
        value = rule.resolve(scores)
        flags = rule.flags(scores)
        self.threshold_line.blockSignals(True)
        shown = value if np.isfinite(value) else float(scores.max())
        if self._log_x:
            shown = np.log10(max(shown, float(scores.min())))
        self.threshold_line.setPos(shown)
        self.threshold_line.blockSignals(False)
        share = 100 * flags.mean()
        text = translate("AnomaliesView", "flags {0} of {1} ({2}%) above {3}").format(
            int(flags.sum()), flags.size, f"{share:.1f}", f"{value:.4g}"
        )
        truth = self.truth()
        if truth is not None and truth.any() and not truth.all():
            counts = flag_counts(flags, truth)
            text += translate("AnomaliesView", " · precision {0} · recall {1}").format(
                f"{counts.precision:.2f}", f"{counts.recall:.2f}"
            )
            fpr = counts.false_positives / max(counts.false_positives + counts.true_negatives, 1)
            self.operating_point.setData([fpr], [counts.recall])
        else:
            self.operating_point.setData([], [])
        self.count_label.setText(text)
        self._draw_galleries()

    def _draw_galleries(self) -> None:
        snap, ds = self._snapshot, self._dataset
        if snap is None:
            return
        scores = np.asarray(snap.scores, np.float64)
        threshold = self.threshold().resolve(scores)
        idx = np.asarray(snap.eval_indices)
        fits = ds is not None and (idx.size == 0 or idx.max() < ds.n_samples)
        selection_shown = fits and self._selection is not None
        if selection_shown:
            self._show_selection_errors(snap, scores, threshold)
        if fits:
            top = np.argsort(-scores, kind="stable")[:N_GALLERY]
            captions = [_caption(scores[r], scores[r] > threshold) for r in top]
            self._show(self.gallery_panel, ds.x[idx[top]], captions)
            self.gallery_panel.set_title(
                translate("AnomaliesView", "Most anomalous {0} of {1}").format(
                    len(top), len(scores)
                )
            )
            if selection_shown:
                return
            if self._decoder is not None and snap.latents is not None:
                recon = np.asarray(self._decoder(np.asarray(snap.latents)[top]), np.float32)
                self._show_errors(
                    ds.x[idx[top]], recon, captions, translate("AnomaliesView", "most anomalous")
                )
                return
        self._show_recon_errors(snap, scores, threshold)

    def _show_selection_errors(self, snap: Snapshot, scores: np.ndarray, threshold: float) -> None:
        """Heat maps for the selected samples that have a reconstruction (decoder or fixed)."""
        ds = self._dataset
        idx = np.asarray(snap.eval_indices)
        rows = np.flatnonzero(np.isin(idx, self._selection))[:N_GALLERY]
        originals, recon, shown = None, None, rows
        if self._decoder is not None and snap.latents is not None and rows.size:
            originals = ds.x[idx[rows]]
            recon = np.asarray(self._decoder(np.asarray(snap.latents)[rows]), np.float32)
        elif snap.recon_indices is not None and snap.reconstructions is not None:
            fixed = np.flatnonzero(np.isin(np.asarray(snap.recon_indices), self._selection))
            if fixed.size:
                n = len(snap.reconstructions)
                originals = np.asarray(snap.originals, np.float32).reshape(n, -1)[fixed]
                recon = np.asarray(snap.reconstructions, np.float32).reshape(n, -1)[fixed]
                row_of = _rows_of(snap)
                shown = np.array([row_of[int(snap.recon_indices[i])] for i in fixed])
        if originals is None:
            self.heat_panel.clear()
            self.heat_panel.set_title(
                translate(
                    "AnomaliesView", "No reconstructions for the {0} selected (needs a decoder)"
                ).format(len(self._selection))
            )
            return
        captions = [_caption(scores[r], scores[r] > threshold) for r in shown]
        self._show_errors(
            originals,
            recon,
            captions,
            translate("AnomaliesView", "{0} selected").format(len(shown)),
        )

    def _show_recon_errors(self, snap: Snapshot, scores: np.ndarray, threshold: float) -> None:
        if snap.originals is None or snap.reconstructions is None:
            self.heat_panel.clear()
            return
        n = len(snap.originals)
        originals = np.asarray(snap.originals, np.float32).reshape(n, -1)
        recon = np.asarray(snap.reconstructions, np.float32).reshape(n, -1)
        errors = ((originals - recon) ** 2).mean(axis=1)
        order = np.argsort(-errors, kind="stable")
        row_of = _rows_of(snap)
        captions = []
        for i in order:
            row = row_of.get(int(snap.recon_indices[i])) if snap.recon_indices is not None else None
            flagged = row is not None and scores[row] > threshold
            captions.append(_caption(errors[i], flagged))
        self._show_errors(
            originals[order], recon[order], captions, translate("AnomaliesView", "fixed samples")
        )

    def _show_errors(
        self, originals: np.ndarray, recon: np.ndarray, captions: list[str], what: str
    ) -> None:
        error = np.abs(originals - recon)
        ds = self._dataset
        if ds is not None and ds.is_image and error.shape[1] == ds.n_features:
            c, h, w = ds.sample_shape
            maps = error.reshape(-1, c, h, w).mean(axis=1)
            self.heat_panel.set_images(
                maps, captions, levels=(0.0, float(maps.max()) or 1.0), colormap=HEAT_MAP
            )
        else:
            self.heat_panel.set_images(error[None], n_columns=1, colormap=HEAT_MAP)
        self.heat_panel.set_title(
            (
                translate("AnomaliesView", "|error| per pixel, {0}")
                if ds and ds.is_image
                else translate("AnomaliesView", "|error| per feature, {0}")
            ).format(what)
        )

    def _show(self, panel: MosaicPanel, samples: np.ndarray, captions: list[str]) -> None:
        ds = self._dataset
        if ds is not None and ds.is_image:
            panel.set_images(as_images(samples, ds.sample_shape), captions, levels=ds.value_range)
        else:
            panel.set_images(samples[None], n_columns=1, colormap=HEAT_MAP)

    # -- threshold controls ----------------------------------------------------------------------
    def _configure_spin(self, mode: str) -> None:
        spin = self.value_spin
        spin.blockSignals(True)
        if mode == "percentile":
            spin.setRange(0.0, 100.0)
            spin.setSingleStep(0.5)
        elif mode == "contamination":
            spin.setRange(0.0, 1.0)
            spin.setSingleStep(0.01)
        else:
            top = 1.0
            if self._snapshot is not None:
                top = float(np.max(self._snapshot.scores)) * 2 or 1.0
            spin.setRange(0.0, max(top, spin.value()))
            spin.setSingleStep(top / 200)
        spin.blockSignals(False)

    def _on_mode_changed(self) -> None:
        mode = self.mode_combo.currentData()
        self._configure_spin(mode)
        value = _DEFAULTS[mode]
        if self._snapshot is not None:
            # Keep the same threshold, expressed in the new mode.
            scores = np.asarray(self._snapshot.scores, np.float64)
            value = self._express(mode, self._line_score(), scores)
        self.value_spin.blockSignals(True)
        self.value_spin.setValue(value)
        self.value_spin.blockSignals(False)
        self._relabel()

    def _on_line_moved(self) -> None:
        if self._snapshot is None:
            return
        scores = np.asarray(self._snapshot.scores, np.float64)
        mode = self.mode_combo.currentData()
        self.value_spin.setValue(self._express(mode, self._line_score(), scores))

    def _line_score(self) -> float:
        """The score under the threshold line (the line sits at log10 on a log axis)."""
        value = float(self.threshold_line.value())
        return float(10**value) if self._log_x else value

    @staticmethod
    def _express(mode: str, threshold: float, scores: np.ndarray) -> float:
        if mode == "score":
            return threshold
        if mode == "percentile":
            return percentile_of(scores, threshold)
        return float(np.mean(scores > threshold))

    # -- export ----------------------------------------------------------------------------------
    def export_plot(self, path: Path) -> Path:
        """Write the histogram, curves and galleries as PNG or SVG."""
        return export_plot(self.canvas.ci, path)

    def export_data(self, path: Path) -> Path:
        """Write per-sample index, score, PCA score, flag and truth as CSV or NPY."""
        snap = self._snapshot
        if snap is None:
            raise ValueError(f"{path}: there are no anomaly scores to export yet")
        columns = {
            "index": np.asarray(snap.eval_indices),
            "score": np.asarray(snap.scores),
        }
        if snap.pca_scores is not None:
            columns["pca_score"] = np.asarray(snap.pca_scores)
        columns["flagged"] = self.flags()
        truth = self.truth()
        if truth is not None:
            columns["anomalous"] = truth
        return export_table(path, columns)


def wants_log_axis(scores: np.ndarray) -> bool:
    """True for positive scores with a long tail (the largest over 20 times the median)."""
    if scores.size == 0 or scores.min() <= 0:
        return False
    return bool(scores.max() > 20 * np.median(scores))


def histogram_edges(scores: np.ndarray, log: bool) -> np.ndarray:
    """Bin edges over the scores, evenly spaced or (for a log axis) geometrically."""
    lo, hi = float(scores.min()), float(scores.max())
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    if log:
        return np.geomspace(lo, hi, _N_BINS + 1)
    return np.linspace(lo, hi, _N_BINS + 1)


def _source_name(name: str) -> str:
    """``model`` or ``PCA`` as legends show it."""
    return translate("AnomaliesView", "model") if name == "model" else name


def _caption(score: float, flagged: bool) -> str:
    return f"{'⚑ ' if flagged else ''}{score:.3g}"


def _rows_of(snap: Snapshot) -> dict[int, int]:
    return {int(index): row for row, index in enumerate(np.asarray(snap.eval_indices))}
