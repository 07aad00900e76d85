"""Model families: shapes, outputs, losses, corruption, sparsity and bad specs."""

from __future__ import annotations

import math

import pytest
import torch

from aeviewer.config import ModelSpec, NoiseSpec, SparsitySpec
from aeviewer.errors import ConfigError
from aeviewer.models.info import DataInfo
from aeviewer.models.kinds import MODEL_DESCRIPTIONS
from aeviewer.models.losses import nll_from_recon
from aeviewer.models.registry import FAMILIES, build_model

VECTOR = DataInfo((12,), in_unit_interval=False)
UNIT_VECTOR = DataInfo((12,), in_unit_interval=True)
IMAGE_SHAPES = [(1, 28, 28), (3, 9, 11), (1, 5, 5)]


def test_registry_lists_the_buildable_kinds(monkeypatch):
    assert list(FAMILIES)[:5] == ["ae", "linear", "conv", "sparse", "denoising"]
    assert list(MODEL_DESCRIPTIONS) == list(FAMILIES)
    monkeypatch.delitem(FAMILIES, "conv")
    with pytest.raises(ConfigError, match="not available"):
        build_model(ModelSpec(kind="conv"), VECTOR)


@pytest.mark.parametrize("kind", ["ae", "linear", "sparse", "denoising"])
@pytest.mark.parametrize("info", [VECTOR, DataInfo((1, 6, 7), True)])
def test_vector_families_encode_decode_shapes(kind, info):
    model = build_model(ModelSpec(kind=kind, latent=3, hidden=(8, 5)), info)
    x = torch.rand(4, info.n_features)
    z = model.encode(x)
    assert z.shape == (4, 3)
    assert model.decode(z).shape == (4, info.n_features)
    terms = model.loss_terms(x)
    assert terms["loss"].ndim == 0 and "recon" in terms
    assert model.scores(x).shape == (4,)


@pytest.mark.parametrize("shape", IMAGE_SHAPES)
def test_conv_handles_image_sizes(shape):
    info = DataInfo(shape, True)
    model = build_model(ModelSpec(kind="conv", latent=4, conv_channels=(4, 8)), info)
    x = torch.rand(3, info.n_features)
    assert model.encode(x).shape == (3, 4)
    out = model(x).detach()
    assert out.shape == (3, info.n_features)
    assert float(out.min()) >= 0 and float(out.max()) <= 1


def test_conv_on_vector_data_is_a_config_error():
    with pytest.raises(ConfigError, match="image data"):
        build_model(ModelSpec(kind="conv"), VECTOR)


def test_output_follows_the_data_range():
    assert build_model(ModelSpec(), UNIT_VECTOR).output == "sigmoid"
    assert build_model(ModelSpec(), VECTOR).output == "identity"
    assert build_model(ModelSpec(output="identity"), UNIT_VECTOR).output == "identity"
    assert build_model(ModelSpec(kind="linear"), UNIT_VECTOR).output == "identity"


def test_loss_choices():
    assert build_model(ModelSpec(), VECTOR).loss_name == "mse"
    assert build_model(ModelSpec(loss="bce"), UNIT_VECTOR).loss_name == "bce"
    assert build_model(ModelSpec(loss="l1"), VECTOR).loss_name == "l1"
    with pytest.raises(ConfigError, match=r"\[0, 1\]"):
        build_model(ModelSpec(loss="bce"), VECTOR)
    with pytest.raises(ConfigError, match="sigmoid"):
        build_model(ModelSpec(loss="bce", output="identity"), UNIT_VECTOR)
    with pytest.raises(ConfigError):
        build_model(ModelSpec(kind="linear", loss="bce"), UNIT_VECTOR)


def test_linear_model_is_linear():
    model = build_model(ModelSpec(kind="linear", latent=3, hidden=(8,)), VECTOR)
    a, b = torch.randn(2, 12), torch.randn(2, 12)
    zero = model(torch.zeros(1, 12))
    assert torch.allclose(model(a + b) - zero, (model(a) - zero) + (model(b) - zero), atol=1e-5)


def test_bce_terms_match_torch():
    torch.manual_seed(0)
    model = build_model(ModelSpec(loss="bce", hidden=(8,)), UNIT_VECTOR)
    x = torch.rand(5, 12)
    expected = torch.nn.functional.binary_cross_entropy(model(x), x)
    assert torch.isclose(model.loss_terms(x)["recon"], expected, atol=1e-5)


def test_nll_of_squared_error_is_the_gaussian_one():
    d, recon = 10, 0.2
    per_sample = 0.5 * d * recon + 0.5 * d * math.log(2 * math.pi)
    assert nll_from_recon("mse", recon, d) == pytest.approx(per_sample)
    assert nll_from_recon("bce", recon, d) == pytest.approx(d * recon)


def test_denoising_corrupts_only_while_training():
    torch.manual_seed(0)
    spec = ModelSpec(kind="denoising", noise=NoiseSpec("mask", 0.5), hidden=(8,))
    model = build_model(spec, UNIT_VECTOR)
    x = torch.rand(64, 12)
    noisy = model.corrupt(x, torch.Generator().manual_seed(1))
    dropped = (noisy == 0).float().mean()
    assert 0.35 < float(dropped) < 0.65
    model.eval()
    clean_loss = model.loss_terms(x)["loss"]
    assert torch.equal(clean_loss, model.loss_terms(x)["loss"])
    model.train()
    g1, g2 = torch.Generator().manual_seed(1), torch.Generator().manual_seed(2)
    assert not torch.equal(model.loss_terms(x, g1)["loss"], model.loss_terms(x, g2)["loss"])


@pytest.mark.parametrize("kind,level", [("gaussian", 0.3), ("uniform", 0.5)])
def test_additive_noise_has_the_asked_spread(kind, level):
    model = build_model(ModelSpec(kind="denoising", noise=NoiseSpec(kind, level)), VECTOR)
    x = torch.zeros(2000, 12)
    noise = model.corrupt(x, torch.Generator().manual_seed(0))
    expected_std = level if kind == "gaussian" else level / math.sqrt(3)
    assert float(noise.std()) == pytest.approx(expected_std, rel=0.05)
    if kind == "uniform":
        assert float(noise.abs().max()) <= level


def test_denoising_defaults_to_gaussian_noise():
    assert build_model(ModelSpec(kind="denoising"), VECTOR).noise == NoiseSpec()


def test_sparse_terms():
    l1 = build_model(ModelSpec(kind="sparse", sparsity=SparsitySpec("l1", 0.1)), VECTOR)
    x = torch.randn(8, 12)
    terms = l1.loss_terms(x)
    assert torch.isclose(terms["loss"], terms["recon"] + terms["sparsity"])
    assert float(l1.encode(x).detach().min()) > 0  # softplus code for L1
    kl = build_model(ModelSpec(kind="sparse", sparsity=SparsitySpec("kl", 1.0, 0.1)), VECTOR)
    z = kl.encode(x).detach()
    assert float(z.min()) > 0 and float(z.max()) < 1  # sigmoid code for KL
    assert float(kl.loss_terms(x)["sparsity"].detach()) > 0
    assert build_model(ModelSpec(kind="sparse"), VECTOR).sparsity == SparsitySpec()


def test_an_l1_code_silenced_for_every_sample_still_learns_unless_relu():
    """A softplus code pushed below zero for every sample gets a gradient; a ReLU one (the
    code of runs saved before the choice existed) is dead."""
    x = torch.randn(16, 12)
    for l1_code, learns in (("softplus", True), ("relu", False)):
        spec = ModelSpec(kind="sparse", latent=2, hidden=(8,), l1_code=l1_code)
        model = build_model(spec, VECTOR)
        last = [m for m in model.encoder.modules() if isinstance(m, torch.nn.Linear)][-1]
        with torch.no_grad():
            last.bias.fill_(-100.0)
        model.loss_terms(x)["loss"].backward()
        assert (last.bias.grad.abs().sum() > 0) == learns, l1_code


def test_kl_penalty_vanishes_at_the_target_rate():
    model = build_model(ModelSpec(kind="sparse", sparsity=SparsitySpec("kl", 1.0, 0.2)), VECTOR)
    z = torch.full((4, 2), 0.2)
    assert float(model._sparsity_penalty(z)) == pytest.approx(0.0, abs=1e-6)


def test_identity_warning_only_without_regulariser():
    assert ModelSpec(latent=12).identity_warning(12) is not None
    assert ModelSpec(kind="sparse", latent=12).identity_warning(12) is None
    assert ModelSpec(latent=11).identity_warning(12) is None
