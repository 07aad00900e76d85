"""The Model dock: family, sizes, activation, loss and the chosen family's own options."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal, Slot
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from aeviewer.config import (
    ACTIVATIONS,
    LOSSES,
    MODEL_KINDS,
    NOISE_KINDS,
    SPARSITY_KINDS,
    ModelSpec,
    NoiseSpec,
    SparsitySpec,
)
from aeviewer.errors import ConfigError

#: Family -> (label, one sentence of theory for its tooltip).
FAMILIES: dict[str, tuple[str, str]] = {
    "ae": (
        "Autoencoder",
        "x̂ = dec(enc(x)) trained to reproduce its input through a narrow code; the bottleneck "
        "forces it to keep only what matters.",
    ),
    "linear": (
        "Linear autoencoder",
        "Without non-linearities and with squared error it learns the same subspace as PCA with "
        "as many components, and its error approaches PCA's.",
    ),
    "conv": (
        "Convolutional",
        "Convolutions share weights across positions, so images need far fewer parameters "
        "than with dense layers.",
    ),
    "sparse": (
        "Sparse",
        "A penalty drives the code's activations (not the weights) towards zero, so each input "
        "uses only a few code units.",
    ),
    "denoising": (
        "Denoising",
        "It sees a corrupted input and must reconstruct the clean one, so it cannot just copy "
        "and has to learn the data's structure.",
    ),
    "stacked": (
        "Stacked",
        "Greedy layer-wise pre-training, one shallow autoencoder per layer on the codes of the "
        "previous one, then end-to-end fine-tuning.",
    ),
    "vae": (
        "Variational",
        "The encoder outputs a Gaussian and a KL term pulls it towards N(0, I), which makes "
        "the latent space smooth enough to sample from.",
    ),
    "gan": (
        "GAN",
        "A generator and a discriminator are trained against each other; the generator "
        "learns to produce samples the discriminator cannot tell from data.",
    ),
}

TIPS: dict[str, str] = {
    "latent": "The size of the code; at least the input size lets a plain autoencoder learn "
    "the identity and nothing else.",
    "hidden": "Widths of the hidden layers of the encoder, mirrored in the decoder, "
    "comma-separated (e.g. 256, 128).",
    "activation": "The non-linearity between layers; without one the model can only learn a "
    "linear subspace, like PCA.",
    "loss": "Squared error is the Gaussian negative log-likelihood, binary cross-entropy the "
    "Bernoulli one for data in [0, 1]; auto picks by the data's range.",
    "conv": "Output channels of each convolution (stride 2), comma-separated.",
    "noise": "The corruption: Gaussian noise, uniform noise when the noise distribution is "
    "unknown, or masking a fraction of the inputs to zero.",
    "noise_level": "Standard deviation (Gaussian), half-width (uniform) or masked fraction.",
    "sparsity": "L1 penalises the code's absolute activations; KL pulls each unit's mean "
    "firing rate towards a small target rate.",
    "sparsity_weight": "How much the sparsity penalty weighs against the reconstruction error.",
    "sparsity_rate": "The target mean activation of each code unit (KL only).",
    "stage_epochs": "Epochs of greedy pre-training for each layer before the end-to-end "
    "fine-tuning.",
    "beta": "Weight of the KL term: above 1 favours a disentangled, smoother latent space at "
    "the cost of reconstruction (β-VAE).",
    "gan_d": "Discriminator updates per batch; more keeps the discriminator ahead, which "
    "gives the generator useful gradients.",
    "gan_g": "Generator updates per batch.",
}

_SIZES = QRegularExpression(r"^\s*(\d+\s*(,\s*\d+\s*)*,?)?\s*$")


def parse_sizes(text: str, what: str) -> tuple[int, ...]:
    """Parse ``"256, 128"`` into ``(256, 128)``; raise ConfigError naming ``what``."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise ConfigError(
            f"{what} must be whole numbers separated by commas, not {text!r}"
        ) from None
    if any(s < 1 for s in sizes):
        raise ConfigError(f"{what} must be positive, got {text!r}")
    return sizes


class ModelPanel(QWidget):
    """Edits a :class:`ModelSpec`; ``changed`` fires on every edit by the user."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._n_features: int | None = None
        self.family = QComboBox()
        for kind in MODEL_KINDS:
            label, tip = FAMILIES[kind]
            self.family.addItem(label, kind)
            self.family.setItemData(self.family.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.latent = _spin(1, 65536, 2)
        self.hidden = QLineEdit()
        self.hidden.setValidator(QRegularExpressionValidator(_SIZES, self.hidden))
        self.activation = _combo(ACTIVATIONS)
        self.loss = _combo(LOSSES)
        self.conv_channels = QLineEdit()
        self.conv_channels.setValidator(QRegularExpressionValidator(_SIZES, self.conv_channels))
        self.noise_kind = _combo(NOISE_KINDS)
        self.noise_level = _double(0.001, 10.0, 0.3, 3)
        self.sparsity_kind = _combo(SPARSITY_KINDS)
        self.sparsity_weight = _double(1e-6, 100.0, 1e-3, 6)
        self.sparsity_rate = _double(0.001, 0.999, 0.05, 3)
        self.stage_epochs = _spin(1, 1000, 3)
        self.beta = _double(0.0, 100.0, 1.0, 3)
        self.gan_d_steps = _spin(1, 20, 1)
        self.gan_g_steps = _spin(1, 20, 1)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b35c00;")
        self.warning.setVisible(False)

        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._add("Family", self.family, FAMILIES["ae"][1])
        self._add("Latent size", self.latent, TIPS["latent"])
        self._add("Hidden sizes", self.hidden, TIPS["hidden"])
        self._add("Activation", self.activation, TIPS["activation"])
        self._add("Loss", self.loss, TIPS["loss"])
        self._add("Channels", self.conv_channels, TIPS["conv"])
        self._add("Noise", self.noise_kind, TIPS["noise"])
        self._add("Noise level", self.noise_level, TIPS["noise_level"])
        self._add("Sparsity", self.sparsity_kind, TIPS["sparsity"])
        self._add("Sparsity weight", self.sparsity_weight, TIPS["sparsity_weight"])
        self._add("Target rate", self.sparsity_rate, TIPS["sparsity_rate"])
        self._add("Epochs per stage", self.stage_epochs, TIPS["stage_epochs"])
        self._add("β (KL weight)", self.beta, TIPS["beta"])
        self._add("D steps", self.gan_d_steps, TIPS["gan_d"])
        self._add("G steps", self.gan_g_steps, TIPS["gan_g"])
        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addWidget(self.warning)
        layout.addStretch(1)

        self.set_spec(ModelSpec())
        for combo in (self.family, self.activation, self.loss, self.noise_kind, self.sparsity_kind):
            combo.currentIndexChanged.connect(self._on_edited)
        for line in (self.hidden, self.conv_channels):
            line.editingFinished.connect(self._on_line_edited)
        for spin in (
            self.latent,
            self.noise_level,
            self.sparsity_weight,
            self.sparsity_rate,
            self.stage_epochs,
            self.beta,
            self.gan_d_steps,
            self.gan_g_steps,
        ):
            spin.valueChanged.connect(self._on_edited)
        self._last_lines = (self.hidden.text(), self.conv_channels.text())

    def _add(self, label: str, field: QWidget, tip: str) -> None:
        field.setToolTip(tip)
        self._form.addRow(label, field)
        self._form.labelForField(field).setToolTip(tip)

    # -- the spec ------------------------------------------------------------------------------
    def spec(self) -> ModelSpec:
        """The spec the widgets describe; raises ConfigError when a field is invalid."""
        kind = self.family.currentData()
        noise = sparsity = None
        if kind == "denoising":
            noise = NoiseSpec(self.noise_kind.currentText(), self.noise_level.value())
        if kind == "sparse":
            sparsity = SparsitySpec(
                self.sparsity_kind.currentText(),
                weight=self.sparsity_weight.value(),
                rate=self.sparsity_rate.value(),
            )
        return ModelSpec(
            kind=kind,
            latent=self.latent.value(),
            hidden=parse_sizes(self.hidden.text(), "hidden sizes"),
            activation=self.activation.currentText(),
            loss=self.loss.currentText(),
            noise=noise,
            sparsity=sparsity,
            conv_channels=parse_sizes(self.conv_channels.text(), "convolution channels")
            or (16, 32),
            beta=self.beta.value(),
            stage_epochs=self.stage_epochs.value(),
            gan_d_steps=self.gan_d_steps.value(),
            gan_g_steps=self.gan_g_steps.value(),
        )

    def set_spec(self, spec: ModelSpec) -> None:
        """Show ``spec`` without emitting ``changed``."""
        widgets = self.findChildren(QWidget)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.family.setCurrentIndex(max(0, self.family.findData(spec.kind)))
            self.latent.setValue(spec.latent)
            self.hidden.setText(", ".join(str(h) for h in spec.hidden))
            self.activation.setCurrentText(spec.activation)
            self.loss.setCurrentText(spec.loss)
            self.conv_channels.setText(", ".join(str(c) for c in spec.conv_channels))
            noise = spec.noise or NoiseSpec()
            self.noise_kind.setCurrentText(noise.kind)
            self.noise_level.setValue(noise.level)
            sparsity = spec.sparsity or SparsitySpec()
            self.sparsity_kind.setCurrentText(sparsity.kind)
            self.sparsity_weight.setValue(sparsity.weight)
            self.sparsity_rate.setValue(sparsity.rate)
            self.stage_epochs.setValue(spec.stage_epochs)
            self.beta.setValue(spec.beta)
            self.gan_d_steps.setValue(spec.gan_d_steps)
            self.gan_g_steps.setValue(spec.gan_g_steps)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._last_lines = (self.hidden.text(), self.conv_channels.text())
        self._refresh()

    def set_n_features(self, n_features: int | None) -> None:
        """The input size of the loaded data, for the identity warning."""
        self._n_features = n_features
        self._refresh()

    # -- reactions -----------------------------------------------------------------------------
    @Slot()
    def _on_line_edited(self) -> None:
        lines = (self.hidden.text(), self.conv_channels.text())
        if lines != self._last_lines:
            self._last_lines = lines
            self._on_edited()

    @Slot()
    def _on_edited(self) -> None:
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        kind = self.family.currentData()
        self.family.setToolTip(FAMILIES[kind][1])
        shown = {
            self.activation: kind != "linear",
            self.conv_channels: kind == "conv",
            self.noise_kind: kind == "denoising",
            self.noise_level: kind == "denoising",
            self.sparsity_kind: kind == "sparse",
            self.sparsity_weight: kind == "sparse",
            self.sparsity_rate: kind == "sparse" and self.sparsity_kind.currentText() == "kl",
            self.stage_epochs: kind == "stacked",
            self.beta: kind == "vae",
            self.gan_d_steps: kind == "gan",
            self.gan_g_steps: kind == "gan",
        }
        for field, visible in shown.items():
            self._form.setRowVisible(field, visible)
        self._refresh_warning()

    def _refresh_warning(self) -> None:
        message = None
        if self._n_features is not None:
            try:
                message = self.spec().identity_warning(self._n_features)
            except ConfigError as exc:
                message = str(exc)
        self.warning.setText(f"⚠ {message}" if message else "")
        self.warning.setVisible(bool(message))


def _combo(items: tuple[str, ...]) -> QComboBox:
    combo = QComboBox()
    combo.addItems(list(items))
    return combo


def _spin(lo: int, hi: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(lo, hi)
    spin.setValue(value)
    return spin


def _double(lo: float, hi: float, value: float, decimals: int) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setDecimals(decimals)
    spin.setRange(lo, hi)
    spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
    spin.setValue(value)
    return spin
