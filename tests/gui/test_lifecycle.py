"""The life of runs and workers: nothing waits on the GUI thread, and nothing outlives its run."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import pytest
from gui_helpers import TIMEOUT_MS, small_train
from PySide6.QtCore import QCoreApplication

from aeviewer.data.dataset import Dataset
from aeviewer.gui import controller as controller_module
from aeviewer.gui.state import RunState
from aeviewer.gui.threads import pool, running_threads
from aeviewer.training.events import EpochEnd, Finished, Progress, Started

#: The longest a click on Stop or Reset, or closing the window, may keep the GUI thread.
RESPONSE_S = 0.1


def alive(kind: type) -> int:
    """How many objects of ``kind`` the garbage collector can see."""
    return sum(type(o) is kind for o in gc.get_objects())


def settle(qtbot) -> None:
    """Let every worker end and every deferred deletion run, then collect."""
    qtbot.waitUntil(lambda: not running_threads(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not pool().workers(), timeout=TIMEOUT_MS)
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, 0)  # deleteLater
        QCoreApplication.processEvents()
    gc.collect()


@pytest.mark.parametrize("cycles", [10, pytest.param(50, marks=pytest.mark.slow)])
def test_train_reset_cycles_leave_no_run_worker_or_data_behind(qtbot, window, monkeypatch, cycles):
    """Each cycle starts the real engine, waits for its first batch and resets mid-run."""
    window.training_panel.set_spec(small_train(500))
    controller = window.controller
    made: list[weakref.ref] = []
    real_worker = controller_module.training_worker

    def recording_worker(source, control):
        worker = real_worker(source, control)
        made.extend([weakref.ref(worker), weakref.ref(worker.signals), weakref.ref(control)])
        return worker

    monkeypatch.setattr(controller_module, "training_worker", recording_worker)
    real_source = controller.make_source

    def recording_source(config, dataset, **kwargs):
        made.append(weakref.ref(config))
        return real_source(config, dataset, **kwargs)

    controller.make_source = recording_source
    settle(qtbot)
    datasets_before = alive(Dataset)

    for _ in range(cycles):
        with qtbot.waitSignal(controller.progress, timeout=TIMEOUT_MS):
            controller.start()
        controller.reset()
    assert controller.state is RunState.IDLE
    settle(qtbot)

    left = [r() for r in made if r() is not None]
    assert not left, (
        f"still referenced after {cycles} runs: {sorted({type(o).__name__ for o in left})}"
    )
    # The runs' prepared copies of the data (train/validation splits, snapshots) are gone too.
    assert alive(Dataset) <= datasets_before
    assert not pool().workers()


def test_stop_reset_and_close_return_while_the_worker_is_busy(qtbot, window):
    """The worker is stuck in a step that checks nothing; the GUI thread waits for none of it."""
    entered, release = threading.Event(), threading.Event()

    def stuck(config, dataset, **kwargs):
        def source(control):
            entered.set()
            release.wait(TIMEOUT_MS / 1000)
            yield Finished("stopped", 0, 0)

        return source

    controller = window.controller
    controller.make_source = stuck
    controller.start()
    assert entered.wait(TIMEOUT_MS / 1000)
    took = {}
    try:
        for name, act in (
            ("stop", controller.stop),
            ("reset", controller.reset),
            ("close", window.close),
        ):
            started = time.perf_counter()
            act()
            took[name] = time.perf_counter() - started
            assert running_threads(), f"{name} waited for the worker"
    finally:
        release.set()
    qtbot.waitUntil(lambda: not running_threads(), timeout=TIMEOUT_MS)
    assert max(took.values()) < RESPONSE_S, took


def first_run_replaced(controller, first) -> list[str]:
    """Make the controller's first run ``first`` (an event source), later runs real ones;
    the list returned names the runs made, in order."""
    sources: list[str] = []
    real_source = controller.make_source

    def make_source(config, dataset, **kwargs):
        if sources:
            sources.append("second")
            return real_source(config, dataset, **kwargs)
        sources.append("first")
        return first

    controller.make_source = make_source
    return sources


def test_a_start_right_after_reset_waits_for_the_old_run_to_end(qtbot, window):
    entered, release = threading.Event(), threading.Event()

    def stuck(control):
        entered.set()
        release.wait(TIMEOUT_MS / 1000)
        yield Finished("stopped", 0, 0)

    controller = window.controller
    first_run_replaced(controller, stuck)
    controller.start()
    assert entered.wait(TIMEOUT_MS / 1000)
    controller.reset()
    events: list[object] = []
    controller.event.connect(events.append)
    controller.start()
    assert controller.waiting_for_previous_run
    # The let-go run only (the window's device list may still be loading beside it).
    training = [w for w in running_threads() if w.objectName() == "aeviewer-training"]
    assert len(training) == 1
    with qtbot.waitSignal(
        controller.event, timeout=TIMEOUT_MS, check_params_cb=lambda e: isinstance(e, Started)
    ):
        release.set()
    assert not controller.waiting_for_previous_run
    controller.reset()


def test_a_start_queued_behind_a_worker_whose_end_is_on_its_way_still_starts(qtbot, window):
    """The race that hung a Start after Reset: the pool thread has emitted ``finished`` (the
    event is posted, not yet delivered) but has not yet marked the worker done when Reset lets
    it go. A connection made to ``finished`` at that moment would never fire."""

    def ends_at_once(control):
        yield Finished("stopped", 0, 0)

    controller = window.controller
    sources = first_run_replaced(controller, ends_at_once)
    controller.start()
    worker = controller._worker
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    # Without processing events: finished is emitted in the pool thread, still undelivered.
    while worker._state != "done" and time.monotonic() < deadline:
        time.sleep(0.01)
    worker._state = "running"  # the moment between the emit and the state's change
    controller.reset()
    with qtbot.waitSignal(
        controller.event, timeout=TIMEOUT_MS, check_params_cb=lambda e: isinstance(e, Started)
    ):
        controller.start()
    assert sources == ["first", "second"]
    assert not controller.waiting_for_previous_run
    worker._state = "done"
    controller.reset()


def test_a_stop_during_set_up_ends_the_run_before_its_first_epoch(qtbot, window):
    controller = window.controller
    events: list[object] = []
    controller.event.connect(events.append)
    with qtbot.waitSignal(
        controller.event, timeout=TIMEOUT_MS, check_params_cb=lambda e: isinstance(e, Finished)
    ):
        controller.start()
        controller.stop()
        assert controller.state is RunState.STOPPING
    qtbot.waitUntil(lambda: controller.state is RunState.FINISHED, timeout=TIMEOUT_MS)
    assert not [e for e in events if isinstance(e, EpochEnd | Progress)]


@pytest.mark.parametrize("when", ["paused", "running"])
def test_reset_of_a_paused_or_running_run_lets_its_worker_end(qtbot, window, when):
    window.training_panel.set_spec(small_train(500))
    controller = window.controller
    with qtbot.waitSignal(
        controller.event, timeout=TIMEOUT_MS, check_params_cb=lambda e: isinstance(e, EpochEnd)
    ):
        controller.start()
    if when == "paused":
        controller.toggle_pause()
        qtbot.waitUntil(lambda: controller.control.waiting, timeout=TIMEOUT_MS)
    controller.reset()
    qtbot.waitUntil(lambda: not running_threads(), timeout=TIMEOUT_MS)
