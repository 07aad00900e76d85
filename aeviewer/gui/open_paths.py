"""``aeviewer PATH...``: open what the command line names once the window is up.

Paths were classified already (:func:`aeviewer.io.open_paths.classify`, before Qt started), so
each goes where it belongs: a data set to the Data panel, a session or a model to the File
menu's openers, one run directory is followed as File > Open run directory does, several run
directories or a sweep folder go to the Runs panel to be compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from aeviewer.io.open_paths import OpenedPath

if TYPE_CHECKING:
    from aeviewer.gui.main_window import MainWindow


def split_arguments(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """Qt's own options (``-platform offscreen``, ``--gui...``) and the paths to open."""
    qt_args, paths = [], []
    expects_value = False
    for arg in argv:
        if expects_value:
            qt_args.append(arg)
            expects_value = False
        elif arg.startswith("-"):
            qt_args.append(arg)
            expects_value = arg in ("-platform", "-style", "-stylesheet", "-qwindowtitle")
        else:
            paths.append(arg)
    return qt_args, paths


def open_when_shown(window: MainWindow, opened: Sequence[OpenedPath]) -> None:
    """Open ``opened`` right after the window's first start-up turn (views built, the last
    data set's load started, which an opened data set then replaces)."""
    if not opened:
        return

    def later() -> None:
        QTimer.singleShot(0, lambda: open_paths(window, opened))

    window.first_shown.connect(later)


def open_paths(window: MainWindow, opened: Sequence[OpenedPath]) -> None:
    """Send each path where it belongs (see the module's description)."""
    if window.is_closing:
        return
    runs = [o.path for o in opened if o.kind in ("run", "sweep")]
    if len(runs) == 1 and opened[[o.path for o in opened].index(runs[0])].kind == "run":
        window.following.follow(runs[0])
    elif runs:
        window.comparison.add_paths(runs)
    for item in opened:
        if item.kind == "data":
            window.data_panel.load(item.path)
        elif item.kind == "session":
            window.files.open_session_from(item.path)
        elif item.kind == "model":
            window.files.open_model_from(item.path)
