"""The latent-space tab: a scatter of the encoded evaluation set, projected to 2-D when needed.

Colours show the class, the anomaly flag or the reconstruction error. Hovering shows the sample
with its reconstruction, a click selects a point, a rectangle or lasso selects a group. With a
2-D latent and a decoder, clicking or dragging in decode mode decodes that point live, a grid of
decoded samples can be laid over the plane, and any two samples can be interpolated. An epoch
slider replays how the latent space formed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from aeviewer.analysis import projections
from aeviewer.analysis.thresholds import Threshold
from aeviewer.data.dataset import Dataset
from aeviewer.gui.threads import FunctionWorker, while_alive
from aeviewer.gui.views.base import View
from aeviewer.gui.widgets.decoded_grid import decode_grid
from aeviewer.gui.widgets.replay_history import ReplayHistory
from aeviewer.gui.widgets.sample_panel import SamplePanel
from aeviewer.gui.widgets.scatter_layers import Layer, ScatterLayers, class_colors, ramp_colors
from aeviewer.gui.widgets.selection_viewbox import MODES, SelectionViewBox, points_in_polygon
from aeviewer.gui.widgets.view_export import ExportButton, export_plot, export_table
from aeviewer.training.events import Snapshot

translate = QCoreApplication.translate

Decoder = Callable[[np.ndarray], np.ndarray]

COLOR_BY: tuple[str, ...] = ("class", "anomaly", "error")
_COLOR_LABELS = {
    "class": QT_TRANSLATE_NOOP("LatentView", "Class"),
    "anomaly": QT_TRANSLATE_NOOP("LatentView", "Anomaly flag"),
    "error": QT_TRANSLATE_NOOP("LatentView", "Reconstruction error"),
}
_MODE_LABELS = {
    "pan": QT_TRANSLATE_NOOP("LatentView", "Pan / pick"),
    "rect": QT_TRANSLATE_NOOP("LatentView", "Select rectangle"),
    "lasso": QT_TRANSLATE_NOOP("LatentView", "Select lasso"),
    "decode": QT_TRANSLATE_NOOP("LatentView", "Decode point"),
}
_HOVER_RADIUS_PX = 8.0


def _of_latents(method: str, dim: int) -> str:
    """E.g. ``PCA of 16-D latents``."""
    return translate("LatentView", "{0} of {1}-D latents").format(method, dim)


_N_ERROR_BINS = 8
_INTERPOLATION_STEPS = 10


@dataclass(frozen=True)
class LatentFrame:
    """One snapshot as the replay slider keeps it: 2-D positions (PCA above 2-D) and scores."""

    epoch: int
    eval_indices: np.ndarray
    positions: np.ndarray
    scores: np.ndarray | None

    @property
    def nbytes(self) -> int:
        """Memory the frame holds."""
        return self.positions.nbytes + (0 if self.scores is None else self.scores.nbytes)

    @cached_property
    def max_index(self) -> int:
        """The largest data-set index (to check the frame fits the data set), -1 when empty."""
        return int(self.eval_indices.max()) if self.eval_indices.size else -1


class LatentView(View):
    """Scatter of ``Snapshot.latents`` with projection, colouring, hover, selection and decoding.

    Signals
    -------
    selection_changed(object)
        Data-set indices (``np.ndarray``) of the selected samples.
    projection_finished(str)
        A background projection (``"tsne"`` or ``"umap"``) finished and is drawn.
    """

    title = "Latent space"
    selection_changed = Signal(object)
    projection_finished = Signal(str)

    #: Replay keeps at most this many snapshots and this many bytes; older ones are thinned out.
    MAX_FRAMES = 200
    MAX_FRAME_BYTES = 256 * 2**20

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dataset: Dataset | None = None
        self._decoder: Decoder | None = None
        self._frames: ReplayHistory[LatentFrame] = ReplayHistory(
            lambda f: f.nbytes, self.MAX_FRAMES, self.MAX_FRAME_BYTES
        )
        self._latest: Snapshot | None = None
        self._frame_index = -1
        self._positions = np.zeros((0, 2), np.float32)
        #: Something changed while the tab was hidden; drawn when it is shown.
        self._stale = False
        self._selection = np.zeros(0, np.int64)
        self._ends: list[int | None] = [None, None]
        self._cache: dict[tuple[int, str], np.ndarray] = {}
        #: (data set, evaluation indices, order by class, class bounds) of the last class
        #: layering: the order is the same for every snapshot of a run and costs most of an
        #: update with a million points.
        self._class_order: tuple[Dataset, np.ndarray, np.ndarray, np.ndarray] | None = None
        #: The running projection and the (epoch, method) it computes; a new one supersedes it.
        self._pending: tuple[FunctionWorker, tuple[int, str]] | None = None
        #: The running decoded-grid computation, and its number (older ones are ignored).
        self._grid_pending: FunctionWorker | None = None
        self._grid_number = 0
        self._build()

    # -- construction ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.color_combo = QComboBox()
        for key in COLOR_BY:
            self.color_combo.addItem(translate("LatentView", _COLOR_LABELS[key]), key)
        self.projection_combo = QComboBox()
        hints = []
        for method in projections.METHODS:
            self.projection_combo.addItem(projections.METHOD_LABELS[method], method)
            if not projections.is_available(method):
                item = self.projection_combo.model().item(self.projection_combo.count() - 1)
                item.setEnabled(False)
                hint = projections.install_hint(method)
                item.setToolTip(hint)
                hints.append(projections.METHOD_LABELS[method])
        self.install_hint = QLabel(
            translate("LatentView", "{0}: {1}").format(
                translate("LatentView", " and ").join(hints), projections.INSTALL_HINT
            )
            if hints
            else ""
        )
        self.install_hint.setVisible(bool(hints))
        self.install_hint.setStyleSheet("color: gray;")
        self.mode_combo = QComboBox()
        for mode in MODES:
            self.mode_combo.addItem(translate("LatentView", _MODE_LABELS[mode]), mode)
        self.grid_check = QCheckBox(translate("LatentView", "Decoded grid"))
        self.status = QLabel("")
        self.export_button = ExportButton(self.export_plot, self.export_data, "latent")

        top = QHBoxLayout()
        for label, widget in (
            (translate("LatentView", "Colour"), self.color_combo),
            (translate("LatentView", "Projection"), self.projection_combo),
        ):
            top.addWidget(QLabel(label))
            top.addWidget(widget)
        top.addWidget(self.mode_combo)
        top.addWidget(self.grid_check)
        top.addWidget(self.status, 1)
        top.addWidget(self.export_button)

        self.viewbox = SelectionViewBox()
        self.plot_widget = pg.PlotWidget(viewBox=self.viewbox)
        self.plot = self.plot_widget.getPlotItem()
        self.layers = ScatterLayers(self.plot)
        self.grid_image = pg.ImageItem(axisOrder="row-major")
        self.grid_image.setZValue(-10)
        self.grid_image.setOpacity(0.85)
        self.plot.addItem(self.grid_image)
        self.cursor = pg.ScatterPlotItem(
            pxMode=True, size=14, symbol="+", pen=pg.mkPen("r", width=2), hoverable=False
        )
        self.cursor.setZValue(101)
        self.plot.addItem(self.cursor)
        self.outline = pg.PlotCurveItem(pen=pg.mkPen((255, 255, 0), width=1, style=Qt.DashLine))
        self.outline.setZValue(102)
        self.plot.addItem(self.outline)

        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setEnabled(False)
        self.slider_label = QLabel(translate("LatentView", "no snapshot yet"))
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(translate("LatentView", "Epoch")))
        bottom.addWidget(self.slider, 1)
        bottom.addWidget(self.slider_label)

        self.side = SamplePanel()
        # The side panel's parts, for the view's callers and tests.
        self.preview_panel = self.side.preview_panel
        self.preview_plot = self.side.preview_plot
        self.preview_original = self.side.preview_original
        self.preview_recon = self.side.preview_recon
        self.gallery_panel = self.side.gallery_panel
        self.interpolation_panel = self.side.interpolation_panel
        self.set_a_button = self.side.set_a_button
        self.set_b_button = self.side.set_b_button
        self.set_a_button.clicked.connect(lambda: self._set_end(0))
        self.set_b_button.clicked.connect(lambda: self._set_end(1))
        splitter = QSplitter()
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.plot_widget, 1)
        centre_layout.addLayout(bottom)
        splitter.addWidget(centre)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.install_hint)
        layout.addWidget(splitter, 1)

        self.color_combo.currentIndexChanged.connect(self._redraw)
        self.projection_combo.currentIndexChanged.connect(self._show_current_frame)
        self.mode_combo.currentIndexChanged.connect(
            lambda: self.viewbox.set_mode(self.mode_combo.currentData())
        )
        self.grid_check.toggled.connect(self._update_decoded_grid)
        self.slider.valueChanged.connect(self._on_slider)
        self.viewbox.clicked.connect(self._on_click)
        self.viewbox.dragged.connect(self._on_drag)
        self._hover_proxy = pg.SignalProxy(
            self.plot_widget.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse_moved
        )
        self._update_controls()

    # -- View hooks ------------------------------------------------------------------------------
    def set_dataset(self, dataset: Dataset | None) -> None:
        """Keep the data set for labels, flags and hover thumbnails; forget old snapshots."""
        self._dataset = dataset
        self.reset()
        self.side.set_dataset(dataset)

    def reset(self) -> None:
        """Forget every snapshot and selection."""
        self._cancel_projection()
        self._cancel_grid()
        self._frames.clear()
        self._cache.clear()
        self._latest = None
        self._frame_index = -1
        self._positions = np.zeros((0, 2), np.float32)
        self._stale = False
        self._ends = [None, None]
        self.layers.clear()
        self.grid_image.clear()
        self.cursor.setData([], [])
        self.outline.setData([], [])
        self.side.clear()
        self._set_selection(np.zeros(0, np.int64))
        self.slider.blockSignals(True)
        self.slider.setRange(0, 0)
        self.slider.blockSignals(False)
        self.slider_label.setText(translate("LatentView", "no snapshot yet"))
        self.status.setText("")
        self.plot.enableAutoRange()
        self._update_controls()

    def on_snapshot(self, event: Snapshot) -> None:
        """Keep the snapshot for replay and show it unless the user is replaying an older one."""
        if event.latents is None:
            return
        latents = np.asarray(event.latents, np.float32)
        positions = latents if latents.shape[1] == 2 else projections.pca_2d(latents)
        if latents.shape[1] == 1:
            positions = projections.pca_2d(latents)
        scores = None if event.scores is None else np.asarray(event.scores, np.float32)
        frame = LatentFrame(event.epoch, np.asarray(event.eval_indices), positions, scores)
        following = self._frame_index < 0 or self._frame_index == len(self._frames) - 1
        self._latest = event
        self._cache = {k: v for k, v in self._cache.items() if k[0] == event.epoch}
        self._frames.append(frame)
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self._frames) - 1)
        if following:
            self.slider.setValue(len(self._frames) - 1)
        self.slider.setEnabled(len(self._frames) > 1)
        self.slider.blockSignals(False)
        self._frame_index = self.slider.value() if not following else len(self._frames) - 1
        self._update_controls()
        self._show_current_frame()

    def closeEvent(self, event: object) -> None:
        """Stop the background workers with the widget."""
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Cancel background work (waits for nothing: a superseded job is ignored)."""
        self._cancel_projection()
        self._cancel_grid()

    # -- public actions (the controls call these; tests too) -----------------------------------
    def set_decoder(self, decoder: Decoder | None) -> None:
        """Set the function that decodes latents ``(n, K)`` into samples ``(n, D)``, or None."""
        self._decoder = decoder
        self._update_controls()
        self._update_decoded_grid()

    def view_state(self) -> dict:
        """The selection (data-set indices), the colouring and the projection, for a session."""
        return {
            "selection": [int(i) for i in self.selected_indices()],
            "color_by": self.color_combo.currentData(),
            "projection": self.projection_combo.currentData(),
        }

    def restore_view_state(self, state: dict) -> None:
        """Put back :meth:`view_state` (unknown keys and values are ignored)."""
        if state.get("color_by") in COLOR_BY:
            self.set_color_by(state["color_by"])
        if state.get("projection") in projections.METHODS:
            self.set_projection(state["projection"])
        frame = self._current_frame()
        wanted = np.asarray(state.get("selection") or [], np.int64)
        if frame is not None and wanted.size:
            self._set_selection(np.flatnonzero(np.isin(frame.eval_indices, wanted)))

    def set_color_by(self, key: str) -> None:
        """Colour points by ``"class"``, ``"anomaly"`` or ``"error"``."""
        self.color_combo.setCurrentIndex(COLOR_BY.index(key))

    def set_projection(self, method: str) -> None:
        """Project latents above 2-D with ``method`` (``"pca"``, ``"tsne"`` or ``"umap"``)."""
        self.projection_combo.setCurrentIndex(projections.METHODS.index(method))

    def set_mode(self, mode: str) -> None:
        """Set the interaction mode: ``"pan"``, ``"rect"``, ``"lasso"`` or ``"decode"``."""
        self.mode_combo.setCurrentIndex(MODES.index(mode))

    def show_frame(self, index: int) -> None:
        """Show the ``index``-th kept snapshot (as the slider does)."""
        self.slider.setValue(index)

    @property
    def frames(self) -> list[LatentFrame]:
        """The snapshots kept for replay, oldest first."""
        return list(self._frames)

    @property
    def positions(self) -> np.ndarray:
        """The 2-D positions drawn now, one row per evaluation sample."""
        return self._positions

    def selected_indices(self) -> np.ndarray:
        """Data-set indices of the selected samples."""
        frame = self._current_frame()
        if frame is None:
            return np.zeros(0, np.int64)
        return np.asarray(frame.eval_indices[self._selection], np.int64)

    def pick(self, x: float, y: float) -> int | None:
        """Select the point nearest to ``(x, y)`` (within a few pixels); returns its row or None."""
        row = self._nearest(x, y)
        self._set_selection(np.zeros(0, np.int64) if row is None else np.array([row]))
        return row

    def select_rect(self, x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
        """Select the points inside a rectangle; returns their data-set indices."""
        p = self._positions
        lo_x, hi_x, lo_y, hi_y = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        inside = (p[:, 0] >= lo_x) & (p[:, 0] <= hi_x) & (p[:, 1] >= lo_y) & (p[:, 1] <= hi_y)
        self._set_selection(np.flatnonzero(inside))
        return self.selected_indices()

    def select_polygon(self, polygon: np.ndarray) -> np.ndarray:
        """Select the points inside a closed polygon ``(M, 2)``; returns their data-set indices."""
        self._set_selection(np.flatnonzero(points_in_polygon(self._positions, polygon)))
        return self.selected_indices()

    def decode_at(self, x: float, y: float) -> np.ndarray | None:
        """Decode the latent point ``(x, y)`` (2-D latents only) and show it; returns the sample."""
        if not self._can_decode_plane():
            return None
        sample = np.asarray(self._decoder(np.array([[x, y]], np.float32)), np.float32)[0]
        self.cursor.setData([x], [y])
        self.side.show_preview(
            None,
            sample,
            translate("LatentView", "decoded ({0}, {1})").format(f"{x:.2f}", f"{y:.2f}"),
        )
        return sample

    def interpolate(self, row_a: int, row_b: int) -> np.ndarray | None:
        """Decode ``10`` steps between the latents of evaluation rows ``a`` and ``b``."""
        if self._decoder is None or self._latest is None or self._latest.latents is None:
            return None
        latents = np.asarray(self._latest.latents, np.float32)
        t = np.linspace(0.0, 1.0, _INTERPOLATION_STEPS, dtype=np.float32)[:, None]
        path = (1 - t) * latents[row_a] + t * latents[row_b]
        samples = np.asarray(self._decoder(path), np.float32)
        self.side.show_interpolation(
            samples, translate("LatentView", "Interpolation #{0} → #{1}").format(row_a, row_b)
        )
        return samples

    def decoded_grid_ready(self) -> bool:
        """True when the decoded grid is drawn and no grid computation is pending."""
        return self._grid_pending is None and self.grid_image.image is not None

    def export_plot(self, path: Path) -> Path:
        """Write the scatter as PNG or SVG."""
        return export_plot(self.plot, path)

    def export_data(self, path: Path) -> Path:
        """Write the drawn points (index, x, y, label, score, selected) as CSV or NPY."""
        frame = self._current_frame()
        if frame is None:
            raise ValueError(f"{path}: there is no latent snapshot to export yet")
        columns: dict[str, np.ndarray] = {
            "index": frame.eval_indices,
            "x": self._positions[:, 0],
            "y": self._positions[:, 1],
        }
        labels = self._eval_labels(frame)
        if labels is not None:
            columns["label"] = labels
        if frame.scores is not None:
            columns["score"] = frame.scores
        selected = np.zeros(len(frame.eval_indices), bool)
        selected[self._selection] = True
        columns["selected"] = selected
        return export_table(path, columns)

    # -- drawing ---------------------------------------------------------------------------------
    def _current_frame(self) -> LatentFrame | None:
        if 0 <= self._frame_index < len(self._frames):
            return self._frames[self._frame_index]
        return None

    def _showing_latest(self) -> bool:
        return self._frame_index == len(self._frames) - 1 and self._latest is not None

    def _show_current_frame(self) -> None:
        frame = self._current_frame()
        if frame is None:
            return
        method = self.projection_combo.currentData()
        dim = self._latent_dim()
        self.slider_label.setText(
            translate("LatentView", "epoch {0} ({1}/{2})").format(
                frame.epoch, self._frame_index + 1, len(self._frames)
            )
        )
        # t-SNE and UMAP apply to the newest snapshot; PCA shows older ones and stands in
        # while a projection is computed.
        projected = dim > 2 and method != "pca" and self._showing_latest()
        key = (frame.epoch, method)
        if self._in_hidden_tab():
            # Keep the positions (selections work on them) and draw when the tab is shown; a
            # t-SNE or UMAP run would only take CPU from training while nobody looks.
            cached = self._cache.get(key) if projected else None
            self._positions = frame.positions if cached is None else cached
            self._stale = True
            return
        if not projected:
            self._cancel_projection()
            if dim > 2 and method != "pca":
                self.status.setText(
                    translate("LatentView", "replaying an older epoch: PCA projection")
                )
            else:
                self.status.setText("" if dim <= 2 else _of_latents("PCA", dim))
            self._draw(frame.positions)
            return
        if key in self._cache:
            self.status.setText(_of_latents(projections.METHOD_LABELS[method], dim))
            self._draw(self._cache[key])
            return
        if self._pending is None or self._pending[1] != key:
            self._start_projection(np.array(self._latest.latents, np.float32), method, key)
        label = projections.METHOD_LABELS[method]
        self.status.setText(
            translate("LatentView", "computing {0} of {1} points… (PCA meanwhile)").format(
                label, len(frame.positions)
            )
        )
        self._draw(frame.positions)

    def showEvent(self, event: QShowEvent) -> None:
        """Draw what arrived while the tab was hidden."""
        super().showEvent(event)
        if self._stale:
            self._show_current_frame()

    def _draw(self, positions: np.ndarray) -> None:
        self._positions = positions
        frame = self._current_frame()
        if frame is None:
            return
        if self._in_hidden_tab():
            self._stale = True
            return
        self._stale = False
        self.layers.set_highlight(self._selection, render=False)
        self.layers.set_layers(positions, self._layers(frame))
        self._update_decoded_grid()

    def _redraw(self) -> None:
        if self._current_frame() is not None:
            self._draw(self._positions)

    def _layers(self, frame: LatentFrame) -> list[Layer]:
        n = len(frame.eval_indices)
        color_by = self.color_combo.currentData()
        if color_by == "error" and frame.scores is not None:
            return _error_layers(frame.scores)
        if color_by == "anomaly":
            flags, name = self._anomaly_flags(frame)
            if flags is not None:
                red, grey = pg.mkColor(214, 39, 40), pg.mkColor(140, 140, 140)
                return [
                    Layer(translate("LatentView", "normal"), np.flatnonzero(~flags), grey),
                    Layer(name, np.flatnonzero(flags), red),
                ]
        labels = self._eval_labels(frame)
        if color_by == "class" and labels is not None and self._dataset is not None:
            n_classes = max(self._dataset.n_classes, int(labels.max()) + 1)
            colors = class_colors(n_classes)
            order, bounds = self._order_by_class(frame, labels, n_classes)
            return [
                Layer(self._dataset.class_name(c), order[bounds[c] : bounds[c + 1]], colors[c])
                for c in range(n_classes)
                if bounds[c + 1] > bounds[c]
            ]
        return [Layer(translate("LatentView", "samples"), np.arange(n), pg.mkColor(31, 119, 180))]

    def _order_by_class(
        self, frame: LatentFrame, labels: np.ndarray, n_classes: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rows sorted by class and each class's bounds in them (kept while they hold)."""
        cached = self._class_order
        if (
            cached is not None
            and cached[0] is self._dataset
            and len(cached[3]) == n_classes + 1
            and np.array_equal(cached[1], frame.eval_indices)
        ):
            return cached[2], cached[3]
        order = np.argsort(labels, kind="stable")
        bounds = np.searchsorted(labels[order], np.arange(n_classes + 1))
        self._class_order = (self._dataset, np.array(frame.eval_indices), order, bounds)
        return order, bounds

    def _anomaly_flags(self, frame: LatentFrame) -> tuple[np.ndarray | None, str]:
        ds = self._dataset
        if ds is not None and ds.anomalies is not None and self._indices_fit(frame):
            return np.asarray(ds.anomalies[frame.eval_indices], bool), translate(
                "LatentView", "anomaly"
            )
        if frame.scores is not None:
            return Threshold("percentile", 95.0).flags(frame.scores), translate(
                "LatentView", "top 5% error"
            )
        return None, ""

    def _eval_labels(self, frame: LatentFrame) -> np.ndarray | None:
        ds = self._dataset
        if ds is None or ds.labels is None or not self._indices_fit(frame):
            return None
        return ds.labels[frame.eval_indices]

    def _indices_fit(self, frame: LatentFrame) -> bool:
        ds = self._dataset
        return ds is not None and frame.max_index < ds.n_samples

    def _latent_dim(self) -> int:
        if self._latest is None or self._latest.latents is None:
            return 0
        return int(np.asarray(self._latest.latents).shape[1])

    def _update_controls(self) -> None:
        plane = self._can_decode_plane()
        self.grid_check.setEnabled(plane and self._dataset is not None and self._dataset.is_image)
        mode_model = self.mode_combo.model()
        mode_model.item(MODES.index("decode")).setEnabled(plane)
        if not plane and self.mode_combo.currentData() == "decode":
            self.set_mode("pan")
        has_scores = self._latest is not None and self._latest.scores is not None
        self.color_combo.model().item(COLOR_BY.index("error")).setEnabled(has_scores)
        can_interpolate = self._decoder is not None and self._latest is not None
        self.set_a_button.setEnabled(can_interpolate)
        self.set_b_button.setEnabled(can_interpolate)

    def _can_decode_plane(self) -> bool:
        return self._decoder is not None and self._latent_dim() == 2

    # -- selection and hover ---------------------------------------------------------------------
    def _nearest(self, x: float, y: float) -> int | None:
        p = self._positions
        if p.shape[0] == 0:
            return None
        pixel = self.viewbox.viewPixelSize()
        px, py = (pixel[0] or 1.0), (pixel[1] or 1.0)
        d2 = ((p[:, 0] - x) / px) ** 2 + ((p[:, 1] - y) / py) ** 2
        row = int(np.argmin(d2))
        return row if d2[row] <= _HOVER_RADIUS_PX**2 else None

    def _set_selection(self, rows: np.ndarray) -> None:
        self._selection = np.asarray(rows, np.int64)
        self._draw_highlight()
        self.side.show_gallery(self.selected_indices())
        self.selection_changed.emit(self.selected_indices())

    def _draw_highlight(self) -> None:
        self.layers.set_highlight(self._selection, render=not self._in_hidden_tab())

    def _on_mouse_moved(self, args: tuple[QPointF]) -> None:
        pos = args[0]
        if not self.plot.sceneBoundingRect().contains(pos) or self.viewbox.mode == "decode":
            return
        point = self.viewbox.mapSceneToView(pos)
        row = self._nearest(point.x(), point.y())
        if row is not None:
            self.hover(row)

    def hover(self, row: int) -> None:
        """Show evaluation row ``row`` with its reconstruction in the preview."""
        frame = self._current_frame()
        ds = self._dataset
        if frame is None or ds is None or not self._indices_fit(frame):
            return
        index = int(frame.eval_indices[row])
        original = ds.x[index]
        label = f"#{index}"
        if ds.labels is not None:
            label += f" ({ds.class_name(int(ds.labels[index]))})"
        if frame.scores is not None:
            label += translate("LatentView", " error {0}").format(f"{frame.scores[row]:.4g}")
        self.side.show_preview(original, self._reconstruction_of(row, index), label)

    def _reconstruction_of(self, row: int, index: int) -> np.ndarray | None:
        snap = self._latest
        if snap is None or not self._showing_latest():
            return None
        if snap.recon_indices is not None and snap.reconstructions is not None:
            hits = np.flatnonzero(np.asarray(snap.recon_indices) == index)
            if hits.size:
                return np.asarray(snap.reconstructions[hits[0]], np.float32).reshape(-1)
        if self._decoder is not None and snap.latents is not None:
            latent = np.asarray(snap.latents[row : row + 1], np.float32)
            return np.asarray(self._decoder(latent), np.float32)[0]
        return None

    def _on_click(self, point: QPointF) -> None:
        if self.viewbox.mode == "decode":
            self.decode_at(point.x(), point.y())
        elif self.viewbox.mode == "pan":
            row = self.pick(point.x(), point.y())
            if row is not None:
                self.hover(row)

    def _on_drag(self, start: QPointF, current: QPointF, finished: bool) -> None:
        mode = self.viewbox.mode
        if mode == "decode":
            self.decode_at(current.x(), current.y())
            return
        if mode == "rect":
            xs = [start.x(), current.x(), current.x(), start.x(), start.x()]
            ys = [start.y(), start.y(), current.y(), current.y(), start.y()]
            self.outline.setData(xs, ys)
            if finished:
                self.outline.setData([], [])
                self.select_rect(start.x(), start.y(), current.x(), current.y())
            return
        if mode == "lasso":
            xs, ys = self.outline.getData()
            if xs is None or len(xs) == 0:
                xs, ys = np.array([start.x()]), np.array([start.y()])
            xs, ys = np.append(xs, current.x()), np.append(ys, current.y())
            self.outline.setData(xs, ys)
            if finished:
                self.outline.setData([], [])
                self.select_polygon(np.column_stack([xs, ys]))

    def _set_end(self, which: int) -> None:
        if self._selection.size:
            self._ends[which] = int(self._selection[0])
        a, b = self._ends
        if a is not None and b is not None:
            self.interpolate(a, b)

    # -- background work -------------------------------------------------------------------------
    def _update_decoded_grid(self) -> None:
        if not (self.grid_check.isChecked() and self.grid_check.isEnabled()):
            self._cancel_grid()
            self.grid_image.clear()
            return
        if self._in_hidden_tab():
            self._stale = True
            return
        p = self._positions
        if p.shape[0] == 0:
            return
        lo, hi = np.percentile(p, 1, axis=0), np.percentile(p, 99, axis=0)
        decoder, ds = self._decoder, self._dataset
        job = partial(decode_grid, decoder, lo, hi, ds.sample_shape)
        self._cancel_grid()
        worker = FunctionWorker(lambda progress, cancel: job(cancel), "aeviewer-decode")
        self._grid_number += 1
        worker.signals.returned.connect(
            while_alive(self, partial(self._on_grid, self._grid_number))
        )
        worker.signals.errored.connect(
            while_alive(self, partial(self._on_grid_failed, self._grid_number))
        )
        self._grid_pending = worker
        worker.start()

    def _cancel_grid(self) -> None:
        worker, self._grid_pending = self._grid_pending, None
        if worker is not None:
            worker.quit()

    def _on_grid(self, number: int, result: tuple[np.ndarray, QRectF]) -> None:
        if self._grid_pending is None or number != self._grid_number:
            return
        self._grid_pending = None
        mosaic, rect = result
        self.grid_image.setImage(mosaic, levels=self._dataset.value_range)
        self.grid_image.setRect(rect)

    def _on_grid_failed(self, number: int, message: str) -> None:
        if self._grid_pending is not None and number == self._grid_number:
            self._grid_pending = None
            self.status.setText(
                translate("LatentView", "decoding the grid failed: {0}").format(message)
            )

    def _start_projection(self, latents: np.ndarray, method: str, key: tuple[int, str]) -> None:
        self._cancel_projection()
        worker = FunctionWorker(
            lambda progress, cancel: _project_job(latents, method, cancel), "aeviewer-latent"
        )
        worker.signals.returned.connect(while_alive(self, partial(self._on_projected, key)))
        worker.signals.errored.connect(while_alive(self, partial(self._on_projection_failed, key)))
        self._pending = (worker, key)
        worker.start()

    def _cancel_projection(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending[0].quit()

    def _on_projected(self, key: tuple[int, str], positions: np.ndarray) -> None:
        if self._pending is None or self._pending[1] != key:
            return
        self._pending = None
        self._cache[key] = positions
        frame = self._current_frame()
        label = projections.METHOD_LABELS[key[1]]
        if (
            frame is not None
            and self._showing_latest()
            and key == (frame.epoch, self.projection_combo.currentData())
        ):
            self.status.setText(_of_latents(label, self._latent_dim()))
            self._draw(self._cache[key])
        self.projection_finished.emit(key[1])

    def _on_projection_failed(self, key: tuple[int, str], message: str) -> None:
        if self._pending is None or self._pending[1] != key:
            return
        self._pending = None
        self.status.setText(
            translate("LatentView", "{0} failed: {1}").format(
                projections.METHOD_LABELS[key[1]], message
            )
        )

    def _on_slider(self, value: int) -> None:
        self._frame_index = value
        self._show_current_frame()


def _error_layers(scores: np.ndarray) -> list[Layer]:
    edges = np.quantile(scores, np.linspace(0, 1, _N_ERROR_BINS + 1))
    bins = np.clip(np.searchsorted(edges[1:-1], scores, side="right"), 0, _N_ERROR_BINS - 1)
    colors = ramp_colors(_N_ERROR_BINS)
    return [
        Layer(f"≤ {edges[b + 1]:.3g}", np.flatnonzero(bins == b), colors[b])
        for b in range(_N_ERROR_BINS)
    ]


def _project_job(latents: np.ndarray, method: str, cancel: projections.CancelCheck) -> np.ndarray:
    return projections.project(latents, method, seed=0, cancel=cancel)
