"""Sessions, model export and open, data export and autosave from the main window."""

from __future__ import annotations

import numpy as np
import pytest
from gui_helpers import TIMEOUT_MS, open_window

from aeviewer.gui import dialogs, file_dialogs
from aeviewer.gui.state import RunState
from aeviewer.gui.views.loss_history import CurveKey
from aeviewer.io import open_model
from aeviewer.io.formats import EXPORT_FORMATS


def train_to_the_end(qtbot, window) -> None:
    assert window.controller.start()
    qtbot.waitUntil(lambda: window.state is RunState.FINISHED, timeout=TIMEOUT_MS)
    # The autosave written when the run ended.
    qtbot.waitUntil(lambda: not window.files.has_tasks, timeout=TIMEOUT_MS)


def wait_done(qtbot, window, what: str, start) -> None:
    """Call ``start()`` and wait until the File actions report ``what`` done."""
    with qtbot.waitSignal(
        window.files.done, timeout=TIMEOUT_MS, check_params_cb=lambda name: name == what
    ):
        assert start() is not None
    qtbot.waitUntil(lambda: not window.files.has_tasks, timeout=TIMEOUT_MS)


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _, title, msg: shown.append(msg))
    return shown


def test_a_saved_session_opens_as_it_was(qtbot, window, tmp_path):
    train_to_the_end(qtbot, window)
    latent, anomalies = window.view("Latent space"), window.view("Anomalies")
    latent.select_rect(-1e9, -1e9, 1e9, 0.0)
    selection = latent.selected_indices()
    assert selection.size > 0
    anomalies.set_threshold("percentile", 90.0)
    key = CurveKey("train", "loss")
    loss_x, loss_y = window.view("Loss").curve_data(key)
    lr_curve = window.view("Loss").lr_curve_data("model")
    positions = latent.positions.copy()
    path = tmp_path / "work.aev"
    wait_done(qtbot, window, "save", lambda: window.files.save_session_to(path))
    assert path.is_file()
    window.close()

    other = open_window(qtbot)
    other.view("Anomalies").set_threshold("score", 1.0)
    wait_done(qtbot, other, "open", lambda: other.files.open_session_from(path))
    x, y = other.view("Loss").curve_data(key)
    np.testing.assert_allclose(x, loss_x)
    np.testing.assert_allclose(y, loss_y)
    assert len(x) == 2
    np.testing.assert_allclose(other.view("Loss").lr_curve_data("model"), lr_curve)
    assert len(lr_curve[0]) == 2
    np.testing.assert_allclose(other.view("Latent space").positions, positions, atol=1e-6)
    assert list(other.view("Latent space").selected_indices()) == list(selection)
    threshold = other.view("Anomalies").threshold()
    assert (threshold.mode, threshold.value) == ("percentile", 90.0)
    assert other.model_mirror.has_model
    assert other.files.actions["export_model"].isEnabled()
    assert other.view("Latent space")._decoder is not None
    other.close()


def test_export_writes_a_loadable_model(qtbot, window, tmp_path):
    assert not window.files.actions["export_model"].isEnabled()
    train_to_the_end(qtbot, window)
    assert window.files.actions["export_model"].isEnabled()
    path = tmp_path / "model.safetensors"
    wait_done(qtbot, window, "export", lambda: window.files.export_model_to(path))
    loaded = open_model(path)
    assert loaded.config.model == window.model_mirror.config.model
    x = window.dataset.x[:5]
    import torch

    with torch.no_grad():
        ours = window.model_mirror.model(torch.from_numpy(x)).numpy()
        theirs = loaded.model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_onnx_is_greyed_out_without_its_extra(qapp):
    dialog = file_dialogs.ExportOptions(None, onnx=False)
    item = dialog.format.model().item(list(EXPORT_FORMATS).index("onnx"))
    assert not item.isEnabled()
    assert "aeviewer[onnx]" in dialog.hint.text()
    assert not dialog.part.isEnabled()
    dialog.format.setCurrentIndex(list(EXPORT_FORMATS).index("pt2"))
    assert dialog.part.isEnabled()
    dialog.deleteLater()


def test_an_opened_model_shows_a_snapshot(qtbot, window, tmp_path, errors):
    train_to_the_end(qtbot, window)
    path = tmp_path / "model.safetensors"
    wait_done(qtbot, window, "export", lambda: window.files.export_model_to(path))
    window.controller.reset()
    assert window.view("Latent space").frames == []
    wait_done(qtbot, window, "model", lambda: window.files.open_model_from(path))
    frames = window.view("Latent space").frames
    assert len(frames) == 1 and frames[0].epoch == 2
    assert window.view("PCA baseline")._variances is not None
    assert window.model_mirror.has_model
    assert window.view("Latent space")._decoder is not None
    assert errors == []

    with qtbot.waitSignal(window.data_panel.dataset_changed, timeout=TIMEOUT_MS):
        window.data_panel.load("builtin:moons?n=300")
    with qtbot.waitSignal(window.files.failed, timeout=TIMEOUT_MS):
        window.files.open_model_from(path)
    qtbot.waitUntil(lambda: not window.files.has_tasks, timeout=TIMEOUT_MS)
    assert len(errors) == 1
    assert "model.safetensors" in errors[0]
    assert "do not fit" in errors[0]


def test_export_data_writes_tables_and_projector_files(qtbot, window, tmp_path):
    train_to_the_end(qtbot, window)
    csv = tmp_path / "latents.csv"
    wait_done(qtbot, window, "data", lambda: window.files.export_data_to(csv))
    n = len(window.files.history.latest_snapshot().eval_indices)
    lines = csv.read_text().splitlines()
    assert len(lines) == 1 + n
    assert lines[0].split(",")[:4] == ["index", "label", "class", "score"]
    assert {"flagged", "z0", "z1", "p0", "p1"} <= set(lines[0].split(","))
    npy = tmp_path / "latents.npy"
    wait_done(qtbot, window, "data", lambda: window.files.export_data_to(npy))
    assert np.load(npy).shape == (n,)
    folder = tmp_path / "projector"
    wait_done(qtbot, window, "data", lambda: window.files.export_projector_to(folder))
    assert any(folder.iterdir())


def test_a_run_autosaves_and_the_next_start_offers_it(qtbot, window, monkeypatch):
    from aeviewer.io import abandon_autosave, autosave_path

    train_to_the_end(qtbot, window)
    path = autosave_path()
    assert path.is_file()
    # A crash leaves the autosave, unlocked (a live aeviewer's autosave is never offered).
    abandon_autosave()
    answers: list[str] = []

    def offer(parent, path, answer):
        answers.append(path)
        answer(True)

    monkeypatch.setattr(file_dialogs, "offer_autosave", offer)
    other = open_window(qtbot)
    qtbot.waitUntil(lambda: len(other.view("Latent space").frames) > 0, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not other.files.has_tasks, timeout=TIMEOUT_MS)
    assert answers == [str(path)]
    assert other.model_mirror.has_model
    # The restored autosave became the new instance's own, so its clean exit removes it.
    assert autosave_path() == path
    other.close()
    assert not path.exists()


def test_declining_the_autosave_removes_it(qtbot, window, monkeypatch):
    from aeviewer.io import abandon_autosave, autosave_path

    train_to_the_end(qtbot, window)
    path = autosave_path()
    abandon_autosave()  # as a crash would
    monkeypatch.setattr(file_dialogs, "offer_autosave", lambda p, path, answer: answer(False))
    other = open_window(qtbot)
    qtbot.waitUntil(lambda: not path.exists(), timeout=TIMEOUT_MS)
    assert not path.with_suffix(".lock").exists()
    assert other.view("Latent space").frames == []
    other.close()


def test_the_file_menu_and_toolbar_offer_the_actions(window):
    texts = [a.text() for a in window.file_menu.actions() if a.text()]
    for text in ("Open &session…", "Sa&ve session…", "Open &model…", "&Export model…"):
        assert text in texts
    assert "Open &run directory…" in texts
    assert not window.files.actions["export_data"].isEnabled()


def test_opening_a_session_reloads_its_data_set(qtbot, window, tmp_path, errors):
    train_to_the_end(qtbot, window)
    path = tmp_path / "work.aev"
    wait_done(qtbot, window, "save", lambda: window.files.save_session_to(path))
    epochs = len(window.view("Loss").curve_data(CurveKey("train", "loss"))[0])
    window.controller.reset()
    with qtbot.waitSignal(window.data_panel.dataset_changed, timeout=TIMEOUT_MS):
        window.data_panel.load("builtin:moons?n=300")
    wait_done(qtbot, window, "open", lambda: window.files.open_session_from(path))
    assert window.dataset.source == "builtin:shapes?n=800"
    assert len(window.view("Loss").curve_data(CurveKey("train", "loss"))[0]) == epochs
    assert len(window.view("Latent space").frames) == 2
    assert window.model_mirror.has_model
