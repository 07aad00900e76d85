"""The GUI entry point: ``aeviewer`` with no arguments.

Neither torch nor pyqtgraph is imported before the window is shown (together they take
seconds): the views are built on the first event-loop turn after it shows, and the device list
and the first training run import torch later, off the GUI thread.

Set the environment variable ``AEVIEWER_EXIT_WHEN_SHOWN=1`` to make the app print
``aeviewer-shown <unix time>`` once the window is first shown and then quit; the start-up
benchmark (``benchmarks/bench_gui.py``) measures the launch time with it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence

#: The environment variable of the start-up measurement hook.
EXIT_WHEN_SHOWN = "AEVIEWER_EXIT_WHEN_SHOWN"

#: Said once, in English (it cannot be drawn in Japanese), when no font can draw Japanese.
NO_CJK_FONT = (
    "aeviewer: no font for Japanese is installed, so Japanese text would show as boxes; "
    "install one (on Debian/Ubuntu: apt install fonts-noto-cjk) or run with --lang en"
)


def configure_pyqtgraph() -> None:
    """Global pyqtgraph options, set once before any plot is made."""
    import pyqtgraph as pg

    pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Create the application and the main window, run the event loop, return the exit code.

    ``--lang ja|en`` picks the language (else View > Language's saved choice, else the system
    locale; see :mod:`aeviewer.gui.i18n`). Arguments that are not options are paths to open
    (``aeviewer PATH...``, see :mod:`aeviewer.gui.open_paths`); one that is none of the kinds
    aeviewer opens is refused before the window opens.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from aeviewer import __version__
    from aeviewer.errors import ConfigError
    from aeviewer.gui.heap import limit_heap_arenas
    from aeviewer.gui.i18n import choose_language, has_cjk_font, install_translators, split_language
    from aeviewer.gui.open_paths import open_when_shown, split_arguments
    from aeviewer.io.open_paths import classify

    limit_heap_arenas()
    try:
        requested, argv = split_language(argv or [])
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    qt_args, paths = split_arguments(argv)
    opened = [classify(path) for path in paths]
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("aeviewer")
    app.setOrganizationName("aeviewer")
    app.setApplicationVersion(__version__)
    lang = choose_language(requested)
    install_translators(app, lang)

    from aeviewer.gui.main_window import MainWindow

    window = MainWindow()
    if lang != "en" and not has_cjk_font():
        sys.stderr.write(NO_CJK_FONT + "\n")
        window.statusBar().showMessage(NO_CJK_FONT)
    if os.environ.get(EXIT_WHEN_SHOWN):

        def report_and_quit() -> None:
            print(f"aeviewer-shown {time.time():.6f}", flush=True)
            QTimer.singleShot(0, window.close)

        window.first_shown.connect(report_and_quit)
    open_when_shown(window, opened)
    window.show()
    try:
        return int(app.exec())
    finally:
        from aeviewer.gui.threads import await_workers

        # app.quit() ends the loop without closing windows: stop their work here too, then
        # wait for the workers once, the only wait for a worker in the app.
        window.shutdown()
        await_workers(30_000)
        window.files.clear_autosave()
