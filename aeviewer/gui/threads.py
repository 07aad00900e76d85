"""Background work off the GUI thread: a registry of the app's QThreads and a cancellable task.

Every QThread the app starts goes through :func:`start_thread`, so tests (and the main window on
close) can ask :func:`running_threads` whether anything is still running.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from shiboken6 import isValid

from aeviewer.errors import AeviewerError

#: A function run in the background: it gets a progress callback and a cancel predicate.
TaskFunction = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]

_THREADS: weakref.WeakSet[QThread] = weakref.WeakSet()


def start_thread(worker: QObject, entry: Callable[[], None], name: str) -> QThread:
    """Move ``worker`` to a new QThread, call ``entry`` there, and register the thread.

    The thread quits by itself when ``worker`` emits a ``done`` signal (every worker here has
    one); the caller keeps a reference to the returned thread and joins it with ``wait``.
    """
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.started.connect(entry)
    # Direct: quit from the worker's thread at once, so a GUI-thread wait() cannot deadlock.
    worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    _THREADS.add(thread)
    thread.start()
    return thread


def running_threads() -> list[QThread]:
    """The registered QThreads that are still running."""
    return [t for t in list(_THREADS) if isValid(t) and t.isRunning()]


def error_message(exc: BaseException) -> str:
    """A one-paragraph message for the user: our own errors as they are, others with their type."""
    if isinstance(exc, AeviewerError):
        return str(exc)
    text = str(exc) or "no message"
    return f"{type(exc).__name__}: {text}"


class _TaskRunner(QObject):
    """Runs one function in its thread and reports how it went."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()

    def __init__(self, function: TaskFunction, cancel_flag: threading.Event) -> None:
        super().__init__()
        self._home = QThread.currentThread()
        self._function = function
        self._cancel_flag = cancel_flag
        self._last_progress = 0.0

    def _progress(self, done: int, total: int) -> None:
        # Downloads report every chunk; the GUI only needs a few updates a second.
        now = time.monotonic()
        if now - self._last_progress >= 1 / 30 or (total > 0 and done >= total):
            self._last_progress = now
            self.progressed.emit(int(done), int(total))

    @Slot()
    def run(self) -> None:
        try:
            result = self._function(self._progress, self._cancel_flag.is_set)
        except Exception as exc:
            if self._cancel_flag.is_set():
                self.cancelled.emit()
            else:
                self.failed.emit(error_message(exc))
        else:
            if self._cancel_flag.is_set():
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        finally:
            # Back to the thread that made it, so that its task can own it (see BackgroundTask).
            self.moveToThread(self._home)
            self.done.emit()


class BackgroundTask(QObject):
    """A cancellable function call in its own QThread, reporting back in the GUI thread.

    Exactly one of ``succeeded(result)``, ``failed(message)`` or ``cancelled()`` is emitted,
    then ``finished()``. Cancellation is cooperative: the function polls its cancel predicate.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, function: TaskFunction, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel_flag = threading.Event()
        self._runner = _TaskRunner(function, self._cancel_flag)
        self._runner.progressed.connect(self._on_progressed)
        self._runner.succeeded.connect(self._on_succeeded)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled.connect(self._on_cancelled)
        self._runner.done.connect(self._on_done)
        self._name = name
        self._thread: QThread | None = None

    def start(self) -> None:
        """Start the call."""
        self._thread = start_thread(self._runner, self._runner.run, self._name)
        self._thread.setParent(self)

    def cancel(self) -> None:
        """Ask the function to give up at its next check."""
        self._cancel_flag.set()

    def is_running(self) -> bool:
        """True until the function returned."""
        return self._thread is not None and self._thread.isRunning()

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Join the thread; True when it ended within ``timeout_ms``."""
        return self._thread is None or self._thread.wait(timeout_ms)

    @Slot(int, int)
    def _on_progressed(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self.succeeded.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)

    @Slot()
    def _on_cancelled(self) -> None:
        self.cancelled.emit()

    @Slot()
    def _on_done(self) -> None:
        # Join here so that `finished` means the thread is gone, not just the function.
        if self._thread is not None:
            self._thread.wait()
        # Owned by this task from now on: Qt deletes them with it. Left to Python, they could be
        # deleted by the cycle collector in the middle of a Qt call that holds the lock their
        # destructor needs (a deadlock seen in the test suite).
        self._runner.setParent(self)
        self.finished.emit()
