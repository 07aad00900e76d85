"""Open run directory…: follow a run that another process (or machine) is writing.

A timer polls ``metrics.jsonl`` (a cheap read of the appended bytes) and feeds new epochs to the
views; a new checkpoint is loaded and snapshotted off the GUI thread, then shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction

from aeviewer.data.dataset import Dataset
from aeviewer.errors import AeviewerError, RunError
from aeviewer.gui import dialogs, file_dialogs
from aeviewer.gui.state import RunState
from aeviewer.gui.threads import BackgroundTask
from aeviewer.training.events import EpochEnd, Event, Snapshot, Started

if TYPE_CHECKING:
    from aeviewer.gui.main_window import MainWindow

#: Milliseconds between two polls of the followed run.
POLL_MS = 500


class RunFollowing(QObject):
    """Follows one run directory at a time for a main window.

    Signals: ``epochs_added(int)`` after new epochs were shown, ``snapshot_shown(int)`` with the
    epoch of a checkpoint shown in the views.
    """

    epochs_added = Signal(int)
    snapshot_shown = Signal(int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.follower: Any = None
        self.path: Path | None = None
        self._config: Any = None
        self._started: Started | None = None
        self._epochs: list[EpochEnd] = []
        self._pending_checkpoint: Path | None = None
        self._waiting_for_data = False
        self._tasks: set[BackgroundTask] = set()
        self._checkpoint_task: BackgroundTask | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.action = QAction("Open &run directory…", window)
        self.action.setToolTip("Follow a run that aeviewer train writes (here or elsewhere)")
        self.action.triggered.connect(self.open)
        window.controller.reset_done.connect(self.stop)
        window.controller.state_changed.connect(self._on_state)
        window.controller.event.connect(self._on_training_event)
        window.data_panel.dataset_changed.connect(self._on_dataset_loaded)
        window.data_panel.load_failed.connect(self._on_dataset_failed)

    @property
    def following(self) -> bool:
        """True while a run directory is followed."""
        return self.follower is not None

    @Slot()
    def open(self) -> None:
        folder = file_dialogs.ask_folder(self.window, "Open run directory")
        if folder:
            self.follow(folder)

    def follow(self, path: str | Path) -> BackgroundTask | None:
        """Start following the run directory ``path`` (its config is read in the background)."""
        if not self.window._confirm_reset("following a run directory"):
            return None
        self.window.controller.reset()

        def work(progress, cancel):
            from aeviewer.io import RunFollower

            follower = RunFollower(path)
            config = follower.config()
            if config is None:
                raise RunError(f"{path}: not a run directory (no readable config.json)")
            return follower, config

        task = BackgroundTask(work, "aeviewer-open-run", self)
        task.succeeded.connect(lambda result: self._begin(*result))
        task.failed.connect(
            lambda message: dialogs.show_error(self.window, "Cannot open the run", message)
        )
        self._track(task)
        task.start()
        return task

    def stop(self) -> None:
        """Stop following (a reset, or training here)."""
        self.timer.stop()
        self.follower = None
        self._config = None
        self._started = None
        self._epochs = []
        self._pending_checkpoint = None
        self._waiting_for_data = False

    def shutdown(self) -> None:
        """Stop and join the background work (the window is closing)."""
        self.stop()
        for task in list(self._tasks):
            task.wait()

    # -- following -----------------------------------------------------------------------------
    def _begin(self, follower: Any, config: Any) -> None:
        window = self.window
        self.stop()
        self.follower, self._config, self.path = follower, config, follower.run_dir
        window.model_panel.set_spec(config.model)
        window.training_panel.set_spec(config.train)
        window._show_family_views()
        window.show_events([])
        window.setWindowTitle(f"aeviewer — following {follower.run_dir.name}")
        if window.dataset is not None and window.data_panel.source == config.data.source:
            self._start_polling()
        else:
            self._waiting_for_data = True
            window.data_panel.load(config.data.source)

    @Slot(object)
    def _on_dataset_loaded(self, _: Dataset) -> None:
        if self._waiting_for_data:
            self._waiting_for_data = False
            self._start_polling()

    @Slot(str)
    def _on_dataset_failed(self, _: str) -> None:
        if self._waiting_for_data:
            self.stop()

    def _start_polling(self) -> None:
        self.poll()
        self.timer.start()

    @Slot()
    def poll(self) -> None:
        """Show new epochs, and load the newest checkpoint when it changed (in the background)."""
        follower = self.follower
        if follower is None:
            return
        try:
            epochs = follower.poll()
        except AeviewerError as exc:
            self.window.statusBar().showMessage(str(exc), 10_000)
            return
        if epochs:
            self._epochs.extend(epochs)
            self._show(epochs)
            self.epochs_added.emit(len(epochs))
        checkpoint = follower.new_checkpoint()
        if checkpoint is not None:
            self._pending_checkpoint = checkpoint
        if self._pending_checkpoint is not None and self._checkpoint_task is None:
            self._load_checkpoint(self._pending_checkpoint)
            self._pending_checkpoint = None

    def _show(self, events: list[Event]) -> None:
        window = self.window
        for event in events:
            for view in window.views:
                view.handle_event(event)
            if isinstance(event, EpochEnd):
                window.status.on_epoch(event)
            window.files.history.record(event)

    def _load_checkpoint(self, checkpoint: Path) -> None:
        follower, config, dataset = self.follower, self._config, self.window.dataset
        if dataset is None:
            return
        epoch = _checkpoint_epoch(checkpoint)

        def work(progress, cancel):
            from aeviewer.gui.model_snapshot import model_snapshot

            model = follower.model_at(checkpoint, dataset)
            started, snapshot = model_snapshot(model, config, dataset, epoch=epoch)
            return model, started, snapshot

        task = BackgroundTask(work, "aeviewer-checkpoint", self)
        task.succeeded.connect(lambda result: self._on_checkpoint(follower, dataset, *result))
        task.failed.connect(lambda message: self.window.statusBar().showMessage(message, 10_000))
        task.finished.connect(self._on_checkpoint_done)
        self._checkpoint_task = task
        self._track(task)
        task.start()

    def _on_checkpoint(
        self, follower: Any, dataset: Dataset, model: Any, started: Started, snapshot: Snapshot
    ) -> None:
        window = self.window
        if follower is not self.follower or dataset is not window.dataset:
            return
        if self._started is None:
            # The first checkpoint brings the run's Started (the PCA baseline); it clears the
            # views, so the epochs seen so far are shown again after it.
            self._started = started
            window.show_events([started, *self._epochs])
            window.files.history.replace([started, *self._epochs])
        self._show([snapshot])
        window.model_mirror.set_model(model, self._config, dataset, snapshot.epoch)
        window.hand_model_to_views()
        window.files.update_actions()
        self.snapshot_shown.emit(snapshot.epoch)

    @Slot()
    def _on_checkpoint_done(self) -> None:
        self._checkpoint_task = None
        if self.following and self._pending_checkpoint is not None:
            self.poll()

    @Slot(object)
    def _on_state(self, state: RunState) -> None:
        self.action.setEnabled(state in (RunState.IDLE, RunState.PAUSED, RunState.FINISHED))

    @Slot(object)
    def _on_training_event(self, event: Event) -> None:
        # Training here replaces what was followed.
        if isinstance(event, Started) and self.following:
            self.stop()

    def _track(self, task: BackgroundTask) -> None:
        self._tasks.add(task)
        task.finished.connect(lambda: (self._tasks.discard(task), task.deleteLater()))


def _checkpoint_epoch(path: Path) -> int:
    """The epoch in a checkpoint's name (``epoch-0003.safetensors`` -> 3; 0 when there is none)."""
    digits = "".join(ch for ch in path.stem if ch.isdigit())
    return int(digits) if digits else 0
