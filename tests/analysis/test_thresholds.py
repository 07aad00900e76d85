"""Anomaly thresholds by score, percentile and contamination."""

from __future__ import annotations

import numpy as np
import pytest

from aeviewer.analysis.thresholds import Threshold, flag, flag_counts, percentile_of


@pytest.fixture
def scores() -> np.ndarray:
    return np.random.default_rng(0).permutation(np.arange(1000, dtype=np.float64))


def test_score_mode_flags_strictly_above(scores: np.ndarray) -> None:
    rule = Threshold("score", 899.0)
    assert rule.resolve(scores) == 899.0
    assert rule.flags(scores).sum() == 100


def test_percentile_mode_flags_the_upper_tail(scores: np.ndarray) -> None:
    flags = Threshold("percentile", 95.0).flags(scores)
    assert flags.sum() == 50
    assert scores[flags].min() >= 950


@pytest.mark.parametrize(("rate", "expected"), [(0.0, 0), (0.013, 13), (0.25, 250), (1.0, 1000)])
def test_contamination_flags_exactly_that_share(
    scores: np.ndarray, rate: float, expected: int
) -> None:
    assert Threshold("contamination", rate).flags(scores).sum() == expected


def test_percentile_of_inverts_the_percentile_mode(scores: np.ndarray) -> None:
    threshold = Threshold("percentile", 80.0).resolve(scores)
    assert percentile_of(scores, threshold) == pytest.approx(80.0, abs=0.1)
    assert percentile_of(np.array([]), 1.0) == 0.0


def test_flag_counts_against_truth() -> None:
    scores = np.array([0.1, 0.2, 0.9, 0.8, 0.3])
    truth = np.array([False, False, True, False, True])
    counts = flag_counts(flag(scores, 0.5), truth)
    assert (counts.true_positives, counts.false_positives) == (1, 1)
    assert (counts.true_negatives, counts.false_negatives) == (2, 1)
    assert counts.precision == 0.5
    assert counts.recall == 0.5


@pytest.mark.parametrize(
    ("mode", "value", "message"),
    [
        ("percentile", 101.0, "percentile"),
        ("contamination", -0.1, "contamination"),
        ("median", 1.0, "unknown threshold mode"),
        ("score", float("nan"), "finite"),
    ],
)
def test_bad_rules_are_refused(mode: str, value: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Threshold(mode, value)  # type: ignore[arg-type]


def test_nan_scores_are_refused() -> None:
    with pytest.raises(ValueError, match="NaN"):
        Threshold("percentile", 50.0).flags(np.array([1.0, np.nan]))


def test_mismatched_truth_is_refused() -> None:
    with pytest.raises(ValueError, match="do not match"):
        flag_counts(np.ones(3, bool), np.ones(4, bool))
