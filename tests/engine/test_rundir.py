"""Run directories: contents, the model loader, refusals and atomic writes."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
import torch

from aeviewer.config import RunConfig
from aeviewer.errors import RunError
from aeviewer.training.checkpoints import list_checkpoints, newest_state, write_checkpoint
from aeviewer.training.events import Checkpointed, Snapshot
from aeviewer.training.loop import train
from aeviewer.training.rundir import (
    MODEL_JSON,
    MODEL_WEIGHTS,
    RunDirectory,
    load_model,
    read_metrics,
    save_weights,
)

from .conftest import make_images, small_config


@pytest.fixture
def run(tmp_path, vectors):
    config = small_config("sparse", epochs=3)
    events = list(train(config, vectors, run_dir=tmp_path / "run"))
    return tmp_path / "run", config, events


def test_run_directory_contents(run):
    path, config, events = run
    # The config as trained: its automatic settings decided (none are left open).
    saved = RunConfig.load(path / "config.json")
    assert (saved.data, saved.model, saved.train.epochs) == (config.data, config.model, 3)
    assert saved.train.warmup_steps == 0 and saved.train.patience == 0
    metrics = read_metrics(path)
    assert [m["epoch"] for m in metrics] == [1, 2, 3]
    assert {"loss", "recon", "sparsity", "nll"} <= set(metrics[0]["train"])
    assert "mse" in metrics[0]["val"]
    # The newest two written are kept, plus the best by validation loss (here also the newest).
    written = [e.epoch for e in events if isinstance(e, Checkpointed)]
    assert written[-1] == 3
    assert [c.epoch for c in list_checkpoints(path)] == written[-2:]
    assert [c.meta_path.name for c in list_checkpoints(path)][-1] == "epoch-000000000003.json"
    assert json.loads((path / "data.json").read_text())["n_samples"] == 240
    meta = json.loads((path / MODEL_JSON).read_text())
    assert meta["kind"] == "sparse" and meta["data"]["sample_shape"] == [12]
    assert meta["epoch"] == 3 and meta["reason"] == "completed"
    assert not [p for p in path.rglob("*") if p.name.endswith(".tmp")]


def test_loaded_model_reproduces_the_last_snapshot(run, vectors):
    path, config, events = run
    model, loaded_config, record = load_model(path)
    assert loaded_config.model == config.model and record.data.sample_shape == (12,)
    snap = [e for e in events if isinstance(e, Snapshot)][-1]
    with torch.no_grad():
        recon = model(torch.from_numpy(vectors.x[snap.recon_indices]))
    np.testing.assert_allclose(recon.numpy(), snap.reconstructions, rtol=1e-5, atol=1e-6)
    again = load_model(path / MODEL_JSON)[2]
    assert (again.epoch, again.step, again.loss) == (record.epoch, record.step, record.loss)


def test_conv_model_round_trip(tmp_path):
    images = make_images()
    config = small_config("conv", epochs=1, conv_channels=(4, 8))
    list(train(config, images, run_dir=tmp_path / "conv"))
    model, _, record = load_model(tmp_path / "conv")
    assert record.data.sample_shape == (1, 9, 11)
    assert model(torch.from_numpy(images.x[:2])).shape == (2, 99)


def test_not_a_run_directory(tmp_path):
    with pytest.raises(RunError, match="not a run directory"):
        load_model(tmp_path)
    RunDirectory.create(tmp_path / "fresh", small_config())
    with pytest.raises(RunError, match="no final model yet"):
        load_model(tmp_path / "fresh")


def test_broken_model_files(run):
    path, _, _ = run
    meta = json.loads((path / MODEL_JSON).read_text())
    meta["config"]["model"]["hidden"] = [7]
    (path / MODEL_JSON).write_text(json.dumps(meta))
    with pytest.raises(RunError, match="do not fit"):
        load_model(path)
    (path / MODEL_JSON).write_text("{not json")
    with pytest.raises(RunError, match="not a readable"):
        load_model(path)
    (path / MODEL_JSON).write_text(json.dumps({"format": "something else"}))
    with pytest.raises(RunError, match="not an aeviewer model"):
        load_model(path)


def test_refuses_to_overwrite_a_run(run):
    path, config, _ = run
    with pytest.raises(RunError, match="already holds a run"):
        RunDirectory.create(path, config)


def test_a_failed_write_keeps_the_old_model(run, monkeypatch):
    path, _, _ = run
    before = (path / MODEL_WEIGHTS).read_bytes()
    model, _, _ = load_model(path)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(1.0)

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_checkpoint(path, newest_state(path)[0])
    with pytest.raises(OSError, match="disk full"):
        save_weights(path / MODEL_WEIGHTS, model)
    monkeypatch.undo()
    assert (path / MODEL_WEIGHTS).read_bytes() == before
    assert not [p for p in path.rglob("*") if p.name.endswith(".tmp")]
