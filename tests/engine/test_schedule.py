"""Training length, learning-rate schedule, early stopping and precision."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import pytest
import torch

from aeviewer.cli import main as cli_main
from aeviewer.config import DataSpec, RunConfig, TrainSpec
from aeviewer.errors import ConfigError
from aeviewer.training.devices import resolve_precision
from aeviewer.training.events import EpochEnd, Finished, Started
from aeviewer.training.loop import train
from aeviewer.training.schedule import (
    BASE_LR,
    HIGH_LR,
    HIGH_LR_KINDS,
    MAX_EPOCHS,
    MIN_EPOCHS,
    STEP_BUDGET,
    EarlyStopping,
    auto_lr,
    lr_factor,
    resolve_train_spec,
)

from .conftest import small_config


def test_the_step_budget_does_not_shrink_with_small_data():
    big = resolve_train_spec(TrainSpec(), n_train=60_000, has_val=True)
    small = resolve_train_spec(TrainSpec(), n_train=800, has_val=True)
    assert big.epochs == 18 > MIN_EPOCHS  # 469 steps an epoch: 18 epochs reach the budget
    # 7 steps an epoch: as many epochs as the budget needs, within the cap.
    assert small.epochs == min(MAX_EPOCHS, math.ceil(STEP_BUDGET / 7))
    assert small.patience > 0 and big.patience > 0
    assert small.schedule == "cosine" and 0 < small.warmup_steps <= 500


def test_given_epochs_mean_exactly_that_many():
    spec = resolve_train_spec(TrainSpec(epochs=30), n_train=800, has_val=True)
    assert spec.epochs == 30 and spec.patience == 0
    assert resolve_train_spec(TrainSpec(epochs=30, patience=5), 800, True).patience == 5
    assert resolve_train_spec(TrainSpec(), 800, True, kind="gan").schedule == "constant"


def test_the_automatic_learning_rate_is_decided_per_family():
    def lr(kind="ae", **spec):
        return resolve_train_spec(TrainSpec(**spec), 8000, True, kind=kind).lr

    assert sorted(HIGH_LR_KINDS) == ["ae", "conv", "denoising", "stacked"]
    for kind in HIGH_LR_KINDS:
        assert lr(kind) == HIGH_LR == 3e-3 and lr(kind, optimizer="adamw") == HIGH_LR
        # Measured only with Adam and the warm-up and cosine decay: elsewhere Adam's 1e-3.
        assert lr(kind, schedule="constant") == BASE_LR == 1e-3
        assert lr(kind, optimizer="sgd") == lr(kind, optimizer="rmsprop") == BASE_LR
    for kind in ("linear", "sparse", "vae", "gan"):
        assert lr(kind) == BASE_LR
    # A given rate is kept, whatever the family.
    assert lr("ae", lr=5e-4) == lr("gan", lr=5e-4) == 5e-4
    # The GAN's defaults are what they were: 1e-3 for both players, at a constant rate.
    gan = resolve_train_spec(TrainSpec(), 8000, True, kind="gan")
    assert (gan.lr, gan.lr_d, gan.schedule, gan.warmup_steps) == (1e-3, None, "constant", 0)
    # The panels ask with the schedule unresolved.
    assert auto_lr("ae") == auto_lr("ae", "cosine") == HIGH_LR and auto_lr("gan") == BASE_LR
    assert auto_lr("gan", "cosine") == BASE_LR


def test_a_run_records_the_rate_it_used_and_old_runs_keep_theirs(vectors, tmp_path):
    auto = small_config(epochs=2, schedule="cosine")
    auto = auto.with_changes(train=replace(auto.train, lr=None))
    events = list(train(auto, vectors, run_dir=tmp_path / "auto"))
    assert events[0].config.train.lr == HIGH_LR
    saved = RunConfig.load(tmp_path / "auto" / "config.json")
    assert saved.train.lr == HIGH_LR
    assert max(e.lr["model"] for e in events if isinstance(e, EpochEnd)) <= HIGH_LR
    # A run written before the rate was automatic holds the old default, and keeps it.
    old = saved.to_dict()
    old["train"]["lr"] = 1e-3
    assert resolve_train_spec(RunConfig.from_dict(old).train, 800, True).lr == 1e-3
    # A config without any rate (settings, sessions) reads as auto.
    del old["train"]["lr"]
    assert RunConfig.from_dict(old).train.lr is None


def test_the_cosine_schedule_warms_up_then_decays_to_zero():
    factors = [lr_factor(step, 100, 10, "cosine") for step in range(100)]
    assert factors[0] == pytest.approx(1 / 11) and factors[9] == pytest.approx(10 / 11)
    assert factors[10] == pytest.approx(1.0)
    assert all(a >= b for a, b in itertools.pairwise(factors[10:]))
    assert factors[-1] < 1e-3
    assert lr_factor(50, 100, 0, "constant") == 1.0


def test_early_stopping_counts_epochs_without_improvement():
    early = EarlyStopping(patience=2)
    assert early.update(1.0, 1) and not early.update(1.0, 2) and not early.should_stop
    assert not early.update(1.5, 3) and early.should_stop and early.best_epoch == 1


def test_the_engine_follows_the_schedule_and_reports_the_rate(vectors):
    config = small_config(epochs=4, schedule="cosine")
    config = config.with_changes(train=replace(config.train, warmup_steps=2))
    events = list(train(config, vectors))
    rates = [e.lr["model"] for e in events if isinstance(e, EpochEnd)]
    assert rates == sorted(rates, reverse=True)
    assert rates[-1] < 0.01 * config.train.lr
    started = events[0]
    assert isinstance(started, Started) and started.config.train.warmup_steps == 2


def test_early_stopping_keeps_the_best_weights(vectors):
    config = small_config(epochs=40)
    # A rate far too high makes the validation loss worse after a while.
    config = config.with_changes(train=replace(config.train, patience=2, lr=0.3, optimizer="sgd"))
    weights = {}
    events = []
    for event in train(config, vectors, on_model=lambda m: weights.setdefault("model", m)):
        events.append(event)
    finished = events[-1]
    ends = [e for e in events if isinstance(e, EpochEnd)]
    if finished.reason == "converged":
        best = min(ends, key=lambda e: e.val_loss)
        assert f"the weights of epoch {best.epoch}" in finished.message
        assert ends[-1].epoch == best.epoch + 2
    else:
        assert finished.reason in ("completed", "diverged")
    model = weights["model"]
    with torch.no_grad():
        assert all(torch.isfinite(p).all() for p in model.parameters())


def test_bad_settings_are_one_clear_line(tmp_path, capsys):
    base = ["train", "--data", "builtin:moons", "--limit", "300", "--quiet"]
    cases = [
        (["--epochs", "2", "--warmup-steps", "10000"], "warm-up of 10000 steps"),
        (["--val-fraction", "0", "--patience", "3"], "no validation split"),
    ]
    for extra, message in cases:
        assert cli_main([*base, *extra, "--out", str(tmp_path / "r")]) == 2
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], lines
        assert not (tmp_path / "r" / "metrics.jsonl").exists()
    with pytest.raises(SystemExit) as exited:
        cli_main([*base, "--precision", "fp8", "--out", str(tmp_path / "r")])
    assert exited.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_a_precision_the_device_cannot_run_is_one_line(tmp_path, capsys, monkeypatch):
    from aeviewer.errors import DeviceError
    from aeviewer.training import setup

    def refuse(precision, device):
        raise DeviceError("bf16 mixed precision cannot run on the test device; use fp32")

    monkeypatch.setattr(setup, "resolve_precision", refuse)
    args = ["train", "--data", "builtin:moons", "--limit", "300", "--quiet", "--epochs", "2"]
    assert cli_main([*args, "--precision", "bf16", "--out", str(tmp_path / "r")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "cannot run on the test device" in lines[0], lines
    assert not (tmp_path / "r" / "metrics.jsonl").exists()


def test_early_stopping_needs_a_validation_split():
    with pytest.raises(ConfigError, match="no validation split"):
        RunConfig(data=DataSpec(val_fraction=0.0), train=TrainSpec(patience=5))


def test_precision_choices_on_this_cpu():
    cpu = torch.device("cpu")
    assert resolve_precision("fp32", cpu) == (None, "")
    dtype, note = resolve_precision("auto", cpu)
    assert (dtype is torch.bfloat16) == ("bf16 mixed precision" in note)
    assert resolve_precision("bf16", cpu)[0] is torch.bfloat16


def test_bf16_trains_to_a_finite_loss(vectors):
    config = small_config(epochs=2)
    config = config.with_changes(train=replace(config.train, precision="bf16"))
    events = list(train(config, vectors))
    assert isinstance(events[-1], Finished) and events[-1].reason == "completed"
    assert all(math.isfinite(e.train_loss) for e in events if isinstance(e, EpochEnd))
