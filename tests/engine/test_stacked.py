"""The stacked autoencoder: greedy layer-wise pre-training, then end-to-end fine-tuning."""

from __future__ import annotations

import json

import pytest
import torch

from aeviewer.cli import main
from aeviewer.config import DataSpec, ModelSpec, RunConfig, SparsitySpec, TrainSpec
from aeviewer.data import load_source, prepare
from aeviewer.errors import ConfigError
from aeviewer.models.info import DataInfo
from aeviewer.models.registry import build_model
from aeviewer.models.stacked import StackedAutoencoder
from aeviewer.training.events import EpochEnd, Finished, Progress, Snapshot, Started
from aeviewer.training.loop import train
from aeviewer.training.stacked_trainer import StackedTrainer
from aeviewer.training.trainers import make_trainer

from .conftest import make_vectors, small_config

SHAPES = "builtin:shapes?n=1500&seed=3"
STAGES = ("layer1", "layer2", "layer3", "finetune")


@pytest.fixture(scope="module")
def shapes_run() -> list:
    """All events of a stacked run on the built-in shapes: 3 layers x 3 epochs, 4 fine-tuning."""
    config = RunConfig(
        data=DataSpec(source=SHAPES),
        model=ModelSpec(kind="stacked", hidden=(64, 32), latent=4, stage_epochs=3),
        train=TrainSpec(epochs=4, batch_size=64, lr=3e-3, device="cpu", n_eval=200, n_recon=8),
    )
    dataset = prepare(load_source(SHAPES), config.data)
    return list(train(config, dataset))


def _ends(events: list, stage: str) -> list[EpochEnd]:
    return [e for e in events if isinstance(e, EpochEnd) and e.stage == stage]


def test_events_name_every_stage(shapes_run):
    started = shapes_run[0]
    assert isinstance(started, Started) and started.stages == STAGES
    assert isinstance(shapes_run[-1], Finished) and shapes_run[-1].reason == "completed"
    ends = [e for e in shapes_run if isinstance(e, EpochEnd)]
    assert [e.stage for e in ends] == ["layer1"] * 3 + ["layer2"] * 3 + ["layer3"] * 3 + [
        "finetune"
    ] * 4
    assert [e.stage_epoch for e in ends] == [1, 2, 3] * 3 + [1, 2, 3, 4]
    assert [e.epoch for e in ends] == list(range(1, 14))
    progress_stages = {e.stage for e in shapes_run if isinstance(e, Progress)}
    snapshot_stages = [e.stage for e in shapes_run if isinstance(e, Snapshot)]
    assert progress_stages == set(STAGES) and snapshot_stages == [e.stage for e in ends]


def test_every_stage_lowers_its_own_loss(shapes_run):
    for stage in STAGES:
        ends = _ends(shapes_run, stage)
        assert ends[-1].train_loss < 0.9 * ends[0].train_loss, stage
        assert ends[-1].val_loss < ends[0].val_loss, stage


def test_finetuning_lowers_the_stacks_error_below_pretraining(shapes_run):
    after_pretraining = _ends(shapes_run, "layer3")[-1].val["mse"]
    after_finetuning = _ends(shapes_run, "finetune")[-1].val["mse"]
    assert after_finetuning < 0.8 * after_pretraining
    # The data-space stages report an NLL; the stages on codes have none.
    assert "nll" in _ends(shapes_run, "layer1")[0].train
    assert "nll" not in _ends(shapes_run, "layer2")[0].train


def test_pretraining_a_layer_leaves_the_other_layers_alone():
    dataset = make_vectors(n=64, d=12)
    config = small_config("stacked", hidden=(8, 6), latent=2)
    model = build_model(config.model, DataInfo.from_dataset(dataset))
    assert isinstance(model, StackedAutoencoder) and model.n_layers == 3
    trainer = make_trainer(model, config, torch.Generator().manual_seed(0))
    assert isinstance(trainer, StackedTrainer)
    assert trainer.epochs_in("layer2") == config.model.stage_epochs
    assert trainer.epochs_in("finetune") == config.train.epochs
    before = {k: v.clone() for k, v in model.state_dict().items()}
    trainer.begin_stage("layer2")
    terms = trainer.train_step(torch.from_numpy(dataset.x))
    assert set(terms) == {"loss", "recon"}
    changed = {k for k, v in model.state_dict().items() if not torch.equal(v, before[k])}
    assert changed == {
        "encoder.1.0.weight",
        "encoder.1.0.bias",
        "decoder.1.0.weight",
        "decoder.1.0.bias",
    }


def test_a_live_learning_rate_carries_into_the_next_stage():
    dataset = make_vectors(n=64, d=12)
    config = small_config("stacked", hidden=(8,), latent=2)
    model = build_model(config.model, DataInfo.from_dataset(dataset))
    trainer = make_trainer(model, config, torch.Generator().manual_seed(0))
    trainer.begin_stage("layer1")
    assert trainer.set_lr("model", 1e-4)
    trainer.begin_stage("layer2")
    assert trainer.learning_rates() == {"model": pytest.approx(1e-4)}


def test_the_stack_refuses_what_it_cannot_pre_train():
    info = DataInfo((12,), in_unit_interval=False)
    with pytest.raises(ConfigError, match="sparsity"):
        build_model(ModelSpec(kind="stacked", sparsity=SparsitySpec()), info)
    with pytest.raises(ConfigError, match="hidden layer"):
        ModelSpec(kind="stacked", hidden=())


def test_cli_trains_and_evaluates_a_stack(tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["train", "--data", "builtin:moons?n=400", "--model", "stacked", "--hidden", "16"]
    argv += ["--latent", "1", "--stage-epochs", "2", "--epochs", "2", "--device", "cpu"]
    assert main([*argv, "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "epoch 6/6" in captured.err and "completed after 6 epochs" in captured.out
    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["stage"] for r in records] == ["layer1"] * 2 + ["layer2"] * 2 + ["finetune"] * 2
    assert main(["evaluate", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["kind"] == "stacked" and result["model_mse"] > 0 and result["pca_mse"] > 0
