"""``aeviewer train``: train a model headless into a run directory."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, TextIO

from aeviewer.commands.data_options import add_label_options, label_choice
from aeviewer.config import (
    ACTIVATIONS,
    L1_CODES,
    LOSSES,
    MAX_AUTO_DATA_WORKERS,
    NORMALIZATIONS,
    OPTIMIZERS,
    OUTPUTS,
    PRECISIONS,
    SCHEDULES,
    DataSpec,
    ModelSpec,
    NoiseSpec,
    RunConfig,
    SparsitySpec,
    TrainSpec,
)
from aeviewer.errors import AeviewerError, ConfigError, RunError
from aeviewer.models.kinds import MODEL_DESCRIPTIONS
from aeviewer.training.schedule import BASE_LR, HIGH_LR, HIGH_LR_KINDS

if TYPE_CHECKING:
    from aeviewer.training.distributed import Distributed, Launch
    from aeviewer.training.state import TrainingState

BAR_WIDTH = 24
#: Headless runs have nobody to show snapshots to: the one after the last epoch is enough.
HEADLESS_SNAPSHOT_EVERY = 1_000_000


def _sizes(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(v) for v in text.replace(" ", "").split(",") if v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 256,128, not {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``aeviewer train``."""
    defaults_model, defaults_train, defaults_data = ModelSpec(), TrainSpec(), DataSpec()
    add = parser.add_argument
    add(
        "--data",
        default=defaults_data.source,
        metavar="SOURCE",
        help="builtin:NAME, a file or folder, or mnist / fashion-mnist / kmnist",
    )
    add("--model", default="ae", choices=list(MODEL_DESCRIPTIONS), help="model kind")
    add("--latent", type=int, default=defaults_model.latent, metavar="K", help="latent size")
    add(
        "--epochs",
        type=int,
        metavar="N",
        help="epochs to train exactly (default: about 8,000 optimiser steps whatever the data "
        "size, stopping early once the validation loss stops improving; with --resume: the "
        "run's own, "
        "or more to extend it)",
    )
    add("--out", metavar="RUNDIR", help="run directory to create")
    add(
        "--resume",
        metavar="RUNDIR",
        help="continue the run in RUNDIR from its newest complete checkpoint (its own settings "
        "apply; --epochs can extend it)",
    )
    add(
        "--hidden",
        type=_sizes,
        default=defaults_model.hidden,
        metavar="SIZES",
        help="hidden layer sizes, e.g. 256,128 ('' for none)",
    )
    add(
        "--conv-channels",
        type=_sizes,
        default=defaults_model.conv_channels,
        metavar="SIZES",
        help="channels of the convolutional layers, e.g. 16,32",
    )
    add("--activation", choices=ACTIVATIONS, default=defaults_model.activation)
    add("--output", choices=OUTPUTS, default="auto", help="output layer (auto: from the data)")
    add("--loss", choices=LOSSES, default="auto", help="reconstruction loss (auto: mse)")
    add("--noise", metavar="KIND:LEVEL", help="input noise: gaussian:0.3, uniform:0.5, mask:0.25")
    add("--sparsity", metavar="SPEC", help="code penalty: l1:1e-3 or kl:RATE:WEIGHT")
    add(
        "--l1-code",
        choices=L1_CODES,
        default=defaults_model.l1_code,
        help="activation of a code under L1: softplus (a silenced unit can come back) or relu "
        "(exact zeros; runs saved before the choice existed used it)",
    )
    add("--batch-size", type=int, default=defaults_train.batch_size)
    add(
        "--lr",
        type=float,
        default=defaults_train.lr,
        help="learning rate, a GAN's generator's (default: auto, "
        f"{HIGH_LR:g} for {', '.join(sorted(HIGH_LR_KINDS))} with Adam or AdamW and the cosine "
        f"schedule, else {BASE_LR:g}; the run records the rate it used)",
    )
    add("--lr-d", type=float, metavar="LR", help="gan: discriminator learning rate (default --lr)")
    add(
        "--stage-epochs",
        type=int,
        default=defaults_model.stage_epochs,
        metavar="N",
        help="stacked: pre-training epochs per layer (then --epochs of fine-tuning)",
    )
    add("--beta", type=float, default=defaults_model.beta, help="vae: weight of the KL term")
    add("--gan-d-steps", type=int, default=1, metavar="N", help="gan: D steps per batch")
    add("--gan-g-steps", type=int, default=1, metavar="N", help="gan: G steps per batch")
    add("--optimizer", choices=OPTIMIZERS, default=defaults_train.optimizer)
    add("--weight-decay", type=float, default=0.0)
    add("--grad-clip", type=float, metavar="NORM", help="clip the gradient norm")
    add("--seed", type=int, default=0)
    add("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    add("--normal-class", type=int, metavar="C", help="train on class C only (one-class)")
    add("--val-fraction", type=float, default=defaults_data.val_fraction)
    add("--normalize", choices=NORMALIZATIONS, default="auto")
    add("--limit", type=int, metavar="N", help="use at most N samples")
    storage = parser.add_mutually_exclusive_group()
    storage.add_argument(
        "--data-in-memory",
        dest="storage",
        action="store_const",
        const="memory",
        default="auto",
        help="load the samples into memory (the default, except for .npy files, uncompressed "
        "IDX files and image folders whose samples as float32 exceed 1 GiB)",
    )
    storage.add_argument(
        "--data-streamed",
        dest="storage",
        action="store_const",
        const="streamed",
        help="map a float32 .npy file or an uncompressed IDX file, or decode an image folder's "
        "images, a batch at a time (data larger than memory)",
    )
    add(
        "--data-workers",
        type=int,
        metavar="N",
        help="processes reading a streamed data set's batches (default: for image folders by "
        f"the CPUs, at most {MAX_AUTO_DATA_WORKERS}; for files 0: a thread of the training "
        "process reads a batch ahead)",
    )
    add_label_options(parser)
    add(
        "--schedule",
        choices=SCHEDULES,
        default=defaults_train.schedule,
        help="learning rate: warm-up then cosine decay to zero, or constant (auto: cosine, "
        "constant for a GAN)",
    )
    add("--warmup-steps", type=int, metavar="N", help="linear warm-up steps (default: auto)")
    add(
        "--patience",
        type=int,
        metavar="EPOCHS",
        help="stop once the validation loss has not improved for this many epochs, keeping the "
        "best weights (default: auto when --epochs is not given)",
    )
    add(
        "--no-early-stopping",
        dest="patience",
        action="store_const",
        const=0,
        help="train all the epochs",
    )
    add(
        "--precision",
        choices=PRECISIONS,
        default=defaults_train.precision,
        help="bf16: bfloat16 mixed precision; auto: bf16 where the device runs it fast",
    )
    add("--checkpoint-every", type=int, default=1, metavar="EPOCHS")
    add(
        "--keep-checkpoints",
        type=int,
        metavar="K",
        help=f"newest checkpoints kept besides the best by validation loss (default "
        f"{defaults_train.keep_checkpoints}; with --resume: the run's own)",
    )
    add("--quiet", action="store_true", help="no progress on stderr")
    add(
        "--nproc",
        type=int,
        metavar="N",
        help="train data-parallel in N processes on this machine (through torchrun; the batch "
        "size stays the global one)",
    )
    add(
        "--max-restarts",
        type=int,
        default=0,
        metavar="N",
        help="with --nproc: restart the processes up to N times after one fails, continuing "
        "from the newest checkpoint",
    )
    add(
        "--dist-timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="under torchrun: how long a process waits for its peers before giving up",
    )


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """The run configuration the options describe (validated)."""
    epochs = args.epochs
    return RunConfig(
        data=DataSpec(
            source=args.data,
            normalize=args.normalize,
            val_fraction=args.val_fraction,
            normal_class=args.normal_class,
            limit=args.limit,
            label_column=label_choice(args),
            storage=args.storage,
            workers=args.data_workers,
        ),
        model=ModelSpec(
            kind=args.model,
            latent=args.latent,
            hidden=tuple(args.hidden),
            activation=args.activation,
            output=args.output,
            loss=args.loss,
            noise=None if args.noise is None else NoiseSpec.parse(args.noise),
            sparsity=None if args.sparsity is None else SparsitySpec.parse(args.sparsity),
            conv_channels=tuple(args.conv_channels),
            beta=args.beta,
            stage_epochs=args.stage_epochs,
            l1_code=args.l1_code,
            gan_d_steps=args.gan_d_steps,
            gan_g_steps=args.gan_g_steps,
        ),
        train=TrainSpec(
            epochs=epochs,
            batch_size=args.batch_size,
            lr=args.lr,
            lr_d=args.lr_d,
            optimizer=args.optimizer,
            weight_decay=args.weight_decay,
            seed=args.seed,
            device=args.device,
            grad_clip=args.grad_clip,
            # Headless runs have nobody to show snapshots to: one at the end is enough.
            snapshot_every=HEADLESS_SNAPSHOT_EVERY,
            checkpoint_every=args.checkpoint_every,
            schedule=args.schedule,
            warmup_steps=args.warmup_steps,
            patience=args.patience,
            precision=args.precision,
            keep_checkpoints=(
                TrainSpec().keep_checkpoints
                if args.keep_checkpoints is None
                else args.keep_checkpoints
            ),
        ),
    )


class ProgressPrinter:
    """A plain progress bar on a stream, rewritten in place with carriage returns."""

    def __init__(self, stream: TextIO, epochs: int, live: bool) -> None:
        self.stream = stream
        self.epochs = epochs
        self.live = live
        self.pca: float | None = None

    def bar(self, epoch: int, batch: int, n_batches: int, loss: float, rate: float) -> None:
        """Rewrite the bar of the running epoch."""
        if not self.live:
            return
        done = int(BAR_WIDTH * batch / max(n_batches, 1))
        bar = "#" * done + "-" * (BAR_WIDTH - done)
        self.stream.write(
            f"\repoch {epoch}/{self.epochs} [{bar}] {100 * batch // max(n_batches, 1):3d}% "
            f"loss {loss:.5g} {rate:,.0f} samples/s"
        )
        self.stream.flush()

    def epoch_line(self, epoch: int, train: float, val: float | None, seconds: float) -> None:
        """Replace the bar with the epoch's summary line."""
        text = f"epoch {epoch}/{self.epochs} train {train:.5g}"
        if val is not None:
            text += f" val {val:.5g}"
        if self.pca is not None:
            text += f" (PCA mse {self.pca:.5g})"
        clear = "\r\x1b[K" if self.live else ""
        self.stream.write(f"{clear}{text} {seconds:.1f}s\n")
        self.stream.flush()


def resume_config(args: argparse.Namespace, state) -> RunConfig:
    """The config of a resumed run: the checkpoint's own, with ``--epochs`` when given.

    A run killed after its last checkpoint but before its model was saved is finished: it
    trains no epoch, and its model (the best epoch's with early stopping) is written.
    """
    from aeviewer.errors import RunError
    from aeviewer.training.rundir import saved_model_epoch

    config = state.config
    epochs = config.train.epochs if args.epochs is None else args.epochs
    all_done = state.stage in ("train", "finetune") and epochs <= state.stage_epoch
    if all_done and args.epochs is None and saved_model_epoch(args.resume) != state.epoch:
        epochs = state.stage_epoch
    elif all_done:
        if args.epochs is None:
            raise RunError(
                f"{args.resume}: the run has trained all its {epochs} epochs; give --epochs N "
                f"with N > {state.stage_epoch} to train it further"
            )
        raise RunError(
            f"{args.resume}: the run has trained {state.stage_epoch} epochs already; "
            f"--epochs {epochs} would train none"
        )
    train_spec = replace(
        config.train,
        epochs=epochs,
        snapshot_every=HEADLESS_SNAPSHOT_EVERY,
        keep_checkpoints=(
            config.train.keep_checkpoints
            if args.keep_checkpoints is None
            else args.keep_checkpoints
        ),
    )
    return config.with_changes(train=train_spec)


def run(args: argparse.Namespace) -> int:
    """Train, printing progress on stderr and a final summary line on stdout.

    Under torchrun (``RANK``/``WORLD_SIZE`` in the environment) this process is one rank of a
    data-parallel run; with ``--nproc N`` it launches such a run through torchrun.
    """
    from aeviewer.training.distributed import launch_from_env

    if args.nproc is not None:
        from aeviewer.commands.launch import launch_local

        return launch_local(args.nproc, args.max_restarts)
    if (args.out is None) == (args.resume is None):
        raise ConfigError("give either --out RUNDIR for a new run or --resume RUNDIR")
    launch = launch_from_env()
    if launch is not None:
        return _run_distributed(args, launch)
    from aeviewer.training.checkpoints import newest_state

    state = None
    if args.resume is not None:
        state, _ = newest_state(args.resume)
        config = resume_config(args, state)
        out = args.resume
    else:
        config = config_from_args(args)
        out = args.out
    return _train(args, config, out, state)


def _run_distributed(args: argparse.Namespace, launch: Launch) -> int:
    """One rank of a torchrun launch: join the group, agree on how the run starts, train."""
    import os

    from aeviewer.training.devices import resolve_device
    from aeviewer.training.distributed import process_group
    from aeviewer.training.setup import check_distributable

    if args.dist_timeout <= 0:
        raise ConfigError(f"--dist-timeout must be positive, got {args.dist_timeout:g}")
    device = resolve_device(args.device)
    if args.out is not None:
        # Every rank finds this alone, before anyone waits for a peer.
        check_distributable(config_from_args(args), launch.world_size)
    run_id = os.environ.get("TORCHELASTIC_RUN_ID", "")
    with process_group(launch, device, args.dist_timeout) as group:
        error = None
        try:
            state, config, out = _distributed_start(args, launch, group, run_id)
        except AeviewerError as exc:
            error = exc
        group.agree(error)
        try:
            return _train(args, config, out, state, group)
        except RuntimeError as exc:
            # A peer that died or hung: gloo and NCCL report it as a RuntimeError.
            text = " ".join(str(exc).split())[:300]
            if not any(word in text for word in ("gloo", "NCCL", "onnection", "imed out")):
                raise
            raise RunError(f"rank {launch.rank}: lost the other processes: {text}") from None


def _distributed_start(
    args: argparse.Namespace, launch: Launch, group: Distributed, run_id: str
) -> tuple[TrainingState | None, RunConfig, str]:
    """The state to resume from (None for a fresh start), the config and the run directory.

    A restart of the launch that created ``--out`` continues it from its newest checkpoint (or
    starts it again when it died before the first one).
    """
    from aeviewer.training import elastic
    from aeviewer.training.checkpoints import newest_state

    if args.resume is not None:
        group.barrier()
        state, _ = newest_state(args.resume)
        return state, resume_config(args, state), args.resume
    out = args.out
    config = config_from_args(args)
    ours = launch.restart_count > 0 and run_id and elastic.launched_by(out, run_id)
    if not ours:
        if launch.primary:
            elastic.mark_new_run(out, run_id, launch.world_size)
        return None, config, out
    # Every rank decides from the same files, after the barrier: nothing writes them now.
    group.barrier()
    if elastic.has_checkpoint(out):
        state, _ = newest_state(out)
        config = resume_config(argparse.Namespace(**{**vars(args), "resume": out}), state)
        return state, config, out
    if launch.primary:
        elastic.forget_unstarted(out)
    return None, config, out


def _train(
    args: argparse.Namespace,
    config: RunConfig,
    out: str,
    state: TrainingState | None,
    group: Distributed | None = None,
) -> int:
    """Train ``config`` into ``out`` (continuing ``state``), printing as rank 0."""
    from aeviewer.training.events import EpochEnd, Finished, Progress, Started
    from aeviewer.training.loop import train

    secondary = group is not None and not group.primary
    if secondary:
        args = argparse.Namespace(**{**vars(args), "quiet": True})
    printer = ProgressPrinter(sys.stderr, 0, sys.stderr.isatty() and not args.quiet)
    finished: Finished | None = None
    last_val_mse: float | None = None
    keeps_best = False
    best_val = float("inf")
    for event in train(config, run_dir=out, resume_from=state, distributed=group):
        if isinstance(event, Started):
            keeps_best = bool(event.config.train.patience)
            # A GAN reconstructs nothing, so PCA's error is no reference for it.
            printer.pca = None if config.model.kind == "gan" else event.pca_val_loss
            # Stacked pre-training stages come before the fine-tuning epochs.
            printer.epochs = event.total_epochs
            for warning in () if secondary else event.warnings:
                sys.stderr.write(f"aeviewer: warning: {warning}\n")
            if not args.quiet and event.first_epoch:
                sys.stderr.write(f"resuming after epoch {event.first_epoch}\n")
            if not args.quiet:
                sys.stderr.write(
                    f"training {config.model.kind} ({event.n_parameters:,} parameters) with "
                    f"{event.n_train} samples ({event.n_val} for validation) "
                    f"on {event.device}\n"
                )
        elif isinstance(event, Progress):
            printer.bar(event.epoch, event.batch, event.n_batches, event.loss, event.samples_per_s)
        elif isinstance(event, EpochEnd):
            # With early stopping the saved model is the one of the best validation loss.
            val = event.val_loss
            if not keeps_best or (val is not None and val < best_val):
                last_val_mse = event.val.get("mse")
                best_val = val if val is not None else best_val
            if not args.quiet:
                printer.epoch_line(event.epoch, event.train_loss, event.val_loss, event.seconds)
        elif isinstance(event, Finished):
            finished = event
    if finished is None:
        raise ConfigError("training ended without a result")
    if secondary:
        return 1 if finished.reason == "diverged" else 0
    summary = f"{finished.reason} after {finished.epoch} epochs"
    if last_val_mse is not None and printer.pca:
        summary += (
            f"; validation mse {last_val_mse:.5g}, PCA {printer.pca:.5g} "
            f"(ratio {last_val_mse / printer.pca:.3f})"
        )
    print(f"{summary}; model saved in {out}")
    if finished.reason == "converged" and not args.quiet:
        sys.stderr.write(f"aeviewer: {finished.message}\n")
    if finished.reason == "diverged":
        sys.stderr.write(f"aeviewer: warning: {finished.message}\n")
        return 1
    return 0
