"""Training batches read from a memory-mapped data set instead of a tensor in memory.

:class:`MappedRows` looks like the training tensor to the loop: ``rows[index_tensor]`` and
``rows[a:b]`` give a float32 tensor on the training device, and ``shape``/``device`` are
there. Behind it each batch is read from the mapped file with positional reads (see
:class:`~aeviewer.data.mapped.RowFile`; an IDX file's rows converted to float32), or decoded
from an image folder's files, pinned and copied without blocking on CUDA, so that resident
memory stays near one batch however large the data are. A background thread reads the next
batch while the current one trains (the loop asks for batches in a known order); it is a
thread, not DataLoader worker processes, because reading is a system call (and Pillow's
decoding) that releases the GIL and needs no copy of the data set in another process.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from aeviewer.data.lazy_rows import LazyRows
from aeviewer.data.mapped import row_reader

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
        self, x: np.ndarray | LazyRows, indices: np.ndarray, device: torch.device, path: str | Path
    ) -> None:
        self.x = x
        self.file = row_reader(x, path)
        return_large_blocks()
        self.indices = np.asarray(indices, np.int64)
        self.device = device
        self.shape = (int(self.indices.size), int(x.shape[1]))
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

    def to_device(self, block: np.ndarray) -> torch.Tensor:
        """``block`` as a tensor on the device (pinned, non-blocking copy on CUDA)."""
        tensor = torch.from_numpy(block)
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


class Prefetching:
    """Reads the batches of an epoch one ahead in a thread: ``batches[k]`` for the known
    sequence of row tensors ``plan``."""

    def __init__(self, rows: MappedRows, plan: list[torch.Tensor]) -> None:
        self.rows = rows
        self.plan = plan
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="prefetch")
        self._next: concurrent.futures.Future | None = None
        self._next_index = -1

    def _submit(self, k: int) -> None:
        if k < len(self.plan):
            positions = self.plan[k].cpu().numpy()
            self._next = self._pool.submit(self.rows.gather, self.rows.indices[positions])
            self._next_index = k

    def __getitem__(self, k: int) -> torch.Tensor:
        if self._next is None or self._next_index != k:
            self._submit(k)
        block = self._next.result()
        self._submit(k + 1)
        return self.rows.to_device(block)

    def close(self) -> None:
        """Stop the thread (a batch being read is finished first)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
