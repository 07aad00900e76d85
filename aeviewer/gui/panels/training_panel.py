"""The Training dock: epochs, batch, learning rate, optimiser, seed, device and the controls."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
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

from aeviewer.config import OPTIMIZERS, PRECISIONS, SCHEDULES, TrainSpec

translate = QCoreApplication.translate

#: The value of a spin box that means "decided automatically".
AUTO = -1

TIPS: dict[str, str] = {
    "epochs": QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "Passes over the training split. auto: about 8,000 optimiser steps whatever the "
        "data size, stopping early once the validation loss stops improving (the best weights "
        "are kept). A number trains exactly that many epochs; after a run, Start trains that "
        "many more.",
    ),
    "schedule": QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "How the learning rate moves: a short linear warm-up, then a half cosine down to "
        "zero (cosine), or constant. auto: cosine, constant for a GAN. The rate is drawn on the "
        "loss plot.",
    ),
    "warmup": QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "Steps of linear warm-up at the start of each stage (auto: 5% of the steps, at most 500).",
    ),
    "patience": QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "Early stopping: epochs without a better validation loss before training stops "
        "and keeps the best weights. auto: on when Epochs is auto; 0 switches it off.",
    ),
    "precision": QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "bf16 trains under bfloat16 mixed precision (about twice as fast on CPUs with "
        "AVX512-BF16 or AMX and on recent GPUs); auto uses it only where it is fast.",
    ),
    "grad_clip": QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "Clip the gradient's norm to this value before each step (off: no clipping); "
        "1.0 often tames a diverging run.",
    ),
    "batch": QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "Samples per gradient step; smaller batches give noisier but more frequent updates.",
    ),
    "lr": QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "The optimiser's step size; it can change while training and the change is marked "
        "on the loss curve.",
    ),
    "lr_d": QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "The discriminator's step size (the learning rate above is the generator's); it can "
        "change while training too.",
    ),
    "optimizer": QT_TRANSLATE_NOOP(
        "TrainingPanel", "Adam adapts a step size per parameter; SGD takes plain gradient steps."
    ),
    "seed": QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "Seeds the weights' initialisation and the batch order, so a run can be repeated.",
    ),
    "device": QT_TRANSLATE_NOOP(
        "TrainingPanel", "Where the model trains: this machine's CPU or a GPU it really has."
    ),
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
        self.epochs = _auto_spin(0, 100_000)
        self.schedule = QComboBox()
        self.schedule.addItems(list(SCHEDULES))
        self.warmup = _auto_spin(AUTO, 1_000_000)
        self.patience = _auto_spin(AUTO, 100_000)
        self.precision = QComboBox()
        self.precision.addItems(list(PRECISIONS))
        self.grad_clip = QDoubleSpinBox()
        self.grad_clip.setRange(0.0, 1e6)
        self.grad_clip.setDecimals(3)
        self.grad_clip.setSpecialValueText(translate("TrainingPanel", "off"))
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
            (translate("TrainingPanel", "Epochs"), self.epochs, TIPS["epochs"]),
            (translate("TrainingPanel", "Batch size"), self.batch, TIPS["batch"]),
            (translate("TrainingPanel", "Learning rate"), self.lr, TIPS["lr"]),
            (translate("TrainingPanel", "Discriminator lr"), self.lr_d, TIPS["lr_d"]),
            (translate("TrainingPanel", "Optimiser"), self.optimizer, TIPS["optimizer"]),
            (translate("TrainingPanel", "Schedule"), self.schedule, TIPS["schedule"]),
            (translate("TrainingPanel", "Warm-up steps"), self.warmup, TIPS["warmup"]),
            (translate("TrainingPanel", "Early stopping"), self.patience, TIPS["patience"]),
            (translate("TrainingPanel", "Precision"), self.precision, TIPS["precision"]),
            (translate("TrainingPanel", "Gradient clip"), self.grad_clip, TIPS["grad_clip"]),
            (translate("TrainingPanel", "Seed"), self.seed, TIPS["seed"]),
            (translate("TrainingPanel", "Device"), self.device, TIPS["device"]),
        ):
            tip = translate("TrainingPanel", tip)
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
        for spin in (self.epochs, self.batch, self.seed, self.warmup, self.patience):
            spin.valueChanged.connect(self._on_edited)
        self.grad_clip.valueChanged.connect(self._on_edited)
        for combo in (self.optimizer, self.device, self.schedule, self.precision):
            combo.currentIndexChanged.connect(self._on_edited)
        self.lr.valueChanged.connect(self.lr_changed)
        self.lr_d.valueChanged.connect(self.lr_d_changed)

    def spec(self) -> TrainSpec:
        """The spec the widgets describe."""
        return TrainSpec(
            epochs=self.epochs.value() or None,
            batch_size=self.batch.value(),
            lr=self.lr.value(),
            lr_d=self.lr_d.value() if self._gan else None,
            optimizer=self.optimizer.currentText(),
            seed=self.seed.value(),
            device=self.device.currentText(),
            schedule=self.schedule.currentText(),
            warmup_steps=_value_or_auto(self.warmup),
            patience=_value_or_auto(self.patience),
            precision=self.precision.currentText(),
            grad_clip=self.grad_clip.value() or None,
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
            self.schedule,
            self.warmup,
            self.patience,
            self.precision,
            self.grad_clip,
        )
        for field in fields:
            field.blockSignals(True)
        try:
            self.epochs.setValue(spec.epochs or 0)
            self.schedule.setCurrentText(spec.schedule)
            self.warmup.setValue(AUTO if spec.warmup_steps is None else spec.warmup_steps)
            self.patience.setValue(AUTO if spec.patience is None else spec.patience)
            self.precision.setCurrentText(spec.precision)
            self.grad_clip.setValue(spec.grad_clip or 0.0)
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
        label.setText(
            translate("TrainingPanel", "Generator lr")
            if self._gan
            else translate("TrainingPanel", "Learning rate")
        )

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


def _auto_spin(minimum: int, maximum: int) -> QSpinBox:
    """A spin box whose lowest value reads "auto"."""
    spin = QSpinBox()
    spin.setRange(minimum, maximum)
    spin.setSpecialValueText(translate("TrainingPanel", "auto"))
    return spin


def _value_or_auto(spin: QSpinBox) -> int | None:
    return None if spin.value() == spin.minimum() else spin.value()
