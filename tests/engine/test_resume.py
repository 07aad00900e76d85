"""Durable runs: a run continues from its checkpoints exactly as if it had never stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from aeviewer.cli import main as cli_main
from aeviewer.data.dataset import Dataset
from aeviewer.errors import RunError
from aeviewer.training.checkpoints import (
    CHECKPOINT_DIR,
    list_checkpoints,
    newest_state,
    read_checkpoint,
)
from aeviewer.training.control import TrainingControl
from aeviewer.training.events import Checkpointed, EpochEnd, Finished, Resumable
from aeviewer.training.loop import train
from aeviewer.training.rundir import read_metrics

from .conftest import make_images, small_config


def _losses(events) -> list[dict[str, float]]:
    return [dict(e.train) | {f"val_{k}": v for k, v in e.val.items()} for e in events]


def _epochs(events) -> list[EpochEnd]:
    return [e for e in events if isinstance(e, EpochEnd)]


def _with_epochs(config, epochs: int):
    return config.with_changes(train=replace(config.train, epochs=epochs))


FAMILIES = {
    "ae": {},
    "sparse": {},
    "denoising": {},
    "vae": {},
    "stacked": {"hidden": (16, 8), "stage_epochs": 1},
    "gan": {"conv_channels": (4,)},
    "conv": {"conv_channels": (4, 8)},
}


@pytest.mark.parametrize("kind", list(FAMILIES))
def test_a_resumed_run_equals_one_never_interrupted(kind, vectors, tmp_path):
    data = make_images() if kind == "conv" else vectors
    # The default schedule (a warm-up and cosine decay over the whole run) included.
    config = small_config(kind, epochs=4, schedule="auto", **FAMILIES[kind])
    whole = list(train(config, data, run_dir=tmp_path / "whole"))
    control = TrainingControl()
    for event in train(config, data, control=control, run_dir=tmp_path / "parts"):
        if isinstance(event, EpochEnd) and event.epoch == 2:
            control.stop()  # as a kill would: the epoch-2 checkpoint is what resumes
    state, _ = newest_state(tmp_path / "parts")
    assert state.epoch == 2
    rest = list(train(config, data, run_dir=tmp_path / "parts", resume_from=state))
    assert rest[0].first_epoch == state.epoch
    assert _losses(_epochs(rest)) == _losses(_epochs(whole))[state.epoch :]
    metrics = read_metrics(tmp_path / "parts")
    assert [m["epoch"] for m in metrics] == [m["epoch"] for m in read_metrics(tmp_path / "whole")]
    assert [m["train"] for m in metrics] == [m["train"] for m in read_metrics(tmp_path / "whole")]
    a = load_file(tmp_path / "whole" / "model.safetensors")
    b = load_file(tmp_path / "parts" / "model.safetensors")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_a_finished_run_continues_in_memory_with_its_live_learning_rate(vectors):
    config = small_config("ae", epochs=3)
    control = TrainingControl()
    first = []
    for event in train(config, vectors, control=control):
        first.append(event)
        if isinstance(event, EpochEnd) and event.epoch == 1:
            control.set_lr(5e-4)
    (state,) = [e.state for e in first if isinstance(e, Resumable)]
    assert state.epoch == 3 and state.meta["optimizers"]["model"]["param_groups"][0]["lr"] == 5e-4
    more = list(train(_with_epochs(config, 5), vectors, resume_from=state))
    assert [e.epoch for e in _epochs(more)] == [4, 5]
    assert all(e.lr["model"] == 5e-4 for e in _epochs(more))
    assert isinstance(more[-1], Finished) and more[-1].epoch == 5


def test_learning_rate_changes_are_recorded_in_the_metrics(vectors, tmp_path):
    control = TrainingControl()
    for event in train(small_config(epochs=2), vectors, control=control, run_dir=tmp_path / "r"):
        if isinstance(event, EpochEnd) and event.epoch == 1:
            control.set_lr(2e-4)
    first, second = read_metrics(tmp_path / "r")
    assert "lr_changes" not in first
    assert second["lr_changes"] == [{"step": 6, "group": "model", "lr": 2e-4}]


def test_checkpoints_are_bounded_and_keep_the_best(vectors, tmp_path):
    config = small_config(epochs=12)
    config = config.with_changes(train=replace(config.train, keep_checkpoints=3))
    events = list(train(config, vectors, run_dir=tmp_path / "r"))
    # A slow disk may skip an epoch's checkpoint (a newer state replaces a waiting one), but
    # never the final one nor the best.
    written = [e.epoch for e in events if isinstance(e, Checkpointed)]
    assert written[-1] == 12
    checkpoints = list_checkpoints(tmp_path / "r")
    best = min(checkpoints, key=lambda c: c.val_loss)
    val = {m["epoch"]: m["val"]["loss"] for m in read_metrics(tmp_path / "r")}
    assert best.epoch == min(val, key=val.get)
    assert {c.epoch for c in checkpoints} == set(written[-3:]) | {best.epoch}
    files = sorted(p.name for p in (tmp_path / "r" / CHECKPOINT_DIR).iterdir())
    assert len(files) == 2 * len(checkpoints)


def test_a_slow_disk_skips_epochs_but_never_the_best_or_the_last(vectors, tmp_path, monkeypatch):
    from aeviewer.training import checkpoints as module

    write = module.write_checkpoint

    def slow_write(run_dir, state):
        time.sleep(0.05)
        return write(run_dir, state)

    monkeypatch.setattr(module, "write_checkpoint", slow_write)
    config = small_config(epochs=12)
    config = config.with_changes(train=replace(config.train, keep_checkpoints=1))
    events = list(train(config, vectors, run_dir=tmp_path / "r"))
    val = {e.epoch: e.val["loss"] for e in _epochs(events)}
    epochs = {c.epoch for c in list_checkpoints(tmp_path / "r")}
    assert epochs == {12, min(val, key=val.get)}


def test_names_sort_as_epochs_do(vectors, tmp_path):
    from aeviewer.training.checkpoints import checkpoint_stem

    names = [checkpoint_stem(e) for e in (9, 10, 9_999, 10_000, 123_456_789)]
    assert names == sorted(names)


def test_a_damaged_newest_checkpoint_falls_back_to_an_older_one(vectors, tmp_path):
    run = tmp_path / "r"
    list(train(small_config(epochs=3), vectors, run_dir=run))
    older, newest = list_checkpoints(run)[-2:]
    assert newest.epoch == 3
    data = newest.tensors_path.read_bytes()
    newest.tensors_path.write_bytes(data[: len(data) // 2])
    (run / CHECKPOINT_DIR / ".epoch-000000000004.safetensors.x.tmp").write_bytes(b"half")
    state, path = newest_state(run)
    assert state.epoch == older.epoch and path == older.meta_path
    with pytest.raises(RunError, match="truncated or altered"):
        read_checkpoint(newest.meta_path)
    newest.tensors_path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(RunError, match="SHA-256 does not match"):
        read_checkpoint(newest.meta_path)
    rest = list(train(small_config(epochs=4), vectors, run_dir=run, resume_from=state))
    assert [e.epoch for e in _epochs(rest)] == list(range(older.epoch + 1, 5))
    assert [m["epoch"] for m in read_metrics(run)] == [1, 2, 3, 4]
    assert not [p for p in (run / CHECKPOINT_DIR).iterdir() if p.name.endswith(".tmp")]


def test_foreign_and_incomplete_checkpoints_are_named(vectors, tmp_path):
    run = tmp_path / "r"
    list(train(small_config(epochs=1), vectors, run_dir=run))
    (checkpoint,) = list_checkpoints(run)
    meta = json.loads(checkpoint.meta_path.read_text())
    meta["version"] = 99
    checkpoint.meta_path.write_text(json.dumps(meta))
    with pytest.raises(RunError, match=r"epoch-000000000001\.json: checkpoint format version 99"):
        read_checkpoint(checkpoint.meta_path)
    with pytest.raises(RunError, match="no complete checkpoint"):
        newest_state(run)
    with pytest.raises(RunError, match="not a run directory"):
        newest_state(tmp_path / "nothing")


def test_other_data_or_another_model_is_refused(vectors, tmp_path):
    list(train(small_config(epochs=1), vectors, run_dir=tmp_path / "r"))
    state, _ = newest_state(tmp_path / "r")
    shuffled = Dataset(
        x=vectors.x[::-1].copy(), sample_shape=(12,), name="v", source="v", labels=vectors.labels
    )
    before = (tmp_path / "r" / "metrics.jsonl").read_bytes()
    with pytest.raises(RunError, match="differs in content"):
        list(train(small_config(epochs=2), shuffled, run_dir=tmp_path / "r", resume_from=state))
    with pytest.raises(RunError, match="a run continues only with its own model"):
        list(train(small_config("vae", epochs=2), vectors, resume_from=state))
    assert (tmp_path / "r" / "metrics.jsonl").read_bytes() == before


def test_cli_resume_refusals_are_one_line(tmp_path, capsys):
    assert cli_main(["train", "--resume", str(tmp_path), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"aeviewer: error: {tmp_path}: not a run directory (no config.json)"]
    run = tmp_path / "run"
    args = ["train", "--data", "builtin:moons", "--limit", "200", "--epochs", "2", "--quiet"]
    assert cli_main([*args, "--out", str(run)]) == 0
    capsys.readouterr()
    assert cli_main(["train", "--resume", str(run), "--quiet"]) == 2
    assert "has trained all its 2 epochs" in capsys.readouterr().err
    assert cli_main(["train", "--resume", str(run), "--epochs", "3", "--quiet"]) == 0
    assert [m["epoch"] for m in read_metrics(run)] == [1, 2, 3]
    assert json.loads((run / "config.json").read_text())["train"]["epochs"] == 3


@pytest.mark.parametrize("patience", [None, "1"])
def test_a_run_killed_before_its_model_was_saved_is_finished_without_training(
    tmp_path, capsys, patience
):
    """Killed after the last epoch's checkpoint, before the model (an elastic restart's case):
    resuming writes the model the run would have written, and trains no epoch again."""
    run = tmp_path / "run"
    args = ["train", "--data", "builtin:moons", "--limit", "300", "--epochs", "4", "--quiet"]
    args += ["--patience", patience] if patience else []
    assert cli_main([*args, "--out", str(run)]) == 0
    model = load_file(run / "model.safetensors")
    metrics = (run / "metrics.jsonl").read_bytes()
    (run / "model.safetensors").unlink()
    (run / "model.json").unlink()
    capsys.readouterr()
    assert cli_main(["train", "--resume", str(run), "--quiet"]) == 0
    assert (run / "metrics.jsonl").read_bytes() == metrics
    again = load_file(run / "model.safetensors")
    assert again.keys() == model.keys()
    assert all(torch.equal(again[k], model[k]) for k in model)
    assert json.loads((run / "model.json").read_text())["epoch"] == 4
    # Finished now: resuming it again is refused as before.
    assert cli_main(["train", "--resume", str(run), "--quiet"]) == 2
    assert "has trained all its 4 epochs" in capsys.readouterr().err


# -- a real kill of a real process -------------------------------------------------------------
TRAIN_ARGS = [
    "train",
    "--data",
    "builtin:shapes",
    "--limit",
    "1200",
    "--hidden",
    "256,128",
    "--latent",
    "4",
    "--batch-size",
    "64",
    "--seed",
    "3",
    "--quiet",
]
EPOCHS = 10


def _aeviewer(*args: str) -> subprocess.Popen:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "aeviewer", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_for_epochs(run: Path, epochs: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if len(read_metrics(run)) >= epochs:
            return
        time.sleep(0.01)


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_run_killed_with_sigkill_resumes_to_the_same_result(tmp_path):
    reference = _aeviewer(*TRAIN_ARGS, "--epochs", str(EPOCHS), "--out", str(tmp_path / "ref"))
    run = tmp_path / "run"
    process = _aeviewer(*TRAIN_ARGS, "--epochs", str(EPOCHS), "--out", str(run))
    # Kills at chosen epochs and at random moments inside epochs and checkpoint writes.
    rng = np.random.default_rng(0)
    kills = 0
    for target in (2, 4, 6, 8):
        _wait_for_epochs(run, target, process, timeout=120)
        time.sleep(float(rng.uniform(0.0, 0.15)))
        if process.poll() is not None:
            break
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        kills += 1
        process = _aeviewer("train", "--resume", str(run), "--quiet")
    assert process.wait(timeout=180) == 0, process.stderr.read().decode()
    assert reference.wait(timeout=180) == 0, reference.stderr.read().decode()
    assert kills >= 2
    ours, theirs = read_metrics(run), read_metrics(tmp_path / "ref")
    assert [m["epoch"] for m in ours] == list(range(1, EPOCHS + 1))
    assert [(m["train"], m["val"]) for m in ours] == [(m["train"], m["val"]) for m in theirs]
    a = load_file(run / "model.safetensors")
    b = load_file(tmp_path / "ref" / "model.safetensors")
    assert all(torch.equal(a[k], b[k]) for k in b)


def test_pruning_keeps_the_newest_and_the_best_by_validation_loss(vectors, tmp_path):
    from aeviewer.training.checkpoints import prune_checkpoints, write_checkpoint
    from aeviewer.training.state import TrainingState

    run = tmp_path / "r"
    list(train(small_config(epochs=1), vectors, run_dir=run))
    state, _ = newest_state(run)
    for epoch, val in zip(range(20, 26), (0.5, 0.1, 0.6, 0.7, 0.8, 0.9), strict=True):
        write_checkpoint(
            run, TrainingState(state.tensors, {**state.meta, "epoch": epoch, "val_loss": val})
        )
    prune_checkpoints(run, keep=2)
    assert [c.epoch for c in list_checkpoints(run)] == [21, 24, 25]


def test_cli_resume_on_changed_data_says_which_file_and_changes_nothing(tmp_path, capsys):
    data = tmp_path / "data.npy"
    rng = np.random.default_rng(0)
    np.save(data, rng.normal(size=(200, 6)).astype(np.float32))
    run = tmp_path / "run"
    args = ["train", "--data", str(data), "--latent", "2", "--hidden", "8", "--quiet"]
    assert cli_main([*args, "--epochs", "1", "--out", str(run)]) == 0
    np.save(data, rng.normal(size=(200, 6)).astype(np.float32))
    before = sorted(p.name for p in run.rglob("*")), (run / "metrics.jsonl").read_bytes()
    capsys.readouterr()
    assert cli_main(["train", "--resume", str(run), "--epochs", "2", "--quiet"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert str(run) in line and "differs in content" in line
    assert (sorted(p.name for p in run.rglob("*")), (run / "metrics.jsonl").read_bytes()) == before


def test_a_stop_during_set_up_ends_the_run_before_training(vectors):
    control = TrainingControl()
    control.stop()
    events = list(train(small_config(epochs=3), vectors, control=control))
    assert len(events) == 1 and events[0].reason == "stopped" and events[0].epoch == 0
