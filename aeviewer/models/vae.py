"""The variational autoencoder: a Gaussian encoder, the reparameterisation trick, a KL term.

The encoder maps ``x`` to the mean and log-variance of ``q(z | x) = N(mu, diag(sigma^2))``; the
prior is ``N(0, I)``; the decoder is a Gaussian (squared error) or a Bernoulli (binary
cross-entropy, data in [0, 1]) likelihood ``p(x | z)``. Per sample, in nats:

- ``recon``: ``-log p(x | z)`` for one ``z ~ q(z | x)``, summed over features. The Gaussian has
  the fixed variance 1/2, so that it is the summed squared error plus ``D/2 * log(pi)``;
- ``kl``: ``KL(q(z | x) || p(z))``, closed form, summed over latent dimensions;
- ``neg_elbo``: ``recon + kl``, an upper bound on ``-log p(x)``;
- ``loss``: ``recon + beta * kl``, what the optimiser minimises (beta = 1 is the ELBO).

The latent mean is the code: :meth:`VAE.encode` returns it, and :meth:`VAE.forward` decodes it,
so plots, reconstructions and anomaly scores are deterministic.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from aeviewer.config import ModelSpec
from aeviewer.errors import ConfigError
from aeviewer.models.heads import resolve_output, resolved_loss
from aeviewer.models.info import DataInfo
from aeviewer.models.layers import activation, apply_output, mlp
from aeviewer.models.losses import squared_error
from aeviewer.models.noise import NoiseSource, randn

#: Variance of the Gaussian decoder: 1/2 makes its negative log-likelihood the summed squared error.
GAUSSIAN_VARIANCE = 0.5
#: Log-variances are clamped to this range so that exp() cannot overflow early in training.
LOGVAR_RANGE = (-30.0, 20.0)


class VAE(nn.Module):
    """A variational autoencoder on flattened samples ``(B, D)``.

    Parameters
    ----------
    body
        The encoder's shared layers ``(B, D) -> (B, H)`` (already activated).
    n_body
        Their output size ``H``.
    decoder
        ``(B, latent) -> (B, D)`` before the output layer.
    latent
        Size of ``z``.
    info
        The data the model is built for.
    loss
        ``mse`` (Gaussian decoder) or ``bce`` (Bernoulli decoder).
    output
        ``identity`` or ``sigmoid``.
    beta
        Weight of the KL term in the loss.
    """

    kind = "vae"

    def __init__(
        self,
        body: nn.Module,
        n_body: int,
        decoder: nn.Module,
        *,
        latent: int,
        info: DataInfo,
        loss: str,
        output: str,
        beta: float = 1.0,
    ) -> None:
        super().__init__()
        self.body = body
        self.mean_head = nn.Linear(n_body, latent)
        self.logvar_head = nn.Linear(n_body, latent)
        self.decoder = decoder
        self.latent = latent
        self.info = info
        self.loss_name = loss
        self.output = output
        self.beta = beta

    # -- the maps ----------------------------------------------------------------------------
    def posterior(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and log-variance of ``q(z | x)``, each ``(B, latent)``."""
        h = self.body(x)
        return self.mean_head(h), self.logvar_head(h).clamp(*LOGVAR_RANGE)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The code of ``x``: the posterior mean."""
        return self.posterior(x)[0]

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """The decoder's mean ``E[x | z]``, shape ``(B, D)``."""
        return apply_output(self.decoder(z), self.output)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Reconstruct ``x`` from its posterior mean."""
        return self.decode(self.encode(x))

    def sample_prior(self, n: int, generator: NoiseSource = None) -> torch.Tensor:
        """``n`` codes drawn from the prior ``N(0, I)`` on this model's device."""
        device = self.mean_head.weight.device
        return randn((n, self.latent), generator, device)

    def generate(self, n: int, generator: NoiseSource = None) -> torch.Tensor:
        """``n`` new samples: decoded prior draws, shape ``(n, D)``."""
        return self.decode(self.sample_prior(n, generator))

    # -- losses ------------------------------------------------------------------------------
    def loss_terms(self, x: torch.Tensor, generator: NoiseSource = None) -> dict[str, torch.Tensor]:
        """Batch means of ``loss``, ``recon``, ``kl`` and ``neg_elbo`` (see the module doc).

        In training mode ``z`` is drawn from the posterior (the reparameterisation trick); in
        evaluation mode too, so that ``neg_elbo`` stays a bound, but with ``generator``'s noise.
        """
        mean, logvar = self.posterior(x)
        eps = randn(mean.shape, generator, mean.device)
        z = mean + torch.exp(0.5 * logvar) * eps
        recon = self.sample_nll(self.decoder(z), x)
        kl = 0.5 * (mean.square() + logvar.exp() - 1.0 - logvar).sum(dim=1)
        recon_mean, kl_mean = recon.mean(), kl.mean()
        return {
            "loss": recon_mean + self.beta * kl_mean,
            "recon": recon_mean,
            "kl": kl_mean,
            "neg_elbo": recon_mean + kl_mean,
        }

    def sample_nll(self, raw: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        """``-log p(x | z)`` per sample ``(B,)`` from the decoder's pre-output ``raw``."""
        if self.loss_name == "bce":
            return F.binary_cross_entropy_with_logits(raw, x, reduction="none").sum(dim=1)
        mean = apply_output(raw, self.output)
        d = x.shape[1]
        const = 0.5 * d * math.log(2 * math.pi * GAUSSIAN_VARIANCE)
        return (mean - x).square().sum(dim=1) / (2 * GAUSSIAN_VARIANCE) + const

    def scores(self, x: torch.Tensor) -> torch.Tensor:
        """Per-sample squared reconstruction error ``(B,)`` from the mean: the anomaly score."""
        return squared_error(self(x), x)


def build_vae(spec: ModelSpec, info: DataInfo) -> VAE:
    """A VAE with MLP encoder ``[D, *hidden]`` + two heads and decoder ``[latent, *hidden, D]``.

    Raises
    ------
    ConfigError
        For the L1 loss (no likelihood is defined for it here) or BCE without a sigmoid output.
    """
    output = resolve_output(spec, info)
    loss = resolved_loss(spec, info, output)
    if loss == "l1":
        raise ConfigError(
            "a variational autoencoder has a Gaussian (mse) or Bernoulli (bce) decoder; "
            "choose loss mse or bce"
        )
    body_sizes = [info.n_features, *spec.hidden]
    body = mlp(body_sizes, spec.activation)
    if spec.hidden:
        body.append(activation(spec.activation))
    decoder = mlp([spec.latent, *reversed(spec.hidden), info.n_features], spec.activation)
    return VAE(
        body,
        body_sizes[-1],
        decoder,
        latent=spec.latent,
        info=info,
        loss=loss,
        output=output,
        beta=spec.beta,
    )
