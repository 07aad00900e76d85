"""The training loop: events, control, determinism, divergence, one-class runs and devices."""

from __future__ import annotations

import queue
import threading
from dataclasses import replace

import numpy as np
import pytest
import torch

from aeviewer.config import DataSpec, TrainSpec
from aeviewer.errors import ConfigError, DeviceError
from aeviewer.training.control import TrainingControl
from aeviewer.training.devices import available_devices, resolve_device
from aeviewer.training.events import (
    EpochEnd,
    Finished,
    LrChanged,
    Progress,
    Snapshot,
    Started,
)
from aeviewer.training.loop import train

from .conftest import make_images, small_config

WAIT_S = 30.0


def _events(config, dataset, **kwargs):
    return list(train(config, dataset, **kwargs))


def _of(events, kind):
    return [e for e in events if isinstance(e, kind)]


def test_event_sequence_and_terms(vectors):
    events = _events(small_config(epochs=3), vectors)
    assert isinstance(events[0], Started) and isinstance(events[-1], Finished)
    started, finished = events[0], events[-1]
    assert finished.reason == "completed" and finished.epoch == 3
    assert started.n_train + started.n_val == vectors.n_samples
    assert started.n_batches == -(-started.n_train // 32)
    ends = _of(events, EpochEnd)
    assert [e.epoch for e in ends] == [1, 2, 3]
    assert set(ends[0].train) >= {"loss", "recon", "nll"}
    assert set(ends[0].val) >= {"loss", "recon", "nll", "mse"}
    assert ends[-1].lr == {"model": pytest.approx(3e-3)}
    progress = _of(events, Progress)
    assert progress and all(p.batch <= p.n_batches for p in progress)
    assert [p.step for p in progress] == sorted(p.step for p in progress)
    assert finished.step == 3 * started.n_batches


def test_losses_fall_and_beat_nothing(vectors):
    ends = _of(_events(small_config(epochs=6), vectors), EpochEnd)
    assert ends[-1].val_loss < ends[0].val_loss


def test_started_reports_the_pca_baseline(vectors):
    started = _events(small_config(epochs=1), vectors)[0]
    spectrum = started.pca_explained_variance
    assert spectrum.shape == (vectors.n_features,)
    assert np.all(np.diff(spectrum) <= 1e-6)
    assert started.pca_val_loss > 0
    assert started.stages == ("train",)


def test_snapshots_on_vectors(vectors):
    config = small_config(epochs=4)
    config = config.with_changes(train=replace(config.train, snapshot_every=2))
    snaps = _of(_events(config, vectors), Snapshot)
    assert [s.epoch for s in snaps] == [2, 4]
    s = snaps[-1]
    assert s.latents.shape == (50, 2) and s.scores.shape == (50,) and s.pca_scores.shape == (50,)
    assert s.originals.shape == s.reconstructions.shape == s.pca_reconstructions.shape == (4, 12)
    assert s.noisy is None
    np.testing.assert_array_equal(s.originals, vectors.x[s.recon_indices])
    np.testing.assert_array_equal(snaps[0].eval_indices, s.eval_indices)
    assert s.extras["pca_latents"].shape == (50, 2)


@pytest.mark.parametrize("kind", ["conv", "denoising"])
def test_snapshots_on_images(kind):
    images = make_images()
    config = small_config(kind, epochs=1, conv_channels=(4, 8))
    snap = _of(_events(config, images), Snapshot)[-1]
    assert snap.reconstructions.shape == (4, 1, 9, 11)
    assert snap.pca_reconstructions.shape == (4, 1, 9, 11)
    if kind == "denoising":
        assert snap.noisy.shape == (4, 1, 9, 11)
        assert not np.array_equal(snap.noisy, snap.originals)


def test_same_seed_same_losses_other_seed_other_losses(vectors):
    def val_losses(seed, kind="denoising"):
        config = small_config(kind, epochs=2)
        config = config.with_changes(train=replace(config.train, seed=seed))
        return [(e.train_loss, e.val_loss) for e in _of(_events(config, vectors), EpochEnd)]

    assert val_losses(0) == val_losses(0)
    assert val_losses(0) != val_losses(1)


def test_stop_within_one_batch(vectors):
    control = TrainingControl()
    gen = train(small_config(epochs=50), vectors, control=control, progress_interval=0.0)
    stopped_at = None
    events = []
    for event in gen:
        events.append(event)
        if isinstance(event, Progress) and event.step == 3:
            control.stop()
            stopped_at = event.step
    finished = events[-1]
    assert finished.reason == "stopped" and finished.step == stopped_at
    assert not _of(events[events.index(_of(events, Progress)[2]) + 1 : -1], Progress)


def test_live_learning_rate_change(vectors):
    control = TrainingControl()
    events = []
    for event in train(small_config(epochs=2), vectors, control=control, progress_interval=0.0):
        events.append(event)
        if isinstance(event, Progress) and event.step == 2:
            control.set_lr(0.0125)
    changes = _of(events, LrChanged)
    assert len(changes) == 1
    assert (changes[0].group, changes[0].lr, changes[0].step) == ("model", 0.0125, 2)
    assert all(e.lr["model"] == 0.0125 for e in _of(events, EpochEnd))


def _run_in_thread(config, dataset, control):
    events: queue.Queue = queue.Queue()

    def work():
        try:
            for event in train(config, dataset, control=control):
                events.put(event)
        except BaseException as exc:  # surfaced to the test below
            events.put(exc)

    thread = threading.Thread(target=work, name="test-training")
    thread.start()
    return thread, events


def _next_of(events: queue.Queue, kind):
    while True:
        event = events.get(timeout=WAIT_S)
        if isinstance(event, BaseException):
            raise event
        if isinstance(event, kind):
            return event


def test_pause_and_resume_from_another_thread(vectors):
    control = TrainingControl()
    control.pause()
    thread, events = _run_in_thread(small_config(epochs=2), vectors, control)
    try:
        assert isinstance(_next_of(events, Started), Started)
        # Paused before the first batch: nothing more comes until resumed.
        with pytest.raises(queue.Empty):
            events.get(timeout=0.3)
        assert control.paused
        control.resume()
        assert _next_of(events, Finished).reason == "completed"
    finally:
        control.stop()
        thread.join(WAIT_S)


def test_step_one_epoch_at_a_time(vectors):
    control = TrainingControl()
    control.allow_epochs(1)
    thread, events = _run_in_thread(small_config(epochs=5), vectors, control)
    try:
        assert _next_of(events, EpochEnd).epoch == 1
        _next_of(events, Snapshot)
        with pytest.raises(queue.Empty):
            events.get(timeout=0.3)
        assert control.paused
        control.allow_epochs(1)
        assert _next_of(events, EpochEnd).epoch == 2
        control.stop()
        finished = _next_of(events, Finished)
        assert (finished.reason, finished.epoch) == ("stopped", 2)
    finally:
        control.stop()
        thread.join(WAIT_S)


def test_infinite_loss_diverges_at_once(vectors):
    huge = replace(vectors, x=(vectors.x * np.float32(1e20)).astype(np.float32))
    events = _events(small_config(epochs=3), huge)
    finished = events[-1]
    assert finished.reason == "diverged" and finished.epoch == 0
    assert "learning rate" in finished.message and "clipping" in finished.message
    assert not _of(events, EpochEnd)


def test_divergence_keeps_the_last_finite_weights(vectors, tmp_path):
    config = small_config(epochs=5)
    config = config.with_changes(train=replace(config.train, optimizer="sgd"))
    control = TrainingControl()
    events = []
    for event in train(config, vectors, control=control, run_dir=tmp_path / "run"):
        events.append(event)
        if isinstance(event, EpochEnd) and event.epoch == 1:
            control.set_lr(1e12)
    finished = events[-1]
    assert finished.reason == "diverged" and finished.epoch == 1
    from aeviewer.training.checkpoints import list_checkpoints, newest_state
    from aeviewer.training.rundir import load_model

    # The diverged epoch left no checkpoint: a resume starts from the last good one.
    assert [c.epoch for c in list_checkpoints(tmp_path / "run")] == [1]
    model, _, record = load_model(tmp_path / "run")
    assert record.reason == "diverged" and record.epoch == 1
    assert all(torch.isfinite(p).all() for p in model.parameters())
    saved = newest_state(tmp_path / "run")[0].model_state()
    for name, value in model.state_dict().items():
        assert torch.equal(value, saved[name])


def test_gradient_clipping_runs(vectors):
    config = small_config(epochs=1)
    config = config.with_changes(train=replace(config.train, grad_clip=0.01))
    assert _events(config, vectors)[-1].reason == "completed"


def test_normal_class_trains_on_that_class_only(vectors):
    config = small_config(epochs=1)
    config = config.with_changes(data=replace(config.data, normal_class=1))
    events = _events(config, vectors)
    started = events[0]
    assert started.n_train + started.n_val == int(np.sum(vectors.labels == 1))
    snap = _of(events, Snapshot)[-1]
    assert set(vectors.labels[snap.eval_indices]) == {0, 1, 2}


def test_normal_class_needs_labels(vectors):
    config = small_config(epochs=1)
    config = config.with_changes(data=replace(config.data, normal_class=0))
    unlabelled = replace(vectors, labels=None)
    with pytest.raises(ConfigError, match="labels"):
        next(train(config, unlabelled))
    config = config.with_changes(data=replace(config.data, normal_class=7))
    with pytest.raises(ConfigError, match="does not exist"):
        next(train(config, vectors))


def test_identity_warning_reaches_started(vectors):
    started = _events(small_config(epochs=1, latent=12), vectors)[0]
    assert any("identity" in w for w in started.warnings)


def test_without_validation_split(vectors):
    config = small_config(epochs=1).with_changes(data=DataSpec(source="x", val_fraction=0.0))
    events = _events(config, vectors)
    assert events[0].n_val == 0 and _of(events, EpochEnd)[0].val == {}


def test_devices():
    devices = available_devices()
    assert devices[-1] == "cpu"
    assert str(resolve_device("auto")) == devices[0]
    assert resolve_device("CPU") == torch.device("cpu")
    with pytest.raises(DeviceError, match="not available"):
        resolve_device("cuda:63")
    with pytest.raises(DeviceError, match="unknown device"):
        resolve_device("banana")


def test_missing_device_fails_the_run(vectors):
    config = small_config(epochs=1)
    config = config.with_changes(train=replace(config.train, device="cuda:63"))
    with pytest.raises(DeviceError):
        next(train(config, vectors))


def test_loads_the_source_when_no_dataset_is_given():
    config = small_config(epochs=1)
    config = config.with_changes(
        data=DataSpec(source="builtin:shapes?n=200&seed=1"),
        train=TrainSpec(epochs=1, batch_size=64, device="cpu", n_eval=20, n_recon=2),
    )
    events = list(train(config))
    assert events[0].n_train == 160 and events[-1].reason == "completed"
    # The config with its automatic settings decided for the data.
    assert isinstance(events[0], Started) and events[0].config.model == config.model
    assert events[0].config.train.epochs == (config.train.epochs or events[0].config.train.epochs)


def test_large_data_uses_the_randomised_baseline(vectors, monkeypatch):
    import aeviewer.training.setup as setup

    exact = _events(small_config(epochs=1), vectors)[0]
    monkeypatch.setattr(setup, "RANDOMIZED_ABOVE", 0)
    randomized = _events(small_config(epochs=1), vectors)[0]
    assert randomized.pca_explained_variance.shape == (2,)
    np.testing.assert_allclose(
        randomized.pca_explained_variance, exact.pca_explained_variance[:2], rtol=1e-3
    )
    assert randomized.pca_val_loss == pytest.approx(exact.pca_val_loss, rel=1e-3)
