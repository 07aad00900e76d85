"""An autoencoder as a scikit-learn transformer: the codes are the features it outputs."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils import check_array
from sklearn.utils.validation import check_is_fitted

from aeviewer.sklearn.base import AutoencoderEstimator
from aeviewer.sklearn.inputs import FLOAT_DTYPES


class AutoencoderTransformer(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, AutoencoderEstimator
):
    """Reduce samples to an autoencoder's codes, trained by aeviewer's engine.

    ``fit`` trains the model ``kind`` describes (see :class:`AutoencoderEstimator` for every
    parameter) exactly as ``aeviewer train`` and the GUI train it; ``transform`` gives the codes
    (a VAE's posterior means), ``inverse_transform`` decodes codes back to samples in the
    input's units and shape, and ``score_samples`` scores each sample by how well the model
    reconstructs it.

    Attributes
    ----------
    model_ : torch.nn.Module
        The trained model (in eval mode, on ``device``), with ``encode`` and ``decode``.
    config_ : aeviewer.config.RunConfig
        The run's configuration, as ``config.json`` of a run directory holds it.
    history_ : list of dict
        One record per epoch, as the lines of a run's ``metrics.jsonl``: ``train`` and ``val``
        terms (``loss`` first), learning rates, seconds.
    normalization_ : aeviewer.data.Normalization
        The map from input values to the model's (normalised) values.
    pca_val_loss_ : float or None
        Validation MSE of PCA with as many components as the code has (the baseline).
    seed_ : int
        The training seed used.
    n_features_in_, feature_names_in_, sample_shape_, input_shape_
        Features per sample, column names of a DataFrame, the model's sample shape
        (``(C, H, W)`` or ``(D,)``) and the shape of one sample as given to ``fit``.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.linear_model import LogisticRegression
    >>> pipe = make_pipeline(AutoencoderTransformer(latent=8), LogisticRegression())
    >>> pipe.fit(X_train, y_train).score(X_test, y_test)  # doctest: +SKIP
    """

    def fit(self, X: Any, y: Any = None) -> AutoencoderTransformer:
        """Train the autoencoder on ``X`` (``y`` is ignored, except that class labels travel
        with the samples into a ``run_dir``, for the GUI to colour by).

        Returns
        -------
        self
        """
        self._fit_engine(X, y)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """The codes ``(N, latent)`` of ``X``, in ``X``'s float dtype (float64 for integers)."""
        x = self._samples(X)
        codes = self._apply(self.model_.encode, x, self._n_features_out)
        return codes.astype(x.dtype, copy=False)

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Samples decoded from codes ``X`` ``(N, latent)``, in the units and the shape of one
        sample that ``fit`` was given (images ``(N, H, W)`` or ``(N, C, H, W)``)."""
        check_is_fitted(self)
        codes = check_array(X, dtype=FLOAT_DTYPES)
        if codes.shape[1] != self._n_features_out:
            raise ValueError(
                f"X has {codes.shape[1]} features, but {type(self).__name__}.inverse_transform "
                f"is expecting codes of {self._n_features_out} features as input"
            )
        decoded = self._apply(self.model_.decode, codes, self.n_features_in_, normalized=True)
        raw = self.normalization_.invert(decoded)
        return raw.reshape(codes.shape[0], *self.input_shape_).astype(codes.dtype, copy=False)

    def reconstruction_error(self, X: Any) -> np.ndarray:
        """Per-sample mean squared reconstruction error ``(N,)`` in the model's normalised units
        (the anomaly score of the GUI's views and of ``aeviewer evaluate``)."""
        return self._errors(self._samples(X)).astype(np.float64)

    def score_samples(self, X: Any) -> np.ndarray:
        """The negated reconstruction error of each sample ``(N,)``: higher fits the model
        better, as scikit-learn's ``score_samples`` are (see :meth:`reconstruction_error`)."""
        return -self.reconstruction_error(X)

    def score(self, X: Any, y: Any = None) -> float:
        """Mean of :meth:`score_samples`: the negated mean reconstruction error, so that a grid
        search without a scorer prefers the model that reconstructs held-out samples best."""
        return float(np.mean(self.score_samples(X)))

    def __sklearn_tags__(self) -> Any:
        """scikit-learn's tags of this estimator."""
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
