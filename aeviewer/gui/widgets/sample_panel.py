"""The side panel of the latent-space view: the hovered sample with its reconstruction, the
selected samples, and an interpolation strip with its two end buttons."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from aeviewer.data.dataset import Dataset
from aeviewer.gui.widgets.image_grid import HEAT_MAP, MosaicPanel, as_images
from aeviewer.gui.widgets.legend import LEGEND_BOX

translate = QCoreApplication.translate

#: The gallery shows at most this many selected samples.
MAX_GALLERY = 64


class SamplePanel(QWidget):
    """Hover preview (thumbnails for images, values for vectors), gallery and interpolation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dataset: Dataset | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.preview_stack = QStackedWidget()
        preview_images = pg.GraphicsLayoutWidget()
        self.preview_panel = MosaicPanel(
            preview_images.ci, translate("SamplePanel", "Hover a point"), 0, 0
        )
        preview_vector = pg.GraphicsLayoutWidget()
        self.preview_plot = preview_vector.addPlot(title=translate("SamplePanel", "Hover a point"))
        self.preview_plot.addLegend(labelTextSize="8pt", **LEGEND_BOX)
        self.preview_original = self.preview_plot.plot(
            pen=pg.mkPen("w"), name=translate("SamplePanel", "sample")
        )
        self.preview_recon = self.preview_plot.plot(
            pen=pg.mkPen((255, 127, 14), style=Qt.PenStyle.DashLine),
            name=translate("SamplePanel", "reconstruction"),
        )
        self.preview_stack.addWidget(preview_images)
        self.preview_stack.addWidget(preview_vector)
        layout.addWidget(self.preview_stack, 2)

        gallery = pg.GraphicsLayoutWidget()
        self.gallery_panel = MosaicPanel(
            gallery.ci, translate("SamplePanel", "Selection: none"), 0, 0
        )
        layout.addWidget(gallery, 3)

        ends = QHBoxLayout()
        self.set_a_button = QPushButton(translate("SamplePanel", "A ← selected"))
        self.set_b_button = QPushButton(translate("SamplePanel", "B ← selected"))
        ends.addWidget(self.set_a_button)
        ends.addWidget(self.set_b_button)
        layout.addLayout(ends)
        strip = pg.GraphicsLayoutWidget()
        self.interpolation_panel = MosaicPanel(
            strip.ci, translate("SamplePanel", "Interpolation A → B"), 0, 0
        )
        layout.addWidget(strip, 1)

    def set_dataset(self, dataset: Dataset | None) -> None:
        """Show thumbnails for image data and value plots for vectors."""
        self._dataset = dataset
        self.preview_stack.setCurrentIndex(0 if dataset is None or dataset.is_image else 1)

    def clear(self) -> None:
        """Empty the hover preview, the gallery and the interpolation strip, titles too."""
        self.preview_panel.clear()
        self.preview_panel.set_title(translate("SamplePanel", "Hover a point"))
        self.preview_original.setData([], [])
        self.preview_recon.setData([], [])
        self.preview_plot.setTitle(translate("SamplePanel", "Hover a point"))
        self.show_gallery(np.zeros(0, np.int64))
        self.interpolation_panel.clear()
        self.interpolation_panel.set_title(translate("SamplePanel", "Interpolation A → B"))

    def show_preview(
        self, original: np.ndarray | None, recon: np.ndarray | None, label: str
    ) -> None:
        """Show a sample and/or its reconstruction (flat ``(D,)`` arrays) under ``label``."""
        ds = self._dataset
        if ds is None:
            return
        if ds.is_image:
            tiles = [s for s in (original, recon) if s is not None]
            recon_name = (
                translate("SamplePanel", "reconstruction")
                if original is not None
                else translate("SamplePanel", "decoded")
            )
            sample_name = translate("SamplePanel", "sample")
            names = [n for n, s in ((sample_name, original), (recon_name, recon)) if s is not None]
            self.preview_panel.set_images(
                as_images(np.stack(tiles), ds.sample_shape), names, len(tiles), ds.value_range
            )
            self.preview_panel.set_title(label)
            return
        features = np.arange(ds.n_features)
        for curve, values in ((self.preview_original, original), (self.preview_recon, recon)):
            if values is None:
                curve.setData([], [])
            else:
                curve.setData(features, values)
        self.preview_plot.setTitle(label)

    def show_gallery(self, indices: np.ndarray) -> None:
        """Show the data-set samples at ``indices`` (the first :data:`MAX_GALLERY`)."""
        ds = self._dataset
        if indices.size == 0 or ds is None or indices.max() >= ds.n_samples:
            self.gallery_panel.clear()
            self.gallery_panel.set_title(translate("SamplePanel", "Selection: none"))
            return
        shown = indices[:MAX_GALLERY]
        captions = None
        if ds.labels is not None and ds.is_image:
            captions = [ds.class_name(int(ds.labels[i])) for i in shown]
        self.show_samples(self.gallery_panel, ds.x[shown], captions=captions)
        more = (
            translate("SamplePanel", " (first {0} shown)").format(len(shown))
            if indices.size > len(shown)
            else ""
        )
        self.gallery_panel.set_title(
            translate("SamplePanel", "Selection: {0} samples").format(indices.size) + more
        )

    def show_interpolation(self, samples: np.ndarray, title: str) -> None:
        """Show decoded samples ``(steps, D)`` along a path in latent space, in one row."""
        self.show_samples(self.interpolation_panel, samples, n_columns=len(samples))
        self.interpolation_panel.set_title(title)

    def show_samples(
        self,
        panel: MosaicPanel,
        samples: np.ndarray,
        captions: list[str] | None = None,
        n_columns: int | None = None,
    ) -> None:
        """Images as a mosaic; vectors as one heat map (a row per sample, a column per feature)."""
        ds = self._dataset
        if ds is not None and ds.is_image and samples.shape[1] == ds.n_features:
            levels = ds.value_range
            panel.set_images(as_images(samples, ds.sample_shape), captions, n_columns, levels)
        else:
            panel.set_images(samples[None], n_columns=1, colormap=HEAT_MAP)
