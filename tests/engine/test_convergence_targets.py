"""The defaults train well: no tuning flags, only the data, the family and the latent size.

On the shared MNIST test set (80/20 split): the default autoencoder's validation MSE is at most
0.75x PCA's with 2 latents and 0.85x with 32; the linear autoencoder with 32 latents comes within
0.2% of PCA, the lower bound of any rank-32 linear map, its decoder's subspace turning onto
PCA's; in one-class mode the default autoencoder beats PCA's mean ROC AUC (two digits here; the
ten-digit table is ``benchmarks/bench_oneclass.py``).

Only how often the views' snapshots are computed is set (``snapshot_every``): they observe the
model and change nothing of its training, and these tests read none but the linear model's.
"""

from __future__ import annotations

import pytest

from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.training.evaluation import evaluate_model
from aeviewer.training.events import Finished, Snapshot, Started
from aeviewer.training.loop import train

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

#: Epochs between snapshots where the test reads none (the last epoch still has one).
NO_SNAPSHOTS = 100_000


def _train(mnist, kind: str, latent: int, normal: int | None = None, snapshot_every=NO_SNAPSHOTS):
    config = RunConfig(
        data=DataSpec(source="mnist-t10k", normal_class=normal),
        model=ModelSpec(kind=kind, latent=latent),
        train=TrainSpec(device="cpu", snapshot_every=snapshot_every),
    )
    models, events = [], []
    for event in train(config, mnist, on_model=models.append):
        if not isinstance(event, Snapshot) or kind == "linear":
            events.append(event)
    finished = events[-1]
    assert isinstance(finished, Finished) and finished.reason in ("completed", "converged")
    return models[0], config, events


@pytest.mark.parametrize("latent, bound", [(2, 0.75), (32, 0.85)])
def test_the_default_autoencoder_beats_pca(mnist, latent, bound):
    model, config, events = _train(mnist, "ae", latent)
    result = evaluate_model(model, config, mnist)
    assert result["mse_ratio"] <= bound, result
    started = events[0]
    assert isinstance(started, Started) and started.config.train.epochs > 20


def test_the_default_linear_autoencoder_reaches_pca(mnist):
    model, config, events = _train(mnist, "linear", 32, snapshot_every=5)
    result = evaluate_model(model, config, mnist)
    assert result["mse_ratio"] <= 1.002, result
    # Its decoder's subspace turns onto PCA's: the principal angles shrink.
    snapshots = [e for e in events if isinstance(e, Snapshot)]
    first, last = (_largest_angle(s) for s in (snapshots[0], snapshots[-1]))
    assert last < first / 2


def _largest_angle(snapshot: Snapshot) -> float:
    from aeviewer.analysis.metrics import principal_angles

    angles = principal_angles(snapshot.extras["decoder_basis"], snapshot.extras["pca_components"])
    return float(max(angles))


def test_one_class_detection_beats_pca(mnist):
    model_aucs, pca_aucs = [], []
    for digit in (2, 5):
        model, config, _ = _train(mnist, "ae", 16, normal=digit)
        result = evaluate_model(model, config, mnist)
        model_aucs.append(result["model_auc"])
        pca_aucs.append(result["pca_auc"])
    assert sum(model_aucs) > sum(pca_aucs), (model_aucs, pca_aucs)
    assert min(model_aucs) >= 0.92, model_aucs
