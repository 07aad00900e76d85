"""scikit-learn's own estimator checks, on small instances of each estimator.

Every check scikit-learn generates runs; none is marked as an expected failure.
"""

from __future__ import annotations

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn_data import FAST

from aeviewer.sklearn import AutoencoderOutlierDetector, AutoencoderTransformer

SMALL = {**FAST, "hidden": (8,)}

ESTIMATORS = [
    AutoencoderTransformer(**SMALL),
    AutoencoderTransformer("vae", **SMALL),
    AutoencoderOutlierDetector(**SMALL),
    AutoencoderOutlierDetector("gan", **SMALL),
]


# The checks fit on data with as few features as the latent size, which the engine warns about.
@pytest.mark.filterwarnings("ignore:latent size .* is at least the input size:UserWarning")
@parametrize_with_checks(ESTIMATORS)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
