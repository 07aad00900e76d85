"""Background workers: throttled progress, every other event delivered, errors, cancellation."""

from __future__ import annotations

import multiprocessing
import threading

import numpy as np
import pytest
from PySide6.QtCore import Qt

from aeviewer.errors import DatasetError
from aeviewer.gui.state import RunState, enabled_controls
from aeviewer.gui.threads import FunctionWorker, running_threads
from aeviewer.gui.worker import MAX_PROGRESS_RATE, training_worker
from aeviewer.training.control import TrainingControl
from aeviewer.training.events import EpochEnd, Finished, Progress

TIMEOUT_MS = 30_000


def burst(n_epochs: int, n_batches: int):
    """A source that yields progress far faster than the GUI needs it (a test double)."""

    def source(control):
        step = 0
        for epoch in range(1, n_epochs + 1):
            for batch in range(1, n_batches + 1):
                if not control.checkpoint():
                    yield Finished("stopped", epoch - 1, step)
                    return
                step += 1
                yield Progress(epoch, batch, n_batches, step, 1.0 / step, 1e6)
            yield EpochEnd(epoch, step, {"loss": 1.0 / epoch}, {}, {"model": 1e-3}, 0.01, 1e6)
            control.epoch_finished()
        yield Finished("completed", n_epochs, step)

    return source


def test_progress_is_throttled_and_epochs_always_arrive(qtbot):
    worker = training_worker(burst(5, 20_000), TrainingControl())
    progress: list[Progress] = []
    events: list[object] = []

    def take(item: object) -> None:
        (progress if isinstance(item, Progress) else events).append(item)

    worker.signals.yielded.connect(take)
    with qtbot.waitSignal(worker.signals.finished, timeout=TIMEOUT_MS):
        worker.start()
    assert [e.epoch for e in events if isinstance(e, EpochEnd)] == [1, 2, 3, 4, 5]
    assert isinstance(events[-1], Finished)
    assert 1 <= len(progress) < 100_000 / 50
    steps = [p.step for p in progress]
    assert steps == sorted(steps)
    assert MAX_PROGRESS_RATE <= 30
    qtbot.waitUntil(lambda: not running_threads(), timeout=TIMEOUT_MS)


def test_an_exception_becomes_errored_and_the_worker_ends(qtbot):
    def source(control):
        yield Progress(1, 1, 1, 1, 0.5, 10.0)
        raise ValueError("bad batch")

    worker = training_worker(source, TrainingControl())
    with (
        qtbot.waitSignal(worker.signals.errored, timeout=TIMEOUT_MS) as errored,
        qtbot.waitSignal(worker.signals.finished, timeout=TIMEOUT_MS),
    ):
        worker.start()
    assert errored.args == ["ValueError: bad batch"]
    # The pool thread lets go of the worker just after its last signal.
    qtbot.waitUntil(lambda: not worker.is_running(), timeout=TIMEOUT_MS)


def test_a_stop_releases_a_pause_and_the_worker_ends(qtbot):
    control = TrainingControl()
    control.allow_epochs(1)
    worker = training_worker(burst(1000, 100), control)
    with qtbot.waitSignal(
        worker.signals.yielded,
        timeout=TIMEOUT_MS,
        check_params_cb=lambda e: isinstance(e, EpochEnd),
    ):
        worker.start()
    with qtbot.waitSignal(worker.signals.finished, timeout=TIMEOUT_MS):
        control.stop()
    qtbot.waitUntil(lambda: not worker.is_running(), timeout=TIMEOUT_MS)


def test_quit_closes_the_generator_where_it_stands(qtbot):
    closed = threading.Event()

    def endless(control):
        try:
            while True:
                yield Progress(1, 1, 1, 1, 0.5, 10.0)
        finally:
            closed.set()

    worker = training_worker(endless, TrainingControl())
    with qtbot.waitSignal(worker.signals.yielded, timeout=TIMEOUT_MS):
        worker.start()
    with qtbot.waitSignal(worker.signals.aborted, timeout=TIMEOUT_MS):
        worker.quit()
    assert closed.is_set()


def test_function_worker_success_failure_and_cancel(qtbot):
    worker = FunctionWorker(lambda progress, cancel: (progress(1, 2), 42)[1], "ok")
    with qtbot.waitSignal(worker.signals.returned, timeout=TIMEOUT_MS) as ok:
        worker.start()
    assert ok.args == [42]

    def fail(progress, cancel):
        raise DatasetError("data.csv: row 3, column 2: not a number")

    worker = FunctionWorker(fail, "fail")
    with qtbot.waitSignal(worker.signals.errored, timeout=TIMEOUT_MS) as failed:
        worker.start()
    assert failed.args == ["data.csv: row 3, column 2: not a number"]

    started = threading.Event()

    def slow(progress, cancel):
        started.set()
        while not cancel():
            threading.Event().wait(0.005)
        raise DatasetError("cancelled")

    worker = FunctionWorker(slow, "slow")
    with qtbot.waitSignal(worker.signals.aborted, timeout=TIMEOUT_MS):
        worker.start()
        assert started.wait(10)
        worker.quit()
    qtbot.waitUntil(lambda: not worker.is_running())


@pytest.mark.parametrize(
    "state, expected",
    [
        (RunState.IDLE, {"start", "step", "start_pause"}),
        (RunState.RUNNING, {"pause", "stop", "reset", "start_pause"}),
        (RunState.PAUSED, {"pause", "step", "stop", "reset", "start_pause"}),
        (RunState.STOPPING, set()),
        (RunState.FINISHED, {"start", "step", "reset", "start_pause"}),
    ],
)
def test_controls_per_state(state, expected):
    assert {name for name, on in enabled_controls(state).items() if on} == expected


def test_a_stop_before_the_step_budget_runs_out_still_stops():
    # The GUI's Stop can land between a stepped epoch's end and the loop's epoch_finished().
    control = TrainingControl()
    control.allow_epochs(1)
    control.stop()
    control.epoch_finished()
    control.pause()
    results: list[bool] = []
    loop = threading.Thread(target=lambda: results.append(control.checkpoint()))
    loop.start()
    loop.join(10)
    stuck = loop.is_alive()
    control.resume()  # frees a stuck loop so that the failure is reported, not a hang
    loop.join()
    assert not stuck, "the loop stayed paused after a stop"
    assert results == [False]


def test_a_step_asked_while_an_epoch_is_ending_trains_the_next_one():
    # The GUI sees EpochEnd(n) and the user clicks Step while the loop still takes epoch n's
    # snapshot: epoch n's end must not use up the step, epoch n + 1 must run.
    control = TrainingControl()
    assert control.checkpoint(timeout=5)  # the last batch of epoch n
    control.pause()
    control.allow_epochs(1)
    control.epoch_finished()  # epoch n ends, no batch ran since the request
    assert not control.paused
    assert control.checkpoint(timeout=5)  # a batch of epoch n + 1
    control.epoch_finished()
    assert control.paused


def test_a_result_for_a_deleted_receiver_is_dropped(qtbot):
    from functools import partial

    from PySide6.QtWidgets import QLabel
    from shiboken6 import delete

    from aeviewer.gui.threads import pool, while_alive

    label = QLabel()
    release = threading.Event()
    task = FunctionWorker(lambda progress, cancel: release.wait(10) and "done", "test-late")
    shown: list[str] = []
    task.signals.returned.connect(while_alive(label, partial(shown.append)))
    task.signals.returned.connect(while_alive(label, label.setText))
    task.start()
    delete(label)  # the window went while the task ran
    with qtbot.waitSignal(pool().released, timeout=10_000):
        release.set()
    assert shown == []
    assert not running_threads()


def _image_folder(root, n: int = 64):
    from PIL import Image

    rng = np.random.default_rng(0)
    for i in range(n):
        (root / f"c{i % 2}").mkdir(parents=True, exist_ok=True)
        pixels = rng.integers(0, 256, (6, 6), dtype=np.uint8)
        Image.fromarray(pixels).save(root / f"c{i % 2}" / f"{i:03d}.png")
    return root


@pytest.mark.parametrize("stop_early", [False, True])
def test_a_streamed_folder_trains_in_the_worker_thread_with_reader_processes(
    qtbot, tmp_path, stop_early
):
    """Reader processes forked from the GUI's training thread: a run completes, or stops in
    its first epoch, and no reader process is left behind."""
    from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
    from aeviewer.gui.controller import engine_source
    from aeviewer.training.setup import load_prepared

    data = DataSpec(source=str(_image_folder(tmp_path / "images")), storage="streamed", workers=2)
    config = RunConfig(
        data=data,
        model=ModelSpec(kind="ae", latent=2, hidden=(8,)),
        train=TrainSpec(epochs=3, batch_size=4, device="cpu", n_eval=16, n_recon=2),
    )
    control = TrainingControl()
    worker = training_worker(engine_source(config, load_prepared(data)), control)
    events: list[object] = []
    worker.signals.yielded.connect(events.append)
    if stop_early:  # at the first progress, in the training thread (reader processes run)
        worker.signals.yielded.connect(
            lambda e: control.stop() if isinstance(e, Progress) else None,
            Qt.ConnectionType.DirectConnection,
        )
    with qtbot.waitSignal(worker.signals.finished, timeout=TIMEOUT_MS):
        worker.start()
    finished = [e for e in events if isinstance(e, Finished)]
    assert finished and finished[0].reason == ("stopped" if stop_early else "completed")
    epochs = [e.epoch for e in events if isinstance(e, EpochEnd)]
    assert len(epochs) < 3 if stop_early else epochs == [1, 2, 3]
    qtbot.waitUntil(lambda: not multiprocessing.active_children(), timeout=TIMEOUT_MS)
