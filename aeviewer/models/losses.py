"""Reconstruction losses and the negative log-likelihoods they stand for.

Every function returns per-sample values (shape ``(B,)``) so that callers can take means,
anomaly scores or weighted sums from the same numbers.
"""

from __future__ import annotations

import math

import torch
from torch.nn import functional as F

from aeviewer.errors import ConfigError

RECON_LOSSES: tuple[str, ...] = ("mse", "bce", "l1")


def resolve_loss(loss: str, in_unit_interval: bool) -> str:
    """The concrete loss for a spec value: ``auto`` is squared error; BCE needs [0, 1] data."""
    if loss == "auto":
        return "mse"
    if loss not in RECON_LOSSES:
        raise ConfigError(f"unknown loss {loss!r}; choose one of auto, {', '.join(RECON_LOSSES)}")
    if loss == "bce" and not in_unit_interval:
        raise ConfigError(
            "binary cross-entropy needs data in [0, 1]; this data set is not, "
            "so use mse or l1 (or normalise with minmax)"
        )
    return loss


def per_sample_error(loss: str, x_hat: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean per-feature error of each sample, shape ``(B,)``.

    ``x_hat`` holds the model's output: probabilities for ``bce`` (a sigmoid output layer).
    """
    if loss == "mse":
        err = (x_hat - target).square()
    elif loss == "l1":
        err = (x_hat - target).abs()
    else:
        err = F.binary_cross_entropy(x_hat, target, reduction="none")
    return err.mean(dim=1)


def squared_error(x_hat: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error per sample, shape ``(B,)``: the anomaly score."""
    return (x_hat - target).square().mean(dim=1)


def nll_from_recon(loss: str, recon: float, n_features: int) -> float:
    """The per-sample negative log-likelihood that a mean per-feature ``recon`` stands for.

    Squared error is a Gaussian with unit variance: ``0.5 * sum(err^2) + 0.5 * D * log(2 pi)``;
    L1 is a Laplace with unit scale: ``sum|err| + D * log 2``; BCE is already the Bernoulli NLL,
    summed over features.
    """
    d = n_features
    if loss == "mse":
        return 0.5 * d * recon + 0.5 * d * math.log(2 * math.pi)
    if loss == "l1":
        return d * recon + d * math.log(2.0)
    return d * recon
