"""Fixtures for the whole suite: no thread left behind, and isolated Qt settings."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

#: How long a test's threads get to end after it returned.
JOIN_GRACE_S = 5.0

#: Daemon threads that libraries keep for the whole process (tqdm's monitor, started by UMAP).
LIBRARY_THREADS = frozenset({"tqdm_monitor"})


def _leftover_threads(before: set[int]) -> list[str]:
    names = [
        t.name
        for t in threading.enumerate()
        if t.ident not in before
        and t.is_alive()
        and t.name not in LIBRARY_THREADS
        # Foreign threads (QThreads running Python) appear as dummies that never go away.
        and not isinstance(t, threading._DummyThread)
    ]
    gui_threads = sys.modules.get("aeviewer.gui.threads")
    if gui_threads is not None:
        names += [f"QThread {t.objectName() or '?'}" for t in gui_threads.running_threads()]
    return names


@pytest.fixture(autouse=True)
def no_thread_left_behind() -> Iterator[None]:
    """Fail a test that leaves a Python thread or one of the app's QThreads running."""
    before = {t.ident for t in threading.enumerate() if t.ident is not None}
    yield
    deadline = time.monotonic() + JOIN_GRACE_S
    left = _leftover_threads(before)
    while left and time.monotonic() < deadline:
        time.sleep(0.02)
        left = _leftover_threads(before)
    if left:
        pytest.fail(f"the test left threads running: {', '.join(left)}")


@pytest.fixture
def isolated_qsettings(tmp_path: Path) -> Iterator[Path]:
    """Point QSettings (INI format) at a temporary folder, so no test reads or writes the user's."""
    from PySide6.QtCore import QCoreApplication, QSettings

    folder = tmp_path / "qsettings"
    folder.mkdir()
    old_format = QSettings.defaultFormat()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName("aeviewer-tests")
    QCoreApplication.setApplicationName("aeviewer-tests")
    yield folder
    QSettings.setDefaultFormat(old_format)
