"""One-class anomaly detection in the window: the Data panel's normal class and normalisation
reach the run, the Anomalies view takes the normal class as its truth."""

from __future__ import annotations

import numpy as np
from gui_helpers import TIMEOUT_MS, small_train

from aeviewer.gui import dialogs
from aeviewer.gui.state import RunState
from aeviewer.gui.threads import running_threads
from aeviewer.training.events import Finished


def pick(combo, data) -> None:
    """Choose the item with ``data`` as a user would (the ``activated`` signal)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def train(qtbot, window) -> None:
    with qtbot.waitSignal(
        window.controller.event,
        timeout=TIMEOUT_MS,
        check_params_cb=lambda e: isinstance(e, Finished),
    ):
        window.training_panel.buttons["start"].click()
    qtbot.waitUntil(lambda: not running_threads(), timeout=TIMEOUT_MS)


def test_the_normal_class_and_normalisation_reach_the_run(qtbot, window):
    box = window.data_panel.preparation
    assert box.normal_class_combo.isEnabled()
    assert box.normal_class_combo.count() == 1 + window.dataset.n_classes
    pick(box.normal_class_combo, 2)
    pick(box.normalize_combo, "zscore")
    spec = window.run_config().data
    assert (spec.normal_class, spec.normalize) == (2, "zscore")
    assert window.dataset.normalization.kind == "zscore"

    train(qtbot, window)
    # Trained on class 2 only; the Anomalies view takes "not class 2" as the truth.
    assert window.controller.config.data.normal_class == 2
    anomalies = window.view("Anomalies")
    window.tabs.setCurrentWidget(anomalies)  # a hidden view keeps its snapshot for later
    qtbot.waitUntil(lambda: anomalies.truth() is not None, timeout=TIMEOUT_MS)
    assert anomalies.truth_combo.currentData() == 2
    truth = anomalies.truth()
    assert truth is not None and truth.any() and not truth.all()


def test_a_preparation_change_asks_to_reset_a_trained_model(qtbot, window, monkeypatch):
    train(qtbot, window)
    answers: list[str] = []

    def no(parent, what):
        answers.append(what)
        return False

    monkeypatch.setattr(dialogs, "ask_reset", no)
    box = window.data_panel.preparation
    pick(box.normalize_combo, "minmax")
    assert answers == ["the data preparation"]
    # Declined: the choice goes back, the model stays.
    assert box.normalize_combo.currentData() == "auto" and box.normalize == "auto"
    assert window.state is RunState.FINISHED

    monkeypatch.setattr(dialogs, "ask_reset", lambda parent, what: True)
    pick(box.normal_class_combo, 1)
    qtbot.waitUntil(lambda: window.state is RunState.IDLE, timeout=TIMEOUT_MS)
    assert window.run_config().data.normal_class == 1


def test_data_without_labels_offer_no_normal_class(qtbot, window, tmp_path):
    path = tmp_path / "plain.csv"
    rng = np.random.default_rng(0)
    np.savetxt(path, rng.normal(size=(60, 3)), delimiter=",", header="a,b,c", comments="")
    with qtbot.waitSignal(window.data_panel.dataset_changed, timeout=TIMEOUT_MS):
        window.data_panel.load(str(path))
    box = window.data_panel.preparation
    assert not box.normal_class_combo.isEnabled()
    assert window.run_config().data.normal_class is None


def test_the_anomalies_view_measures_the_one_class_table(qtbot, window, tmp_path):
    anomalies = window.view("Anomalies")
    assert anomalies.oneclass_button.isEnabled()
    dialog = anomalies.open_one_class_table()
    assert dialog is not None and dialog.isVisible()
    assert "ae model with latent size 2" in dialog.about.text()
    dialog.classes_edit.setText("0, 3")
    dialog.start()
    assert dialog.is_running and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not running_threads(), timeout=TIMEOUT_MS)
    table = dialog.table
    assert table.classes == [0, 3]
    cells = [table.value("ae", c) for c in (0, 3)] + [table.value("pca", c) for c in (0, 3)]
    assert all(0.0 <= v <= 1.0 for v in cells)
    assert dialog.grid.rowCount() == 3 and dialog.grid.item(2, 0).text() == "mean"
    assert dialog.grid.item(0, 1).text() == f"{table.value('ae', 0):.3f}"
    assert "Done: 2 classes" in dialog.status.text()
    path = tmp_path / "oneclass.csv"
    dialog.export_csv(str(path))
    assert path.read_text().splitlines()[0] == "class,ae,pca"

    # Cancel stops at the next batch and keeps what was measured (here: nothing yet).
    window.training_panel.set_spec(small_train(500))
    dialog.set_inputs(window.dataset, window.run_config())
    dialog.start()
    dialog.cancel()
    qtbot.waitUntil(lambda: not dialog.is_running, timeout=TIMEOUT_MS)
    assert "Cancelled after 0 of 2" in dialog.status.text()
    dialog.close()


def test_a_bad_class_list_says_so(qtbot, window):
    dialog = window.view("Anomalies").open_one_class_table()
    dialog.classes_edit.setText("0, 99")
    dialog.start()
    assert not dialog.is_running
    assert "No class 99" in dialog.status.text()
    dialog.close()
