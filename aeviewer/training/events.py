"""Frozen event records that the training loop yields.

Consumers (the CLI's progress bar, the GUI's worker, tests) only ever see these: numbers and
numpy arrays, never a torch module. Arrays inside events are owned by the event and never
mutated after it is yielded, so they may be handed across threads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from aeviewer.config import RunConfig

if TYPE_CHECKING:
    from aeviewer.training.state import TrainingState


@dataclass(frozen=True)
class Started:
    """The run is set up: model built, data split, baseline fitted.

    ``stages`` lists the stage names in order (``("train",)`` for most families; the
    stacked family has one pre-training stage per layer and then ``"finetune"``).
    ``pca_val_loss`` is the validation MSE of PCA with ``latent`` components, the baseline the
    loss view draws as a reference line. ``n_features`` is the data's dimension (None in
    events saved before it was recorded); with the explained variance it tells where PCA is
    exact, so that a ratio to its error would only measure round-off.
    """

    config: RunConfig
    device: str
    n_train: int
    n_val: int
    n_batches: int
    n_parameters: int
    stages: tuple[str, ...] = ("train",)
    pca_val_loss: float | None = None
    pca_explained_variance: np.ndarray | None = None
    warnings: tuple[str, ...] = ()
    #: Epochs already trained before this run started (a resumed or continued run).
    first_epoch: int = 0
    n_features: int | None = None

    @property
    def total_epochs(self) -> int:
        """Epochs of the whole run, counting the pre-training stages of a stacked model."""
        pre_stages = max(0, len(self.stages) - 1)
        return self.config.train.epochs + pre_stages * self.config.model.stage_epochs


@dataclass(frozen=True)
class Progress:
    """A batch finished inside an epoch."""

    epoch: int
    batch: int
    n_batches: int
    step: int
    loss: float
    samples_per_s: float
    stage: str = "train"


@dataclass(frozen=True)
class EpochEnd:
    """An epoch finished: mean training terms and validation terms.

    ``train`` and ``val`` map term names (``loss`` is the total the optimiser minimised, then
    ``recon``, ``nll``, ``sparsity``, ``kl``, ``d_loss``, ``g_loss`` ... as the family has them) to
    values. ``epoch`` counts from 1 across the whole run; ``stage_epoch`` within the stage.
    """

    epoch: int
    step: int
    train: Mapping[str, float]
    val: Mapping[str, float]
    lr: Mapping[str, float]
    seconds: float
    samples_per_s: float
    stage: str = "train"
    stage_epoch: int = 0

    @property
    def train_loss(self) -> float:
        """The total training loss of the epoch."""
        return float(self.train["loss"])

    @property
    def val_loss(self) -> float | None:
        """The total validation loss, or None without a validation split."""
        value = self.val.get("loss")
        return None if value is None else float(value)


@dataclass(frozen=True)
class Snapshot:
    """What the views draw, computed by the loop at an epoch end.

    Latents and scores cover a fixed evaluation subset (``eval_indices`` into the full data set,
    the same every time); reconstructions cover fixed samples (``recon_indices``). ``scores``
    are per-sample reconstruction errors (the anomaly score), ``pca_scores`` those of the PCA
    baseline of the same size. GAN runs fill the ``gan_*`` fields instead of reconstructions.
    """

    epoch: int
    step: int
    stage: str
    eval_indices: np.ndarray
    latents: np.ndarray | None = None
    scores: np.ndarray | None = None
    pca_scores: np.ndarray | None = None
    recon_indices: np.ndarray | None = None
    originals: np.ndarray | None = None
    reconstructions: np.ndarray | None = None
    pca_reconstructions: np.ndarray | None = None
    noisy: np.ndarray | None = None
    gan_samples: np.ndarray | None = None
    gan_d_real: float | None = None
    gan_d_fake: float | None = None
    gan_grid: np.ndarray | None = None
    gan_grid_extent: tuple[float, float, float, float] | None = None
    extras: Mapping[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class LrChanged:
    """A live learning-rate change took effect at ``step``."""

    epoch: int
    step: int
    group: str
    lr: float


@dataclass(frozen=True)
class Checkpointed:
    """A checkpoint was written (only when the loop has a run directory)."""

    epoch: int
    path: str


@dataclass(frozen=True, eq=False)
class Resumable:
    """The whole training state, to continue the run from it: yielded just before
    :class:`Finished` (not after a divergence, whose optimiser state is spoiled), and after
    epochs when the caller asks for states along the way."""

    state: TrainingState


@dataclass(frozen=True)
class Finished:
    """The loop ended.

    ``reason`` is ``"completed"`` (all epochs ran), ``"stopped"`` (the control asked), or
    ``"diverged"`` (a NaN or infinite loss; the last finite weights were kept and ``message``
    says what to try).
    """

    reason: str
    epoch: int
    step: int
    message: str = ""


Event = Started | Progress | EpochEnd | Snapshot | LrChanged | Checkpointed | Resumable | Finished
