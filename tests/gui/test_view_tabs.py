"""The analysis views in the main window: their order, Ctrl+N, the family's tabs, shutdown."""

from __future__ import annotations

import numpy as np
from gui_helpers import TIMEOUT_MS, small_train
from PySide6.QtCore import Qt

from aeviewer.gui.view_wiring import view_applies

TITLES = ["Loss", "Latent space", "Reconstructions", "Anomalies", "GAN", "PCA baseline"]


def test_the_views_are_registered_in_order(window):
    assert [view.title for view in window.views] == TITLES
    shortcuts = [action.shortcut().toString() for action in window.tab_actions]
    # The GAN tab is not shown for an autoencoder: Ctrl+N counts the tabs shown.
    assert shortcuts == ["Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "", "Ctrl+5"]


def test_ctrl_n_switches_tabs(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.view("Reconstructions")
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.view("PCA baseline")


def test_gan_tabs_show_only_for_a_gan(window):
    panel = window.model_panel
    tabs = window.tabs

    def visible() -> list[str]:
        return [v.title for i, v in enumerate(window.views) if tabs.isTabVisible(i)]

    assert visible() == ["Loss", "Latent space", "Reconstructions", "Anomalies", "PCA baseline"]
    window.tabs.setCurrentIndex(1)
    panel.family.setCurrentIndex(panel.family.findData("gan"))
    assert visible() == ["Loss", "GAN", "PCA baseline"]
    assert tabs.isTabVisible(tabs.currentIndex())
    assert not window.tab_actions[1].isEnabled()
    assert window.tab_actions[4].isEnabled()
    # The View menu lists the same tabs, and Ctrl+1..3 reach them.
    listed = [
        a.text() for a in window.view_menu.actions() if a in window.tab_actions and a.isVisible()
    ]
    assert listed == visible()
    assert [a.shortcut().toString() for a in window.tab_actions if a.isVisible()] == [
        "Ctrl+1",
        "Ctrl+2",
        "Ctrl+3",
    ]
    panel.family.setCurrentIndex(panel.family.findData("vae"))
    assert "GAN" not in visible()
    assert not window.tab_actions[4].isEnabled()


def test_view_applies_by_family():
    assert view_applies("GAN", "gan")
    assert not view_applies("GAN", "ae")
    assert not view_applies("Latent space", "gan")
    assert view_applies("Loss", "gan")
    assert view_applies("Anomalies", "linear")


def test_latent_selection_reaches_the_anomalies_view(window):
    anomalies = window.view("Anomalies")
    window.view("Latent space").selection_changed.emit(np.array([3, 5]))
    assert list(anomalies._selection) == [3, 5]
    window.view("Latent space").selection_changed.emit(np.zeros(0, np.int64))
    assert anomalies._selection is None


def test_closing_shuts_every_view_down(qtbot, window, monkeypatch):
    calls: list[str] = []
    for view in window.views:
        original = view.shutdown
        monkeypatch.setattr(
            view, "shutdown", lambda v=view, o=original: (calls.append(v.title), o())
        )
    window.close()
    assert sorted(calls) == sorted(TITLES)


def test_a_stacked_run_draws_one_loss_curve_per_stage(qtbot, window):
    from aeviewer.config import ModelSpec
    from aeviewer.gui.state import RunState

    window.model_panel.set_spec(ModelSpec(kind="stacked", latent=2, hidden=(32,), stage_epochs=1))
    window.training_panel.set_spec(small_train(1))
    assert window.controller.start()
    qtbot.waitUntil(lambda: window.state is RunState.FINISHED, timeout=TIMEOUT_MS)
    stages = window.controller.started.stages
    assert len(stages) > 1
    loss = window.view("Loss")

    def train_stages() -> list[str | None]:
        return [key.stage for key in loss.curves if key.split == "train" and key.term == "loss"]

    qtbot.waitUntil(lambda: train_stages() == list(stages), timeout=TIMEOUT_MS)
