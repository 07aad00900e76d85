"""The GAN: the 8-Gaussian ring, image samples on the built-in shapes and MNIST, the controls."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from shared_data import MNIST_T10K, needs_mnist

from aeviewer.cli import main
from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data import load_source, prepare
from aeviewer.models.gan import GAN
from aeviewer.models.info import DataInfo
from aeviewer.models.registry import build_model
from aeviewer.training.control import TrainingControl
from aeviewer.training.evaluation import evaluate_run
from aeviewer.training.events import EpochEnd, LrChanged, Progress, Snapshot, Started
from aeviewer.training.family_evaluation import mode_report, mode_statistics
from aeviewer.training.gan_trainer import GAN_BETAS, GanTrainer
from aeviewer.training.loop import train
from aeviewer.training.rundir import load_model
from aeviewer.training.setup import set_up
from aeviewer.training.trainers import make_trainer

from .conftest import make_images, make_vectors, small_config

RING = "builtin:ring?n=6000"


def _ring_config(epochs: int) -> RunConfig:
    return RunConfig(
        data=DataSpec(source=RING),
        model=ModelSpec(kind="gan", hidden=(128, 128), latent=8),
        train=TrainSpec(
            epochs=epochs,
            batch_size=64,
            lr=2e-3,
            device="cpu",
            n_eval=2000,
            snapshot_every=epochs,
        ),
    )


def test_the_ring_gan_finds_most_modes():
    config = _ring_config(epochs=16)
    data = prepare(load_source(RING), config.data)
    modes = mode_statistics(data.x, data.labels)
    setup = set_up(config, data)
    at_init = mode_report(setup.snapshotter.take(setup.model, 0, 0, "train").gan_samples, *modes)
    events = list(train(config, data))
    snapshot = next(e for e in events if isinstance(e, Snapshot))
    trained = mode_report(snapshot.gan_samples, *modes)
    assert trained["mean_mode_distance"] < at_init["mean_mode_distance"] / 3
    assert trained["modes_covered"] >= 5 and trained["near_mode_fraction"] > 0.2
    # The snapshot of a GAN: samples of the fixed noise, D's means, D on the plane.
    assert snapshot.gan_samples.shape == (2000, 2)
    assert snapshot.latents is None and snapshot.scores is None
    assert 0 < snapshot.gan_d_fake < 1 and 0 < snapshot.gan_d_real < 1
    assert snapshot.gan_grid.shape == (64, 64)
    assert np.all((snapshot.gan_grid > 0) & (snapshot.gan_grid < 1))
    xmin, xmax, ymin, ymax = snapshot.gan_grid_extent
    assert xmin < data.x[:, 0].min() and xmax > data.x[:, 0].max()
    assert ymin < data.x[:, 1].min() and ymax > data.x[:, 1].max()
    end = [e for e in events if isinstance(e, EpochEnd)][-1]
    assert {"loss", "d_loss", "g_loss", "d_real", "d_fake"} <= set(end.train)
    assert end.train["loss"] == pytest.approx(end.train["d_loss"] + end.train["g_loss"])


def _image_gan(tmp_path, source: str, limit: int | None = None) -> dict:
    config = RunConfig(
        data=DataSpec(source=source, limit=limit),
        model=ModelSpec(kind="gan", latent=32, conv_channels=(32, 64)),
        train=TrainSpec(epochs=3, batch_size=64, lr=1e-3, device="cpu", n_eval=200, n_recon=16),
    )
    events = list(train(config, run_dir=tmp_path / "run"))
    samples = [e for e in events if isinstance(e, Snapshot)][-1].gan_samples
    assert samples.shape == (16, 1, 28, 28) and samples.min() >= 0 and samples.max() <= 1
    return evaluate_run(tmp_path / "run")


def _assert_like_the_data(result: dict) -> None:
    assert result["kind"] == "gan" and "model_mse" not in result
    assert 0.8 <= result["mean_ratio"] <= 1.2, result
    assert result["pairwise_ratio"] >= 0.5, result


def test_samples_of_the_shapes_have_the_datas_statistics(tmp_path):
    _assert_like_the_data(_image_gan(tmp_path, "builtin:shapes?n=2000"))


@needs_mnist
def test_samples_of_mnist_have_the_datas_statistics(tmp_path):
    _assert_like_the_data(_image_gan(tmp_path, str(MNIST_T10K), limit=3000))


def test_both_networks_step_as_configured_with_beta1_one_half():
    data = make_vectors(n=64, d=12)
    config = small_config("gan", hidden=(16,), latent=4, gan_d_steps=3, gan_g_steps=2)
    model = build_model(config.model, DataInfo.from_dataset(data))
    trainer = make_trainer(model, config, torch.Generator().manual_seed(0))
    assert isinstance(trainer, GanTrainer)
    trainer.begin_stage("train")
    terms = trainer.train_step(torch.from_numpy(data.x))
    assert set(terms) == {"loss", "d_loss", "g_loss", "d_real", "d_fake"}
    for name, steps in (("discriminator", 3), ("generator", 2)):
        opt = trainer.optimizers[name]
        assert opt.param_groups[0]["betas"] == GAN_BETAS
        first = opt.param_groups[0]["params"][0]
        assert int(opt.state[first]["step"]) == steps


def test_live_learning_rates_for_both_networks():
    data = make_vectors(n=128, d=12)
    config = small_config("gan", epochs=2, hidden=(16,), latent=4)
    config = config.with_changes(
        train=TrainSpec(epochs=2, batch_size=32, lr=1e-3, lr_d=4e-4, device="cpu")
    )
    control = TrainingControl()
    events = []
    for event in train(config, data, control=control):
        events.append(event)
        if isinstance(event, Started):
            control.set_lr(5e-4, "generator")
            control.set_lr(1e-4, "discriminator")
    changes = {e.group: e.lr for e in events if isinstance(e, LrChanged)}
    assert changes == {"generator": 5e-4, "discriminator": 1e-4}
    first_end = next(e for e in events if isinstance(e, EpochEnd))
    assert first_end.lr == {"generator": 5e-4, "discriminator": 1e-4}
    assert all(isinstance(e.loss, float) for e in events if isinstance(e, Progress))


def test_the_discriminator_starts_at_lr_d():
    data = make_vectors(n=64, d=12)
    config = small_config("gan", hidden=(16,), latent=4)
    config = config.with_changes(train=TrainSpec(lr=1e-3, lr_d=4e-4, device="cpu"))
    setup = set_up(config, data)
    setup.trainer.begin_stage("train")
    assert setup.trainer.learning_rates() == {"generator": 1e-3, "discriminator": 4e-4}


def test_the_fixed_noise_gives_the_same_samples_every_time():
    data = make_images(n=40, shape=(1, 9, 11))
    config = small_config("gan", latent=4, conv_channels=(4, 8))
    first = set_up(config, data)
    again = set_up(config, data)
    a = first.snapshotter.take(first.model, 1, 1, "train").gan_samples
    b = first.snapshotter.take(first.model, 2, 2, "train").gan_samples
    c = again.snapshotter.take(again.model, 1, 1, "train").gan_samples
    assert a.shape == (4, 1, 9, 11)
    assert np.array_equal(a, b) and np.array_equal(a, c)


@pytest.mark.parametrize("shape", [(1, 28, 28), (3, 9, 11), (1, 5, 5), (2, 16, 12)])
def test_the_dcgan_pair_fits_any_image_size(shape):
    info = DataInfo(shape, in_unit_interval=True)
    model = build_model(ModelSpec(kind="gan", latent=5, conv_channels=(8, 16)), info)
    assert isinstance(model, GAN) and model.output == "sigmoid"
    model.eval()
    fake = model.generate(3, torch.Generator().manual_seed(0))
    assert fake.shape == (3, int(np.prod(shape)))
    assert model.discriminate(fake).shape == (3,)
    assert not hasattr(model, "encode")


def test_cli_trains_and_evaluates_a_gan_on_the_ring(tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["train", "--data", "builtin:ring?n=600", "--model", "gan", "--hidden", "32,32"]
    argv += ["--latent", "4", "--epochs", "2", "--lr-d", "5e-4", "--gan-d-steps", "2"]
    argv += ["--gan-g-steps", "1", "--device", "cpu", "--out", str(out)]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "completed after 2 epochs" in captured.out and "PCA" not in captured.err
    saved = json.loads((out / "model.json").read_text())
    assert saved["kind"] == "gan" and saved["config"]["train"]["lr_d"] == 5e-4
    assert saved["config"]["model"]["gan_d_steps"] == 2
    assert main(["evaluate", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n_modes"] == 8 and 0 <= result["modes_covered"] <= 8
    assert 0 <= result["near_mode_fraction"] <= 1 and result["mean_mode_distance"] > 0
    assert result["mean_ratio"] is None and result["pairwise_ratio"] > 0


def test_stop_keeps_a_loadable_gan(tmp_path):
    data = make_images(n=120, shape=(1, 9, 11))
    config = small_config("gan", epochs=5, latent=4, conv_channels=(4, 8))
    control = TrainingControl()
    events = []
    for event in train(config, data, control=control, run_dir=tmp_path / "run"):
        events.append(event)
        if isinstance(event, EpochEnd) and event.epoch == 2:
            control.stop()
    finished = events[-1]
    assert finished.reason == "stopped" and finished.epoch == 2
    model, saved, record = load_model(tmp_path / "run")
    assert isinstance(model, GAN) and saved.model.kind == "gan" and record.loss == "adversarial"
    fake = model.generate(3, torch.Generator().manual_seed(0))
    assert fake.shape == (3, 99) and fake.min() >= 0 and fake.max() <= 1


def test_snapshots_on_the_ring_score_mode_coverage():
    from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
    from aeviewer.data import load_source, prepare
    from aeviewer.training.events import Snapshot
    from aeviewer.training.loop import train

    source = "builtin:ring?n=1000"
    config = RunConfig(
        data=DataSpec(source=source),
        model=ModelSpec(kind="gan", latent=2, hidden=(32, 32)),
        train=TrainSpec(epochs=1, device="cpu", n_eval=500),
    )
    data = prepare(load_source(source), config.data)
    (snapshot,) = [e for e in train(config, data) if isinstance(e, Snapshot)]
    covered, modes, good = snapshot.extras["mode_quality"]
    assert modes == 8 and 0 <= covered <= 8 and 0.0 <= good <= 1.0
