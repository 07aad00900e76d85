"""The train and validation split of a run, the same in training and in evaluation."""

from __future__ import annotations

import numpy as np

from aeviewer.config import DataSpec
from aeviewer.data.dataset import Dataset
from aeviewer.errors import ConfigError


def training_split(dataset: Dataset, spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    """Sorted train and validation indices into ``dataset`` for ``spec``.

    With ``spec.normal_class`` both splits keep only that class (one-class training); samples
    of the other classes belong to neither split.

    Raises
    ------
    ConfigError
        When a normal class is set on unlabelled data, or the class has no samples.
    """
    train_idx, val_idx = dataset.split(spec.val_fraction, spec.split_seed)
    c = spec.normal_class
    if c is None:
        return train_idx, val_idx
    if dataset.labels is None:
        raise ConfigError(
            f"{dataset.name}: a normal class needs class labels; this data set has none"
        )
    if not 0 <= c < dataset.n_classes:
        raise ConfigError(
            f"{dataset.name}: normal class {c} does not exist; "
            f"classes are 0..{dataset.n_classes - 1}"
        )
    train_idx = train_idx[dataset.labels[train_idx] == c]
    val_idx = val_idx[dataset.labels[val_idx] == c]
    if train_idx.size == 0:
        raise ConfigError(f"{dataset.name}: normal class {c} has no training samples")
    return train_idx, val_idx


def anomaly_split(dataset: Dataset, spec: DataSpec) -> tuple[np.ndarray, np.ndarray]:
    """Indices and anomaly flags for one-class evaluation.

    The evaluation set is the normal class's validation samples (negatives, never trained on)
    plus every sample of the other classes (positives; training never saw any of them).
    """
    if spec.normal_class is None or dataset.labels is None:
        raise ConfigError("anomaly evaluation needs labels and a normal class")
    _, val_idx = training_split(dataset, spec)
    others = np.flatnonzero(dataset.labels != spec.normal_class)
    indices = np.concatenate([val_idx, others])
    is_anomaly = np.concatenate([np.zeros(val_idx.size, bool), np.ones(others.size, bool)])
    return indices, is_anomaly
