"""Samples that are not in memory: rows read (and converted to float32) when indexed.

:class:`LazyRows` stands for the training samples of a :class:`~aeviewer.data.dataset.Dataset`
streamed from disk: ``x[key]`` and ``x.read(rows)`` give float32 arrays of the rows asked for,
``shape``, ``dtype`` and ``ndim`` are those of the ``(N, D)`` array it stands for.
"""

from __future__ import annotations

import abc
from pathlib import Path

import numpy as np


class LazyRows(abc.ABC):
    """Float32 samples ``(N, D)`` read a few rows at a time (a base class)."""

    dtype = np.dtype(np.float32)
    ndim = 2
    #: True when every value is known to lie in [0, 1] without reading them (8-bit images).
    unit_interval = False

    @property
    @abc.abstractmethod
    def shape(self) -> tuple[int, int]:
        """``(N, D)``."""

    def __len__(self) -> int:
        return self.shape[0]

    @abc.abstractmethod
    def read(self, rows: np.ndarray) -> np.ndarray:
        """The samples ``rows`` (``(len(rows), D)`` float32), in the order given."""

    def __getitem__(self, key: object) -> np.ndarray:
        rest: tuple = ()
        if isinstance(key, tuple):
            key, rest = key[0], key[1:]
        if isinstance(key, int | np.integer):
            return self.read(np.array([key]))[0][rest]
        rows = np.arange(len(self))[key]  # slices, index arrays and masks alike
        return self.read(rows)[(slice(None), *rest)]

    def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
        out = self[:]
        return out if dtype is None else out.astype(dtype)


class ConvertedRows(LazyRows):
    """Samples ``(N, D)`` mapped in their stored type and served as float32 when indexed.

    ``raw`` is the mapped array as stored (for example an IDX file's big-endian bytes);
    ``x[key]`` converts the rows ``key`` selects exactly as the file's in-memory reader does:
    to float32, divided by ``scale`` when given (255 for 8-bit pixels), and moved to
    channels-first order when ``channels_last`` gives the stored ``(H, W, C)`` of a sample.
    """

    def __init__(
        self,
        raw: np.ndarray,
        path: str | Path,
        scale: float | None = None,
        channels_last: tuple[int, int, int] | None = None,
    ) -> None:
        self.raw = raw
        self.path = Path(path)
        self.scale = scale
        self.channels_last = channels_last
        # 8-bit values scaled by 255 or more lie in [0, 1]: no pass over the file checks them.
        self.unit_interval = raw.dtype == np.uint8 and scale is not None and scale >= 255

    @property
    def shape(self) -> tuple[int, int]:
        """``(N, D)``."""
        return (int(self.raw.shape[0]), int(self.raw.shape[1]))

    def convert(self, block: np.ndarray) -> np.ndarray:
        """Stored rows ``(B, D)`` as float32 rows (a new array)."""
        if self.scale is None:
            out = block.astype(np.float32)
        else:
            # As Normalization("minmax", 0, scale).apply does for the samples in memory.
            out = ((block - np.float32(0.0)) / np.float32(self.scale)).astype(np.float32)
        if self.channels_last is not None:
            out = np.moveaxis(out.reshape(-1, *self.channels_last), -1, 1)
            out = np.ascontiguousarray(out).reshape(block.shape[0], -1)
        return out

    def read(self, rows: np.ndarray) -> np.ndarray:
        """The samples ``rows`` as float32, in the order given."""
        return self.convert(self.raw[rows])

    def __getitem__(self, key: object) -> np.ndarray:
        rest: tuple = ()
        if isinstance(key, tuple):
            key, rest = key[0], key[1:]
        rows = self.raw[key]
        if rows.ndim == 1:  # one sample
            return self.convert(rows[None])[0][rest]
        return self.convert(rows)[(slice(None), *rest)]
