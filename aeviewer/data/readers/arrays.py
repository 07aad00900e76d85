"""Turning arrays read from a file into a checked :class:`Dataset`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aeviewer.data.dataset import Dataset, Normalization
from aeviewer.errors import DatasetError
from aeviewer.limits import check_allocation

BYTE_RANGE = 255.0
FLOAT_BYTES = 4
MAX_CLASS_CODE = 255


def encode_labels(
    values: np.ndarray | Sequence[str], where: str
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Integer labels and class names for ``values`` (numbers or strings).

    Integers from 0 to 255 keep their value (class codes such as MNIST's digits), and every
    class up to the largest is named after its number. Anything else (text, negative, large or
    fractional numbers) becomes the index into its sorted distinct values, which are the class
    names.
    """
    array = np.asarray(values)
    if array.ndim != 1:
        raise DatasetError(f"{where}: labels must be one value per sample, got shape {array.shape}")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        row = int(np.flatnonzero(~np.isfinite(array))[0])
        raise DatasetError(f"{where}: label of sample {row} is NaN or infinity")
    if array.dtype.kind in "iubf" and array.size:
        integral = array.dtype.kind != "f" or bool(np.all(array == np.round(array)))
        if integral and array.min() >= 0 and array.max() <= MAX_CLASS_CODE:
            codes = array.astype(np.int64)
            return codes, tuple(str(k) for k in range(int(codes.max()) + 1))
    elif array.dtype.kind not in "iubfUS":
        raise DatasetError(f"{where}: labels of type {array.dtype} are neither numbers nor text")
    if array.dtype.kind in "US":
        names, labels = np.unique(array.astype(str), return_inverse=True)
        return labels.astype(np.int64).reshape(-1), tuple(str(v) for v in names)
    names, labels = np.unique(array, return_inverse=True)
    return labels.astype(np.int64).reshape(-1), tuple(_number_name(v) for v in names)


def check_finite(x: np.ndarray, where: str) -> None:
    """Raise naming the first sample and feature that hold NaN or infinity."""
    bad = ~np.isfinite(x)
    if bad.any():
        sample, feature = (int(i) for i in np.argwhere(bad)[0][:2])
        raise DatasetError(
            f"{where}: sample {sample}, feature {feature} holds {x[sample, feature]} "
            "(NaN and infinity are not allowed)"
        )


def samples_to_float(array: np.ndarray, where: str) -> tuple[np.ndarray, Normalization]:
    """Float32 samples and their normalisation: 8-bit data maps 0..255 to [0, 1]."""
    if array.dtype == np.uint8:
        norm = Normalization("minmax", np.float32(0.0), np.float32(BYTE_RANGE))
        return norm.apply(array), norm
    if array.dtype.kind not in "biuf":
        raise DatasetError(f"{where}: samples of type {array.dtype} are not numbers")
    return array.astype(np.float32), Normalization()


def build_dataset(
    array: np.ndarray,
    *,
    where: str,
    name: str,
    source: str,
    image: bool,
    labels: np.ndarray | None = None,
    class_names: tuple[str, ...] | None = None,
    feature_names: tuple[str, ...] | None = None,
) -> Dataset:
    """A data set from ``(N, ...)`` samples; ``image`` arrays are ``(N, C, H, W)``."""
    if array.shape[0] == 0:
        raise DatasetError(f"{where}: holds zero samples")
    check_allocation(array.size * FLOAT_BYTES, "its samples as 32-bit floats", where, DatasetError)
    x, norm = samples_to_float(array, where)
    sample_shape = tuple(int(s) for s in array.shape[1:]) if image else None
    x = x.reshape(array.shape[0], -1)
    if sample_shape is None:
        sample_shape = (x.shape[1],)
    if x.shape[1] == 0:
        raise DatasetError(f"{where}: samples have zero features")
    check_finite(x, where)
    if labels is not None and labels.shape[0] != x.shape[0]:
        raise DatasetError(f"{where}: {labels.shape[0]} labels for {x.shape[0]} samples")
    return Dataset(
        x=np.ascontiguousarray(x),
        sample_shape=sample_shape,
        name=name,
        source=source,
        labels=labels,
        class_names=class_names if labels is not None else None,
        feature_names=feature_names,
        normalization=norm,
    )


def _number_name(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() else f"{number:g}"
