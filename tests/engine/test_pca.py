"""The PCA baseline against numpy, and its randomised variant."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from aeviewer.errors import ConfigError
from aeviewer.models.pca import PCA


@pytest.fixture
def data() -> np.ndarray:
    rng = np.random.default_rng(0)
    scales = np.array([10, 5, 3, 1, 0.5, 0.2, 0.1, 0.05])
    return (rng.normal(size=(300, 8)) * scales @ np.linalg.qr(rng.normal(size=(8, 8)))[0]).astype(
        np.float32
    )


def test_exact_pca_matches_numpy(data):
    pca = PCA.fit(data)
    centred = data.astype(np.float64) - data.mean(0)
    eigvals = np.sort(np.linalg.eigvalsh(centred.T @ centred / len(data)))[::-1]
    np.testing.assert_allclose(pca.explained_variance.numpy(), eigvals, rtol=1e-4)
    assert pca.n_components == 8
    assert pca.total_variance == pytest.approx(eigvals.sum(), rel=1e-5)
    assert pca.explained_variance_ratio().sum() == pytest.approx(1.0, rel=1e-5)


def test_reconstruction_error_at_any_k(data):
    pca = PCA.fit(data)
    x = torch.from_numpy(data)
    for k in (0, 1, 3, 8):
        assert pca.reconstruction_mse(x, k) == pytest.approx(pca.fitted_mse(k), rel=1e-3, abs=1e-6)
    assert pca.reconstruction_mse(x, 8) < 1e-8
    errors = [pca.reconstruction_mse(x, k) for k in range(9)]
    assert errors == sorted(errors, reverse=True)


def test_transform_and_inverse(data):
    pca = PCA.fit(data, 3)
    x = torch.from_numpy(data)
    codes = pca.transform(x)
    assert codes.shape == (300, 3)
    assert torch.allclose(pca.inverse_transform(codes), pca.reconstruct(x))
    # Coordinates are uncorrelated with variances equal to the explained variance.
    np.testing.assert_allclose(
        codes.var(0, unbiased=False).numpy(), pca.explained_variance, rtol=1e-3
    )


def test_randomized_agrees_with_exact(data):
    exact = PCA.fit(data, 3, method="exact")
    randomized = PCA.fit(data, 3, method="randomized", seed=1)
    np.testing.assert_allclose(randomized.explained_variance, exact.explained_variance, rtol=1e-3)
    cosines = (randomized.components @ exact.components.T).abs().diagonal()
    assert float(cosines.min()) > 0.999
    assert randomized.fitted_mse(3) == pytest.approx(exact.fitted_mse(3), rel=1e-3)


def test_bad_requests(data):
    with pytest.raises(ConfigError, match="components"):
        PCA.fit(data, 9)
    with pytest.raises(ConfigError, match="method"):
        PCA.fit(data, 2, method="magic")
    with pytest.raises(ConfigError, match="has 2 components"):
        PCA.fit(data, 2).transform(torch.from_numpy(data), 5)
