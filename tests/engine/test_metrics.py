"""ROC, precision-recall and principal angles against brute-force definitions."""

from __future__ import annotations

import numpy as np
import pytest

from aeviewer.analysis.metrics import (
    average_precision,
    precision_recall_curve,
    principal_angles,
    roc_auc,
    roc_curve,
)


def _pairwise_auc(scores, positive):
    pos, neg = scores[positive], scores[~positive]
    diff = pos[:, None] - neg[None, :]
    return float(((diff > 0) + 0.5 * (diff == 0)).mean())


def test_roc_auc_with_ties_matches_pairwise_count():
    rng = np.random.default_rng(0)
    scores = rng.integers(0, 5, 200).astype(float)  # many ties
    positive = rng.random(200) < 0.3 + 0.1 * scores
    assert roc_auc(scores, positive) == pytest.approx(_pairwise_auc(scores, positive))


def test_roc_curve_area_equals_auc():
    rng = np.random.default_rng(1)
    scores = np.round(rng.normal(size=300), 1)
    positive = rng.random(300) < 0.4
    fpr, tpr, thresholds = roc_curve(scores, positive)
    assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0, 0, 1, 1)
    assert np.isinf(thresholds[0]) and np.all(np.diff(thresholds) < 0)
    area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
    assert area == pytest.approx(roc_auc(scores, positive))


def test_perfect_and_reversed_scores():
    positive = np.array([0, 0, 1, 1], bool)
    assert roc_auc([0.1, 0.2, 0.8, 0.9], positive) == 1.0
    assert roc_auc([0.9, 0.8, 0.2, 0.1], positive) == 0.0
    assert roc_auc([1, 1, 1, 1], positive) == 0.5
    assert average_precision([0.1, 0.2, 0.8, 0.9], positive) == 1.0


def test_precision_recall_and_average_precision():
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
    positive = np.array([1, 0, 1, 0, 1], bool)
    precision, recall, thresholds = precision_recall_curve(scores, positive)
    np.testing.assert_allclose(precision, [3 / 5, 2 / 4, 2 / 3, 1 / 2, 1, 1])
    np.testing.assert_allclose(recall, [1, 2 / 3, 2 / 3, 1 / 3, 1 / 3, 0])
    np.testing.assert_allclose(thresholds, [0.5, 0.6, 0.7, 0.8, 0.9])
    assert average_precision(scores, positive) == pytest.approx((1 + 2 / 3 + 3 / 5) / 3)


def test_metrics_reject_one_class_and_bad_shapes():
    with pytest.raises(ValueError, match="both"):
        roc_auc([0.1, 0.2], [True, True])
    with pytest.raises(ValueError, match="labels"):
        roc_auc([0.1, 0.2], [True])


def test_principal_angles():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(10, 3))
    mixed = a @ rng.normal(size=(3, 3))
    np.testing.assert_allclose(principal_angles(a, mixed), 0, atol=1e-6)
    e = np.eye(4)
    angles = principal_angles(e[:, :2], np.c_[e[:, 1], (e[:, 0] + e[:, 2]) / np.sqrt(2)])
    np.testing.assert_allclose(angles, [0, np.pi / 4], atol=1e-7)
    np.testing.assert_allclose(principal_angles(e[:, :2], e[:, 2:]), [np.pi / 2] * 2)
    with pytest.raises(ValueError, match="row counts"):
        principal_angles(np.ones((3, 1)), np.ones((4, 1)))


def test_mse_ratio_is_undefined_where_pca_is_exact():
    from aeviewer.analysis.metrics import mse_ratio

    assert mse_ratio(0.02, 0.04, variance_per_feature=0.1) == 0.5
    # PCA that keeps every direction leaves float32 round-off, not an error to compare with.
    assert mse_ratio(7.9e-5, 3.2e-15, variance_per_feature=1.0) is None
    assert mse_ratio(0.1, 0.0) is None and mse_ratio(None, 0.1) is None
