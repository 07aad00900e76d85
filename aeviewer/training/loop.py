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
from dataclasses import replace
from pathlib import Path

import torch
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.errors import AeviewerError, RunError
from aeviewer.io.records import metrics_line
from aeviewer.training.checkpoints import CheckpointWriter
from aeviewer.training.control import TrainingControl
from aeviewer.training.data_record import check_same_data, data_record
from aeviewer.training.distributed import Distributed
from aeviewer.training.events import (
    Checkpointed,
    EpochEnd,
    Event,
    Finished,
    LrChanged,
    Progress,
    Resumable,
)
from aeviewer.training.run_log import logged
from aeviewer.training.rundir import RunDirectory, load_state, model_record, state_copy
from aeviewer.training.schedule import EarlyStopping, lr_factor
from aeviewer.training.setup import SETUP_STEPS, RunSetup, SetupStopped, set_up
from aeviewer.training.state import (
    TrainingState,
    capture_state,
    restore_generator,
    restore_global_rng,
    restore_optimizer,
)
from aeviewer.training.streaming import EpochBatches, MappedRows
from aeviewer.training.subnormals import flushed_subnormals
from aeviewer.training.trainers import EVAL_BATCH

#: The stages whose validation loss early stopping watches (not layer-wise pre-training).
FINAL_STAGES = ("train", "finetune")

#: Seconds between Progress events inside an epoch.
PROGRESS_INTERVAL_S = 0.1


def train(
    config: RunConfig,
    dataset: Dataset | None = None,
    *,
    control: TrainingControl | None = None,
    run_dir: str | Path | None = None,
    resume_from: TrainingState | None = None,
    states_every: int | None = None,
    progress_interval: float = PROGRESS_INTERVAL_S,
    on_model: Callable[[nn.Module], None] | None = None,
    distributed: Distributed | None = None,
) -> Iterator[Event]:
    """Train the model ``config`` describes, yielding events.

    Yields :class:`Started` first and :class:`Finished` last; between them :class:`Progress`
    (at most every ``progress_interval`` seconds and after each epoch's last batch),
    :class:`EpochEnd`, :class:`Snapshot` (every ``snapshot_every`` epochs and after the last),
    :class:`LrChanged`, with a ``run_dir`` :class:`Checkpointed` (as checkpoints reach the
    disk), and :class:`Resumable` just before :class:`Finished`.

    Parameters
    ----------
    dataset
        The prepared data set; None loads and prepares ``config.data.source``.
    control
        Checked every batch: stop, pause, learning-rate changes, epoch budget.
    run_dir
        Where to write the config, metrics, checkpoints and final model; None writes nothing.
        With ``resume_from`` it is the run being continued.
    resume_from
        A training state to continue from (a checkpoint, or a finished run's
        :class:`Resumable`): training goes on after its epoch up to ``config``'s epochs, with
        its weights, optimisers, learning rates and random streams, exactly as if it had never
        stopped. The data must be the data it was trained on.
    states_every
        Also yield a :class:`Resumable` after every this many epochs (the GUI keeps the newest,
        so that its autosave can be continued); None: only at the end.
    on_model
        Called once with the model before training starts, so that a caller can copy its
        weights between events (the model is not trained while the generator is suspended).
    distributed
        Train as one rank of this data-parallel process group: the batch size is global, each
        rank trains on its slice of every batch, epoch terms are summed across ranks, and only
        rank 0 writes ``run_dir``. An error in set-up on any rank ends every rank.

    Subnormal floats are flushed to zero in the thread that iterates the generator while it
    runs (see :mod:`aeviewer.training.subnormals`).
    """
    control = control or TrainingControl()
    if distributed is not None and not distributed.primary:
        # Only rank 0 writes the run directory; the others train the same steps with it.
        run_dir = None
    with flushed_subnormals():
        try:
            prepared = _prepare(config, dataset, control, run_dir, resume_from, distributed)
        except SetupStopped:
            yield Finished("stopped", 0, 0, "Stopped while the run was being set up.")
            return
        setup, run, record = prepared
        where = str(run_dir) if run_dir is not None else "the saved training state"
        if on_model is not None:
            on_model(setup.model)
        loop = _Loop(setup, control, run, progress_interval, record)
        loop.states_every = states_every
        try:
            if resume_from is not None:
                loop.restore(resume_from, where)
            started = replace(setup.started(), first_epoch=loop.epoch)
            yield started
            events = loop.run()
            if run is not None:
                # Hook: baseline.json and TensorBoard events of the run (see run_log.py).
                events = logged(events, run.path, started)
            yield from events
        finally:
            loop.close()


def _prepare(
    config: RunConfig,
    dataset: Dataset | None,
    control: TrainingControl,
    run_dir: str | Path | None,
    resume_from: TrainingState | None,
    distributed: Distributed | None,
) -> tuple[RunSetup, RunDirectory | None, dict]:
    """Set the run up and open its directory; a data-parallel run shares any rank's error with
    every rank (then wraps the model), so that no rank waits for a peer that gave up."""
    error: AeviewerError | None = None
    setup = run = record = None
    try:
        setup = set_up(
            config, dataset, lambda: control.stop_requested, distributed, control.report_preparing
        )
        # The config with its automatic settings (epochs, warm-up, patience) decided.
        config = setup.config
        control.report_preparing(len(SETUP_STEPS) - 1, len(SETUP_STEPS), SETUP_STEPS[-1])
        record = data_record(setup.dataset, config.data, setup.train_indices, setup.val_indices)
        where = str(run_dir) if run_dir is not None else "the saved training state"
        if resume_from is not None:
            check_resumable(resume_from, config, where)
            check_same_data(resume_from.data, setup.dataset, where, digest=record["content_sha256"])
        if run_dir is not None:
            if resume_from is None:
                run = RunDirectory.create(run_dir, config, record)
            else:
                run = RunDirectory.reopen(run_dir, config, resume_from.epoch, record)
    except AeviewerError as exc:
        if distributed is None:
            raise
        error = exc
    if distributed is not None:
        distributed.agree(error)
        setup.trainer.distribute(distributed)
    return setup, run, record


def check_resumable(state: TrainingState, config: RunConfig, where: str) -> None:
    """Raise a RunError when ``config`` cannot continue ``state`` (another model, or fewer
    epochs than were trained already)."""
    saved = state.config
    if saved.model != config.model:
        raise RunError(
            f"{where}: the checkpoint holds a {saved.model.kind} model with other settings than "
            f"the {config.model.kind} model to train; a run continues only with its own model"
        )
    if config.train.epochs is not None and config.train.epochs < _stage_epoch_of(state):
        raise RunError(
            f"{where}: the run has trained {state.stage_epoch} epochs already; ask for more "
            f"than that (--epochs N with N > {state.stage_epoch})"
        )


def _stage_epoch_of(state: TrainingState) -> int:
    # Only the last (fine-tuning or only) stage's length comes from TrainSpec.epochs.
    return state.stage_epoch if state.stage in ("train", "finetune") else 0


class _Loop:
    """The state of one running loop."""

    def __init__(
        self,
        setup: RunSetup,
        control: TrainingControl,
        run: RunDirectory | None,
        progress_interval: float,
        record: dict,
    ) -> None:
        self.setup = setup
        self.control = control
        self.run_dir = run
        self.progress_interval = progress_interval
        self.record = record
        self.trainer = setup.trainer
        self.model = setup.model
        self.epoch = 0
        self.step = 0
        self.stage_position: tuple[str, int] | None = None
        self.last_val: float | None = None
        self.lr_changes: list[LrChanged] = []
        self.good_state = state_copy(self.model)
        self.divergence = ""
        spec = setup.config.train
        self.writer = (
            CheckpointWriter(run.path, spec.keep_checkpoints, before_write=run.sync)
            if run is not None
            else None
        )
        self._reported = 0
        self._saved_epoch = -1
        self.states_every: int | None = None
        self.early = EarlyStopping(spec.patience or 0)
        #: The fewest rows a rank's slice of a batch may have (batch norm needs two).
        self.min_rows = 2 if any(isinstance(m, _BatchNorm) for m in self.model.modules()) else 1
        self.best_state: dict[str, torch.Tensor] | None = None

    # -- resuming ------------------------------------------------------------------------------
    def restore(self, state: TrainingState, where: str) -> None:
        """Continue from ``state``: weights, optimisers, random streams and position."""
        trainer = self.trainer
        if state.stage not in trainer.stages():
            raise RunError(f"{where}: the checkpoint's stage {state.stage!r} is not in this run")
        load_state(self.model, state.model_state(), where)
        trainer.begin_stage(state.stage)
        if not state.weights_only:
            for group, optimizer in trainer.optimizers.items():
                restore_optimizer(optimizer, group, state, where)
            restore_generator(self.setup.shuffle, "shuffle", state, where)
            restore_generator(trainer.generator, "trainer", state, where)
            restore_global_rng(state, where)
        self.epoch, self.step = state.epoch, state.step
        self.stage_position = (state.stage, state.stage_epoch)
        self.last_val = state.val_loss
        self.good_state = state_copy(self.model)
        self._saved_epoch = state.epoch
        trainer.base_lrs.update({k: float(v) for k, v in state.meta.get("base_lrs", {}).items()})
        self.early.load(state.meta.get("early_stopping"))
        if state.meta.get("stopped_early"):
            # Continuing a run that stopped early: the user asked for more, so patience restarts.
            self.early.bad_epochs = 0
        best = state.model_state("best/")
        self.best_state = best or None

    def capture(self, stage: str, stage_epoch: int, stopped_early: bool = False) -> TrainingState:
        """The training state now (after a whole epoch)."""
        return capture_state(
            model=self.model,
            optimizers=self.trainer.optimizers,
            generators={"shuffle": self.setup.shuffle, "trainer": self.trainer.generator},
            epoch=self.epoch,
            step=self.step,
            stage=stage,
            stage_epoch=stage_epoch,
            val_loss=self.last_val,
            config=self.setup.config,
            data=self.record,
            extra_meta={
                "base_lrs": dict(self.trainer.base_lrs),
                "early_stopping": self.early.to_dict(),
                "stopped_early": stopped_early,
            },
            extra_tensors={f"best/{k}": v for k, v in (self.best_state or {}).items()},
        )

    def close(self) -> None:
        """End the checkpoint writer (queued writes finish first)."""
        if self.writer is not None:
            self.writer.close()

    # -- the run -------------------------------------------------------------------------------
    def run(self) -> Iterator[Event]:
        trainer = self.trainer
        stages = trainer.stages()
        total = sum(trainer.epochs_in(s) for s in stages)
        first_stage, done_in_stage = 0, 0
        if self.stage_position is not None:
            first_stage = stages.index(self.stage_position[0])
            done_in_stage = self.stage_position[1]
        reason = "completed"
        position = self.stage_position or (stages[0], 0)
        for index in range(first_stage, len(stages)):
            stage = stages[index]
            resumed_here = index == first_stage and self.stage_position is not None
            if not resumed_here:
                trainer.begin_stage(stage)
            start = done_in_stage + 1 if resumed_here else 1
            for stage_epoch in range(start, trainer.epochs_in(stage) + 1):
                outcome = yield from self._epoch(stage, stage_epoch, total)
                if outcome in ("completed", "converged"):
                    position = (stage, stage_epoch)
                if outcome != "completed":
                    reason = outcome
                    break
            if reason != "completed":
                break
        yield from self._finish(reason, position)

    # -- one epoch ---------------------------------------------------------------------------
    def _epoch(self, stage: str, stage_epoch: int, total: int) -> Iterator[Event]:
        setup, control, trainer = self.setup, self.control, self.trainer
        spec = setup.config.train
        x = setup.x_train
        n = x.shape[0]
        bs = min(spec.batch_size, n)
        n_batches = -(-n // bs)
        epoch = self.epoch + 1
        if control.stop_requested:
            # Before the shuffle draws: the state at a stop is then the state of the epoch end.
            return "stopped"
        order = torch.randperm(n, generator=setup.shuffle).to(x.device)
        collected: dict[str, list[torch.Tensor]] = {}
        ranks = setup.distributed
        plan = self._plan(order, n_batches, bs)
        reader = None
        if isinstance(x, MappedRows):
            reader = EpochBatches(x, [rows for _, rows, _ in plan], x.workers)
        self.model.train()
        stage_steps = trainer.epochs_in(stage) * n_batches
        warmup = min(spec.warmup_steps or 0, stage_steps // 2)
        first_step = (stage_epoch - 1) * n_batches
        start = last = time.perf_counter()
        try:
            for k, (b, rows, part) in enumerate(plan):
                # stop_requested first: an epoch budget spent right after a stop re-pauses the
                # control, and checkpoint() would then wait although a stop was asked for.
                if control.stop_requested or not control.checkpoint():
                    return "stopped"
                changes = control.take_lr_changes()
                if changes:
                    for group, lr in changes.items():
                        if trainer.set_lr(group, lr):
                            change = LrChanged(epoch, self.step, group, lr)
                            self.lr_changes.append(change)
                            yield change
                factor = lr_factor(first_step + b, stage_steps, warmup, spec.schedule)
                trainer.set_lr_factor(factor)
                if part is not None:
                    trainer.set_slice(*part)
                terms = trainer.train_step(reader.next_batch() if reader is not None else x[rows])
                for name, value in terms.items():
                    collected.setdefault(name, []).append(value)
                self.step += 1
                now = time.perf_counter()
                if now - last >= self.progress_interval or k == len(plan) - 1:
                    last = now
                    loss = float(terms["loss"])
                    # Ranks decide together, at the epoch's end, on the terms summed across them.
                    if ranks is None and not math.isfinite(loss):
                        self.divergence = f"the loss became {loss} at epoch {epoch}, batch {b + 1}"
                        return "diverged"
                    seen = min((b + 1) * bs, n)
                    rate = seen / max(now - start, 1e-9)
                    yield Progress(epoch, b + 1, n_batches, self.step, loss, rate, stage)
        finally:
            if reader is not None:
                reader.close()
        seconds = time.perf_counter() - start
        if ranks is None:
            sizes = torch.full((n_batches,), float(bs), device=x.device)
            sizes[-1] = n - bs * (n_batches - 1)
            train_terms = _weighted_means(collected, sizes, n)
        else:
            trainer.clear_slice()
            counts = [float(round(part[3] * part[0])) for _, _, part in plan]
            used = sum(part[0] for _, _, part in plan)
            sizes = torch.tensor(counts, device=x.device)
            train_terms = _weighted_means(collected, sizes, used, ranks.all_reduce_sum)
        val_terms = self._validate()
        if val_terms is None:
            return "stopped"
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
        self.last_val = val_terms.get("loss")
        improved = stage in FINAL_STAGES and self.early.update(self.last_val, epoch)
        if improved and self.early.patience > 0:
            self.best_state = state_copy(self.model)
        if self.run_dir is not None:
            self.run_dir.append_metrics(metrics_line(end, self.lr_changes))
            if epoch % spec.checkpoint_every == 0 or epoch == total:
                self.writer.submit(self.capture(stage, stage_epoch))
                self._saved_epoch = epoch
            yield from self._checkpointed()
        self.lr_changes = []
        if epoch % spec.snapshot_every == 0 or epoch == total:
            yield setup.snapshotter.take(self.model, epoch, self.step, stage)
        if self.states_every and epoch % self.states_every == 0 and epoch != total:
            yield Resumable(self.capture(stage, stage_epoch))
        control.epoch_finished()
        if stage in FINAL_STAGES and self.early.should_stop:
            return "converged"
        return "completed"

    def _plan(
        self, order: torch.Tensor, n_batches: int, bs: int
    ) -> list[tuple[int, torch.Tensor, tuple[int, int, int, float] | None]]:
        """The epoch's batches: index, rows, and in a data-parallel run this rank's slice of
        the global batch (total, start, stop, share of the batch mean).

        A rank left without rows by a short last batch steps on one row that counts for
        nothing, so that every rank takes part in every gradient all-reduce; a model with batch
        norm, which cannot train on one row, skips such a batch on every rank alike.
        """
        ranks = self.setup.distributed
        plan = []
        for b in range(n_batches):
            rows = order[b * bs : (b + 1) * bs]
            if ranks is None:
                plan.append((b, rows, None))
                continue
            total = int(rows.shape[0])
            if total // ranks.world_size < self.min_rows:
                continue
            start, stop = ranks.shard(total)
            count = stop - start
            if count == 0:
                start, stop = 0, 1
            plan.append((b, rows[start:stop], (total, start, stop, count / total)))
        return plan

    def _validate(self) -> dict[str, float] | None:
        """Mean validation terms; None when a stop was requested in the middle."""
        x_val = self.setup.x_val
        if x_val is None:
            return {}
        self.model.eval()
        collected: dict[str, list[torch.Tensor]] = {}
        sizes = []
        with torch.no_grad():
            for i in range(0, x_val.shape[0], EVAL_BATCH):
                if self.control.stop_requested:
                    return None
                batch = x_val[i : i + EVAL_BATCH]
                for name, value in self.trainer.eval_terms(batch).items():
                    collected.setdefault(name, []).append(value)
                sizes.append(float(batch.shape[0]))
        weights = torch.tensor(sizes, device=x_val.device)
        return _weighted_means(collected, weights, x_val.shape[0])

    # -- the end -----------------------------------------------------------------------------
    def _checkpointed(self) -> Iterator[Checkpointed]:
        """A Checkpointed event for each checkpoint the writer finished since the last call."""
        written = self.writer.written
        while self._reported < len(written):
            path = written[self._reported]
            self._reported += 1
            yield Checkpointed(int(path.stem.split("-")[-1]), str(path))

    def _finish(self, reason: str, position: tuple[str, int]) -> Iterator[Event]:
        message = ""
        diverged = reason == "diverged"
        if diverged:
            self.model.load_state_dict(self.good_state)
            lr = self.setup.config.train.lr
            message = (
                f"Training diverged: {self.divergence}. The weights of epoch {self.epoch} were "
                f"kept. Try a lower learning rate (now {lr:g}), gradient clipping (for example "
                "1.0), or normalising the data (zscore)."
            )
        elif not all(torch.isfinite(p).all() for p in self.model.parameters()):
            self.model.load_state_dict(self.good_state)
        # A diverged run's optimiser moments are spoiled: it resumes from its last checkpoint.
        converged = reason == "converged"
        state = None if diverged else self.capture(*position, stopped_early=converged)
        if not diverged and self.best_state is not None:
            # Early stopping keeps the weights of the best epoch (the state above continues
            # from the last one).
            best = self.early.best_epoch
            self.model.load_state_dict(self.best_state)
            if converged:
                message = (
                    f"Stopped early: the validation loss did not improve for "
                    f"{self.early.patience} epochs; the weights of epoch {best}, the best, "
                    "were kept."
                )
        if self.run_dir is not None:
            if state is not None and (self._saved_epoch != self.epoch or converged):
                self.writer.submit(state)
            self.writer.flush()
            yield from self._checkpointed()
            record = model_record(
                self.model,
                self.setup.dataset,
                epoch=self.epoch,
                step=self.step,
                reason=reason,
                content_sha256=self.record["content_sha256"],
            )
            self.run_dir.save_model(self.model, self.setup.config, record)
            self.run_dir.sync()
        self.model.eval()
        if state is not None:
            yield Resumable(state)
        yield Finished(reason, self.epoch, self.step, message)


def _weighted_means(
    collected: dict[str, list[torch.Tensor]],
    weights: torch.Tensor,
    n: int,
    reduce: Callable[[torch.Tensor], torch.Tensor] | None = None,
) -> dict[str, float]:
    """Sample-weighted means of per-batch terms, read back with one device sync; ``reduce``
    sums the weighted sums across data-parallel ranks first."""
    if not collected:
        return {}
    names = list(collected)
    stacked = torch.stack([torch.stack(collected[k]).float() for k in names])
    if reduce is None:
        values = (stacked @ weights / n).tolist()
    else:
        values = (reduce(stacked @ weights) / n).tolist()
    return dict(zip(names, values, strict=True))
