"""IDX files raw and gzipped, sibling labels, folders holding IDX files, and broken files."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest
from idx_files import idx_bytes, write_idx
from shared_data import MNIST_T10K_COUNTS

from aeviewer.data import load_source
from aeviewer.data.readers.idx import labels_path_for
from aeviewer.errors import DatasetError


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_images_file_finds_its_labels(tmp_path: Path, tiny_mnist, suffix: str) -> None:
    images, labels = tiny_mnist
    path = write_idx(tmp_path / f"train-images-idx3-ubyte{suffix}", images)
    write_idx(tmp_path / f"train-labels-idx1-ubyte{suffix}", labels)
    data = load_source(str(path))
    assert data.sample_shape == (1, 4, 5)
    np.testing.assert_allclose(data.images()[:, 0] * 255, images, atol=1e-4)
    np.testing.assert_array_equal(data.labels, labels)
    assert data.class_names == ("0", "1", "2")
    assert data.normalization.kind == "minmax"


def test_labels_pairing_follows_mnist_names(tmp_path: Path) -> None:
    images = tmp_path / "t10k-images.idx3-ubyte"
    labels = tmp_path / "t10k-labels.idx1-ubyte.gz"
    images.touch()
    labels.touch()
    assert labels_path_for(images) == labels
    assert labels_path_for(tmp_path / "other-idx3-ubyte") is None


def test_images_without_labels_are_unlabelled(tmp_path: Path, tiny_mnist) -> None:
    path = write_idx(tmp_path / "digits-images-idx3-ubyte", tiny_mnist[0])
    data = load_source(str(path))
    assert data.labels is None and data.n_samples == 12


def test_folder_with_idx_files_loads_the_images(tmp_path: Path, tiny_mnist) -> None:
    images, labels = tiny_mnist
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", images)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", labels)
    (tmp_path / "README.md").write_text("tiny")
    data = load_source(str(tmp_path))
    assert data.name == tmp_path.name and data.n_samples == 12
    # With a train and a test file, the train file wins.
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", images[:5])
    assert load_source(str(tmp_path)).n_samples == 5


def test_shared_mnist_test_set(mnist_t10k: Path) -> None:
    data = load_source(str(mnist_t10k))
    assert data.n_samples == 10_000 and data.sample_shape == (1, 28, 28)
    assert data.n_classes == 10
    assert list(data.class_counts().values()) == MNIST_T10K_COUNTS
    assert abs(float(data.raw().mean()) - 33.79) < 0.01


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda b: b[:-10], "truncated: the header announces shape \\(12, 4, 5\\)"),
        (lambda b: b[:10], "truncated IDX header"),
        (lambda b: b + b"xx", "2 unexpected bytes after the 240 data bytes"),
        (lambda b: b"\x01\x02" + b[2:], "wrong magic number 16910339"),
        (lambda b: b"", "the file is empty"),
    ],
)
def test_broken_idx_files_are_named(tmp_path: Path, tiny_mnist, mangle, message: str) -> None:
    path = tmp_path / "x-images-idx3-ubyte"
    path.write_bytes(mangle(idx_bytes(tiny_mnist[0])))
    with pytest.raises(DatasetError, match=message) as info:
        load_source(str(path))
    assert str(path) in str(info.value)


def test_corrupt_gzip_and_mismatched_labels(tmp_path: Path, tiny_mnist) -> None:
    images, labels = tiny_mnist
    broken = tmp_path / "a-images-idx3-ubyte.gz"
    broken.write_bytes(gzip.compress(idx_bytes(images))[:-20])
    with pytest.raises(DatasetError, match="corrupt or truncated gzip data"):
        load_source(str(broken))
    path = write_idx(tmp_path / "b-images-idx3-ubyte", images)
    write_idx(tmp_path / "b-labels-idx1-ubyte", labels[:7])
    with pytest.raises(DatasetError, match="holds 7 labels but its images file holds 12"):
        load_source(str(path))


def test_opening_a_labels_file_says_so(tmp_path: Path, tiny_mnist) -> None:
    path = write_idx(tmp_path / "c-labels-idx1-ubyte", tiny_mnist[1])
    with pytest.raises(DatasetError, match=r"holds 12 labels .* open the images file"):
        load_source(str(path))
