"""The status bar's read-out: text from events, and fixed sizes while a run streams progress."""

from __future__ import annotations

from aeviewer.config import RunConfig, TrainSpec
from aeviewer.gui.state import RunState
from aeviewer.gui.widgets.training_status import TrainingStatus, eta_seconds, format_eta
from aeviewer.training.events import EpochEnd, Progress, Started


def started() -> Started:
    # As the engine sends it: with the run's epochs decided.
    return Started(RunConfig(train=TrainSpec(epochs=20)), "cpu", 1000, 200, 63, 1234)


def test_format_eta():
    assert format_eta(None) == "–"
    assert format_eta(float("nan")) == "–"
    assert format_eta(65) == "1:05"
    assert format_eta(3 * 3600 + 61) == "3:01:01"


def test_eta_counts_the_batches_still_to_go():
    event = started()
    progress = Progress(2, 13, 63, 76, 0.1, samples_per_s=128.0)
    batches_left = (event.total_epochs - 2) * 63 + 50
    assert eta_seconds(event, progress) == batches_left * event.config.train.batch_size / 128.0


def test_read_out_from_events(qtbot):
    status = TrainingStatus()
    qtbot.addWidget(status)
    status.set_state(RunState.RUNNING)
    assert "preparing" in status.position.text()
    status.on_started(started())
    status.on_progress(Progress(3, 10, 63, 136, 0.1, 12345.0))
    assert status.position.text() == "epoch 3/20 · batch 10/63"
    assert status.speed.text() == "12,345 samples/s"
    assert status.eta.text().startswith("ETA ")
    status.on_epoch(EpochEnd(3, 189, {"loss": 0.1}, {}, {"model": 1e-3}, 1.0, samples_per_s=9000.0))
    assert status.position.text() == "epoch 3/20 · batch 63/63"
    assert status.speed.text() == "9,000 samples/s"
    assert status.eta.text() != "ETA –"
    # Ended early (converged, stopped): no time is left, the position stays as it was.
    status.set_state(RunState.FINISHED)
    assert status.eta.text() == "ETA –"
    assert status.position.text() == "epoch 3/20 · batch 63/63"


def test_while_a_run_streams_the_changing_labels_keep_one_size_that_fits(qtbot):
    status = TrainingStatus()
    qtbot.addWidget(status)
    status.on_started(started())
    labels = (status.position, status.speed, status.eta)
    for label in labels:
        assert label.minimumSize() == label.maximumSize()
    status.on_progress(Progress(20, 63, 63, 1260, 0.1, 987_654_321.0))
    for label in labels:
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
    status.clear()
    status.set_state(RunState.RUNNING)
    # The longer "preparing …" text gets the room it needs again.
    assert status.position.maximumWidth() > 10_000


def test_the_state_word_follows_the_session():
    from aeviewer.gui.state import RunState
    from aeviewer.gui.widgets.training_status import state_text

    assert state_text(RunState.FINISHED, reason="stopped") == "stopped"
    assert state_text(RunState.FINISHED, reason="completed") == "completed"
    assert state_text(RunState.IDLE, continues=True) == "model loaded: Start continues it"
    assert state_text(RunState.IDLE, following="running") == "following a run (running)"
    assert state_text(RunState.RUNNING, waiting=True).startswith("waiting")
    assert state_text(RunState.PAUSED) == "paused"


def test_preparation_shows_the_set_up_step_the_run_is_at(qtbot):
    from aeviewer.training.control import TrainingControl

    status = TrainingStatus()
    qtbot.addWidget(status)
    control = TrainingControl()
    status.watch(control)
    status.set_state(RunState.RUNNING)
    assert status.preparing.isVisibleTo(status)
    assert "preparing" in status.position.text()
    control.report_preparing(2, 5, "baseline")
    qtbot.waitUntil(lambda: "fitting the PCA baseline" in status.position.text(), timeout=2000)
    assert status.position.text().startswith("preparing (3/5)")
    assert (status.preparing.value(), status.preparing.maximum()) == (2, 5)
    status.on_started(started())
    assert not status.preparing.isVisibleTo(status)
    assert status.position.text().startswith("epoch 0/20")
