"""Evaluation numbers of the generating families: the VAE's ELBO terms and the GAN's samples.

For a GAN (which has no encoder, so no reconstruction error) the numbers compare
:data:`N_SAMPLES` generated samples with as many held-out real samples:

- ``sample_mean`` and ``data_mean``, and for data in [0, 1] (image intensities) their ratio
  ``mean_ratio``: a GAN that learnt the data's pixel statistics has a ratio near 1;
- ``sample_pairwise`` and ``data_pairwise``, the mean Euclidean distance between two different
  samples, and ``pairwise_ratio``: near 0 when the generator collapsed to one output;
- on labelled 2-D data (the 8-Gaussian ring): the modes are the class means and a sample is
  *near* a mode within :data:`NEAR_MODE_SIGMAS` standard deviations of that class (per
  coordinate); ``near_mode_fraction`` of the samples are near some mode, a mode is *covered*
  when at least :data:`COVERED_SHARE` of its fair share of samples (``n / n_modes``) are near it,
  and ``mean_mode_distance`` is the mean distance of a sample to its nearest mode.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from aeviewer.data.dataset import Dataset
from aeviewer.models.gan import GAN
from aeviewer.models.vae import VAE

#: Generated (and real) samples compared by :func:`gan_sample_report`.
N_SAMPLES = 2000
#: Samples used for the mean pairwise distance (its cost is quadratic).
N_PAIRWISE = 500
#: A sample is near a mode within this many per-coordinate standard deviations of its class.
NEAR_MODE_SIGMAS = 3.0
#: A mode is covered when it holds at least this fraction of its fair share of the samples.
COVERED_SHARE = 0.2


def mean_pairwise_distance(x: np.ndarray) -> float:
    """Mean Euclidean distance between two different rows of ``x`` (``N >= 2``)."""
    x = np.asarray(x, np.float64)
    n = x.shape[0]
    if n < 2:
        return 0.0
    sq = np.square(x).sum(axis=1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2.0 * x @ x.T, 0.0)
    return float(np.sqrt(d2).sum() / (n * (n - 1)))


def mode_statistics(x: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mode centres (class means) ``(K, D)`` and per-coordinate standard deviations ``(K,)``.

    Classes without samples get no mode.
    """
    classes = np.unique(labels)
    centres = np.stack([x[labels == c].mean(axis=0) for c in classes])
    sigmas = np.array(
        [
            np.sqrt(np.square(x[labels == c] - centres[i]).sum(axis=1).mean() / x.shape[1])
            for i, c in enumerate(classes)
        ]
    )
    return centres, sigmas


def mode_report(samples: np.ndarray, centres: np.ndarray, sigmas: np.ndarray) -> dict[str, Any]:
    """How generated ``samples`` spread over the modes (see the module doc)."""
    dist = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=2)
    nearest = dist.argmin(axis=1)
    nearest_dist = dist[np.arange(len(samples)), nearest]
    near = nearest_dist <= NEAR_MODE_SIGMAS * sigmas[nearest]
    counts = np.bincount(nearest[near], minlength=len(centres))
    fair_share = len(samples) / len(centres)
    return {
        "n_modes": len(centres),
        "modes_covered": int((counts >= COVERED_SHARE * fair_share).sum()),
        "near_mode_fraction": float(near.mean()),
        "mean_mode_distance": float(nearest_dist.mean()),
    }


def gan_sample_report(
    model: GAN,
    x_real: np.ndarray,
    *,
    in_unit_interval: bool,
    modes: tuple[np.ndarray, np.ndarray] | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Compare :data:`N_SAMPLES` samples of ``model`` with real samples ``x_real`` ``(N, D)``.

    ``modes`` (centres and sigmas from :func:`mode_statistics`) adds the mode numbers.
    """
    device = next(model.parameters()).device
    generator = torch.Generator(device=device).manual_seed(seed)
    model.eval()
    with torch.no_grad():
        samples = model.generate(N_SAMPLES, generator).cpu().numpy().astype(np.float64)
    rng = np.random.default_rng(seed)
    real = x_real[rng.permutation(len(x_real))[:N_SAMPLES]].astype(np.float64)
    sample_mean, data_mean = float(samples.mean()), float(real.mean())
    sample_pw = mean_pairwise_distance(samples[:N_PAIRWISE])
    data_pw = mean_pairwise_distance(real[:N_PAIRWISE])
    report: dict[str, Any] = {
        "n_samples": N_SAMPLES,
        "sample_mean": sample_mean,
        "data_mean": data_mean,
        "mean_ratio": sample_mean / data_mean if in_unit_interval and data_mean > 0 else None,
        "sample_pairwise": sample_pw,
        "data_pairwise": data_pw,
        "pairwise_ratio": sample_pw / data_pw if data_pw > 0 else None,
    }
    if modes is not None:
        report.update(mode_report(samples, *modes))
    return report


def evaluate_gan(
    model: GAN, dataset: Dataset, train_idx: np.ndarray, held_out: np.ndarray, seed: int
) -> dict[str, Any]:
    """The GAN's sample report against the held-out split; modes on labelled 2-D data."""
    modes = None
    if dataset.labels is not None and dataset.sample_shape == (2,):
        modes = mode_statistics(dataset.x[train_idx], dataset.labels[train_idx])
    return gan_sample_report(
        model,
        dataset.x[held_out],
        in_unit_interval=dataset.in_unit_interval,
        modes=modes,
        seed=seed,
    )


def vae_terms(model: VAE, x: torch.Tensor, seed: int) -> dict[str, float]:
    """Mean ``neg_elbo``, ``recon`` and ``kl`` on ``x`` (one posterior draw per sample)."""
    generator = torch.Generator(device=x.device).manual_seed(seed)
    model.eval()
    with torch.no_grad():
        sums = {"neg_elbo": 0.0, "recon": 0.0, "kl": 0.0}
        for batch in torch.split(x, 4096):
            terms = model.loss_terms(batch, generator)
            for name in sums:
                sums[name] += float(terms[name]) * batch.shape[0]
    return {name: value / x.shape[0] for name, value in sums.items()}
