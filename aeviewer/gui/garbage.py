"""Python's cyclic garbage collector, run in the GUI thread only while a window is open.

A backstop, not a cure. Left to itself the collector runs in whichever thread happens to
allocate when a threshold trips. In the training worker or a projection it would then free Qt
objects caught in reference cycles from the wrong thread, and PySide deadlocks: the worker holds
a QObject's mutex and waits for the GIL, while the GUI thread holds the GIL and waits for that
mutex. The app's own objects no longer form such cycles (workers' signals belong to the pool and
are deleted with ``deleteLater``, no slot captures the worker it listens to), but pyqtgraph's
items do (a removed curve, a cleared layout), which is why pyqtgraph itself offers a
``GarbageCollector`` like this one. So while a window holds :data:`COLLECTOR`, automatic
collection is off and a GUI-thread timer collects instead.

Collection always comes back: the last :meth:`GuiThreadCollector.release` (a window closing,
whatever its workers are doing) turns automatic collection on again as soon as no worker runs
any more. Nothing is frozen out of the collector's sight; instead full collections, which walk
every object (over 300,000 with torch loaded), are spaced so that they take at most
:data:`FULL_SHARE` of the GUI thread's time.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QCoreApplication, QThread, QTimer

from aeviewer.gui.threads import running_threads

#: How often the GUI thread checks whether a collection is due.
INTERVAL_MS = 1000
#: The largest share of the GUI thread's time that full collections may take.
FULL_SHARE = 0.01
#: Full collections are at least this many seconds apart.
MIN_FULL_INTERVAL_S = 10.0


class GuiThreadCollector:
    """Counts the holders that need collection pinned to the GUI thread (windows, tests)."""

    def __init__(self) -> None:
        self._holders = 0
        self._timer: QTimer | None = None
        self._waiting_for_workers = False
        self._next_full = 0.0

    @property
    def active(self) -> bool:
        """True while automatic collection is off and the GUI thread collects."""
        return not gc.isenabled() and (self._holders > 0 or self._waiting_for_workers)

    def hold(self) -> None:
        """Collect only in the GUI thread until the matching :meth:`release` (calls nest)."""
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            raise RuntimeError("the garbage collector can only be pinned from the GUI thread")
        if self._holders == 0:
            gc.disable()
            if self._timer is None:
                self._timer = QTimer()
                self._timer.setInterval(INTERVAL_MS)
                self._timer.timeout.connect(self.collect_due)
            self._timer.start()
        self._holders += 1

    def release(self) -> None:
        """Undo one :meth:`hold`. After the last one, automatic collection comes back as soon
        as no worker runs (at once when none does); never waits for a worker itself."""
        if self._holders == 0:
            return
        self._holders -= 1
        if self._holders == 0:
            self._enable_when_idle()

    def _enable_when_idle(self) -> None:
        if self._holders > 0:
            self._waiting_for_workers = False
            return
        if running_threads():
            # The timer goes on collecting meanwhile and checks again.
            self._waiting_for_workers = True
            QTimer.singleShot(50, self._enable_when_idle)
            return
        self._waiting_for_workers = False
        if self._timer is not None:
            self._timer.stop()
        gc.collect()
        gc.enable()

    def collect_due(self) -> None:
        """Collect the generations whose thresholds were passed, as automatic collection would,
        with full collections spaced by their cost (see :data:`FULL_SHARE`)."""
        if gc.isenabled():
            return
        generation = due_generation()
        if generation == 2 and time.monotonic() < self._next_full:
            generation = 1
        if generation < 0:
            return
        started = time.monotonic()
        gc.collect(generation)
        if generation == 2:
            took = time.monotonic() - started
            self._next_full = started + max(MIN_FULL_INTERVAL_S, took / FULL_SHARE)


def due_generation() -> int:
    """The oldest generation whose threshold was passed (-1: none)."""
    thresholds = gc.get_threshold()
    counts = gc.get_count()
    generation = -1
    for level in range(3):
        if counts[level] <= thresholds[level]:
            break
        generation = level
    return generation


def collect_due_generations() -> None:
    """Collect the generations whose thresholds were passed (full ones too, unspaced)."""
    generation = due_generation()
    if generation >= 0:
        gc.collect(generation)


#: The process's one collector state.
COLLECTOR = GuiThreadCollector()
