"""Detection metrics and subspace comparison, numpy only.

Scores are anomaly scores: higher means more likely positive (anomalous). Tied scores are
treated as one threshold, so curves never depend on the order of tied samples.
"""

from __future__ import annotations

import numpy as np


def _prepare(scores: np.ndarray, is_positive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = np.asarray(scores, dtype=np.float64).ravel()
    y = np.asarray(is_positive).ravel().astype(bool)
    if s.shape != y.shape:
        raise ValueError(f"{s.size} scores but {y.size} labels")
    if s.size == 0:
        raise ValueError("no scores given")
    if not np.isfinite(s).all():
        raise ValueError("scores must be finite")
    return s, y


def _counts(scores: np.ndarray, is_positive: np.ndarray):
    """Thresholds (distinct scores, descending) and true/false positives at or above each."""
    s, y = _prepare(scores, is_positive)
    order = np.argsort(-s, kind="mergesort")
    s, y = s[order], y[order]
    last_of_group = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]
    tp = np.cumsum(y)[last_of_group]
    fp = (last_of_group + 1) - tp
    return s[last_of_group], tp.astype(np.float64), fp.astype(np.float64)


def roc_curve(
    scores: np.ndarray, is_positive: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ROC curve: false and true positive rates at each distinct threshold.

    Returns
    -------
    fpr, tpr, thresholds
        Starting at (0, 0) with threshold ``+inf``; a sample is flagged when its score is at
        least the threshold.
    """
    thresholds, tp, fp = _counts(scores, is_positive)
    n_pos, n_neg = tp[-1], fp[-1]
    if n_pos == 0 or n_neg == 0:
        raise ValueError("ROC needs both positive and negative samples")
    fpr = np.r_[0.0, fp / n_neg]
    tpr = np.r_[0.0, tp / n_pos]
    return fpr, tpr, np.r_[np.inf, thresholds]


def roc_auc(scores: np.ndarray, is_positive: np.ndarray) -> float:
    """Area under the ROC curve: the chance a random positive outscores a random negative.

    Ties count one half (the Mann-Whitney statistic with average ranks).
    """
    s, y = _prepare(scores, is_positive)
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("ROC AUC needs both positive and negative samples")
    order = np.argsort(s, kind="mergesort")
    sorted_s = s[order]
    ranks = np.empty(s.size, dtype=np.float64)
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_s)) + 1]
    ends = np.r_[starts[1:], s.size]
    average = (starts + ends + 1) / 2.0  # 1-based average rank of each tie group
    ranks[order] = np.repeat(average, ends - starts)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def precision_recall_curve(
    scores: np.ndarray, is_positive: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision and recall at each distinct threshold, by decreasing threshold.

    Returns
    -------
    precision, recall, thresholds
        The arrays end with the point (precision 1, recall 0) without a threshold, as in
        scikit-learn, so ``thresholds`` is one shorter.
    """
    thresholds, tp, fp = _counts(scores, is_positive)
    n_pos = tp[-1]
    if n_pos == 0:
        raise ValueError("a precision-recall curve needs positive samples")
    precision = tp / (tp + fp)
    recall = tp / n_pos
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1].copy()


def average_precision(scores: np.ndarray, is_positive: np.ndarray) -> float:
    """Average precision: the sum over thresholds of precision times the gain in recall."""
    _, tp, fp = _counts(scores, is_positive)
    n_pos = tp[-1]
    if n_pos == 0:
        raise ValueError("average precision needs positive samples")
    precision = tp / (tp + fp)
    recall_gain = np.diff(np.r_[0.0, tp / n_pos])
    return float(np.sum(precision * recall_gain))


def _orthonormal_basis(m: np.ndarray, name: str) -> np.ndarray:
    m = np.asarray(m, dtype=np.float64)
    if m.ndim != 2 or m.shape[1] == 0:
        raise ValueError(f"{name} must be a matrix (D, k) with k >= 1, got shape {m.shape}")
    u, s, _ = np.linalg.svd(m, full_matrices=False)
    tol = s.max(initial=0.0) * max(m.shape) * np.finfo(np.float64).eps
    rank = int(np.sum(s > tol))
    if rank == 0:
        raise ValueError(f"{name} spans nothing (all zero)")
    return u[:, :rank]


def principal_angles(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Principal angles (radians, ascending) between the column spaces of ``a`` and ``b``.

    ``a`` is ``(D, k1)`` and ``b`` is ``(D, k2)``; there are ``min(rank a, rank b)`` angles.
    Zero angles mean shared directions; a linear autoencoder's decoder columns and PCA's axes
    should give angles near zero.
    """
    qa = _orthonormal_basis(a, "A")
    qb = _orthonormal_basis(b, "B")
    if qa.shape[0] != qb.shape[0]:
        raise ValueError(f"A and B must have equal row counts, got {qa.shape[0]} and {qb.shape[0]}")
    cosines = np.linalg.svd(qa.T @ qb, compute_uv=False)
    return np.arccos(np.clip(cosines, -1.0, 1.0))


#: PCA's error at or below this share of the data's variance per feature is float32 round-off:
#: PCA reconstructs exactly (its latent spans all the data's directions).
EXACT_SHARE = 1e-6


def mse_ratio(
    model_mse: float | None, pca_mse: float | None, variance_per_feature: float | None = None
) -> float | None:
    """The model's reconstruction MSE over PCA's of the same size.

    None where either is missing, or where PCA is exact (its error is nil, or round-off next to
    ``variance_per_feature``): a ratio to round-off would only measure float noise.
    """
    if model_mse is None or pca_mse is None or not pca_mse > 0:
        return None
    if variance_per_feature is not None and pca_mse <= EXACT_SHARE * variance_per_feature:
        return None
    return model_mse / pca_mse
