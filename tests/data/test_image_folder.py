"""Folders of images: class sub-folders, grayscale and colour, and mixed sizes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from aeviewer.data import load_source
from aeviewer.errors import DatasetError


def save(path: Path, array: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)


def test_class_folders_become_labels(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    for cls, count in (("dogs", 2), ("cats", 3)):
        for i in range(count):
            save(tmp_path / cls / f"{i}.png", rng.integers(0, 256, (6, 7), dtype=np.uint8))
    data = load_source(str(tmp_path))
    assert data.sample_shape == (1, 6, 7)
    assert data.class_names == ("cats", "dogs")
    assert data.class_counts() == {"cats": 3, "dogs": 2}
    assert data.in_unit_interval and data.name == tmp_path.name


def test_flat_folder_is_unlabelled_and_keeps_pixels(tmp_path: Path) -> None:
    pixels = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
    save(tmp_path / "a.png", pixels)
    save(tmp_path / "b.png", pixels[::-1])
    data = load_source(str(tmp_path))
    assert data.labels is None
    np.testing.assert_allclose(data.images()[0, 0] * 255, pixels, atol=1e-3)


def test_colour_images_have_three_channels(tmp_path: Path) -> None:
    colour = np.zeros((4, 5, 3), np.uint8)
    colour[..., 0] = 255
    save(tmp_path / "red.png", colour)
    save(tmp_path / "gray.jpg", np.full((4, 5), 128, np.uint8))
    data = load_source(str(tmp_path))
    assert data.sample_shape == (3, 4, 5)
    red = data.images()[1]
    assert red[0].min() > 0.99 and red[1].max() < 0.01


def test_mixed_sizes_name_the_odd_image(tmp_path: Path) -> None:
    save(tmp_path / "k" / "a.png", np.zeros((4, 4), np.uint8))
    save(tmp_path / "k" / "b.png", np.zeros((5, 4), np.uint8))
    with pytest.raises(DatasetError, match=r"image k/b\.png is 4x5 but k/a\.png is 4x4"):
        load_source(str(tmp_path))


def test_unreadable_image_and_empty_folder(tmp_path: Path) -> None:
    save(tmp_path / "good.png", np.zeros((4, 4), np.uint8))
    (tmp_path / "broken.png").write_bytes(b"\x89PNG not really")
    with pytest.raises(DatasetError, match=r"image broken\.png cannot be read"):
        load_source(str(tmp_path))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DatasetError, match="holds neither an IDX image file nor image files"):
        load_source(str(empty))


def test_images_at_top_level_and_in_class_folders_conflict(tmp_path: Path) -> None:
    save(tmp_path / "loose.png", np.zeros((4, 4), np.uint8))
    save(tmp_path / "cls" / "a.png", np.zeros((4, 4), np.uint8))
    with pytest.raises(DatasetError, match="both at its top level"):
        load_source(str(tmp_path))


def test_single_image_file_points_at_its_folder(tmp_path: Path) -> None:
    save(tmp_path / "one.png", np.zeros((4, 4), np.uint8))
    with pytest.raises(DatasetError, match="is a single image; open the folder"):
        load_source(str(tmp_path / "one.png"))


def test_sixteen_bit_images_are_rescaled_not_clipped(tmp_path: Path) -> None:
    wide = np.array([[0, 257 * 100], [65535, 257 * 200]], np.uint16)
    Image.fromarray(wide).save(tmp_path / "deep.png")
    data = load_source(str(tmp_path))
    np.testing.assert_allclose(data.images()[0, 0] * 255, [[0, 100], [255, 200]], atol=1e-3)
