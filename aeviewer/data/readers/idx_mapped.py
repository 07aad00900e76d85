"""Uncompressed IDX files mapped instead of read, for data larger than memory.

The header is checked against the file's size before anything is mapped; the samples stay in
the file in their stored (big-endian) type and are converted to float32 a batch at a time by
:class:`~aeviewer.data.mapped.ConvertedRows`, exactly as :func:`read_idx` converts them.
"""

from __future__ import annotations

import math
import mmap
import os
from pathlib import Path

import numpy as np

from aeviewer.data.dataset import Dataset, Normalization
from aeviewer.data.lazy_rows import ConvertedRows
from aeviewer.data.readers.arrays import BYTE_RANGE, FLOAT_BYTES
from aeviewer.data.readers.files import GZIP_MAGIC
from aeviewer.data.readers.idx import MAX_HEADER_BYTES, idx_header, labels_path_for, read_labels
from aeviewer.errors import DatasetError


def is_gzipped(path: Path) -> bool:
    """True when the file ``path`` is gzip-compressed (False when it cannot be read)."""
    try:
        with path.open("rb") as handle:
            return handle.read(2) == GZIP_MAGIC
    except OSError:
        return False


def idx_float_bytes(path: Path) -> int:
    """The size of an uncompressed IDX file's samples as float32 (0 when it is not one)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(MAX_HEADER_BYTES)
            _, shape, _ = idx_header(head, os.fstat(handle.fileno()).st_size, path)
    except (OSError, DatasetError):
        return 0
    return math.prod(shape) * FLOAT_BYTES


def map_idx(
    path: Path, *, name: str | None = None, source: str | None = None, labels: bool = True
) -> Dataset:
    """The samples of the uncompressed IDX file ``path`` mapped read-only, with the labels of
    its sibling labels file (read into memory) unless ``labels`` is False.

    Raises
    ------
    DatasetError
        For a gzipped file (it cannot be read lazily), a damaged or truncated one, or a
        labels file (1-D).
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(MAX_HEADER_BYTES)
            if head.startswith(GZIP_MAGIC):
                raise DatasetError(
                    f"{path}: a gzipped IDX file cannot be streamed (it cannot be read lazily); "
                    "gunzip it to stream it, or load it into memory (--data-in-memory)"
                )
            dtype, shape, header = idx_header(head, os.fstat(handle.fileno()).st_size, path)
            if len(shape) == 1:
                raise DatasetError(
                    f"{path}: holds {shape[0]} labels (a 1-D IDX file), not samples; "
                    "open the images file beside it"
                )
            if math.prod(shape) == 0:
                raise DatasetError(f"{path}: holds zero samples or zero features")
            mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as exc:
        raise DatasetError(f"{path}: cannot map: {exc.strerror or exc}") from None
    raw = np.frombuffer(mapping, dtype, count=math.prod(shape), offset=header)
    raw = raw.reshape(shape[0], -1)
    eight_bit = dtype == np.uint8
    norm = Normalization("minmax", np.float32(0.0), np.float32(BYTE_RANGE))
    channels_last = None
    if len(shape) == 4:  # (N, H, W, C), served channels-first as read_idx does
        channels_last = (shape[1], shape[2], shape[3])
        sample_shape: tuple[int, ...] = (shape[3], shape[1], shape[2])
    elif len(shape) == 3:
        sample_shape = (1, shape[1], shape[2])
    else:
        sample_shape = (shape[1],)
    codes = class_names = None
    labels_path = labels_path_for(path) if labels else None
    if labels_path is not None:
        codes, class_names = read_labels(labels_path, shape[0])
    return Dataset(
        x=ConvertedRows(raw, path, BYTE_RANGE if eight_bit else None, channels_last),
        sample_shape=sample_shape,
        name=name or path.name,
        source=source or str(path),
        labels=codes,
        class_names=class_names,
        normalization=norm if eight_bit else Normalization(),
    )
