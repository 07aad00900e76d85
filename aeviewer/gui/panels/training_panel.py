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
from aeviewer.training.schedule import auto_lr

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
        "The optimiser's step size (the peak of the cosine schedule); it can change while "
        "training and the change is marked on the loss curve. auto: the rate that trains the "
        "family best with this optimiser and schedule, shown in brackets; the run records it.",
    ),
    "lr_d": QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "The discriminator's step size (the learning rate above is the generator's); it can "
        "change while training too. auto: the generator's rate.",
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
        self.lr = LrSpinBox()
        self.lr_d = LrSpinBox()
        self._gan = False
        self._kind: str | None = None
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
        for combo in (self.optimizer, self.schedule):
            combo.currentIndexChanged.connect(self._show_auto_lr)
        self.lr.valueChanged.connect(self._on_lr_edited)
        self.lr_d.valueChanged.connect(self._on_lr_d_edited)

    def spec(self) -> TrainSpec:
        """The spec the widgets describe."""
        return TrainSpec(
            epochs=self.epochs.value() or None,
            batch_size=self.batch.value(),
            lr=self.lr.rate(),
            lr_d=self.lr_d.rate() if self._gan else None,
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
            self.optimizer.setCurrentText(spec.optimizer)
            self.lr.set_rate(spec.lr)
            self.lr_d.set_rate(spec.lr_d)
            self._show_auto_lr()
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
        self._kind = kind
        self._show_auto_lr()
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

    @Slot(float)
    def _on_lr_edited(self, _value: float) -> None:
        self._show_auto_lr()
        # auto applies the automatic rate to a running model.
        self.lr_changed.emit(self.lr.effective_rate())

    @Slot(float)
    def _on_lr_d_edited(self, _value: float) -> None:
        self.lr_d_changed.emit(self.lr_d.effective_rate())

    @Slot()
    def _show_auto_lr(self) -> None:
        """Show the rates that auto stands for: the automatic one of the family, optimiser and
        schedule chosen, and for the discriminator the generator's."""
        self.lr.set_auto_value(
            auto_lr(self._kind or "ae", self.schedule.currentText(), self.optimizer.currentText())
        )
        self.lr_d.set_auto_value(self.lr.effective_rate())


class LrSpinBox(QDoubleSpinBox):
    """A learning rate whose lowest value reads "auto (RATE)", RATE being what auto stands for
    (the run's automatic rate, see :func:`aeviewer.training.schedule.auto_lr`, or a GAN
    discriminator's the generator's). A step up from auto starts at that rate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(6)
        self.setRange(0.0, 10.0)
        self.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.setKeyboardTracking(False)
        self.auto_value = auto_lr("ae")
        self.set_auto_value(self.auto_value)

    def set_auto_value(self, rate: float) -> None:
        """The rate auto stands for."""
        self.auto_value = rate
        self.setSpecialValueText(translate("TrainingPanel", "auto ({0})").format(f"{rate:g}"))

    def is_auto(self) -> bool:
        """True when auto is chosen."""
        return self.value() == self.minimum()

    def rate(self) -> float | None:
        """The chosen rate; None for auto."""
        return None if self.is_auto() else self.value()

    def effective_rate(self) -> float:
        """The chosen rate, or the one auto stands for."""
        return self.auto_value if self.is_auto() else self.value()

    def set_rate(self, rate: float | None) -> None:
        """Choose ``rate``; None chooses auto."""
        self.setValue(self.minimum() if rate is None else rate)

    def stepBy(self, steps: int) -> None:
        if self.is_auto() and steps > 0:
            self.setValue(self.auto_value)
        else:
            super().stepBy(steps)


def _auto_spin(minimum: int, maximum: int) -> QSpinBox:
    """A spin box whose lowest value reads "auto"."""
    spin = QSpinBox()
    spin.setRange(minimum, maximum)
    spin.setSpecialValueText(translate("TrainingPanel", "auto"))
    return spin


def _value_or_auto(spin: QSpinBox) -> int | None:
    return None if spin.value() == spin.minimum() else spin.value()
