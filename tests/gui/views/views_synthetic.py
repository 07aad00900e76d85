"""Synthetic data sets, snapshots and a fake decoder for the analysis-view tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from aeviewer.data.dataset import Dataset
from aeviewer.training.events import Snapshot


def make_image_dataset(n: int = 300, n_classes: int = 3, side: int = 8, seed: int = 0) -> Dataset:
    """Images ``(1, side, side)`` in [0, 1]: class ``c`` lights up row band ``c``."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % n_classes
    images = rng.uniform(0, 0.2, size=(n, side, side)).astype(np.float32)
    band = side // n_classes
    for c in range(n_classes):
        images[labels == c, c * band : (c + 1) * band, :] += 0.7
    anomalies = np.zeros(n, bool)
    anomalies[::10] = True
    return Dataset(
        x=np.clip(images, 0, 1).reshape(n, -1),
        sample_shape=(1, side, side),
        name="bands",
        source="test:bands",
        labels=labels.astype(np.int64),
        class_names=tuple(f"band {c}" for c in range(n_classes)),
        anomalies=anomalies,
    )


def make_vector_dataset(n: int = 200, d: int = 6, seed: int = 1) -> Dataset:
    """Gaussian vectors ``(d,)`` with two classes."""
    rng = np.random.default_rng(seed)
    labels = (np.arange(n) % 2).astype(np.int64)
    x = rng.normal(size=(n, d)).astype(np.float32) + labels[:, None].astype(np.float32)
    return Dataset(x=x, sample_shape=(d,), name="vectors", source="test:vectors", labels=labels)


def make_snapshot(
    dataset: Dataset,
    epoch: int = 1,
    latent_dim: int = 2,
    n_eval: int | None = None,
    n_recon: int = 8,
    seed: int = 0,
    **fields: object,
) -> Snapshot:
    """A snapshot whose latents cluster by class and whose reconstructions are noisy copies."""
    rng = np.random.default_rng(seed + epoch)
    n_eval = dataset.n_samples if n_eval is None else n_eval
    eval_indices = np.arange(n_eval)
    labels = dataset.labels[eval_indices] if dataset.labels is not None else np.zeros(n_eval, int)
    centres = rng.normal(scale=4.0, size=(int(labels.max()) + 1, latent_dim))
    latents = (centres[labels] + rng.normal(size=(n_eval, latent_dim))).astype(np.float32)
    recon_indices = np.arange(n_recon)
    shape = (n_recon, *dataset.sample_shape)  # as the engine ships them
    originals = dataset.x[recon_indices].reshape(shape)
    reconstructions = originals + rng.normal(scale=0.05, size=shape).astype(np.float32)
    pca_reconstructions = originals + rng.normal(scale=0.1, size=shape).astype(np.float32)
    scores = rng.gamma(2.0, 0.01, size=n_eval).astype(np.float32)
    if dataset.anomalies is not None:
        scores[dataset.anomalies[eval_indices]] += 0.05
    values: dict[str, object] = {
        "latents": latents,
        "scores": scores,
        "pca_scores": scores * 1.2 + rng.normal(scale=0.01, size=n_eval).astype(np.float32),
        "recon_indices": recon_indices,
        "originals": originals,
        "reconstructions": reconstructions,
        "pca_reconstructions": pca_reconstructions,
    }
    values.update(fields)
    return Snapshot(
        epoch=epoch, step=epoch * 10, stage="train", eval_indices=eval_indices, **values
    )


def fake_decoder(sample_shape: tuple[int, ...]) -> Callable[[np.ndarray], np.ndarray]:
    """Decodes a 2-D point into a sample whose mean is the point's first coordinate (clipped)."""
    d = int(np.prod(sample_shape))

    def decode(latents: np.ndarray) -> np.ndarray:
        latents = np.asarray(latents, np.float32)
        level = np.clip(0.5 + latents[:, :1] / 10.0, 0.0, 1.0)
        return np.repeat(level, d, axis=1).astype(np.float32)

    return decode
