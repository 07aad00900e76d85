"""The status bar's training read-out: state, epoch and batch, samples per second, ETA, device."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from aeviewer.gui.state import RunState
from aeviewer.training.events import EpochEnd, Progress, Started


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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(18)
        for label in (self.state, self.position, self.speed, self.eta, self.device):
            layout.addWidget(label)
        self._started: Started | None = None
        self.clear()
        self.set_state(RunState.IDLE)
        self.set_device("auto")

    def clear(self) -> None:
        """Back to the idle read-out."""
        self._started = None
        for label in (self.position, self.speed, self.eta):
            free_size(label)
        self.position.setText("epoch – · batch –")
        self.speed.setText("– samples/s")
        self.eta.setText("ETA –")

    def set_device(self, device: str) -> None:
        """Show where the model trains (or will)."""
        self.device.setText(f"device {device}")

    def set_state(self, state: RunState) -> None:
        """Show the run state (and that a run is being set up until it has started)."""
        self.state.setText(state.value)
        if state is RunState.RUNNING and self._started is None:
            free_size(self.position)
            self.position.setText("preparing the model and the PCA baseline …")

    def on_started(self, event: Started) -> None:
        """A run began: its device and size."""
        self._started = event
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
