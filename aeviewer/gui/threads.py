"""The app's one model of background work: workers in a thread pool, signals in the GUI thread.

Training runs, file tasks (loads, downloads, sessions, exports, run-follow polls) and the latent
view's projections all run as a :class:`Worker`, built after superqt's ``thread_worker``
(``superqt.utils._qthreading``, what napari uses):

- A worker is a ``QRunnable`` started in the app's ``QThreadPool``: Qt owns the threads, nobody
  joins one, and an idle thread leaves by itself after the pool's expiry time.
- Its signals live on a small :class:`WorkerSignals` object in the GUI thread, owned by the
  pool's QObject (a Qt parent, so no Python reference count decides where it dies) and deleted
  with ``deleteLater`` once its ``finished`` has arrived.
- The pool holds each worker from :meth:`Worker.start` until its ``finished`` arrives; callers
  keep no worker alive and connect bound methods or partials that do not capture the worker.
- Stopping is cooperative: :meth:`Worker.quit` sets a flag that a generator worker checks
  between items and a function worker's ``cancel()`` returns. Nothing on the GUI thread waits;
  :func:`await_workers` is the one place that does, when the application quits.

Why not superqt's classes themselves: ``WorkerBase.run`` replaces the process-wide
``warnings.showwarning`` inside ``warnings.catch_warnings()`` in every worker thread, which is
not thread-safe. When two workers overlap (a training run and a data load), the one that ends
last puts back the other's lambda, which then keeps that finished worker (and its generator: the
model, the data) alive for good and sends every later warning to it (``tests/gui/test_threads.py``
shows it with superqt 0.9). Its global pool also has as many threads as cores (two on a small
machine), so a training run and a download leave a run-follow poll or a projection waiting;
``errored`` hands the exception with its traceback to the GUI thread, whose frames hold the
worker's locals; and its signal object has no owner, so it is destroyed wherever the last
reference to the worker goes, the pool thread included.
"""

from __future__ import annotations

import math
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot
from shiboken6 import isValid

from aeviewer.errors import AeviewerError

#: A function run in the background: it gets a progress callback and a cancel predicate.
TaskFunction = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]

#: The most ``progressed`` signals, and throttled ``yielded`` items, per second.
MAX_RATE = 30.0

#: Threads the pool may run at once. Threads start on demand, so this only has to be large
#: enough that a long job (training, a download) never makes a short one (a poll) wait.
MAX_THREADS = 16


def error_message(exc: BaseException) -> str:
    """A one-paragraph message for the user: our own errors as they are, others with their type."""
    if isinstance(exc, AeviewerError):
        return str(exc)
    text = str(exc) or "no message"
    return f"{type(exc).__name__}: {text}"


class WorkerSignals(QObject):
    """The signals of one worker, emitted from its pool thread and received in the GUI thread.

    ``started()``; ``yielded(item)`` for a generator's items; ``progressed(done, total)`` for a
    function's progress; then exactly one of ``returned(result)``, ``errored(message)`` or
    ``aborted()`` (after :meth:`Worker.quit`); ``finished()`` always comes last.
    """

    started = Signal()
    yielded = Signal(object)
    progressed = Signal(int, int)
    returned = Signal(object)
    errored = Signal(str)
    aborted = Signal()
    finished = Signal()


class WorkerPool(QObject):
    """The app's thread pool and the workers it runs (one per application, see :func:`pool`).

    ``released(signals)`` is emitted in the GUI thread when a worker's ``finished`` arrived
    (with that worker's signals object, just before it is deleted), ``idle()`` when the last
    running worker's did. Unlike a connection made to ``finished`` late, which misses a
    ``finished`` already emitted in the pool thread, these never miss one: the pool connects
    before the worker starts.
    """

    released = Signal(object)
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threads = QThreadPool(self)
        self.threads.setMaxThreadCount(MAX_THREADS)
        self._active: dict[WorkerSignals, Worker] = {}

    def adopt(self, worker: Worker) -> None:
        """Hold ``worker`` until its ``finished`` arrives, then delete its signals object.

        The signals become the pool's children: from now on Qt, not a Python reference count,
        decides when they go, and that is in the GUI thread.
        """
        worker.signals.setParent(self)
        worker.signals.finished.connect(self._on_finished)
        self._active[worker.signals] = worker

    def start(self, worker: Worker) -> None:
        """Run ``worker`` in a pool thread."""
        self.threads.start(worker)

    def workers(self) -> list[Worker]:
        """The workers started and not yet reported finished in the GUI thread."""
        return list(self._active.values())

    def holds(self, worker: Worker) -> bool:
        """True until ``worker``'s ``finished`` has arrived in the GUI thread."""
        return self._active.get(worker.signals) is worker

    @Slot()
    def _on_finished(self) -> None:
        signals = self.sender()
        self._active.pop(signals, None)
        if isinstance(signals, WorkerSignals):
            self.released.emit(signals)
            signals.deleteLater()
        if not self._active:
            self.idle.emit()

    def await_done(self, msecs: int = -1) -> bool:
        """Ask every worker to quit and wait up to ``msecs`` (-1: for ever) for the threads;
        True when all ended. Only for the end of the application: it blocks the calling thread."""
        for worker in list(self._active.values()):
            worker.quit()
        return self.threads.waitForDone(msecs)


_POOL: list[WorkerPool] = []


def pool() -> WorkerPool:
    """The application's worker pool, made on first use as a child of the application object."""
    app = QCoreApplication.instance()
    if not _POOL or _POOL[0].parent() is not app:
        _POOL[:] = [WorkerPool(app)]
    return _POOL[0]


class Worker(QRunnable):
    """Base class: runs :meth:`work` in a pool thread and reports through :attr:`signals`.

    Subclasses implement :meth:`work`, checking :attr:`abort_requested` as often as they can.
    An exception becomes ``errored(message)`` (the traceback is printed for errors that are
    not the app's own); after :meth:`quit`, ``aborted()`` replaces the result.
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        # The pool deletes the C++ runnable after run() (PySide's pool otherwise keeps the Python
        # object for good). Nothing here touches the C++ side after that: the worker's state,
        # its abort flag and its signals are Python attributes, and the signals are owned by
        # the pool's QObject, so wherever the last reference to the worker goes (the pool
        # thread included) no Qt object is destroyed with it.
        self.setAutoDelete(True)
        self._name = name
        self._abort = threading.Event()
        self._state = "new"
        #: Owned by Python until :meth:`start`, then by the pool (see :meth:`WorkerPool.adopt`).
        self.signals = WorkerSignals()

    # -- the GUI thread's side -------------------------------------------------------------------
    def objectName(self) -> str:
        """The worker's name (``aeviewer-training``, ``aeviewer-load``, …)."""
        return self._name

    def start(self) -> None:
        """Run the worker in the app's pool (once)."""
        if self._state != "new":
            raise RuntimeError(f"{self._name}: a worker runs once")
        self._state = "queued"
        workers = pool()
        workers.adopt(self)
        workers.start(self)

    def quit(self) -> None:
        """Ask the work to end at its next check (a queued worker then does nothing)."""
        self._abort.set()

    @property
    def abort_requested(self) -> bool:
        """True once :meth:`quit` was called."""
        return self._abort.is_set()

    def is_running(self) -> bool:
        """True from :meth:`start` until the worker's pool thread has let go of it."""
        return self._state in ("queued", "running")

    # -- the pool thread's side ------------------------------------------------------------------
    def run(self) -> None:
        """Called by the pool: run :meth:`work` and emit the outcome, ``finished`` last."""
        self._state = "running"
        signals = self.signals
        try:
            if not self.abort_requested:
                signals.started.emit()
                result = self.work()
            if self.abort_requested:
                signals.aborted.emit()
            else:
                signals.returned.emit(result)
        except Exception as exc:
            if self.abort_requested:
                signals.aborted.emit()
            else:
                if not isinstance(exc, AeviewerError):
                    traceback.print_exc(file=sys.stderr)
                signals.errored.emit(error_message(exc))
        finally:
            signals.finished.emit()
            self._state = "done"

    def work(self) -> Any:
        """The work itself, in the pool thread; returns the result."""
        raise NotImplementedError


class FunctionWorker(Worker):
    """Calls ``function(progress, cancel)``: ``progress(done, total)`` reports progress (at most
    :data:`MAX_RATE` times a second, and always at the end), ``cancel()`` turns True after
    :meth:`quit`."""

    def __init__(self, function: TaskFunction, name: str) -> None:
        super().__init__(name)
        self._function: TaskFunction | None = function
        self._last_progress = -math.inf

    def _progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last_progress >= 1 / MAX_RATE or (total > 0 and done >= total):
            self._last_progress = now
            self.signals.progressed.emit(int(done), int(total))

    def work(self) -> Any:
        function, self._function = self._function, None
        return function(self._progress, self._abort.is_set)


class GeneratorWorker(Worker):
    """Runs the generator ``make()`` returns, emitting ``yielded(item)`` for each item.

    Items for which ``droppable(item)`` is True (progress reports) are emitted at most
    :data:`MAX_RATE` times a second; every other item is always emitted. :meth:`quit` is
    checked between items: the generator is then closed where it stands. The generator's
    return value is ``returned``.
    """

    def __init__(
        self,
        make: Callable[[], Iterator[Any]],
        name: str,
        droppable: Callable[[Any], bool] | None = None,
        max_rate: float = MAX_RATE,
    ) -> None:
        super().__init__(name)
        self._make: Callable[[], Iterator[Any]] | None = make
        self._droppable = droppable
        self._interval = 1.0 / max_rate

    def work(self) -> Any:
        make, self._make = self._make, None
        generator = make()
        emit = self.signals.yielded.emit
        droppable = self._droppable
        last = -math.inf
        try:
            while not self.abort_requested:
                try:
                    item = next(generator)
                except StopIteration as end:
                    return end.value
                if droppable is not None and droppable(item):
                    now = time.monotonic()
                    if now - last < self._interval:
                        continue
                    last = now
                emit(item)
            return None
        finally:
            # Ends the generator here, in its own thread, whatever happened (its finally blocks
            # run and its frame with the model and data goes).
            close = getattr(generator, "close", None)
            if close is not None:
                close()


def while_alive(receiver: QObject, slot: Callable[..., Any]) -> Callable[..., None]:
    """``slot`` (a partial, a lambda), skipped once ``receiver``'s C++ object is deleted.

    Qt disconnects a bound method of a deleted QObject by itself, but not a partial or a
    lambda; a worker that ends after its window closed would then call into deleted widgets.
    """

    def call(*args: Any) -> None:
        if isValid(receiver):
            slot(*args)

    return call


def running_threads() -> list[Worker]:
    """The workers of this process that have not ended yet (their pool threads are busy).

    Read in the worker's own state, not the pool's registry, so that a caller that does not
    run the event loop (the test suite's check for left-over threads) sees a worker end.
    """
    if not _POOL:
        return []
    return [w for w in _POOL[0].workers() if w.is_running()]


def await_workers(msecs: int = -1) -> bool:
    """Ask every worker to quit and wait up to ``msecs`` for them; True when all ended.

    The one place that waits for a worker: when the application quits, after its event loop.
    """
    if not _POOL:
        return True
    return _POOL[0].await_done(msecs)
