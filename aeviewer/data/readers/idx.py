"""IDX files (the MNIST family's format), raw or gzipped, with their sibling labels file.

An IDX file starts with two zero bytes, a type code and the number of dimensions, then one
big-endian 32-bit size per dimension and the data. MNIST's images carry magic 2051 (``0x0803``:
unsigned bytes, 3 dimensions) and its labels magic 2049 (``0x0801``).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from aeviewer.data.dataset import Dataset
from aeviewer.data.progress import Reporter
from aeviewer.data.readers.arrays import build_dataset, encode_labels
from aeviewer.data.readers.files import read_bytes, read_head
from aeviewer.errors import DatasetError

IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049
IDX_TYPES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def looks_like_idx(head: bytes) -> bool:
    """True when ``head`` starts like an IDX file (00 00, a known type, 1 to 4 dimensions)."""
    return len(head) >= 4 and head[:2] == b"\0\0" and head[2] in IDX_TYPES and 1 <= head[3] <= 4


def is_idx_images(path: Path) -> bool:
    """True when ``path`` is an IDX file of samples (2 or more dimensions)."""
    head = read_head(path, 4)
    return looks_like_idx(head) and head[3] >= 2


#: The largest IDX header: magic and four 32-bit sizes.
MAX_HEADER_BYTES = 4 + 4 * 4


def idx_header(head: bytes, size: int, path: Path) -> tuple[np.dtype, tuple[int, ...], int]:
    """The stored type, shape and header length of an IDX file whose first bytes are ``head``
    and whose (uncompressed) size is ``size``; raises naming what is wrong, before anything
    is read past the header."""
    if len(head) < 4:
        raise DatasetError(f"{path}: truncated IDX header ({len(head)} bytes, need at least 4)")
    magic = int.from_bytes(head[:4], "big")
    if head[:2] != b"\0\0" or head[2] not in IDX_TYPES or not 1 <= head[3] <= 4:
        raise DatasetError(
            f"{path}: wrong magic number {magic} (0x{magic:08x}) at byte 0; an IDX file starts "
            f"with {IMAGES_MAGIC} for images or {LABELS_MAGIC} for labels"
        )
    dtype, ndim = IDX_TYPES[head[2]], head[3]
    header = 4 + 4 * ndim
    if size < header or len(head) < header:
        raise DatasetError(
            f"{path}: truncated IDX header: magic {magic} announces {ndim} dimensions, "
            f"which need {header} header bytes, but the file holds {size}"
        )
    shape = tuple(int.from_bytes(head[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = math.prod(shape) * dtype.itemsize
    found = size - header
    if found < expected:
        raise DatasetError(
            f"{path}: truncated: the header announces shape {shape} ({expected} data bytes) "
            f"but only {found} bytes follow it"
        )
    if found > expected:
        raise DatasetError(
            f"{path}: {found - expected} unexpected bytes after the {expected} data bytes "
            f"of shape {shape} (from byte {header + expected})"
        )
    return dtype, shape, header


def parse_idx(data: bytes, path: Path) -> np.ndarray:
    """The array an IDX file holds, in native byte order; raises naming what is wrong."""
    dtype, shape, header = idx_header(data[:MAX_HEADER_BYTES], len(data), path)
    array = np.frombuffer(data, dtype, count=math.prod(shape), offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="))


def labels_path_for(images: Path) -> Path | None:
    """The labels file beside ``images`` by the MNIST naming convention, if it exists.

    ``train-images-idx3-ubyte[.gz]`` pairs with ``train-labels-idx1-ubyte[.gz]`` (also with a
    dot before ``idx``, as some mirrors name them).
    """
    name = images.name
    if "images" not in name:
        return None
    base = name.replace("images", "labels").replace("idx3", "idx1")
    if base.lower().endswith(".gz"):
        base = base[:-3]
    for candidate in (base, base + ".gz"):
        path = images.with_name(candidate)
        if path.is_file():
            return path
    return None


def read_idx(
    path: Path, *, reporter: Reporter, name: str | None = None, source: str | None = None
) -> Dataset:
    """Load an IDX samples file and, when present, its sibling labels file."""
    reporter.report(0, 2)
    array = parse_idx(read_bytes(path), path)
    if array.ndim == 1:
        raise DatasetError(
            f"{path}: holds {array.shape[0]} labels (a 1-D IDX file), not samples; "
            "open the images file beside it"
        )
    if array.ndim == 4:
        # (N, H, W, C) as written by the IDX writers that store colour images.
        array = np.moveaxis(array, -1, 1)
    elif array.ndim == 3:
        array = array[:, None, :, :]
    reporter.report(1, 2)
    labels = class_names = None
    labels_path = labels_path_for(path)
    if labels_path is not None:
        labels, class_names = read_labels(labels_path, array.shape[0])
    reporter.report(2, 2)
    return build_dataset(
        array,
        where=str(path),
        name=name or path.name.removesuffix(".gz"),
        source=source or str(path),
        image=array.ndim == 4,
        labels=labels,
        class_names=class_names,
    )


def read_labels(path: Path, n_samples: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """The labels of the 1-D IDX file ``path``, checked against ``n_samples``."""
    values = parse_idx(read_bytes(path), path)
    if values.ndim != 1:
        raise DatasetError(f"{path}: a labels file must be 1-D, found shape {values.shape}")
    if values.shape[0] != n_samples:
        raise DatasetError(
            f"{path}: holds {values.shape[0]} labels but its images file holds {n_samples} samples"
        )
    return encode_labels(values, str(path))
