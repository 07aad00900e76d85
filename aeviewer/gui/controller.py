"""The training controls: actions, the run state machine, and the worker they drive."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.errors import AeviewerError
from aeviewer.gui.model_weights import ModelWeights, with_weights
from aeviewer.gui.state import RunState, enabled_controls
from aeviewer.gui.threads import GeneratorWorker, pool
from aeviewer.gui.worker import EventSource, training_worker
from aeviewer.training.control import TrainingControl
from aeviewer.training.events import EpochEnd, Event, Finished, Progress, Resumable, Started

translate = QCoreApplication.translate

if TYPE_CHECKING:
    from aeviewer.training.state import TrainingState

#: Returns the config and data set of the next run; raises AeviewerError when they are invalid.
RunRequest = Callable[[], tuple[RunConfig, Dataset]]


def engine_source(
    config: RunConfig, dataset: Dataset, resume_from: TrainingState | None = None
) -> EventSource:
    """The real engine as an event source (torch is imported in the worker thread).

    Its items include :class:`ModelWeights` copies before each Snapshot and Finished.
    ``resume_from`` continues a model instead of building a new one.
    """

    def source(control: TrainingControl) -> Iterator[Event]:
        from aeviewer.training.loop import train

        return with_weights(
            lambda on_model: train(
                config,
                dataset,
                control=control,
                on_model=on_model,
                resume_from=resume_from,
                states_every=1,
            )
        )

    return source


class TrainingController(QObject):
    """Start, Pause/Resume, Step, Stop and Reset over one training worker at a time.

    Nothing here waits for the worker: Stop asks the engine to end after its batch (it sends
    its last events, then ``finished``), Reset and :meth:`shutdown` also let go of the worker at
    once (it ends at its next check and the pool lets it go). A Start while a let-go worker
    still winds down is queued until that one has ended, so two runs never train at once.

    After a run ended, and after :meth:`restore` (an opened run, session, autosave or model),
    Start and Step *continue* the model: the panels' epochs are trained beyond the epochs done,
    from the whole training state when there is one (:class:`Resumable`), else from the weights
    with fresh optimisers. Only Reset throws a model away.

    Signals (all in the GUI thread): ``state_changed(RunState)``, ``event(Event)``,
    ``progress(Progress)``, ``weights(ModelWeights)`` (a CPU copy of the model's state, before
    each Snapshot and Finished), ``errored(str)`` (the run failed), ``request_failed(str)`` (the
    settings were invalid, nothing started) and ``reset_done()``.
    """

    state_changed = Signal(object)
    event = Signal(object)
    progress = Signal(object)
    weights = Signal(object)
    errored = Signal(str)
    request_failed = Signal(str)
    reset_done = Signal()

    def __init__(self, request: RunRequest, parent: QWidget) -> None:
        super().__init__(parent)
        self._request = request
        self._worker: GeneratorWorker | None = None
        self._control: TrainingControl | None = None
        #: The signals of let-go workers that have not reported ``finished`` yet.
        self._winding_down: set[QObject] = set()
        pool().released.connect(self._on_let_go_finished)
        #: A worker built by Start while others wound down; started when they have ended.
        self._queued: GeneratorWorker | None = None
        self._stepping = False
        self.state = RunState.IDLE
        self.config: RunConfig | None = None
        self.started: Started | None = None
        #: The state the next Start continues from (None: Start builds a new model).
        self.resume_state: TrainingState | None = None
        #: Builds the event source of a run; the real engine unless a test swaps it.
        self.make_source: Callable[[RunConfig, Dataset], EventSource] = engine_source

        style = parent.style()
        icon = style.standardIcon
        self.actions: dict[str, QAction] = {
            "start": self._action(
                translate("TrainingController", "&Start"),
                parent,
                icon(QStyle.StandardPixmap.SP_MediaPlay),
            ),
            "pause": self._action(
                translate("TrainingController", "&Pause"),
                parent,
                icon(QStyle.StandardPixmap.SP_MediaPause),
            ),
            "step": self._action(
                translate("TrainingController", "S&tep one epoch"),
                parent,
                icon(QStyle.StandardPixmap.SP_MediaSeekForward),
            ),
            "stop": self._action(
                translate("TrainingController", "St&op"),
                parent,
                icon(QStyle.StandardPixmap.SP_MediaStop),
            ),
            "reset": self._action(
                translate("TrainingController", "&Reset"),
                parent,
                icon(QStyle.StandardPixmap.SP_BrowserReload),
            ),
            "start_pause": self._action(translate("TrainingController", "Start / Pause"), parent),
        }
        self.actions["step"].setIconText(translate("TrainingController", "Step"))
        self.actions["start_pause"].setShortcut(QKeySequence(Qt.Key.Key_Space))
        # Application-wide, so Space works whichever child has the focus; a line edit or spin
        # box still takes it as text because they accept the shortcut override for spaces.
        self.actions["start_pause"].setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.actions["step"].setShortcut(QKeySequence("Ctrl+T"))
        self.actions["stop"].setShortcut(QKeySequence("Ctrl+."))
        self.actions["reset"].setShortcut(QKeySequence("Ctrl+R"))
        self.actions["start"].setToolTip(
            translate(
                "TrainingController",
                "Train: a new model, or the current one further by the epochs set (Space)",
            )
        )
        self.actions["pause"].setToolTip(
            translate("TrainingController", "Pause or resume training (Space)")
        )
        self.actions["step"].setToolTip(
            translate("TrainingController", "Train one more epoch, then pause (Ctrl+T)")
        )
        self.actions["stop"].setToolTip(
            translate("TrainingController", "End the run, keeping the model (Ctrl+.)")
        )
        self.actions["reset"].setToolTip(
            translate("TrainingController", "Throw the model away and start from scratch (Ctrl+R)")
        )
        self.actions["start"].triggered.connect(self.start)
        self.actions["pause"].triggered.connect(self.toggle_pause)
        self.actions["step"].triggered.connect(self.step)
        self.actions["stop"].triggered.connect(self.stop)
        self.actions["reset"].triggered.connect(self.reset)
        self.actions["start_pause"].triggered.connect(self.start_or_pause)
        self._update_actions()

    @staticmethod
    def _action(text: str, parent: QWidget, icon=None) -> QAction:
        action = QAction(text, parent)
        if icon is not None:
            action.setIcon(icon)
        return action

    # -- requests ------------------------------------------------------------------------------
    @property
    def control(self) -> TrainingControl | None:
        """The control of the current run, if any."""
        return self._control

    @property
    def waiting_for_previous_run(self) -> bool:
        """True while a Start waits for a let-go run to end."""
        return self._queued is not None

    @Slot()
    def start(self) -> bool:
        """Start a new run from the current settings; False when they are invalid."""
        return self._begin(epochs=None)

    @property
    def continues(self) -> bool:
        """True when Start continues a model rather than building a new one."""
        return self.resume_state is not None

    def restore(self, state: TrainingState | None) -> None:
        """Make Start continue ``state`` (an opened run, session, autosave or model); None
        forgets it, so Start builds a new model."""
        self.resume_state = state
        if state is not None:
            self.config = state.config
        self._update_actions()

    @Slot()
    def step(self) -> None:
        """Train one epoch: start a run that pauses after it, or let a paused run go on for one."""
        if self.state in (RunState.IDLE, RunState.FINISHED):
            self._begin(epochs=1)
        elif self.state is RunState.PAUSED and self._control is not None:
            self._stepping = True
            self._control.allow_epochs(1)
            self._set_state(RunState.RUNNING)

    @Slot()
    def toggle_pause(self) -> None:
        """Pause a running loop or resume a paused one."""
        control = self._control
        if control is None:
            return
        if self.state is RunState.RUNNING:
            control.pause()
            self._set_state(RunState.PAUSED)
        elif self.state is RunState.PAUSED:
            self._stepping = False
            control.allow_epochs(None)
            self._set_state(RunState.RUNNING)

    @Slot()
    def start_or_pause(self) -> None:
        """The Space key: start (or continue) when no run trains, otherwise pause or resume."""
        if self.state in (RunState.IDLE, RunState.FINISHED):
            self.start()
        else:
            self.toggle_pause()

    @Slot()
    def stop(self) -> None:
        """Ask the loop to end after its current batch (returns at once; ``finished`` follows)."""
        if self._control is not None and self.state in (RunState.RUNNING, RunState.PAUSED):
            self._control.stop()
            if self._queued is not None:
                # It never started: nothing to wait for.
                self._drop_queued()
                self._set_state(RunState.FINISHED if self.resume_state else RunState.IDLE)
                return
            self._set_state(RunState.STOPPING)

    @Slot()
    def reset(self) -> None:
        """Let go of any run (it stops at its next check) and forget the model."""
        self.shutdown()
        self.config = None
        self.started = None
        self.resume_state = None
        self._stepping = False
        self._set_state(RunState.IDLE)
        self.reset_done.emit()

    def set_lr(self, lr: float, group: str | None = None) -> None:
        """Change a learning rate of the running loop.

        ``group`` None means the main one: the model's, or a GAN's generator. A GAN's
        discriminator is ``"discriminator"``.
        """
        if self._control is None or self.state not in (RunState.RUNNING, RunState.PAUSED):
            return
        if group is None:
            group = "generator" if self._is_gan() else "model"
        self._control.set_lr(lr, group)

    @Slot(float)
    def set_lr_d(self, lr: float) -> None:
        """Change a GAN's discriminator learning rate while it trains."""
        if self._is_gan():
            self.set_lr(lr, "discriminator")

    def shutdown(self) -> None:
        """Let go of the run: ask it to stop at its next check and forget it (on reset and
        when the window closes). Returns at once; the pool lets the worker go when it ends."""
        self._drop_queued()
        worker, control = self._worker, self._control
        self._worker = self._control = None
        if control is not None:
            control.stop()
        if worker is not None:
            self._disconnect(worker)
            worker.quit()
            # Not a late connection to the worker's finished: one already emitted in the pool
            # thread (and still on its way) would never reach it, and a Start queued behind the
            # worker would wait for ever. The pool, connected before the worker started, says.
            if pool().holds(worker):
                self._winding_down.add(worker.signals)

    def _drop_queued(self) -> None:
        queued, self._queued = self._queued, None
        if queued is not None:
            self._disconnect(queued)
            if queued is self._worker:
                self._worker = self._control = None

    @Slot(object)
    def _on_let_go_finished(self, signals: QObject) -> None:
        if signals not in self._winding_down:
            return
        self._winding_down.discard(signals)
        if not self._winding_down and self._queued is not None:
            queued, self._queued = self._queued, None
            queued.start()
            # Still RUNNING, but no longer waiting: the status bar says so.
            self.state_changed.emit(self.state)

    def _connect(self, worker: GeneratorWorker) -> None:
        signals = worker.signals
        signals.yielded.connect(self._on_item)
        signals.errored.connect(self._on_errored)
        signals.finished.connect(self._on_run_finished)

    def _disconnect(self, worker: GeneratorWorker) -> None:
        signals = worker.signals
        signals.yielded.disconnect(self._on_item)
        signals.errored.disconnect(self._on_errored)
        signals.finished.disconnect(self._on_run_finished)

    # -- internals -----------------------------------------------------------------------------
    def _is_gan(self) -> bool:
        return self.config is not None and self.config.model.kind == "gan"

    def _begin(self, epochs: int | None) -> bool:
        if self.state not in (RunState.IDLE, RunState.FINISHED):
            return False
        resume = self.resume_state
        if self.state is RunState.FINISHED and resume is None:
            self.request_failed.emit(
                translate(
                    "TrainingController",
                    "this model cannot be continued (its training state was lost when it "
                    "diverged); Reset to train a new one",
                )
            )
            return False
        try:
            config, dataset = self._request()
            if resume is not None:
                from aeviewer.training.state import continued_config

                config = continued_config(config, resume, config.train.epochs)
        except AeviewerError as exc:
            self.request_failed.emit(str(exc))
            return False
        # A run that ended by itself is let go of here (a no-op: it is no longer running).
        self.shutdown()
        if resume is None:
            source = self.make_source(config, dataset)
        else:
            source = self.make_source(config, dataset, resume_from=resume)
        control = TrainingControl()
        if epochs is not None:
            control.allow_epochs(epochs)
        worker = training_worker(source, control)
        self._stepping = epochs is not None
        self._connect(worker)
        self._worker, self._control = worker, control
        self.config = config
        if self._winding_down:
            self._queued = worker
        else:
            worker.start()
        self._set_state(RunState.RUNNING)
        return True

    @Slot(object)
    def _on_item(self, event: Event | ModelWeights | Progress) -> None:
        if isinstance(event, Progress):
            self.progress.emit(event)
            return
        if isinstance(event, ModelWeights):
            self.weights.emit(event)
            return
        if isinstance(event, Resumable):
            # The newest whole state: what an autosave keeps and what Start continues.
            self.resume_state = event.state
            return
        if isinstance(event, Started):
            self.started = event
            self.resume_state = None
        self.event.emit(event)
        if isinstance(event, EpochEnd) and self._stepping and self.state is RunState.RUNNING:
            self._stepping = False
            self._set_state(RunState.PAUSED)
        elif isinstance(event, Finished):
            self._set_state(RunState.FINISHED)

    @Slot(str)
    def _on_errored(self, message: str) -> None:
        self._set_state(RunState.FINISHED)
        self.errored.emit(message)

    @Slot()
    def _on_run_finished(self) -> None:
        # The worker is done with: the pool deletes its signals, nothing here keeps it.
        self._worker = self._control = None
        if self.state is not RunState.IDLE:
            self._set_state(RunState.FINISHED)

    def _set_state(self, state: RunState) -> None:
        if state is self.state:
            return
        self.state = state
        self._update_actions()
        self.state_changed.emit(state)

    def _update_actions(self) -> None:
        for name, enabled in enabled_controls(self.state).items():
            self.actions[name].setEnabled(enabled)
        resume = self.state is RunState.PAUSED
        pause = self.actions["pause"]
        pause.setText(
            translate("TrainingController", "&Resume")
            if resume
            else translate("TrainingController", "&Pause")
        )
        pause.setIconText(
            translate("TrainingController", "Resume")
            if resume
            else translate("TrainingController", "Pause")
        )
        style = self.parent().style()
        pixmap = (
            QStyle.StandardPixmap.SP_MediaPlay if resume else QStyle.StandardPixmap.SP_MediaPause
        )
        pause.setIcon(style.standardIcon(pixmap))
