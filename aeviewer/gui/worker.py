"""The training job: the engine's event generator as a :class:`GeneratorWorker`."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from aeviewer.gui.threads import MAX_RATE, GeneratorWorker
from aeviewer.training.control import TrainingControl
from aeviewer.training.events import Event, Progress

#: Builds the engine's event generator for a control object (called in the worker thread).
EventSource = Callable[[TrainingControl], Iterator[Event]]

#: The most Progress items per second that reach the GUI thread; every other event always does.
MAX_PROGRESS_RATE = MAX_RATE

#: The worker's name, as the thread checks see it.
TRAINING = "aeviewer-training"


def is_progress(item: object) -> bool:
    """True for the per-batch reports, which may be dropped to keep the GUI thread free."""
    return isinstance(item, Progress)


def training_worker(source: EventSource, control: TrainingControl) -> GeneratorWorker:
    """A worker that runs ``source(control)`` in the pool and yields its events.

    Stop and pause go through ``control``, which the engine checks every batch (and between
    the steps of set-up, validation and snapshots); :meth:`GeneratorWorker.quit` also ends it
    at its next event, without the final weights and state.
    """
    return GeneratorWorker(lambda: source(control), TRAINING, droppable=is_progress)
