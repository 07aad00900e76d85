"""Comparing runs in the window: the Runs panel, the runs table, the Loss and PCA overlays."""

from __future__ import annotations

import json

import numpy as np
import pytest
from gui_helpers import TIMEOUT_MS
from PySide6.QtCore import Qt

from aeviewer.cli import main as cli_main
from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data.dataset import Dataset
from aeviewer.gui.open_paths import open_paths, split_arguments
from aeviewer.io.open_paths import classify
from aeviewer.training.loop import train


def _run(path, kind="ae", latent=2, epochs=3, seed=0):
    x = np.random.default_rng(seed).normal(size=(120, 6)).astype(np.float32)
    data = Dataset(x=x, sample_shape=(6,), name="vectors", source=f"test:vectors{seed}")
    config = RunConfig(
        data=DataSpec(source=data.source),
        model=ModelSpec(kind=kind, latent=latent, hidden=(8,)),
        train=TrainSpec(epochs=epochs, batch_size=40, device="cpu", n_eval=20, n_recon=2),
    )
    list(train(config, data, run_dir=path))
    return path


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    for kind in ("ae", "linear"):
        for latent in (1, 3):
            _run(folder / f"{kind}-{latent}", kind=kind, latent=latent)
    return folder


@pytest.fixture
def errors(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(
        "aeviewer.gui.run_comparison.dialogs.show_error", lambda _p, _t, m: shown.append(m)
    )
    return shown


def _open(qtbot, window, paths):
    comparison = window.comparison
    with qtbot.waitSignal(comparison.opened, timeout=TIMEOUT_MS):
        comparison.add_paths(paths)
    qtbot.waitUntil(lambda: not comparison.busy, timeout=TIMEOUT_MS)
    qtbot.waitUntil(
        lambda: all(e.summary is not None and e.epochs for e in comparison.runs),
        timeout=TIMEOUT_MS,
    )
    qtbot.waitUntil(lambda: not comparison.busy, timeout=TIMEOUT_MS)


def test_a_sweep_is_listed_overlaid_and_tabled(qtbot, window, sweep, errors, tmp_path):
    comparison = window.comparison
    _open(qtbot, window, [sweep])
    panel, table = comparison.panel, comparison.table
    assert [panel.item(k).text(0) for k in panel.run_keys()] == [
        "ae-1",
        "ae-3",
        "linear-1",
        "linear-3",
    ]
    assert panel.item(panel.run_keys()[0]).text(2) == "ae · latent 1 · 3 epochs"
    assert comparison.panel_dock.isVisibleTo(window) and comparison.table_dock.isVisibleTo(window)
    # The Loss view draws each run, with PCA's line for each latent size.
    overlay = comparison.loss_overlay
    assert len(overlay.curves) == 4 and sorted(overlay.pca_lines) == [1, 3]
    x, y = overlay.curves[panel.run_keys()[0]].getData()
    assert list(x) == [1.0, 2.0, 3.0] and np.all(np.isfinite(y))
    window.view("Loss").x_axis.setCurrentIndex(window.view("Loss").x_axis.findData("time"))
    x, _ = overlay.curves[panel.run_keys()[0]].getData()
    assert np.all(np.diff(x) > 0)
    # Hiding a run removes its curve and its points.
    panel.item(panel.run_keys()[1]).setCheckState(0, Qt.CheckState.Unchecked)
    assert len(overlay.curves) == 3
    panel.item(panel.run_keys()[1]).setCheckState(0, Qt.CheckState.Checked)
    # The PCA view: linear runs are diamonds on PCA's curve, a click selects the run.
    points = comparison.pca_points
    linear = points.points["d"]
    assert len(linear.getData()[0]) == 2 and len(points.curves) == 1
    legend = points.plot.legend
    assert legend.getLabel(linear) is not None and legend.getLabel(points.points["o"]) is not None
    spot = linear.scatter.points()[0]
    with qtbot.waitSignal(comparison.selected, timeout=TIMEOUT_MS) as picked:
        linear.sigPointsClicked.emit(linear, [spot], None)
    assert picked.args[0] == spot.data()
    assert table.current_key() == spot.data() == panel.current_key()
    # The table: every run, sortable by any column, exported as CSV.
    assert table.table.rowCount() == 4
    assert "model.kind" in table.columns and "model.latent" in table.columns
    ratio = table.columns.index("mse_ratio")
    table.table.sortItems(ratio, Qt.SortOrder.DescendingOrder)
    shown = [table.table.item(r, ratio).value for r in range(4)]
    assert shown == sorted(shown, reverse=True)
    table.export_csv(tmp_path / "runs.csv")
    lines = (tmp_path / "runs.csv").read_text().splitlines()
    assert lines[0].startswith("run,status,data,model_mse") and len(lines) == 5
    assert not errors


def test_bad_paths_are_named_and_open_runs_stay(qtbot, window, sweep, errors, tmp_path):
    comparison = window.comparison
    _open(qtbot, window, [sweep / "ae-1"])
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    incompatible = _run(tmp_path / "future", epochs=1)
    config = json.loads((incompatible / "config.json").read_text())
    config["model"]["attention_heads"] = 8
    (incompatible / "config.json").write_text(json.dumps(config))
    with qtbot.waitSignal(comparison.opened, timeout=TIMEOUT_MS):
        comparison.add_paths([foreign, incompatible])
    qtbot.waitUntil(lambda: not comparison.busy, timeout=TIMEOUT_MS)
    assert len(errors) == 1
    assert "foreign: neither a run directory" in errors[0]
    assert "future: a run this version of aeviewer cannot read" in errors[0]
    assert [e.name for e in comparison.runs] == ["ae-1"]


def test_runs_on_other_data_are_flagged_and_runs_update_live(
    qtbot, window, sweep, errors, tmp_path
):
    comparison = window.comparison
    growing = _run(tmp_path / "growing", seed=5, epochs=2)
    for name in ("model.json", "model.safetensors"):
        (growing / name).unlink()  # as while it is still being written
    _open(qtbot, window, [sweep / "ae-1", growing])
    _, rows = comparison.runs.rows()
    assert all(row["data_differs"] for row in rows)
    assert comparison.table.note.text()
    # A run still being written: new epochs appear at the next poll.
    lines = (growing / "metrics.jsonl").read_text().splitlines()
    extra = json.loads(lines[-1]) | {"epoch": 3, "step": 999}
    with open(growing / "metrics.jsonl", "a") as handle:
        handle.write(json.dumps(extra) + "\n")
    entry = comparison.runs.entries[str(growing.resolve())]
    comparison.poll()
    qtbot.waitUntil(lambda: len(entry.epochs) == 3, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not comparison.busy, timeout=TIMEOUT_MS)
    assert len(comparison.loss_overlay.curves[entry.key].getData()[0]) == 3
    comparison.remove(entry.key)
    assert [e.name for e in comparison.runs] == ["ae-1"]


def test_the_live_run_is_listed(qtbot, window, errors):
    comparison = window.comparison
    window.controller.actions["start"].trigger()
    qtbot.waitUntil(
        lambda: (
            "live" in comparison.runs.entries and len(comparison.runs.entries["live"].epochs) == 2
        ),
        timeout=TIMEOUT_MS,
    )
    qtbot.waitUntil(
        lambda: comparison.runs.entries["live"].status == "completed", timeout=TIMEOUT_MS
    )
    assert comparison.panel.item("live").text(0) == "this window"
    assert comparison.runs.entries["live"].summary.figures["pca_mse"] > 0
    # No runs opened: the PCA view's legend lists no run points.
    points = comparison.pca_points
    assert points is not None
    assert all(points.plot.legend.getLabel(item) is None for item in points.points.values())


def test_command_line_paths(qtbot, window, sweep, capsys, tmp_path):
    assert cli_main([str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nowhere: no such file or folder" in err
    assert split_arguments(["-platform", "offscreen", "runs/a", "b"]) == (
        ["-platform", "offscreen"],
        ["runs/a", "b"],
    )
    comparison = window.comparison
    with qtbot.waitSignal(comparison.opened, timeout=TIMEOUT_MS):
        open_paths(window, [classify(str(sweep / "ae-1")), classify(str(sweep / "linear-3"))])
    qtbot.waitUntil(lambda: not comparison.busy, timeout=TIMEOUT_MS)
    assert [e.name for e in comparison.runs] == ["ae-1", "linear-3"]
