"""A content hash of a prepared data set, to tell whether two data sets are the same data.

Shape and sample count are not enough: a run trained on z-scored data, on a limited subset or on
another version of a file has the same shape as the default preparation but other values. The
hash covers the prepared values, the sample shape and the labels.
"""

from __future__ import annotations

import hashlib

import numpy as np

from aeviewer.data.dataset import Dataset
from aeviewer.data.mapped import release_pages

#: Rows hashed per update, so a large data set is never copied whole to make it contiguous.
CHUNK_ROWS = 8192


def content_hash(dataset: Dataset) -> str:
    """The SHA-256 (hex) of ``dataset``'s prepared float32 values, sample shape and labels."""
    digest = hashlib.sha256()
    digest.update(repr(tuple(int(s) for s in dataset.sample_shape)).encode())
    x = dataset.x
    for start in range(0, x.shape[0], CHUNK_ROWS):
        chunk = np.ascontiguousarray(x[start : start + CHUNK_ROWS], dtype=np.float32)
        digest.update(memoryview(chunk).cast("B"))
        release_pages(x)
    if dataset.labels is not None:
        digest.update(b"labels")
        digest.update(np.ascontiguousarray(dataset.labels, dtype=np.int64).tobytes())
    return digest.hexdigest()
