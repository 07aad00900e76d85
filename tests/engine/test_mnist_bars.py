"""What the numbers must show on the MNIST test set (80/20 split, pixels / 255).

Each model is trained for real, briefly; the bars are those of issue 3.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import torch
from torch import nn

from aeviewer.config import DataSpec, ModelSpec, NoiseSpec, RunConfig, SparsitySpec, TrainSpec
from aeviewer.data.dataset import Dataset
from aeviewer.training.control import TrainingControl
from aeviewer.training.evaluation import evaluate_model
from aeviewer.training.events import EpochEnd, Finished, Started
from aeviewer.training.loop import train
from aeviewer.training.rundir import load_model
from aeviewer.training.splits import training_split

NOISE = NoiseSpec("gaussian", 0.3)
#: The three 32-latent models share one shape and schedule, so that only the family differs.
SHAPE_32 = {"latent": 32, "hidden": (256,)}
SCHEDULE_32 = {"epochs": 8, "lr": 3e-3, "batch_size": 128}


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """One torch thread: these small models train faster per CPU second on a shared machine."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@dataclass
class Trained:
    model: nn.Module
    config: RunConfig
    pca_val_mse: float
    val_mse: float


def _fit(dataset: Dataset, folder, model: ModelSpec, lr_drop_after: int | None = None, **train_kw):
    """Train into ``folder`` and load the saved model back."""
    train_kw.setdefault("device", "cpu")
    # These bars come with their own hand-made schedule (a drop of the rate, or none).
    train_kw.setdefault("schedule", "constant")
    train_kw.setdefault("n_eval", 100)
    train_kw.setdefault("n_recon", 4)
    config = RunConfig(
        data=DataSpec(
            source="mnist-t10k", val_fraction=0.2, normal_class=train_kw.pop("normal", None)
        ),
        model=model,
        train=TrainSpec(snapshot_every=1000, checkpoint_every=1000, **train_kw),
    )
    control = TrainingControl()
    started = end = finished = None
    for event in train(config, dataset, control=control, run_dir=folder):
        if isinstance(event, Started):
            started = event
        elif isinstance(event, EpochEnd):
            end = event
            if event.epoch == lr_drop_after:
                control.set_lr(config.train.lr / 10)
        elif isinstance(event, Finished):
            finished = event
    assert finished.reason == "completed", finished.message
    loaded, _, _ = load_model(folder)
    return Trained(loaded, config, started.pca_val_loss, end.val["mse"])


def _val(dataset: Dataset, config: RunConfig) -> torch.Tensor:
    _, val_idx = training_split(dataset, config.data)
    return torch.from_numpy(dataset.x[val_idx])


@pytest.fixture(scope="module")
def plain_32(mnist, tmp_path_factory):
    spec = ModelSpec("ae", **SHAPE_32)
    return _fit(mnist, tmp_path_factory.mktemp("ae32"), spec, **SCHEDULE_32)


def test_linear_autoencoder_reaches_pca(mnist, tmp_path):
    spec = ModelSpec("linear", latent=32, hidden=())
    run = _fit(mnist, tmp_path, spec, lr_drop_after=8, epochs=12, lr=3e-3, batch_size=32)
    assert abs(run.val_mse / run.pca_val_mse - 1) < 0.01, (run.val_mse, run.pca_val_mse)
    # The saved model gives the same number.
    result = evaluate_model(run.model, run.config, mnist)
    assert result["model_mse"] == pytest.approx(run.val_mse, rel=1e-4)
    assert result["pca_mse"] == pytest.approx(run.pca_val_mse, rel=1e-4)


def test_ae_beats_pca_with_2_latents(mnist, tmp_path):
    spec = ModelSpec("ae", latent=2, hidden=(256, 128))
    run = _fit(mnist, tmp_path, spec, epochs=8, lr=2e-3, batch_size=64)
    assert run.val_mse <= 0.8 * run.pca_val_mse, (run.val_mse, run.pca_val_mse)


def test_ae_beats_pca_with_32_latents(plain_32):
    assert plain_32.val_mse <= 0.9 * plain_32.pca_val_mse, (plain_32.val_mse, plain_32.pca_val_mse)


def _noisy_error(model: nn.Module, clean: torch.Tensor) -> float:
    noisy = clean + NOISE.level * torch.randn(
        clean.shape, generator=torch.Generator().manual_seed(5)
    )
    with torch.no_grad():
        return float((model(noisy) - clean).square().mean())


def test_denoising_reconstructs_noisy_inputs_closer_to_clean(mnist, plain_32, tmp_path):
    spec = ModelSpec("denoising", noise=NOISE, **SHAPE_32)
    denoising = _fit(mnist, tmp_path, spec, **SCHEDULE_32)
    clean = _val(mnist, plain_32.config)
    plain_err = _noisy_error(plain_32.model, clean)
    denoising_err = _noisy_error(denoising.model, clean)
    assert denoising_err < plain_err, (denoising_err, plain_err)


def test_sparse_codes_are_at_most_half_as_active(mnist, plain_32, tmp_path):
    spec = ModelSpec("sparse", sparsity=SparsitySpec("l1", 1e-4), **SHAPE_32)
    sparse = _fit(mnist, tmp_path, spec, **SCHEDULE_32)
    clean = _val(mnist, plain_32.config)
    with torch.no_grad():
        plain_act = float(plain_32.model.hidden_activations(clean).abs().mean())
        sparse_act = float(sparse.model.hidden_activations(clean).abs().mean())
    assert sparse_act <= 0.5 * plain_act, (sparse_act, plain_act)
    # Sparse, not collapsed: it still reconstructs about as well as PCA of its size.
    assert sparse.val_mse < 2 * sparse.pca_val_mse, (sparse.val_mse, sparse.pca_val_mse)


def test_one_class_detection_of_zeros(mnist, tmp_path):
    spec = ModelSpec("ae", latent=8, hidden=(128,))
    run = _fit(mnist, tmp_path, spec, normal=0, epochs=20, lr=3e-3, batch_size=32)
    result = evaluate_model(run.model, run.config, mnist)
    assert result["n_anomaly_eval"] == result["n_val"] + 10000 - 980
    assert result["model_auc"] > 0.95, result
