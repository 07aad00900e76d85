"""Start, Pause/Resume, Step, Stop and Reset, clicked on the real buttons with the real engine."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from gui_helpers import TIMEOUT_MS, small_train
from PySide6.QtCore import Qt

from aeviewer.gui import dialogs
from aeviewer.gui.state import RunState
from aeviewer.gui.threads import running_threads
from aeviewer.training import loop
from aeviewer.training.events import EpochEnd, Finished, LrChanged, Started


def click(qtbot, window, name: str) -> None:
    button = window.training_panel.buttons[name]
    assert button.isEnabled(), f"{name} is disabled in state {window.state}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def is_epoch(event) -> bool:
    return isinstance(event, EpochEnd)


def enabled(window) -> set[str]:
    return {name for name, b in window.training_panel.buttons.items() if b.isEnabled()}


def test_start_runs_to_completion_and_draws_the_loss(qtbot, window):
    assert enabled(window) == {"start", "step"}
    events = []
    window.controller.event.connect(events.append)
    with qtbot.waitSignal(
        window.controller.event,
        timeout=TIMEOUT_MS,
        check_params_cb=lambda e: isinstance(e, Finished),
    ):
        click(qtbot, window, "start")
        assert window.state is RunState.RUNNING
        assert enabled(window) == {"pause", "stop", "reset"}
    qtbot.waitUntil(lambda: not running_threads(), timeout=TIMEOUT_MS)
    assert isinstance(events[0], Started)
    assert events[-1] == Finished("completed", 2, events[-1].step, events[-1].message)
    assert [e.epoch for e in events if isinstance(e, EpochEnd)] == [1, 2]
    assert window.state is RunState.FINISHED
    # The model is kept: Start and Step continue it, Reset throws it away.
    assert enabled(window) == {"start", "step", "reset"}
    loss = window.view("Loss")
    x, y = loss.curves[next(k for k in loss.curves if k.label == "train loss")].getData()
    assert list(x) == [1.0, 2.0]
    assert y[1] < y[0]
    assert "epoch 2/2" in window.status.position.text()
    assert window.status.device.text() == "device cpu"


def test_the_loss_view_draws_the_scheduled_learning_rate(qtbot, window):
    # 6 epochs of 5 steps, warmed up over the first 3 steps, then a cosine decay.
    spec = replace(small_train(6), schedule="cosine", warmup_steps=3)
    window.training_panel.set_spec(spec)
    with qtbot.waitSignal(
        window.controller.event,
        timeout=TIMEOUT_MS,
        check_params_cb=lambda e: isinstance(e, Finished),
    ):
        click(qtbot, window, "start")
    qtbot.waitUntil(lambda: not running_threads(), timeout=TIMEOUT_MS)
    loss = window.view("Loss")
    loss.flush()
    x, rates = loss.lr_curves["model"].getData()
    assert list(x) == [1, 2, 3, 4, 5, 6]
    assert 0 < rates[0] <= spec.lr
    assert all(later < earlier for earlier, later in itertools.pairwise(rates))


def test_pause_resume_step_stop_reset(qtbot, window):
    window.training_panel.set_spec(small_train(500))
    epochs: list[EpochEnd] = []
    window.controller.event.connect(lambda e: epochs.append(e) if is_epoch(e) else None)
    with qtbot.waitSignal(window.controller.event, timeout=TIMEOUT_MS, check_params_cb=is_epoch):
        click(qtbot, window, "start")

    click(qtbot, window, "pause")
    assert window.state is RunState.PAUSED
    assert window.controller.control.paused
    assert window.training_panel.buttons["pause"].text() == "Resume"
    assert enabled(window) == {"pause", "step", "stop", "reset"}
    control = window.controller.control

    def settled() -> bool:
        # The loop is blocked and every epoch it finished has reached the GUI thread.
        return control.waiting and len(epochs) == control.epochs_done

    qtbot.waitUntil(settled, timeout=TIMEOUT_MS)

    # Step: exactly one more epoch, then paused again.
    before = len(epochs)
    with qtbot.waitSignal(window.controller.event, timeout=TIMEOUT_MS, check_params_cb=is_epoch):
        click(qtbot, window, "step")
        assert window.state is RunState.RUNNING
    qtbot.waitUntil(lambda: window.state is RunState.PAUSED, timeout=TIMEOUT_MS)
    qtbot.waitUntil(settled, timeout=TIMEOUT_MS)
    assert len(epochs) == before + 1

    # Resume: epochs keep coming.
    with qtbot.waitSignal(window.controller.event, timeout=TIMEOUT_MS, check_params_cb=is_epoch):
        click(qtbot, window, "pause")
        assert window.state is RunState.RUNNING
        assert window.training_panel.buttons["pause"].text() == "Pause"

    with qtbot.waitSignal(
        window.controller.event,
        timeout=TIMEOUT_MS,
        check_params_cb=lambda e: isinstance(e, Finished) and e.reason == "stopped",
    ):
        click(qtbot, window, "stop")
    qtbot.waitUntil(lambda: window.state is RunState.FINISHED, timeout=TIMEOUT_MS)
    assert enabled(window) == {"start", "step", "reset"}
    assert window.view("Loss").curves
    assert window.status.state.text() == "stopped"

    click(qtbot, window, "reset")
    assert window.state is RunState.IDLE
    assert enabled(window) == {"start", "step"}
    assert not window.view("Loss").curves
    assert not [t for t in running_threads() if t.objectName() == "aeviewer-training"]


def test_step_from_idle_trains_one_epoch_then_pauses(qtbot, window):
    epochs: list[EpochEnd] = []
    window.controller.event.connect(lambda e: epochs.append(e) if is_epoch(e) else None)
    click(qtbot, window, "step")
    qtbot.waitUntil(lambda: window.state is RunState.PAUSED, timeout=TIMEOUT_MS)
    assert [e.epoch for e in epochs] == [1]
    assert window.status.state.text() == "paused"
    window.controller.reset()


def test_live_learning_rate_change_reaches_the_engine(qtbot, window):
    window.training_panel.set_spec(small_train(500))
    with qtbot.waitSignal(window.controller.event, timeout=TIMEOUT_MS, check_params_cb=is_epoch):
        click(qtbot, window, "start")
    with qtbot.waitSignal(
        window.controller.event,
        timeout=TIMEOUT_MS,
        check_params_cb=lambda e: isinstance(e, LrChanged),
    ) as changed:
        window.training_panel.lr.setValue(0.0005)
    assert changed.args[0].lr == pytest.approx(0.0005)
    with qtbot.waitSignal(
        window.controller.event, timeout=TIMEOUT_MS, check_params_cb=is_epoch
    ) as epoch:
        pass
    assert epoch.args[0].lr["model"] == pytest.approx(0.0005)
    loss = window.view("Loss")
    assert len(loss.lr_lines) == 1
    assert loss.lr_lines[0][1].label.toPlainText() == "lr 0.0005"
    window.controller.reset()


def test_engine_error_shows_a_dialog_and_the_app_lives_on(qtbot, window, monkeypatch):
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _, title, msg: errors.append((title, msg)))

    def broken(config, dataset, *, control, **_):
        yield from ()
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(loop, "train", broken)
    with qtbot.waitSignal(window.controller.errored, timeout=TIMEOUT_MS):
        click(qtbot, window, "start")
    assert errors == [("Training failed", "RuntimeError: the engine broke")]
    qtbot.waitUntil(lambda: window.state is RunState.FINISHED, timeout=TIMEOUT_MS)
    click(qtbot, window, "reset")
    assert window.state is RunState.IDLE


def test_invalid_config_for_the_data_gives_a_dialog(qtbot, window, monkeypatch):
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, msg: errors.append(msg))
    with qtbot.waitSignal(window.data_panel.dataset_changed, timeout=TIMEOUT_MS):
        window.data_panel.load("builtin:moons?n=400")
    window.model_panel.family.setCurrentIndex(window.model_panel.family.findData("conv"))
    with qtbot.waitSignal(window.controller.errored, timeout=TIMEOUT_MS):
        click(qtbot, window, "start")
    assert len(errors) == 1
    assert "image" in errors[0]
    window.controller.reset()


def test_settings_that_make_no_sense_say_so_and_train_nothing(qtbot, window, monkeypatch):
    from aeviewer.config import DataSpec
    from aeviewer.errors import DeviceError
    from aeviewer.training import setup

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _, t, msg: shown.append((t, msg)))
    monkeypatch.setattr(dialogs, "show_warning", lambda _, t, msg: shown.append((t, msg)))
    epochs: list[EpochEnd] = []
    window.controller.event.connect(lambda e: epochs.append(e) if is_epoch(e) else None)

    # A warm-up longer than the run (2 epochs of 5 steps).
    window.training_panel.set_spec(replace(small_train(2), warmup_steps=1000))
    with qtbot.waitSignal(window.controller.errored, timeout=TIMEOUT_MS):
        click(qtbot, window, "start")
    qtbot.waitUntil(lambda: not running_threads(), timeout=TIMEOUT_MS)
    assert "warm-up of 1000 steps" in shown[-1][1]
    window.controller.reset()

    # A precision the device cannot run.
    def refuse(precision, device):
        raise DeviceError("bf16 mixed precision cannot run on the test device; use fp32")

    monkeypatch.setattr(setup, "resolve_precision", refuse)
    window.training_panel.set_spec(replace(small_train(2), precision="bf16"))
    with qtbot.waitSignal(window.controller.errored, timeout=TIMEOUT_MS):
        click(qtbot, window, "start")
    qtbot.waitUntil(lambda: not running_threads(), timeout=TIMEOUT_MS)
    assert "cannot run on the test device" in shown[-1][1]
    window.controller.reset()

    # Early stopping without a validation split (an opened run's data had none).
    window.pin_data_spec(DataSpec(source=window.data_panel.source, val_fraction=0.0))
    window.training_panel.set_spec(replace(small_train(2), patience=3))
    with qtbot.waitSignal(window.controller.request_failed, timeout=TIMEOUT_MS):
        click(qtbot, window, "start")
    assert shown[-1][0] == "Cannot start training"
    assert "no validation split" in shown[-1][1]
    assert epochs == []
    assert window.state is RunState.IDLE


def test_diverged_run_says_what_to_try(qtbot, window, monkeypatch):
    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_warning", lambda _, t, msg: warnings.append((t, msg)))
    with qtbot.waitSignal(window.data_panel.dataset_changed, timeout=TIMEOUT_MS):
        window.data_panel.load("builtin:moons?n=400")
    # Plain SGD with step size 1000 on z-scored data overflows within the first epoch.
    window.training_panel.set_spec(replace(small_train(3), lr=1000.0, optimizer="sgd"))
    with qtbot.waitSignal(
        window.controller.event,
        timeout=TIMEOUT_MS,
        check_params_cb=lambda e: isinstance(e, Finished),
    ) as finished:
        click(qtbot, window, "start")
    assert finished.args[0].reason == "diverged"
    assert warnings and warnings[0][0] == "Training diverged"
    assert warnings[0][1] == finished.args[0].message
    window.controller.reset()


def test_closing_mid_training_stops_the_worker_without_waiting_for_it(qtbot, window, qtlog):
    window.training_panel.set_spec(small_train(500))
    with qtbot.waitSignal(window.controller.event, timeout=TIMEOUT_MS, check_params_cb=is_epoch):
        click(qtbot, window, "start")
    assert running_threads()
    window.close()
    # The worker ends by itself at its next batch; the window did not wait for it.
    qtbot.waitUntil(lambda: not running_threads(), timeout=TIMEOUT_MS)
    assert not [r for r in qtlog.records if "QThread" in r.message]
