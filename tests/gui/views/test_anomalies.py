"""The anomalies view: histogram, threshold, ROC/PR curves with AUC, gallery and heat maps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot
from views_synthetic import fake_decoder, make_snapshot

from aeviewer.analysis import metrics
from aeviewer.data.dataset import Dataset
from aeviewer.gui.views.anomalies import N_GALLERY, AnomaliesView


@pytest.fixture
def view(qtbot: QtBot, image_dataset: Dataset) -> AnomaliesView:
    widget = AnomaliesView()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.set_dataset(image_dataset)
    return widget


def test_histogram_splits_normal_and_anomalous(view: AnomaliesView, image_dataset: Dataset) -> None:
    snap = make_snapshot(image_dataset)
    view.handle_event(snap)
    _, normal = view.hist_curves["normal"].getData()
    _, anomalous = view.hist_curves["anomalous"].getData()
    assert normal.sum() == 270 and anomalous.sum() == 30
    legend = [label.text for _, label in view.histogram.legend.items]
    assert legend == ["normal (270)", "anomalous (30)"]


def test_roc_and_pr_curves_with_auc_for_model_and_pca(
    view: AnomaliesView, image_dataset: Dataset
) -> None:
    snap = make_snapshot(image_dataset)
    view.handle_event(snap)
    truth = image_dataset.anomalies
    assert view.auc["model"] == pytest.approx(metrics.roc_auc(snap.scores, truth))
    assert view.auc["PCA"] == pytest.approx(metrics.roc_auc(snap.pca_scores, truth))
    fpr, tpr = view.roc_curves["model"].getData()
    expected_fpr, expected_tpr, _ = metrics.roc_curve(snap.scores, truth)
    np.testing.assert_allclose(fpr, expected_fpr)
    np.testing.assert_allclose(tpr, expected_tpr)
    labels = [label.text for _, label in view.roc_legend.items]
    assert labels == [f"model AUC {view.auc['model']:.3f}", f"PCA AUC {view.auc['PCA']:.3f}"]
    pr_labels = [label.text for _, label in view.pr_legend.items]
    assert pr_labels[0].startswith("model AP ")


def test_choosing_a_normal_class_changes_the_truth(
    view: AnomaliesView, image_dataset: Dataset
) -> None:
    snap = make_snapshot(image_dataset)
    view.handle_event(snap)
    view.set_truth(2)
    truth = image_dataset.labels != 2
    np.testing.assert_array_equal(view.truth(), truth)
    assert view.auc["model"] == pytest.approx(metrics.roc_auc(snap.scores, truth))
    view.set_truth(None)
    assert view.auc == {}
    assert view.roc_curves["model"].getData()[0] is None or not len(
        view.roc_curves["model"].getData()[0]
    )
    assert "needs" in view.roc.titleLabel.text
    with pytest.raises(ValueError, match="no truth"):
        view.set_truth(7)


@pytest.mark.parametrize(
    ("mode", "value", "expected"),
    [("percentile", 90.0, 30), ("contamination", 0.2, 60), ("contamination", 0.0, 0)],
)
def test_threshold_relabels_and_counts(
    view: AnomaliesView, image_dataset: Dataset, mode: str, value: float, expected: int
) -> None:
    view.handle_event(make_snapshot(image_dataset))
    view.set_threshold(mode, value)
    assert view.flags().sum() == expected
    assert view.count_label.text().startswith(f"flags {expected} of 300")


def test_threshold_by_score_moves_the_line_and_the_operating_point(
    view: AnomaliesView, image_dataset: Dataset
) -> None:
    snap = make_snapshot(image_dataset)
    view.handle_event(snap)
    cut = float(np.median(snap.scores))
    view.set_threshold("score", cut)
    assert view.threshold_line.value() == pytest.approx(cut, rel=1e-3)
    assert view.flags().sum() == (snap.scores > view.value_spin.value()).sum()
    (x,), (y,) = view.operating_point.getData()
    truth = image_dataset.anomalies
    flags = view.flags()
    assert y == pytest.approx((flags & truth).sum() / truth.sum())
    assert x == pytest.approx((flags & ~truth).sum() / (~truth).sum())


def test_switching_mode_keeps_the_same_cut(view: AnomaliesView, image_dataset: Dataset) -> None:
    view.handle_event(make_snapshot(image_dataset))
    view.set_threshold("contamination", 0.1)
    flagged = view.flags().sum()
    view.mode_combo.setCurrentIndex(1)  # percentile
    assert view.value_spin.value() == pytest.approx(90.0, abs=0.5)
    assert abs(int(view.flags().sum()) - int(flagged)) <= 1


def test_gallery_shows_the_most_anomalous(view: AnomaliesView, image_dataset: Dataset) -> None:
    snap = make_snapshot(image_dataset)
    view.handle_event(snap)
    assert view.gallery_panel.n_tiles == N_GALLERY
    top = np.sort(snap.scores)[::-1][0]
    assert view.gallery_panel.captions[0].toPlainText().endswith(f"{top:.3g}")
    assert view.heat_panel.n_tiles == len(snap.originals)  # fixed samples without a decoder
    view.set_decoder(fake_decoder(image_dataset.sample_shape))
    assert view.heat_panel.n_tiles == N_GALLERY
    assert "most anomalous" in view.heat_panel.label.text


def test_vector_data_without_truth(qtbot: QtBot, vector_dataset: Dataset) -> None:
    view = AnomaliesView()
    qtbot.addWidget(view)
    unlabeled = Dataset(
        x=vector_dataset.x, sample_shape=vector_dataset.sample_shape, name="v", source="test:v"
    )
    view.set_dataset(unlabeled)
    view.handle_event(make_snapshot(unlabeled))
    assert view.truth() is None
    _, counts = view.hist_curves["all"].getData()
    assert counts.sum() == unlabeled.n_samples
    assert view.heat_panel.n_tiles == 1  # one heat map: samples x features
    assert view.flags().sum() == 10  # the default: above the 95th percentile


def test_export(view: AnomaliesView, image_dataset: Dataset, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no anomaly scores"):
        view.export_data(tmp_path / "a.csv")
    view.handle_event(make_snapshot(image_dataset))
    view.set_threshold("contamination", 0.1)
    view.export_data(tmp_path / "a.csv")
    lines = (tmp_path / "a.csv").read_text().splitlines()
    assert lines[0] == "index,score,pca_score,flagged,anomalous"
    assert sum(line.split(",")[3] == "True" for line in lines[1:]) == 30
    view.export_plot(tmp_path / "a.svg")
    assert b"<svg" in (tmp_path / "a.svg").read_bytes()


def test_long_tailed_scores_get_a_log_axis(view: AnomaliesView, image_dataset: Dataset) -> None:
    scores = np.full(300, 0.01, np.float32)
    scores[::10] = 5.0  # the anomalies score 500 times the median
    view.handle_event(make_snapshot(image_dataset, scores=scores))
    assert view.histogram.ctrl.logXCheck.isChecked()
    view.set_threshold("score", 1.0)
    assert view.threshold_line.value() == pytest.approx(0.0)  # log10(1.0)
    assert view.flags().sum() == 30
    view.threshold_line.setValue(np.log10(0.001))
    view._on_line_moved()
    assert view.value_spin.value() == pytest.approx(0.001, abs=1e-4)


def test_selected_samples_get_error_heat_maps(view: AnomaliesView, image_dataset: Dataset) -> None:
    snap = make_snapshot(image_dataset, n_recon=8)
    view.handle_event(snap)
    view.set_selection(np.array([2, 5, 200]))  # 2 and 5 are fixed samples, 200 is not
    assert view.heat_panel.n_tiles == 2
    assert "2 selected" in view.heat_panel.label.text
    expected = np.abs(snap.originals[2, 0] - snap.reconstructions[2, 0])
    np.testing.assert_allclose(view.heat_panel.image.image[:8, :8], expected, rtol=1e-5)
    view.set_selection(np.array([200]))
    assert view.heat_panel.n_tiles == 0
    assert "needs a decoder" in view.heat_panel.label.text
    view.set_decoder(fake_decoder(image_dataset.sample_shape))
    view.set_selection(np.array([200, 201, 202]))
    assert view.heat_panel.n_tiles == 3
    view.set_selection(None)
    assert view.heat_panel.n_tiles == N_GALLERY  # back to the most anomalous


def test_the_default_truth_is_the_runs_normal_class_or_the_labels_as_given(
    qtbot: QtBot, image_dataset: Dataset
) -> None:
    from dataclasses import replace

    from aeviewer.config import DataSpec, RunConfig
    from aeviewer.training.events import Started

    view = AnomaliesView()
    qtbot.addWidget(view)
    view.set_dataset(image_dataset)
    assert view.truth_combo.currentData() == "anomalies"
    one_class = RunConfig(data=DataSpec(source="x", normal_class=2))
    view.handle_event(Started(one_class, "cpu", 10, 2, 1, 100))
    assert view.truth_combo.currentData() == 2
    view.reset()
    assert view.truth_combo.currentData() == "anomalies"
    # Labels but no anomaly labels, a model trained on every class: no class is the truth.
    view.set_dataset(replace(image_dataset, anomalies=None))
    assert view.truth_combo.currentData() is None
    assert view.truth_combo.currentText() == "none (no ROC)"
