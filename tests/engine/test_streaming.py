"""Data larger than memory: a float32 .npy file streamed from disk trains exactly as in memory."""

from __future__ import annotations

import numpy as np
import pytest
from streamed_runs import assert_streamed_run_equals_in_memory

from aeviewer.config import DataSpec
from aeviewer.data.mapped import RowFile, is_mapped, map_npy, release_pages
from aeviewer.errors import DatasetError
from aeviewer.training.setup import load_prepared


@pytest.fixture
def npy(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.random((300, 24), dtype=np.float32)
    path = tmp_path / "data.npy"
    np.save(path, x)
    return path, x


def test_a_mapped_file_reads_the_rows_asked_for(npy):
    path, x = npy
    mapped, shape = map_npy(path)
    assert is_mapped(mapped) and shape == (24,)
    np.testing.assert_array_equal(mapped, x)
    rows = np.array([7, 3, 299, 3])
    np.testing.assert_array_equal(RowFile(mapped, path).read(rows), x[rows])
    release_pages(mapped)  # the pages go; the values stay readable
    np.testing.assert_array_equal(mapped[:5], x[:5])


def test_only_plain_float32_files_are_streamed(tmp_path):
    path = tmp_path / "bytes.npy"
    np.save(path, np.zeros((4, 3), np.uint8))
    with pytest.raises(DatasetError, match="float32"):
        map_npy(path)
    cut = tmp_path / "cut.npy"
    np.save(cut, np.zeros((4, 3), np.float32))
    cut.write_bytes(cut.read_bytes()[:-4])
    with pytest.raises(DatasetError, match="holds"):
        map_npy(cut)


def test_the_storage_is_chosen_by_size_unless_forced(npy):
    path, _ = npy
    assert not is_mapped(load_prepared(DataSpec(source=str(path))).x)
    assert is_mapped(load_prepared(DataSpec(source=str(path), storage="streamed")).x)
    assert not is_mapped(load_prepared(DataSpec(source=str(path), storage="memory")).x)


def test_streamed_data_are_not_copied_to_be_normalised(tmp_path):
    path = tmp_path / "wide.npy"
    np.save(path, np.linspace(-5, 5, 200, dtype=np.float32).reshape(50, 4))
    with pytest.raises(DatasetError, match="--data-in-memory"):
        load_prepared(DataSpec(source=str(path), storage="streamed"))


def test_a_streamed_run_equals_one_in_memory(npy, tmp_path, capsys):
    path, _ = npy
    args = ["train", "--data", str(path), "--model", "denoising", "--noise", "gaussian:0.2"]
    args += ["--epochs", "2", "--batch-size"]
    args += ["32", "--hidden", "16", "--latent", "4", "--device", "cpu", "--quiet"]
    assert_streamed_run_equals_in_memory(args, tmp_path, capsys)
