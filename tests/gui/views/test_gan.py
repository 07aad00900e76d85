"""The GAN view: sample grid with an epoch slider, losses, D outputs, D's map on the plane."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from aeviewer.data.dataset import Dataset
from aeviewer.gui.views.gan import GanView
from aeviewer.training.events import EpochEnd, Snapshot


@pytest.fixture
def view(qtbot: QtBot) -> GanView:
    widget = GanView()
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    return widget


def _epoch(epoch: int) -> EpochEnd:
    return EpochEnd(
        epoch=epoch,
        step=epoch,
        train={"loss": 1.0, "d_loss": 1.4 - 0.1 * epoch, "g_loss": 0.7 + 0.1 * epoch},
        val={},
        lr={"generator": 2e-4, "discriminator": 2e-4},
        seconds=1.0,
        samples_per_s=10.0,
    )


def _image_snapshot(epoch: int, n: int = 16) -> Snapshot:
    samples = np.full((n, 1, 8, 8), epoch / 10.0, np.float32)
    return Snapshot(
        epoch=epoch,
        step=epoch,
        stage="train",
        eval_indices=np.arange(4),
        gan_samples=samples,
        gan_d_real=0.5 + 0.02 * epoch,
        gan_d_fake=0.5 - 0.02 * epoch,
    )


def test_sample_grid_losses_and_d_outputs(view: GanView, image_dataset: Dataset) -> None:
    view.set_dataset(image_dataset)
    for epoch in range(1, 4):
        view.handle_event(_epoch(epoch))
        view.handle_event(_image_snapshot(epoch))
    assert view.samples_panel.n_tiles == 16
    np.testing.assert_allclose(np.nanmax(view.samples_panel.image.image), 0.3, rtol=1e-6)
    x, d_loss = view.loss_curves["d_loss"].getData()
    assert list(x) == [1, 2, 3]
    np.testing.assert_allclose(d_loss, [1.3, 1.2, 1.1])
    _, fake = view.d_curves["fake"].getData()
    np.testing.assert_allclose(fake, [0.48, 0.46, 0.44])
    assert view.slider_label.text() == "epoch 3 (3/3)"


def test_slider_replays_earlier_samples(view: GanView, image_dataset: Dataset) -> None:
    view.set_dataset(image_dataset)
    for epoch in range(1, 5):
        view.handle_event(_image_snapshot(epoch))
    view.slider.setValue(0)
    np.testing.assert_allclose(np.nanmax(view.samples_panel.image.image), 0.1, rtol=1e-6)
    view.handle_event(_image_snapshot(5))  # replay is not interrupted by a new snapshot
    assert "epoch 1" in view.slider_label.text()
    assert len(view.frames) == 5


def test_two_dimensional_data_shows_points_over_d(view: GanView, vector_dataset: Dataset) -> None:
    plane = Dataset(
        x=vector_dataset.x[:, :2].copy(), sample_shape=(2,), name="plane", source="test:plane"
    )
    view.set_dataset(plane)
    grid = np.linspace(0, 1, 20 * 20, dtype=np.float32).reshape(20, 20)
    fake = np.random.default_rng(0).normal(size=(100, 2)).astype(np.float32)
    view.handle_event(
        Snapshot(
            epoch=1,
            step=1,
            stage="train",
            eval_indices=np.arange(4),
            gan_samples=fake,
            gan_grid=grid,
            gan_grid_extent=(-3.0, 3.0, -2.0, 2.0),
        )
    )
    assert view.samples_panel is None and view.plane is not None
    np.testing.assert_allclose(np.column_stack(view.fake_points.getData()), fake)
    assert len(view.real_points.data) == plane.n_samples
    np.testing.assert_array_equal(view.d_map.image, grid)
    rect = view.d_map.mapRectToParent(view.d_map.boundingRect())
    assert (rect.left(), rect.top(), rect.width(), rect.height()) == pytest.approx(
        (-3.0, -2.0, 6.0, 4.0)
    )


def test_export(view: GanView, image_dataset: Dataset, tmp_path: Path) -> None:
    view.set_dataset(image_dataset)
    with pytest.raises(ValueError, match="no GAN results"):
        view.export_data(tmp_path / "g.csv")
    for epoch in (1, 2):
        view.handle_event(_epoch(epoch))
        view.handle_event(_image_snapshot(epoch))
    view.export_data(tmp_path / "g.csv")
    lines = (tmp_path / "g.csv").read_text().splitlines()
    assert lines[0] == "epoch,d_loss,g_loss,d_real,d_fake"
    assert len(lines) == 3
    view.export_data(tmp_path / "g.npy")
    assert np.load(tmp_path / "g.npy").shape == (16, 1, 8, 8)
    view.export_plot(tmp_path / "g.png")
    assert (tmp_path / "g.png").stat().st_size > 0
