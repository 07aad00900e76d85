"""Emit many Qt signals carrying Python objects, in one thread and across threads.

Run as a script (``python signal_storm.py N``) by ``test_signal_refcount.py``: PySide6 6.12.0
on Python 3.11 corrupts reference counts on emit and aborts the process after some thousands
of emits ("Fatal Python error: bool_dealloc"), so the storm runs in a child process whose exit
status the test checks. Prints ``received <count> of <expected>`` and exits 0 when all arrived.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from aeviewer.training.events import EpochEnd, Progress

#: Signal kinds per round: bool, int, float, tuple, event dataclass.
KINDS = 5


class Emitter(QObject):
    """Emits every kind of payload ``rounds`` times."""

    flag = Signal(bool)
    number = Signal(int)
    real = Signal(float)
    pair = Signal(object)
    event = Signal(object)
    done = Signal()

    def __init__(self, rounds: int) -> None:
        super().__init__()
        self.rounds = rounds

    @Slot()
    def run(self) -> None:
        for i in range(self.rounds):
            self.flag.emit(i % 2 == 0)
            self.number.emit(i)
            self.real.emit(i * 0.5)
            self.pair.emit((i, True, None, "x"))
            if i % 2:
                self.event.emit(Progress(1, i, self.rounds, i, 0.5, 100.0))
            else:
                self.event.emit(EpochEnd(1, i, {"loss": 0.1}, {"loss": 0.2}, {"model": 1e-3}, 1, 1))
        self.done.emit()


class Receiver(QObject):
    """Counts what arrives and checks the payloads' types."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.bad = 0

    def listen(self, emitter: Emitter) -> None:
        emitter.flag.connect(self.on_flag)
        emitter.number.connect(self.on_number)
        emitter.real.connect(self.on_real)
        emitter.pair.connect(self.on_object)
        emitter.event.connect(self.on_object)

    @Slot(bool)
    def on_flag(self, value: bool) -> None:
        self._got(isinstance(value, bool))

    @Slot(int)
    def on_number(self, value: int) -> None:
        self._got(isinstance(value, int))

    @Slot(float)
    def on_real(self, value: float) -> None:
        self._got(isinstance(value, float))

    @Slot(object)
    def on_object(self, value: object) -> None:
        self._got(isinstance(value, (tuple, Progress, EpochEnd)))

    def _got(self, ok: bool) -> None:
        self.count += 1
        self.bad += not ok


def main(rounds: int) -> int:
    app = QCoreApplication(sys.argv[:1])
    receiver = Receiver()

    # Direct connections within the main thread.
    local = Emitter(rounds)
    receiver.listen(local)
    local.run()

    # Queued connections from a worker thread to the main thread.
    remote = Emitter(rounds)
    thread = QThread()
    remote.moveToThread(thread)
    receiver.listen(remote)
    thread.started.connect(remote.run)
    remote.done.connect(thread.quit)
    thread.finished.connect(lambda: QTimer.singleShot(0, app.quit))
    thread.start()
    app.exec()
    thread.wait()
    app.processEvents()

    expected = 2 * KINDS * rounds
    print(f"received {receiver.count} of {expected}, {receiver.bad} of the wrong type", flush=True)
    return 0 if receiver.count == expected and receiver.bad == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1])))
