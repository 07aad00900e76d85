"""What a run trained on: the data preparation, its parameters and a content hash.

Written into ``data.json`` of a run directory, into every checkpoint and into ``model.json``, so
that resuming, opening or following a run can prepare the data exactly as the run did and can
refuse data that differ in content, not only in shape.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from aeviewer.config import DataSpec
from aeviewer.data.dataset import Dataset
from aeviewer.data.fingerprint import content_hash
from aeviewer.errors import RunError


def _indices_hash(indices: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(indices, dtype=np.int64).tobytes()).hexdigest()


def data_record(
    dataset: Dataset, spec: DataSpec, train_idx: np.ndarray, val_idx: np.ndarray
) -> dict[str, Any]:
    """The JSON object that describes the prepared data and split of a run."""
    return {
        "source": spec.source,
        "name": dataset.name,
        "normalize": spec.normalize,
        "normalization": dataset.normalization.to_dict(),
        "limit": spec.limit,
        "val_fraction": spec.val_fraction,
        "split_seed": spec.split_seed,
        "normal_class": spec.normal_class,
        "n_samples": int(dataset.n_samples),
        "sample_shape": [int(s) for s in dataset.sample_shape],
        "n_train": int(train_idx.size),
        "n_val": int(val_idx.size),
        "split_sha256": _indices_hash(np.concatenate([train_idx, [-1], val_idx])),
        "content_sha256": content_hash(dataset),
    }


def check_same_data(
    expected: Mapping[str, Any] | None,
    dataset: Dataset,
    where: str | Path,
    *,
    digest: str | None = None,
) -> None:
    """Raise a RunError naming ``where`` when ``dataset`` is not the data ``expected`` records.

    ``expected`` None (a run written before data records existed) checks nothing; ``digest``
    is ``dataset``'s content hash when the caller has it already.
    """
    if not expected:
        return
    shape = [int(s) for s in dataset.sample_shape]
    if expected.get("sample_shape") not in (None, shape):
        raise RunError(
            f"{where}: the run was trained on samples of shape {expected['sample_shape']}, "
            f"but {dataset.name} has shape {shape}"
        )
    n = expected.get("n_samples")
    if n is not None and int(n) != dataset.n_samples:
        raise RunError(
            f"{where}: the run was trained on {n} samples, but {dataset.name} prepared as the "
            f"run did has {dataset.n_samples}"
        )
    recorded = expected.get("content_sha256")
    if recorded and recorded != (digest or content_hash(dataset)):
        raise RunError(
            f"{where}: {dataset.name} differs in content from the data the run was trained on "
            "(same shape, other values or labels); open the run with the data it was trained on"
        )
