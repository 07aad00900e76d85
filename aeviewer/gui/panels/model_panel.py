"""The Model dock: family, sizes, activation, loss and the chosen family's own options, with
the theory of the chosen model beneath them (see :mod:`aeviewer.gui.theory`)."""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QRegularExpression,
    QSettings,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aeviewer.config import (
    ACTIVATIONS,
    L1_CODES,
    LOSSES,
    MODEL_KINDS,
    NOISE_KINDS,
    SPARSITY_KINDS,
    ModelSpec,
    NoiseSpec,
    SparsitySpec,
)
from aeviewer.errors import ConfigError
from aeviewer.gui.theory import TheoryChoice, theory_html

translate = QCoreApplication.translate

#: Family -> (label, one sentence of theory for its tooltip); translated when shown.
FAMILIES: dict[str, tuple[str, str]] = {
    "ae": (
        QT_TRANSLATE_NOOP("ModelPanel", "Autoencoder"),
        QT_TRANSLATE_NOOP(
            "ModelPanel",
            "x̂ = dec(enc(x)) trained to reproduce its input through a narrow code; the "
            "bottleneck forces it to keep only what matters.",
        ),
    ),
    "linear": (
        QT_TRANSLATE_NOOP("ModelPanel", "Linear autoencoder"),
        QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Without non-linearities and with squared error it learns the same subspace as PCA "
            "with as many components, and its error approaches PCA's.",
        ),
    ),
    "conv": (
        QT_TRANSLATE_NOOP("ModelPanel", "Convolutional"),
        QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Convolutions share weights across positions, so images need far fewer parameters "
            "than with dense layers.",
        ),
    ),
    "sparse": (
        QT_TRANSLATE_NOOP("ModelPanel", "Sparse"),
        QT_TRANSLATE_NOOP(
            "ModelPanel",
            "A penalty drives the code's activations (not the weights) towards zero, so each "
            "input uses only a few code units.",
        ),
    ),
    "denoising": (
        QT_TRANSLATE_NOOP("ModelPanel", "Denoising"),
        QT_TRANSLATE_NOOP(
            "ModelPanel",
            "It sees a corrupted input and must reconstruct the clean one, so it cannot just "
            "copy and has to learn the data's structure.",
        ),
    ),
    "stacked": (
        QT_TRANSLATE_NOOP("ModelPanel", "Stacked"),
        QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Greedy layer-wise pre-training, one shallow autoencoder per layer on the codes of "
            "the previous one, then end-to-end fine-tuning.",
        ),
    ),
    "vae": (
        QT_TRANSLATE_NOOP("ModelPanel", "Variational"),
        QT_TRANSLATE_NOOP(
            "ModelPanel",
            "The encoder outputs a Gaussian and a KL term pulls it towards N(0, I), which makes "
            "the latent space smooth enough to sample from.",
        ),
    ),
    "gan": (
        QT_TRANSLATE_NOOP("ModelPanel", "GAN"),
        QT_TRANSLATE_NOOP(
            "ModelPanel",
            "A generator and a discriminator are trained against each other; the generator "
            "learns to produce samples the discriminator cannot tell from data.",
        ),
    ),
}

TIPS: dict[str, str] = {
    "latent": QT_TRANSLATE_NOOP(
        "ModelPanel",
        "The size of the code; at least the input size lets a plain autoencoder learn the "
        "identity and nothing else.",
    ),
    "hidden": QT_TRANSLATE_NOOP(
        "ModelPanel",
        "Widths of the hidden layers of the encoder, mirrored in the decoder, comma-separated "
        "(e.g. 256, 128).",
    ),
    "activation": QT_TRANSLATE_NOOP(
        "ModelPanel",
        "The non-linearity between layers; without one the model can only learn a linear "
        "subspace, like PCA.",
    ),
    "loss": QT_TRANSLATE_NOOP(
        "ModelPanel",
        "Squared error is the Gaussian negative log-likelihood, binary cross-entropy the "
        "Bernoulli one for data in [0, 1]; auto picks by the data's range.",
    ),
    "conv": QT_TRANSLATE_NOOP(
        "ModelPanel", "Output channels of each convolution (stride 2), comma-separated."
    ),
    "noise": QT_TRANSLATE_NOOP(
        "ModelPanel",
        "The corruption: Gaussian noise, uniform noise when the noise distribution is "
        "unknown, or masking a fraction of the inputs to zero.",
    ),
    "noise_level": QT_TRANSLATE_NOOP(
        "ModelPanel", "Standard deviation (Gaussian), half-width (uniform) or masked fraction."
    ),
    "sparsity": QT_TRANSLATE_NOOP(
        "ModelPanel",
        "L1 penalises the code's absolute activations; KL pulls each unit's mean firing rate "
        "towards a small target rate.",
    ),
    "sparsity_weight": QT_TRANSLATE_NOOP(
        "ModelPanel", "How much the sparsity penalty weighs against the reconstruction error."
    ),
    "sparsity_rate": QT_TRANSLATE_NOOP(
        "ModelPanel", "The target mean activation of each code unit (KL only)."
    ),
    "l1_code": QT_TRANSLATE_NOOP(
        "ModelPanel",
        "The code's activation under L1 (L1 only). softplus: smooth and positive, a unit "
        "pushed to zero for every sample can still come back. relu: exact zeros, but a unit "
        "silenced for every sample stays silent (with 2 units both can die). Runs saved before "
        "the choice existed used relu.",
    ),
    "stage_epochs": QT_TRANSLATE_NOOP(
        "ModelPanel",
        "Epochs of greedy pre-training for each layer before the end-to-end fine-tuning.",
    ),
    "beta": QT_TRANSLATE_NOOP(
        "ModelPanel",
        "Weight of the KL term: above 1 favours a disentangled, smoother latent space at the "
        "cost of reconstruction (β-VAE).",
    ),
    "gan_d": QT_TRANSLATE_NOOP(
        "ModelPanel",
        "Discriminator updates per batch; more keeps the discriminator ahead, which gives the "
        "generator useful gradients.",
    ),
    "gan_g": QT_TRANSLATE_NOOP("ModelPanel", "Generator updates per batch."),
}

#: The shown names of option values (the values themselves are the config's words).
CHOICES: dict[str, str] = {
    "auto": QT_TRANSLATE_NOOP("ModelPanel", "auto"),
    "mse": QT_TRANSLATE_NOOP("ModelPanel", "squared error (mse)"),
    "bce": QT_TRANSLATE_NOOP("ModelPanel", "binary cross-entropy (bce)"),
    "l1": QT_TRANSLATE_NOOP("ModelPanel", "absolute error (l1)"),
    "gaussian": QT_TRANSLATE_NOOP("ModelPanel", "Gaussian"),
    "uniform": QT_TRANSLATE_NOOP("ModelPanel", "uniform"),
    "mask": QT_TRANSLATE_NOOP("ModelPanel", "mask"),
    "kl": QT_TRANSLATE_NOOP("ModelPanel", "KL to a target rate (kl)"),
}
#: The sparsity penalty's L1 (the loss's "l1" is absolute error).
SPARSITY_L1 = QT_TRANSLATE_NOOP("ModelPanel", "L1 on activations (l1)")

#: The settings key that remembers whether the theory is folded away.
THEORY_SHOWN_KEY = "ui/theory_shown"

_SIZES = QRegularExpression(r"^\s*(\d+\s*(,\s*\d+\s*)*,?)?\s*$")


def parse_sizes(text: str, what: str) -> tuple[int, ...]:
    """Parse ``"256, 128"`` into ``(256, 128)``; raise ConfigError naming ``what``."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise ConfigError(
            translate(
                "ModelPanel", "{0} must be whole numbers separated by commas, not {1}"
            ).format(what, repr(text))
        ) from None
    if any(s < 1 for s in sizes):
        raise ConfigError(
            translate("ModelPanel", "{0} must be positive, got {1}").format(what, repr(text))
        )
    return sizes


class ModelPanel(QWidget):
    """Edits a :class:`ModelSpec`; ``changed`` fires on every edit by the user.

    Under the settings, a collapsible Theory section explains the chosen family and options and
    says what to look for in the views; it follows every change of the settings.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._n_features: int | None = None
        self.family = QComboBox()
        for kind in MODEL_KINDS:
            label, tip = FAMILIES[kind]
            self.family.addItem(translate("ModelPanel", label), kind)
            self.family.setItemData(
                self.family.count() - 1,
                translate("ModelPanel", tip),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.latent = _spin(1, 65536, 2)
        self.hidden = QLineEdit()
        self.hidden.setValidator(QRegularExpressionValidator(_SIZES, self.hidden))
        self.activation = _combo(ACTIVATIONS)
        self.loss = _combo(LOSSES)
        self.conv_channels = QLineEdit()
        self.conv_channels.setValidator(QRegularExpressionValidator(_SIZES, self.conv_channels))
        self.noise_kind = _combo(NOISE_KINDS)
        self.noise_level = _double(0.001, 10.0, 0.3, 3)
        self.sparsity_kind = _combo(SPARSITY_KINDS, {"l1": SPARSITY_L1})
        self.sparsity_weight = _double(1e-6, 100.0, 1e-3, 6)
        self.sparsity_rate = _double(0.001, 0.999, 0.05, 3)
        self.l1_code = _combo(L1_CODES)
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
        # Long labels (Japanese ones are wider) wrap above their field instead of clipping.
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._add(
            translate("ModelPanel", "Family"),
            self.family,
            translate("ModelPanel", FAMILIES["ae"][1]),
        )
        self._add(translate("ModelPanel", "Latent size"), self.latent, "latent")
        self._add(translate("ModelPanel", "Hidden sizes"), self.hidden, "hidden")
        self._add(translate("ModelPanel", "Activation"), self.activation, "activation")
        self._add(translate("ModelPanel", "Loss"), self.loss, "loss")
        self._add(translate("ModelPanel", "Channels"), self.conv_channels, "conv")
        self._add(translate("ModelPanel", "Noise"), self.noise_kind, "noise")
        self._add(translate("ModelPanel", "Noise level"), self.noise_level, "noise_level")
        self._add(translate("ModelPanel", "Sparsity"), self.sparsity_kind, "sparsity")
        self._add(
            translate("ModelPanel", "Sparsity weight"), self.sparsity_weight, "sparsity_weight"
        )
        self._add(translate("ModelPanel", "Target rate"), self.sparsity_rate, "sparsity_rate")
        self._add(translate("ModelPanel", "Code (L1)"), self.l1_code, "l1_code")
        self._add(translate("ModelPanel", "Epochs per stage"), self.stage_epochs, "stage_epochs")
        self._add(translate("ModelPanel", "β (KL weight)"), self.beta, "beta")
        self._add(translate("ModelPanel", "D steps"), self.gan_d_steps, "gan_d")
        self._add(translate("ModelPanel", "G steps"), self.gan_g_steps, "gan_g")

        #: The theory of the chosen model: a header that folds it away, and the text.
        self.theory_toggle = QToolButton()
        self.theory_toggle.setText(translate("ModelPanel", "Theory: what this model does"))
        self.theory_toggle.setToolTip(
            translate("ModelPanel", "Show or hide the explanation of the chosen model and options")
        )
        self.theory_toggle.setCheckable(True)
        self.theory_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.theory_toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.theory_toggle.setAutoRaise(True)
        self.theory_toggle.toggled.connect(self._on_theory_toggled)
        # A label, not a text browser: the dock's own scroll bar scrolls it with the settings.
        self.theory = QLabel()
        self.theory.setObjectName("theory")
        self.theory.setTextFormat(Qt.TextFormat.RichText)
        self.theory.setWordWrap(True)
        self.theory.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.theory.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.theory.setFrameShape(QFrame.Shape.StyledPanel)
        self.theory.setMargin(4)
        shown = QSettings().value(THEORY_SHOWN_KEY, True)
        self.theory_toggle.setChecked(shown not in (False, "false", "0", 0))
        self._on_theory_toggled(self.theory_toggle.isChecked())

        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addWidget(self.warning)
        layout.addWidget(self.theory_toggle)
        layout.addWidget(self.theory)
        layout.addStretch(1)

        self.set_spec(ModelSpec())
        for combo in (
            self.family,
            self.activation,
            self.loss,
            self.noise_kind,
            self.sparsity_kind,
            self.l1_code,
        ):
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
        tip = translate("ModelPanel", TIPS[tip]) if tip in TIPS else tip
        field.setToolTip(tip)
        self._form.addRow(label, field)
        self._form.labelForField(field).setToolTip(tip)

    # -- the spec ------------------------------------------------------------------------------
    def spec(self) -> ModelSpec:
        """The spec the widgets describe; raises ConfigError when a field is invalid."""
        kind = self.family.currentData()
        noise = sparsity = None
        if kind == "denoising":
            noise = NoiseSpec(self.noise_kind.currentData(), self.noise_level.value())
        if kind == "sparse":
            sparsity = SparsitySpec(
                self.sparsity_kind.currentData(),
                weight=self.sparsity_weight.value(),
                rate=self.sparsity_rate.value(),
            )
        return ModelSpec(
            kind=kind,
            latent=self.latent.value(),
            hidden=parse_sizes(self.hidden.text(), translate("ModelPanel", "hidden sizes")),
            activation=self.activation.currentData(),
            loss=self.loss.currentData(),
            noise=noise,
            sparsity=sparsity,
            conv_channels=parse_sizes(
                self.conv_channels.text(), translate("ModelPanel", "convolution channels")
            )
            or (16, 32),
            beta=self.beta.value(),
            stage_epochs=self.stage_epochs.value(),
            gan_d_steps=self.gan_d_steps.value(),
            gan_g_steps=self.gan_g_steps.value(),
            l1_code=self.l1_code.currentData(),
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
            _pick(self.activation, spec.activation)
            _pick(self.loss, spec.loss)
            self.conv_channels.setText(", ".join(str(c) for c in spec.conv_channels))
            noise = spec.noise or NoiseSpec()
            _pick(self.noise_kind, noise.kind)
            self.noise_level.setValue(noise.level)
            sparsity = spec.sparsity or SparsitySpec()
            _pick(self.sparsity_kind, sparsity.kind)
            self.sparsity_weight.setValue(sparsity.weight)
            self.sparsity_rate.setValue(sparsity.rate)
            _pick(self.l1_code, spec.l1_code)
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

    @Slot(bool)
    def _on_theory_toggled(self, shown: bool) -> None:
        self.theory.setVisible(shown)
        QSettings().setValue(THEORY_SHOWN_KEY, shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.theory_toggle.setArrowType(arrow)

    def _refresh(self) -> None:
        kind = self.family.currentData()
        self.family.setToolTip(translate("ModelPanel", FAMILIES[kind][1]))
        shown = {
            self.activation: kind != "linear",
            self.conv_channels: kind == "conv",
            self.noise_kind: kind == "denoising",
            self.noise_level: kind == "denoising",
            self.sparsity_kind: kind == "sparse",
            self.sparsity_weight: kind == "sparse",
            self.sparsity_rate: kind == "sparse" and self.sparsity_kind.currentData() == "kl",
            self.l1_code: kind == "sparse" and self.sparsity_kind.currentData() == "l1",
            self.stage_epochs: kind == "stacked",
            self.beta: kind == "vae",
            self.gan_d_steps: kind == "gan",
            self.gan_g_steps: kind == "gan",
        }
        for field, visible in shown.items():
            self._form.setRowVisible(field, visible)
        self._refresh_warning()
        self._refresh_theory()

    def theory_choice(self) -> TheoryChoice:
        """What the theory text explains: the chosen family and options."""
        return TheoryChoice(
            kind=self.family.currentData(),
            loss=self.loss.currentData(),
            noise=self.noise_kind.currentData(),
            sparsity=self.sparsity_kind.currentData(),
            latent=self.latent.value(),
            n_features=self._n_features,
        )

    def _refresh_theory(self) -> None:
        html = theory_html(self.theory_choice())
        if html != getattr(self, "_theory_html", None):
            self._theory_html = html
            self.theory.setText(html)

    def _refresh_warning(self) -> None:
        message = None
        if self._n_features is not None:
            try:
                if self.spec().identity_warning(self._n_features) is not None:
                    message = translate(
                        "ModelPanel",
                        "latent size {0} is at least the input size {1} and nothing else "
                        "regularises the model: it can learn the identity and reach zero error "
                        "while learning nothing. Use a smaller latent, or a sparse or denoising "
                        "model.",
                    ).format(self.latent.value(), self._n_features)
            except ConfigError as exc:
                message = str(exc)
        self.warning.setText(f"⚠ {message}" if message else "")
        self.warning.setVisible(bool(message))


def _combo(items: tuple[str, ...], names: dict[str, str] | None = None) -> QComboBox:
    """A combo box of the config's words ``items`` (its item data), shown translated."""
    combo = QComboBox()
    for item in items:
        name = (names or {}).get(item) or CHOICES.get(item)
        combo.addItem(translate("ModelPanel", name) if name else item, item)
    return combo


def _pick(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


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
