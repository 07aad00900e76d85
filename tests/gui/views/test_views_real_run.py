"""All five analysis views fed by short real training runs (MNIST from the shared folder, and
the built-in data sets), checking what they plot."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from pytestqt.qtbot import QtBot
from shared_data import MNIST_T10K, needs_mnist, require_mnist

from aeviewer.analysis import metrics
from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data import load_source, prepare
from aeviewer.gui.views.anomalies import AnomaliesView
from aeviewer.gui.views.base import View
from aeviewer.gui.views.gan import GanView
from aeviewer.gui.views.latent import LatentView
from aeviewer.gui.views.pca import PcaView
from aeviewer.gui.views.reconstructions import ReconstructionsView, sample_mse
from aeviewer.training.events import EpochEnd, Event, Snapshot, Started
from aeviewer.training.loop import train


def _run(config: RunConfig) -> tuple[object, list[Event]]:
    torch.set_num_threads(1)
    dataset = prepare(load_source(config.data.source), config.data)
    events = [e for e in train(config, dataset) if isinstance(e, Started | EpochEnd | Snapshot)]
    return dataset, events


@pytest.fixture(scope="module")
def mnist_run() -> tuple[object, list[Event]]:
    require_mnist()
    config = RunConfig(
        data=DataSpec(source=str(MNIST_T10K), limit=3000),
        model=ModelSpec(kind="ae", latent=2, hidden=(64,)),
        train=TrainSpec(epochs=2, batch_size=128, n_eval=3000, n_recon=16),
    )
    return _run(config)


def _feed(qtbot: QtBot, view: View, dataset: object, events: list[Event]) -> View:
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.set_dataset(dataset)
    for event in events:
        view.handle_event(event)
    return view


@needs_mnist
def test_mnist_latent_space(qtbot: QtBot, mnist_run: tuple[object, list[Event]]) -> None:
    dataset, events = mnist_run
    view = _feed(qtbot, LatentView(), dataset, events)
    snapshots = [e for e in events if isinstance(e, Snapshot)]
    assert len(view.frames) == len(snapshots)
    counts = view.layers.point_counts()
    assert len(counts) == 10 and sum(counts) == len(snapshots[-1].eval_indices)
    np.testing.assert_allclose(view.positions, snapshots[-1].latents)
    chosen = view.select_rect(-1e9, -1e9, 1e9, 1e9)
    assert chosen.size == len(snapshots[-1].eval_indices)
    row = int(np.flatnonzero(snapshots[-1].eval_indices == snapshots[-1].recon_indices[0])[0])
    view.hover(row)
    assert view.preview_panel.n_tiles == 2  # the digit and its stored reconstruction


@needs_mnist
def test_mnist_reconstructions_and_pca(qtbot: QtBot, mnist_run: tuple[object, list[Event]]) -> None:
    dataset, events = mnist_run
    last = [e for e in events if isinstance(e, Snapshot)][-1]
    recon = _feed(qtbot, ReconstructionsView(), dataset, events)
    assert recon.panels["autoencoder"].n_tiles == 16
    assert recon.panels["input"].image.image.shape == (4 * 28 + 3 * 2, 4 * 28 + 3 * 2)
    ae = sample_mse(last.originals, last.reconstructions).mean()
    assert f"autoencoder MSE {ae:.4g}" in recon.summary.text()
    pca = _feed(qtbot, PcaView(), dataset, events)
    assert len(pca.variance_bars.opts["height"]) > 2
    assert len(pca.model_history) == 2
    assert "PCA with 2 components" in pca.summary.text()


@needs_mnist
def test_mnist_anomalies_with_a_normal_class(
    qtbot: QtBot, mnist_run: tuple[object, list[Event]]
) -> None:
    dataset, events = mnist_run
    last = [e for e in events if isinstance(e, Snapshot)][-1]
    view = _feed(qtbot, AnomaliesView(), dataset, events)
    view.set_truth(1)
    truth = dataset.labels[last.eval_indices] != 1
    assert view.auc["model"] == pytest.approx(metrics.roc_auc(last.scores, truth))
    labels = [label.text for _, label in view.roc_legend.items]
    assert labels[0] == f"model AUC {view.auc['model']:.3f}"
    view.set_threshold("contamination", 0.1)
    assert view.flags().sum() == round(0.1 * len(last.scores))


def test_default_data_set_runs_through_every_autoencoder_view(qtbot: QtBot) -> None:
    config = RunConfig(
        data=DataSpec(source="builtin:shapes?n=600"),
        model=ModelSpec(kind="ae", latent=3, hidden=(32,)),
        train=TrainSpec(epochs=2, batch_size=64, n_eval=600, n_recon=8),
    )
    dataset, events = _run(config)
    latent = _feed(qtbot, LatentView(), dataset, events)
    assert sum(latent.layers.point_counts()) == 600
    assert "PCA of 3-D latents" in latent.status.text()
    recon = _feed(qtbot, ReconstructionsView(), dataset, events)
    assert recon.panels["pca"].n_tiles == 8
    anomalies = _feed(qtbot, AnomaliesView(), dataset, events)
    assert anomalies.count_label.text().startswith("flags 30 of 600")
    pca = _feed(qtbot, PcaView(), dataset, events)
    assert pca.pca_mse_at_latent() is not None


def test_gan_on_two_dimensional_data(qtbot: QtBot) -> None:
    config = RunConfig(
        data=DataSpec(source="builtin:moons?n=800"),
        model=ModelSpec(kind="gan", latent=2, hidden=(32,)),
        train=TrainSpec(epochs=2, batch_size=64, n_eval=400),
    )
    dataset, events = _run(config)
    view = _feed(qtbot, GanView(), dataset, events)
    assert len(view.frames) == 2
    assert view.plane is not None
    assert view.d_map.image is not None and view.d_map.image.ndim == 2
    _, d_loss = view.loss_curves["d_loss"].getData()
    assert len(d_loss) == 2 and np.isfinite(d_loss).all()
    _, d_real = view.d_curves["real"].getData()
    assert ((d_real >= 0) & (d_real <= 1)).all()
