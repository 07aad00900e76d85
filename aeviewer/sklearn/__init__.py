"""scikit-learn-compatible estimators over aeviewer's training engine.

- :class:`AutoencoderTransformer`: ``fit``, ``transform`` (the codes), ``inverse_transform``
  (decode), ``score_samples`` (negated reconstruction error), for pipelines and grid searches;
- :class:`AutoencoderOutlierDetector`: ``decision_function``, ``predict`` (+1/-1) and
  ``score_samples`` as scikit-learn's outlier detectors, PyOD's ``decision_scores_``,
  ``threshold_`` and ``labels_``.

Both train through :func:`aeviewer.training.loop.train`, the engine of the GUI and of
``aeviewer train``: the same settings and seed give the same losses. ``run_dir=`` writes a run
directory the GUI opens or follows live; ``from_run(path)`` builds a fitted estimator from a
run directory or a saved model. Needs the ``sklearn`` extra: ``pip install 'aeviewer[sklearn]'``.
"""

from __future__ import annotations

try:
    import sklearn  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "aeviewer.sklearn needs scikit-learn, which is not installed; install aeviewer's "
        "'sklearn' extra: pip install 'aeviewer[sklearn]'"
    ) from exc

from aeviewer.sklearn.base import AutoencoderEstimator
from aeviewer.sklearn.detector import AutoencoderOutlierDetector
from aeviewer.sklearn.transformer import AutoencoderTransformer

__all__ = ["AutoencoderEstimator", "AutoencoderOutlierDetector", "AutoencoderTransformer"]
