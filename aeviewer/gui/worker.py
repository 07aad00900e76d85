"""The training loop in a QThread, its events forwarded to the GUI thread as signals."""

from __future__ import annotations

import math
import sys
import time
import traceback
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, QThread, Signal, Slot

from aeviewer.errors import AeviewerError
from aeviewer.gui.threads import error_message, start_thread
from aeviewer.training.control import TrainingControl
from aeviewer.training.events import Event, Progress

#: Builds the engine's event generator for a control object (called in the worker thread).
EventSource = Callable[[TrainingControl], Iterator[Event]]

#: The most Progress signals per second; every other event is always forwarded.
MAX_PROGRESS_RATE = 30.0


class TrainingWorker(QObject):
    """Runs the event generator to its end in the thread it was moved to.

    ``progress`` carries at most :data:`MAX_PROGRESS_RATE` ``Progress`` events a second;
    ``event`` carries every other event. An exception becomes ``errored(message)``;
    ``done`` is always emitted last.
    """

    event = Signal(object)
    progress = Signal(object)
    errored = Signal(str)
    done = Signal()

    def __init__(
        self, source: EventSource, control: TrainingControl, max_rate: float = MAX_PROGRESS_RATE
    ) -> None:
        super().__init__()
        self._source = source
        self._control = control
        self._interval = 1.0 / max_rate

    @Slot()
    def run(self) -> None:
        last_progress = -math.inf
        try:
            for item in self._source(self._control):
                if isinstance(item, Progress):
                    now = time.monotonic()
                    if now - last_progress < self._interval:
                        continue
                    last_progress = now
                    self.progress.emit(item)
                else:
                    self.event.emit(item)
        except Exception as exc:
            if not isinstance(exc, AeviewerError):
                traceback.print_exc(file=sys.stderr)
            self.errored.emit(error_message(exc))
        finally:
            self.done.emit()


class TrainingRun(QObject):
    """One training run as seen from the GUI thread: start, control, stop and join.

    Its signals are emitted in the GUI thread: ``event(Event)``, ``progress(Progress)``,
    ``errored(str)`` and finally ``finished()`` once the thread has ended.
    """

    event = Signal(object)
    progress = Signal(object)
    errored = Signal(str)
    finished = Signal()

    def __init__(self, source: EventSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.control = TrainingControl()
        self._worker = TrainingWorker(source, self.control)
        self._worker.event.connect(self._on_event)
        self._worker.progress.connect(self._on_progress)
        self._worker.errored.connect(self._on_errored)
        self._worker.done.connect(self._on_done)
        self._thread: QThread | None = None

    def start(self) -> None:
        """Start the loop in a new thread."""
        self._thread = start_thread(self._worker, self._worker.run, "aeviewer-training")

    def stop(self) -> None:
        """Ask the loop to stop after its current batch (releases a pause too)."""
        self.control.stop()

    def is_running(self) -> bool:
        """True while the loop's thread runs."""
        return self._thread is not None and self._thread.isRunning()

    def stop_and_join(self, timeout_ms: int = 30_000) -> bool:
        """Stop the loop and wait for its thread; True when it ended in time."""
        self.stop()
        return self._thread is None or self._thread.wait(timeout_ms)

    @Slot(object)
    def _on_event(self, event: Event) -> None:
        self.event.emit(event)

    @Slot(object)
    def _on_progress(self, event: Progress) -> None:
        self.progress.emit(event)

    @Slot(str)
    def _on_errored(self, message: str) -> None:
        self.errored.emit(message)

    @Slot()
    def _on_done(self) -> None:
        if self._thread is not None:
            self._thread.wait()
        self.finished.emit()
