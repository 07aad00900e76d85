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


def configure_pyqtgraph() -> None:
    """Global pyqtgraph options, set once before any plot is made."""
    import pyqtgraph as pg

    pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Create the application and the main window, run the event loop, return the exit code."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from aeviewer import __version__

    app = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    app.setApplicationName("aeviewer")
    app.setOrganizationName("aeviewer")
    app.setApplicationVersion(__version__)

    from aeviewer.gui.main_window import MainWindow

    window = MainWindow()
    if os.environ.get(EXIT_WHEN_SHOWN):

        def report_and_quit() -> None:
            print(f"aeviewer-shown {time.time():.6f}", flush=True)
            QTimer.singleShot(0, window.close)

        window.first_shown.connect(report_and_quit)
    window.show()
    try:
        return int(app.exec())
    finally:
        # app.quit() ends the loop without closing windows: join the threads here too.
        window.shutdown()
