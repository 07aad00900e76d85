"""What a model needs to know about its data: sizes and value range."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from aeviewer.data.dataset import Dataset
from aeviewer.errors import RunError


@dataclass(frozen=True)
class DataInfo:
    """The shape and range of the data a model is built for.

    Parameters
    ----------
    sample_shape
        ``(C, H, W)`` for images, ``(D,)`` for vectors.
    in_unit_interval
        True when every value lies in [0, 1], which makes a sigmoid output the default.
    """

    sample_shape: tuple[int, ...]
    in_unit_interval: bool

    @property
    def n_features(self) -> int:
        """Number of features ``D`` per sample."""
        return math.prod(self.sample_shape)

    @property
    def is_image(self) -> bool:
        """True for image data ``(C, H, W)``."""
        return len(self.sample_shape) == 3

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> DataInfo:
        """The info of a data set."""
        return cls(tuple(int(s) for s in dataset.sample_shape), dataset.in_unit_interval)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description."""
        return {"sample_shape": list(self.sample_shape), "in_unit_interval": self.in_unit_interval}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DataInfo:
        """Inverse of :meth:`to_dict`; raises RunError when fields are missing or wrong."""
        try:
            shape = tuple(int(s) for s in data["sample_shape"])
            unit = bool(data["in_unit_interval"])
        except (KeyError, TypeError, ValueError) as exc:
            raise RunError(f"model data info is incomplete or invalid: {exc}") from None
        if not shape or any(s < 1 for s in shape):
            raise RunError(f"model data info has an invalid sample shape {list(shape)}")
        return cls(shape, unit)
