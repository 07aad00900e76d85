"""The status bar's training read-out: state, epoch and batch, samples per second, ETA, device."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from aeviewer.gui.state import RunState
from aeviewer.training.events import EpochEnd, Progress, Started


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
        return f"following a run ({following})"
    if state is RunState.RUNNING and waiting:
        return "waiting for the previous run to end"
    if state is RunState.FINISHED:
        return reason or "finished"
    if state is RunState.IDLE and continues:
        return "model loaded: Start continues it"
    return state.value


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
        self.preparing.setVisible(False)
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
        self.preparing.setVisible(False)
        for label in (self.position, self.speed, self.eta):
            free_size(label)
        self.position.setText("epoch – · batch –")
        self.speed.setText("– samples/s")
        self.eta.setText("ETA –")

    def set_device(self, device: str) -> None:
        """Show where the model trains (or will)."""
        self.device.setText(f"device {device}")

    def set_state(self, state: RunState, text: str | None = None) -> None:
        """Show the run state (``text``, or the state's name), and what a run that has not
        started yet waits for."""
        self.state.setText(text or state.value)
        preparing = state is RunState.RUNNING and self._started is None
        self.preparing.setVisible(preparing)
        if preparing:
            free_size(self.position)
            if text and text.startswith("waiting"):
                self.position.setText("the previous run stops at its next batch …")
            else:
                self.position.setText(
                    "preparing: splitting the data, building the model, fitting PCA …"
                )

    def on_started(self, event: Started) -> None:
        """A run began: its device and size."""
        self._started = event
        self.preparing.setVisible(False)
        self.set_device(event.device)
        epochs, batches = event.total_epochs, event.n_batches
        hold_size(self.position, f"epoch {epochs}/{epochs} · batch {batches}/{batches}")
        hold_size(self.speed, "888,888,888 samples/s")
        hold_size(self.eta, "ETA 888:88:88")
        self.position.setText(f"epoch {event.first_epoch}/{epochs} · batch 0/{batches}")

    def on_progress(self, event: Progress) -> None:
        """A batch ended."""
        epochs = self._started.total_epochs if self._started else "?"
        self.position.setText(
            f"epoch {event.epoch}/{epochs} · batch {event.batch}/{event.n_batches}"
        )
        self.speed.setText(f"{event.samples_per_s:,.0f} samples/s")
        if self._started is not None:
            self.eta.setText(f"ETA {format_eta(eta_seconds(self._started, event))}")

    def on_epoch(self, event: EpochEnd) -> None:
        """An epoch ended."""
        self.speed.setText(f"{event.samples_per_s:,.0f} samples/s")
        if self._started is not None:
            epochs = self._started.total_epochs
            n = self._started.n_batches
            self.position.setText(f"epoch {event.epoch}/{epochs} · batch {n}/{n}")
            if event.samples_per_s > 0:
                left = (epochs - event.epoch) * n * self._started.config.train.batch_size
                self.eta.setText(f"ETA {format_eta(left / event.samples_per_s)}")
