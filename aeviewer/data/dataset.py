"""The data set container every part of aeviewer works on."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from aeviewer.data.lazy_rows import LazyRows
from aeviewer.data.mapped import CHUNK_ROWS, is_mapped, row_chunks, take_rows
from aeviewer.errors import DatasetError

NormKind = Literal["none", "minmax", "zscore"]
NORM_KINDS: tuple[str, ...] = ("none", "minmax", "zscore")


@dataclass(frozen=True, eq=False)
class Normalization:
    """An affine map ``(raw - offset) / scale`` that keeps its parameters for the way back.

    ``offset`` and ``scale`` are either scalars (one value for every feature, as for images) or
    arrays of shape ``(D,)`` (one per feature, as for tables).
    """

    kind: NormKind = "none"
    offset: np.ndarray = field(default_factory=lambda: np.zeros((), np.float32))
    scale: np.ndarray = field(default_factory=lambda: np.ones((), np.float32))

    @classmethod
    def fit(cls, kind: NormKind, raw: np.ndarray, per_feature: bool = False) -> Normalization:
        """Fit ``kind`` to ``raw`` samples ``(N, D)``, globally or per feature."""
        if kind not in NORM_KINDS:
            raise DatasetError(f"unknown normalisation {kind!r}; choose one of {NORM_KINDS}")
        if kind == "none" or raw.size == 0:
            return cls()
        axis = 0 if per_feature else None
        if kind == "minmax":
            lo = np.min(raw, axis=axis)
            span = np.max(raw, axis=axis) - lo
            offset, scale = lo, span
        else:
            offset, scale = np.mean(raw, axis=axis), np.std(raw, axis=axis)
        # A constant feature keeps scale 1 so that it maps to 0 instead of dividing by zero.
        scale = np.where(np.asarray(scale) > 0, scale, 1.0)
        return cls(kind, np.asarray(offset, np.float32), np.asarray(scale, np.float32))

    def apply(self, raw: np.ndarray) -> np.ndarray:
        """Map raw values to normalised ones."""
        if self.kind == "none":
            return np.asarray(raw, np.float32)
        return ((raw - self.offset) / self.scale).astype(np.float32)

    def invert(self, values: np.ndarray) -> np.ndarray:
        """Map normalised values back to raw ones."""
        if self.kind == "none":
            return np.asarray(values, np.float32)
        return (values * self.scale + self.offset).astype(np.float32)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description."""
        return {"kind": self.kind, "offset": self.offset.tolist(), "scale": self.scale.tolist()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Normalization:
        """Inverse of :meth:`to_dict`."""
        return cls(
            data["kind"],
            np.asarray(data["offset"], np.float32),
            np.asarray(data["scale"], np.float32),
        )


@dataclass(frozen=True, eq=False)
class Dataset:
    """Float32 samples ``(N, D)`` with their shape, labels and provenance.

    Parameters
    ----------
    x
        Samples, float32, shape ``(N, D)``, already normalised by ``normalization``: an array,
        or the :class:`~aeviewer.data.lazy_rows.LazyRows` of data streamed from disk.
    sample_shape
        Shape of one sample: ``(C, H, W)`` for images, ``(D,)`` for vectors.
    name
        Short human-readable name.
    source
        Where the data came from: ``builtin:NAME``, a path, or a download name.
    labels
        Optional integer class labels, shape ``(N,)``.
    class_names
        Names of the classes ``0 .. n_classes - 1``.
    anomalies
        Optional boolean anomaly flags, shape ``(N,)``.
    feature_names
        Optional names of the ``D`` features.
    normalization
        The map from raw values to ``x``, kept so values can be mapped back.
    """

    x: np.ndarray | LazyRows
    sample_shape: tuple[int, ...]
    name: str
    source: str
    labels: np.ndarray | None = None
    class_names: tuple[str, ...] | None = None
    anomalies: np.ndarray | None = None
    feature_names: tuple[str, ...] | None = None
    normalization: Normalization = field(default_factory=Normalization)

    def __post_init__(self) -> None:
        where = self.source or self.name
        x = self.x
        samples = isinstance(x, np.ndarray | LazyRows)
        if not samples or x.dtype != np.float32 or x.ndim != 2:
            got = _describe(x)
            raise DatasetError(f"{where}: samples must be a float32 array (N, D), got {got}")
        if x.shape[0] == 0:
            raise DatasetError(f"{where}: the data set holds zero samples")
        if math.prod(self.sample_shape) != x.shape[1]:
            raise DatasetError(
                f"{where}: sample shape {self.sample_shape} does not match {x.shape[1]} features"
            )
        # Lazy 8-bit images are finite by construction: no pass decodes them all here.
        known = isinstance(x, LazyRows) and x.unit_interval
        for start, chunk in enumerate(() if known else row_chunks(x)):
            if not np.isfinite(chunk).all():
                row = start * CHUNK_ROWS + int(np.argwhere(~np.isfinite(chunk))[0, 0])
                raise DatasetError(f"{where}: sample {row} holds NaN or infinity")
        n = x.shape[0]
        if self.labels is not None:
            if self.labels.shape != (n,) or not np.issubdtype(self.labels.dtype, np.integer):
                got = _describe(self.labels)
                raise DatasetError(f"{where}: labels must be {n} integers, got {got}")
            if self.labels.size and self.labels.min() < 0:
                raise DatasetError(f"{where}: labels must not be negative")
            if self.class_names is not None and self.labels.max() >= len(self.class_names):
                raise DatasetError(
                    f"{where}: label {int(self.labels.max())} has no class name "
                    f"({len(self.class_names)} given)"
                )
        if self.anomalies is not None and self.anomalies.shape != (n,):
            raise DatasetError(f"{where}: anomaly flags must have shape ({n},)")
        if self.feature_names is not None and len(self.feature_names) != x.shape[1]:
            raise DatasetError(
                f"{where}: {len(self.feature_names)} feature names for {x.shape[1]} features"
            )

    # -- shape -------------------------------------------------------------------------------
    @property
    def n_samples(self) -> int:
        """Number of samples ``N``."""
        return int(self.x.shape[0])

    @property
    def n_features(self) -> int:
        """Number of features ``D`` per sample."""
        return int(self.x.shape[1])

    @property
    def is_image(self) -> bool:
        """True when samples are images ``(C, H, W)``."""
        return len(self.sample_shape) == 3

    @property
    def n_classes(self) -> int:
        """Number of classes, 0 when unlabelled."""
        if self.labels is None:
            return 0
        if self.class_names is not None:
            return len(self.class_names)
        return int(self.labels.max()) + 1

    def class_name(self, label: int) -> str:
        """The name of class ``label``."""
        if self.class_names is not None and 0 <= label < len(self.class_names):
            return self.class_names[label]
        return str(label)

    def class_counts(self) -> dict[str, int]:
        """Samples per class name, in class order; empty when unlabelled."""
        if self.labels is None:
            return {}
        counts = np.bincount(self.labels, minlength=self.n_classes)
        return {self.class_name(i): int(c) for i, c in enumerate(counts)}

    @property
    def value_range(self) -> tuple[float, float]:
        """Minimum and maximum of the (normalised) samples."""
        if not is_mapped(self.x):
            return float(self.x.min()), float(self.x.max())
        ranges = [(float(c.min()), float(c.max())) for c in row_chunks(self.x)]
        return min(r[0] for r in ranges), max(r[1] for r in ranges)

    @property
    def in_unit_interval(self) -> bool:
        """True when every value lies in [0, 1], so a sigmoid output and BCE fit."""
        if isinstance(self.x, LazyRows) and self.x.unit_interval:
            return True
        lo, hi = self.value_range
        return lo >= 0.0 and hi <= 1.0

    def images(self, indices: np.ndarray | None = None) -> np.ndarray:
        """Samples as images ``(N, C, H, W)``, or only those at ``indices`` (integers or a
        mask), in that order; raises for vector data.

        Streamed data are read only at ``indices``; without them, every sample is read.
        """
        if not self.is_image:
            raise DatasetError(f"{self.name}: samples of shape {self.sample_shape} are not images")
        if indices is None:
            x = self.x if isinstance(self.x, np.ndarray) else self.x[:]
            return x.reshape((self.n_samples, *self.sample_shape))
        index = np.asarray(indices)
        if index.size == 0:
            index = index.astype(np.intp)  # np.asarray([]) is float
        # Masks, negative and out-of-range indices as numpy takes them from an array.
        rows = np.arange(self.n_samples)[index].reshape(-1)
        return take_rows(self.x, rows).reshape((rows.size, *self.sample_shape))

    # -- transformations -----------------------------------------------------------------------
    def raw(self) -> np.ndarray:
        """Samples mapped back to their raw values."""
        return self.normalization.invert(self.x)

    def normalized(self, kind: NormKind, per_feature: bool | None = None) -> Dataset:
        """A copy normalised with ``kind``, fitted on the raw values.

        ``per_feature`` defaults to False for images (one scale for all pixels) and True for
        vectors.
        """
        raw = self.raw()
        if per_feature is None:
            per_feature = not self.is_image
        norm = Normalization.fit(kind, raw, per_feature)
        return replace(self, x=norm.apply(raw), normalization=norm)

    def subset(self, indices: np.ndarray) -> Dataset:
        """The samples at ``indices`` (labels, flags and normalisation follow)."""
        idx = np.asarray(indices)
        return replace(
            self,
            x=np.ascontiguousarray(self.x[idx]),
            labels=None if self.labels is None else self.labels[idx],
            anomalies=None if self.anomalies is None else self.anomalies[idx],
        )

    def split(self, val_fraction: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Deterministic shuffled train and validation indices for ``seed``.

        Both index arrays are sorted; with ``val_fraction`` 0 the validation set is empty.
        """
        if not 0.0 <= val_fraction < 1.0:
            raise DatasetError(f"validation fraction must lie in [0, 1), got {val_fraction}")
        order = np.random.default_rng(seed).permutation(self.n_samples)
        n_val = round(self.n_samples * val_fraction)
        if val_fraction > 0 and self.n_samples > 1:
            n_val = min(max(n_val, 1), self.n_samples - 1)
        return np.sort(order[n_val:]), np.sort(order[:n_val])

    def describe(self) -> dict[str, Any]:
        """A JSON-ready summary, as ``aeviewer inspect --json`` prints it."""
        lo, hi = self.value_range
        return {
            "name": self.name,
            "source": self.source,
            "n_samples": self.n_samples,
            "sample_shape": list(self.sample_shape),
            "n_features": self.n_features,
            "dtype": str(self.x.dtype),
            "min": lo,
            "max": hi,
            "normalization": self.normalization.kind,
            "n_classes": self.n_classes,
            "class_names": list(self.class_names) if self.class_names else [],
            "class_counts": self.class_counts(),
            "n_anomalies": None if self.anomalies is None else int(self.anomalies.sum()),
        }


def _describe(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.dtype} array of shape {value.shape}"
    return type(value).__name__
