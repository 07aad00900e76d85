"""Data larger than memory: files mapped read-only, and passes over them in chunks.

A float32 ``.npy`` file is mapped as the samples themselves; a file stored in another type (an
IDX file's bytes) is mapped as :class:`~aeviewer.data.lazy_rows.ConvertedRows`, which converts
the rows read to float32. Other streamed samples are :class:`~aeviewer.data.lazy_rows.LazyRows`
that read themselves (an image folder's).

A mapped array's pages come into the process as they are read and count as its resident
memory until they are dropped. Every pass over a mapped data set therefore reads it in chunks
and calls :func:`release_pages` between them, which tells the kernel that the process no
longer needs the pages it read (they stay in the page cache, so reading them again is cheap).
For an array in ordinary memory both are no-ops.
"""

from __future__ import annotations

import io
import math
import mmap
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from aeviewer.data.lazy_rows import ConvertedRows, LazyRows
from aeviewer.errors import DatasetError

#: Rows per chunk of a pass over a data set (about 25 MB of 784 float32 features).
CHUNK_ROWS = 8192
#: Above this size an ``.npy`` file is mapped rather than read (``storage="auto"``).
STREAM_ABOVE_BYTES = 1 << 30
#: Largest NPY header read.
MAX_HEADER_BYTES = 10_000


def _mapping_of(array: np.ndarray | LazyRows) -> mmap.mmap | None:
    base = array.raw if isinstance(array, ConvertedRows) else array
    while isinstance(base, np.ndarray | memoryview):
        base = base.obj if isinstance(base, memoryview) else base.base
    return base if isinstance(base, mmap.mmap) else None


def is_mapped(array: np.ndarray | LazyRows) -> bool:
    """True when ``array`` is streamed: a view of a memory-mapped file, or lazy rows."""
    return isinstance(array, LazyRows) or _mapping_of(array) is not None


def release_pages(array: np.ndarray | LazyRows) -> None:
    """Drop the pages of ``array``'s mapping from this process (nothing for ordinary arrays)."""
    mapping = _mapping_of(array)
    if mapping is not None and hasattr(mmap, "MADV_DONTNEED"):
        mapping.madvise(mmap.MADV_DONTNEED)


class RowFile:
    """Rows of a mapped file read with positional reads (``pread``), as float32.

    Random rows are not read through the mapping: on kernels that cache files in large folios
    one touched row can map megabytes around it into the process. Reading them into a buffer
    keeps resident memory at the batch itself. Rows of ``ConvertedRows`` are read in their
    stored type and converted.
    """

    def __init__(self, x: np.ndarray | ConvertedRows, path: str | Path) -> None:
        self._convert = x.convert if isinstance(x, ConvertedRows) else None
        if isinstance(x, ConvertedRows):
            x, path = x.raw, x.path
        self._fd = -1
        mapping = _mapping_of(x)
        if mapping is None:
            raise DatasetError(f"{path}: the samples are not mapped from the file")
        start = np.frombuffer(mapping, np.uint8, count=1).__array_interface__["data"][0]
        self.offset = x.__array_interface__["data"][0] - start
        self.row_bytes = int(x.shape[1]) * x.itemsize
        self.n_features = int(x.shape[1])
        self.stored = x.dtype
        try:
            self._fd = os.open(path, os.O_RDONLY)
        except OSError as exc:
            raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None

    def read(self, rows: np.ndarray) -> np.ndarray:
        """The samples ``rows`` (``(len(rows), D)`` float32), in the order given."""
        out = np.empty((len(rows), self.n_features), self.stored)
        view = memoryview(out.view(np.uint8)).cast("B")
        size, offset, fd = self.row_bytes, self.offset, self._fd
        for i, row in enumerate(rows.tolist()):
            if os.preadv(fd, [view[i * size : (i + 1) * size]], offset + row * size) != size:
                raise DatasetError(f"a short read of row {row}: the file changed while training")
        return out if self._convert is None else self._convert(out)

    def close(self) -> None:
        """Close the file."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self) -> None:
        self.close()


def reads_itself(x: np.ndarray | LazyRows) -> bool:
    """True when the streamed samples ``x`` read (decode) their rows themselves, as an image
    folder's do; False for a mapped file's, read with positional reads."""
    return isinstance(x, LazyRows) and not isinstance(x, ConvertedRows)


def row_reader(x: np.ndarray | LazyRows, path: str | Path) -> RowFile | LazyRows:
    """What reads rows of the streamed samples ``x`` in a batch: positional reads of a mapped
    file, or lazy rows that read themselves (an image folder's, decoding each image)."""
    return x if reads_itself(x) else RowFile(x, path)


#: Rows gathered from a mapping between two releases of its pages (:func:`take_rows`).
TAKE_ROWS = 32


def take_rows(x: np.ndarray | LazyRows, rows: np.ndarray) -> np.ndarray:
    """``x[rows]``; from a mapping a few rows at a time, releasing the pages in between (one
    touched row can bring megabytes of a file cached in large folios into the process)."""
    if not is_mapped(x):
        return x[rows]
    rows = np.asarray(rows)
    out = np.empty((rows.size, *x.shape[1:]), x.dtype)
    for start in range(0, rows.size, TAKE_ROWS):
        out[start : start + TAKE_ROWS] = x[rows[start : start + TAKE_ROWS]]
        release_pages(x)
    return out


def row_chunks(x: np.ndarray | LazyRows, rows: int = CHUNK_ROWS) -> Iterator[np.ndarray]:
    """``x`` in chunks of ``rows`` rows, releasing a mapping's pages after each."""
    for start in range(0, x.shape[0], rows):
        yield x[start : start + rows]
        release_pages(x)


def npy_data_bytes(path: Path) -> int:
    """The size of an ``.npy`` file (its data, roughly) for the choice of storage."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def map_npy(path: Path) -> tuple[np.ndarray, tuple[int, ...]]:
    """Map a float32 ``.npy`` file read-only: samples ``(N, D)`` and the sample shape
    (``(D,)`` for 2-D arrays, ``(1, H, W)`` for 3-D ones, ``(C, H, W)`` for 4-D channels-first).

    Raises
    ------
    DatasetError
        For a damaged or truncated file, or data that cannot be streamed as they are (not
        float32, Fortran order).
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(MAX_HEADER_BYTES + 16)
            size = os.fstat(handle.fileno()).st_size
            stream = io.BytesIO(head)
            version = np.lib.format.read_magic(stream)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
            else:
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
            offset = stream.tell()
            if dtype != np.float32 or fortran or len(shape) not in (2, 3, 4):
                raise DatasetError(
                    f"{path}: only C-ordered float32 arrays (N, D), (N, H, W) or (N, C, H, W) "
                    f"are streamed, not {dtype} of shape {tuple(shape)}; convert it, or load it "
                    "into memory (--data-in-memory)"
                )
            expected = offset + math.prod(shape) * 4
            if size != expected:
                raise DatasetError(
                    f"{path}: the header announces shape {tuple(shape)} ({expected} bytes with "
                    f"the header) but the file holds {size} bytes"
                )
            mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except DatasetError:
        raise
    except OSError as exc:
        raise DatasetError(f"{path}: cannot map: {exc.strerror or exc}") from None
    except Exception:  # numpy parses the header text: anything can go wrong in a bad file
        raise DatasetError(f"{path}: damaged NPY header") from None
    if shape[0] == 0:
        raise DatasetError(f"{path}: holds zero samples")
    samples = np.frombuffer(mapping, np.float32, count=math.prod(shape), offset=offset)
    sample_shape = (
        (int(shape[1]),)
        if len(shape) == 2
        else (1, int(shape[1]), int(shape[2]))
        if len(shape) == 3
        else tuple(int(s) for s in shape[1:])
    )
    return samples.reshape(int(shape[0]), -1), sample_shape
