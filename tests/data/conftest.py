"""Fixtures shared by the data layer tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from shared_data import require_mnist


@pytest.fixture
def tiny_mnist() -> tuple[np.ndarray, np.ndarray]:
    """Twelve 4x5 byte images and their labels 0..2."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (12, 4, 5), dtype=np.uint8)
    labels = (np.arange(12) % 3).astype(np.uint8)
    return images, labels


@pytest.fixture
def mnist_t10k() -> Path:
    """The shared MNIST test set folder; skips when the shared data folder is absent."""
    return require_mnist()
