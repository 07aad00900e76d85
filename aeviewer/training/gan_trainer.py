"""Adversarial training of a GAN: discriminator and generator steps on every batch.

Per batch of real samples the discriminator takes ``ModelSpec.gan_d_steps`` steps (each on fresh
noise) on ``-log D(x) - log(1 - D(G(z)))``, then the generator takes ``gan_g_steps`` steps on the
non-saturating ``-log D(G(z))``. Two optimisers, ``generator`` (``TrainSpec.lr``) and
``discriminator`` (``TrainSpec.lr_d``, else ``lr``), each with its own live learning rate; Adam
and AdamW use ``beta1 = 0.5``, as DCGAN does.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from aeviewer.config import TrainSpec
from aeviewer.models.gan import GAN
from aeviewer.training.trainers import Trainer, make_optimizer

#: Adam's betas for both networks.
GAN_BETAS = (0.5, 0.999)


def gan_optimizer(spec: TrainSpec, params, lr: float) -> torch.optim.Optimizer:
    """Adam or AdamW with :data:`GAN_BETAS`; any other optimiser as ``spec`` says."""
    return make_optimizer(spec, params, lr, betas=GAN_BETAS)


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """``-log D(x) - log(1 - D(G(z)))``, batch means."""
    return F.binary_cross_entropy_with_logits(
        real_logits, torch.ones_like(real_logits)
    ) + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))


def generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """The non-saturating generator loss ``-log D(G(z))``, batch mean."""
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))


class GanTrainer(Trainer):
    """Alternate discriminator and generator steps (see the module doc)."""

    model: GAN
    _wrapped_d: nn.Module | None = None
    _wrapped_g: nn.Module | None = None

    def distribute(self, group) -> None:
        """Data-parallel training with one DDP wrapper per network: the discriminator's step
        (D used twice, on real and fake samples) and the generator's step (through a frozen
        D) each run one forward and one backward of their own network. Batch-norm statistics
        stay per rank (synchronised batch norm on CUDA)."""
        self.group = group
        model = self.model
        if group.device.type == "cuda":
            nn.SyncBatchNorm.convert_sync_batchnorm(model)
        self._wrapped_d = group.wrap(model.discriminator)
        self._wrapped_g = group.wrap(model.generator)

    def make_optimizers(self) -> dict[str, torch.optim.Optimizer]:
        """``generator`` and ``discriminator`` optimisers."""
        spec = self.config.train
        lr_d = spec.lr_d if spec.lr_d is not None else spec.lr
        model = self.model
        return {
            "generator": gan_optimizer(spec, model.generator.parameters(), spec.lr),
            "discriminator": gan_optimizer(spec, model.discriminator.parameters(), lr_d),
        }

    def train_step(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        """``gan_d_steps`` discriminator steps, then ``gan_g_steps`` generator steps."""
        model, spec = self.model, self.config.model
        opt_d, opt_g = self.optimizers["discriminator"], self.optimizers["generator"]
        clip = self.config.train.grad_clip
        n = batch.shape[0]
        wrapped_d, wrapped_g = self._wrapped_d, self._wrapped_g
        for _ in range(spec.gan_d_steps):
            with torch.no_grad(), self.autocast():
                fake = model.decode(model.sample_noise(n, self.noise()))
            with self.autocast():
                real_logits, fake_logits, d_loss = self.forward(
                    _discriminator_step, model, batch, fake, wrapped=wrapped_d
                )
            opt_d.zero_grad(set_to_none=True)
            self.backward(d_loss)
            if clip is not None:
                nn.utils.clip_grad_norm_(model.discriminator.parameters(), clip)
            opt_d.step()
        # The generator's steps need gradients through D, not of D's own weights.
        model.discriminator.requires_grad_(False)
        try:
            for _ in range(spec.gan_g_steps):
                with self.autocast():
                    fake_logits_g = self.forward(
                        _generator_step, model, n, self.noise(), wrapped=wrapped_g
                    )
                    g_loss = generator_loss(fake_logits_g.float())
                opt_g.zero_grad(set_to_none=True)
                self.backward(g_loss)
                if clip is not None:
                    nn.utils.clip_grad_norm_(model.generator.parameters(), clip)
                opt_g.step()
        finally:
            model.discriminator.requires_grad_(True)
        d_loss, g_loss = d_loss.detach(), g_loss.detach()
        return {
            "loss": d_loss + g_loss,
            "d_loss": d_loss,
            "g_loss": g_loss,
            "d_real": torch.sigmoid(real_logits.detach()).mean(),
            "d_fake": torch.sigmoid(fake_logits.detach()).mean(),
        }

    def eval_terms(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        """Both losses and the mean outputs of D on held-out real samples and fresh fakes."""
        model = self.model
        with self.autocast():
            real_logits = model.discriminate(batch).float()
            fake_logits = model.discriminate(model.generate(batch.shape[0], self.generator)).float()
        d_loss = discriminator_loss(real_logits, fake_logits)
        g_loss = generator_loss(fake_logits)
        return {
            "loss": d_loss + g_loss,
            "d_loss": d_loss,
            "g_loss": g_loss,
            "d_real": torch.sigmoid(real_logits).mean(),
            "d_fake": torch.sigmoid(fake_logits).mean(),
        }


def _discriminator_step(
    model: GAN, real: torch.Tensor, fake: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """D's logits on real and fake samples and its loss: one forward pass of D."""
    real_logits = model.discriminate(real)
    fake_logits = model.discriminate(fake)
    return real_logits, fake_logits, discriminator_loss(real_logits.float(), fake_logits.float())


def _generator_step(model: GAN, n: int, noise) -> torch.Tensor:
    """D's logits on ``n`` fresh fakes: one forward pass of G (D frozen)."""
    return model.discriminate(model.generate(n, noise))
