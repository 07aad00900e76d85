"""The reconstructions view: originals, autoencoder, PCA and error heat maps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot
from views_synthetic import make_snapshot

from aeviewer.config import ModelSpec, RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.gui.views.reconstructions import ReconstructionsView, sample_mse
from aeviewer.training.events import Started


@pytest.fixture
def view(qtbot: QtBot) -> ReconstructionsView:
    widget = ReconstructionsView()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    return widget


def _started(latent: int) -> Started:
    config = RunConfig(model=ModelSpec(latent=latent))
    return Started(config=config, device="cpu", n_train=1, n_val=1, n_batches=1, n_parameters=1)


def test_image_grid_shows_input_autoencoder_pca_and_errors(
    view: ReconstructionsView, image_dataset: Dataset
) -> None:
    view.set_dataset(image_dataset)
    view.handle_event(_started(latent=3))
    snap = make_snapshot(image_dataset, n_recon=16)
    view.handle_event(snap)
    assert set(view.panels) == {"input", "autoencoder", "pca", "autoencoder error", "pca error"}
    assert all(panel.n_tiles == 16 for panel in view.panels.values())
    ae_mse = sample_mse(snap.originals, snap.reconstructions)
    ae_captions = [c.toPlainText() for c in view.panels["autoencoder"].captions]
    assert ae_captions == [f"{v:.3g}" for v in ae_mse]
    assert "PCA, 3 components" in view.panels["pca"].label.text
    # The heat map holds |x - x̂| tiled 4 x 4 with 2-pixel gaps.
    heat = view.panels["autoencoder error"].image.image
    assert heat.shape == (4 * 8 + 3 * 2, 4 * 8 + 3 * 2)
    expected = np.abs(snap.originals[0, 0] - snap.reconstructions[0, 0])
    np.testing.assert_allclose(heat[:8, :8], expected, rtol=1e-5)
    assert f"{ae_mse.mean():.4g}" in view.summary.text()
    np.testing.assert_allclose(view.mse_bars["autoencoder"].opts["height"], ae_mse)
    pca_mse = sample_mse(snap.originals, snap.pca_reconstructions)
    np.testing.assert_allclose(view.mse_bars["pca"].opts["height"], pca_mse)


def test_denoising_runs_show_clean_noisy_and_denoised(
    view: ReconstructionsView, image_dataset: Dataset
) -> None:
    view.set_dataset(image_dataset)
    clean = image_dataset.x[:8].reshape(8, 1, 8, 8)
    noisy = np.clip(clean + 0.3, 0, 1)
    view.handle_event(make_snapshot(image_dataset, n_recon=8, noisy=noisy))
    assert list(view.panels)[:4] == ["input", "noisy", "autoencoder", "pca"]
    assert view.panels["input"].label.text == "clean input"
    assert view.panels["autoencoder"].label.text.startswith("denoised")
    assert view.panels["noisy"].n_tiles == 8
    noisy_image = view.panels["noisy"].image.image
    np.testing.assert_allclose(noisy_image[:8, :8], noisy[0, 0], rtol=1e-6)


def test_vector_data_overlays_input_and_both_reconstructions(
    view: ReconstructionsView, vector_dataset: Dataset
) -> None:
    view.set_dataset(vector_dataset)
    snap = make_snapshot(vector_dataset, n_recon=8)
    view.handle_event(snap)
    assert len(view.vector_plots) == 4 and not view.panels
    curves = view.vector_curves[2]
    np.testing.assert_allclose(curves["input"].getData()[1], snap.originals[2])
    np.testing.assert_allclose(curves["autoencoder"].getData()[1], snap.reconstructions[2])
    np.testing.assert_allclose(curves["pca"].getData()[1], snap.pca_reconstructions[2])
    assert "AE MSE" in view.vector_plots[2].titleLabel.text


def test_a_vae_snapshot_shows_its_prior_samples_beside_the_reconstructions(
    view: ReconstructionsView, image_dataset: Dataset
) -> None:
    view.set_dataset(image_dataset)
    prior = np.random.default_rng(0).uniform(size=(6, 1, 8, 8)).astype(np.float32)
    view.handle_event(make_snapshot(image_dataset, n_recon=8, extras={"prior_samples": prior}))
    panel = view.panels["prior"]
    assert panel.n_tiles == 6
    assert "6 samples from the prior" in panel.label.text
    np.testing.assert_allclose(panel.image.image[:8, :8], prior[0, 0], rtol=1e-6)
    # A run of another family has no prior: its snapshot rebuilds the grid without the panel.
    view.handle_event(make_snapshot(image_dataset, n_recon=8))
    assert "prior" not in view.panels and view.panels["autoencoder"].n_tiles == 8


def test_vae_prior_samples_of_vector_data_get_a_plot(
    view: ReconstructionsView, vector_dataset: Dataset
) -> None:
    view.set_dataset(vector_dataset)
    prior = np.random.default_rng(1).normal(size=(8, vector_dataset.n_features))
    view.handle_event(make_snapshot(vector_dataset, n_recon=8, extras={"prior_samples": prior}))
    assert len(view.vector_plots) == 4
    curves = view.prior_plot.listDataItems()
    assert len(curves) == 4
    np.testing.assert_allclose(curves[1].getData()[1], prior[1])
    assert "4 of 8 samples from the prior" in view.prior_plot.titleLabel.text


def test_a_snapshot_without_reconstructions_is_ignored(
    view: ReconstructionsView, image_dataset: Dataset
) -> None:
    view.set_dataset(image_dataset)
    view.handle_event(make_snapshot(image_dataset, reconstructions=None))
    assert not view.panels


def test_export(view: ReconstructionsView, image_dataset: Dataset, tmp_path: Path) -> None:
    view.set_dataset(image_dataset)
    with pytest.raises(ValueError, match="no reconstructions"):
        view.export_data(tmp_path / "r.csv")
    snap = make_snapshot(image_dataset, n_recon=5)
    view.handle_event(snap)
    view.export_plot(tmp_path / "r.png")
    assert (tmp_path / "r.png").stat().st_size > 0
    view.export_data(tmp_path / "r.npy")
    table = np.load(tmp_path / "r.npy")
    assert table.dtype.names == ("index", "autoencoder_mse", "pca_mse")
    np.testing.assert_allclose(
        table["autoencoder_mse"], sample_mse(snap.originals, snap.reconstructions)
    )
