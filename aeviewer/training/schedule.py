"""How long a run trains and at what learning rate: the step budget, warm-up and cosine decay,
and early stopping.

Training for a fixed number of epochs gives a small data set far fewer optimiser steps than a
large one: 800 one-class images at batch 128 are 7 steps an epoch. By default a run therefore
trains for about :data:`STEP_BUDGET` steps whatever the data size (within
:data:`MIN_EPOCHS` .. :data:`MAX_EPOCHS` epochs), decays the learning rate to zero along a half
cosine after a short linear warm-up, and stops early once the validation loss has not improved
for a while, keeping the weights of its best epoch.

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
        schedule = "constant" if kind == "gan" else "cosine"
    steps = epochs * per_epoch
    warmup = spec.warmup_steps
    if warmup is None:
        warmup = 0 if schedule == "constant" else min(MAX_WARMUP, int(WARMUP_FRACTION * steps))
    elif warmup >= steps:
        raise ConfigError(
            f"a warm-up of {warmup} steps is as long as the run or longer ({epochs} epochs of "
            f"{per_epoch} steps = {steps}); shorten the warm-up or train longer"
        )
    return replace(spec, epochs=epochs, patience=patience, warmup_steps=warmup, schedule=schedule)


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
