"""An autoencoder as an outlier detector, in scikit-learn's and PyOD's conventions."""

from __future__ import annotations

import numbers
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import OutlierMixin
from sklearn.utils.validation import check_is_fitted

from aeviewer.config import ModelSpec
from aeviewer.sklearn.base import AutoencoderEstimator
from aeviewer.sklearn.inputs import read_samples
from aeviewer.sklearn.params import init_signature

#: PyOD's default share of outliers in the training data.
DEFAULT_CONTAMINATION = 0.1


class AutoencoderOutlierDetector(OutlierMixin, AutoencoderEstimator):
    """Flag samples an autoencoder reconstructs badly: train on (mostly) normal data, then
    score new samples by their reconstruction error.

    scikit-learn's conventions (as :class:`sklearn.ensemble.IsolationForest`): ``predict``
    gives +1 for inliers and -1 for outliers; ``score_samples`` is the negated reconstruction
    error (lower is more abnormal); ``decision_function`` is ``score_samples - offset_``,
    negative for outliers, where ``offset_`` puts a share ``contamination`` of the training
    samples below zero. PyOD's names are there too, with PyOD's signs: ``decision_scores_``
    (the training samples' outlier scores, higher is more abnormal), ``threshold_`` and
    ``labels_`` (0 inlier, 1 outlier); :meth:`outlier_scores` scores new samples that way (PyOD's
    ``decision_function``).

    A GAN (``kind="gan"``) scores with its discriminator instead: the logit of D(x), negated
    as an outlier score.

    Parameters
    ----------
    contamination : float, default=0.1
        The share of outliers in the training data, in (0, 0.5].
    **others
        Every setting of :class:`AutoencoderEstimator`.
    """

    _kinds = ("ae", "linear", "conv", "sparse", "denoising", "stacked", "vae", "gan")

    def __init__(self, kind: str = ModelSpec.kind, **settings: Any) -> None:
        super().__init__(kind, **settings)

    __init__.__signature__ = init_signature(  # type: ignore[attr-defined]
        contamination=DEFAULT_CONTAMINATION
    )

    def fit(self, X: Any, y: Any = None) -> AutoencoderOutlierDetector:
        """Train on ``X`` (``y`` is ignored) and set the threshold from its scores.

        Returns
        -------
        self
        """
        self._check_contamination()
        prepared = self._fit_engine(X, y)
        self._set_threshold(self._outlier_scores(prepared, normalized=True))
        return self

    @classmethod
    def from_run(cls, path: str | Path, X: Any = None, **params: Any) -> AutoencoderOutlierDetector:
        """A fitted detector from a run directory or saved model (see
        :meth:`AutoencoderEstimator.from_run`), its threshold set on ``X``, or, without ``X``,
        on the run's own training split (its data loaded and prepared as the run did)."""
        detector = super().from_run(path, **params)
        assert isinstance(detector, AutoencoderOutlierDetector)
        detector._check_contamination()
        if X is not None:
            scores = detector._outlier_scores(read_samples(detector, X))
        else:
            from aeviewer.training.splits import training_split

            dataset = detector._training_data()
            train_idx, _ = training_split(dataset, detector.config_.data)
            scores = detector._outlier_scores(dataset.x[train_idx], normalized=True)
        detector._set_threshold(scores)
        return detector

    # -- scikit-learn's conventions ----------------------------------------------------------
    def score_samples(self, X: Any) -> np.ndarray:
        """Negated outlier scores ``(N,)``: the lower, the more abnormal."""
        return -self.outlier_scores(X)

    def decision_function(self, X: Any) -> np.ndarray:
        """``score_samples(X) - offset_``: negative for outliers, positive for inliers."""
        return self.score_samples(X) - self.offset_

    def predict(self, X: Any) -> np.ndarray:
        """+1 for inliers, -1 for outliers."""
        return np.where(self.decision_function(X) >= 0, 1, -1)

    # -- PyOD's conventions ------------------------------------------------------------------
    def outlier_scores(self, X: Any) -> np.ndarray:
        """Outlier scores ``(N,)``, higher is more abnormal (PyOD's ``decision_function``): the
        mean squared reconstruction error in the model's normalised units."""
        check_is_fitted(self)
        return self._outlier_scores(self._samples(X))

    def _outlier_scores(self, x: np.ndarray, *, normalized: bool = False) -> np.ndarray:
        if self.config_.model.kind == "gan":
            logits = self._apply(self.model_.discriminate, x, 0, normalized=normalized)
            return -logits.astype(np.float64)
        return self._errors(x, normalized=normalized).astype(np.float64)

    def _set_threshold(self, scores: np.ndarray) -> None:
        share = float(self.contamination)
        self.decision_scores_ = scores
        self.threshold_ = float(np.percentile(scores, 100.0 * (1.0 - share)))
        self.offset_ = -self.threshold_
        self.labels_ = (scores > self.threshold_).astype(np.int64)

    def _check_contamination(self) -> None:
        c = self.contamination
        if isinstance(c, bool) or not isinstance(c, numbers.Real) or not 0.0 < c <= 0.5:
            raise ValueError(f"contamination must be in (0, 0.5], got {c!r}")

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "offset_")
