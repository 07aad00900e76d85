"""NPY and NPZ files, parsed by :mod:`~aeviewer.data.readers.npy_format` (nothing is unpickled).

An NPZ file keeps its samples under ``x``, ``X`` or ``data`` (or is a single array) and its
labels under ``y`` or ``labels``. Arrays of 3 dimensions are grayscale images ``(N, H, W)``; of 4
dimensions, images with channels first ``(N, C, H, W)`` or last ``(N, H, W, C)``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from aeviewer.data.dataset import Dataset
from aeviewer.data.progress import Reporter
from aeviewer.data.readers.arrays import build_dataset, encode_labels
from aeviewer.data.readers.files import read_bytes, stem
from aeviewer.data.readers.npy_format import NPY_MAGIC, NpzArchive, parse_npy
from aeviewer.errors import DatasetError

ZIP_MAGIC = b"PK\x03\x04"
SAMPLE_KEYS: tuple[str, ...] = ("x", "X", "data")
LABEL_KEYS: tuple[str, ...] = ("y", "labels", "Y")
CHANNEL_COUNTS = (1, 3, 4)


def read_npy(path: Path, *, reporter: Reporter, source: str | None = None) -> Dataset:
    """Load one NPY array of samples (its header checked before anything is allocated)."""
    reporter.report(0, 1)
    data = read_bytes(path)
    if not data.startswith(NPY_MAGIC):
        raise DatasetError(f"{path}: not an NPY file (it does not start with the NPY magic)")
    array = parse_npy(data, path)
    reporter.report(1, 1)
    return _to_dataset(array, None, where=str(path), name=stem(path), source=source or str(path))


def read_npz(path: Path, *, reporter: Reporter, source: str | None = None) -> Dataset:
    """Load samples and optional labels from an NPZ archive of ``.npy`` members."""
    reporter.report(0, 2)
    data = read_bytes(path)
    if data.startswith(NPY_MAGIC):
        raise DatasetError(f"{path}: holds a single NPY array, not an NPZ archive; name it .npy")
    with NpzArchive(data, path) as archive:
        keys = archive.keys
        if not keys:
            raise DatasetError(f"{path}: the NPZ archive holds no arrays")
        sample_key = next((k for k in SAMPLE_KEYS if k in keys), None)
        if sample_key is None:
            if len(keys) != 1:
                raise DatasetError(
                    f"{path}: no samples array: expected one of the keys "
                    f"{', '.join(SAMPLE_KEYS)}, found {', '.join(keys)}"
                )
            sample_key = keys[0]
        samples = archive.load(sample_key)
        reporter.report(1, 2)
        label_key = next((k for k in LABEL_KEYS if k in keys and k != sample_key), None)
        labels = None if label_key is None else archive.load(label_key)
    reporter.report(2, 2)
    where = f"{path} [{sample_key}]"
    label_where = f"{path} [{label_key}]"
    return _to_dataset(
        samples,
        labels,
        where=where,
        name=stem(path),
        source=source or str(path),
        label_where=label_where,
    )


def _to_dataset(
    samples: np.ndarray,
    labels: np.ndarray | None,
    *,
    where: str,
    name: str,
    source: str,
    label_where: str = "",
) -> Dataset:
    if samples.dtype.kind not in "biuf" or samples.dtype.names is not None:
        raise DatasetError(f"{where}: samples of type {samples.dtype} are not plain numbers")
    if samples.ndim == 0:
        raise DatasetError(f"{where}: holds a single number, not samples")
    if samples.ndim == 1:
        samples = samples[:, None]
    elif samples.ndim == 3:
        samples = samples[:, None, :, :]
    elif samples.ndim == 4:
        samples = _channels_first(samples, where)
    elif samples.ndim > 4:
        raise DatasetError(f"{where}: samples of shape {samples.shape} have too many dimensions")
    encoded = class_names = None
    if labels is not None:
        if labels.shape[:1] != samples.shape[:1] or labels.ndim != 1:
            raise DatasetError(
                f"{label_where}: labels of shape {labels.shape} do not match "
                f"{samples.shape[0]} samples"
            )
        encoded, class_names = encode_labels(labels, label_where)
    return build_dataset(
        samples,
        where=where,
        name=name,
        source=source,
        image=samples.ndim == 4,
        labels=encoded,
        class_names=class_names,
    )


def _channels_first(samples: np.ndarray, where: str) -> np.ndarray:
    first, last = samples.shape[1], samples.shape[-1]
    # When both ends could be channels (tiny images), the smaller one is.
    if first in CHANNEL_COUNTS and (last not in CHANNEL_COUNTS or first <= last):
        return samples
    if last in CHANNEL_COUNTS:
        return np.moveaxis(samples, -1, 1)
    raise DatasetError(
        f"{where}: 4-D samples of shape {samples.shape} have no channel axis of size 1, 3 or 4 "
        "(expected (N, C, H, W) or (N, H, W, C))"
    )
