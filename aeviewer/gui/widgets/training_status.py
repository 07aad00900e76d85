"""The status bar's training read-out: state, epoch and batch, samples per second, ETA, device."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from aeviewer.gui.state import RunState
from aeviewer.training.control import TrainingControl
from aeviewer.training.events import EpochEnd, Progress, Started

translate = QCoreApplication.translate

#: The words for states, how runs end and followed runs' states, translated when shown.
WORDS: dict[str, str] = {
    "idle": QT_TRANSLATE_NOOP("TrainingStatus", "idle"),
    "running": QT_TRANSLATE_NOOP("TrainingStatus", "running"),
    "paused": QT_TRANSLATE_NOOP("TrainingStatus", "paused"),
    "stopping": QT_TRANSLATE_NOOP("TrainingStatus", "stopping"),
    "finished": QT_TRANSLATE_NOOP("TrainingStatus", "finished"),
    "completed": QT_TRANSLATE_NOOP("TrainingStatus", "completed"),
    "stopped": QT_TRANSLATE_NOOP("TrainingStatus", "stopped"),
    "diverged": QT_TRANSLATE_NOOP("TrainingStatus", "diverged"),
    "failed": QT_TRANSLATE_NOOP("TrainingStatus", "failed"),
    "stalled": QT_TRANSLATE_NOOP("TrainingStatus", "stalled"),
    "error": QT_TRANSLATE_NOOP("TrainingStatus", "error"),
}

#: What each set-up step of a run does (keys of ``aeviewer.training.setup.SETUP_STEPS``).
SETUP_WORDS: dict[str, str] = {
    "data": QT_TRANSLATE_NOOP("TrainingStatus", "loading the data"),
    "model": QT_TRANSLATE_NOOP("TrainingStatus", "splitting the data, building the model"),
    "baseline": QT_TRANSLATE_NOOP("TrainingStatus", "fitting the PCA baseline"),
    "snapshots": QT_TRANSLATE_NOOP("TrainingStatus", "choosing the samples the views show"),
    "fingerprint": QT_TRANSLATE_NOOP("TrainingStatus", "hashing the data for the run's record"),
}
#: How often the set-up step is read while a run is prepared, in milliseconds.
PREPARING_POLL_MS = 150


def reason_text(word: str) -> str:
    """``word`` (a state, how a run ended) in the user's language; unknown words as they are."""
    return translate("TrainingStatus", WORDS[word]) if word in WORDS else word


def state_text(
    state: RunState,
    *,
    reason: str | None = None,
    continues: bool = False,
    following: str = "",
    waiting: bool = False,
) -> str:
    """The status bar's word for where the session stands.

    ``reason`` is how the last run ended (``completed``, ``stopped``, ``diverged``,
    ``failed``); ``continues`` says that Start would continue a model (one opened, or a run
    that ended); ``following`` is the state of a followed run directory (``running``,
    ``finished``, ``stalled``); ``waiting`` that a Start waits for a run that is still ending.
    """
    if following and state is RunState.IDLE:
        return translate("TrainingStatus", "following a run ({0})").format(reason_text(following))
    if state is RunState.RUNNING and waiting:
        return translate("TrainingStatus", "waiting for the previous run to end")
    if state is RunState.FINISHED:
        return reason_text(reason or "finished")
    if state is RunState.IDLE and continues:
        return translate("TrainingStatus", "model loaded: Start continues it")
    return reason_text(state.value)


def format_eta(seconds: float | None) -> str:
    """``h:mm:ss`` or ``m:ss``; ``–`` when unknown."""
    if seconds is None or seconds != seconds or seconds < 0:
        return "–"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def eta_seconds(started: Started, progress: Progress) -> float | None:
    """Time left at the current speed, from the batches still to go."""
    if progress.samples_per_s <= 0:
        return None
    batches_left = (started.total_epochs - progress.epoch) * progress.n_batches + (
        progress.n_batches - progress.batch
    )
    return max(0, batches_left) * started.config.train.batch_size / progress.samples_per_s


#: Qt's QWIDGETSIZE_MAX, the largest size a widget may have (PySide6 does not export it).
WIDGET_SIZE_MAX = (1 << 24) - 1


def hold_size(label: QLabel, widest: str) -> None:
    """Fix ``label``'s size to fit ``widest``.

    A label of fixed size changes its text without asking its parent's layout to run again; the
    read-outs change several times a second while training, and each layout pass and repaint of
    the status bar is time the training threads wait for.
    """
    margins = label.contentsMargins()
    width = label.fontMetrics().horizontalAdvance(widest) + margins.left() + margins.right() + 4
    label.setFixedSize(width, label.sizeHint().height())


def free_size(label: QLabel) -> None:
    """Undo :func:`hold_size`: the label sizes itself to its text again."""
    label.setMinimumSize(0, 0)
    label.setMaximumSize(WIDGET_SIZE_MAX, WIDGET_SIZE_MAX)


class TrainingStatus(QWidget):
    """Permanent status bar fields, updated from training events."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = QLabel()
        self.position = QLabel()
        self.speed = QLabel()
        self.eta = QLabel()
        self.device = QLabel()
        #: Busy while a run is being prepared (data split, model, PCA baseline).
        self.preparing = QProgressBar()
        self.preparing.setRange(0, 0)
        self.preparing.setMaximumWidth(80)
        self.preparing.setTextVisible(False)
        self.preparing.setVisible(False)
        self._control: TrainingControl | None = None
        self._step_timer = QTimer(self)
        self._step_timer.setInterval(PREPARING_POLL_MS)
        self._step_timer.timeout.connect(self._show_step)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(18)
        for label in (self.state, self.preparing, self.position, self.speed, self.eta, self.device):
            layout.addWidget(label)
        self._started: Started | None = None
        self.clear()
        self.set_state(RunState.IDLE)
        self.set_device("auto")

    def clear(self) -> None:
        """Back to the idle read-out."""
        self._started = None
        self._stop_watching()
        for label in (self.position, self.speed, self.eta):
            free_size(label)
        self.position.setText(_position("–", "–", "–", "–"))
        self.speed.setText(_speed("–"))
        self.eta.setText(_eta("–"))

    def set_device(self, device: str) -> None:
        """Show where the model trains (or will)."""
        self.device.setText(translate("TrainingStatus", "device {0}").format(device))

    def watch(self, control: TrainingControl | None) -> None:
        """Read the set-up steps of the run that ``control`` controls while it is prepared."""
        self._control = control

    def set_state(self, state: RunState, text: str | None = None) -> None:
        """Show the run state (``text``, or the state's name), and what a run that has not
        started yet waits for."""
        self.state.setText(text or reason_text(state.value))
        if state in (RunState.IDLE, RunState.FINISHED):
            # Nothing is left to wait for (a run stopped early had time left).
            self.eta.setText(_eta("–"))
        preparing = state is RunState.RUNNING and self._started is None
        self.preparing.setVisible(preparing)
        if not preparing:
            self._stop_watching()
        if preparing:
            free_size(self.position)
            if text and text == state_text(state, waiting=True):
                self.position.setText(
                    translate("TrainingStatus", "the previous run stops at its next batch …")
                )
            else:
                self.position.setText(
                    translate(
                        "TrainingStatus",
                        "preparing: splitting the data, building the model, fitting PCA …",
                    )
                )
                self.preparing.setRange(0, 0)
                self._step_timer.start()
                self._show_step()

    def _show_step(self) -> None:
        """Show the set-up step the run is at (read without waiting)."""
        step = self._control.preparing if self._control is not None else None
        if step is None or self._started is not None:
            return
        index, total, key = step
        self.preparing.setRange(0, total)
        self.preparing.setValue(index)
        what = translate("TrainingStatus", SETUP_WORDS[key]) if key in SETUP_WORDS else key
        self.position.setText(
            translate("TrainingStatus", "preparing ({0}/{1}): {2} …").format(index + 1, total, what)
        )

    def _stop_watching(self) -> None:
        self._step_timer.stop()
        self.preparing.setVisible(False)

    def on_started(self, event: Started) -> None:
        """A run began: its device and size."""
        self._started = event
        self._stop_watching()
        self.set_device(event.device)
        epochs, batches = event.total_epochs, event.n_batches
        hold_size(self.position, _position(epochs, epochs, batches, batches))
        hold_size(self.speed, _speed("888,888,888"))
        hold_size(self.eta, _eta("888:88:88"))
        self.position.setText(_position(event.first_epoch, epochs, 0, batches))

    def on_progress(self, event: Progress) -> None:
        """A batch ended."""
        epochs = self._started.total_epochs if self._started else "?"
        self.position.setText(_position(event.epoch, epochs, event.batch, event.n_batches))
        self.speed.setText(_speed(f"{event.samples_per_s:,.0f}"))
        if self._started is not None:
            self.eta.setText(_eta(format_eta(eta_seconds(self._started, event))))

    def on_epoch(self, event: EpochEnd) -> None:
        """An epoch ended."""
        self.speed.setText(_speed(f"{event.samples_per_s:,.0f}"))
        if self._started is not None:
            epochs = self._started.total_epochs
            n = self._started.n_batches
            self.position.setText(_position(event.epoch, epochs, n, n))
            if event.samples_per_s > 0:
                left = (epochs - event.epoch) * n * self._started.config.train.batch_size
                self.eta.setText(_eta(format_eta(left / event.samples_per_s)))


def _position(epoch: object, epochs: object, batch: object, batches: object) -> str:
    return translate("TrainingStatus", "epoch {0}/{1} · batch {2}/{3}").format(
        epoch, epochs, batch, batches
    )


def _speed(rate: str) -> str:
    return translate("TrainingStatus", "{0} samples/s").format(rate)


def _eta(eta: str) -> str:
    return translate("TrainingStatus", "ETA {0}").format(eta)
