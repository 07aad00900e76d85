"""What the views show of a model that is not training: its Started and one Snapshot.

Built with the engine's own run setup, so the snapshot (fixed samples, PCA baseline) is the one
a training run of the same config on the same data would take. Runs off the GUI thread.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.training.events import Snapshot, Started

if TYPE_CHECKING:
    from torch import nn


def model_snapshot(
    model: nn.Module, config: RunConfig, dataset: Dataset, *, epoch: int, step: int = 0
) -> tuple[Started, Snapshot]:
    """The Started event and a Snapshot of ``model`` on ``dataset`` (computed on the CPU)."""
    from aeviewer.training.setup import set_up

    cpu = replace(config, train=replace(config.train, device="cpu"))
    setup = set_up(cpu, dataset)
    model = model.to("cpu")
    stage = setup.trainer.stages()[-1]
    return setup.started(), setup.snapshotter.take(model, epoch, step, stage)
