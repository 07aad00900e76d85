"""The training loop: a plain generator of events, with no threads and no Qt.

Per batch it does only what a hand-written loop does plus a control check: batches are gathered
from one tensor already on the device, loss terms stay on the device until an epoch ends, and
the loss is read back (a device sync) only when a :class:`Progress` event is due, at most every
``progress_interval`` seconds.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import torch
from torch import nn

from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.io.records import epoch_end_to_dict
from aeviewer.training.control import TrainingControl
from aeviewer.training.events import (
    Checkpointed,
    EpochEnd,
    Event,
    Finished,
    LrChanged,
    Progress,
)
from aeviewer.training.rundir import RunDirectory, model_record, state_copy
from aeviewer.training.setup import RunSetup, set_up
from aeviewer.training.subnormals import flushed_subnormals
from aeviewer.training.trainers import EVAL_BATCH

#: Seconds between Progress events inside an epoch.
PROGRESS_INTERVAL_S = 0.1


def train(
    config: RunConfig,
    dataset: Dataset | None = None,
    *,
    control: TrainingControl | None = None,
    run_dir: str | Path | None = None,
    progress_interval: float = PROGRESS_INTERVAL_S,
    on_model: Callable[[nn.Module], None] | None = None,
) -> Iterator[Event]:
    """Train the model ``config`` describes, yielding events.

    Yields :class:`Started` first and :class:`Finished` last; between them :class:`Progress`
    (at most every ``progress_interval`` seconds and after each epoch's last batch),
    :class:`EpochEnd`, :class:`Snapshot` (every ``snapshot_every`` epochs and after the last),
    :class:`LrChanged` and, with a ``run_dir``, :class:`Checkpointed`.

    Parameters
    ----------
    dataset
        The prepared data set; None loads and prepares ``config.data.source``.
    control
        Checked every batch: stop, pause, learning-rate changes, epoch budget.
    run_dir
        Where to write the config, metrics, checkpoints and final model; None writes nothing.
    on_model
        Called once with the model before training starts, so that a caller can copy its
        weights between events (the model is not trained while the generator is suspended).

    Subnormal floats are flushed to zero in the thread that iterates the generator while it
    runs (see :mod:`aeviewer.training.subnormals`).
    """
    with flushed_subnormals():
        setup = set_up(config, dataset)
        if on_model is not None:
            on_model(setup.model)
        run = RunDirectory.create(run_dir, config) if run_dir is not None else None
        yield setup.started()
        loop = _Loop(setup, control or TrainingControl(), run, progress_interval)
        yield from loop.run()


class _Loop:
    """The state of one running loop."""

    def __init__(
        self,
        setup: RunSetup,
        control: TrainingControl,
        run: RunDirectory | None,
        progress_interval: float,
    ) -> None:
        self.setup = setup
        self.control = control
        self.run_dir = run
        self.progress_interval = progress_interval
        self.trainer = setup.trainer
        self.model = setup.model
        self.epoch = 0
        self.step = 0
        self.good_state = state_copy(self.model)
        self.divergence = ""

    def run(self) -> Iterator[Event]:
        trainer = self.trainer
        stages = trainer.stages()
        total = sum(trainer.epochs_in(s) for s in stages)
        reason = "completed"
        for stage in stages:
            trainer.begin_stage(stage)
            for stage_epoch in range(1, trainer.epochs_in(stage) + 1):
                outcome = yield from self._epoch(stage, stage_epoch, total)
                if outcome != "completed":
                    reason = outcome
                    break
            if reason != "completed":
                break
        yield self._finish(reason)

    # -- one epoch ---------------------------------------------------------------------------
    def _epoch(self, stage: str, stage_epoch: int, total: int) -> Iterator[Event]:
        setup, control, trainer = self.setup, self.control, self.trainer
        spec = setup.config.train
        x = setup.x_train
        n = x.shape[0]
        bs = min(spec.batch_size, n)
        n_batches = -(-n // bs)
        epoch = self.epoch + 1
        order = torch.randperm(n, generator=setup.shuffle).to(x.device)
        collected: dict[str, list[torch.Tensor]] = {}
        self.model.train()
        start = last = time.perf_counter()
        for b in range(n_batches):
            # stop_requested first: an epoch budget spent right after a stop re-pauses the
            # control, and checkpoint() would then wait although a stop was asked for.
            if control.stop_requested or not control.checkpoint():
                return "stopped"
            changes = control.take_lr_changes()
            if changes:
                for group, lr in changes.items():
                    if trainer.set_lr(group, lr):
                        yield LrChanged(epoch, self.step, group, lr)
            terms = trainer.train_step(x[order[b * bs : (b + 1) * bs]])
            for name, value in terms.items():
                collected.setdefault(name, []).append(value)
            self.step += 1
            now = time.perf_counter()
            if now - last >= self.progress_interval or b == n_batches - 1:
                last = now
                loss = float(terms["loss"])
                if not math.isfinite(loss):
                    self.divergence = f"the loss became {loss} at epoch {epoch}, batch {b + 1}"
                    return "diverged"
                seen = min((b + 1) * bs, n)
                yield Progress(
                    epoch, b + 1, n_batches, self.step, loss, seen / max(now - start, 1e-9), stage
                )
        seconds = time.perf_counter() - start
        sizes = torch.full((n_batches,), float(bs), device=x.device)
        sizes[-1] = n - bs * (n_batches - 1)
        train_terms = _weighted_means(collected, sizes, n)
        val_terms = self._validate()
        bad = [k for k, v in {**train_terms, **val_terms}.items() if not math.isfinite(v)]
        if bad:
            self.divergence = f"the {bad[0]} term became non-finite at epoch {epoch}"
            return "diverged"
        self.epoch = epoch
        self.good_state = state_copy(self.model)
        end = EpochEnd(
            epoch=epoch,
            step=self.step,
            train=trainer.derived_terms(train_terms),
            val=trainer.derived_terms(val_terms) if val_terms else {},
            lr=trainer.learning_rates(),
            seconds=seconds,
            samples_per_s=n / max(seconds, 1e-9),
            stage=stage,
            stage_epoch=stage_epoch,
        )
        yield end
        if self.run_dir is not None:
            self.run_dir.append_metrics(epoch_end_to_dict(end))
            if epoch % spec.checkpoint_every == 0 or epoch == total:
                path = self.run_dir.save_checkpoint(self.model, epoch)
                yield Checkpointed(epoch, str(path))
        if epoch % spec.snapshot_every == 0 or epoch == total:
            yield setup.snapshotter.take(self.model, epoch, self.step, stage)
        control.epoch_finished()
        return "completed"

    def _validate(self) -> dict[str, float]:
        x_val = self.setup.x_val
        if x_val is None:
            return {}
        self.model.eval()
        collected: dict[str, list[torch.Tensor]] = {}
        sizes = []
        with torch.no_grad():
            for i in range(0, x_val.shape[0], EVAL_BATCH):
                batch = x_val[i : i + EVAL_BATCH]
                for name, value in self.trainer.eval_terms(batch).items():
                    collected.setdefault(name, []).append(value)
                sizes.append(float(batch.shape[0]))
        weights = torch.tensor(sizes, device=x_val.device)
        return _weighted_means(collected, weights, x_val.shape[0])

    # -- the end -----------------------------------------------------------------------------
    def _finish(self, reason: str) -> Finished:
        message = ""
        if reason == "diverged":
            self.model.load_state_dict(self.good_state)
            lr = self.setup.config.train.lr
            message = (
                f"Training diverged: {self.divergence}. The weights of epoch {self.epoch} were "
                f"kept. Try a lower learning rate (now {lr:g}), gradient clipping (for example "
                "1.0), or normalising the data (zscore)."
            )
        elif not all(torch.isfinite(p).all() for p in self.model.parameters()):
            self.model.load_state_dict(self.good_state)
        if self.run_dir is not None:
            record = model_record(
                self.model, self.setup.dataset, epoch=self.epoch, step=self.step, reason=reason
            )
            self.run_dir.save_model(self.model, self.setup.config, record)
        self.model.eval()
        return Finished(reason, self.epoch, self.step, message)


def _weighted_means(
    collected: dict[str, list[torch.Tensor]], weights: torch.Tensor, n: int
) -> dict[str, float]:
    """Sample-weighted means of per-batch terms, read back with one device sync."""
    if not collected:
        return {}
    names = list(collected)
    stacked = torch.stack([torch.stack(collected[k]).float() for k in names])
    values = (stacked @ weights / n).tolist()
    return dict(zip(names, values, strict=True))
