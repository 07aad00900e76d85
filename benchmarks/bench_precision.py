"""Mixed precision: the engine in bf16 autocast against a plain float32 PyTorch loop.

The model is the 784-512-256-32 MLP autoencoder of ``bench_engine``, batch 256, on MNIST's
10,000 test images (random images of the same size when the shared set is absent), 20% held out.

- Throughput: the engine with ``precision="bf16"`` (autocast, fused Adam) against the plain
  float32 loop of ``bench_engine`` on the same data, in back-to-back pairs of
  ``THROUGHPUT_EPOCHS`` epochs each (the engine's fixed costs, its final snapshot and model
  hand-over, then weigh under 1%); the row is the median of bf16 engine samples/s over plain
  samples/s (target at least 1.8 where the CPU has AVX512-BF16 or AMX, or the GPU bf16).
- Accuracy: the final validation loss after 2 epochs in bf16 over the same run in float32, same
  seed (target within 2%).

On the CPU everything runs on one torch thread and is timed in CPU seconds of this process, as
in ``bench_engine``. Run with ``python benchmarks/run.py precision``.
"""

from __future__ import annotations

import os
import statistics
from dataclasses import replace

import torch

from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data.dataset import Dataset
from aeviewer.training.devices import resolve_device, resolve_precision
from aeviewer.training.events import EpochEnd
from aeviewer.training.loop import train
from benchmarks.bench_engine import engine_samples_per_s, plain_samples_per_s
from benchmarks.mnist_data import mnist_images

EPOCHS = 2
THROUGHPUT_EPOCHS = 5
PAIRS = 5
TARGET_SPEED = 1.8
TARGET_LOSS = 0.02

Row = tuple[str, float, str]


def _dataset() -> Dataset:
    return mnist_images(flat=True)


def _config(
    device: str, precision: str, val_fraction: float = 0.0, epochs: int = EPOCHS
) -> RunConfig:
    return RunConfig(
        data=DataSpec(source="bench", val_fraction=val_fraction),
        model=ModelSpec("ae", latent=32, hidden=(512, 256), output="sigmoid", loss="mse"),
        train=TrainSpec(
            epochs=epochs,
            batch_size=256,
            lr=1e-3,
            device=device,
            precision=precision,
            schedule="constant",
            snapshot_every=epochs,
            checkpoint_every=epochs,
            n_eval=256,
            n_recon=4,
        ),
    )


def _final_val_loss(dataset: Dataset, config: RunConfig) -> float:
    ends = [e for e in train(config, dataset) if isinstance(e, EpochEnd)]
    return float(ends[-1].val["mse"])


def run() -> list[Row]:
    """Rows ``(name, value, note)``."""
    device = resolve_device(os.environ.get("AEVIEWER_BENCH_DEVICE", "auto"))
    dtype, note = resolve_precision("auto", device)
    threads = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(1)
    try:
        dataset = _dataset()
        bf16 = _config(str(device), "bf16", epochs=THROUGHPUT_EPOCHS)
        fp32_plain = replace(bf16, train=replace(bf16.train, precision="fp32"))
        engine_samples_per_s(dataset, bf16, device)  # warm-up
        ratios = []
        for _ in range(PAIRS):
            plain = plain_samples_per_s(dataset, fp32_plain, device)
            ratios.append(engine_samples_per_s(dataset, bf16, device) / plain)
        loss_bf16 = _final_val_loss(dataset, _config(str(device), "bf16", 0.2))
        loss_fp32 = _final_val_loss(dataset, _config(str(device), "fp32", 0.2))
    finally:
        torch.set_num_threads(threads)
    speed = statistics.median(ratios)
    gap = abs(loss_bf16 / loss_fp32 - 1.0)
    fast = dtype is not None
    where = f"{device}, {'1 thread, CPU time' if device.type == 'cpu' else 'wall time'}"
    return [
        (
            "bf16 engine / fp32 plain loop (samples/s)",
            speed,
            f"median of {PAIRS} pairs of {THROUGHPUT_EPOCHS} epochs; {dataset.name}, "
            f"MLP 784-512-256-32, batch 256, {where}; "
            f"target >= {TARGET_SPEED}"
            + ("" if fast else f" applies where bf16 is fast (auto here: {note})"),
        ),
        (
            "bf16 / fp32 validation MSE after 2 epochs - 1",
            gap,
            f"bf16 {loss_bf16:.5f}, fp32 {loss_fp32:.5f}; target <= {TARGET_LOSS}",
        ),
    ]


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name}: {value:.4g} ({note})")
