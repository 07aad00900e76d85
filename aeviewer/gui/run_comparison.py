"""Comparing runs in a main window: the Runs panel, the runs table, and the overlays in the
Loss and PCA views.

Run directories and folders of runs (sweeps) are opened and polled off the GUI thread (a
:class:`~aeviewer.gui.threads.FunctionWorker` reads every run's new epochs with its
:class:`~aeviewer.io.follow.RunFollower`); results are merged into a Qt-free
:class:`~aeviewer.io.run_set.RunSet` in the GUI thread, then drawn. The window's own training
run is listed too. A path that is no run is reported in one dialog naming it; the runs open
already stay.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

from aeviewer.gui import dialogs, file_dialogs
from aeviewer.gui.panels.runs_panel import RunsPanel
from aeviewer.gui.panels.runs_table import RunsTable
from aeviewer.gui.threads import FunctionWorker
from aeviewer.io.run_set import RunSet, RunSource, RunUpdate, open_sources
from aeviewer.training.events import Event, Finished

if TYPE_CHECKING:
    from aeviewer.gui.main_window import MainWindow

#: Milliseconds between two polls of the compared runs.
POLL_MS = 1000


class RunComparison(QObject):
    """The runs compared in one window.

    Signals: ``runs_changed()`` after the set or a run's data changed and were drawn,
    ``opened(int)`` with the number of runs an open added, ``open_failed(str)`` with the
    message of paths that are no runs, ``selected(str)`` with the key of the picked run.
    """

    runs_changed = Signal()
    opened = Signal(int)
    open_failed = Signal(str)
    selected = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.runs = RunSet()
        self.sources: dict[str, RunSource] = {}
        self._polling = False
        self._opening = 0
        self._loss_overlay: Any = None
        self._pca_points: Any = None
        self.panel = RunsPanel()
        self.table = RunsTable()
        self.panel_dock = self._dock(self.tr("Runs"), "runs_dock", self.panel)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.panel_dock)
        self.table_dock = self._dock(self.tr("Runs table"), "runs_table_dock", self.table)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.table_dock)
        for dock in (self.panel_dock, self.table_dock):
            dock.hide()
            window.view_menu.addAction(dock.toggleViewAction())
        self.action = QAction(self.tr("Add runs to &compare…"), window)
        self.action.setToolTip(self.tr("Open run directories or a sweep folder side by side"))
        self.action.triggered.connect(self.ask_add)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.panel.add_requested.connect(self.ask_add)
        self.panel.visibility_changed.connect(self.set_visible)
        self.panel.remove_requested.connect(self.remove)
        self.panel.current_changed.connect(self.select)
        self.table.current_changed.connect(self.select)
        window.controller.event.connect(self._on_training_event)
        window.controller.reset_done.connect(self._on_reset)

    def _dock(self, title: str, name: str, widget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        return dock

    # -- opening -------------------------------------------------------------------------------
    @Slot()
    def ask_add(self) -> None:
        """Ask for a run directory or a folder of runs and add what it holds."""
        folder = file_dialogs.ask_folder(self.window, self.tr("Add runs to compare"))
        if folder:
            self.add_paths([folder])

    def add_paths(self, paths: Iterable[str | Path]) -> None:
        """Add the runs of ``paths`` (run directories or folders of runs), read in the
        background; ``opened`` or ``open_failed`` tells how it went."""
        paths = [Path(p) for p in paths]

        def work(progress, cancel):
            return open_sources(paths)

        worker = FunctionWorker(work, "aeviewer-open-runs")
        worker.signals.returned.connect(self._on_opened)
        worker.signals.errored.connect(self._on_open_error)
        worker.signals.finished.connect(self._on_open_done)
        self._opening += 1
        worker.start()

    @Slot(object)
    def _on_opened(self, result: tuple[list[RunSource], list[str]]) -> None:
        sources, problems = result
        added = 0
        for source in sources:
            if self.runs.add(source) is not None:
                self.sources[source.key] = source
                added += 1
        if problems:
            message = "\n".join(problems)
            self.open_failed.emit(message)
            dialogs.show_error(self.window, self.tr("Cannot open these runs"), message)
        if added:
            self.panel_dock.show()
            self.table_dock.show()
            self.timer.start()
            self.poll()
        self._refresh()
        self.opened.emit(added)

    @Slot(str)
    def _on_open_error(self, message: str) -> None:
        self.open_failed.emit(message)
        dialogs.show_error(self.window, self.tr("Cannot open these runs"), message)

    @Slot()
    def _on_open_done(self) -> None:
        self._opening -= 1

    @property
    def busy(self) -> bool:
        """True while an open or a poll is under way."""
        return self._polling or self._opening > 0

    # -- polling -------------------------------------------------------------------------------
    @Slot()
    def poll(self) -> None:
        """Read what the runs appended, in the background (one poll at a time)."""
        if self._polling or not self.sources:
            return
        sources = list(self.sources.values())

        def work(progress, cancel):
            updates = []
            for source in sources:
                if cancel():
                    break
                updates.append(source.poll())
            return updates

        worker = FunctionWorker(work, "aeviewer-runs-poll")
        worker.signals.returned.connect(self._on_polled)
        worker.signals.finished.connect(self._on_poll_done)
        self._polling = True
        worker.start()

    @Slot(object)
    def _on_polled(self, updates: list[RunUpdate]) -> None:
        changed = False
        for update in updates:
            changed |= self.runs.apply(update)
        if changed:
            self._refresh()

    @Slot()
    def _on_poll_done(self) -> None:
        self._polling = False

    # -- editing the set -----------------------------------------------------------------------
    @Slot(str, bool)
    def set_visible(self, key: str, shown: bool) -> None:
        """Show or hide run ``key`` in the overlays."""
        entry = self.runs.entries.get(key)
        if entry is not None and entry.visible != shown:
            entry.visible = shown
            self._draw_overlays()

    @Slot(str)
    def remove(self, key: str) -> None:
        """Close run ``key`` (the window's own run stays)."""
        self.runs.remove(key)
        self.sources.pop(key, None)
        if not self.sources:
            self.timer.stop()
        self._refresh()

    @Slot(str)
    def select(self, key: str) -> None:
        """Make run ``key`` the selected one in the panel, the table and the plots."""
        self.panel.select(key)
        self.table.select(key)
        if self._loss_overlay is not None:
            self._loss_overlay.select(key)
        if self._pca_points is not None:
            self._pca_points.select(key, self.runs.visible())
        self.selected.emit(key)

    # -- the window's own run --------------------------------------------------------------------
    @Slot(object)
    def _on_training_event(self, event: Event) -> None:
        if isinstance(event, Finished):
            self.runs.live_finished(event.reason)
            self._refresh()
        elif self.runs.live_event(event, self.tr("this window")):
            self._refresh(overlays=False)

    @Slot()
    def _on_reset(self) -> None:
        self.runs.clear_live()
        self._refresh()

    # -- drawing ---------------------------------------------------------------------------------
    def _refresh(self, overlays: bool = True) -> None:
        entries = list(self.runs)
        self.panel.show_runs(entries)
        columns, rows = self.runs.rows()
        self.table.show_rows(columns, rows, [e.key for e in entries])
        if overlays:
            self._draw_overlays()
        self.runs_changed.emit()

    def _draw_overlays(self) -> None:
        self._attach_views()
        visible = self.runs.visible()
        if self._loss_overlay is not None:
            self._loss_overlay.show_runs(visible)
        if self._pca_points is not None:
            self._pca_points.show_runs(visible)

    def _attach_views(self) -> None:
        """Put the overlays on the Loss and PCA views once they exist (built after showing)."""
        if self._loss_overlay is not None or not self.window.views:
            return
        from aeviewer.gui.views.loss_overlay import LossOverlay
        from aeviewer.gui.views.pca_sweep import PcaSweepPoints

        for view in self.window.views:
            if view.title == "Loss":
                self._loss_overlay = LossOverlay(view)
            elif view.title == "PCA baseline":
                self._pca_points = PcaSweepPoints(view, self.select)

    @property
    def loss_overlay(self) -> Any:
        """The overlay on the Loss view (None before the views exist)."""
        self._attach_views()
        return self._loss_overlay

    @property
    def pca_points(self) -> Any:
        """The run points on the PCA view (None before the views exist)."""
        self._attach_views()
        return self._pca_points

    def shutdown(self) -> None:
        """Stop polling (the workers are awaited when the application quits)."""
        self.timer.stop()
        self.sources.clear()
