"""Getting a loaded data set ready for training: a sample limit, then normalisation."""

from __future__ import annotations

import numpy as np

from aeviewer.config import DataSpec
from aeviewer.data.dataset import Dataset
from aeviewer.data.mapped import is_mapped
from aeviewer.errors import DatasetError


def prepare(dataset: Dataset, spec: DataSpec) -> Dataset:
    """Apply ``spec.limit`` and ``spec.normalize`` to ``dataset``.

    The limit keeps a random subset of ``spec.limit`` samples (seeded by ``spec.split_seed``,
    in their original order). ``"auto"`` keeps data already in [0, 1] (8-bit images are scaled
    when loaded) and z-scores everything else; ``"none"`` keeps the values as loaded;
    ``"minmax"`` and ``"zscore"`` refit that map on the raw values (one scale for all pixels
    of an image, one per feature of a vector).
    """
    if spec.limit is not None and spec.limit < dataset.n_samples:
        rng = np.random.default_rng(spec.split_seed)
        keep = np.sort(rng.choice(dataset.n_samples, spec.limit, replace=False))
        dataset = dataset.subset(keep)
    if spec.normalize == "auto":
        if dataset.in_unit_interval:
            return dataset
        _check_copyable(dataset, "z-scoring")
        return dataset.normalized("zscore")
    if spec.normalize == "none":
        return dataset
    _check_copyable(dataset, spec.normalize)
    return dataset.normalized(spec.normalize)  # type: ignore[arg-type]


def _check_copyable(dataset: Dataset, what: str) -> None:
    """Refuse to normalise streamed data (that would copy them all into memory)."""
    if is_mapped(dataset.x):
        raise DatasetError(
            f"{dataset.source}: streamed data are trained on as they are, and {what} them would "
            "copy them into memory; store them normalised (or in [0, 1]), use --normalize "
            "none, or load them into memory (--data-in-memory)"
        )
