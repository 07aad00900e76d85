"""Open run directory…: the views follow a run directory as the engine writes it."""

from __future__ import annotations

import json
from dataclasses import replace

from gui_helpers import SMALL_MODEL, SMALL_SOURCE, TIMEOUT_MS, small_train

from aeviewer.config import DataSpec, RunConfig
from aeviewer.gui.views.loss_history import CurveKey
from aeviewer.io import RunFollower
from aeviewer.training.checkpoints import newest_state, write_checkpoint
from aeviewer.training.loop import train
from aeviewer.training.state import TrainingState


def write_run(window, run_dir) -> None:
    """Train two epochs on the window's data set into ``run_dir`` (a checkpoint each epoch)."""
    config = RunConfig(
        data=DataSpec(source=SMALL_SOURCE),
        model=SMALL_MODEL,
        train=replace(small_train(2), checkpoint_every=1),
    )
    for _ in train(config, window.dataset, run_dir=run_dir):
        pass


def test_the_views_follow_a_run_directory(qtbot, window, tmp_path):
    run_dir = tmp_path / "run"
    write_run(window, run_dir)
    following = window.following
    with qtbot.waitSignal(following.snapshot_shown, timeout=TIMEOUT_MS) as shown:
        assert following.follow(run_dir) is not None
    assert shown.args == [2]
    loss = window.view("Loss")
    key = CurveKey("train", "loss")
    qtbot.waitUntil(lambda: len(loss.curve_data(key)[0]) == 2, timeout=TIMEOUT_MS)
    # metrics.jsonl carries each epoch's learning rate: the lr curve comes back too.
    assert list(loss.lr_curve_data("model")[1]) == [1e-3, 1e-3]
    assert len(window.view("Latent space").frames) == 1
    assert window.model_mirror.has_model

    # The run goes on: one more epoch line, then its checkpoint.
    metrics = run_dir / "metrics.jsonl"
    last = json.loads(metrics.read_text().splitlines()[-1])
    last["epoch"], last["step"] = 3, last["step"] + 5
    with metrics.open("a") as handle:
        handle.write(json.dumps(last) + "\n")
    qtbot.waitUntil(lambda: len(loss.curve_data(key)[0]) == 3, timeout=TIMEOUT_MS)
    state, _ = newest_state(run_dir)
    with qtbot.waitSignal(following.snapshot_shown, timeout=TIMEOUT_MS) as shown:
        write_checkpoint(run_dir, TrainingState(state.tensors, {**state.meta, "epoch": 3}))
    assert shown.args == [3]
    # What Start would continue is the newest checkpoint's whole training state.
    assert window.controller.resume_state.epoch == 3
    assert len(window.view("Latent space").frames) == 2
    window.controller.reset()
    assert not following.following


def test_a_folder_without_a_run_gives_an_error(qtbot, window, tmp_path, monkeypatch):
    from aeviewer.gui import dialogs

    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _, title, msg: errors.append(msg))
    # Not waitSignal on the task's finished: connected after the start, it can miss one
    # the pool thread already emitted.
    window.following.follow(tmp_path)
    qtbot.waitUntil(lambda: bool(errors), timeout=TIMEOUT_MS)
    assert len(errors) == 1 and "not a run directory" in errors[0]
    assert not window.following.following


def test_following_is_offered_only_while_no_run_trains(qtbot, window):
    from aeviewer.gui.state import RunState

    action = window.following.action
    assert action.isEnabled()
    window.training_panel.set_spec(small_train(200))
    assert window.controller.start()
    assert not action.isEnabled()
    window.controller.stop()
    qtbot.waitUntil(lambda: window.state is RunState.FINISHED, timeout=TIMEOUT_MS)
    assert action.isEnabled()


def test_a_run_is_shown_on_its_own_data_preparation_and_its_end_is_noticed(qtbot, window, tmp_path):
    run_dir = tmp_path / "run"
    config = RunConfig(
        data=DataSpec(source=SMALL_SOURCE, normalize="zscore", limit=150),
        model=SMALL_MODEL,
        train=small_train(2),
    )
    for _ in train(config, run_dir=run_dir):
        pass
    following = window.following
    statuses: list[tuple[str, str]] = []
    following.status_changed.connect(lambda state, text: statuses.append((state, text)))
    with qtbot.waitSignal(following.snapshot_shown, timeout=TIMEOUT_MS):
        following.follow(run_dir)
    assert window.dataset.n_samples == 150
    assert window.dataset.normalization.kind == "zscore"
    assert window.run_config().data == config.data
    qtbot.waitUntil(lambda: bool(statuses), timeout=TIMEOUT_MS)
    assert statuses[-1][0] == "finished" and "finished after epoch 2" in statuses[-1][1]


def test_a_stalled_run_shows_the_resume_command(qtbot, window, tmp_path, monkeypatch):
    from aeviewer.io import follow

    run_dir = tmp_path / "run"
    write_run(window, run_dir)
    (run_dir / "model.json").unlink()
    monkeypatch.setattr(follow, "STALLED_AFTER_S", 0.0)
    monkeypatch.setattr(follow, "STALLED_EPOCHS", 0.0)
    following = window.following
    with qtbot.waitSignal(following.status_changed, timeout=TIMEOUT_MS) as status:
        following.follow(run_dir)
    assert status.args[0] == "stalled"
    assert f"aeviewer train --resume {run_dir}" in window.statusBar().currentMessage()


def test_learning_rate_markers_come_back_while_following(qtbot, window, tmp_path):
    run_dir = tmp_path / "run"
    write_run(window, run_dir)
    lines = (run_dir / "metrics.jsonl").read_text().splitlines()
    second = json.loads(lines[1])
    second["lr_changes"] = [{"step": second["step"] - 1, "group": "model", "lr": 1e-4}]
    (run_dir / "metrics.jsonl").write_text(lines[0] + "\n" + json.dumps(second) + "\n")
    assert len(RunFollower(run_dir).poll()) == 3
    with qtbot.waitSignal(window.following.snapshot_shown, timeout=TIMEOUT_MS):
        window.following.follow(run_dir)
    loss = window.view("Loss")
    qtbot.waitUntil(lambda: len(loss.lr_lines) == 1, timeout=TIMEOUT_MS)
    assert loss.lr_lines[0][0].lr == 1e-4
