"""Run specifications: validation and the JSON round trip."""

import pytest

from aeviewer.config import DataSpec, ModelSpec, NoiseSpec, RunConfig, SparsitySpec, TrainSpec
from aeviewer.errors import ConfigError


def test_json_round_trip_keeps_every_field() -> None:
    config = RunConfig(
        data=DataSpec(source="builtin:signals", normal_class=0, limit=500),
        model=ModelSpec(
            kind="denoising",
            latent=4,
            hidden=(64, 32),
            noise=NoiseSpec.parse("mask:0.25"),
            sparsity=SparsitySpec.parse("kl:0.05:1.0"),
        ),
        train=TrainSpec(epochs=3, lr=3e-3, grad_clip=1.0),
    )
    assert RunConfig.from_json(config.to_json()) == config


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda: ModelSpec(kind="pca"), "unknown model kind"),
        (lambda: ModelSpec(latent=0), "latent size"),
        (lambda: ModelSpec(kind="conv", conv_channels=()), "convolution channel"),
        (lambda: ModelSpec(kind="stacked", hidden=()), "hidden layer"),
        (lambda: TrainSpec(lr=0), "learning rates"),
        (lambda: TrainSpec(lr_d=-1e-3), "learning rates"),
        (lambda: DataSpec(val_fraction=1.0), "validation fraction"),
        (lambda: NoiseSpec.parse("gaussian"), "noise must look like"),
        (lambda: SparsitySpec.parse("kl:0.05"), "sparsity must look like"),
    ],
)
def test_impossible_specs_are_clear_errors(make, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        make()


def test_unknown_fields_and_bad_json_name_the_problem() -> None:
    with pytest.raises(ConfigError, match="unknown ModelSpec field"):
        RunConfig.from_dict({"model": {"kind": "ae", "colour": "red"}})
    with pytest.raises(ConfigError, match="line 1 column"):
        RunConfig.from_json("{not json")


def test_identity_warning_only_without_a_regulariser() -> None:
    assert ModelSpec(latent=784).identity_warning(784) is not None
    assert ModelSpec(latent=2).identity_warning(784) is None
    assert ModelSpec(kind="denoising", latent=784).identity_warning(784) is None


@pytest.mark.parametrize(
    ("model", "l1_code"),
    [
        ({"kind": "sparse"}, "relu"),
        ({"kind": "ae", "sparsity": {"kind": "l1", "weight": 1e-3, "rate": 0.05}}, "relu"),
        ({"kind": "sparse", "sparsity": {"kind": "kl", "weight": 1.0, "rate": 0.05}}, "softplus"),
        ({"kind": "ae"}, "softplus"),
    ],
)
def test_configs_written_before_the_l1_code_choice_keep_relu_codes(model, l1_code) -> None:
    """Runs saved before the field existed were trained with ReLU codes under L1; they must
    rebuild exactly so. Others have no L1 code and keep the default."""
    assert RunConfig.from_dict({"model": model}).model.l1_code == l1_code
    fresh = RunConfig(model=ModelSpec(kind="sparse"))
    assert fresh.model.l1_code == "softplus"
    assert RunConfig.from_json(fresh.to_json()) == fresh
    with pytest.raises(ConfigError, match="L1 code"):
        ModelSpec(l1_code="tanh")


def test_a_family_default_regulariser_compares_equal_written_out_or_not() -> None:
    """A CLI run's sparse spec (None) and the Model panel's (the default written out) are the
    same model: the GUI continues such a run."""
    assert ModelSpec(kind="sparse") == ModelSpec(kind="sparse", sparsity=SparsitySpec())
    assert ModelSpec(kind="denoising") == ModelSpec(kind="denoising", noise=NoiseSpec())
    assert ModelSpec(kind="ae").sparsity is None and ModelSpec(kind="ae").noise is None
