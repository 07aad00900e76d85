"""The control object shared between the loop and the GUI thread."""

import threading
import time

from aeviewer.training.control import TrainingControl

from .conftest import small_config


def test_a_spent_step_budget_after_stop_does_not_pause_again() -> None:
    control = TrainingControl()
    control.allow_epochs(1)
    control.stop()
    control.epoch_finished()
    assert not control.paused
    result: list[bool] = []
    waiter = threading.Thread(target=lambda: result.append(control.checkpoint()))
    waiter.start()
    waiter.join(timeout=5.0)
    assert result == [False]


def test_pause_blocks_until_resumed_from_another_thread() -> None:
    control = TrainingControl()
    control.pause()
    assert control.paused
    threading.Timer(0.05, control.resume).start()
    assert control.checkpoint(timeout=5.0) is True
    assert not control.paused


def test_step_budget_pauses_after_the_allowed_epochs() -> None:
    control = TrainingControl()
    control.allow_epochs(2)
    control.epoch_finished()
    assert not control.paused
    control.epoch_finished()
    assert control.paused


def test_learning_rate_requests_are_taken_once() -> None:
    control = TrainingControl()
    control.set_lr(0.01)
    control.set_lr(0.02, "discriminator")
    assert control.take_lr_changes() == {"model": 0.01, "discriminator": 0.02}
    assert control.take_lr_changes() == {}


def test_waiting_reports_a_pause_that_took_effect() -> None:
    control = TrainingControl()
    control.pause()
    assert not control.waiting
    waiter = threading.Thread(target=control.checkpoint)
    waiter.start()
    deadline = time.monotonic() + 5.0
    while not control.waiting and time.monotonic() < deadline:
        time.sleep(0.01)
    assert control.waiting
    control.resume()
    waiter.join(timeout=5.0)
    assert not control.waiting
    control.epoch_finished()
    assert control.epochs_done == 1


def test_set_up_reports_its_steps_in_order(vectors):
    from aeviewer.training.events import Started
    from aeviewer.training.loop import train
    from aeviewer.training.setup import SETUP_STEPS

    class Recording(TrainingControl):
        def __init__(self) -> None:
            super().__init__()
            self.steps: list[tuple[int, int, str]] = []

        def report_preparing(self, index: int, total: int, step: str) -> None:
            super().report_preparing(index, total, step)
            self.steps.append((index, total, step))

    control = Recording()
    assert control.preparing is None
    for event in train(small_config(epochs=1), vectors, control=control):
        if isinstance(event, Started):
            break
    total = len(SETUP_STEPS)
    assert control.steps == [(i, total, step) for i, step in enumerate(SETUP_STEPS)]
    assert control.preparing == (total - 1, total, "fingerprint")
