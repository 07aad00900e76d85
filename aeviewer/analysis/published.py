"""Published one-class anomaly-detection figures, shown beside aeviewer's own as a reference.

Ruff, Vandermeulen, Goernitz, Deecke, Siddiqui, Binder, Müller and Kloft, "Deep One-Class
Classification", ICML 2018, Table 1: mean ROC AUC (in %, over 10 seeds) on MNIST, one class as
normal (trained on that class of the MNIST training set, tested on the whole test set).
"""

from __future__ import annotations

#: Where the figures come from.
CITATION = "Ruff et al., Deep One-Class Classification, ICML 2018, Table 1 (MNIST)"

#: One-class Deep SVDD, ROC AUC per normal digit.
DEEP_SVDD_MNIST: dict[int, float] = {
    0: 0.980,
    1: 0.997,
    2: 0.917,
    3: 0.919,
    4: 0.949,
    5: 0.885,
    6: 0.983,
    7: 0.946,
    8: 0.939,
    9: 0.965,
}

#: A deep convolutional autoencoder (DCAE) scored by its reconstruction error, same table.
DCAE_MNIST: dict[int, float] = {
    0: 0.976,
    1: 0.983,
    2: 0.854,
    3: 0.867,
    4: 0.865,
    5: 0.782,
    6: 0.946,
    7: 0.923,
    8: 0.865,
    9: 0.904,
}


def published_for(dataset_name: str) -> dict[str, dict[int, float]]:
    """The published columns that apply to a data set of this name (MNIST only)."""
    name = dataset_name.lower().replace("_", "-")
    if "mnist" in name and "fashion" not in name and "kmnist" not in name:
        return {"deep_svdd": DEEP_SVDD_MNIST, "dcae": DCAE_MNIST}
    return {}
