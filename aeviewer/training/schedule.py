"""How long a run trains and at what learning rate: the automatic learning rate, the step
budget, warm-up and cosine decay, and early stopping.

Training for a fixed number of epochs gives a small data set far fewer optimiser steps than a
large one: 800 one-class images at batch 128 are 7 steps an epoch. By default a run therefore
trains for about :data:`STEP_BUDGET` steps whatever the data size (within
:data:`MIN_EPOCHS` .. :data:`MAX_EPOCHS` epochs), decays the learning rate to zero along a half
cosine after a short linear warm-up, and stops early once the validation loss has not improved
for a while, keeping the weights of its best epoch.

The peak learning rate, unless given, is decided here too (:func:`auto_lr`): Adam's customary
1e-3, or 3e-3 for the families that measurably train better with it under the warm-up and cosine
decay (the non-linear autoencoders trained on the reconstruction alone). The resolved number is
what a run records, so it reopens and resumes exactly.

The learning rate is a pure function of the position in a stage, so a resumed run gets exactly
the rates it would have had; a live change of the rate changes its peak.
"""

from __future__ import annotations

import math
from dataclasses import replace

from aeviewer.config import RunConfig, TrainSpec
from aeviewer.errors import ConfigError

#: Optimiser steps of a run whose epochs are not given (per stage).
STEP_BUDGET = 8_000
MIN_EPOCHS = 10
MAX_EPOCHS = 1_000
#: Automatic warm-up: this fraction of a stage's steps, at most :data:`MAX_WARMUP` steps.
WARMUP_FRACTION = 0.05
MAX_WARMUP = 500
#: Automatic patience of early stopping, in epochs, and the least relative improvement.
AUTO_PATIENCE_FRACTION = 0.1
MIN_PATIENCE = 10
MIN_IMPROVEMENT = 1e-4

#: The automatic learning rate where nothing better was measured: Adam's customary default.
BASE_LR = 1e-3
#: The automatic peak rate of :data:`HIGH_LR_KINDS` trained with Adam or AdamW on the cosine
#: schedule. On the MNIST test set (80/20, only family and latent size given, seed 0 unless
#: said) it lowered the validation MSE relative to PCA's, against 1e-3: ae with 2 latents from
#: 0.733/0.736/0.750 to 0.693/0.699/0.698 (seeds 0/1/2), with 32 from 0.559 to 0.554; conv 0.846
#: to 0.811 (2) and 0.334 to 0.305 (32); denoising 0.686 to 0.643 (2) and 0.552 to 0.486 (32);
#: stacked 0.728 to 0.689 (2) and 0.515 to 0.474 (32).
HIGH_LR = 3e-3
#: The families whose automatic peak rate is :data:`HIGH_LR`: the non-linear ones trained on the
#: reconstruction alone. The others keep :data:`BASE_LR`: ``linear`` reaches PCA at either rate
#: (0.99999 and 1.00002 of its MSE with 32 latents); ``sparse`` (with its L1 penalty) went
#: from 1.55 to 1.66 with 32 latents on seed 0 and from 1.65 to 1.31 on seed 1; ``vae`` (with
#: its KL term) improved with 2 latents (0.710 to 0.683) but with 32 its negative ELBO barely
#: moved (477.6 to 477.4, seeds 0 and 1) while its MSE rose from 1.11 to 1.18 and 1.13 to 1.21;
#: the ``gan``'s two players were validated at 1e-3, on a constant rate.
HIGH_LR_KINDS = frozenset({"ae", "conv", "denoising", "stacked"})
#: The optimisers with which :data:`HIGH_LR` was measured.
HIGH_LR_OPTIMIZERS = frozenset({"adam", "adamw"})


def auto_schedule(kind: str) -> str:
    """The schedule ``auto`` stands for: constant for a GAN, cosine for the autoencoders."""
    return "constant" if kind == "gan" else "cosine"


def auto_lr(kind: str, schedule: str = "auto", optimizer: str = "adam") -> float:
    """The learning rate (a GAN's generator's) of a run whose ``TrainSpec.lr`` is None.

    :data:`HIGH_LR` for a family of :data:`HIGH_LR_KINDS` trained with Adam or AdamW on the
    cosine schedule (``schedule`` ``auto`` is resolved first), whose warm-up makes a higher
    peak safe and whose decay to zero anneals it; :data:`BASE_LR` otherwise.
    """
    if schedule == "auto":
        schedule = auto_schedule(kind)
    high = kind in HIGH_LR_KINDS and schedule == "cosine" and optimizer in HIGH_LR_OPTIMIZERS
    return HIGH_LR if high else BASE_LR


def batches_per_epoch(n_train: int, batch_size: int) -> int:
    """Optimiser steps in one epoch of ``n_train`` samples."""
    return max(1, -(-n_train // min(batch_size, max(n_train, 1))))


def resolve_train_spec(spec: TrainSpec, n_train: int, has_val: bool, kind: str = "ae") -> TrainSpec:
    """``spec`` with every automatic setting decided for ``n_train`` training samples of a
    ``kind`` model.

    Raises
    ------
    ConfigError
        For a warm-up longer than the run, or early stopping without validation data.
    """
    per_epoch = batches_per_epoch(n_train, spec.batch_size)
    epochs = spec.epochs
    if epochs is None:
        epochs = min(MAX_EPOCHS, max(MIN_EPOCHS, math.ceil(STEP_BUDGET / per_epoch)))
    patience = spec.patience
    if patience is None:
        # A GAN's losses do not fall as it improves: nothing for early stopping to watch.
        auto = spec.epochs is None and has_val and kind != "gan"
        patience = max(MIN_PATIENCE, round(AUTO_PATIENCE_FRACTION * epochs)) if auto else 0
    elif patience > 0 and not has_val:
        raise ConfigError(
            "early stopping watches the validation loss, but this run has no validation "
            "samples; set a validation fraction above 0 or switch early stopping off"
        )
    schedule = spec.schedule
    if schedule == "auto":
        schedule = auto_schedule(kind)
    lr = spec.lr if spec.lr is not None else auto_lr(kind, schedule, spec.optimizer)
    steps = epochs * per_epoch
    warmup = spec.warmup_steps
    if warmup is None:
        warmup = 0 if schedule == "constant" else min(MAX_WARMUP, int(WARMUP_FRACTION * steps))
    elif warmup >= steps:
        raise ConfigError(
            f"a warm-up of {warmup} steps is as long as the run or longer ({epochs} epochs of "
            f"{per_epoch} steps = {steps}); shorten the warm-up or train longer"
        )
    return replace(
        spec, epochs=epochs, patience=patience, warmup_steps=warmup, schedule=schedule, lr=lr
    )


def resolved_config(config: RunConfig, n_train: int, has_val: bool) -> RunConfig:
    """``config`` with its training settings resolved (see :func:`resolve_train_spec`)."""
    train = resolve_train_spec(config.train, n_train, has_val, config.model.kind)
    return config.with_changes(train=train)


def lr_factor(step: int, total: int, warmup: int, schedule: str) -> float:
    """The multiplier of the peak learning rate at ``step`` (0-based) of ``total`` steps."""
    if schedule == "constant":
        return 1.0 if step >= warmup else (step + 1) / (warmup + 1)
    if step < warmup:
        return (step + 1) / (warmup + 1)
    span = max(1, total - warmup)
    progress = min(1.0, (step - warmup) / span)
    return 0.5 * (1.0 + math.cos(math.pi * progress))


class EarlyStopping:
    """Tracks the best validation loss; says when ``patience`` epochs brought no improvement.

    ``patience`` 0 never stops (the best epoch is still tracked).
    """

    def __init__(self, patience: int) -> None:
        self.patience = patience
        self.best: float | None = None
        self.best_epoch = 0
        self.bad_epochs = 0

    def update(self, value: float | None, epoch: int) -> bool:
        """Record an epoch's validation loss; True when it is the best so far."""
        if value is None or not math.isfinite(value):
            return False
        if self.best is None or value < self.best - MIN_IMPROVEMENT * abs(self.best):
            self.best, self.best_epoch, self.bad_epochs = value, epoch, 0
            return True
        self.bad_epochs += 1
        return False

    @property
    def should_stop(self) -> bool:
        """True once ``patience`` epochs in a row did not improve."""
        return self.patience > 0 and self.bad_epochs >= self.patience

    def to_dict(self) -> dict:
        """The state to save in a checkpoint."""
        return {"best": self.best, "best_epoch": self.best_epoch, "bad_epochs": self.bad_epochs}

    def load(self, data: dict | None) -> None:
        """Restore :meth:`to_dict`'s state."""
        if data:
            best = data.get("best")
            self.best = None if best is None else float(best)
            self.best_epoch = int(data.get("best_epoch", 0))
            self.bad_epochs = int(data.get("bad_epochs", 0))
