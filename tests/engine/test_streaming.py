"""Data larger than memory: a float32 .npy file streamed from disk trains exactly as in memory."""

from __future__ import annotations

import multiprocessing
import os

import numpy as np
import pytest
import torch
from streamed_runs import assert_streamed_run_equals_in_memory

from aeviewer.config import MAX_AUTO_DATA_WORKERS, DataSpec
from aeviewer.data.lazy_rows import LazyRows
from aeviewer.data.mapped import RowFile, is_mapped, map_npy, release_pages
from aeviewer.errors import ConfigError, DatasetError
from aeviewer.training.setup import load_prepared
from aeviewer.training.streaming import EpochBatches, MappedRows, can_fork_workers, data_workers


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


@pytest.mark.parametrize("workers", ["0", "2"])
def test_a_streamed_run_read_by_any_number_of_workers_equals_one_in_memory(
    npy, tmp_path, capsys, workers
):
    path, _ = npy
    args = ["train", "--data", str(path), "--model", "vae", "--epochs", "2", "--batch-size"]
    args += ["64", "--hidden", "16", "--latent", "2", "--device", "cpu", "--quiet"]
    args += ["--data-workers", workers]
    assert_streamed_run_equals_in_memory(args, tmp_path, capsys)


class _ReaderPids(LazyRows):
    """Rows holding the id of the process that read them; row ``bad`` cannot be read."""

    def __init__(self, n: int, bad: int | None = None, error: type[Exception] = DatasetError):
        self.n, self.bad, self.error = n, bad, error

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n, 2)

    def read(self, rows: np.ndarray) -> np.ndarray:
        if self.bad in rows.tolist():
            raise self.error(f"row {self.bad} is damaged")
        return np.full((len(rows), 2), os.getpid(), np.float32)


def _epoch(x: LazyRows, workers: int, batches: int = 6) -> EpochBatches:
    rows = MappedRows(x, np.arange(x.shape[0]), torch.device("cpu"), "pids", workers)
    plan = list(torch.arange(x.shape[0]).reshape(batches, -1))
    return EpochBatches(rows, plan, workers)


@pytest.mark.skipif(not can_fork_workers(), reason="worker processes are forked on Linux only")
def test_worker_processes_read_the_batches_in_the_planned_order(npy):
    path, x = npy
    mapped, _ = map_npy(path)
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))
    plan = list(order[:280].reshape(7, 40))
    rows = MappedRows(mapped, np.arange(len(x)), torch.device("cpu"), path, workers=2)
    epoch = EpochBatches(rows, plan, workers=2)
    for batch_rows in plan:
        np.testing.assert_array_equal(epoch.next_batch().numpy(), x[batch_rows.numpy()])
    with pytest.raises(StopIteration):
        epoch.next_batch()
    epoch = _epoch(_ReaderPids(60), workers=2)
    readers = {int(epoch.next_batch()[0, 0]) for _ in range(6)}
    assert os.getpid() not in readers and len(readers) == 2


@pytest.mark.skipif(not can_fork_workers(), reason="worker processes are forked on Linux only")
def test_closing_an_epoch_early_ends_its_worker_processes():
    epoch = _epoch(_ReaderPids(60), workers=2)
    epoch.next_batch()
    assert multiprocessing.active_children()
    epoch.close()
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("workers", [0, 2])
@pytest.mark.parametrize("error", [DatasetError, ValueError])
def test_a_failed_read_in_any_process_is_one_line_naming_the_file(workers, error):
    epoch = _epoch(_ReaderPids(60, bad=35, error=error), workers)
    for _ in range(3):
        epoch.next_batch()
    with pytest.raises(DatasetError) as failure:
        epoch.next_batch()
    epoch.close()
    message = str(failure.value)
    assert "row 35 is damaged" in message and "\n" not in message
    if error is ValueError:
        assert message.startswith("pids: reading a batch failed: ValueError")


def test_workers_decode_images_and_a_thread_reads_files_unless_told(npy):
    mapped, _ = map_npy(npy[0])
    images = _ReaderPids(10)  # lazy rows that decode (as an image folder's)
    if not can_fork_workers():
        assert data_workers(None, images) == data_workers(3, mapped) == 0
        return
    assert data_workers(None, mapped) == 0 and data_workers(2, mapped) == 2
    assert 1 <= data_workers(None, images) <= MAX_AUTO_DATA_WORKERS
    assert data_workers(None, images, local_processes=1000) == 1
    assert data_workers(0, images) == 0
    with pytest.raises(ConfigError, match="data workers"):
        DataSpec(source="x.npy", workers=-1)
