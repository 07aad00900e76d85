"""The variational autoencoder: its ELBO terms, beta, prior samples and the latent mean."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from aeviewer.cli import main
from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data import load_source, prepare
from aeviewer.errors import ConfigError
from aeviewer.models.info import DataInfo
from aeviewer.models.registry import build_model
from aeviewer.models.vae import VAE
from aeviewer.training.events import EpochEnd, Finished, Snapshot
from aeviewer.training.loop import train

from .conftest import make_vectors, small_config

SHAPES = "builtin:shapes?n=1500&seed=5"


@pytest.fixture(scope="module")
def shapes() -> object:
    return prepare(load_source(SHAPES), DataSpec(source=SHAPES))


@pytest.fixture(scope="module")
def shapes_run(shapes) -> list:
    """A Bernoulli VAE on the built-in shapes, 4 epochs."""
    config = RunConfig(
        data=DataSpec(source=SHAPES),
        model=ModelSpec(kind="vae", hidden=(128,), latent=4, loss="bce", beta=1.0),
        train=TrainSpec(
            epochs=4,
            batch_size=64,
            lr=2e-3,
            device="cpu",
            n_eval=200,
            n_recon=16,
            schedule="constant",
        ),
    )
    return list(train(config, shapes))


def test_the_negative_elbo_falls(shapes_run):
    ends = [e for e in shapes_run if isinstance(e, EpochEnd)]
    assert isinstance(shapes_run[-1], Finished) and shapes_run[-1].reason == "completed"
    for split in ("train", "val"):
        elbos = [getattr(e, split)["neg_elbo"] for e in ends]
        assert elbos[-1] < 0.9 * elbos[0], split
    for e in ends:
        terms = e.train
        assert {"loss", "recon", "kl", "neg_elbo"} <= set(terms)
        assert terms["neg_elbo"] == pytest.approx(terms["recon"] + terms["kl"], rel=1e-5)
        assert terms["loss"] == pytest.approx(terms["recon"] + 1.0 * terms["kl"], rel=1e-5)
        assert terms["kl"] > 0 and "mse" in e.val and "nll" not in terms


def test_prior_samples_look_like_the_data(shapes_run, shapes):
    snapshots = [e for e in shapes_run if isinstance(e, Snapshot)]
    first, last = snapshots[0], snapshots[-1]
    samples = last.extras["prior_samples"]
    assert samples.shape == (16, 1, 28, 28)
    lo, hi = shapes.value_range
    assert samples.min() >= lo and samples.max() <= hi
    assert samples.mean() == pytest.approx(shapes.x.mean(), rel=0.3)
    # The same prior draws every epoch, so the views can show them evolving.
    assert not np.array_equal(first.extras["prior_samples"], samples)
    assert last.latents.shape == (200, 4) and last.scores.shape == (200,)


def test_a_gaussian_decoder_on_vectors_samples_inside_the_data():
    source = "builtin:moons?n=1200"
    data = prepare(load_source(source), DataSpec(source=source))
    config = RunConfig(
        data=DataSpec(source=source),
        model=ModelSpec(kind="vae", hidden=(32, 32), latent=2),
        train=TrainSpec(epochs=6, batch_size=64, lr=3e-3, device="cpu", n_eval=100, n_recon=200),
    )
    events = list(train(config, data))
    samples = [e for e in events if isinstance(e, Snapshot)][-1].extras["prior_samples"]
    lo, hi = data.x.min(axis=0), data.x.max(axis=0)
    margin = 0.1 * (hi - lo)
    inside = np.all((samples >= lo - margin) & (samples <= hi + margin), axis=1)
    assert inside.mean() >= 0.95
    ends = [e for e in events if isinstance(e, EpochEnd)]
    assert ends[-1].val["neg_elbo"] < ends[0].val["neg_elbo"]


def test_beta_weighs_the_kl_term():
    data = make_vectors(n=300, d=12)
    kls = {}
    for beta in (0.05, 4.0):
        config = small_config("vae", epochs=8, hidden=(32,), latent=3, beta=beta)
        events = list(train(config, data))
        kls[beta] = [e for e in events if isinstance(e, EpochEnd)][-1].val["kl"]
    assert kls[4.0] < 0.5 * kls[0.05]


def test_the_code_is_the_posterior_mean():
    info = DataInfo((12,), in_unit_interval=False)
    torch.manual_seed(0)
    model = build_model(ModelSpec(kind="vae", hidden=(16,), latent=3), info)
    assert isinstance(model, VAE) and model.loss_name == "mse" and model.output == "identity"
    model.eval()
    x = torch.randn(5, 12)
    mean, _ = model.posterior(x)
    assert torch.equal(model.encode(x), mean) and torch.equal(model.encode(x), model.encode(x))
    assert torch.equal(model(x), model.decode(mean))
    assert model.scores(x).shape == (5,)
    assert model.generate(7, torch.Generator().manual_seed(1)).shape == (7, 12)


def test_the_vae_refuses_a_loss_without_a_likelihood():
    with pytest.raises(ConfigError, match="Gaussian"):
        build_model(ModelSpec(kind="vae", loss="l1"), DataInfo((12,), in_unit_interval=False))
    with pytest.raises(ConfigError, match="sigmoid"):
        spec = ModelSpec(kind="vae", loss="bce", output="identity")
        build_model(spec, DataInfo((12,), in_unit_interval=True))


def test_cli_trains_and_evaluates_a_vae(tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["train", "--data", "builtin:moons?n=400", "--model", "vae", "--beta", "0.5"]
    argv += ["--hidden", "16", "--epochs", "2", "--device", "cpu", "--out", str(out)]
    assert main(argv) == 0
    assert "completed after 2 epochs" in capsys.readouterr().out
    saved = json.loads((out / "model.json").read_text())
    assert saved["config"]["model"]["beta"] == 0.5 and saved["loss"] == "mse"
    assert main(["evaluate", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["kind"] == "vae"
    assert result["neg_elbo"] == pytest.approx(result["recon"] + result["kl"], rel=1e-5)
    assert result["model_mse"] > 0 and result["pca_mse"] > 0
