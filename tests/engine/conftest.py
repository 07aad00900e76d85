"""Fixtures of the engine's tests: small synthetic data sets and the shared MNIST set."""

from __future__ import annotations

import numpy as np
import pytest
from shared_data import require_mnist

from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data.dataset import Dataset

from .mnist import load_mnist


def make_vectors(n: int = 240, d: int = 12, seed: int = 0, classes: int = 3) -> Dataset:
    """Unbounded vectors near a 3-D subspace, with class labels."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % classes
    basis = rng.normal(size=(3, d))
    codes = rng.normal(size=(n, 3)) + labels[:, None]
    x = (codes @ basis + 0.1 * rng.normal(size=(n, d))).astype(np.float32)
    return Dataset(x=x, sample_shape=(d,), name="vectors", source="test:vectors", labels=labels)


def make_images(n: int = 120, shape: tuple[int, int, int] = (1, 9, 11), seed: int = 0) -> Dataset:
    """Images in [0, 1] of an odd size."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, int(np.prod(shape)))).astype(np.float32)
    return Dataset(x=x, sample_shape=shape, name="images", source="test:images")


def small_config(
    kind: str = "ae", epochs: int = 2, schedule: str = "constant", **model: object
) -> RunConfig:
    """A fast config: tiny model, small batches, cheap snapshots, a constant learning rate
    (the schedule's own tests ask for another)."""
    model.setdefault("hidden", (16,))
    model.setdefault("latent", 2)
    return RunConfig(
        data=DataSpec(source="test:vectors"),
        model=ModelSpec(kind=kind, **model),  # type: ignore[arg-type]
        train=TrainSpec(
            epochs=epochs,
            batch_size=32,
            lr=3e-3,
            device="cpu",
            n_eval=50,
            n_recon=4,
            schedule=schedule,
        ),
    )


@pytest.fixture
def vectors() -> Dataset:
    return make_vectors()


@pytest.fixture
def images() -> Dataset:
    return make_images()


@pytest.fixture(scope="session")
def mnist() -> Dataset:
    require_mnist()
    return load_mnist()
