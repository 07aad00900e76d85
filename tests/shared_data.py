"""Where the tests find the shared real data sets (``../shared/datasets`` beside the checkout)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATASETS = Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets"
MNIST_T10K = SHARED_DATASETS / "mnist-t10k"
MNIST_T10K_IMAGES = MNIST_T10K / "t10k-images-idx3-ubyte.gz"
MNIST_T10K_LABELS = MNIST_T10K / "t10k-labels-idx1-ubyte.gz"
#: Images per digit 0 … 9 in the MNIST test set.
MNIST_T10K_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def mnist_available() -> bool:
    """True when the shared MNIST test images and labels are present."""
    return MNIST_T10K_IMAGES.is_file() and MNIST_T10K_LABELS.is_file()


def require_mnist() -> Path:
    """The MNIST test set's folder; skips the calling test (or fixture) when it is absent."""
    if not mnist_available():
        pytest.skip(f"the shared MNIST test set is absent ({MNIST_T10K})")
    return MNIST_T10K


#: Marks a test that needs the shared MNIST test set; it is skipped without it.
needs_mnist = pytest.mark.skipif(
    not mnist_available(), reason=f"the shared MNIST test set is absent ({MNIST_T10K})"
)
