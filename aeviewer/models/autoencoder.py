"""The autoencoder module shared by the ae, linear, conv, sparse and denoising families.

A family differs only in its encoder and decoder networks, its code activation, and whether it
corrupts its input (denoising) or penalises its code (sparse); the loss terms are computed here.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from aeviewer.config import NoiseSpec, SparsitySpec
from aeviewer.models.info import DataInfo
from aeviewer.models.layers import apply_output
from aeviewer.models.losses import per_sample_error, squared_error
from aeviewer.models.noise import NoiseSource, randn
from aeviewer.models.noise import rand as uniform

_EPS = 1e-6


class Autoencoder(nn.Module):
    """``x_hat = output(decoder(code(encoder(x))))`` on flattened samples ``(B, D)``.

    Parameters
    ----------
    encoder, decoder
        Networks mapping ``(B, D) -> (B, latent)`` and ``(B, latent) -> (B, D)`` (pre-output).
    info
        The data the model is built for.
    kind
        The family name, kept for saving and display.
    loss
        ``mse``, ``bce`` or ``l1`` (already resolved from ``auto``).
    output
        ``identity`` or ``sigmoid``.
    code_activation
        Applied to the encoder output: ``identity``, ``softplus`` or ``relu`` (L1 sparsity)
        or ``sigmoid`` (KL).
    noise
        Input corruption while training, or None.
    sparsity
        Penalty on the code, or None.
    """

    def __init__(
        self,
        encoder: nn.Module,
        decoder: nn.Module,
        *,
        info: DataInfo,
        kind: str,
        loss: str,
        output: str,
        code_activation: str = "identity",
        noise: NoiseSpec | None = None,
        sparsity: SparsitySpec | None = None,
    ) -> None:
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
        self.info = info
        self.kind = kind
        self.loss_name = loss
        self.output = output
        self.code_activation = code_activation
        self.noise = noise
        self.sparsity = sparsity

    # -- the maps ----------------------------------------------------------------------------
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Codes ``(B, latent)`` of flattened samples ``(B, D)``."""
        h = self.encoder(x)
        if self.code_activation == "softplus":
            return F.softplus(h)
        if self.code_activation == "relu":
            return F.relu(h)
        if self.code_activation == "sigmoid":
            return torch.sigmoid(h)
        return h

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Reconstructions ``(B, D)`` of codes ``(B, latent)``."""
        return apply_output(self.decoder(z), self.output)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Reconstruct ``x``."""
        return self.decode(self.encode(x))

    def hidden_activations(self, x: torch.Tensor) -> torch.Tensor:
        """The activations the sparsity penalty acts on: the code."""
        return self.encode(x)

    # -- corruption --------------------------------------------------------------------------
    def corrupt(self, x: torch.Tensor, generator: NoiseSource = None) -> torch.Tensor:
        """``x`` with this model's noise applied (unchanged without noise)."""
        noise = self.noise
        if noise is None:
            return x
        if noise.kind == "gaussian":
            return x + noise.level * randn(x.shape, generator, x.device)
        rand = uniform(x.shape, generator, x.device)
        if noise.kind == "uniform":
            return x + noise.level * (2 * rand - 1)
        return x * (rand >= noise.level)

    # -- losses ------------------------------------------------------------------------------
    def loss_terms(self, x: torch.Tensor, generator: NoiseSource = None) -> dict[str, torch.Tensor]:
        """Scalar loss terms of a batch: ``loss`` (minimised), ``recon``, and ``sparsity``.

        In training mode a denoising model corrupts the input; the target is always the
        clean ``x``. ``recon`` is the mean per-feature error of the model's loss.
        """
        inputs = self.corrupt(x, generator) if self.training else x
        z = self.encode(inputs)
        raw = self.decoder(z)
        if self.loss_name == "bce":
            recon = F.binary_cross_entropy_with_logits(raw, x)
        elif self.loss_name == "mse":
            recon = F.mse_loss(apply_output(raw, self.output), x)
        else:
            recon = F.l1_loss(apply_output(raw, self.output), x)
        terms = {"recon": recon}
        if self.sparsity is not None:
            penalty = self._sparsity_penalty(z)
            terms["sparsity"] = penalty
            terms["loss"] = recon + penalty
        else:
            terms["loss"] = recon
        return terms

    def sample_errors(self, x: torch.Tensor) -> torch.Tensor:
        """Per-sample error ``(B,)`` of this model's loss on clean input."""
        return per_sample_error(self.loss_name, self(x), x)

    def scores(self, x: torch.Tensor) -> torch.Tensor:
        """Per-sample squared reconstruction error ``(B,)``: the anomaly score."""
        return squared_error(self(x), x)

    def _sparsity_penalty(self, z: torch.Tensor) -> torch.Tensor:
        spec = self.sparsity
        assert spec is not None
        if spec.kind == "l1":
            return spec.weight * z.abs().sum(dim=1).mean()
        rate_hat = z.mean(dim=0).clamp(_EPS, 1 - _EPS)
        rho = spec.rate
        kl = rho * torch.log(rho / rate_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rate_hat))
        return spec.weight * kl.sum()
