"""The interface every centre-tab view implements.

The main window owns one instance of each view, hands it the current data set, forwards every
training event to it, and calls :meth:`View.reset` when the model is reset. Views draw only
from these numpy-only events; they never touch a torch module.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from aeviewer.data.dataset import Dataset
from aeviewer.training.events import (
    EpochEnd,
    Event,
    Finished,
    LrChanged,
    Snapshot,
    Started,
)


class View(QWidget):
    """Base class of the centre tabs: override the ``on_*`` hooks a view needs."""

    #: The tab's title.
    title: str = ""

    #: True for views that only ever draw the newest snapshot: while such a view sits in a
    #: hidden tab, a snapshot is only kept, and drawn when the tab is shown, so hidden tabs
    #: cost the GUI thread nothing during training.
    draws_latest_snapshot_only: bool = False

    _pending_snapshot: Snapshot | None = None

    def set_dataset(self, dataset: Dataset | None) -> None:
        """A new data set was loaded (``None`` clears it); drop what was drawn for the old one."""

    def reset(self) -> None:
        """The model was reset: clear everything learned, keep the data set."""

    def shutdown(self) -> None:
        """The window is closing: stop any background work of the view (joins its threads)."""

    def view_state(self) -> dict:
        """What a saved session keeps of this view (plain JSON values); empty by default."""
        return {}

    def restore_view_state(self, state: dict) -> None:
        """Put back what :meth:`view_state` returned (for an opened session)."""

    def load_dataset(self, dataset: Dataset | None) -> None:
        """Drop a snapshot kept for later and hand the view ``dataset`` (what the window calls)."""
        self._pending_snapshot = None
        self.set_dataset(dataset)

    def reset_view(self) -> None:
        """Drop a snapshot kept for later and :meth:`reset` the view (what the window calls)."""
        self._pending_snapshot = None
        self.reset()

    def handle_event(self, event: Event) -> None:
        """Dispatch a training event to the matching hook."""
        if isinstance(event, Snapshot):
            if self.draws_latest_snapshot_only and self._in_hidden_tab():
                self._pending_snapshot = event
            else:
                self._pending_snapshot = None
                self.on_snapshot(event)
        elif isinstance(event, EpochEnd):
            self.on_epoch(event)
        elif isinstance(event, Started):
            self.on_started(event)
        elif isinstance(event, LrChanged):
            self.on_lr_changed(event)
        elif isinstance(event, Finished):
            self.on_finished(event)

    def on_started(self, event: Started) -> None:
        """A run started (its config, device, PCA baseline)."""

    def on_epoch(self, event: EpochEnd) -> None:
        """An epoch ended."""

    def on_snapshot(self, event: Snapshot) -> None:
        """A snapshot arrived: latents, scores, reconstructions, GAN samples."""

    def on_lr_changed(self, event: LrChanged) -> None:
        """A live learning-rate change took effect."""

    def on_finished(self, event: Finished) -> None:
        """The run ended."""

    def showEvent(self, event: QShowEvent) -> None:
        """Draw a snapshot that arrived while the tab was hidden."""
        super().showEvent(event)
        pending, self._pending_snapshot = self._pending_snapshot, None
        if pending is not None:
            self.on_snapshot(pending)

    def _in_hidden_tab(self) -> bool:
        # A view on its own (as in tests, or undocked) always draws at once.
        return self.window() is not self and not self.isVisible()
