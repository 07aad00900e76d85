"""The PCA-baseline view: spectrum, error by components, principal angles over epochs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from aeviewer.config import ModelSpec, RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.gui.views.pca import PcaView, pca_mse_by_components
from aeviewer.training.events import EpochEnd, Snapshot, Started

VARIANCES = np.array([4.0, 2.0, 1.0, 0.5, 0.25, 0.125, 0.0625, 0.0625])


@pytest.fixture
def view(qtbot: QtBot, vector_dataset: Dataset) -> PcaView:
    widget = PcaView()
    qtbot.addWidget(widget)
    widget.set_dataset(vector_dataset)  # 6 features
    return widget


def _started(latent: int = 2, variances: np.ndarray | None = VARIANCES) -> Started:
    return Started(
        config=RunConfig(model=ModelSpec(kind="linear", latent=latent)),
        device="cpu",
        n_train=100,
        n_val=20,
        n_batches=1,
        n_parameters=10,
        pca_val_loss=0.3,
        pca_explained_variance=variances,
    )


def _epoch(epoch: int, mse: float) -> EpochEnd:
    return EpochEnd(
        epoch=epoch,
        step=epoch,
        train={"loss": mse * 1.1, "mse": mse * 1.1},
        val={"loss": mse, "mse": mse},
        lr={"model": 1e-3},
        seconds=1.0,
        samples_per_s=100.0,
    )


def test_pca_mse_is_the_tail_of_the_spectrum_over_d() -> None:
    mse = pca_mse_by_components(VARIANCES, 8)
    assert mse[0] == pytest.approx(VARIANCES.sum() / 8)
    assert mse[2] == pytest.approx(VARIANCES[2:].sum() / 8)
    assert mse[-1] == 0.0
    assert np.all(np.diff(mse) <= 0)


def test_spectrum_and_error_curve(view: PcaView) -> None:
    view.handle_event(_started())
    heights = view.variance_bars.opts["height"]
    np.testing.assert_allclose(heights, VARIANCES / VARIANCES.sum())
    _, cumulative = view.cumulative_curve.getData()
    assert cumulative[0] == 0 and cumulative[-1] == pytest.approx(1.0)
    # A log axis: getData gives log10 values, xData/yData the linear ones.
    np.testing.assert_allclose(view.pca_curve.yData, pca_mse_by_components(VARIANCES, 6)[:-1])
    assert view.pca_mse_at_latent() == pytest.approx(VARIANCES[2:].sum() / 6)
    assert "keeps 75.0% of the variance" in view.summary.text()


def test_model_error_is_placed_at_the_latent_size(view: PcaView) -> None:
    view.handle_event(_started(latent=3))
    view.handle_event(_epoch(1, 0.5))
    view.handle_event(_epoch(2, 0.2))
    x, y = view.model_point.getData()
    assert list(x) == [3] and y[0] == pytest.approx(np.log10(0.2))
    assert view.model_history == [(1, 0.5), (2, 0.2)]
    ratio = 0.2 / view.pca_mse_at_latent()
    assert f"({ratio:.2f}× PCA)" in view.summary.text()


def test_in_a_hidden_tab_the_model_point_waits_for_the_tab(
    qtbot: QtBot, vector_dataset: Dataset
) -> None:
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    front, view = QWidget(), PcaView()
    view.set_dataset(vector_dataset)
    tabs.addTab(front, "front")
    tabs.addTab(view, "PCA")
    tabs.show()
    qtbot.waitExposed(tabs)
    view.handle_event(_started(latent=3))
    view.handle_event(_epoch(1, 0.5))
    view.handle_event(_epoch(2, 0.2))
    assert view.model_history == [(1, 0.5), (2, 0.2)]
    assert view.model_point.getData()[0] is None or len(view.model_point.getData()[0]) == 0
    tabs.setCurrentWidget(view)
    x, y = view.model_point.getData()
    assert list(x) == [3] and y[0] == pytest.approx(np.log10(0.2))
    assert "model at epoch 2" in view.summary.text()


def test_principal_angles_shrink_as_the_decoder_aligns(view: PcaView) -> None:
    view.handle_event(_started(latent=2))
    rng = np.random.default_rng(0)
    pca_axes = np.linalg.qr(rng.normal(size=(6, 2)))[0]
    noise = rng.normal(size=(6, 2))
    for epoch, scale in enumerate([1.0, 0.3, 0.001], start=1):
        mixing = 2 * np.eye(2) + rng.normal(
            scale=0.5, size=(2, 2)
        )  # any basis of the same subspace gives the same angles
        basis = pca_axes @ mixing + scale * noise
        view.handle_event(
            Snapshot(
                epoch=epoch,
                step=epoch,
                stage="train",
                eval_indices=np.arange(3),
                extras={"decoder_basis": basis, "pca_components": pca_axes},
            )
        )
    epochs, largest = view.angle_curves["largest"].getData()
    assert list(epochs) == [1, 2, 3]
    assert largest[0] > largest[1] > largest[2]
    assert largest[2] < 2.0
    assert not view.angle_hint.isVisible()
    assert "largest principal angle" in view.summary.text()


def test_snapshots_without_bases_leave_the_hint(view: PcaView) -> None:
    view.handle_event(_started())
    view.handle_event(Snapshot(epoch=1, step=1, stage="train", eval_indices=np.arange(3)))
    assert view.angle_history == []
    assert view.angle_hint.isVisible()


def test_a_run_without_baseline(view: PcaView) -> None:
    view.handle_event(_started(variances=None))
    assert "no PCA baseline" in view.summary.text()
    with pytest.raises(ValueError, match="no PCA spectrum"):
        view.export_data(Path("unused.csv"))


def test_export(view: PcaView, tmp_path: Path) -> None:
    view.handle_event(_started())
    view.export_data(tmp_path / "pca.csv")
    lines = (tmp_path / "pca.csv").read_text().splitlines()
    assert lines[0] == "components,variance,ratio,cumulative,pca_mse"
    assert len(lines) == 1 + len(VARIANCES)
    view.export_plot(tmp_path / "pca.png")
    assert (tmp_path / "pca.png").read_bytes()[:4] == b"\x89PNG"
