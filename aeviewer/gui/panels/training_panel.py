"""The Training dock: epochs, batch, learning rate, optimiser, seed, device and the controls."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aeviewer.config import OPTIMIZERS, TrainSpec

TIPS: dict[str, str] = {
    "epochs": "Passes over the training split.",
    "batch": "Samples per gradient step; smaller batches give noisier but more frequent updates.",
    "lr": "The optimiser's step size; it can change while training and the change is marked "
    "on the loss curve.",
    "lr_d": "The discriminator's step size (the learning rate above is the generator's); it can "
    "change while training too.",
    "optimizer": "Adam adapts a step size per parameter; SGD takes plain gradient steps.",
    "seed": "Seeds the weights' initialisation and the batch order, so a run can be repeated.",
    "device": "Where the model trains: this machine's CPU or a GPU it really has.",
}

#: The order of the control buttons.
CONTROLS: tuple[str, ...] = ("start", "pause", "step", "stop", "reset")


class TrainingPanel(QWidget):
    """Edits a :class:`TrainSpec` and holds the training control buttons.

    ``changed`` fires when a setting other than the learning rates is edited; ``lr_changed``
    carries a new learning rate (which may apply to a running model) and ``lr_d_changed`` a new
    discriminator learning rate (a GAN's second field, shown by :meth:`set_family`).
    """

    changed = Signal()
    lr_changed = Signal(float)
    lr_d_changed = Signal(float)

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 100_000)
        self.batch = QSpinBox()
        self.batch.setRange(1, 65536)
        self.lr = QDoubleSpinBox()
        self.lr.setDecimals(6)
        self.lr.setRange(1e-6, 10.0)
        self.lr.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr.setKeyboardTracking(False)
        self.lr_d = QDoubleSpinBox()
        self.lr_d.setDecimals(6)
        self.lr_d.setRange(1e-6, 10.0)
        self.lr_d.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr_d.setKeyboardTracking(False)
        self._gan = False
        self.optimizer = QComboBox()
        self.optimizer.addItems(list(OPTIMIZERS))
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.device = QComboBox()
        self.device.addItem("auto")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, field, tip in (
            ("Epochs", self.epochs, TIPS["epochs"]),
            ("Batch size", self.batch, TIPS["batch"]),
            ("Learning rate", self.lr, TIPS["lr"]),
            ("Discriminator lr", self.lr_d, TIPS["lr_d"]),
            ("Optimiser", self.optimizer, TIPS["optimizer"]),
            ("Seed", self.seed, TIPS["seed"]),
            ("Device", self.device, TIPS["device"]),
        ):
            field.setToolTip(tip)
            form.addRow(label, field)
            form.labelForField(field).setToolTip(tip)

        self.buttons: dict[str, QToolButton] = {}
        grid = QGridLayout()
        for i, name in enumerate(CONTROLS):
            button = QToolButton()
            button.setDefaultAction(actions[name])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setObjectName(f"{name}_button")
            self.buttons[name] = button
            grid.addWidget(button, i // 3, i % 3)

        self._form = form
        form.setRowVisible(self.lr_d, False)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(grid)
        layout.addStretch(1)

        self.set_spec(TrainSpec())
        for spin in (self.epochs, self.batch, self.seed):
            spin.valueChanged.connect(self._on_edited)
        for combo in (self.optimizer, self.device):
            combo.currentIndexChanged.connect(self._on_edited)
        self.lr.valueChanged.connect(self.lr_changed)
        self.lr_d.valueChanged.connect(self.lr_d_changed)

    def spec(self) -> TrainSpec:
        """The spec the widgets describe."""
        return TrainSpec(
            epochs=self.epochs.value(),
            batch_size=self.batch.value(),
            lr=self.lr.value(),
            lr_d=self.lr_d.value() if self._gan else None,
            optimizer=self.optimizer.currentText(),
            seed=self.seed.value(),
            device=self.device.currentText(),
        )

    def set_spec(self, spec: TrainSpec) -> None:
        """Show ``spec`` without emitting signals."""
        fields = (
            self.epochs,
            self.batch,
            self.lr,
            self.lr_d,
            self.optimizer,
            self.seed,
            self.device,
        )
        for field in fields:
            field.blockSignals(True)
        try:
            self.epochs.setValue(spec.epochs)
            self.batch.setValue(spec.batch_size)
            self.lr.setValue(spec.lr)
            self.lr_d.setValue(spec.lr if spec.lr_d is None else spec.lr_d)
            self.optimizer.setCurrentText(spec.optimizer)
            self.seed.setValue(spec.seed)
            if self.device.findText(spec.device) < 0:
                self.device.addItem(spec.device)
            self.device.setCurrentText(spec.device)
        finally:
            for field in fields:
                field.blockSignals(False)

    def set_family(self, kind: str | None) -> None:
        """Show the discriminator's learning rate (and name the first the generator's) for a GAN."""
        self._gan = kind == "gan"
        self._form.setRowVisible(self.lr_d, self._gan)
        label = self._form.labelForField(self.lr)
        label.setText("Generator lr" if self._gan else "Learning rate")

    def set_devices(self, devices: list[str]) -> None:
        """Offer ``auto`` and the devices this machine really has, keeping the choice."""
        current = self.device.currentText()
        self.device.blockSignals(True)
        try:
            self.device.clear()
            self.device.addItems(["auto", *devices])
            index = self.device.findText(current)
            self.device.setCurrentIndex(max(index, 0))
        finally:
            self.device.blockSignals(False)

    @Slot()
    def _on_edited(self) -> None:
        self.changed.emit()
