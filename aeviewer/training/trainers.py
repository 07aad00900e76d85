"""How each model family trains: its stages, optimisers, steps and loss terms.

The loop in :mod:`aeviewer.training.loop` knows only the :class:`Trainer` interface. The
autoencoder families share :class:`AutoencoderTrainer` (one stage, one optimiser, one step per
batch). A family that trains differently (greedy stacked stages, a GAN's two optimisers) adds a
subclass and an entry in :data:`TRAINERS`; the loop stays as it is.
"""

from __future__ import annotations

import abc
import functools

import torch
from torch import nn

from aeviewer.config import RunConfig, TrainSpec
from aeviewer.models.losses import nll_from_recon

#: Validation and snapshot batches hold at most this many samples.
EVAL_BATCH = 4096


def make_optimizer(spec: TrainSpec, params, lr: float) -> torch.optim.Optimizer:
    """The optimiser ``spec.optimizer`` over ``params``."""
    kwargs = {"lr": lr, "weight_decay": spec.weight_decay}
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

    def __init__(self, model: nn.Module, config: RunConfig, generator: torch.Generator) -> None:
        self.model = model
        self.config = config
        self.generator = generator
        self.optimizers: dict[str, torch.optim.Optimizer] = {}

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

    def make_optimizers(self) -> dict[str, torch.optim.Optimizer]:
        """Optimisers by group name (``model``; a GAN has ``generator`` and ``discriminator``)."""
        spec = self.config.train
        return {"model": make_optimizer(spec, self.model.parameters(), spec.lr)}

    # -- learning rates ----------------------------------------------------------------------
    def learning_rates(self) -> dict[str, float]:
        """The current learning rate of each optimiser group."""
        return {name: float(opt.param_groups[0]["lr"]) for name, opt in self.optimizers.items()}

    def set_lr(self, group: str, lr: float) -> bool:
        """Set the learning rate of ``group``; False when this trainer has no such group."""
        opt = self.optimizers.get(group)
        if opt is None:
            return False
        for param_group in opt.param_groups:
            param_group["lr"] = lr
        return True

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
        terms = model.loss_terms(batch, self.generator)
        terms["loss"].backward()
        clip = self.config.train.grad_clip
        if clip is not None:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        return {name: value.detach() for name, value in terms.items()}

    def eval_terms(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        """The loss terms on clean input, plus ``mse``, comparable with PCA."""
        terms = self.model.loss_terms(batch)
        terms["mse"] = self.model.scores(batch).mean()
        return terms

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


def make_trainer(model: nn.Module, config: RunConfig, generator: torch.Generator) -> Trainer:
    """The trainer for ``config.model.kind``."""
    _register_family_trainers()
    cls = TRAINERS.get(config.model.kind, AutoencoderTrainer)
    return cls(model, config, generator)


@functools.cache
def _register_family_trainers() -> None:
    # These modules subclass the trainers above, so they cannot be imported at the top.
    from aeviewer.training.gan_trainer import GanTrainer
    from aeviewer.training.stacked_trainer import StackedTrainer
    from aeviewer.training.vae_trainer import VaeTrainer

    TRAINERS.update(stacked=StackedTrainer, vae=VaeTrainer, gan=GanTrainer)
