"""Fixtures for the GUI tests: isolated settings, a main window on a small data set."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gui_helpers import (  # re-exported for tests that import them from conftest
    SMALL_MODEL,
    SMALL_SOURCE,
    TIMEOUT_MS,
    open_window,
    small_train,
)

from aeviewer.gui.app import configure_pyqtgraph
from aeviewer.gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _settings(isolated_qsettings, qapp, tmp_path, monkeypatch) -> Iterator[None]:
    # The autosave goes to a folder of the test's own, never the user's.
    monkeypatch.setenv("AEVIEWER_STATE_DIR", str(tmp_path / "state"))
    configure_pyqtgraph()
    yield


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:
    """A main window on :data:`SMALL_SOURCE` with the small model and 2 epochs."""
    win = open_window(qtbot)
    win.training_panel.set_spec(small_train(2))
    yield win
    win.close()


__all__ = ["SMALL_MODEL", "SMALL_SOURCE", "TIMEOUT_MS", "open_window", "small_train"]
