"""A torchrun worker for the tests: trains every family for two epochs in one process group.

Run as ``torchrun --standalone --nproc-per-node=2 tests/engine/ddp_families.py OUT``; rank 0
writes one run directory per family under ``OUT``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data.dataset import Dataset
from aeviewer.training.distributed import launch_from_env, process_group
from aeviewer.training.events import Finished
from aeviewer.training.loop import train

#: Model settings per family (small and fast), and whether it trains on images.
FAMILIES: dict[str, tuple[dict, bool]] = {
    "ae": ({}, False),
    "linear": ({}, False),
    "sparse": ({}, False),
    "denoising": ({}, False),
    "stacked": ({"hidden": (16, 8), "stage_epochs": 1}, False),
    "vae": ({}, False),
    "conv": ({"conv_channels": (4, 8)}, True),
    "gan": ({"conv_channels": (4,)}, True),
}


def family_data(images: bool) -> Dataset:
    """Vectors near a 3-D subspace, or images in [0, 1] (odd sizes, a short last batch)."""
    rng = np.random.default_rng(0)
    if images:
        x = rng.random((121, 99)).astype(np.float32)
        return Dataset(x=x, sample_shape=(1, 9, 11), name="images", source="test:images")
    basis = rng.normal(size=(3, 12))
    x = (rng.normal(size=(241, 3)) @ basis + 0.1 * rng.normal(size=(241, 12))).astype(np.float32)
    return Dataset(x=x, sample_shape=(12,), name="vectors", source="test:vectors")


def family_config(kind: str) -> RunConfig:
    """Two epochs of a tiny model of ``kind``."""
    model, _ = FAMILIES[kind]
    model = {"hidden": (16,), "latent": 2, **model}
    return RunConfig(
        data=DataSpec(source="test"),
        model=ModelSpec(kind=kind, **model),
        train=TrainSpec(
            epochs=2, batch_size=32, lr=3e-3, device="cpu", n_eval=50, n_recon=4,
            schedule="constant",
        ),
    )  # fmt: skip


def main(out: Path) -> int:
    launch = launch_from_env()
    assert launch is not None, "run under torchrun"
    with process_group(launch, torch.device("cpu"), timeout_s=60) as group:
        for kind, (_, images) in FAMILIES.items():
            events = train(
                family_config(kind), family_data(images), run_dir=out / kind, distributed=group
            )
            finished = [e for e in events if isinstance(e, Finished)]
            assert finished and finished[0].reason == "completed", (kind, finished)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
