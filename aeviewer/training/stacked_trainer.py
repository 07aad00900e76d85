"""Greedy layer-wise training of a stacked autoencoder, then end-to-end fine-tuning.

Stage ``layerK`` trains only the shallow autoencoder of layer K (its encoder and decoder block)
to reconstruct its input, the codes of the layers below, which stay fixed; each stage has
``ModelSpec.stage_epochs`` epochs and its own optimiser. Stage ``finetune`` then trains the whole
stack as an ordinary autoencoder for ``TrainSpec.epochs`` epochs. Every stage reports its own
``loss`` and ``recon``; validation also reports ``mse``, the whole stack's reconstruction error
in data space, so stages can be compared with each other and with PCA.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from aeviewer.models.layers import apply_output
from aeviewer.models.stacked import StackedAutoencoder
from aeviewer.training.trainers import AutoencoderTrainer, make_optimizer

FINETUNE = "finetune"


def layer_stage(layer: int) -> str:
    """The name of the pre-training stage of ``layer`` (0-based): ``layer1``, ``layer2`` ..."""
    return f"layer{layer + 1}"


class StackedTrainer(AutoencoderTrainer):
    """Pre-train each layer of a :class:`StackedAutoencoder` in turn, then fine-tune."""

    model: StackedAutoencoder

    def __init__(
        self,
        model: nn.Module,
        config,
        generator: torch.Generator,
        autocast_dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__(model, config, generator, autocast_dtype)
        self.layer: int | None = None

    def distribute(self, group) -> None:
        """Data-parallel training, wrapped anew for each stage (see :meth:`begin_stage`)."""
        self.group = group
        self._wrap_stage()

    def _wrap_stage(self) -> None:
        # A pre-training stage leaves the other layers' parameters without gradients.
        self._wrapped = self.group.wrap(self.model, find_unused=self.layer is not None)

    def stages(self) -> tuple[str, ...]:
        """``layer1`` ... ``layerL`` and ``finetune``."""
        return (*(layer_stage(k) for k in range(self.model.n_layers)), FINETUNE)

    def epochs_in(self, stage: str) -> int:
        """``stage_epochs`` for a pre-training stage, ``epochs`` for fine-tuning."""
        if stage == FINETUNE:
            return self.config.train.epochs
        return self.config.model.stage_epochs

    def begin_stage(self, stage: str) -> None:
        """A fresh optimiser over the stage's parameters, at the current learning rate."""
        spec = self.config.train
        # A peak rate the user changed live carries over into the next stage.
        lr = self.base_lrs.get("model", spec.lr)
        self.layer = None if stage == FINETUNE else self.stages().index(stage)
        model = self.model
        params = model.parameters() if self.layer is None else model.layer_parameters(self.layer)
        self.optimizers = {"model": make_optimizer(spec, params, lr)}
        self._remember_base_lrs()
        if self.group is not None:
            self._wrap_stage()

    def train_step(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        """One step of the running stage's shallow autoencoder (or of the whole stack)."""
        layer = self.layer
        if layer is None:
            return super().train_step(batch)
        model = self.model
        opt = self.optimizers["model"]
        with torch.no_grad():
            target = model.layer_input(batch, layer)
        with self.autocast():
            inputs = model.corrupt(target, self.noise())
            terms = self.forward(self._layer_terms, inputs, target, layer)
        opt.zero_grad(set_to_none=True)
        self.backward(terms["loss"])
        clip = self.config.train.grad_clip
        if clip is not None:
            nn.utils.clip_grad_norm_(model.layer_parameters(layer), clip)
        opt.step()
        return {name: value.detach() for name, value in terms.items()}

    def eval_terms(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        """The running stage's terms on clean input, plus the whole stack's ``mse``."""
        layer = self.layer
        if layer is None:
            return super().eval_terms(batch)
        with self.autocast():
            target = self.model.layer_input(batch, layer)
            terms = self._layer_terms(target, target, layer)
            terms["mse"] = self.model.scores(batch).mean()
        return {k: v.float() for k, v in terms.items()}

    def derived_terms(self, terms: dict[str, float]) -> dict[str, float]:
        """The NLL where the stage reconstructs the data itself (first layer, fine-tuning)."""
        if self.layer is None or self.layer == 0:
            return super().derived_terms(terms)
        return dict(terms)

    def _layer_terms(
        self, inputs: torch.Tensor, target: torch.Tensor, layer: int
    ) -> dict[str, torch.Tensor]:
        raw = self.model.layer_reconstruction(inputs, layer)
        if layer > 0:
            recon = F.mse_loss(raw, target)
        else:
            recon = _data_loss(self.model.loss_name, self.model.output, raw, target)
        return {"loss": recon, "recon": recon}


def _data_loss(loss: str, output: str, raw: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """The model's reconstruction loss in data space from the output layer's input ``raw``."""
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(raw, target)
    out = apply_output(raw, output)
    return F.mse_loss(out, target) if loss == "mse" else F.l1_loss(out, target)
