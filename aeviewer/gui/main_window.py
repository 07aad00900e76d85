"""The main window: the docks, the view tabs, the menus, and the wiring between them."""

from __future__ import annotations

import contextlib
import json
from dataclasses import replace
from functools import partial

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QScrollArea,
    QTabWidget,
    QToolBar,
    QWidget,
)

from aeviewer.config import DataSpec, ModelSpec, RunConfig
from aeviewer.data import DEFAULT_SOURCE, prepare
from aeviewer.data.dataset import Dataset
from aeviewer.errors import AeviewerError, ConfigError
from aeviewer.gui import dialogs
from aeviewer.gui.controller import TrainingController
from aeviewer.gui.garbage import COLLECTOR
from aeviewer.gui.language_menu import LanguageMenu
from aeviewer.gui.model_mirror import ModelMirror
from aeviewer.gui.model_weights import ModelWeights
from aeviewer.gui.panels.data_panel import DataPanel
from aeviewer.gui.panels.model_panel import ModelPanel
from aeviewer.gui.panels.training_panel import TrainingPanel
from aeviewer.gui.run_comparison import RunComparison
from aeviewer.gui.run_following import RunFollowing
from aeviewer.gui.session_actions import SessionActions
from aeviewer.gui.space_key import SpaceKeyFilter
from aeviewer.gui.state import RunState, has_model
from aeviewer.gui.threads import FunctionWorker
from aeviewer.gui.view_wiring import hand_decoder, link_views, show_views_for, view_title
from aeviewer.gui.views import view_classes
from aeviewer.gui.views.base import View
from aeviewer.gui.widgets.training_status import TrainingStatus, reason_text, state_text
from aeviewer.training.events import EpochEnd, Event, Finished, Progress, Started

translate = QCoreApplication.translate

#: The version of the run settings saved between starts: 2 since the learning rate is
#: automatic by default and L1-penalised codes are softplus (settings without it are older).
RUN_SETTINGS_VERSION = 2
#: The learning rate every run had by default before it was automatic.
FORMER_DEFAULT_LR = 1e-3


def _settings_version(settings: QSettings) -> int:
    """The saved run settings' version (1 for settings saved before versions existed)."""
    try:
        return int(settings.value("run/version", 1))
    except (TypeError, ValueError):
        return 1


def describe_spec(spec: DataSpec) -> str:
    """The settings of ``spec`` that differ from the defaults, e.g. ``normalize zscore,
    limit 3000``."""
    default = DataSpec(source=spec.source)
    changed = [
        f"{name.replace('_', ' ')} {value}"
        for name, value in vars(spec).items()
        if name != "source" and value != getattr(default, name)
    ]
    return ", ".join(changed) or translate("MainWindow", "the defaults")


def probe_devices(progress, cancel) -> list[str]:
    """The devices this machine has; runs in the background, as it imports torch.

    It also builds a throwaway optimiser: the first one in a process imports torch's compiler
    stack (over a second), which the first Start would otherwise wait for.
    """
    import torch

    from aeviewer.training.devices import available_devices

    torch.optim.Adam([torch.zeros(1, requires_grad=True)])
    return available_devices()


class MainWindow(QMainWindow):
    """Data, Model and Training docks on the left, view tabs in the centre, a status bar.

    ``first_shown`` fires once, on the first event-loop turn after the window is shown.
    """

    first_shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("aeviewer")
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks)
        self._shown_once = False
        self._closed = False
        self._device_task: FunctionWorker | None = None
        self._continues_from_weights = False
        #: How the last run ended (Finished.reason, or "failed"), for the status bar.
        self._ended: str | None = None
        self._prepared: Dataset | None = None
        self._loaded: Dataset | None = None
        #: The data preparation of an opened run, session or model, applied to its source.
        self._pinned_data: DataSpec | None = None
        COLLECTOR.hold()

        self.controller = TrainingController(self._run_request, self)
        #: The GUI thread's CPU copy of the current model (decoding, export, sessions).
        self.model_mirror = ModelMirror()
        self._views_decode = False
        self.data_panel = DataPanel()
        self.model_panel = ModelPanel()
        self.training_panel = TrainingPanel(self.controller.actions)
        self.docks = {
            "data": self._dock("data", translate("MainWindow", "Data"), self.data_panel),
            "model": self._dock("model", translate("MainWindow", "Model"), self.model_panel),
            "training": self._dock(
                "training", translate("MainWindow", "Training"), self.training_panel
            ),
        }
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # The views (pyqtgraph, a second to import) are built just after the window shows.
        self.views: list[View] = []
        self.tab_actions: list[QAction] = []
        self.setCentralWidget(self.tabs)
        self.status = TrainingStatus()
        self.statusBar().addPermanentWidget(self.status)
        self._build_menus()
        self._connect()
        #: Space starts and pauses unless a text field has the focus (see SpaceKeyFilter).
        self._space_filter = SpaceKeyFilter(self)
        QApplication.instance().installEventFilter(self._space_filter)
        #: Sessions, model and data export, opening models, autosave.
        self.files = SessionActions(self)
        self.files.install(self.file_menu, self.quit_action)
        #: Open run directory…: follows a run written elsewhere.
        self.following = RunFollowing(self)
        self.following.status_changed.connect(self.show_state)
        self.file_menu.insertAction(self.files.actions["export_model"], self.following.action)
        #: Runs compared side by side: the Runs panel and table, overlays in Loss and PCA.
        self.comparison = RunComparison(self)
        self.file_menu.insertAction(self.files.actions["export_model"], self.comparison.action)
        self.addToolBar(self.files.make_toolbar(self.following.action))
        # The training controls in reach whatever the window's height (the Training panel's
        # buttons can scroll out of sight on a small screen).
        self.addToolBar(self._training_toolbar())
        self.resize(1400, 900)
        self._restore_settings()
        self.show_family_views()

    # -- construction --------------------------------------------------------------------------
    def _dock(self, key: str, title: str, panel: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        # The object name (the saved layout's key) stays English whatever the language.
        dock.setObjectName(f"{key}_dock")
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(330)
        dock.setWidget(scroll)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        return dock

    def _training_toolbar(self) -> QToolBar:
        bar = QToolBar(translate("MainWindow", "Training"))
        bar.setObjectName("training_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for name in ("start", "pause", "step", "stop", "reset"):
            bar.addAction(self.controller.actions[name])
        return bar

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(translate("MainWindow", "&File"))
        self.file_menu = file_menu
        self.open_action = QAction(translate("MainWindow", "&Open data file…"), self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.data_panel.open_file)
        file_menu.addAction(self.open_action)
        open_folder = QAction(translate("MainWindow", "Open image &folder…"), self)
        open_folder.triggered.connect(self.data_panel.open_folder)
        file_menu.addAction(open_folder)
        file_menu.addSeparator()
        self.quit_action = QAction(translate("MainWindow", "&Quit"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        train_menu = bar.addMenu(translate("MainWindow", "&Training"))
        actions = self.controller.actions
        for name in ("start", "pause", "step", "stop", "reset"):
            train_menu.addAction(actions[name])
        # Not in a menu (its text would duplicate Start and Pause), but active window-wide.
        self.addAction(actions["start_pause"])

        self.view_menu = bar.addMenu(translate("MainWindow", "&View"))
        self._tabs_separator = self.view_menu.addSeparator()
        for dock in self.docks.values():
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.language_menu = LanguageMenu(self)
        self.view_menu.addMenu(self.language_menu)

    def _build_views(self) -> None:
        """Create the centre tabs, their Ctrl+N actions, and restore their settings."""
        from aeviewer.gui.app import configure_pyqtgraph

        configure_pyqtgraph()
        for index, cls in enumerate(view_classes()):
            view = cls()
            self.views.append(view)
            # view.title stays English: it keys settings and sessions.
            title = view_title(view)
            self.tabs.addTab(view, title)
            if index < 9:
                # Its Ctrl+N follows the tabs shown (see show_views_for).
                action = QAction(title, self)
                action.triggered.connect(partial(self.tabs.setCurrentIndex, index))
                self.view_menu.insertAction(self._tabs_separator, action)
                self.tab_actions.append(action)
        link_views(self.views)
        # The Anomalies view's one-class table measures the family and settings the panels
        # describe.
        self.view("Anomalies").config_source = self.run_config
        self.show_family_views()
        settings = QSettings()
        for view in self.views:
            restore = getattr(view, "restore_settings_state", None)
            text = settings.value(f"views/{view.title}")
            if restore is not None and text:
                with contextlib.suppress(ValueError, TypeError):
                    restore(json.loads(text))
        self.tabs.setCurrentIndex(int(settings.value("window/tab", 0) or 0))
        self.show_family_views()

    @Slot()
    def show_family_views(self) -> None:
        """Show the tabs that mean something for the family in the Model panel."""
        kind = self.model_panel.family.currentData()
        self.training_panel.set_family(kind)
        if self.views:
            show_views_for(kind, self.tabs, self.views, self.tab_actions)

    def _connect(self) -> None:
        c = self.controller
        c.event.connect(self._on_event)
        c.progress.connect(self._on_progress)
        c.weights.connect(self._on_weights)
        c.errored.connect(self._on_errored)
        c.request_failed.connect(self._on_request_failed)
        c.state_changed.connect(self.show_state)
        c.reset_done.connect(self._on_reset_done)
        self.data_panel.confirm_change = lambda: self.confirm_reset(
            translate("MainWindow", "the data set")
        )
        self.data_panel.dataset_changed.connect(self._on_dataset_changed)
        self.data_panel.preparation.confirm_change = lambda: self.confirm_reset(
            translate("MainWindow", "the data preparation")
        )
        self.data_panel.preparation.changed.connect(self._on_preparation_changed)
        self.model_panel.changed.connect(self._on_model_edited)
        self.model_panel.family.currentIndexChanged.connect(self.show_family_views)
        self.training_panel.lr_changed.connect(c.set_lr)
        self.training_panel.lr_d_changed.connect(c.set_lr_d)
        self.training_panel.device.currentTextChanged.connect(self._on_device_picked)

    # -- the run -------------------------------------------------------------------------------
    @property
    def dataset(self) -> Dataset | None:
        """The loaded data set, prepared as the engine trains on it (see :func:`prepare`)."""
        return self._prepared

    def run_config(self) -> RunConfig:
        """The config the panels describe; raises ConfigError for invalid settings."""
        return RunConfig(
            data=self.data_spec(),
            model=self.model_panel.spec(),
            train=self.training_panel.spec(),
        )

    def data_spec(self, source: str | None = None) -> DataSpec:
        """How the data of ``source`` (default: the Data panel's) are prepared: as an opened
        run, session or model prepared them when it is theirs, else the defaults."""
        source = source or self.data_panel.source or DEFAULT_SOURCE
        # The labels are where the Data panel found them (its Labels choice for a table).
        labels = self.data_panel.label_column
        pinned = self._pinned_data
        if pinned is not None and pinned.source == source:
            spec = replace(pinned, label_column=labels)
        else:
            spec = DataSpec(source=source, label_column=labels)
        if source == self.data_panel.source:
            # The Data panel's normalisation and normal class, which show the pinned ones.
            box = self.data_panel.preparation
            spec = replace(spec, normalize=box.normalize, normal_class=box.normal_class)
        return spec

    def pin_data_spec(self, spec: DataSpec | None, prepared: Dataset | None = None) -> None:
        """Prepare ``spec.source`` as ``spec`` says from now on (an opened run, session or
        model trained on it so); the loaded data are prepared again at once when they are that
        source (``prepared``: already prepared so, off the GUI thread). None goes back to the
        default preparation."""
        if spec == self._pinned_data and (prepared is None or prepared is self._prepared):
            return
        self._pinned_data = spec
        self._show_pinned_preparation()
        loaded = self._loaded
        if loaded is not None and (spec is None or spec.source == self.data_panel.source):
            self._show_prepared(loaded, prepared)
            if spec is not None and spec != DataSpec(source=spec.source):
                self.statusBar().showMessage(
                    translate(
                        "MainWindow", "Data prepared as the opened run prepared them: {0}"
                    ).format(describe_spec(spec)),
                    10_000,
                )

    @property
    def loaded_dataset(self) -> Dataset | None:
        """The data set as loaded, before preparation."""
        return self._loaded

    def _run_request(self) -> tuple[RunConfig, Dataset]:
        if self.dataset is None:
            raise ConfigError(
                translate("MainWindow", "no data set is loaded yet; pick one in the Data panel")
            )
        return self.run_config(), self.dataset

    def confirm_reset(self, what: str) -> bool:
        """Before a change that needs a new model: True when there is none or the user agreed."""
        if not has_model(self.controller.state):
            return True
        if dialogs.ask_reset(self, what):
            self.controller.reset()
            return True
        return False

    @Slot()
    def _on_model_edited(self) -> None:
        if self.controller.config is not None and not self.confirm_reset(
            translate("MainWindow", "the model")
        ):
            self.model_panel.set_spec(self.controller.config.model)

    @Slot(str)
    def _on_device_picked(self, device: str) -> None:
        if not has_model(self.controller.state):
            self.status.set_device(device)

    @Slot(object)
    def _on_event(self, event: Event) -> None:
        for view in self.views:
            view.handle_event(event)
        if isinstance(event, Started):
            self.status.on_started(event)
            if event.first_epoch:
                self.statusBar().showMessage(self._continuing_message(event), 10_000)
            for warning in event.warnings:
                self.statusBar().showMessage(warning, 10_000)
        elif isinstance(event, EpochEnd):
            self.status.on_epoch(event)
            self.model_mirror.step = event.step
        elif isinstance(event, Finished):
            self.model_mirror.reason = event.reason
            self._on_finished(event)

    @Slot(object)
    def _on_weights(self, weights: ModelWeights) -> None:
        config, dataset = self.controller.config, self.dataset
        if config is None or dataset is None:
            return
        self.model_mirror.load_state(config, dataset, weights.state, weights.epoch)
        # The decoder reads the newest weights itself, and the Snapshot that follows redraws
        # what depends on them: the views hear of the decoder only when it comes or goes.
        if self.model_mirror.can_decode() != self._views_decode:
            self.hand_model_to_views()

    def hand_model_to_views(self) -> None:
        """Give the views the mirror's decoder (None when the model cannot decode)."""
        mirror = self.model_mirror
        self._views_decode = mirror.can_decode()
        hand_decoder(self.views, mirror.decode if self._views_decode else None)

    def show_events(self, events: list[Event]) -> None:
        """Show recorded events (an opened session or model) in fresh views and the status bar."""
        for view in self.views:
            view.reset_view()
        self.status.clear()
        for event in events:
            for view in self.views:
                view.handle_event(event)
            if isinstance(event, Started):
                self.status.on_started(event)
            elif isinstance(event, EpochEnd):
                self.status.on_epoch(event)

    @Slot(object)
    def _on_progress(self, event: Progress) -> None:
        self.status.on_progress(event)
        for view in self.views:
            on_progress = getattr(view, "on_progress", None)
            if on_progress is not None:
                on_progress(event)

    def _continuing_message(self, event: Started) -> str:
        if self._continues_from_weights:
            text = translate(
                "MainWindow",
                "Continuing after epoch {0} to epoch {1}, from the weights with a fresh "
                "optimiser (no training state was saved).",
            )
        else:
            text = translate(
                "MainWindow",
                "Continuing after epoch {0} to epoch {1}, from the whole training state.",
            )
        return text.format(event.first_epoch, event.total_epochs)

    @Slot()
    def show_state(self, *_: object) -> None:
        """Put where the session stands into the status bar (the state, how the last run
        ended, a model that Start continues, a followed run)."""
        c = self.controller
        following = getattr(self, "following", None)
        self.status.watch(c.control)
        self.status.set_state(
            c.state,
            state_text(
                c.state,
                reason=self._ended,
                continues=c.continues,
                following=following.run_state if following is not None else "",
                waiting=c.waiting_for_previous_run,
            ),
        )

    def restore_model(self, state, *, from_weights: bool = False) -> None:
        """Make Start continue ``state`` (a TrainingState) instead of building a new model.

        ``from_weights`` says that the state holds weights only (an exported model), which the
        status bar tells when training continues.
        """
        self._continues_from_weights = from_weights
        self.controller.restore(state)
        self.show_state()

    def _on_finished(self, event: Finished) -> None:
        self._continues_from_weights = False
        self._ended = event.reason
        self.show_state()
        if event.reason == "diverged" and self.model_mirror.has_model:
            # The optimiser state is spoiled; the kept weights can still be trained further.
            from aeviewer.training.state import weights_only_state

            mirror = self.model_mirror
            self.restore_model(
                weights_only_state(
                    mirror.model.state_dict(), mirror.config, epoch=event.epoch, step=event.step
                ),
                from_weights=True,
            )
        if event.reason == "diverged":
            dialogs.show_warning(
                self,
                translate("MainWindow", "Training diverged"),
                event.message or translate("MainWindow", "The loss became NaN."),
            )
        else:
            if event.reason == "completed":
                text = translate("MainWindow", "Training completed after epoch {0}.")
            elif event.reason == "stopped":
                text = translate("MainWindow", "Training stopped after epoch {0}.")
            else:
                text = translate("MainWindow", "Training ended ({1}) after epoch {0}.")
            self.statusBar().showMessage(
                text.format(event.epoch, reason_text(event.reason)), 10_000
            )

    @Slot(str)
    def _on_errored(self, message: str) -> None:
        self._ended = "failed"
        self.show_state()
        dialogs.show_error(self, translate("MainWindow", "Training failed"), message)

    @Slot(str)
    def _on_request_failed(self, message: str) -> None:
        dialogs.show_warning(self, translate("MainWindow", "Cannot start training"), message)

    @Slot()
    def _on_reset_done(self) -> None:
        self._continues_from_weights = False
        self._ended = None
        self.model_mirror.clear()
        self.hand_model_to_views()
        for view in self.views:
            view.reset_view()
        self.status.clear()
        self.status.set_device(self.training_panel.device.currentText())
        self.following.stop()
        self.show_state()

    @Slot(object)
    def _on_dataset_changed(self, loaded: Dataset) -> None:
        self._loaded = loaded
        self._show_pinned_preparation()
        self._show_prepared(loaded)

    def _show_pinned_preparation(self) -> None:
        """The Data panel shows how an opened run prepared its data (else the defaults)."""
        pinned = self._pinned_data
        box = self.data_panel.preparation
        if pinned is None:
            box.set_values(DataSpec.normalize, None)
        elif pinned.source == self.data_panel.source:
            box.set_values(pinned.normalize, pinned.normal_class)

    @Slot()
    def _on_preparation_changed(self) -> None:
        """A new normalisation or normal class (the model, if any, was reset): the views
        show the data prepared so."""
        if self._loaded is not None:
            self._show_prepared(self._loaded)

    def _show_prepared(self, loaded: Dataset, prepared: Dataset | None = None) -> None:
        # The views see the values the engine trains on (z-scored vectors, [0, 1] images),
        # prepared as the opened run, session or model was when the data are theirs.
        dataset = prepared or prepare(loaded, self.data_spec(loaded.source or DEFAULT_SOURCE))
        self._prepared = dataset
        self.model_panel.set_n_features(dataset.n_features)
        for view in self.views:
            view.load_dataset(dataset)
        self.setWindowTitle(f"aeviewer — {dataset.name}")

    # -- start-up and shut-down ----------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, self._after_first_show)

    @Slot()
    def _after_first_show(self) -> None:
        self.first_shown.emit()
        if self._closed:
            return
        self._build_views()
        self.data_panel.load(self._restored_source or DEFAULT_SOURCE)
        self.files.offer_autosave()
        worker = FunctionWorker(probe_devices, "aeviewer-devices")
        worker.signals.returned.connect(self._on_devices)
        worker.signals.errored.connect(self._on_devices_failed)
        self._device_task = worker
        worker.start()

    @Slot(str)
    def _on_devices_failed(self, message: str) -> None:
        self.statusBar().showMessage(translate("MainWindow", "No device list: {0}").format(message))

    @Slot(object)
    def _on_devices(self, devices: list[str]) -> None:
        self.training_panel.set_devices(devices)
        if not has_model(self.controller.state):
            self.status.set_device(devices[0] if devices else "cpu")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    @property
    def is_closing(self) -> bool:
        """True once the window was closed (or :meth:`shutdown` called)."""
        return self._closed

    def shutdown(self) -> None:
        """Save the settings and ask all background work to stop (idempotent).

        Waits for nothing: the workers end at their next check and the pool lets them go
        (the application waits for them once, when it quits: :func:`await_workers`).
        """
        if self._closed:
            return
        self._closed = True
        self._save_settings()
        self.controller.shutdown()
        self.data_panel.shutdown()
        self.following.shutdown()
        self.comparison.shutdown()
        self.files.shutdown()
        for view in self.views:
            view.shutdown()
        if self._device_task is not None:
            self._device_task.quit()
        self.files.clear_autosave()
        # Collection comes back once the workers have ended (see GuiThreadCollector.release).
        COLLECTOR.release()

    # -- settings ------------------------------------------------------------------------------
    def _save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        if self.views:
            settings.setValue("window/tab", self.tabs.currentIndex())
        if self.data_panel.source:
            settings.setValue("data/source", self.data_panel.source)
        try:
            config = self.run_config()
        except AeviewerError:
            config = None
        if config is not None:
            data = config.to_dict()
            settings.setValue("run/model", json.dumps(data["model"]))
            settings.setValue("run/train", json.dumps(data["train"]))
            settings.setValue("run/version", RUN_SETTINGS_VERSION)
        for view in self.views:
            state = getattr(view, "settings_state", None)
            if state is not None:
                settings.setValue(f"views/{view.title}", json.dumps(state()))

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if state is None or not self.restoreState(state):
            self.resizeDocks(list(self.docks.values()), [260, 380, 260], Qt.Orientation.Vertical)
        self._restored_source = settings.value("data/source") or None
        model, train = settings.value("run/model"), settings.value("run/train")
        if model and train:
            try:
                model_dict, train_dict = json.loads(model), json.loads(train)
                if _settings_version(settings) < 2:
                    # Saved before the automatic learning rate and the choice of L1 code: the
                    # former defaults were not the user's choice, so they read as today's.
                    if train_dict.get("lr") == FORMER_DEFAULT_LR:
                        train_dict["lr"] = None
                    model_dict.setdefault("l1_code", ModelSpec().l1_code)
                config = RunConfig.from_dict({"model": model_dict, "train": train_dict})
            except (AeviewerError, ValueError):
                config = None
            if config is not None:
                self.model_panel.set_spec(config.model)
                self.training_panel.set_spec(config.train)

    @property
    def state(self) -> RunState:
        """The training state."""
        return self.controller.state

    def view(self, title: str) -> View:
        """The view with ``title``."""
        for view in self.views:
            if view.title == title:
                return view
        raise KeyError(title)
