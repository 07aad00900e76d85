"""Python's cyclic garbage collector, run in the GUI thread only.

Left to itself the collector runs in whichever thread happens to allocate when a threshold trips.
In the training thread or a projection worker it then frees Qt objects caught in reference
cycles (a closed dialog, a replaced plot item) from the wrong thread, and PySide deadlocks: the
worker holds a QObject's mutex and waits for the GIL, while the GUI thread holds the GIL and waits
for that mutex. So while a window holds :data:`COLLECTOR`, automatic collection is off and a
GUI-thread timer collects instead (the pattern of pyqtgraph's ``GarbageCollector``).

:meth:`GuiThreadCollector.freeze_long_lived` then takes the objects of the start-up imports out
of the collector's sight: with torch loaded a full collection walks over 300,000 objects, long
enough to stall the GUI and show as a hiccup in the loss curve.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QThread, QTimer

#: How often the GUI thread checks whether a collection is due.
INTERVAL_MS = 1000


class GuiThreadCollector:
    """Counts the holders that need collection pinned to the GUI thread (windows, tests)."""

    def __init__(self) -> None:
        self._holders = 0
        self._timer: QTimer | None = None
        self._frozen = False

    @property
    def active(self) -> bool:
        """True while automatic collection is off and the GUI thread collects."""
        return self._holders > 0

    def hold(self) -> None:
        """Collect only in the GUI thread until the matching :meth:`release` (calls nest)."""
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            raise RuntimeError("the garbage collector can only be pinned from the GUI thread")
        if self._holders == 0:
            gc.disable()
            self._timer = QTimer()
            self._timer.setInterval(INTERVAL_MS)
            self._timer.timeout.connect(collect_due_generations)
            self._timer.start()
        self._holders += 1

    def release(self) -> None:
        """Undo one :meth:`hold`; the last one collects once and turns automatic collection on.

        Call it after the holder's threads were joined: from then on any thread may collect.
        """
        if self._holders == 0:
            return
        self._holders -= 1
        if self._holders == 0:
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            gc.collect()
            gc.enable()

    def freeze_long_lived(self) -> None:
        """Exempt every object alive now from later collections (once, after the start-up
        imports): module-level objects never become garbage, yet each full collection walks
        them."""
        if not self._frozen:
            self._frozen = True
            gc.freeze()


def collect_due_generations() -> None:
    """Collect the generations whose thresholds were passed, as automatic collection would."""
    thresholds = gc.get_threshold()
    counts = gc.get_count()
    generation = -1
    for level in range(3):
        if counts[level] <= thresholds[level]:
            break
        generation = level
    if generation >= 0:
        gc.collect(generation)


#: The process's one collector state.
COLLECTOR = GuiThreadCollector()
