"""Data larger than memory: an image folder read lazily (each batch decodes its images) trains
exactly as the folder loaded into memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamed_runs import assert_streamed_run_equals_in_memory

from aeviewer.config import DataSpec
from aeviewer.data.mapped import is_mapped, row_reader, take_rows
from aeviewer.errors import DatasetError
from aeviewer.training.setup import load_prepared


def save(path: Path, array: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two classes of 6x5 images, one of them in colour (all become RGB)."""
    rng = np.random.default_rng(0)
    root = tmp_path / "pictures"
    for cls, count in (("b", 50), ("a", 40)):
        for i in range(count):
            save(root / cls / f"{i:02d}.png", rng.integers(0, 256, (5, 6), dtype=np.uint8))
    save(root / "a" / "rgb.png", rng.integers(0, 256, (5, 6, 3), dtype=np.uint8))
    return root


def load(source: Path, storage: str):
    return load_prepared(DataSpec(source=str(source), storage=storage))


def test_a_lazy_folder_serves_the_pixels_read_into_memory(folder: Path) -> None:
    memory, streamed = load(folder, "memory"), load(folder, "streamed")
    assert is_mapped(streamed.x) and not is_mapped(memory.x)
    assert streamed.sample_shape == memory.sample_shape == (3, 5, 6)
    assert streamed.class_names == memory.class_names == ("a", "b")
    np.testing.assert_array_equal(streamed.labels, memory.labels)
    assert streamed.name == memory.name and streamed.in_unit_interval
    rows = np.array([7, 40, 90, 7])
    np.testing.assert_array_equal(row_reader(streamed.x, folder).read(rows), memory.x[rows])
    np.testing.assert_array_equal(take_rows(streamed.x, rows), memory.x[rows])
    np.testing.assert_array_equal(streamed.x[:], memory.x)
    assert not is_mapped(load(folder, "auto").x)  # small: in memory


def test_images_of_a_lazy_folder_decode_only_the_samples_asked_for(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory, streamed = load(folder, "memory"), load(folder, "streamed")
    rows_class = type(streamed.x)
    decoded: list[int] = []
    read = rows_class.read

    def counting_read(self, rows: np.ndarray) -> np.ndarray:
        decoded.extend(int(r) for r in rows)
        return read(self, rows)

    monkeypatch.setattr(rows_class, "read", counting_read)
    rows = np.array([90, 3, 41, 3, -1])
    np.testing.assert_array_equal(streamed.images(rows), memory.images()[rows])
    assert set(decoded) == {3, 41, 90}
    decoded.clear()
    mask = memory.labels == 0
    np.testing.assert_array_equal(streamed.images(mask), memory.images()[mask])
    assert set(decoded) == set(np.flatnonzero(mask).tolist())
    assert streamed.images([]).shape == (0, 3, 5, 6)
    with pytest.raises(IndexError):
        streamed.images(np.array([91]))
    np.testing.assert_array_equal(streamed.images(), memory.images())


def test_the_projector_takes_the_images_of_a_lazy_folder(folder: Path, tmp_path: Path) -> None:
    from aeviewer.io import write_snapshot_projector
    from aeviewer.training.events import Snapshot

    latents = np.zeros((3, 2), np.float32)
    snapshot = Snapshot(1, 1, "train", eval_indices=np.array([5, 60, 80]), latents=latents)
    files = write_snapshot_projector(tmp_path / "p", snapshot, load(folder, "streamed"))
    assert files.sprite is not None and files.sprite.is_file()


def test_a_streamed_folder_run_equals_one_in_memory(folder: Path, tmp_path: Path, capsys):
    args = ["train", "--data", str(folder), "--model", "ae", "--epochs", "2", "--batch-size"]
    args += ["16", "--hidden", "16", "--latent", "4", "--device", "cpu", "--quiet"]
    assert_streamed_run_equals_in_memory(args, tmp_path, capsys)


def test_bad_images_are_refused_before_training(folder: Path) -> None:
    save(folder / "a" / "wide.png", np.zeros((5, 9), np.uint8))
    with pytest.raises(DatasetError, match="every image must have the same size"):
        load(folder, "streamed")
    (folder / "a" / "wide.png").write_bytes(b"not an image at all")
    with pytest.raises(DatasetError, match=r"wide\.png cannot be read"):
        load(folder, "streamed")


def test_an_image_broken_after_opening_is_one_line(folder: Path) -> None:
    streamed = load(folder, "streamed")
    (folder / "b" / "03.png").write_bytes(b"\x89PNG broken")
    with pytest.raises(DatasetError, match=r"03\.png cannot be read"):
        streamed.x[40:50]


def test_an_image_resized_after_opening_is_refused_before_decoding(folder: Path) -> None:
    streamed = load(folder, "streamed")
    save(folder / "b" / "04.png", np.zeros((500, 600), np.uint8))
    with pytest.raises(DatasetError, match="is now 600x500, not 6x5"):
        streamed.x[40:50]
