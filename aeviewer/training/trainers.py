"""How each model family trains: its stages, optimisers, steps and loss terms.

The loop in :mod:`aeviewer.training.loop` knows only the :class:`Trainer` interface. The
autoencoder families share :class:`AutoencoderTrainer` (one stage, one optimiser, one step per
batch). A family that trains differently (greedy stacked stages, a GAN's two optimisers) adds a
subclass and an entry in :data:`TRAINERS`; the loop stays as it is.
"""

from __future__ import annotations

import abc
import contextlib
import functools

import torch
from torch import nn

from aeviewer.config import RunConfig, TrainSpec
from aeviewer.models.losses import nll_from_recon
from aeviewer.models.noise import BatchSlice, NoiseSource

#: Validation and snapshot batches hold at most this many samples.
EVAL_BATCH = 4096


def fused_available(params: list[torch.Tensor]) -> bool:
    """True when torch has fused Adam/AdamW kernels for these parameters' device and dtype."""
    if not params:
        return False
    device = params[0].device.type
    return device in ("cpu", "cuda") and all(
        p.dtype in (torch.float32, torch.float16, torch.bfloat16) for p in params
    )


def make_optimizer(spec: TrainSpec, params, lr: float, **extra) -> torch.optim.Optimizer:
    """The optimiser ``spec.optimizer`` over ``params`` (Adam and AdamW fused where torch has
    the kernels: one pass over the weights instead of several)."""
    params = list(params)
    kwargs = {"lr": lr, "weight_decay": spec.weight_decay}
    if spec.optimizer in ("adam", "adamw"):
        kwargs.update(extra)
        if fused_available(params):
            kwargs["fused"] = True
    if spec.optimizer == "adam":
        return torch.optim.Adam(params, **kwargs)
    if spec.optimizer == "adamw":
        return torch.optim.AdamW(params, **kwargs)
    if spec.optimizer == "rmsprop":
        return torch.optim.RMSprop(params, **kwargs)
    return torch.optim.SGD(params, momentum=0.9, **kwargs)


class Trainer(abc.ABC):
    """The training procedure of one model.

    Parameters
    ----------
    model
        The model, already on its device.
    config
        The run's configuration.
    generator
        Random source for anything stochastic inside a step (input noise), on the model's device.
    """

    def __init__(
        self,
        model: nn.Module,
        config: RunConfig,
        generator: torch.Generator,
        autocast_dtype: torch.dtype | None = None,
    ) -> None:
        self.model = model
        self.config = config
        self.generator = generator
        self.optimizers: dict[str, torch.optim.Optimizer] = {}
        #: The peak learning rate of each group; the schedule scales it (see set_lr_factor).
        self.base_lrs: dict[str, float] = {}
        self.autocast_dtype = autocast_dtype
        self._device_type = next(model.parameters()).device.type
        #: Data-parallel training: the process group (None in a single process).
        self.group = None
        self._wrapped: nn.Module | None = None
        self._slice: tuple[int, int, int] | None = None
        self._loss_scale = 1.0

    # -- data-parallel training ---------------------------------------------------------------
    def distribute(self, group) -> None:
        """Train under DistributedDataParallel in ``group``
        (:class:`aeviewer.training.distributed.Distributed`)."""
        self.group = group
        self._wrapped = group.wrap(self.model)

    def set_slice(self, total: int, start: int, stop: int, share: float) -> None:
        """The next step trains on rows ``start:stop`` of a global batch of ``total`` rows;
        ``share`` is this rank's part of the batch mean (rows over ``total``; 0 for a rank
        that only keeps the collective steps in step). DDP averages gradients over ranks, so
        the loss is scaled by ``share * world_size``: the result is the global batch's mean."""
        self._slice = (total, start, stop)
        world = self.group.world_size if self.group is not None else 1
        self._loss_scale = share * world

    def clear_slice(self) -> None:
        """Back to whole batches (validation and snapshots draw as a single process does)."""
        self._slice = None
        self._loss_scale = 1.0

    def noise(self) -> NoiseSource:
        """The random source of a training step: this rank's rows of the global batch's draw."""
        if self._slice is None:
            return self.generator
        return BatchSlice(self.generator, *self._slice)

    def forward(self, fn, *args, wrapped: nn.Module | None = None):
        """``fn(*args)`` as a forward pass of the (data-parallel) model."""
        wrapped = wrapped if wrapped is not None else self._wrapped
        return fn(*args) if wrapped is None else wrapped(fn, *args)

    def backward(self, loss: torch.Tensor) -> None:
        """Backpropagate ``loss`` (scaled to this rank's share of the global batch)."""
        (loss if self._loss_scale == 1.0 else loss * self._loss_scale).backward()

    def autocast(self) -> contextlib.AbstractContextManager:
        """The mixed-precision context of forward passes (a no-op in float32)."""
        if self.autocast_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self._device_type, dtype=self.autocast_dtype)

    # -- structure ---------------------------------------------------------------------------
    def stages(self) -> tuple[str, ...]:
        """Stage names in order; most families have the one stage ``train``."""
        return ("train",)

    def epochs_in(self, stage: str) -> int:
        """Number of epochs of ``stage``."""
        return self.config.train.epochs

    def begin_stage(self, stage: str) -> None:
        """Prepare a stage: by default build the optimisers."""
        self.optimizers = self.make_optimizers()
        self._remember_base_lrs()

    def _remember_base_lrs(self) -> None:
        # A peak rate the user changed live carries over into a new stage's optimisers.
        for name, opt in self.optimizers.items():
            lr = self.base_lrs.setdefault(name, float(opt.param_groups[0]["lr"]))
            for group in opt.param_groups:
                group["lr"] = lr

    def make_optimizers(self) -> dict[str, torch.optim.Optimizer]:
        """Optimisers by group name (``model``; a GAN has ``generator`` and ``discriminator``)."""
        spec = self.config.train
        return {"model": make_optimizer(spec, self.model.parameters(), spec.lr)}

    # -- learning rates ----------------------------------------------------------------------
    def learning_rates(self) -> dict[str, float]:
        """The current learning rate of each optimiser group."""
        return {name: float(opt.param_groups[0]["lr"]) for name, opt in self.optimizers.items()}

    def set_lr(self, group: str, lr: float) -> bool:
        """Set the peak learning rate of ``group`` (the schedule scales it from the next step
        on); False when this trainer has no such group."""
        opt = self.optimizers.get(group)
        if opt is None:
            return False
        self.base_lrs[group] = lr
        for param_group in opt.param_groups:
            param_group["lr"] = lr
        return True

    def set_lr_factor(self, factor: float) -> None:
        """Scale every group's peak learning rate by the schedule's ``factor``."""
        for name, opt in self.optimizers.items():
            lr = self.base_lrs.get(name, float(opt.param_groups[0]["lr"])) * factor
            for param_group in opt.param_groups:
                param_group["lr"] = lr

    # -- steps -------------------------------------------------------------------------------
    @abc.abstractmethod
    def train_step(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        """One optimisation step on ``batch`` ``(B, D)``; returns the detached scalar terms."""

    @abc.abstractmethod
    def eval_terms(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        """Scalar terms on ``batch`` without training (call under ``torch.no_grad``)."""

    def derived_terms(self, terms: dict[str, float]) -> dict[str, float]:
        """Epoch-mean terms plus the ones computed from them (the NLL)."""
        return dict(terms)


class AutoencoderTrainer(Trainer):
    """One stage, one Adam-like optimiser, one gradient step per batch."""

    def train_step(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        """Minimise ``loss`` on ``batch``, clipping gradients when the config asks."""
        model = self.model
        opt = self.optimizers["model"]
        opt.zero_grad(set_to_none=True)
        with self.autocast():
            terms = self.forward(model.loss_terms, batch, self.noise())
        self.backward(terms["loss"])
        clip = self.config.train.grad_clip
        if clip is not None:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        return {name: value.detach() for name, value in terms.items()}

    def eval_terms(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        """The loss terms on clean input, plus ``mse``, comparable with PCA."""
        with self.autocast():
            terms = self.model.loss_terms(batch)
            terms["mse"] = self.model.scores(batch).mean()
        return {k: v.float() for k, v in terms.items()}

    def derived_terms(self, terms: dict[str, float]) -> dict[str, float]:
        """Add ``nll``, the per-sample negative log-likelihood of the reconstruction loss."""
        out = dict(terms)
        if "recon" in out:
            out["nll"] = nll_from_recon(
                self.model.loss_name, out["recon"], self.model.info.n_features
            )
        return out


#: Trainer class per model kind; kinds not listed use :class:`AutoencoderTrainer`.
TRAINERS: dict[str, type[Trainer]] = {}


def make_trainer(
    model: nn.Module,
    config: RunConfig,
    generator: torch.Generator,
    autocast_dtype: torch.dtype | None = None,
) -> Trainer:
    """The trainer for ``config.model.kind`` (under ``autocast_dtype`` mixed precision)."""
    _register_family_trainers()
    cls = TRAINERS.get(config.model.kind, AutoencoderTrainer)
    return cls(model, config, generator, autocast_dtype)


@functools.cache
def _register_family_trainers() -> None:
    # These modules subclass the trainers above, so they cannot be imported at the top.
    from aeviewer.training.gan_trainer import GanTrainer
    from aeviewer.training.stacked_trainer import StackedTrainer
    from aeviewer.training.vae_trainer import VaeTrainer

    TRAINERS.update(stacked=StackedTrainer, vae=VaeTrainer, gan=GanTrainer)
