"""How the Data panel prepares the loaded data for training: the normalisation and, for
labelled data, a normal class (one-class anomaly detection: train on that class only).

A change is first confirmed (the main window asks to reset a trained model, as for a new data
set) and only then taken; declined, the choice goes back to what it was.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from aeviewer.config import NORMALIZATIONS
from aeviewer.data.dataset import Dataset

#: The data set's own preparation: what a DataSpec holds by default.
DEFAULT_NORMALIZE = "auto"

#: The normal-class combo's item data for "every class" (None does not survive a QVariant).
EVERY_CLASS = -1


class PreparationBox(QWidget):
    """Two choices, ``normalize`` (``DataSpec.normalize``) and ``normal_class``
    (``DataSpec.normal_class``); ``changed`` fires after the user changed one and it was
    confirmed (never for :meth:`set_values` or :meth:`set_dataset`)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: Asked before a change is taken; False puts the old choice back.
        self.confirm_change: Callable[[], bool] = lambda: True
        self.normalize_combo = QComboBox()
        texts = {
            "auto": self.tr("auto ([0, 1] data kept, others z-scored)"),
            "none": self.tr("none (values as loaded)"),
            "minmax": self.tr("min-max to [0, 1]"),
            "zscore": self.tr("z-score (mean 0, deviation 1)"),
        }
        for name in NORMALIZATIONS:
            self.normalize_combo.addItem(texts.get(name, name), name)
        self.normalize_combo.setToolTip(
            self.tr(
                "How the values are scaled before training; a divergent run often trains "
                "with z-scored data"
            )
        )
        self.normal_class_combo = QComboBox()
        self.normal_class_combo.setToolTip(
            self.tr(
                "Train on this class only, the normal one (one-class anomaly detection); "
                "validation and the Anomalies view still see every class. Only for data "
                "with labels."
            )
        )
        self._applied: tuple[str, int | None] = (DEFAULT_NORMALIZE, None)
        self._fill_classes(None)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.tr("Normalisation"), self.normalize_combo)
        layout.addRow(self.tr("Normal class"), self.normal_class_combo)
        self.normalize_combo.activated.connect(self._on_picked)
        self.normal_class_combo.activated.connect(self._on_picked)

    # -- values --------------------------------------------------------------------------------
    @property
    def normalize(self) -> str:
        """The chosen normalisation (a ``DataSpec.normalize`` value)."""
        return self._applied[0]

    @property
    def normal_class(self) -> int | None:
        """The class to train on, or None for every sample."""
        return self._applied[1]

    def set_values(self, normalize: str, normal_class: int | None) -> None:
        """Show ``normalize`` and ``normal_class`` (a class the data do not have is dropped)."""
        if normal_class is not None and self.normal_class_combo.findData(normal_class) < 0:
            normal_class = None
        self._applied = (normalize, normal_class)
        self._show(self._applied)

    def set_dataset(self, dataset: Dataset | None) -> None:
        """Offer the classes of ``dataset`` and go back to the default preparation."""
        self._fill_classes(dataset)
        self.set_values(DEFAULT_NORMALIZE, None)

    # -- internals -----------------------------------------------------------------------------
    def _fill_classes(self, dataset: Dataset | None) -> None:
        combo = self.normal_class_combo
        combo.clear()
        combo.addItem(self.tr("none: train on every class"), EVERY_CLASS)
        n_classes = dataset.n_classes if dataset is not None else 0
        for label in range(n_classes):
            combo.addItem(f"{label}: {dataset.class_name(label)}", label)  # type: ignore[union-attr]
        combo.setEnabled(n_classes > 1)

    def _show(self, values: tuple[str, int | None]) -> None:
        normalize, normal_class = values
        self.normalize_combo.setCurrentIndex(max(0, self.normalize_combo.findData(normalize)))
        data = EVERY_CLASS if normal_class is None else normal_class
        self.normal_class_combo.setCurrentIndex(max(0, self.normal_class_combo.findData(data)))

    @Slot(int)
    def _on_picked(self, _index: int) -> None:
        label = self.normal_class_combo.currentData()
        picked = (self.normalize_combo.currentData(), None if label == EVERY_CLASS else label)
        if picked == self._applied:
            return
        if not self.confirm_change():
            self._show(self._applied)
            return
        self._applied = picked
        self.changed.emit()
