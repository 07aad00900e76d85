"""Fixtures of the io tests: a small image data set, tiny models of every family, a run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch

from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data.dataset import Dataset
from aeviewer.io.models import LoadedModel
from aeviewer.models.info import DataInfo
from aeviewer.models.registry import build_model
from aeviewer.training.events import Event
from aeviewer.training.loop import train
from aeviewer.training.rundir import model_record

IMAGE_SHAPE = (1, 8, 8)


def make_images(n: int = 96, seed: int = 0) -> Dataset:
    """Labelled 8x8 images in [0, 1]: a bright square at a class-dependent place, plus noise."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 3
    images = 0.2 * rng.random((n, *IMAGE_SHAPE))
    for i, label in enumerate(labels):
        images[i, 0, 2 * label : 2 * label + 3, 2:6] = 1.0
    x = images.reshape(n, -1).astype(np.float32)
    return Dataset(
        x=x,
        sample_shape=IMAGE_SHAPE,
        name="squares",
        source="test:squares",
        labels=labels,
        class_names=("top", "middle", "bottom"),
    )


def small_config(kind: str = "ae", epochs: int = 2) -> RunConfig:
    """A tiny, fast config for ``kind``."""
    return RunConfig(
        data=DataSpec(source="test:squares"),
        model=ModelSpec(kind=kind, latent=2, hidden=(8,), conv_channels=(4,)),
        train=TrainSpec(epochs=epochs, batch_size=32, device="cpu", n_eval=40, n_recon=4),
    )


@pytest.fixture(scope="session")
def images() -> Dataset:
    return make_images()


@pytest.fixture(scope="session")
def model_of(images: Dataset) -> Callable[[str], LoadedModel]:
    """A factory of untrained models (random weights, fixed seed) of each family."""

    def make(kind: str) -> LoadedModel:
        config = small_config(kind)
        torch.manual_seed(0)
        model = build_model(config.model, DataInfo.from_dataset(images)).eval()
        record = model_record(model, images, epoch=0, step=0, reason="completed")
        return LoadedModel(model, config, record)

    return make


@pytest.fixture(scope="session")
def trained_run(
    tmp_path_factory: pytest.TempPathFactory, images: Dataset
) -> tuple[Path, list[Event]]:
    """A run directory of a tiny autoencoder trained for 2 epochs, and its events."""
    torch.set_num_threads(1)
    run_dir = tmp_path_factory.mktemp("run") / "ae"
    events = list(train(small_config("ae"), images, run_dir=run_dir))
    return run_dir, events
