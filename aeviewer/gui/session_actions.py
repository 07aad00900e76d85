"""The File menu's work on models and sessions: save/open sessions, export/open models, export
data, and autosave. Everything that reads or writes files runs off the GUI thread.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QProgressBar, QStyle, QToolBar
from shiboken6 import isValid

from aeviewer.data.dataset import Dataset
from aeviewer.errors import AeviewerError, ConfigError
from aeviewer.gui import dialogs, file_dialogs
from aeviewer.gui.i18n import icon_text
from aeviewer.gui.state import RunState
from aeviewer.gui.threads import FunctionWorker, while_alive
from aeviewer.training.events import EpochEnd, Event, Finished, LrChanged, Snapshot, Started

translate = QCoreApplication.translate

if TYPE_CHECKING:
    from aeviewer.gui.main_window import MainWindow

#: Snapshots kept in memory for a session (a session file keeps at most its own limit).
MAX_SNAPSHOTS = 10
#: Autosave after every this many epochs, and whenever a run pauses or ends.
AUTOSAVE_EVERY = 5


def data_note(loaded: Any, dataset: Dataset) -> str:
    """A note when ``dataset`` is not the data the model was trained on (a model may be
    explored on any data of its size, but the user should know)."""
    from aeviewer.data.fingerprint import content_hash

    recorded = loaded.record.content_sha256
    if recorded and recorded != content_hash(dataset):
        return translate(
            "SessionActions",
            "note: {0} as prepared here differs from the data it was trained on, "
            "so its errors are not its training figures",
        ).format(dataset.name)
    return ""


def weights_only_state(state: Any, config: Any, *, epoch: int) -> Any:
    """A state with weights alone (:func:`aeviewer.training.state.weights_only_state`)."""
    from aeviewer.training.state import weights_only_state as build

    return build(state, config, epoch=epoch)


class RunHistory:
    """The events of the current model that a session saves: Started, epochs, the latest
    snapshots and Finished."""

    def __init__(self, max_snapshots: int = MAX_SNAPSHOTS) -> None:
        self._max = max_snapshots
        self._events: list[Event] = []

    def record(self, event: Event) -> None:
        """Keep ``event`` when a session needs it; a new Started begins a new history."""
        if isinstance(event, Started):
            if event.first_epoch == 0:
                self._events = [event]
            else:
                # A continued run: its history goes on (the newest Started describes the run).
                self._events = [event, *(e for e in self._events if not isinstance(e, Started))]
        elif isinstance(event, EpochEnd | Snapshot | Finished | LrChanged):
            self._events.append(event)
            snapshots = [e for e in self._events if isinstance(e, Snapshot)]
            if len(snapshots) > self._max:
                self._events.remove(snapshots[0])

    def replace(self, events: list[Event]) -> None:
        """Start over from ``events`` (an opened session or model)."""
        self._events = []
        for event in events:
            self.record(event)

    def clear(self) -> None:
        """Forget everything (on reset)."""
        self._events = []

    def events(self) -> list[Event]:
        """The kept events, in order."""
        return list(self._events)

    def latest_snapshot(self) -> Snapshot | None:
        """The newest snapshot, if any."""
        for event in reversed(self._events):
            if isinstance(event, Snapshot):
                return event
        return None


class SessionActions(QObject):
    """Save/Open session, Export/Open model, Export data, and autosave for one main window.

    Signals: ``done(str)`` names what finished (``"save"``, ``"open"``, ``"export"``,
    ``"model"``, ``"data"``, ``"autosave"``); ``failed(str)`` carries an error message (also
    shown in a dialog).
    """

    done = Signal(str)
    failed = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.history = RunHistory()
        #: The running workers by number (their ``finished`` removes them).
        self._tasks: dict[int, FunctionWorker] = {}
        self._task_count = 0
        self._autosaving = False
        self._pending_session: tuple[Any, Any, str] | None = None
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setVisible(False)
        window.statusBar().addWidget(self.busy)

        self.actions: dict[str, QAction] = {}
        for name, text, slot in (
            ("open_session", translate("SessionActions", "Open &session…"), self.open_session),
            ("save_session", translate("SessionActions", "Sa&ve session…"), self.save_session),
            ("open_model", translate("SessionActions", "Open &model…"), self.open_model),
            ("export_model", translate("SessionActions", "&Export model…"), self.export_model),
            ("export_data", translate("SessionActions", "Export &data…"), self.export_data),
            (
                "export_projector",
                translate("SessionActions", "Export for the Embedding &Projector…"),
                self.export_projector,
            ),
        ):
            action = QAction(text, window)
            action.triggered.connect(slot)
            self.actions[name] = action
        self.actions["save_session"].setShortcut("Ctrl+S")
        self.actions["export_model"].setShortcut("Ctrl+E")

        controller = window.controller
        controller.event.connect(self._on_event)
        controller.state_changed.connect(self._on_state)
        controller.reset_done.connect(self._on_reset)
        window.data_panel.dataset_changed.connect(self._on_dataset_loaded)
        window.data_panel.load_failed.connect(self._on_dataset_failed)
        self.update_actions()

    def install(self, menu: QMenu, before: QAction) -> None:
        """Put the actions into ``menu`` above ``before``."""
        for names in (
            ("open_session", "save_session"),
            ("open_model", "export_model"),
            ("export_data", "export_projector"),
        ):
            for name in names:
                menu.insertAction(before, self.actions[name])
            menu.insertSeparator(before)

    def make_toolbar(self, extra: QAction) -> QToolBar:
        """A toolbar with the session and model buttons, and ``extra`` (Open run directory…)."""
        style = self.window.style()
        icons = {
            "open_session": QStyle.StandardPixmap.SP_DialogOpenButton,
            "save_session": QStyle.StandardPixmap.SP_DialogSaveButton,
            "open_model": QStyle.StandardPixmap.SP_FileIcon,
            "export_model": QStyle.StandardPixmap.SP_ArrowUp,
        }
        bar = QToolBar(translate("SessionActions", "File"))
        bar.setObjectName("file_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for name, pixmap in icons.items():
            action = self.actions[name]
            action.setIcon(style.standardIcon(pixmap))
            action.setIconText(icon_text(action.text()))
            bar.addAction(action)
        extra.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DirOpenIcon))
        extra.setIconText(translate("SessionActions", "Follow run"))
        bar.addAction(extra)
        return bar

    def update_actions(self) -> None:
        """Enable what makes sense now."""
        state = self.window.controller.state
        calm = state in (RunState.IDLE, RunState.PAUSED, RunState.FINISHED)
        has_data = self.window.dataset is not None
        has_model = self.window.model_mirror.has_model
        snapshot = self.history.latest_snapshot()
        has_latents = snapshot is not None and snapshot.latents is not None
        self.actions["open_session"].setEnabled(calm)
        self.actions["open_model"].setEnabled(calm and has_data)
        self.actions["save_session"].setEnabled(calm and has_data)
        self.actions["export_model"].setEnabled(calm and has_model)
        self.actions["export_data"].setEnabled(has_data and has_latents)
        self.actions["export_projector"].setEnabled(has_data and has_latents)

    @property
    def has_tasks(self) -> bool:
        """True while a file task runs."""
        return bool(self._tasks)

    def shutdown(self) -> None:
        """Ask every file task to stop (the window is closing); waits for none. A write that
        is under way still ends with its file moved into place or not at all."""
        for task in self._tasks.values():
            task.quit()

    # -- sessions ------------------------------------------------------------------------------
    @Slot()
    def save_session(self) -> None:
        path = file_dialogs.ask_save_path(
            self.window, translate("SessionActions", "Save session"), file_dialogs.SESSION_FILTER
        )
        if path:
            self.save_session_to(path)

    def make_session(self) -> Any:
        """The current work as an :class:`aeviewer.io.Session` (in the GUI thread: cheap)."""
        from aeviewer.io import make_session

        window = self.window
        dataset = window.dataset
        if dataset is None:
            raise ConfigError(
                translate("SessionActions", "no data set is loaded, so there is nothing to save")
            )
        mirror = window.model_mirror
        config = mirror.config or window.controller.config or window.run_config()
        view_state = {view.title: view.view_state() for view in window.views}
        return make_session(
            config,
            dataset,
            self.history.events(),
            model=mirror.model,
            view_state={k: v for k, v in view_state.items() if v},
            training_state=window.controller.resume_state,
        )

    def save_session_to(self, path: str | Path) -> FunctionWorker | None:
        """Write the session to ``path`` in the background."""
        from aeviewer.io import save_session

        try:
            session = self.make_session()
        except AeviewerError as exc:
            self._fail(translate("SessionActions", "Cannot save the session"), str(exc))
            return None
        return self._start(
            lambda progress, cancel: save_session(path, session),
            "save",
            lambda written: self._status(
                translate("SessionActions", "Session saved to {0}").format(written)
            ),
            translate("SessionActions", "Cannot save the session"),
        )

    @Slot()
    def open_session(self) -> None:
        path = file_dialogs.ask_open_path(
            self.window, translate("SessionActions", "Open session"), file_dialogs.SESSION_FILTER
        )
        if path:
            self.open_session_from(path)

    def open_session_from(self, path: str | Path) -> FunctionWorker | None:
        """Open a ``.aev`` session: reload its data set, replay its events, restore its model."""
        if not self.window.confirm_reset(translate("SessionActions", "opening a session")):
            return None
        self.window.controller.reset()

        def work(progress, cancel):
            from aeviewer.io import open_session

            session = open_session(path)
            loaded = session.loaded_model() if session.has_model else None
            return session, loaded

        return self._start(
            work,
            "open",
            lambda result: self._apply_session(*result, str(path)),
            translate("SessionActions", "Cannot open the session"),
            report_done=False,
        )

    def _apply_session(self, session: Any, loaded: Any, path: str) -> None:
        window = self.window
        window.model_panel.set_spec(session.config.model)
        window.training_panel.set_spec(session.config.train)
        window.show_family_views()
        # The data are prepared as the session's run prepared them.
        window.pin_data_spec(session.config.data)
        source, labels = session.data.source, session.config.data.label_column
        if window.dataset is not None and window.data_panel.holds(source, labels):
            self._replay_session(session, loaded, path, window.dataset)
        else:
            self._pending_session = (session, loaded, path)
            self._busy(True)
            window.data_panel.load(source, labels)

    @Slot(object)
    def _on_dataset_loaded(self, _: Dataset) -> None:
        pending, self._pending_session = self._pending_session, None
        self._busy(bool(self._tasks))
        if pending is not None and self.window.dataset is not None:
            self._replay_session(*pending, self.window.dataset)
        self.update_actions()

    @Slot(str)
    def _on_dataset_failed(self, _: str) -> None:
        # The data panel has shown the error already.
        self._pending_session = None
        self._busy(bool(self._tasks))

    def _replay_session(self, session: Any, loaded: Any, path: str, dataset: Dataset) -> None:
        from aeviewer.io.session import data_fits_session_model

        try:
            session.data.check(dataset, path)
            data_fits_session_model(session, dataset)
        except AeviewerError as exc:
            self._fail(translate("SessionActions", "Cannot open the session"), str(exc))
            return
        window = self.window
        events = session.events()
        window.show_events(events)
        self.history.replace(events)
        for view in window.views:
            state = session.view_state.get(view.title)
            if isinstance(state, dict):
                view.restore_view_state(state)
        if loaded is not None:
            epoch = session.epochs[-1].epoch if session.epochs else loaded.record.epoch
            window.model_mirror.set_model(loaded.model, session.config, dataset, epoch)
            window.hand_model_to_views()
            state = session.training_state
            if state is not None:
                window.restore_model(state)
                self._check_session_data(state, dataset, path)
            else:
                window.restore_model(
                    weights_only_state(loaded.model.state_dict(), session.config, epoch=epoch),
                    from_weights=True,
                )
        self.update_actions()
        self._status(translate("SessionActions", "Session opened from {0}").format(path))
        self.done.emit("open")

    def _check_session_data(self, state: Any, dataset: Dataset, path: str) -> None:
        """Say so when the reloaded data differ in content from what the session's model was
        trained on (hashed in the background)."""

        def work(progress, cancel):
            from aeviewer.training.data_record import check_same_data

            check_same_data(state.data, dataset, path)

        self._start(
            work,
            "check-data",
            lambda _: None,
            translate("SessionActions", "The session's data differ"),
            quiet=False,
        )

    # -- models --------------------------------------------------------------------------------
    @Slot()
    def export_model(self) -> None:
        options = file_dialogs.ask_export_options(self.window)
        if options is None:
            return
        path = file_dialogs.ask_save_path(
            self.window, translate("SessionActions", "Export model"), f"{options[0]} (*)"
        )
        if path:
            self.export_model_to(path, *options)

    def export_model_to(
        self, path: str | Path, format: str = "safetensors", part: str = "full"
    ) -> FunctionWorker | None:
        """Export the current model in the background."""
        from aeviewer.io import export_model

        mirror = self.window.model_mirror
        if not mirror.has_model:
            self._fail(
                translate("SessionActions", "Cannot export the model"),
                translate("SessionActions", "there is no model yet; train or open one"),
            )
            return None
        loaded = mirror.loaded_model()
        # A copy: the mirror's weights change at the next snapshot while the export runs.
        loaded = type(loaded)(copy.deepcopy(loaded.model), loaded.config, loaded.record)
        return self._start(
            lambda progress, cancel: export_model(loaded, path, format=format, part=part),
            "export",
            lambda result: self._status(
                translate("SessionActions", "Model exported to {0}").format(result.path)
            ),
            translate("SessionActions", "Cannot export the model"),
        )

    @Slot()
    def open_model(self) -> None:
        path = file_dialogs.ask_open_path(
            self.window, translate("SessionActions", "Open model"), file_dialogs.MODEL_FILTER
        )
        if path:
            self.open_model_from(path)

    def open_model_from(self, path: str | Path) -> FunctionWorker | None:
        """Open a saved model, check it fits the data set and show one snapshot of it.

        When the loaded data are the model's own source, they are prepared as its run prepared
        them (normalisation, limit); a model may be explored on any data of its size, and the
        status bar notes data that differ from what it was trained on.
        """
        if self.window.dataset is None:
            self._fail(
                translate("SessionActions", "Cannot open the model"),
                translate("SessionActions", "load a data set first"),
            )
            return None
        if not self.window.confirm_reset(translate("SessionActions", "opening a model")):
            return None
        self.window.controller.reset()
        current, raw = self.window.dataset, self.window.loaded_dataset

        def work(progress, cancel):
            from aeviewer.data import prepare
            from aeviewer.gui.model_snapshot import model_snapshot
            from aeviewer.io import check_data_fits, open_model

            loaded = open_model(path)
            spec = loaded.config.data
            own = raw is not None and raw.source == spec.source
            dataset = prepare(raw, spec) if own else current
            check_data_fits(loaded.record.data, dataset, path)
            started, snapshot = model_snapshot(
                loaded.model, loaded.config, dataset, epoch=loaded.record.epoch
            )
            return loaded, started, snapshot, data_note(loaded, dataset), dataset, own

        return self._start(
            work,
            "model",
            lambda result: self._show_model(*result, current),
            translate("SessionActions", "Cannot open the model"),
        )

    def _show_model(
        self,
        loaded: Any,
        started: Started,
        snapshot: Snapshot,
        note: str,
        dataset: Dataset,
        own: bool,
        current: Dataset,
    ) -> None:
        window = self.window
        if window.dataset is not current:
            return
        if own:
            window.pin_data_spec(loaded.config.data, prepared=dataset)
        window.model_panel.set_spec(loaded.config.model)
        window.show_family_views()
        window.show_events([started, snapshot])
        self.history.replace([started, snapshot])
        window.model_mirror.set_model(loaded.model, loaded.config, dataset, loaded.record.epoch)
        window.hand_model_to_views()
        # An exported model has no training state: Start trains its weights further.
        window.restore_model(
            weights_only_state(loaded.model.state_dict(), loaded.config, epoch=loaded.record.epoch),
            from_weights=True,
        )
        message = translate("SessionActions", "Model opened from {0}").format(loaded.path)
        if note:
            message += f" ({note})"
        self._status(message)

    # -- data ----------------------------------------------------------------------------------
    @Slot()
    def export_data(self) -> None:
        path = file_dialogs.ask_save_path(
            self.window, translate("SessionActions", "Export data"), file_dialogs.DATA_FILTER
        )
        if path:
            self.export_data_to(path)

    def export_data_to(self, path: str | Path) -> FunctionWorker | None:
        """Write the latest snapshot's latents, projection, scores and labels as CSV or NPY."""
        from aeviewer.io import snapshot_table, write_table

        snapshot, dataset = self.history.latest_snapshot(), self.window.dataset
        if snapshot is None or dataset is None:
            self._fail(
                translate("SessionActions", "Cannot export the data"),
                translate("SessionActions", "there is no snapshot yet"),
            )
            return None
        projection = None
        latent = self._view("Latent space")
        if latent is not None and len(latent.positions) == len(snapshot.eval_indices):
            projection = latent.positions
        threshold = None
        anomalies = self._view("Anomalies")
        if anomalies is not None and snapshot.scores is not None:
            threshold = anomalies.threshold().resolve(snapshot.scores)
        table = snapshot_table(snapshot, dataset, projection=projection, threshold=threshold)
        return self._start(
            lambda progress, cancel: write_table(path, table),
            "data",
            lambda written: self._status(
                translate("SessionActions", "Data exported to {0}").format(written)
            ),
            translate("SessionActions", "Cannot export the data"),
        )

    @Slot()
    def export_projector(self) -> None:
        folder = file_dialogs.ask_folder(
            self.window, translate("SessionActions", "Folder for the Embedding Projector files")
        )
        if folder:
            self.export_projector_to(folder)

    def export_projector_to(self, folder: str | Path) -> FunctionWorker | None:
        """Write the Embedding Projector files of the latest snapshot into ``folder``."""
        from aeviewer.io import write_snapshot_projector

        snapshot, dataset = self.history.latest_snapshot(), self.window.dataset
        if snapshot is None or dataset is None:
            self._fail(
                translate("SessionActions", "Cannot export the data"),
                translate("SessionActions", "there is no snapshot yet"),
            )
            return None
        return self._start(
            lambda progress, cancel: write_snapshot_projector(folder, snapshot, dataset),
            "data",
            lambda files: self._status(
                translate("SessionActions", "Embedding Projector files written to {0}").format(
                    folder
                )
            ),
            translate("SessionActions", "Cannot export the data"),
        )

    # -- autosave ------------------------------------------------------------------------------
    def autosave(self) -> FunctionWorker | None:
        """Write the autosave in the background (skipped while one is being written)."""
        from aeviewer.io import write_autosave

        if self._autosaving or self.window.dataset is None or not self.history.events():
            return None
        try:
            session = self.make_session()
        except AeviewerError:
            return None
        self._autosaving = True
        task = self._start(
            lambda progress, cancel: write_autosave(session),
            "autosave",
            lambda _: None,
            translate("SessionActions", "Autosave failed"),
            quiet=True,
        )
        return task

    def clear_autosave(self) -> None:
        """Remove this process's autosave: the app is closing cleanly, so nothing needs
        recovering (other running aeviewers keep theirs)."""
        from aeviewer.io import clear_autosave

        clear_autosave()

    def offer_autosave(self) -> FunctionWorker:
        """Look for an autosave a crashed aeviewer left in the background and offer to restore
        it: restored, it becomes this process's autosave; declined, it is removed."""

        def work(progress, cancel):
            from aeviewer.io import find_autosave

            return find_autosave()

        return self._start(work, "find-autosave", self._on_autosave_found, "", quiet=True)

    def _on_autosave_found(self, path: Path | None) -> None:
        if path is None or self.window.is_closing:
            return

        def answer(restore: bool) -> None:
            from aeviewer.io import adopt_autosave, clear_autosave

            if not restore:
                clear_autosave(path)
            elif self.open_session_from(path) is not None:
                # Later autosaves replace it, and a clean exit removes it.
                with contextlib.suppress(AeviewerError):
                    adopt_autosave(path)

        self._autosave_prompt = file_dialogs.offer_autosave(self.window, str(path), answer)

    # -- internals -----------------------------------------------------------------------------
    def _view(self, title: str):
        for view in self.window.views:
            if view.title == title:
                return view
        return None

    @Slot(object)
    def _on_event(self, event: Event) -> None:
        self.history.record(event)
        if isinstance(event, Snapshot):
            self.update_actions()
            if event.epoch % AUTOSAVE_EVERY == 0:
                self.autosave()

    @Slot(object)
    def _on_state(self, state: RunState) -> None:
        self.update_actions()
        if state in (RunState.PAUSED, RunState.FINISHED):
            self.autosave()

    @Slot()
    def _on_reset(self) -> None:
        self.history.clear()
        self.update_actions()

    def _start(
        self,
        work: Callable,
        what: str,
        on_success: Callable[[Any], None],
        failure_title: str,
        *,
        quiet: bool = False,
        report_done: bool = True,
    ) -> FunctionWorker:
        """Run ``work(progress, cancel)`` in the pool; ``on_success(result)`` in the GUI thread.

        The slots get what they need bound in (never the worker itself), so nothing the worker
        holds points back at it.
        """
        task = FunctionWorker(work, f"aeviewer-{what}")
        self._task_count += 1
        number = self._task_count
        self._tasks[number] = task
        signals = task.signals
        returned = partial(self._on_task_returned, on_success, what, report_done)
        signals.returned.connect(while_alive(self, returned))
        signals.errored.connect(
            while_alive(self, partial(self._on_task_errored, failure_title, quiet))
        )
        # Not while_alive: an autosave that ends after the window went still removes its file.
        signals.finished.connect(partial(self._on_task_finished, number, what))
        if not quiet:
            self._busy(True)
        task.start()
        return task

    def _on_task_returned(
        self, on_success: Callable[[Any], None], what: str, report_done: bool, result: object
    ) -> None:
        on_success(result)
        if report_done:
            self.done.emit(what)

    def _on_task_errored(self, failure_title: str, quiet: bool, message: str) -> None:
        if quiet:
            self.window.statusBar().showMessage(f"{failure_title}: {message}", 10_000)
            self.failed.emit(message)
        else:
            self._fail(failure_title, message)

    def _on_task_finished(self, number: int, what: str) -> None:
        self._tasks.pop(number, None)
        # The slots are partials, which Qt does not disconnect when this object is deleted.
        alive = isValid(self)
        if what == "autosave":
            self._autosaving = False
            if not alive or self.window.is_closing:
                # Written after the window closed: a clean exit leaves no autosave.
                self.clear_autosave()
        if not alive:
            return
        self._busy(bool(self._tasks) or self._pending_session is not None)
        self.update_actions()

    def _busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    def _status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 10_000)

    def _fail(self, title: str, message: str) -> None:
        self.failed.emit(message)
        dialogs.show_error(self.window, title, message)
