"""Principal component analysis in torch: the baseline every autoencoder is compared with.

PCA with ``k`` components is the best rank-``k`` linear reconstruction in squared error, so its
error is the floor a linear autoencoder can reach and the bar a non-linear one should beat.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from aeviewer.errors import ConfigError

#: Above this many values (N * D) and with few components, ``auto`` uses the randomised SVD.
RANDOMIZED_ABOVE = 20_000_000


@dataclass(frozen=True, eq=False)
class PCA:
    """A fitted PCA.

    Attributes
    ----------
    mean
        Feature means ``(D,)``.
    components
        Principal axes as rows ``(K, D)``, by decreasing variance.
    explained_variance
        Variance along each axis (population variance, divided by N), ``(K,)``. With the exact
        method ``K = min(N, D)`` and this is the full spectrum.
    total_variance
        Sum of the variances of all features, so that ``sum(explained_variance[k:])`` is known
        even from a truncated fit: ``total_variance - sum(explained_variance[:k])``.
    n_features
        ``D``.
    """

    mean: torch.Tensor
    components: torch.Tensor
    explained_variance: torch.Tensor
    total_variance: float
    n_features: int

    @classmethod
    def fit(
        cls,
        x: torch.Tensor | np.ndarray,
        n_components: int | None = None,
        method: str = "auto",
        seed: int = 0,
    ) -> PCA:
        """Fit to samples ``(N, D)``.

        Parameters
        ----------
        n_components
            Axes to keep; None keeps all ``min(N, D)`` (needs the exact method).
        method
            ``exact`` (full SVD), ``randomized`` (``torch.svd_lowrank``) or ``auto`` (randomised
            only for large data and few components).
        seed
            Seed of the randomised method.
        """
        data = torch.as_tensor(x)
        if data.ndim != 2 or data.shape[0] < 1:
            raise ConfigError(f"PCA needs samples (N, D), got shape {tuple(data.shape)}")
        data = data.to(torch.float64 if data.device.type == "cpu" else torch.float32)
        n, d = data.shape
        rank = min(n, d)
        k = rank if n_components is None else n_components
        if not 1 <= k <= rank:
            raise ConfigError(f"PCA components must lie in [1, {rank}] for {n}x{d} data, got {k}")
        if method == "auto":
            method = "randomized" if n * d > RANDOMIZED_ABOVE and k < rank // 4 else "exact"
        mean = data.mean(dim=0)
        centred = data - mean
        total = float(centred.square().sum() / n)
        if method == "exact":
            _, s, vh = torch.linalg.svd(centred, full_matrices=False)
            comps, sv = vh, s
            if n_components is not None:
                comps, sv = vh[:k], s[:k]
        elif method == "randomized":
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(seed)
                _, sv, v = torch.svd_lowrank(centred, q=min(k + 10, rank), niter=6)
            comps, sv = v[:, :k].T, sv[:k]
        else:
            raise ConfigError(f"unknown PCA method {method!r}; choose auto, exact or randomized")
        return cls(
            mean=mean.float(),
            components=comps.float().contiguous(),
            explained_variance=(sv.square() / n).float(),
            total_variance=total,
            n_features=d,
        )

    @property
    def n_components(self) -> int:
        """Number of axes kept."""
        return int(self.components.shape[0])

    def _k(self, k: int | None) -> int:
        k = self.n_components if k is None else k
        if not 0 <= k <= self.n_components:
            raise ConfigError(f"PCA has {self.n_components} components, asked for {k}")
        return k

    def to(self, device: torch.device | str) -> PCA:
        """A copy on ``device``."""
        return PCA(
            self.mean.to(device),
            self.components.to(device),
            self.explained_variance.to(device),
            self.total_variance,
            self.n_features,
        )

    def transform(self, x: torch.Tensor, k: int | None = None) -> torch.Tensor:
        """Coordinates ``(N, k)`` of samples on the first ``k`` axes."""
        k = self._k(k)
        return (x - self.mean) @ self.components[:k].T

    def inverse_transform(self, codes: torch.Tensor) -> torch.Tensor:
        """Samples ``(N, D)`` from coordinates on the first ``codes.shape[1]`` axes."""
        k = self._k(codes.shape[1])
        return codes @ self.components[:k] + self.mean

    def reconstruct(self, x: torch.Tensor, k: int | None = None) -> torch.Tensor:
        """Project onto the first ``k`` axes and map back."""
        return self.inverse_transform(self.transform(x, k))

    def sample_errors(self, x: torch.Tensor, k: int | None = None) -> torch.Tensor:
        """Per-sample mean squared reconstruction error ``(N,)`` with ``k`` axes."""
        return (self.reconstruct(x, k) - x).square().mean(dim=1)

    def reconstruction_mse(self, x: torch.Tensor, k: int | None = None) -> float:
        """Mean squared error per value of reconstructing ``x`` with ``k`` axes."""
        return float(self.sample_errors(x, k).mean())

    def fitted_mse(self, k: int) -> float:
        """The mean squared error on the fitted data with ``k`` axes, from the spectrum alone."""
        k = self._k(k)
        kept = float(self.explained_variance[:k].sum())
        return max(self.total_variance - kept, 0.0) / self.n_features

    def explained_variance_ratio(self) -> np.ndarray:
        """Fraction of the total variance along each axis."""
        return (self.explained_variance / max(self.total_variance, 1e-30)).cpu().numpy()
