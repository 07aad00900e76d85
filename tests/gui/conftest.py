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
from aeviewer.gui.garbage import COLLECTOR
from aeviewer.gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _settings(isolated_qsettings, qapp, tmp_path, monkeypatch) -> Iterator[None]:
    # The autosave goes to a folder of the test's own, never the user's.
    monkeypatch.setenv("AEVIEWER_STATE_DIR", str(tmp_path / "state"))
    configure_pyqtgraph()
    yield


@pytest.fixture(autouse=True)
def _collect_in_the_gui_thread(qapp) -> Iterator[None]:
    """As in the app, no worker thread runs Python's garbage collector (a view tested on its
    own, without a window, too): see :mod:`aeviewer.gui.garbage`."""
    COLLECTOR.hold()
    yield
    COLLECTOR.release()


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch) -> Iterator[None]:
    """Fail a test that opens a modal dialog it did not replace, instead of hanging on it.

    Each modal entry point answers as a user who cancels would and records the call; tests that
    expect a dialog replace it themselves (their monkeypatch comes after this one).
    """
    from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

    opened: list[str] = []

    def record(name: str, answer):
        def modal(*args, **kwargs):
            opened.append(name)
            return answer

        return modal

    for name in ("critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, name, record(f"QMessageBox.{name}", QMessageBox.Ok))
    monkeypatch.setattr(QMessageBox, "question", record("QMessageBox.question", QMessageBox.No))
    monkeypatch.setattr(QMessageBox, "exec", record("QMessageBox.exec", QMessageBox.Cancel))
    monkeypatch.setattr(QDialog, "exec", record("QDialog.exec", QDialog.DialogCode.Rejected))
    for name in ("getSaveFileName", "getOpenFileName"):
        monkeypatch.setattr(QFileDialog, name, record(f"QFileDialog.{name}", ("", "")))
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", record("QFileDialog.getExistingDirectory", "")
    )
    yield
    assert not opened, f"the test opened modal dialogs it did not expect: {opened}"


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:
    """A main window on :data:`SMALL_SOURCE` with the small model and 2 epochs."""
    win = open_window(qtbot)
    win.training_panel.set_spec(small_train(2))
    yield win
    win.close()


__all__ = ["SMALL_MODEL", "SMALL_SOURCE", "TIMEOUT_MS", "open_window", "small_train"]
