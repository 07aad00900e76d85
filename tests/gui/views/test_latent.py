"""The latent-space view: scatter, colouring, projections, hover, selection, decoding, replay."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot
from views_synthetic import fake_decoder, make_snapshot

from aeviewer.analysis import projections
from aeviewer.data.dataset import Dataset
from aeviewer.gui.views.latent import LatentView


@pytest.fixture
def view(qtbot: QtBot, image_dataset: Dataset) -> LatentView:
    widget = LatentView()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    widget.set_dataset(image_dataset)
    return widget


def _plotted(view: LatentView) -> np.ndarray:
    layers = view.layers
    points = [layers.layer_positions(i) for i in range(len(layers.point_counts()))]
    return np.concatenate(points) if points else np.zeros((0, 2))


def test_two_dimensional_latents_are_plotted_one_layer_per_class(
    view: LatentView, image_dataset: Dataset
) -> None:
    snap = make_snapshot(image_dataset)
    view.handle_event(snap)
    assert view.layers.point_counts() == [100, 100, 100]
    plotted = _plotted(view)
    assert plotted.shape == (300, 2)
    # Every latent is drawn exactly once, at its own position.
    assert np.allclose(np.sort(plotted[:, 0]), np.sort(snap.latents[:, 0]))
    names = [label.text for _, label in view.layers.legend.items]
    assert names == ["band 0", "band 1", "band 2"]
    # The raster holds the class colours where the points are.
    image = view.layers.image.image
    assert image is not None and image.shape[2] == 4
    colours = {tuple(c) for c in image.reshape(-1, 4)[image.reshape(-1, 4)[:, 3] > 0]}
    assert {(31, 119, 180, 255), (255, 127, 14, 255), (44, 160, 44, 255)} <= colours


def test_colour_by_anomaly_and_by_error(view: LatentView, image_dataset: Dataset) -> None:
    view.handle_event(make_snapshot(image_dataset))
    view.set_color_by("anomaly")
    assert view.layers.point_counts() == [270, 30]
    view.set_color_by("error")
    counts = view.layers.point_counts()
    assert len(counts) == 8 and sum(counts) == 300
    assert max(counts) - min(counts) <= 2  # quantile bins


def test_higher_dimensional_latents_are_projected_with_pca(
    view: LatentView, image_dataset: Dataset
) -> None:
    snap = make_snapshot(image_dataset, latent_dim=6)
    view.handle_event(snap)
    np.testing.assert_allclose(view.positions, projections.pca_2d(snap.latents), rtol=1e-5)
    assert "PCA" in view.status.text()


@pytest.mark.skipif(not projections.is_available("tsne"), reason="openTSNE not installed")
def test_tsne_runs_in_the_background(
    qtbot: QtBot, view: LatentView, image_dataset: Dataset
) -> None:
    snap = make_snapshot(image_dataset, latent_dim=6)
    view.handle_event(snap)
    pca_positions = view.positions.copy()
    with qtbot.waitSignal(view.projection_finished, timeout=60_000) as blocker:
        view.set_projection("tsne")
        assert "computing t-SNE" in view.status.text()
    assert blocker.args == ["tsne"]
    assert view.positions.shape == (300, 2)
    assert not np.allclose(view.positions, pca_positions)
    assert "t-SNE" in view.status.text()


@pytest.mark.skipif(not projections.is_available("tsne"), reason="openTSNE not installed")
def test_a_new_snapshot_supersedes_a_running_projection(
    qtbot: QtBot, view: LatentView, image_dataset: Dataset
) -> None:
    view.handle_event(make_snapshot(image_dataset, epoch=1, latent_dim=6))
    view.set_projection("tsne")
    first = view._pending[0]
    with qtbot.waitSignal(first.signals.aborted, timeout=60_000):
        view.handle_event(make_snapshot(image_dataset, epoch=2, latent_dim=6))
    qtbot.waitUntil(lambda: (2, "tsne") in view._cache, timeout=60_000)
    assert list(view._cache) == [(2, "tsne")]


def test_missing_projection_library_is_greyed_out_with_a_hint(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(projections, "is_available", lambda method: method == "pca")
    view = LatentView()
    qtbot.addWidget(view)
    model = view.projection_combo.model()
    assert model.item(0).isEnabled()
    assert not model.item(1).isEnabled() and not model.item(2).isEnabled()
    assert 'pip install "aeviewer[projections]"' in view.install_hint.text()
    assert not view.install_hint.isHidden()


def test_rectangle_and_lasso_selection(view: LatentView, image_dataset: Dataset) -> None:
    snap = make_snapshot(image_dataset)
    view.handle_event(snap)
    x, y = snap.latents[:, 0], snap.latents[:, 1]
    chosen = view.select_rect(0.0, 0.0, 10.0, 10.0)
    expected = np.flatnonzero((x >= 0) & (x <= 10) & (y >= 0) & (y <= 10))
    np.testing.assert_array_equal(np.sort(chosen), expected)
    assert view.gallery_panel.n_tiles == min(len(expected), 64)
    triangle = np.array([[-20.0, -20.0], [20.0, -20.0], [-20.0, 20.0]])
    inside = view.select_polygon(triangle)
    np.testing.assert_array_equal(np.sort(inside), np.flatnonzero(x + y < 0))


def test_click_picks_the_nearest_point_and_hover_shows_its_reconstruction(
    qtbot: QtBot, view: LatentView, image_dataset: Dataset
) -> None:
    snap = make_snapshot(image_dataset)
    view.handle_event(snap)
    qtbot.wait(50)
    target = 3  # inside the fixed reconstruction samples
    with qtbot.waitSignal(view.selection_changed) as blocker:
        row = view.pick(float(snap.latents[target, 0]), float(snap.latents[target, 1]))
    assert row == target
    np.testing.assert_array_equal(blocker.args[0], [target])
    view.hover(target)
    assert view.preview_panel.n_tiles == 2  # sample and reconstruction
    assert "#3" in view.preview_panel.label.text
    view.hover(200)  # no stored reconstruction and no decoder: the sample alone
    assert view.preview_panel.n_tiles == 1


def test_decoding_the_plane_with_a_decoder(
    qtbot: QtBot, view: LatentView, image_dataset: Dataset
) -> None:
    view.handle_event(make_snapshot(image_dataset))
    assert view.decode_at(1.0, 1.0) is None  # no decoder yet
    view.set_decoder(fake_decoder(image_dataset.sample_shape))
    sample = view.decode_at(2.5, -1.0)
    np.testing.assert_allclose(sample, 0.75)
    assert view.cursor.getData()[0].tolist() == [2.5]
    view.grid_check.setChecked(True)
    qtbot.waitUntil(view.decoded_grid_ready, timeout=10_000)
    image = view.grid_image.image
    assert image.shape == (12 * 8, 12 * 8)
    # The fake decoder brightens with x: left tiles darker than right ones.
    assert image[:, :8].mean() < image[:, -8:].mean()
    view.hover(200)  # with a decoder every point gets a reconstruction
    assert view.preview_panel.n_tiles == 2


def test_interpolation_between_two_samples(view: LatentView, image_dataset: Dataset) -> None:
    snap = make_snapshot(image_dataset)
    view.handle_event(snap)
    view.set_decoder(fake_decoder(image_dataset.sample_shape))
    samples = view.interpolate(0, 1)
    assert samples.shape == (10, 64)
    expected = np.clip(0.5 + np.linspace(snap.latents[0, 0], snap.latents[1, 0], 10) / 10, 0, 1)
    np.testing.assert_allclose(samples[:, 0], expected, rtol=1e-5)
    assert view.interpolation_panel.n_tiles == 10


def test_a_new_data_set_clears_hover_selection_and_interpolation(
    view: LatentView, image_dataset: Dataset
) -> None:
    view.handle_event(make_snapshot(image_dataset))
    view.set_decoder(fake_decoder(image_dataset.sample_shape))
    view.hover(3)
    view.pick(*view.positions[3])
    view.interpolate(0, 1)
    view.plot.getViewBox().setRange(xRange=(100, 101), yRange=(100, 101))
    view.set_dataset(image_dataset)
    assert view.preview_panel.n_tiles == 0
    assert view.preview_panel.label.text == "Hover a point"
    assert view.gallery_panel.n_tiles == 0
    assert view.interpolation_panel.n_tiles == 0
    assert view.interpolation_panel.label.text == "Interpolation A → B"
    assert all(view.plot.getViewBox().autoRangeEnabled())


def test_epoch_slider_replays_earlier_snapshots(view: LatentView, image_dataset: Dataset) -> None:
    snaps = [make_snapshot(image_dataset, epoch=e) for e in range(1, 5)]
    for snap in snaps:
        view.handle_event(snap)
    assert [f.epoch for f in view.frames] == [1, 2, 3, 4]
    np.testing.assert_allclose(view.positions, snaps[-1].latents)
    view.show_frame(1)
    np.testing.assert_allclose(view.positions, snaps[1].latents)
    assert "epoch 2" in view.slider_label.text()
    view.handle_event(make_snapshot(image_dataset, epoch=5))
    np.testing.assert_allclose(view.positions, snaps[1].latents)  # replay is not interrupted


def test_replay_memory_stays_bounded(view: LatentView, image_dataset: Dataset) -> None:
    view._frames.max_frames = 10
    for epoch in range(1, 41):
        view.handle_event(make_snapshot(image_dataset, epoch=epoch, n_recon=1))
    epochs = [f.epoch for f in view.frames]
    assert len(epochs) <= 10
    assert epochs[0] == 1 and epochs[-1] == 40  # the whole span survives thinning


def test_vector_data_previews_values(qtbot: QtBot, vector_dataset: Dataset) -> None:
    view = LatentView()
    qtbot.addWidget(view)
    view.set_dataset(vector_dataset)
    view.handle_event(make_snapshot(vector_dataset, latent_dim=3))
    view.hover(0)
    _, y = view.preview_original.getData()
    np.testing.assert_allclose(y, vector_dataset.x[0])
    assert view.preview_recon.getData()[1] is not None
    view.select_rect(-100, -100, 100, 100)
    assert view.gallery_panel.n_tiles == 1  # all selected rows as one heat map


def test_reset_clears_everything(view: LatentView, image_dataset: Dataset) -> None:
    view.handle_event(make_snapshot(image_dataset))
    view.select_rect(-100, -100, 100, 100)
    view.reset()
    assert view.frames == []
    assert view.layers.point_counts() == []
    assert view.selected_indices().size == 0


def test_export_plot_and_numbers(view: LatentView, image_dataset: Dataset, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no latent snapshot"):
        view.export_data(tmp_path / "none.csv")
    snap = make_snapshot(image_dataset)
    view.handle_event(snap)
    view.select_rect(-100, -100, 100, 100)
    view.export_plot(tmp_path / "latent.png")
    view.export_plot(tmp_path / "latent.svg")
    assert (tmp_path / "latent.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "latent.svg").read_bytes()
    view.export_data(tmp_path / "latent.csv")
    lines = (tmp_path / "latent.csv").read_text().splitlines()
    assert lines[0] == "index,x,y,label,score,selected"
    assert len(lines) == 301
    view.export_data(tmp_path / "latent.npy")
    table = np.load(tmp_path / "latent.npy")
    np.testing.assert_allclose(table["x"], snap.latents[:, 0])
    assert table["selected"].all()
    assert sorted(p.name for p in tmp_path.iterdir() if "latent" in p.name) == [
        "latent.csv",
        "latent.npy",
        "latent.png",
        "latent.svg",
    ]


def test_rasterize_places_points_with_y_up() -> None:
    from PySide6.QtGui import QColor

    from aeviewer.gui.widgets.scatter_layers import Layer, rasterize

    positions = np.array([[0.05, 0.05], [0.95, 0.95], [5.0, 5.0]], np.float32)
    layers = [
        Layer("a", np.array([0]), QColor(255, 0, 0)),
        Layer("b", np.array([1, 2]), QColor(0, 0, 255)),
    ]
    image = rasterize(positions, layers, (0.0, 1.0, 0.0, 1.0), (10, 20), diameter=1.0)
    assert image.shape == (10, 20, 4)
    assert tuple(image[0, 1]) == (255, 0, 0, 255)  # row 0 is the bottom of the plot
    assert tuple(image[9, 19]) == (0, 0, 255, 255)
    assert (image[..., 3] > 0).sum() == 2  # the point outside the view is not drawn


def test_a_large_selection_fades_the_other_points_and_a_small_one_gets_rings() -> None:
    from PySide6.QtGui import QColor

    from aeviewer.gui.widgets.scatter_layers import FADE, MAX_RINGS, Layer, rasterize

    n = MAX_RINGS + 5
    positions = np.column_stack([np.linspace(0.05, 0.45, n), np.full(n, 0.5)])
    positions = np.vstack([positions, [[0.9, 0.5]]]).astype(np.float32)
    layers = [Layer("a", np.arange(n + 1), QColor(200, 100, 50))]
    view, shape = (0.0, 1.0, 0.0, 1.0), (20, 100)
    image = rasterize(positions, layers, view, shape, 1.0, np.arange(n))
    assert tuple(image[10, 5]) == (200, 100, 50, 255)  # selected: full colour
    faded = tuple(int(c * FADE) for c in (200, 100, 50))
    assert tuple(image[10, 90]) == (*faded, 255)  # the rest fades
    assert not (image.reshape(-1, 4) == 255).all(axis=1).any()  # and no rings
    image = rasterize(positions, layers, view, shape, 1.0, np.array([n]))
    assert tuple(image[10, 90]) == (200, 100, 50, 255)
    assert tuple(image[10, 5]) == (200, 100, 50, 255)  # nothing fades for one pick
    assert (image.reshape(-1, 4) == 255).all(axis=1).any()  # which gets a white ring


def test_dragging_selects_by_rectangle_or_lasso_and_decodes_live(
    view: LatentView, image_dataset: Dataset
) -> None:
    from PySide6.QtCore import QPointF

    snap = make_snapshot(image_dataset)
    view.handle_event(snap)
    x, y = snap.latents[:, 0], snap.latents[:, 1]
    view.set_mode("rect")
    start = QPointF(0.0, 0.0)
    view.viewbox.dragged.emit(start, QPointF(5.0, 5.0), False)
    assert len(view.outline.getData()[0]) == 5  # the rectangle is drawn while dragging
    view.viewbox.dragged.emit(start, QPointF(10.0, 10.0), True)
    expected = np.flatnonzero((x >= 0) & (x <= 10) & (y >= 0) & (y <= 10))
    np.testing.assert_array_equal(np.sort(view.selected_indices()), expected)
    view.set_mode("lasso")
    corners = [(-20.0, -20.0), (20.0, -20.0), (-20.0, 20.0)]
    first = QPointF(*corners[0])
    for i, corner in enumerate(corners[1:], start=1):
        view.viewbox.dragged.emit(first, QPointF(*corner), i == len(corners) - 1)
    np.testing.assert_array_equal(np.sort(view.selected_indices()), np.flatnonzero(x + y < 0))
    assert view.outline.getData()[0] is None or len(view.outline.getData()[0]) == 0
    view.set_decoder(fake_decoder(image_dataset.sample_shape))
    view.set_mode("decode")
    view.viewbox.dragged.emit(QPointF(0.0, 0.0), QPointF(3.0, 1.0), False)
    assert view.cursor.getData()[0].tolist() == [3.0]
    assert "decoded (3.00, 1.00)" in view.preview_panel.label.text


@pytest.mark.skipif(not projections.is_available("tsne"), reason="openTSNE not installed")
def test_no_worker_thread_outlives_its_work(
    qtbot: QtBot, view: LatentView, image_dataset: Dataset
) -> None:
    import threading

    view.handle_event(make_snapshot(image_dataset, latent_dim=6))
    with qtbot.waitSignal(view.projection_finished, timeout=60_000):
        view.set_projection("tsne")

    def no_worker() -> bool:
        return not any(t.name.startswith("aeviewer-latent") for t in threading.enumerate())

    qtbot.waitUntil(no_worker, timeout=10_000)
