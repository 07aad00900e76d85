"""Open run directory…: follow a run that another process (or machine) is writing.

The data are prepared as the run prepared them (its ``config.json``). A timer starts a poll in
the background: it reads the bytes appended to ``metrics.jsonl`` and looks for a new checkpoint
and the run's status; new epochs (with their learning-rate changes) go to the views, and a new
checkpoint is read, checked against the data and snapshotted off the GUI thread, then shown.
Its training state becomes what Start continues. The status bar says when the run finished,
or when it stopped without finishing and how to resume it.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction

from aeviewer.data.dataset import Dataset
from aeviewer.errors import RunError
from aeviewer.gui import dialogs, file_dialogs
from aeviewer.gui.state import RunState
from aeviewer.gui.threads import FunctionWorker, while_alive
from aeviewer.training.events import EpochEnd, Event, Snapshot, Started

translate = QCoreApplication.translate

if TYPE_CHECKING:
    from aeviewer.gui.main_window import MainWindow

#: Milliseconds between two polls of the followed run.
POLL_MS = 500


class RunFollowing(QObject):
    """Follows one run directory at a time for a main window.

    Signals: ``epochs_added(int)`` after new epochs were shown, ``snapshot_shown(int)`` with the
    epoch of a checkpoint shown in the views, ``status_changed(state, message)`` when the run
    starts running, finishes or stalls (``running``, ``finished``, ``stalled``).
    """

    epochs_added = Signal(int)
    snapshot_shown = Signal(int)
    status_changed = Signal(str, str)

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
        #: Running workers by number; their ``finished`` removes them.
        self._tasks: dict[int, FunctionWorker] = {}
        self._task_count = 0
        self._checkpoint_task: int | None = None
        self._poll_task: int | None = None
        self._run_state = ""
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.action = QAction(translate("RunFollowing", "Open &run directory…"), window)
        self.action.setToolTip(
            translate("RunFollowing", "Follow a run that aeviewer train writes (here or elsewhere)")
        )
        self.action.triggered.connect(self.open)
        window.controller.reset_done.connect(self.stop)
        window.controller.state_changed.connect(self._on_state)
        window.controller.event.connect(self._on_training_event)
        window.data_panel.dataset_changed.connect(self._on_dataset_loaded)
        window.data_panel.load_failed.connect(self._on_dataset_failed)

    @property
    def run_state(self) -> str:
        """The followed run's state (``running``, ``finished``, ``stalled``), "" when none."""
        return self._run_state if self.following else ""

    @property
    def following(self) -> bool:
        """True while a run directory is followed."""
        return self.follower is not None

    @Slot()
    def open(self) -> None:
        folder = file_dialogs.ask_folder(
            self.window, translate("RunFollowing", "Open run directory")
        )
        if folder:
            self.follow(folder)

    def follow(self, path: str | Path) -> FunctionWorker | None:
        """Start following the run directory ``path`` (its config is read in the background)."""
        if not self.window.confirm_reset(translate("RunFollowing", "following a run directory")):
            return None
        self.window.controller.reset()

        def work(progress, cancel):
            from aeviewer.io import RunFollower

            follower = RunFollower(path)
            config = follower.config()
            if config is None:
                raise RunError(f"{path}: not a run directory (no readable config.json)")
            return follower, config

        task = FunctionWorker(work, "aeviewer-open-run")
        task.signals.returned.connect(self._on_opened)
        task.signals.errored.connect(self._on_open_failed)
        self._track(task)
        task.start()
        return task

    @Slot(object)
    def _on_opened(self, result: tuple[Any, Any]) -> None:
        self._begin(*result)

    @Slot(str)
    def _on_open_failed(self, message: str) -> None:
        dialogs.show_error(self.window, translate("RunFollowing", "Cannot open the run"), message)

    def stop(self) -> None:
        """Stop following (a reset, or training here)."""
        self.timer.stop()
        self._run_state = ""
        self.follower = None
        self._config = None
        self._started = None
        self._epochs = []
        self._pending_checkpoint = None
        self._waiting_for_data = False

    def shutdown(self) -> None:
        """Stop following and ask the background work to stop (the window is closing)."""
        self.stop()
        for task in self._tasks.values():
            task.quit()

    # -- following -----------------------------------------------------------------------------
    def _begin(self, follower: Any, config: Any) -> None:
        window = self.window
        self.stop()
        self.follower, self._config, self.path = follower, config, follower.run_dir
        window.model_panel.set_spec(config.model)
        window.training_panel.set_spec(config.train)
        window.show_family_views()
        window.show_events([])
        window.setWindowTitle(
            translate("RunFollowing", "aeviewer — following {0}").format(follower.run_dir.name)
        )
        # Prepared as the run prepared them (normalisation, limit, split), not as the defaults.
        window.pin_data_spec(config.data)
        if window.dataset is not None and window.data_panel.holds(
            config.data.source, config.data.label_column
        ):
            self._start_polling()
        else:
            self._waiting_for_data = True
            window.data_panel.load(config.data.source, config.data.label_column)

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
        """Read what the run appended, in the background (one poll at a time)."""
        follower = self.follower
        if follower is None or self._poll_task is not None:
            return

        def work(progress, cancel):
            events = follower.poll()
            return events, follower.new_checkpoint(), follower.status()

        task = FunctionWorker(work, "aeviewer-follow-poll")
        task.signals.returned.connect(self._on_polled)
        task.signals.errored.connect(self._on_poll_failed)
        task.signals.finished.connect(self._on_poll_done)
        self._poll_task = self._track(task)
        task.start()

    @Slot(object)
    def _on_polled(self, result: tuple[list[Event], Any, Any]) -> None:
        events, checkpoint, status = result
        if self.follower is None:
            return
        if events:
            self._epochs.extend(events)
            self._show(events)
            self.epochs_added.emit(sum(isinstance(e, EpochEnd) for e in events))
        if checkpoint is not None:
            self._pending_checkpoint = checkpoint
        if self._pending_checkpoint is not None and self._checkpoint_task is None:
            self._load_checkpoint(self._pending_checkpoint)
            self._pending_checkpoint = None
        self._show_status(status)

    @Slot(str)
    def _on_poll_failed(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 10_000)

    @Slot()
    def _on_poll_done(self) -> None:
        self._poll_task = None

    def _show_status(self, status: Any) -> None:
        if status.state == self._run_state:
            return
        self._run_state = status.state
        self.status_changed.emit(status.state, status.message)
        if status.state == "running":
            self.window.statusBar().showMessage(status.message, 5_000)
            return
        # Finished or stalled: the message stays until something else is said.
        self.window.statusBar().showMessage(status.message)

    def _show(self, events: list[Event]) -> None:
        window = self.window
        for event in events:
            for view in window.views:
                view.handle_event(event)
            if isinstance(event, EpochEnd):
                window.status.on_epoch(event)
            window.files.history.record(event)

    def _load_checkpoint(self, checkpoint: Any) -> None:
        follower, config, dataset = self.follower, self._config, self.window.dataset
        if dataset is None:
            return

        def work(progress, cancel):
            from aeviewer.gui.model_snapshot import model_snapshot
            from aeviewer.training.checkpoints import read_checkpoint

            state = read_checkpoint(checkpoint.meta_path)
            model = follower.model_at(checkpoint.meta_path, dataset, state=state)
            started, snapshot = model_snapshot(model, config, dataset, epoch=state.epoch)
            return model, state, started, snapshot

        task = FunctionWorker(work, "aeviewer-checkpoint")
        task.signals.returned.connect(
            while_alive(self, partial(self._on_checkpoint_read, follower, dataset))
        )
        task.signals.errored.connect(self._on_checkpoint_failed)
        task.signals.finished.connect(self._on_checkpoint_done)
        self._checkpoint_task = self._track(task)
        task.start()

    def _on_checkpoint_read(self, follower: Any, dataset: Dataset, result: tuple) -> None:
        self._on_checkpoint(follower, dataset, *result)

    @Slot(str)
    def _on_checkpoint_failed(self, message: str) -> None:
        if "differs in content" in message or "trained on" in message:
            # Wrong pictures would follow from every checkpoint: say it once and stop.
            self.stop()
            dialogs.show_error(
                self.window, translate("RunFollowing", "Cannot follow the run"), message
            )
        else:
            self.window.statusBar().showMessage(message, 10_000)

    def _on_checkpoint(
        self,
        follower: Any,
        dataset: Dataset,
        model: Any,
        state: Any,
        started: Started,
        snapshot: Snapshot,
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
        # Start continues the run from here (in this window; the run directory is not touched).
        window.restore_model(state)
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

    def _track(self, task: FunctionWorker) -> int:
        self._task_count += 1
        number = self._task_count
        self._tasks[number] = task
        task.signals.finished.connect(while_alive(self, partial(self._tasks.pop, number, None)))
        return number
