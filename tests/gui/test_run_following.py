"""Open run directory…: the views follow a run directory as the engine writes it."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

from conftest import SMALL_MODEL, SMALL_SOURCE, TIMEOUT_MS, small_train

from aeviewer.config import DataSpec, RunConfig
from aeviewer.gui.views.loss_history import CurveKey
from aeviewer.training.loop import train


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
    assert len(window.view("Latent space").frames) == 1
    assert window.model_mirror.has_model

    # The run goes on: one more epoch line, then its checkpoint.
    metrics = run_dir / "metrics.jsonl"
    last = json.loads(metrics.read_text().splitlines()[-1])
    last["epoch"], last["step"] = 3, last["step"] + 5
    with metrics.open("a") as handle:
        handle.write(json.dumps(last) + "\n")
    qtbot.waitUntil(lambda: len(loss.curve_data(key)[0]) == 3, timeout=TIMEOUT_MS)
    checkpoints = run_dir / "checkpoints"
    with qtbot.waitSignal(following.snapshot_shown, timeout=TIMEOUT_MS) as shown:
        shutil.copy(checkpoints / "epoch-0002.safetensors", checkpoints / "epoch-0003.safetensors")
    assert shown.args == [3]
    assert len(window.view("Latent space").frames) == 2
    window.controller.reset()
    assert not following.following


def test_a_folder_without_a_run_gives_an_error(qtbot, window, tmp_path, monkeypatch):
    from aeviewer.gui import dialogs

    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _, title, msg: errors.append(msg))
    task = window.following.follow(tmp_path)
    with qtbot.waitSignal(task.finished, timeout=TIMEOUT_MS):
        pass
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
