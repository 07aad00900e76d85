"""NPY and NPZ files: keys, image layouts, labels, and refusing pickled objects."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aeviewer.data import load_source
from aeviewer.errors import DatasetError


def test_npy_vectors_keep_their_values(tmp_path: Path) -> None:
    array = np.random.default_rng(0).normal(size=(20, 5))
    np.save(tmp_path / "v.npy", array)
    data = load_source(str(tmp_path / "v.npy"))
    np.testing.assert_allclose(data.x, array.astype(np.float32))
    assert data.sample_shape == (5,)
    assert data.normalization.kind == "none"


def test_npy_byte_images_are_scaled_to_unit_interval(tmp_path: Path) -> None:
    images = np.random.default_rng(0).integers(0, 256, (6, 8, 9), dtype=np.uint8)
    np.save(tmp_path / "img.npy", images)
    data = load_source(str(tmp_path / "img.npy"))
    assert data.sample_shape == (1, 8, 9)
    np.testing.assert_allclose(data.images()[:, 0] * 255, images, atol=1e-4)
    np.testing.assert_allclose(data.raw(), images.reshape(6, -1), atol=1e-3)


@pytest.mark.parametrize("layout", ["channels_first", "channels_last"])
def test_npz_colour_images_with_labels(tmp_path: Path, layout: str) -> None:
    images = np.random.default_rng(1).random((10, 3, 4, 5)).astype(np.float32)
    stored = images if layout == "channels_first" else np.moveaxis(images, 1, -1)
    labels = np.array(["b", "a"] * 5)
    np.savez(tmp_path / "c.npz", X=stored, labels=labels)
    data = load_source(str(tmp_path / "c.npz"))
    assert data.sample_shape == (3, 4, 5)
    np.testing.assert_allclose(data.images(), images)
    assert data.class_names == ("a", "b")
    np.testing.assert_array_equal(data.labels, [1, 0] * 5)


def test_npz_keys_x_data_and_single_array(tmp_path: Path) -> None:
    np.savez(tmp_path / "a.npz", data=np.ones((4, 2)), y=np.array([0, 1, 1, 3]))
    data = load_source(str(tmp_path / "a.npz"))
    assert data.class_counts() == {"0": 1, "1": 2, "2": 0, "3": 1}
    np.savez(tmp_path / "b.npz", whatever=np.ones((4, 2)))
    assert load_source(str(tmp_path / "b.npz")).n_samples == 4


def test_npy_detected_by_content_without_extension(tmp_path: Path) -> None:
    np.save(tmp_path / "v.npy", np.ones((3, 2)))
    (tmp_path / "v.npy").rename(tmp_path / "vectors.bin")
    assert load_source(str(tmp_path / "vectors.bin")).n_samples == 3


def test_object_arrays_are_refused_naming_the_key(tmp_path: Path) -> None:
    objects = np.array([{"a": 1}, None], dtype=object)
    np.savez(tmp_path / "o.npz", x=np.ones((2, 2)), y=objects)
    with pytest.raises(DatasetError, match=r"o\.npz \[y\]: holds Python objects"):
        load_source(str(tmp_path / "o.npz"))
    np.save(tmp_path / "o.npy", objects, allow_pickle=True)
    with pytest.raises(DatasetError, match=r"o\.npy: holds Python objects"):
        load_source(str(tmp_path / "o.npy"))


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        ({"x": np.ones((0, 3))}, r"\[x\]: holds zero samples"),
        ({"x": np.array([[1.0, np.nan]])}, r"\[x\]: sample 0, feature 1 holds nan"),
        ({"a": np.ones((2, 2)), "b": np.ones(2)}, "no samples array: expected one of the keys"),
        (
            {"x": np.ones((3, 2)), "y": np.arange(2)},
            r"\[y\]: labels of shape \(2,\) do not match 3",
        ),
        ({"x": np.ones((3, 5, 5, 5))}, "no channel axis of size 1, 3 or 4"),
        ({"x": np.array(["a", "b"])}, r"samples of type <U1 are not plain numbers"),
    ],
)
def test_bad_npz_names_file_key_and_problem(tmp_path: Path, arrays: dict, message: str) -> None:
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(DatasetError, match=message) as info:
        load_source(str(path))
    assert str(path) in str(info.value)


def test_truncated_and_fake_numpy_files(tmp_path: Path) -> None:
    np.save(tmp_path / "t.npy", np.ones((50, 50)))
    data = (tmp_path / "t.npy").read_bytes()
    (tmp_path / "t.npy").write_bytes(data[:300])
    with pytest.raises(DatasetError, match=r"t\.npy"):
        load_source(str(tmp_path / "t.npy"))
    (tmp_path / "fake.npy").write_text("1,2,3")
    with pytest.raises(DatasetError, match=r"fake\.npy: not an NPY file"):
        load_source(str(tmp_path / "fake.npy"))
    (tmp_path / "fake.npz").write_text("1,2,3")
    with pytest.raises(DatasetError, match=r"fake\.npz: not a readable NPZ archive"):
        load_source(str(tmp_path / "fake.npz"))
    (tmp_path / "empty.npy").write_bytes(b"")
    with pytest.raises(DatasetError, match=r"empty\.npy: the file is empty"):
        load_source(str(tmp_path / "empty.npy"))
