"""The Loss view: every loss term against epochs or steps, with PCA's loss as a reference."""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from aeviewer.errors import AeviewerError
from aeviewer.gui import dialogs, file_dialogs
from aeviewer.gui.views.base import View
from aeviewer.gui.views.loss_history import (
    CurveKey,
    Ema,
    LossHistory,
    axis_labels,
    duplicate_of,
    ema,
    has_pca_reference,
    term_axis,
)
from aeviewer.gui.widgets.legend import LIGHT_LEGEND_BOX, keep_clear
from aeviewer.gui.widgets.steady_viewbox import SteadyViewBox
from aeviewer.io.atomic import atomic_write_text
from aeviewer.training.events import EpochEnd, Finished, LrChanged, Progress, Started

translate = QCoreApplication.translate

#: The plot's title before a run starts (translated when shown).
IDLE_TITLE = QT_TRANSLATE_NOOP(
    "LossView", "Press Start (Space) to train; PCA's loss at the same size appears as a dashed line"
)

#: The pen of PCA's reference line.
PCA_PEN = {"color": "#555555", "width": 1.5}

#: The shortest time between two redraws of the curves while data stream in. A redraw costs the
#: GUI thread about 8 ms while training on 2 CPUs; at one a second instead of two its share of a
#: core fell from about 4.2% to 2.6% (GUI-thread CPU time over steady epochs of the default model).
REDRAW_MS = 1000

#: The pens of the learning-rate curves, one per optimiser group in turn.
LR_PENS: tuple[dict, ...] = (
    {"color": "#9467bd", "width": 1.2, "style": Qt.PenStyle.DashLine},
    {"color": "#8c564b", "width": 1.2, "style": Qt.PenStyle.DotLine},
)

#: The height of the learning-rate plot under the loss plot, in pixels.
LR_PLOT_HEIGHT = 100

#: The width of the y axes of both plots, so that their x axes line up.
AXIS_WIDTH = 72

#: A term this many times larger than the total loss starts hidden.
OFF_SCALE_FACTOR = 20.0

#: Colours of the loss terms, in order of first appearance.
PALETTE: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
)  # fmt: skip


def export_plots(items: Sequence[pg.PlotItem], path: str | os.PathLike[str]) -> None:
    """Export plots stacked top to bottom as one PNG (or another raster format) or SVG,
    atomically.

    Every plot is scaled to the width of the first. The image is written to a temporary file
    in the same folder, which then replaces ``path``.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".png", ".jpg", ".jpeg", ".bmp", ".svg"):
        what = suffix or "a file without suffix"
        raise AeviewerError(f"{target}: cannot export a plot as {what}; use .png or .svg")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    try:
        if suffix == ".svg":
            _write_svg(items, tmp)
        elif not _stacked_image(items).save(tmp):
            raise AeviewerError(f"{target}: the image could not be encoded as {suffix}")
        if os.path.getsize(tmp) == 0:
            raise AeviewerError(f"{target}: the exporter wrote nothing")
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _stacked_image(items: Sequence[pg.PlotItem]) -> QImage:
    """The plots rendered at one width (at least 1200 pixels), one under the other."""
    import pyqtgraph.exporters as exporters

    width = max(1200, int(items[0].sceneBoundingRect().width()))
    parts = []
    for item in items:
        exporter = exporters.ImageExporter(item)
        exporter.parameters()["width"] = width  # the height follows, keeping the aspect
        parts.append(exporter.export(toBytes=True))
    image = QImage(width, sum(part.height() for part in parts), QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        top = 0
        for part in parts:
            painter.drawImage(0, top, part)
            top += part.height()
    finally:
        painter.end()
    return image


def _write_svg(items: Sequence[pg.PlotItem], path: str) -> None:
    # pyqtgraph 0.14's SVGExporter cannot parse the path data Qt 6.11 writes, so the scenes are
    # painted into Qt's own SVG generator instead (still vector graphics).
    from PySide6.QtSvg import QSvgGenerator

    sources = [item.sceneBoundingRect() for item in items]
    width = max(sources[0].width(), 1.0)
    heights = [source.height() * width / max(source.width(), 1.0) for source in sources]
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(QSize(int(width), int(sum(heights))))
    generator.setViewBox(QRectF(0, 0, width, sum(heights)))
    generator.setTitle("aeviewer loss curves")
    painter = QPainter(generator)
    try:
        top = 0.0
        for item, source, height in zip(items, sources, heights, strict=True):
            item.scene().render(painter, QRectF(0, top, width, height), source)
            top += height
    finally:
        painter.end()


class LossView(View):
    """Train and validation loss and every term of the family, live."""

    title = "Loss"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = LossHistory()
        self._n_batches = 1
        self._planned_epochs: int | None = None
        self._epochs_drawn = 0
        self._pca_loss: float | None = None
        self._pca_label = ""
        self._kind: str | None = None
        self._batch_ema = Ema(0.0)
        self._batch_smoothed: list[float] = []

        self.log_scale = QCheckBox(translate("LossView", "Log scale"))
        self.log_scale.setToolTip(translate("LossView", "A true logarithmic y axis"))
        self.show_lr = QCheckBox(self.tr("Learning rate"))
        self.show_lr.setChecked(True)
        self.show_lr.setToolTip(
            self.tr("Show the learning rate that the schedule set, epoch by epoch, under the loss")
        )
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setRange(0, 99)
        self.smoothing.setFixedWidth(140)
        self.smoothing.setToolTip(
            translate("LossView", "Exponential moving average: weight of the past, 0 … 0.99")
        )
        self.smoothing_label = QLabel()
        self.x_axis = QComboBox()
        self.x_axis.addItem(translate("LossView", "Epochs"), "epoch")
        self.x_axis.addItem(translate("LossView", "Steps"), "step")
        self.x_axis.addItem(translate("LossView", "Wall time"), "time")
        self.x_axis.setToolTip(
            translate("LossView", "Plot against epochs, optimiser steps or training seconds")
        )
        self.export_csv_button = QPushButton(translate("LossView", "Export CSV…"))
        self.export_image_button = QPushButton(translate("LossView", "Export image…"))
        #: Says which curves are hidden and how to show them.
        self.hidden_hint = QLabel("")
        self.hidden_hint.setStyleSheet("color: #777777;")
        self.hidden_hint.setWordWrap(True)

        controls = QHBoxLayout()
        controls.addWidget(self.log_scale)
        controls.addWidget(self.show_lr)
        controls.addSpacing(12)
        controls.addWidget(QLabel(translate("LossView", "Smoothing")))
        controls.addWidget(self.smoothing)
        controls.addWidget(self.smoothing_label)
        controls.addSpacing(12)
        controls.addWidget(QLabel(translate("LossView", "X axis")))
        controls.addWidget(self.x_axis)
        controls.addStretch(1)
        controls.addWidget(self.export_csv_button)
        controls.addWidget(self.export_image_button)

        # While training, the range steps rather than following every new point and spans the
        # planned epochs: each move of the range costs both axes a new layout of their ticks.
        self.viewbox = SteadyViewBox()
        self.plot_widget = pg.PlotWidget(background="w", viewBox=self.viewbox)
        self.plot = self.plot_widget.getPlotItem()
        # No grid: its antialiased translucent lines cost most of a repaint (24 of 37 ms at
        # 1000x750 on the reference machine), time the training thread would wait for the GIL.
        self.plot.setLabel("left", translate("LossView", "loss"))
        self.plot.setClipToView(True)
        self.plot.setDownsampling(auto=True, mode="peak")
        self.legend = self.plot.addLegend(labelTextColor="k", **LIGHT_LEGEND_BOX)
        keep_clear(self.plot, self.legend)
        self.batch_curve = self.plot.plot(
            [],
            [],
            pen=pg.mkPen((31, 119, 180, 90), width=1),
            name=translate("LossView", "train loss (batches)"),
            antialias=False,
        )
        # Curves are redrawn at most REDRAW_MS apart, however often data arrive: while training,
        # every millisecond the GUI thread computes is taken from the training threads.
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.timeout.connect(self.flush)
        self._last_redraw = -math.inf
        self.curves: dict[CurveKey, pg.PlotDataItem] = {}
        # A second y axis, on the right, for terms in other units (see term_axis).
        self.right = SteadyViewBox()
        self.plot.scene().addItem(self.right)
        self.plot.getAxis("right").linkToView(self.right)
        self.right.setXLink(self.viewbox)
        self.plot.getAxis("right").setPen("#9a9a9a")
        # Plain numbers: an SI prefix ("x0.001") on a loss axis reads as part of its unit.
        for side in ("left", "right"):
            self.plot.getAxis(side).enableAutoSIPrefix(False)
        self.viewbox.sigResized.connect(self._place_right_view)
        # PCA's validation MSE as a dashed curve across the run: part of the range (it stays in
        # view), in the legend rather than in a floating label that could leave the plot.
        self.pca_line = pg.PlotDataItem([], [], pen=pg.mkPen(style=Qt.PenStyle.DashLine, **PCA_PEN))
        self.pca_line.setVisible(False)
        self.plot.addItem(self.pca_line)
        self.lr_lines: list[tuple[LrChanged, pg.InfiniteLine]] = []
        self.plot.setTitle(translate("LossView", IDLE_TITLE), color="#777777", size="10pt")
        self._make_lr_plot()

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.hidden_hint)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.lr_plot_widget)
        self.hidden_hint.setVisible(False)

        self.log_scale.toggled.connect(self._on_log_toggled)
        self.show_lr.toggled.connect(self._show_lr_plot)
        self.smoothing.valueChanged.connect(self._on_smoothing)
        self.x_axis.currentIndexChanged.connect(self._redraw)
        self.export_csv_button.clicked.connect(self._ask_export_csv)
        self.export_image_button.clicked.connect(self._ask_export_image)
        self._on_smoothing(0)
        self._update_axis_label()

    # -- settings ------------------------------------------------------------------------------
    @property
    def alpha(self) -> float:
        """The smoothing weight, 0 … 0.99."""
        return self.smoothing.value() / 100.0

    @property
    def axis(self) -> str:
        """``"epoch"``, ``"step"`` or ``"time"`` (training seconds)."""
        return self.x_axis.currentData()

    def settings_state(self) -> dict[str, object]:
        """The display options to keep across restarts."""
        return {
            "log": self.log_scale.isChecked(),
            "lr": self.show_lr.isChecked(),
            "smoothing": self.smoothing.value(),
            "x": self.axis,
        }

    def restore_settings_state(self, state: dict[str, object]) -> None:
        """Apply options saved by :meth:`settings_state`."""
        self.log_scale.setChecked(bool(state.get("log", False)))
        self.show_lr.setChecked(bool(state.get("lr", True)))
        self.smoothing.setValue(int(state.get("smoothing", 0)))
        self.x_axis.setCurrentIndex(max(0, self.x_axis.findData(state.get("x", "epoch"))))

    # -- View hooks ----------------------------------------------------------------------------
    def reset(self) -> None:
        """Clear every curve and marker."""
        self.history.clear()
        self._planned_epochs = None
        self._epochs_drawn = 0
        self._refit()
        self._pca_loss = None
        self._show_pca(False)
        self.pca_line.setData([], [])
        for line in (line for _, line in self.lr_lines):
            self.plot.removeItem(line)
        self.lr_lines.clear()
        for curve in self.curves.values():
            self.legend.removeItem(curve)
            if curve.getViewBox() is self.right:
                self.right.removeItem(curve)
            else:
                self.plot.removeItem(curve)
        self.curves.clear()
        for curve in self.lr_curves.values():
            self.lr_legend.removeItem(curve)
            self.lr_plot.removeItem(curve)
        self.lr_curves.clear()
        self._set_lr_range()
        self.plot.hideAxis("right")
        self.lr_plot.hideAxis("right")
        self._update_hidden_hint()
        self._batch_ema = Ema(self.alpha)
        self._batch_smoothed.clear()
        self._redraw_timer.stop()
        self.batch_curve.setData([], [])
        self.plot.setTitle(translate("LossView", IDLE_TITLE), color="#777777", size="10pt")

    def set_dataset(self, dataset) -> None:
        """A new data set means a new model, so the curves go."""
        self.reset()

    def on_started(self, event: Started) -> None:
        """Remember the stages and the PCA baseline; a continued run keeps its curves."""
        if event.first_epoch == 0:
            self.reset()
        self.history.multi_stage = len(event.stages) > 1
        self._n_batches = max(1, event.n_batches)
        self._planned_epochs = event.total_epochs
        self._refit(self._planned_x_end())
        model = event.config.model
        self._kind = model.kind
        self._place_batch_curve(term_axis("loss", model.kind))
        left, right = axis_labels(model.kind)
        self.plot.setLabel("left", left)
        self.plot.setLabel("right", right)
        pca = event.pca_val_loss
        if has_pca_reference(model.kind) and pca is not None and math.isfinite(pca):
            self._pca_loss = pca
            self._pca_label = translate(
                "LossView", "PCA with {0} components: validation MSE {1}"
            ).format(model.latent, f"{pca:.4g}")
            self._show_pca(True)
            self._place_pca_line()
        else:
            self._pca_loss = None
            self._show_pca(False)
        self.plot.setTitle(
            translate(
                "LossView",
                "{0} · latent {1} · {2} parameters · {3} train / {4} validation samples · {5}",
            ).format(
                model.kind,
                model.latent,
                f"{event.n_parameters:,}",
                f"{event.n_train:,}",
                f"{event.n_val:,}",
                event.device,
            ),
            color="#444444",
            size="10pt",
        )

    def on_epoch(self, event: EpochEnd) -> None:
        """Add the epoch's terms to their curves."""
        self.history.add_epoch(event)
        self._request_redraw()

    def on_progress(self, event: Progress) -> None:
        """Add a per-batch loss (throttled by the worker)."""
        self.history.add_batch(event)
        self._batch_smoothed.append(self._batch_ema.push(event.loss))
        self._request_redraw()

    def on_lr_changed(self, event: LrChanged) -> None:
        """Mark the change with a vertical line labelled with the new value."""
        self.history.add_lr_change(event)
        line = pg.InfiniteLine(
            angle=90,
            movable=False,
            pen=pg.mkPen("#9467bd", width=1, style=Qt.PenStyle.DotLine),
            label=f"lr {event.lr:.3g}",
            # Near the bottom: the legend sits in the top right corner.
            labelOpts={
                "position": 0.04,
                "color": "#9467bd",
                "rotateAxis": (1, 0),
                "anchors": [(0, 1), (0, 1)],
            },
        )
        line.setPos(self.history.step_to_x(event.step, self.axis))
        self.plot.addItem(line, ignoreBounds=True)
        self.lr_lines.append((event, line))

    def on_finished(self, event: Finished) -> None:
        """Draw whatever is still pending, fitted to what the run reached."""
        self._planned_epochs = None
        self._refit()
        self.flush()

    # -- drawing -------------------------------------------------------------------------------
    def flush(self) -> None:
        """Redraw every curve now (pending updates are otherwise drawn within REDRAW_MS)."""
        self._redraw_timer.stop()
        self._last_redraw = time.monotonic()
        if self._epochs_drawn != len(self.history.epochs):
            self._update_curves()
        self._update_batch_curve()
        # Fit the range and move the view now: left to the paint, they change the scene while
        # it is painted, and it is painted twice.
        for box in (self.viewbox, self.right):
            box.updateAutoRange()
            box.updateMatrix()

    def _request_redraw(self) -> None:
        if self._redraw_timer.isActive():
            return
        wait_ms = REDRAW_MS - 1000.0 * (time.monotonic() - self._last_redraw)
        if wait_ms <= 0:
            self.flush()
        else:
            self._redraw_timer.start(int(wait_ms) + 1)

    def curve_data(self, key: CurveKey) -> tuple[np.ndarray, np.ndarray]:
        """What a curve shows now (smoothed when smoothing is on)."""
        x, y = self.history.series(key, self.axis)
        return x, ema(y, self.alpha)

    def _update_curves(self) -> None:
        self._epochs_drawn = len(self.history.epochs)
        for key in self.history.curve_keys():
            curve = self.curves.get(key)
            x, y = self.curve_data(key)
            if curve is None:
                if duplicate_of(self.history, key, self.axis) is not None:
                    # The same numbers as a curve drawn already (a reconstruction term that is
                    # the whole loss): listed once.
                    continue
                curve = self._make_curve(key)
                # A term far larger than the total on its axis would flatten every other
                # curve: it starts hidden, a click on the legend shows it.
                curve.setVisible(not self._off_scale(key, y))
            curve.setData(x, y)
        self._update_lr_curves()
        self._place_pca_line()
        self._update_hidden_hint()

    def _make_lr_plot(self) -> None:
        """A low plot under the loss plot, on the same x axis: the learning rate at each epoch's
        end, so a schedule's warm-up and decay show beside the loss they shape.

        A linear scale from zero: a cosine decay reads as the cosine it is (on a log scale its
        last epochs, which fall by decades, would squeeze the rest into a flat line)."""
        self.lr_plot_widget = pg.PlotWidget(background="w")
        self.lr_plot_widget.setFixedHeight(LR_PLOT_HEIGHT)
        self.lr_plot = self.lr_plot_widget.getPlotItem()
        self.lr_plot.setLabel("left", self.tr("learning rate"))
        # Plain numbers, as on the loss axes: the plot is too low for an "(x0.001)" suffix.
        self.lr_plot.getAxis("left").enableAutoSIPrefix(False)
        self.lr_plot.setMenuEnabled(False)
        self.lr_plot.hideButtons()
        self.lr_plot.setXLink(self.plot)
        # The x range is the loss plot's (linked); fitting it here would move that one too.
        self.lr_plot.getViewBox().enableAutoRange(x=False)
        self.lr_plot.getViewBox().setMouseEnabled(x=True, y=False)
        self.lr_plot.getViewBox().disableAutoRange(pg.ViewBox.YAxis)
        self.lr_curves: dict[str, pg.PlotDataItem] = {}
        self._lr_peak = 0.0
        self._set_lr_range()
        # Equal axis widths in both plots keep an epoch at the same place in both.
        for plot in (self.plot, self.lr_plot):
            for side in ("left", "right"):
                plot.getAxis(side).setWidth(AXIS_WIDTH)
        right = self.lr_plot.getAxis("right")
        right.setStyle(showValues=False)
        right.setPen("#9a9a9a")
        self.lr_legend = self.lr_plot.addLegend(
            offset=(-10, 2), labelTextColor="k", verSpacing=-6, **LIGHT_LEGEND_BOX
        )

    def lr_curve_data(self, group: str) -> tuple[np.ndarray, np.ndarray]:
        """What the learning-rate curve of ``group`` shows now (never smoothed)."""
        return self.history.lr_series(group, self.axis)

    def _update_lr_curves(self) -> None:
        groups = self.history.lr_groups()
        for group in groups:
            curve = self.lr_curves.get(group)
            if curve is None:
                pen = LR_PENS[len(self.lr_curves) % len(LR_PENS)]
                curve = self.lr_plot.plot([], [], pen=pg.mkPen(**pen))
                name = self.tr("lr") if len(groups) == 1 else self.tr("lr {0}").format(group)
                self.lr_legend.addItem(curve, name)
                self.lr_curves[group] = curve
            curve.setData(*self.lr_curve_data(group))
        self._set_lr_range()

    def _set_lr_range(self) -> None:
        """Zero to the highest rate drawn, with ticks at those two values only (the plot is
        too low for more)."""
        peak = max(
            (
                float(np.max(c.yData))
                for c in self.lr_curves.values()
                if c.yData is not None and len(c.yData)
            ),
            default=0.0,
        )
        if peak == self._lr_peak and self.lr_curves:
            return
        self._lr_peak = peak
        self._show_lr_plot()
        ticks = [(0.0, "0"), (peak, f"{peak:.2g}")] if peak > 0 else []
        self.lr_plot.getAxis("left").setTicks([ticks, []])
        self.lr_plot.setYRange(0.0, peak if peak > 0 else 1.0, padding=0.08)

    def _show_lr_plot(self, *_: object) -> None:
        """The learning-rate plot takes room only when asked for and there are rates to draw
        (runs opened for comparison and older runs have none)."""
        self.lr_plot_widget.setVisible(self.show_lr.isChecked() and self._lr_peak > 0)

    def _off_scale(self, key: CurveKey, values: np.ndarray) -> bool:
        if key.term == "loss" or values.size == 0:
            return False
        total_key = CurveKey(key.split, "loss", key.stage)
        if term_axis("loss", self._kind) != term_axis(key.term, self._kind):
            return False
        _, total = self.history.series(total_key, self.axis)
        if total.size == 0:
            return False
        reference = float(np.median(np.abs(total)))
        return float(np.median(np.abs(values))) > OFF_SCALE_FACTOR * max(reference, 1e-12)

    def _make_curve(self, key: CurveKey) -> pg.PlotDataItem:
        pairs = list(dict.fromkeys((k.term, k.stage) for k in [*self.curves, key]))
        colour = PALETTE[pairs.index((key.term, key.stage)) % len(PALETTE)]
        style = Qt.PenStyle.SolidLine if key.split == "train" else Qt.PenStyle.DashLine
        width = 2.0 if key.term == "loss" else 1.4
        pen = pg.mkPen(colour, width=width, style=style)
        if term_axis(key.term, self._kind) == "right":
            curve = pg.PlotDataItem([], [], pen=pen)
            curve.setLogMode(False, self.log_scale.isChecked())
            self.right.addItem(curve)
            self.legend.addItem(curve, translate("LossView", "{0} (right axis)").format(key.label))
            self.plot.showAxis("right")
            self._place_right_view()
        else:
            curve = self.plot.plot([], [], pen=pen, name=key.label)
        curve.setSkipFiniteCheck(False)
        curve.visibleChanged.connect(self._update_hidden_hint)
        self.curves[key] = curve
        return curve

    def _place_batch_curve(self, axis: str) -> None:
        """The per-batch loss goes on the axis of the total loss."""
        box = self.right if axis == "right" else self.viewbox
        if self.batch_curve.getViewBox() is box:
            return
        self.batch_curve.getViewBox().removeItem(self.batch_curve)
        box.addItem(self.batch_curve)
        self.batch_curve.setLogMode(False, self.log_scale.isChecked())
        if box is self.right:
            self.plot.showAxis("right")
            self._place_right_view()

    def _update_hidden_hint(self) -> None:
        hidden = [key.label for key, curve in self.curves.items() if not curve.isVisible()]
        if hidden:
            names = ", ".join(hidden)
            self.hidden_hint.setText(
                translate(
                    "LossView",
                    "Hidden: {0} (on another scale). Click an entry in the legend to show or "
                    "hide its curve.",
                ).format(names)
            )
        self.hidden_hint.setVisible(bool(hidden))

    def _show_pca(self, shown: bool) -> None:
        self.legend.removeItem(self.pca_line)
        self.pca_line.setVisible(shown)
        if shown:
            self.legend.addItem(self.pca_line, self._pca_label)

    def _refit(self, x_end: float | None = None) -> None:
        self.viewbox.refit(x_end)
        self.right.refit()

    def _place_right_view(self) -> None:
        self.right.setGeometry(self.viewbox.sceneBoundingRect())
        self.right.linkedViewChanged(self.viewbox, self.right.XAxis)
        # The right axis (blank) keeps the lr plot as wide as the loss plot when that has one.
        self.lr_plot.showAxis("right", self.plot.getAxis("right").isVisible())

    def _update_batch_curve(self) -> None:
        x, _ = self.history.batch_series(self.axis)
        self.batch_curve.setData(x, np.asarray(self._batch_smoothed, float))

    @Slot()
    def _redraw(self) -> None:
        self._update_axis_label()
        self._update_curves()
        self._update_batch_curve()
        for event, line in self.lr_lines:
            line.setPos(self.history.step_to_x(event.step, self.axis))
        self._refit(self._planned_x_end())
        self.plot.enableAutoRange()

    def _planned_x_end(self) -> float | None:
        """Where the running run will end on the x axis; None when no run is under way."""
        if self._planned_epochs is None or self.axis == "time":
            return None
        if self.axis == "epoch":
            return float(self._planned_epochs)
        return float(self._planned_epochs * self._n_batches)

    def _update_axis_label(self) -> None:
        labels = {
            "epoch": translate("LossView", "epoch"),
            "step": translate("LossView", "step"),
            "time": translate("LossView", "training time (s)"),
        }
        self.plot.setLabel("bottom", labels.get(self.axis, self.axis))

    def _place_pca_line(self) -> None:
        """Span PCA's line over the run (the planned one while training) at its loss."""
        if self._pca_loss is None:
            return
        end = self._planned_x_end() or 0.0
        for curve in self.curves.values():
            x = curve.xData
            if x is not None and len(x):
                end = max(end, float(np.nanmax(x)))
        start = 0.0 if self.axis == "step" else min(1.0, end)
        end = max(end, start + 1.0)
        self.pca_line.setData([start, end], [self._pca_loss, self._pca_loss])

    @Slot(bool)
    def _on_log_toggled(self, on: bool) -> None:
        self.plot.setLogMode(x=False, y=on)
        for curve in (*self.curves.values(), self.batch_curve):
            if curve.getViewBox() is self.right:
                curve.setLogMode(False, on)
        self.plot.getAxis("right").setLogMode(False, on)
        self.right.enableAutoRange()
        self._place_pca_line()
        self._refit(self._planned_x_end())
        self.plot.enableAutoRange()

    @Slot(int)
    def _on_smoothing(self, value: int) -> None:
        self.smoothing_label.setText(f"{value / 100:.2f}")
        self._batch_ema = Ema(self.alpha)
        self._batch_smoothed = [self._batch_ema.push(v) for v in self.history.batch_loss]
        self._update_curves()
        self._update_batch_curve()

    # -- export --------------------------------------------------------------------------------
    def export_csv(self, path: str | os.PathLike[str]) -> None:
        """Write the per-epoch curves (raw, not smoothed) as CSV, atomically."""
        atomic_write_text(path, self.history.to_csv())

    def export_image(self, path: str | os.PathLike[str]) -> None:
        """Write the view's plots as PNG or SVG (by the suffix), atomically: the loss plot and,
        when it shows, the learning-rate plot under it."""
        plots = [self.plot]
        if not self.lr_plot_widget.isHidden():
            plots.append(self.lr_plot)
        export_plots(plots, path)

    @Slot()
    def _ask_export_csv(self) -> None:
        if self._nothing_to_export():
            return
        path = file_dialogs.ask_save_path(
            self, translate("LossView", "Export loss curves"), "CSV (*.csv)", name="loss.csv"
        )
        if path:
            self._export(self.export_csv, path)

    @Slot()
    def _ask_export_image(self) -> None:
        if self._nothing_to_export():
            return
        path = file_dialogs.ask_save_path(
            self,
            translate("LossView", "Export loss plot"),
            translate("LossView", "PNG image (*.png);;SVG drawing (*.svg)"),
            name="loss.png",
        )
        if path:
            self._export(self.export_image, path)

    def _nothing_to_export(self) -> bool:
        """Say so, and True, when there are no curves yet."""
        if self.history.epochs:
            return False
        dialogs.show_warning(
            self,
            translate("LossView", "Nothing to export"),
            translate("LossView", "There are no loss curves yet: train a model first."),
        )
        return True

    def _export(self, export, path: str) -> None:
        try:
            export(path)
        except (OSError, AeviewerError) as exc:
            dialogs.show_error(self, translate("LossView", "Export failed"), f"{path}: {exc}")
