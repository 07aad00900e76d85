"""The main window: start-up on the default data set, panels, shortcuts, settings, reset prompts."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from gui_helpers import SMALL_MODEL, TIMEOUT_MS, open_window, small_train
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget
from shared_data import MNIST_T10K_IMAGES, needs_mnist

from aeviewer.config import ModelSpec, RunConfig, TrainSpec
from aeviewer.data import LoadCancelled
from aeviewer.gui import dialogs
from aeviewer.gui.main_window import MainWindow
from aeviewer.gui.state import RunState
from aeviewer.training.events import EpochEnd


def test_opens_on_the_default_data_set(qtbot):
    window = open_window(qtbot, source=None)
    dataset = window.dataset
    assert dataset is not None
    assert dataset.source == "builtin:shapes"
    assert dataset.n_samples == 10_000
    assert dataset.sample_shape == (1, 28, 28)
    info = window.data_panel.info.text()
    assert "10,000 images of 1×28×28" in info
    assert "6 classes" in info
    assert window.data_panel.preview.strip.pixmap().width() > 100
    qtbot.waitUntil(lambda: window.training_panel.device.count() > 1, timeout=TIMEOUT_MS)
    assert window.training_panel.device.itemText(window.training_panel.device.count() - 1) == "cpu"
    assert window.windowTitle() == "aeviewer — shapes"
    assert window.controller.actions["start"].isEnabled()
    window.close()


@needs_mnist
def test_loads_the_mnist_test_set_from_a_folder(qtbot, window):
    with qtbot.waitSignal(window.data_panel.dataset_changed, timeout=TIMEOUT_MS) as loaded:
        window.data_panel.load(str(MNIST_T10K_IMAGES))
    dataset = loaded.args[0]
    assert dataset.n_samples == 10_000
    assert dataset.sample_shape == (1, 28, 28)
    assert "10,000 images of 1×28×28" in window.data_panel.info.text()
    assert window.data_panel.sources.currentText() == "t10k-images-idx3-ubyte.gz (file)"


def test_vector_data_gets_a_plot_preview(qtbot, window):
    with qtbot.waitSignal(window.data_panel.dataset_changed, timeout=TIMEOUT_MS):
        window.data_panel.load("builtin:moons?n=300")
    preview = window.data_panel.preview
    assert preview.currentWidget() is preview.plot
    x, _ = preview.scatter.getData()
    assert len(x) == 300


def test_a_bad_file_gives_a_dialog_and_keeps_the_data(qtbot, window, monkeypatch, tmp_path):
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _, title, msg: errors.append(msg))
    bad = tmp_path / "empty.csv"
    bad.write_text("")
    with qtbot.waitSignal(window.data_panel.load_failed, timeout=TIMEOUT_MS):
        window.data_panel.load(str(bad))
    assert len(errors) == 1
    assert "empty.csv" in errors[0]
    assert window.data_panel.source == "builtin:shapes?n=800"
    assert window.data_panel.sources.currentData() == "builtin:shapes?n=800"


def test_only_the_chosen_familys_options_show(window):
    panel = window.model_panel
    form = panel._form

    def visible(widget: QWidget) -> bool:
        return form.isRowVisible(widget)

    panel.family.setCurrentIndex(panel.family.findData("ae"))
    assert not visible(panel.noise_kind) and not visible(panel.beta)
    panel.family.setCurrentIndex(panel.family.findData("denoising"))
    assert visible(panel.noise_kind) and visible(panel.noise_level)
    assert panel.spec().noise is not None
    panel.family.setCurrentIndex(panel.family.findData("vae"))
    assert visible(panel.beta) and not visible(panel.noise_kind)
    panel.family.setCurrentIndex(panel.family.findData("gan"))
    assert visible(panel.gan_d_steps) and visible(panel.gan_g_steps)
    panel.family.setCurrentIndex(panel.family.findData("stacked"))
    assert visible(panel.stage_epochs)
    panel.family.setCurrentIndex(panel.family.findData("sparse"))
    assert visible(panel.sparsity_weight) and not visible(panel.sparsity_rate)
    panel.sparsity_kind.setCurrentIndex(panel.sparsity_kind.findData("kl"))
    assert visible(panel.sparsity_rate)
    assert panel.spec().sparsity.kind == "kl"
    assert panel.family.toolTip().startswith("A penalty drives the code's activations")


def test_identity_warning_is_live(window):
    panel = window.model_panel
    assert panel.warning.isHidden()
    panel.latent.setValue(784)
    assert not panel.warning.isHidden()
    assert "at least the input size 784" in panel.warning.text()
    panel.family.setCurrentIndex(panel.family.findData("denoising"))
    assert panel.warning.isHidden()


def test_changing_the_model_while_one_exists_asks_to_reset(qtbot, window, monkeypatch):
    answers = [False, True]
    asked: list[str] = []

    def ask(parent, what):
        asked.append(what)
        return answers.pop(0)

    monkeypatch.setattr(dialogs, "ask_reset", ask)
    with qtbot.waitSignal(
        window.controller.event,
        timeout=TIMEOUT_MS,
        check_params_cb=lambda e: isinstance(e, EpochEnd),
    ):
        window.controller.actions["step"].trigger()
    qtbot.waitUntil(lambda: window.state is RunState.PAUSED, timeout=TIMEOUT_MS)

    window.model_panel.latent.setValue(5)  # declined: the old setting comes back
    assert asked == ["the model"]
    assert window.model_panel.latent.value() == SMALL_MODEL.latent
    assert window.state is RunState.PAUSED

    window.model_panel.latent.setValue(5)  # accepted: the model is reset
    assert asked == ["the model", "the model"]
    assert window.state is RunState.IDLE
    assert window.model_panel.spec().latent == 5
    assert not window.view("Loss").curves


def test_a_new_data_set_while_training_asks_to_reset_once_it_loaded(qtbot, window, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask_reset", lambda parent, what: asked.append(what) and False)
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _, title, msg: errors.append(msg))
    window.training_panel.set_spec(small_train(500))
    with qtbot.waitSignal(
        window.controller.event,
        timeout=TIMEOUT_MS,
        check_params_cb=lambda e: isinstance(e, EpochEnd),
    ):
        window.controller.start()
    panel = window.data_panel
    # A file that does not load asks nothing and does not join the list of sources.
    with qtbot.waitSignal(panel.load_failed, timeout=TIMEOUT_MS):
        panel.load(str(Path(__file__).with_name("no-such-file.csv")))
    assert asked == [] and len(errors) == 1
    assert panel.sources.findData(str(Path(__file__).with_name("no-such-file.csv"))) < 0
    # One that loads asks; declined, the old data stay.
    with qtbot.waitSignal(panel.change_declined, timeout=TIMEOUT_MS):
        panel.load("builtin:moons")
    assert asked == ["the data set"]
    assert panel.sources.currentData() == "builtin:shapes?n=800"
    assert panel.dataset.source.startswith("builtin:shapes")
    assert window.state is RunState.RUNNING
    window.controller.reset()


def test_space_starts_and_pauses_but_types_in_text_fields(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.training_panel.set_spec(small_train(500))

    hidden = window.model_panel.hidden
    hidden.setFocus()
    hidden.setCursorPosition(len(hidden.text()))
    qtbot.keyClick(hidden, Qt.Key.Key_Space)
    assert hidden.text().endswith(" ")
    assert window.state is RunState.IDLE
    epochs = window.training_panel.epochs
    epochs.setFocus()
    qtbot.keyClick(epochs, Qt.Key.Key_Space)
    assert window.state is RunState.IDLE

    plot = window.view("Loss").plot_widget
    plot.setFocus()
    with qtbot.waitSignal(
        window.controller.event,
        timeout=TIMEOUT_MS,
        check_params_cb=lambda e: isinstance(e, EpochEnd),
    ):
        qtbot.keyClick(plot, Qt.Key.Key_Space)
        assert window.state is RunState.RUNNING
    button = window.training_panel.buttons["stop"]
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert window.state is RunState.PAUSED  # the shortcut, not a click on the focused button
    # A focused combo box or check box does not take it either.
    combo = window.model_panel.family
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Space)
    assert window.state is RunState.RUNNING
    assert not combo.view().isVisible()
    check = window.view("Loss").log_scale
    check.setFocus()
    qtbot.keyClick(check, Qt.Key.Key_Space)
    assert window.state is RunState.PAUSED
    assert not check.isChecked()
    window.controller.reset()


def test_ctrl_number_switches_view_tabs(qtbot, window):
    assert [a.shortcut().toString() for a in window.tab_actions][:1] == ["Ctrl+1"]
    window.tabs.setCurrentIndex(window.tabs.count() - 1)
    window.tab_actions[0].trigger()
    assert window.tabs.currentIndex() == 0
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"


def test_settings_survive_a_restart(qtbot):
    first = open_window(qtbot)
    first.model_panel.set_spec(ModelSpec(kind="vae", latent=7, hidden=(64, 16), beta=2.5))
    first.training_panel.set_spec(small_train(9))
    first.view("Loss").log_scale.setChecked(True)
    first.docks["training"].hide()
    with qtbot.waitSignal(first.data_panel.dataset_changed, timeout=TIMEOUT_MS):
        first.data_panel.load("builtin:ring?n=500")
    first.close()

    second = MainWindow()
    qtbot.addWidget(second)
    with qtbot.waitSignal(second.data_panel.dataset_changed, timeout=TIMEOUT_MS) as loaded:
        second.show()
    assert loaded.args[0].source == "builtin:ring?n=500"
    spec = second.model_panel.spec()
    assert (spec.kind, spec.latent, spec.hidden, spec.beta) == ("vae", 7, (64, 16), 2.5)
    assert second.training_panel.spec().epochs == 9
    assert second.view("Loss").log_scale.isChecked()
    assert second.docks["training"].isHidden()
    assert not second.docks["model"].isHidden()
    assert QSettings().value("window/geometry") is not None
    second.close()


def test_reset_is_only_enabled_with_a_model(window):
    actions = window.controller.actions
    assert not actions["reset"].isEnabled()
    assert not actions["stop"].isEnabled()
    assert not actions["pause"].isEnabled()


def test_a_download_shows_progress_and_can_be_cancelled(qtbot, window, monkeypatch):
    import aeviewer.data

    def slow_download(source, *, progress=None, cancel=None, label_column=None):
        # A stand-in for a long download: reports 10 % and waits until it is cancelled.
        progress(10, 100)
        while not cancel():
            threading.Event().wait(0.005)
        raise LoadCancelled(f"{source}: the download was cancelled")

    monkeypatch.setattr(aeviewer.data, "load_source", slow_download)
    panel = window.data_panel
    panel.sources.setCurrentIndex(panel.sources.findData("mnist"))
    panel.sources.activated.emit(panel.sources.currentIndex())
    qtbot.waitUntil(lambda: panel.progress.value() == 100, timeout=TIMEOUT_MS)
    assert panel.cancel_button.isVisible()
    assert panel.info.text() == "Loading mnist …"
    with qtbot.waitSignal(panel.loading_changed, timeout=TIMEOUT_MS):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not panel.cancel_button.isVisible()
    assert panel.source == "builtin:shapes?n=800"
    assert panel.sources.currentData() == "builtin:shapes?n=800"
    assert "800 images" in panel.info.text()


@pytest.mark.parametrize(
    ("version", "lr", "expected"), [(None, 1e-3, None), (None, 5e-4, 5e-4), (2, 1e-3, 1e-3)]
)
def test_settings_saved_before_the_automatic_rate_read_the_former_default_as_auto(
    qtbot, version, lr, expected
):
    saved = RunConfig(train=TrainSpec(lr=lr, epochs=9)).to_dict()
    settings = QSettings()
    settings.setValue("run/model", json.dumps(saved["model"]))
    settings.setValue("run/train", json.dumps(saved["train"]))
    if version is None:
        settings.remove("run/version")
    else:
        settings.setValue("run/version", version)
    window = open_window(qtbot)
    assert window.training_panel.spec().lr == expected
    assert window.training_panel.spec().epochs == 9
    window.close()
    assert int(QSettings().value("run/version")) == 2
