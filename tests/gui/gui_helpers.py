"""Helpers shared by the GUI tests: a small data set, a small model, a window on them.

Imported as ``from gui_helpers import ...``: a module of its own, because ``conftest`` names a
different file in each test folder.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from aeviewer.config import ModelSpec, TrainSpec
from aeviewer.gui.main_window import MainWindow

#: A small built-in data set: 800 shapes, 5 batches of 128 per epoch.
SMALL_SOURCE = "builtin:shapes?n=800"
#: A small model that trains an epoch of SMALL_SOURCE in well under a second.
SMALL_MODEL = ModelSpec(kind="ae", latent=2, hidden=(32,))
#: Seconds the tests wait for a signal before failing.
TIMEOUT_MS = 60_000


def small_train(epochs: int) -> TrainSpec:
    """Training settings for the small model: ``epochs`` epochs on the CPU at a constant rate."""
    return TrainSpec(
        epochs=epochs,
        batch_size=128,
        lr=1e-3,
        device="cpu",
        n_eval=200,
        n_recon=8,
        schedule="constant",
    )


def open_window(qtbot, source: str | None = SMALL_SOURCE) -> MainWindow:
    """Show a main window and wait until it has loaded ``source`` (None: the default)."""
    if source is not None:
        QSettings().setValue("data/source", source)
    window = MainWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.data_panel.dataset_changed, timeout=TIMEOUT_MS):
        window.show()
    qtbot.waitUntil(lambda: window._device_task is not None, timeout=TIMEOUT_MS)
    window.model_panel.set_spec(SMALL_MODEL)
    return window
