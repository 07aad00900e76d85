"""Data larger than memory: an uncompressed IDX file streamed from disk trains exactly as in
memory; gzipped or broken files are refused in one line when streaming is forced."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from idx_files import write_idx
from streamed_runs import assert_streamed_run_equals_in_memory

from aeviewer.cli import main as cli_main
from aeviewer.config import DataSpec
from aeviewer.data.mapped import RowFile, is_mapped, take_rows
from aeviewer.errors import DatasetError
from aeviewer.training.setup import load_prepared


@pytest.fixture
def idx(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    write_idx(tmp_path / "train-labels-idx1-ubyte", rng.integers(0, 3, 240))
    return write_idx(tmp_path / "train-images-idx3-ubyte", rng.integers(0, 256, (240, 6, 5)))


def load(source: Path, storage: str, **options: object):
    return load_prepared(DataSpec(source=str(source), storage=storage, **options))  # type: ignore[arg-type]


def test_a_mapped_idx_file_serves_the_values_read_into_memory(idx: Path) -> None:
    memory, streamed = load(idx, "memory"), load(idx, "streamed")
    assert is_mapped(streamed.x) and not is_mapped(memory.x)
    assert streamed.sample_shape == memory.sample_shape == (1, 6, 5)
    assert streamed.class_names == memory.class_names
    np.testing.assert_array_equal(streamed.labels, memory.labels)
    assert streamed.normalization.to_dict() == memory.normalization.to_dict()
    rows = np.array([7, 3, 239, 3])
    np.testing.assert_array_equal(RowFile(streamed.x, idx).read(rows), memory.x[rows])
    np.testing.assert_array_equal(take_rows(streamed.x, rows), memory.x[rows])
    np.testing.assert_array_equal(streamed.x[5], memory.x[5])
    np.testing.assert_array_equal(streamed.images(rows), memory.images()[rows])
    np.testing.assert_array_equal(streamed.images(), memory.images())
    # A folder holding the file streams it too, named after the folder as in memory.
    assert load(idx.parent, "streamed").name == load(idx.parent, "memory").name


def test_big_endian_channels_last_idx_is_served_channels_first(tmp_path: Path) -> None:
    values = np.random.default_rng(1).random((20, 3, 4, 2)).astype(">f4")
    path = tmp_path / "colour.idx"
    sizes = b"".join(int(s).to_bytes(4, "big") for s in values.shape)
    path.write_bytes(bytes([0, 0, 0x0D, 4]) + sizes + values.tobytes())
    memory = load(path, "memory", normalize="none")
    streamed = load(path, "streamed", normalize="none")
    assert streamed.sample_shape == memory.sample_shape == (2, 3, 4)
    np.testing.assert_array_equal(streamed.x[:], memory.x)
    rows = np.array([19, 0, 4])
    np.testing.assert_array_equal(RowFile(streamed.x, path).read(rows), memory.x[rows])


def test_the_storage_is_chosen_by_size_unless_forced(idx: Path, tmp_path: Path) -> None:
    assert not is_mapped(load(idx, "auto").x)
    gz = write_idx(tmp_path / "small-idx3-ubyte.gz", np.zeros((4, 2, 2)))
    assert not is_mapped(load(gz, "auto").x)  # gzipped: loaded, whatever its size
    with pytest.raises(DatasetError, match="gzipped IDX file cannot be streamed"):
        load(gz, "streamed")


def test_a_streamed_idx_run_equals_one_in_memory(idx: Path, tmp_path: Path, capsys) -> None:
    args = ["train", "--data", str(idx), "--model", "ae", "--epochs", "2", "--batch-size", "32"]
    args += ["--hidden", "16", "--latent", "4", "--device", "cpu", "--quiet"]
    assert_streamed_run_equals_in_memory(args, tmp_path, capsys)


@pytest.mark.parametrize(
    ("name", "damage", "message"),
    [
        ("cut-idx3-ubyte", lambda data: data[:-7], "truncated"),
        ("huge-idx3-ubyte", lambda data: data[:4] + b"\xff\xff\xff\xff" + data[8:], "announces"),
        ("packed-idx3-ubyte.gz", None, "gzipped IDX file cannot be streamed"),
        ("table.csv", None, "only float32 .npy files, uncompressed IDX"),
    ],
)
def test_forced_streaming_of_a_bad_file_is_one_line(
    tmp_path: Path, capsys, name: str, damage, message: str
) -> None:
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text("a,b\n1,2\n3,4\n")
    else:
        write_idx(path, np.zeros((10, 4, 4)))
        if damage is not None:
            path.write_bytes(damage(path.read_bytes()))
    args = ["train", "--data", str(path), "--epochs", "1", "--device", "cpu", "--quiet"]
    assert cli_main([*args, "--out", str(tmp_path / "run"), "--data-streamed"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and name in err
