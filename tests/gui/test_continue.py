"""Continue: Start after a run ended, or after opening a model, trains the same model further."""

from __future__ import annotations

from gui_helpers import TIMEOUT_MS
from test_sessions import train_to_the_end, wait_done

from aeviewer.gui.state import RunState
from aeviewer.gui.views.loss_history import CurveKey
from aeviewer.training.events import EpochEnd, Finished, Started


def run_to_finished(qtbot, window) -> list:
    events: list = []
    window.controller.event.connect(events.append)
    with qtbot.waitSignal(
        window.controller.event,
        timeout=TIMEOUT_MS,
        check_params_cb=lambda e: isinstance(e, Finished),
    ):
        assert window.controller.start()
    qtbot.waitUntil(lambda: window.state is RunState.FINISHED, timeout=TIMEOUT_MS)
    window.controller.event.disconnect(events.append)
    return events


def test_start_after_a_finished_run_continues_it(qtbot, window):
    first = run_to_finished(qtbot, window)
    assert window.controller.continues
    weights = {k: v.clone() for k, v in window.model_mirror.model.state_dict().items()}
    more = run_to_finished(qtbot, window)
    started = more[0]
    assert isinstance(started, Started) and started.first_epoch == 2
    assert started.total_epochs == 4
    assert [e.epoch for e in more if isinstance(e, EpochEnd)] == [3, 4]
    # The loss curve goes on from the first run's epochs.
    x, _ = window.view("Loss").curve_data(CurveKey("train", "loss"))
    assert list(x) == [1.0, 2.0, 3.0, 4.0]
    assert "epoch 4/4" in window.status.position.text()
    assert first[-1].step < more[-1].step
    # The continued model started from the first run's weights, not from scratch.
    assert any(not v.equal(weights[k]) for k, v in window.model_mirror.model.state_dict().items())
    window.controller.reset()
    assert not window.controller.continues


def test_an_opened_model_continues_from_its_weights_with_a_fresh_optimiser(qtbot, window, tmp_path):
    train_to_the_end(qtbot, window)
    path = tmp_path / "model.safetensors"
    wait_done(qtbot, window, "export", lambda: window.files.export_model_to(path))
    window.controller.reset()
    wait_done(qtbot, window, "model", lambda: window.files.open_model_from(path))
    assert window.controller.continues and window.controller.resume_state.weights_only
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    more = run_to_finished(qtbot, window)
    assert more[0].first_epoch == 2
    assert [e.epoch for e in more if isinstance(e, EpochEnd)] == [3, 4]
    assert any("fresh optimiser" in m for m in messages)


def test_a_reopened_session_continues_with_its_whole_state_and_lr_markers(qtbot, window, tmp_path):
    from aeviewer.training.events import LrChanged

    # One epoch, paused after it (so the change lands before epoch 2 however slow the GUI
    # thread is), then a new rate and the rest of the run.
    controller = window.controller
    window.controller.step()
    qtbot.waitUntil(lambda: controller.state is RunState.PAUSED, timeout=TIMEOUT_MS)
    controller.set_lr(5e-4)
    with qtbot.waitSignal(
        controller.event, timeout=TIMEOUT_MS, check_params_cb=lambda e: isinstance(e, Finished)
    ):
        controller.toggle_pause()
    qtbot.waitUntil(lambda: window.state is RunState.FINISHED, timeout=TIMEOUT_MS)
    path = tmp_path / "work.aev"
    wait_done(qtbot, window, "save", lambda: window.files.save_session_to(path))
    window.controller.reset()
    assert not window.view("Loss").lr_lines
    wait_done(qtbot, window, "open", lambda: window.files.open_session_from(path))
    state = window.controller.resume_state
    assert state is not None and not state.weights_only and state.epoch == 2
    (marker,) = window.view("Loss").lr_lines
    assert isinstance(marker[0], LrChanged) and marker[0].lr == 5e-4
    more = run_to_finished(qtbot, window)
    assert more[0].first_epoch == 2
    assert all(e.lr["model"] == 5e-4 for e in more if isinstance(e, EpochEnd))
