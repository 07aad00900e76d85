"""Samples handed to an estimator: validation, shapes, and the engine's :class:`Dataset`.

Accepted are 2-D samples ``(N, D)`` (numpy arrays, pandas DataFrames, lists), grayscale images
``(N, H, W)`` and images with channels first ``(N, C, H, W)``, as float32, float64 or any other
numbers. 8-bit arrays (``uint8``) are read as aeviewer's file readers read them, 0..255 as
[0, 1]. Validation uses scikit-learn's own functions, so bad input fails with its usual
exceptions and messages: NaN or infinity, an empty array, text in a DataFrame, sparse matrices,
a wrong number of features.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.utils import check_array
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import validate_data

from aeviewer.config import DataSpec
from aeviewer.data.dataset import Dataset, Normalization
from aeviewer.data.prepare import prepare
from aeviewer.io.atomic import atomic_open

#: The dtypes samples are validated to (others are converted to the first).
FLOAT_DTYPES = (np.float64, np.float32)
#: What the file readers divide 8-bit samples by.
BYTE_RANGE = 255.0
#: Largest label kept from ``y`` as a class code (as the file readers keep them).
MAX_CLASS_CODE = 255
#: Name of the samples file an estimator writes into its run directory.
SAMPLES_STEM = "samples"


@dataclass(frozen=True)
class FitSamples:
    """Validated training samples.

    Parameters
    ----------
    x
        Samples ``(N, D)``, float32 or float64, not yet normalised (bytes already in [0, 1]).
    sample_shape
        The model's shape of one sample: ``(C, H, W)`` for images, ``(D,)`` for vectors.
    input_shape
        The shape of one sample as given, ``X.shape[1:]``.
    from_bytes
        True when the samples were 8-bit and are scaled to [0, 1].
    """

    x: np.ndarray
    sample_shape: tuple[int, ...]
    input_shape: tuple[int, ...]
    from_bytes: bool


def read_fit_samples(estimator: Any, X: Any, sample_shape: Any) -> FitSamples:
    """Validate ``X`` for fitting and set ``n_features_in_`` (and ``feature_names_in_``).

    ``sample_shape`` (the estimator's argument) reads flat rows as images, e.g. ``(1, 28, 28)``.
    """
    X, from_bytes = _bytes_scaled(X)
    if _ndim(X) > 2:
        array = _checked_nd(X)
        n_features = math.prod(array.shape[1:])
        estimator.n_features_in_ = n_features
        if hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
    else:
        array = validate_data(estimator, X, reset=True, dtype=FLOAT_DTYPES)
    input_shape = tuple(int(s) for s in array.shape[1:])
    shape = model_shape(input_shape, sample_shape)
    x = array.reshape(array.shape[0], -1)
    return FitSamples(x, shape, input_shape, from_bytes)


def read_samples(estimator: Any, X: Any) -> np.ndarray:
    """Validate ``X`` against a fitted estimator: flat samples ``(N, D)``, float32 or float64.

    Samples must have the shape the estimator was fitted on; images may also come flattened
    to ``(N, C*H*W)``, and ``(N, H, W)`` fits a model of ``(1, H, W)``.

    Raises
    ------
    ValueError
        For samples of another shape, NaN or infinity, no samples, non-numbers.
    """
    if isinstance(X, np.ndarray) and X.dtype == np.uint8:
        X = X.astype(np.float32)  # raw 0..255: the fitted normalisation holds the byte scale
    expected = tuple(estimator.sample_shape_)
    if _ndim(X) > 2:
        array = _checked_nd(X)
        given = tuple(int(s) for s in array.shape[1:])
        if model_shape(given, None) != expected:
            raise ValueError(
                f"X holds samples of shape {given}, but {type(estimator).__name__} was fitted "
                f"on samples of shape {tuple(estimator.input_shape_)}"
            )
        return array.reshape(array.shape[0], -1)
    if len(estimator.input_shape_) == 1:
        return validate_data(estimator, X, reset=False, dtype=FLOAT_DTYPES)
    array = check_array(X, dtype=FLOAT_DTYPES)
    if array.shape[1] != estimator.n_features_in_:
        raise ValueError(
            f"X has {array.shape[1]} features, but {type(estimator).__name__} is expecting "
            f"{estimator.n_features_in_} features as input (images of shape "
            f"{tuple(estimator.input_shape_)}, flattened or not)"
        )
    return array


def model_shape(input_shape: tuple[int, ...], sample_shape: Any) -> tuple[int, ...]:
    """The model's sample shape for samples of ``input_shape`` and the ``sample_shape`` argument.

    Raises
    ------
    ValueError
        For more than three sample dimensions, or a ``sample_shape`` that does not fit.
    """
    n_features = math.prod(input_shape)
    if sample_shape is not None:
        try:
            shape = tuple(int(s) for s in sample_shape)
        except (TypeError, ValueError):
            raise ValueError(
                f"sample_shape must be a shape such as (1, 28, 28), not {sample_shape!r}"
            ) from None
        if len(shape) == 2:
            shape = (1, *shape)
        if len(shape) not in (1, 3) or any(s < 1 for s in shape):
            raise ValueError(
                f"sample_shape must be (D,), (H, W) or (C, H, W) of positive sizes, not {shape}"
            )
        if math.prod(shape) != n_features:
            raise ValueError(
                f"sample_shape {shape} holds {math.prod(shape)} values, but the samples have "
                f"{n_features} features"
            )
        return shape
    if len(input_shape) == 2:
        return (1, *input_shape)
    if len(input_shape) in (1, 3):
        return input_shape
    raise ValueError(
        f"samples of shape {input_shape} have too many dimensions; give (N, D) vectors, "
        "(N, H, W) grayscale images or (N, C, H, W) images"
    )


def class_labels(y: Any, n_samples: int) -> np.ndarray | None:
    """Class codes 0..255 of ``y`` when it holds class labels of the samples, else None.

    Fitting is unsupervised; such labels only travel with the data (a run directory's samples
    file) so that the GUI colours the latent space by class.
    """
    if y is None:
        return None
    try:
        array = np.asarray(y)
        if array.shape != (n_samples,) or array.dtype.kind not in "iu":
            return None
        if type_of_target(array) not in ("binary", "multiclass"):
            return None
    except (TypeError, ValueError):
        return None
    if array.min() < 0 or array.max() > MAX_CLASS_CODE:
        return None
    return array.astype(np.int64)


def training_dataset(
    samples: FitSamples, labels: np.ndarray | None, spec: DataSpec, name: str
) -> Dataset:
    """The prepared (normalised) data set of ``samples``, as the engine's readers and
    :func:`~aeviewer.data.prepare.prepare` would make it from the file written by
    :func:`write_samples`."""
    x = np.array(samples.x, dtype=np.float32, order="C", copy=True)
    normalization = (
        Normalization("minmax", np.float32(0.0), np.float32(BYTE_RANGE))
        if samples.from_bytes
        else Normalization()
    )
    dataset = Dataset(
        x=x,
        sample_shape=samples.sample_shape,
        name=name,
        source=spec.source,
        labels=labels,
        class_names=None if labels is None else tuple(str(k) for k in range(labels.max() + 1)),
        normalization=normalization,
    )
    return prepare(dataset, spec)


def samples_path(run_dir: str | Path, labelled: bool) -> Path:
    """Where :func:`write_samples` puts the samples of a run (absolute)."""
    suffix = ".npz" if labelled else ".npy"
    return (Path(run_dir) / f"{SAMPLES_STEM}{suffix}").resolve()


def write_samples(path: Path, samples: FitSamples, labels: np.ndarray | None) -> None:
    """Write the training samples as an NPY (or NPZ with labels) that aeviewer reads back to
    exactly the data the estimator trained on: 8-bit samples as bytes, others as float32,
    images as ``(N, C, H, W)``."""
    x = samples.x
    x = np.rint(x * BYTE_RANGE).astype(np.uint8) if samples.from_bytes else x.astype(np.float32)
    if len(samples.sample_shape) == 3:
        x = x.reshape(x.shape[0], *samples.sample_shape)
    with atomic_open(path, "wb") as handle:
        if labels is None:
            np.save(handle, x, allow_pickle=False)
        else:
            np.savez(handle, x=x, y=labels)


def _ndim(X: Any) -> int:
    ndim = getattr(X, "ndim", None)
    if isinstance(ndim, int):
        return ndim
    try:
        return int(np.asarray(X).ndim)
    except (TypeError, ValueError):  # ragged nested lists and the like: check_array says why
        return 2


def _checked_nd(X: Any) -> np.ndarray:
    """Images ``(N, H, W)`` or ``(N, C, H, W)``, validated as scikit-learn validates arrays."""
    array = check_array(X, dtype=FLOAT_DTYPES, allow_nd=True)
    if array.ndim > 4:
        raise ValueError(
            f"samples of shape {array.shape[1:]} have too many dimensions; give (N, D) vectors, "
            "(N, H, W) grayscale images or (N, C, H, W) images"
        )
    if any(s == 0 for s in array.shape[1:]):
        raise ValueError(f"Found array with a zero-sized sample dimension: shape {array.shape}")
    return array


def _bytes_scaled(X: Any) -> tuple[Any, bool]:
    """``X`` with 8-bit numpy samples scaled to float32 [0, 1], and whether they were."""
    if isinstance(X, np.ndarray) and X.dtype == np.uint8:
        return X.astype(np.float32) / np.float32(BYTE_RANGE), True
    return X, False
