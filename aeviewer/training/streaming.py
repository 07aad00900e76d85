"""Training batches read from a memory-mapped data set instead of a tensor in memory.

:class:`MappedRows` looks like the training tensor to the loop: ``rows[index_tensor]`` and
``rows[a:b]`` give a float32 tensor on the training device, and ``shape``/``device`` are
there. Behind it each batch is read from the mapped file with positional reads (see
:class:`~aeviewer.data.mapped.RowFile`; an IDX file's rows converted to float32), or decoded
from an image folder's files, so that resident memory stays near one batch however large the
data are.

An epoch's batches come from a :class:`torch.utils.data.DataLoader` (:class:`EpochBatches`)
in the order the loop planned (each item is a whole batch, so the order, and with it the
training, is exactly that of the data in memory), into pinned memory on CUDA. Its worker
processes decode an image folder's next batches while the current one trains; rows of a mapped
file, cheap to read, are read a batch ahead by a thread of the training process
(:func:`data_workers`). Workers are forked (Linux), so they share the open file and the mapping
and nothing is copied to start them; elsewhere the batches are read in the training process.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import multiprocessing
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from aeviewer.config import MAX_AUTO_DATA_WORKERS
from aeviewer.data.lazy_rows import LazyRows
from aeviewer.data.mapped import reads_itself, row_reader
from aeviewer.errors import DatasetError

#: glibc's ``mallopt`` parameter of the size above which allocations are separate mappings.
M_MMAP_THRESHOLD = -3
#: Batches and their temporaries above this size are mapped, and unmapped when freed.
MMAP_THRESHOLD_BYTES = 128 << 10


def return_large_blocks() -> None:
    """Make glibc hand large freed blocks back to the system at once (Linux; else nothing).

    glibc raises its mmap threshold after each large block freed, so batch-sized blocks soon
    come from the heap, whose free space it rarely returns: a streamed epoch then grows the
    resident memory by about a batch per step (measured: 370 MB over an epoch of 383 batches).
    A fixed threshold keeps every batch a mapping of its own.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    except (OSError, AttributeError):
        pass


class MappedRows:
    """The rows ``indices`` of the mapped samples ``x``, served as tensors on ``device``."""

    def __init__(
        self,
        x: np.ndarray | LazyRows,
        indices: np.ndarray,
        device: torch.device,
        path: str | Path,
        workers: int = 0,
    ) -> None:
        self.x = x
        self.path = Path(path)
        self.file = row_reader(x, path)
        return_large_blocks()
        self.indices = np.asarray(indices, np.int64)
        self.device = device
        self.shape = (int(self.indices.size), int(x.shape[1]))
        #: Worker processes reading an epoch's batches (:class:`EpochBatches`); 0 reads them
        #: in this process.
        self.workers = workers
        self._pin = device.type == "cuda"

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key: slice | torch.Tensor | Sequence[int]) -> torch.Tensor:
        if isinstance(key, slice):
            rows = self.indices[key]
        else:
            positions = key.cpu().numpy() if isinstance(key, torch.Tensor) else np.asarray(key)
            rows = self.indices[positions]
        return self.to_device(self.gather(rows))

    def gather(self, rows: np.ndarray) -> np.ndarray:
        """The samples ``rows`` of the file, in the order asked."""
        return self.file.read(rows)

    def to_device(self, block: np.ndarray | torch.Tensor) -> torch.Tensor:
        """``block`` as a tensor on the device (pinned, non-blocking copy on CUDA)."""
        tensor = block if isinstance(block, torch.Tensor) else torch.from_numpy(block)
        if self.device.type == "cpu":
            return tensor
        if self._pin:
            tensor = tensor.pin_memory()
        return tensor.to(self.device, non_blocking=True)

    def sample(self, n: int, seed: int) -> torch.Tensor:
        """``n`` rows drawn without replacement with ``seed`` (all rows when there are fewer)."""
        if n >= len(self):
            return self[:]
        pick = np.sort(np.random.default_rng(seed).choice(len(self), n, replace=False))
        return self[torch.from_numpy(pick)]


#: Batches each worker reads ahead.
PREFETCH_BATCHES = 2


def can_fork_workers() -> bool:
    """True where DataLoader workers can be forked (Linux): they then share the open file and
    the mapping, and start without copying the data set description to each."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def data_workers(requested: int | None, x: np.ndarray | LazyRows, local_processes: int = 1) -> int:
    """Worker processes reading batches of the streamed samples ``x`` for one training process.

    ``requested`` None chooses by what reading costs. Rows read from a mapped file are read in
    the training process, a batch ahead in a thread (0): a read is a system call that releases
    the GIL, and a worker's batch costs more to hand over (through shared memory) than to read
    (measured: steps fed by the thread at 1.08x of those fed from memory, by one worker process
    0.81x). Images to decode get workers: the CPUs this process may use, shared among the
    training processes of this machine, less one for training itself, between 1 and
    :data:`MAX_AUTO_DATA_WORKERS`. Where workers cannot be forked it is always 0.
    """
    if not can_fork_workers():
        return 0
    if requested is not None:
        return requested
    if not reads_itself(x):
        return 0
    cpus = len(os.sched_getaffinity(0))
    return max(1, min(MAX_AUTO_DATA_WORKERS, cpus // max(1, local_processes) - 1))


class BatchReads(torch.utils.data.Dataset):
    """A map-style data set whose items are whole batches: ``reads[positions]`` holds the rows
    at ``positions`` of the split as a float32 tensor, or the message of a failed read (a
    worker's error crosses to the loop as one line, not as a worker's traceback)."""

    def __init__(self, rows: MappedRows) -> None:
        self.rows = rows

    def __getitem__(self, positions: np.ndarray) -> torch.Tensor | str:
        try:
            return torch.from_numpy(self.rows.gather(self.rows.indices[positions]))
        except DatasetError as exc:
            return str(exc)
        except Exception as exc:  # a decoder's or the system's error, in a worker process
            return f"{self.rows.path}: reading a batch failed: {type(exc).__name__}: {exc}"


class EpochBatches:
    """The batches ``plan`` (row positions of the split, in order) of one epoch, read by a
    DataLoader; ``next_batch()`` gives each on the device.

    With ``workers`` processes the DataLoader's workers read ahead; with none a thread reads
    the next batch while the current one trains.
    """

    def __init__(self, rows: MappedRows, plan: list[torch.Tensor], workers: int) -> None:
        self.rows = rows
        positions = [p.cpu().numpy() for p in plan]
        loader = torch.utils.data.DataLoader(
            BatchReads(rows),
            batch_size=None,
            sampler=positions,
            num_workers=workers,
            pin_memory=rows.device.type == "cuda",
            prefetch_factor=PREFETCH_BATCHES if workers else None,
            multiprocessing_context="fork" if workers else None,
        )
        self._batches = iter(loader)
        self._ahead: concurrent.futures.ThreadPoolExecutor | None = None
        self._next: concurrent.futures.Future | None = None
        if not workers:
            self._ahead = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="read-ahead")
            self._next = self._ahead.submit(self._read)

    def _read(self) -> torch.Tensor | str | None:
        """The loader's next item; None after the last."""
        try:
            return next(self._batches)
        except StopIteration:
            return None
        except Exception as exc:  # a worker killed (out of memory) or unable to start
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return f"{self.rows.path}: a data-reading worker failed: {first}"

    def next_batch(self) -> torch.Tensor:
        """The next batch on the training device.

        Raises
        ------
        StopIteration
            After the last batch.
        DatasetError
            When reading it failed, or a worker process died.
        """
        if self._ahead is not None and self._next is not None:
            block = self._next.result()
            if block is not None:
                self._next = self._ahead.submit(self._read)
        else:
            block = self._read()
        if block is None:
            raise StopIteration
        if isinstance(block, str):
            raise DatasetError(block)
        return self.rows.to_device(block)

    def close(self) -> None:
        """Stop reading: the thread finishes a batch it is reading, the workers end at once
        (dropping the loader's iterator shuts them down)."""
        if self._ahead is not None:
            self._ahead.shutdown(wait=True, cancel_futures=True)
        self._next = None
        self._batches = iter(())
