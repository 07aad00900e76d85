"""Frozen specifications of a run: data, model and training, with a JSON round trip.

Each spec validates itself on construction and raises :class:`~aeviewer.errors.ConfigError`
with a message for the user. Parsing of the CLI's compact option strings (``gaussian:0.3``,
``kl:0.05:1.0``) lives here too, so the GUI and the CLI share one grammar.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from aeviewer.errors import ConfigError
from aeviewer.limits import parse_json_limited, read_json_limited

MODEL_KINDS: tuple[str, ...] = (
    "ae",
    "linear",
    "conv",
    "sparse",
    "denoising",
    "stacked",
    "vae",
    "gan",
)
ACTIVATIONS: tuple[str, ...] = ("relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid")
LOSSES: tuple[str, ...] = ("auto", "mse", "bce", "l1")
OUTPUTS: tuple[str, ...] = ("auto", "identity", "sigmoid")
OPTIMIZERS: tuple[str, ...] = ("adam", "adamw", "sgd", "rmsprop")
SCHEDULES: tuple[str, ...] = ("auto", "cosine", "constant")
PRECISIONS: tuple[str, ...] = ("fp32", "bf16", "auto")
NORMALIZATIONS: tuple[str, ...] = ("auto", "none", "minmax", "zscore")
#: Where training reads the samples from: chosen by size, all in memory, or streamed from disk.
STORAGES: tuple[str, ...] = ("auto", "memory", "streamed")
#: Activations of a code under an L1 penalty (``ModelSpec.l1_code``).
L1_CODES: tuple[str, ...] = ("softplus", "relu")
#: Most worker processes reading a streamed data set's batches chosen automatically.
MAX_AUTO_DATA_WORKERS = 4
NOISE_KINDS: tuple[str, ...] = ("gaussian", "uniform", "mask")
SPARSITY_KINDS: tuple[str, ...] = ("l1", "kl")
#: The most hidden (or convolutional) layers a model may have.
MAX_LAYERS = 64
#: ``DataSpec.label_column`` value that finds a table's label column by its name.
LABELS_AUTO = "auto"


@dataclass(frozen=True)
class NoiseSpec:
    """Input corruption of a denoising autoencoder.

    ``gaussian`` adds N(0, level^2); ``uniform`` adds U(-level, level); ``mask`` sets a fraction
    ``level`` of the inputs to zero.
    """

    kind: Literal["gaussian", "uniform", "mask"] = "gaussian"
    level: float = 0.3

    def __post_init__(self) -> None:
        if self.kind not in NOISE_KINDS:
            choices = ", ".join(NOISE_KINDS)
            raise ConfigError(f"unknown noise {self.kind!r}; choose one of {choices}")
        if not self.level > 0 or (self.kind == "mask" and self.level >= 1):
            raise ConfigError(f"noise level must be positive (below 1 for mask), got {self.level}")

    @classmethod
    def parse(cls, text: str) -> NoiseSpec:
        """Parse ``KIND:LEVEL``, for example ``gaussian:0.3`` or ``mask:0.25``."""
        kind, _, level = text.partition(":")
        try:
            return cls(kind.strip().lower(), float(level))  # type: ignore[arg-type]
        except ValueError:
            raise ConfigError(
                f"noise must look like gaussian:0.3, uniform:0.5 or mask:0.25, not {text!r}"
            ) from None

    def __str__(self) -> str:
        return f"{self.kind}:{self.level:g}"


@dataclass(frozen=True)
class SparsitySpec:
    """A penalty on hidden activations: L1 with ``weight``, or KL to a target ``rate``."""

    kind: Literal["l1", "kl"] = "l1"
    weight: float = 1e-3
    rate: float = 0.05

    def __post_init__(self) -> None:
        if self.kind not in SPARSITY_KINDS:
            raise ConfigError(f"unknown sparsity {self.kind!r}; choose l1 or kl")
        if not self.weight > 0:
            raise ConfigError(f"sparsity weight must be positive, got {self.weight}")
        if not 0 < self.rate < 1:
            raise ConfigError(f"sparsity target rate must lie in (0, 1), got {self.rate}")

    @classmethod
    def parse(cls, text: str) -> SparsitySpec:
        """Parse ``l1:WEIGHT`` or ``kl:RATE:WEIGHT``, for example ``l1:1e-3`` or ``kl:0.05:1.0``."""
        parts = [p.strip() for p in text.split(":")]
        try:
            if parts[0].lower() == "l1" and len(parts) == 2:
                return cls("l1", weight=float(parts[1]))
            if parts[0].lower() == "kl" and len(parts) == 3:
                return cls("kl", rate=float(parts[1]), weight=float(parts[2]))
        except ValueError:
            pass
        raise ConfigError(f"sparsity must look like l1:1e-3 or kl:0.05:1.0, not {text!r}")

    def __str__(self) -> str:
        if self.kind == "l1":
            return f"l1:{self.weight:g}"
        return f"kl:{self.rate:g}:{self.weight:g}"


@dataclass(frozen=True)
class DataSpec:
    """Which data to load and how to prepare it.

    ``normalize="auto"`` keeps data already in [0, 1] (after scaling 8-bit images) and
    z-scores everything else. ``normal_class`` restricts training to that class (one-class
    anomaly detection); evaluation still sees every class.

    ``label_column`` says where the labels are: ``"auto"`` (the default) takes a table's column
    named ``label``, ``class``, ``target`` or ``y`` (any case) and the labels every other format
    carries; a column name or 0-based index (as text) names a table's column; None loads no
    labels at all. Configs written before the field existed load as ``"auto"``.
    """

    source: str = "builtin:shapes"
    normalize: str = "auto"
    val_fraction: float = 0.2
    split_seed: int = 0
    normal_class: int | None = None
    limit: int | None = None
    label_column: str | None = LABELS_AUTO
    #: ``memory``: load the samples; ``streamed``: map a float32 ``.npy`` file or an
    #: uncompressed IDX file, or read an image folder lazily, and read the batches from it;
    #: ``auto``: stream those whose samples as float32 exceed 1 GiB (:mod:`aeviewer.data.storage`).
    storage: str = "auto"
    #: Worker processes reading a streamed data set's batches (None: chosen by the CPUs; 0
    #: reads them in the training process). Data in memory need none.
    workers: int | None = None

    def __post_init__(self) -> None:
        if not self.source:
            raise ConfigError("a data source is required")
        if self.workers is not None and (
            isinstance(self.workers, bool) or not isinstance(self.workers, int) or self.workers < 0
        ):
            raise ConfigError(f"data workers must be a whole number >= 0, got {self.workers!r}")
        if self.storage not in STORAGES:
            raise ConfigError(f"unknown data storage {self.storage!r}; choose one of {STORAGES}")
        label = self.label_column
        if isinstance(label, int) and not isinstance(label, bool):
            label = str(label)
        if label is not None and not isinstance(label, str):
            raise ConfigError(
                f"a label column is a column name or index, not {type(label).__name__}"
            )
        if label is not None:
            label = label.strip()
            if not label:
                raise ConfigError(f"an empty label column; give a name or index, or {LABELS_AUTO}")
            if label.lower() == LABELS_AUTO:
                label = LABELS_AUTO
        object.__setattr__(self, "label_column", label)
        if self.normalize not in NORMALIZATIONS:
            raise ConfigError(
                f"unknown normalisation {self.normalize!r}; choose one of {NORMALIZATIONS}"
            )
        if not 0.0 <= self.val_fraction < 1.0:
            raise ConfigError(f"validation fraction must lie in [0, 1), got {self.val_fraction}")
        if self.limit is not None and self.limit < 2:
            raise ConfigError(f"a sample limit must be at least 2, got {self.limit}")


@dataclass(frozen=True)
class ModelSpec:
    """The architecture of a model: its family and sizes, and the family's own options."""

    kind: str = "ae"
    latent: int = 2
    hidden: tuple[int, ...] = (256, 128)
    activation: str = "relu"
    output: str = "auto"
    loss: str = "auto"
    noise: NoiseSpec | None = None
    sparsity: SparsitySpec | None = None
    conv_channels: tuple[int, ...] = (16, 32)
    beta: float = 1.0
    stage_epochs: int = 3
    gan_d_steps: int = 1
    gan_g_steps: int = 1
    #: The activation of a code under an L1 penalty: ``softplus`` (smooth and positive: the
    #: penalty pushes codes towards zero, and a unit pushed below zero for every sample still
    #: gets a gradient) or ``relu`` (exact zeros, but a unit silenced for every sample stays
    #: silent: on MNIST both units of a 2-unit code died in the first epoch). Configs written
    #: before the field existed were trained with ``relu`` and load as such.
    l1_code: str = "softplus"

    def __post_init__(self) -> None:
        if self.kind not in MODEL_KINDS:
            choices = ", ".join(MODEL_KINDS)
            raise ConfigError(f"unknown model kind {self.kind!r}; choose one of {choices}")
        if self.latent < 1:
            raise ConfigError(f"latent size must be at least 1, got {self.latent}")
        if len(self.hidden) > MAX_LAYERS or len(self.conv_channels) > MAX_LAYERS:
            raise ConfigError(
                f"at most {MAX_LAYERS} hidden or convolutional layers, got "
                f"{max(len(self.hidden), len(self.conv_channels))}"
            )
        if any(h < 1 for h in self.hidden):
            raise ConfigError(f"hidden sizes must be positive, got {list(self.hidden)}")
        if any(c < 1 for c in self.conv_channels):
            channels = list(self.conv_channels)
            raise ConfigError(f"convolution channels must be positive, got {channels}")
        if self.activation not in ACTIVATIONS:
            raise ConfigError(
                f"unknown activation {self.activation!r}; choose one of {ACTIVATIONS}"
            )
        if self.output not in OUTPUTS:
            raise ConfigError(f"unknown output {self.output!r}; choose one of {OUTPUTS}")
        if self.loss not in LOSSES:
            raise ConfigError(f"unknown loss {self.loss!r}; choose one of {LOSSES}")
        if self.kind in ("conv", "gan") and not self.conv_channels:
            raise ConfigError(f"a {self.kind} model needs at least one convolution channel size")
        if self.kind == "stacked" and not self.hidden:
            raise ConfigError("a stacked autoencoder needs at least one hidden layer")
        if self.beta < 0:
            raise ConfigError(f"beta must not be negative, got {self.beta}")
        if self.stage_epochs < 1 or self.gan_d_steps < 1 or self.gan_g_steps < 1:
            raise ConfigError("stage epochs and GAN steps must be at least 1")
        # The family's default regulariser, written out: a spec with None and one with the
        # default describe the same model and must compare equal (a run is continued only
        # with its own model settings).
        if self.kind == "sparse" and self.sparsity is None:
            object.__setattr__(self, "sparsity", SparsitySpec())
        if self.kind == "denoising" and self.noise is None:
            object.__setattr__(self, "noise", NoiseSpec())
        if self.l1_code not in L1_CODES:
            raise ConfigError(
                f"unknown L1 code activation {self.l1_code!r}; choose one of {L1_CODES}"
            )

    @property
    def has_regularizer(self) -> bool:
        """True when something other than the bottleneck stops the model learning the identity."""
        return (
            self.kind in ("sparse", "denoising", "vae")
            or self.noise is not None
            or self.sparsity is not None
        )

    def identity_warning(self, n_features: int) -> str | None:
        """The warning for a latent at least as large as the input with no regulariser."""
        if self.kind == "gan" or self.has_regularizer or self.latent < n_features:
            return None
        return (
            f"latent size {self.latent} is at least the input size {n_features} and nothing else "
            "regularises the model: it can learn the identity and reach zero error while "
            "learning nothing. Use a smaller latent, or a sparse or denoising model."
        )


@dataclass(frozen=True)
class TrainSpec:
    """How to train: epochs, batches, optimiser, schedule, precision, seed, device, cadences.

    ``epochs`` None trains by a step budget that does not shrink with small data, and stops
    early once the validation loss has not improved for ``patience`` epochs (keeping the best
    weights); a number trains exactly that many epochs (early stopping only when ``patience``
    is given). ``schedule`` ``cosine`` warms the learning rate up linearly over
    ``warmup_steps`` (None: an automatic 5% of a stage's steps, at most 500) and then decays it
    to zero along a half cosine over each stage; ``constant`` keeps it; ``auto`` is cosine for
    the autoencoders and constant for the GAN, whose two players need a steady pace (as in
    DCGAN). ``patience`` None is
    automatic, 0 switches early stopping off. ``precision`` ``bf16`` trains under bfloat16
    autocast, ``auto`` does so only where the device runs it fast. ``lr`` (a GAN's generator's
    learning rate; its discriminator's is ``lr_d``, None: the same) None is automatic: 3e-3 for
    the families that train better with it under Adam and the cosine schedule (ae, conv,
    denoising, stacked), else 1e-3 (one rule, :func:`aeviewer.training.schedule.auto_lr`); a run
    records the number it used.
    """

    epochs: int | None = None
    batch_size: int = 128
    lr: float | None = None
    lr_d: float | None = None
    optimizer: str = "adam"
    weight_decay: float = 0.0
    seed: int = 0
    device: str = "auto"
    grad_clip: float | None = None
    snapshot_every: int = 1
    checkpoint_every: int = 1
    keep_checkpoints: int = 2
    n_eval: int = 2000
    n_recon: int = 16
    schedule: str = "auto"
    warmup_steps: int | None = None
    patience: int | None = None
    precision: str = "fp32"

    def __post_init__(self) -> None:
        if self.epochs is not None and self.epochs < 1:
            raise ConfigError(f"epochs must be at least 1, got {self.epochs}")
        if self.schedule not in SCHEDULES:
            raise ConfigError(f"unknown schedule {self.schedule!r}; choose one of {SCHEDULES}")
        if self.warmup_steps is not None and self.warmup_steps < 0:
            raise ConfigError(f"warm-up steps must not be negative, got {self.warmup_steps}")
        if self.patience is not None and self.patience < 0:
            raise ConfigError(f"patience must not be negative, got {self.patience}")
        if self.precision not in PRECISIONS:
            raise ConfigError(
                f"unknown precision {self.precision!r}; choose one of {', '.join(PRECISIONS)}"
            )
        if self.batch_size < 1:
            raise ConfigError(f"batch size must be at least 1, got {self.batch_size}")
        for rate in (self.lr, self.lr_d):
            if rate is not None and not rate > 0:
                raise ConfigError(f"learning rates must be positive, got {rate}")
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(f"unknown optimiser {self.optimizer!r}; choose one of {OPTIMIZERS}")
        if self.weight_decay < 0:
            raise ConfigError(f"weight decay must not be negative, got {self.weight_decay}")
        if self.grad_clip is not None and not self.grad_clip > 0:
            raise ConfigError(f"gradient clipping must be positive, got {self.grad_clip}")
        if self.snapshot_every < 1 or self.checkpoint_every < 1:
            raise ConfigError("snapshot and checkpoint cadence must be at least 1 epoch")
        if self.keep_checkpoints < 1:
            raise ConfigError(
                f"at least one checkpoint must be kept to resume, got {self.keep_checkpoints}"
            )
        if self.n_eval < 1 or self.n_recon < 1:
            raise ConfigError("evaluation and reconstruction sample counts must be at least 1")


@dataclass(frozen=True)
class RunConfig:
    """Everything needed to reproduce a run."""

    data: DataSpec = field(default_factory=DataSpec)
    model: ModelSpec = field(default_factory=ModelSpec)
    train: TrainSpec = field(default_factory=TrainSpec)

    def __post_init__(self) -> None:
        if self.train.patience and self.data.val_fraction == 0:
            raise ConfigError(
                "early stopping watches the validation loss, but there is no validation split; "
                "set a validation fraction above 0 or switch early stopping off"
            )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready nested dict."""
        out = asdict(self)
        model = out["model"]
        model["noise"] = None if self.model.noise is None else asdict(self.model.noise)
        model["sparsity"] = None if self.model.sparsity is None else asdict(self.model.sparsity)
        return out

    def to_json(self) -> str:
        """The config as indented JSON."""
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunConfig:
        """Build and validate a config from :meth:`to_dict` output."""
        if not isinstance(data, dict):
            raise ConfigError("a run config must be a JSON object")
        try:
            model = dict(data.get("model", {}))
            if model.get("noise") is not None:
                model["noise"] = NoiseSpec(**model["noise"])
            if model.get("sparsity") is not None:
                model["sparsity"] = SparsitySpec(**model["sparsity"])
            for key in ("hidden", "conv_channels"):
                if key in model:
                    model[key] = tuple(int(v) for v in model[key])
            model_spec = ModelSpec(**_known(ModelSpec, model))
            sparsity = model_spec.sparsity  # a sparse model's default written out
            if "l1_code" not in model and sparsity is not None and sparsity.kind == "l1":
                # Written before the field existed: L1-penalised codes were ReLUs then.
                model_spec = replace(model_spec, l1_code="relu")
            return cls(
                data=DataSpec(**_known(DataSpec, data.get("data", {}))),
                model=model_spec,
                train=TrainSpec(**_known(TrainSpec, data.get("train", {}))),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"invalid run config: {exc}") from None

    @classmethod
    def from_json(cls, text: str, where: str = "run config") -> RunConfig:
        """Parse JSON text (size and nesting depth checked first); ``where`` names it."""
        return cls.from_dict(parse_json_limited(text, where, what="run config", error=ConfigError))

    @classmethod
    def load(cls, path: str | Path) -> RunConfig:
        """Read a config file (size and nesting depth checked first), naming it in any error."""
        data = read_json_limited(path, what="run config", error=ConfigError)
        try:
            return cls.from_dict(data)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None

    def with_changes(self, **sections: Any) -> RunConfig:
        """A copy with whole sections replaced, e.g. ``cfg.with_changes(train=new_train)``."""
        return replace(self, **sections)


def _known(cls: type, values: dict[str, Any]) -> dict[str, Any]:
    """Check that ``values`` holds only fields of ``cls``, naming any it does not know."""
    names = {f.name for f in fields(cls)}
    unknown = set(values) - names
    if unknown:
        raise ConfigError(f"unknown {cls.__name__} field(s): {', '.join(sorted(unknown))}")
    return dict(values)
