"""The GAN tab: samples of the fixed noise batch with an epoch slider, the two losses, the mean
discriminator outputs, and on 2-D data the real and generated points over D's output.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from aeviewer.data.dataset import Dataset
from aeviewer.gui.views.base import View
from aeviewer.gui.widgets.image_grid import MosaicPanel, as_images
from aeviewer.gui.widgets.legend import LEGEND_BOX, keep_clear
from aeviewer.gui.widgets.replay_history import ReplayHistory
from aeviewer.gui.widgets.view_export import ExportButton, export_plot, export_table
from aeviewer.io.atomic import atomic_open
from aeviewer.training.events import EpochEnd, Snapshot

translate = QCoreApplication.translate

#: Real points drawn under the generated ones on the plane, at most.
N_REAL_POINTS = 3000
_REAL_COLOR = (31, 119, 180)
_FAKE_COLOR = (255, 127, 14)


@dataclass(frozen=True)
class GanFrame:
    """What the slider replays of one snapshot."""

    epoch: int
    samples: np.ndarray
    grid: np.ndarray | None
    extent: tuple[float, float, float, float] | None
    d_real: float | None
    d_fake: float | None
    #: ``[covered, modes, high-quality fraction]`` on clustered 2-D data, else None.
    mode_quality: np.ndarray | None = None

    @property
    def nbytes(self) -> int:
        """Memory the frame holds."""
        return self.samples.nbytes + (0 if self.grid is None else self.grid.nbytes)


class GanView(View):
    """Generated samples over epochs, losses, D(x) and D(G(z)), and D's map on 2-D data."""

    title = "GAN"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dataset: Dataset | None = None
        self.frames: ReplayHistory[GanFrame] = ReplayHistory(lambda f: f.nbytes, 200, 2**27)
        self._frame_index = -1
        self._layout_kind = ""
        self.losses: dict[str, list[tuple[int, float]]] = {"d_loss": [], "g_loss": []}
        self._build()

    def _build(self) -> None:
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setEnabled(False)
        self.slider_label = QLabel(translate("GanView", "no samples yet"))
        self.export_button = ExportButton(self.export_plot, self.export_data, "gan")
        top = QHBoxLayout()
        top.addWidget(QLabel(translate("GanView", "Epoch")))
        top.addWidget(self.slider, 1)
        top.addWidget(self.slider_label)
        top.addWidget(self.export_button)
        self.canvas = pg.GraphicsLayoutWidget()
        ci = self.canvas.ci
        self.left = ci.addLayout(row=0, col=0, rowspan=2)
        self.loss_plot = ci.addPlot(row=0, col=1, title=translate("GanView", "Losses"))
        self.loss_plot.setLabel("bottom", translate("GanView", "epoch"))
        keep_clear(self.loss_plot, self.loss_plot.addLegend(labelTextSize="8pt", **LEGEND_BOX))
        self.loss_curves = {
            "d_loss": self.loss_plot.plot(
                pen=pg.mkPen(_REAL_COLOR, width=2), name=translate("GanView", "D loss")
            ),
            "g_loss": self.loss_plot.plot(
                pen=pg.mkPen(_FAKE_COLOR, width=2), name=translate("GanView", "G loss")
            ),
        }
        self.d_plot = ci.addPlot(
            row=1, col=1, title=translate("GanView", "Mean discriminator output")
        )
        self.d_plot.setLabel("bottom", translate("GanView", "epoch"))
        keep_clear(self.d_plot, self.d_plot.addLegend(labelTextSize="8pt", **LEGEND_BOX))
        self.d_curves = {
            "real": self.d_plot.plot(pen=pg.mkPen(_REAL_COLOR, width=2), name="D(x)"),
            "fake": self.d_plot.plot(pen=pg.mkPen(_FAKE_COLOR, width=2), name="D(G(z))"),
        }
        self.d_plot.addLine(y=0.5, pen=pg.mkPen((120, 120, 120), style=Qt.PenStyle.DashLine))
        self.d_plot.setYRange(0, 1, padding=0.02)
        for plot in (self.loss_plot, self.d_plot):
            plot.showGrid(x=True, y=True, alpha=0.2)
        ci.layout.setColumnStretchFactor(0, 3)
        ci.layout.setColumnStretchFactor(1, 2)
        self.samples_panel: MosaicPanel | None = None
        self.plane: pg.PlotItem | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)
        self.slider.valueChanged.connect(self._on_slider)

    def _build_left(self, kind: str) -> None:
        """Images get a mosaic; points get a plane with D's map, real and generated points."""
        self.left.clear()
        self._layout_kind = kind
        self.samples_panel = None
        self.plane = None
        if kind == "images":
            self.samples_panel = MosaicPanel(
                self.left, translate("GanView", "Samples of the fixed noise"), 0, 0
            )
            return
        self.plane = self.left.addPlot(
            row=0, col=0, title=translate("GanView", "Real and generated points")
        )
        keep_clear(self.plane, self.plane.addLegend(labelTextSize="8pt", **LEGEND_BOX))
        self.d_map = pg.ImageItem(axisOrder="row-major")
        self.d_map.setLookupTable(pg.colormap.get("CET-D1").getLookupTable(nPts=256))
        self.d_map.setOpacity(0.8)
        self.d_map.setZValue(-10)
        self.plane.addItem(self.d_map)
        self.real_points = pg.ScatterPlotItem(size=3, pen=None, brush=(*_REAL_COLOR, 140))
        self.fake_points = pg.ScatterPlotItem(size=4, pen=None, brush=_FAKE_COLOR)
        for item, name in (
            (self.real_points, translate("GanView", "real")),
            (self.fake_points, translate("GanView", "generated")),
        ):
            self.plane.addItem(item)
            self.plane.legend.addItem(item, name)
        self.color_bar = pg.ColorBarItem(
            values=(0, 1), colorMap=pg.colormap.get("CET-D1"), label="D(point)", interactive=False
        )
        self.color_bar.setImageItem(self.d_map, insert_in=self.plane)

    # -- View hooks ------------------------------------------------------------------------------
    def set_dataset(self, dataset: Dataset | None) -> None:
        """Keep the data set: its points are the real ones drawn on the plane."""
        self._dataset = dataset
        self.reset()

    def reset(self) -> None:
        """Forget every frame and loss."""
        self.frames.clear()
        self._frame_index = -1
        self.losses = {"d_loss": [], "g_loss": []}
        for curve in (*self.loss_curves.values(), *self.d_curves.values()):
            curve.setData([], [])
        self.loss_plot.enableAutoRange()
        self.d_plot.enableAutoRange(x=True, y=False)
        self.left.clear()
        self._layout_kind = ""
        self.samples_panel = None
        self.plane = None
        self.slider.blockSignals(True)
        self.slider.setRange(0, 0)
        self.slider.blockSignals(False)
        self.slider.setEnabled(False)
        self.slider_label.setText(translate("GanView", "no samples yet"))

    def on_epoch(self, event: EpochEnd) -> None:
        """Extend the loss curves with the epoch's D and G losses."""
        for name in self.losses:
            if name in event.train:
                self.losses[name].append((event.epoch, float(event.train[name])))
                points = np.array(self.losses[name])
                self.loss_curves[name].setData(points[:, 0], points[:, 1])

    def on_snapshot(self, event: Snapshot) -> None:
        """Keep the samples for replay; show them unless an older epoch is being replayed."""
        if event.gan_samples is None:
            return
        frame = GanFrame(
            event.epoch,
            np.asarray(event.gan_samples, np.float32),
            None if event.gan_grid is None else np.asarray(event.gan_grid, np.float32),
            event.gan_grid_extent,
            event.gan_d_real,
            event.gan_d_fake,
            event.extras.get("mode_quality"),
        )
        following = self._frame_index == len(self.frames) - 1
        self.frames.append(frame)
        self._update_d_curves()
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self.frames) - 1)
        if following:
            self.slider.setValue(len(self.frames) - 1)
        self.slider.setEnabled(len(self.frames) > 1)
        self.slider.blockSignals(False)
        self.show_frame(len(self.frames) - 1 if following else self.slider.value())

    # -- drawing ---------------------------------------------------------------------------------
    def show_frame(self, index: int) -> None:
        """Show the ``index``-th kept snapshot."""
        self._frame_index = index
        frame = self.frames[index]
        if self.slider.value() != index:
            self.slider.blockSignals(True)
            self.slider.setValue(index)
            self.slider.blockSignals(False)
        self.slider_label.setText(
            translate("GanView", "epoch {0} ({1}/{2})").format(
                frame.epoch, index + 1, len(self.frames)
            )
        )
        kind = "images" if frame.samples.ndim == 4 else "points"
        if kind != self._layout_kind:
            self._build_left(kind)
        if kind == "images":
            self.samples_panel.set_images(
                as_images(frame.samples.reshape(len(frame.samples), -1), frame.samples.shape[1:]),
                levels=self._levels(frame.samples),
            )
            self.samples_panel.set_title(
                translate("GanView", "Samples of the fixed noise, epoch {0}").format(frame.epoch)
            )
        else:
            self._draw_plane(frame)

    def _draw_plane(self, frame: GanFrame) -> None:
        fake = frame.samples.reshape(len(frame.samples), -1)
        self.fake_points.setData(
            fake[:, 0], fake[:, 1] if fake.shape[1] > 1 else np.zeros(len(fake))
        )
        ds = self._dataset
        if ds is not None and not ds.is_image and len(self.real_points.data) == 0:
            step = max(1, ds.n_samples // N_REAL_POINTS)
            real = ds.x[::step]
            self.real_points.setData(
                real[:, 0], real[:, 1] if real.shape[1] > 1 else np.zeros(len(real))
            )
        if frame.grid is not None and frame.extent is not None:
            x0, x1, y0, y1 = frame.extent
            # Grid rows run along y from y0 upwards, which a y-up plot draws as they are.
            self.d_map.setImage(frame.grid, levels=(0.0, 1.0))
            self.d_map.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
            self.d_map.setVisible(True)
        else:
            self.d_map.setVisible(False)
        if fake.shape[1] == 2:
            title = translate("GanView", "Real and generated points, epoch {0}")
        else:
            title = translate("GanView", "Real and generated, first two features, epoch {0}")
        self.plane.setTitle(title.format(frame.epoch) + _quality_text(frame))

    def _update_d_curves(self) -> None:
        rows = [(f.epoch, f.d_real, f.d_fake) for f in self.frames if f.d_real is not None]
        if not rows:
            return
        table = np.array(rows, np.float64)
        self.d_curves["real"].setData(table[:, 0], table[:, 1])
        self.d_curves["fake"].setData(table[:, 0], table[:, 2])

    @staticmethod
    def _levels(samples: np.ndarray) -> tuple[float, float]:
        lo, hi = float(samples.min()), float(samples.max())
        if lo >= -0.05 and hi <= 1.05:
            return 0.0, 1.0
        return lo, hi if hi > lo else lo + 1.0

    def _on_slider(self, value: int) -> None:
        if 0 <= value < len(self.frames):
            self.show_frame(value)

    # -- export ----------------------------------------------------------------------------------
    def export_plot(self, path: Path) -> Path:
        """Write the samples and curves as PNG or SVG."""
        return export_plot(self.canvas.ci, path)

    def export_data(self, path: Path) -> Path:
        """CSV: per epoch D and G losses and mean D outputs; NPY: the shown samples."""
        if path.suffix.lower() == ".npy" and 0 <= self._frame_index < len(self.frames):
            with atomic_open(path, "wb") as handle:
                np.save(handle, self.frames[self._frame_index].samples, allow_pickle=False)
            return path
        epochs = sorted({e for series in self.losses.values() for e, _ in series})
        if not epochs:
            raise ValueError(f"{path}: there are no GAN results to export yet")
        columns: dict[str, np.ndarray] = {"epoch": np.array(epochs)}
        for name, series in self.losses.items():
            by_epoch = dict(series)
            columns[name] = np.array([by_epoch.get(e, np.nan) for e in epochs])
        d_real = {f.epoch: f.d_real for f in self.frames if f.d_real is not None}
        d_fake = {f.epoch: f.d_fake for f in self.frames if f.d_fake is not None}
        columns["d_real"] = np.array([d_real.get(e, np.nan) for e in epochs])
        columns["d_fake"] = np.array([d_fake.get(e, np.nan) for e in epochs])
        return export_table(path, columns)


def _quality_text(frame: GanFrame) -> str:
    """``" · 8/8 modes, 95% within 3σ"`` for clustered 2-D data, else ""."""
    if frame.mode_quality is None:
        return ""
    covered, modes, good = frame.mode_quality
    return " · " + translate(
        "GanView", "{0}/{1} modes covered, {2} of samples within 3σ of one"
    ).format(int(covered), int(modes), f"{good:.0%}")
