"""Anomaly thresholds on reconstruction scores: by score, percentile or expected contamination.

A sample is flagged as anomalous when its score is strictly greater than the threshold. The three
modes only differ in how the threshold is chosen, so the user can relabel at once, without
retraining.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

ThresholdMode = Literal["score", "percentile", "contamination"]
THRESHOLD_MODES: tuple[str, ...] = ("score", "percentile", "contamination")


@dataclass(frozen=True)
class Threshold:
    """A threshold rule.

    Parameters
    ----------
    mode
        ``"score"``: ``value`` is the threshold itself. ``"percentile"``: ``value`` in [0, 100],
        the threshold is that percentile of the scores. ``"contamination"``: ``value`` in
        [0, 1], the expected fraction of anomalies; exactly the ``round(value * N)`` highest
        scores are flagged (ties at the boundary aside).
    value
        The number the mode interprets.
    """

    mode: ThresholdMode = "percentile"
    value: float = 95.0

    def __post_init__(self) -> None:
        if self.mode not in THRESHOLD_MODES:
            raise ValueError(
                f"unknown threshold mode {self.mode!r}; choose one of {THRESHOLD_MODES}"
            )
        if not np.isfinite(self.value):
            raise ValueError(f"threshold value must be finite, got {self.value}")
        if self.mode == "percentile" and not 0.0 <= self.value <= 100.0:
            raise ValueError(f"a percentile must lie in [0, 100], got {self.value}")
        if self.mode == "contamination" and not 0.0 <= self.value <= 1.0:
            raise ValueError(f"a contamination must lie in [0, 1], got {self.value}")

    def resolve(self, scores: np.ndarray) -> float:
        """The score threshold this rule gives for ``scores``."""
        s = _scores(scores)
        if self.mode == "score":
            return float(self.value)
        if s.size == 0:
            return float("inf")
        if self.mode == "percentile":
            return float(np.percentile(s, self.value))
        n_flagged = round(self.value * s.size)
        ordered = np.sort(s)
        if n_flagged <= 0:
            return float(ordered[-1])
        if n_flagged >= s.size:
            return float(np.nextafter(ordered[0], -np.inf))
        return float(ordered[s.size - n_flagged - 1])

    def flags(self, scores: np.ndarray) -> np.ndarray:
        """Boolean anomaly flags for ``scores``."""
        return flag(scores, self.resolve(scores))


def flag(scores: np.ndarray, threshold: float) -> np.ndarray:
    """Flag the samples whose score is strictly above ``threshold``."""
    return _scores(scores) > threshold


def percentile_of(scores: np.ndarray, threshold: float) -> float:
    """The share of scores at or below ``threshold`` in percent (inverts the percentile mode)."""
    s = _scores(scores)
    if s.size == 0:
        return 0.0
    return float(100.0 * np.count_nonzero(s <= threshold) / s.size)


@dataclass(frozen=True)
class FlagCounts:
    """How a flagging compares with known truth (``truth`` True = anomalous)."""

    true_positives: int
    false_positives: int
    true_negatives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        """Share of flagged samples that are anomalous (0 when nothing is flagged)."""
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        """Share of anomalous samples that are flagged (0 without anomalies)."""
        positives = self.true_positives + self.false_negatives
        return self.true_positives / positives if positives else 0.0


def flag_counts(flags: np.ndarray, truth: np.ndarray) -> FlagCounts:
    """Confusion counts of ``flags`` against ``truth`` (both boolean, same shape)."""
    f = np.asarray(flags, bool)
    t = np.asarray(truth, bool)
    if f.shape != t.shape:
        raise ValueError(f"flags of shape {f.shape} do not match truth of shape {t.shape}")
    return FlagCounts(
        true_positives=int(np.count_nonzero(f & t)),
        false_positives=int(np.count_nonzero(f & ~t)),
        true_negatives=int(np.count_nonzero(~f & ~t)),
        false_negatives=int(np.count_nonzero(~f & t)),
    )


def _scores(scores: np.ndarray) -> np.ndarray:
    s = np.asarray(scores, np.float64).reshape(-1)
    if not np.isfinite(s).all():
        raise ValueError(
            f"scores must be finite; {int((~np.isfinite(s)).sum())} are NaN or infinite"
        )
    return s
