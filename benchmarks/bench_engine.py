"""Training engine benchmarks: throughput against a plain PyTorch loop, and FLOP efficiency.

- Throughput: the same model (an MLP autoencoder 784-512-256-32, sigmoid output, Adam), the
  same data (10,000 random samples of 784 values in [0, 1], already on the device) and batch
  size 256, trained by :func:`aeviewer.training.loop.train` and by a hand-written loop in this
  process. Each is timed over whole epochs from the first batch to the last (the engine from its
  Started event to Finished, so progress events and its final snapshot count against it; no
  validation split). The two run in back-to-back pairs, which see the same machine load;
  the row is the median over the pairs of engine samples/s divided by the plain loop's
  (target at least 0.95).
- FLOP rate: the engine's training FLOPs per second on that model (forward and backward: 6
  FLOPs per weight per sample) as a fraction of a float32 matrix-multiply peak (square
  products, best of several sizes) measured on the same device in the same run.

On the CPU everything runs on one torch thread and is timed in CPU seconds of this process
(``time.process_time``), so that other programs on a shared machine do not skew the ratios;
the rates are then per core. On a GPU the clock is the wall clock, after a device sync.

Run from the repository root with ``python -m benchmarks.bench_engine`` or through
``python benchmarks/run.py``. ``AEVIEWER_BENCH_DEVICE`` picks the device (default ``auto``).
"""

from __future__ import annotations

import itertools
import os
import statistics
import time

import numpy as np
import torch
from torch.nn import functional as F

from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data.dataset import Dataset
from aeviewer.models.info import DataInfo
from aeviewer.models.registry import build_model
from aeviewer.training.devices import resolve_device
from aeviewer.training.events import Finished, Started
from aeviewer.training.loop import train

N_SAMPLES = 10_000
N_FEATURES = 784
HIDDEN = (512, 256)
LATENT = 32
BATCH = 256
EPOCHS = 3
REPEATS = 4
TARGET_RATIO = 0.95

Row = tuple[str, float, str]


def _dataset() -> Dataset:
    x = np.random.default_rng(0).random((N_SAMPLES, N_FEATURES), dtype=np.float32)
    return Dataset(x=x, sample_shape=(N_FEATURES,), name="bench", source="bench:random")


def _config(device: str) -> RunConfig:
    return RunConfig(
        data=DataSpec(source="bench:random", val_fraction=0.0),
        model=ModelSpec("ae", latent=LATENT, hidden=HIDDEN),
        train=TrainSpec(
            epochs=EPOCHS,
            batch_size=BATCH,
            lr=1e-3,
            device=device,
            snapshot_every=EPOCHS,
            checkpoint_every=EPOCHS,
            n_eval=256,
            n_recon=4,
        ),
    )


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


def _clock(device: torch.device) -> float:
    """Seconds: CPU time of this process on the CPU, wall time after a sync on a GPU."""
    if device.type == "cpu":
        return time.process_time()
    _sync(device)
    return time.perf_counter()


def engine_samples_per_s(dataset: Dataset, config: RunConfig, device: torch.device) -> float:
    """Samples per second of :func:`train`, from its Started event to Finished."""
    start = seconds = 0.0
    n_train = 0
    for event in train(config, dataset):
        if isinstance(event, Started):
            n_train = event.n_train
            start = _clock(device)
        elif isinstance(event, Finished):
            seconds = _clock(device) - start
    return n_train * config.train.epochs / seconds


def plain_samples_per_s(dataset: Dataset, config: RunConfig, device: torch.device) -> float:
    """Samples per second of a hand-written loop on the same model, data and batch size."""
    torch.manual_seed(config.train.seed)
    model = build_model(config.model, DataInfo.from_dataset(dataset)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=config.train.lr)
    x = torch.from_numpy(dataset.x).to(device)
    n, bs = x.shape[0], config.train.batch_size
    start = _clock(device)
    for _ in range(config.train.epochs):
        order = torch.randperm(n).to(device)
        for i in range(0, n, bs):
            batch = x[order[i : i + bs]]
            opt.zero_grad(set_to_none=True)
            loss = F.mse_loss(model(batch), batch)
            loss.backward()
            opt.step()
    return n * config.train.epochs / (_clock(device) - start)


def matmul_peak_flops(device: torch.device) -> float:
    """Best float32 FLOP rate of square matrix products on ``device``."""
    sizes = (1024, 2048) if device.type == "cpu" else (4096, 8192)
    best = 0.0
    for n in sizes:
        a = torch.randn(n, n, device=device)
        b = torch.randn(n, n, device=device)
        torch.mm(a, b)
        reps = 3 if device.type == "cpu" else 20
        for _ in range(2):
            start = _clock(device)
            for _ in range(reps):
                torch.mm(a, b)
            best = max(best, 2 * n**3 * reps / (_clock(device) - start))
    return best


def training_flops_per_sample() -> float:
    """Forward and backward FLOPs of one sample through the MLP autoencoder."""
    sizes = [N_FEATURES, *HIDDEN, LATENT]
    weights = sum(a * b for a, b in itertools.pairwise(sizes))
    return 6.0 * 2 * weights  # encoder and its mirror decoder; backward is twice the forward


def run() -> list[Row]:
    """Rows ``(name, value, note)``."""
    device = resolve_device(os.environ.get("AEVIEWER_BENCH_DEVICE", "auto"))
    threads = torch.get_num_threads()
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False
    if device.type == "cpu":
        torch.set_num_threads(1)
    try:
        dataset, config = _dataset(), _config(str(device))
        engine_samples_per_s(dataset, config, device)  # warm-up: allocator, kernels
        plains, engines = [], []
        for _ in range(REPEATS):
            plains.append(plain_samples_per_s(dataset, config, device))
            engines.append(engine_samples_per_s(dataset, config, device))
        peak = matmul_peak_flops(device)
    finally:
        torch.set_num_threads(threads)
    ratio = statistics.median(e / p for e, p in zip(engines, plains, strict=True))
    engine, plain = statistics.median(engines), statistics.median(plains)
    achieved = engine * training_flops_per_sample()
    where = "cpu, 1 thread, CPU time" if device.type == "cpu" else str(device)
    return [
        ("engine samples/s", engine, f"median; MLP AE 784-512-256-32, batch {BATCH}, {where}"),
        ("plain torch loop samples/s", plain, "median; same model, data and batch, same process"),
        (
            "engine / plain throughput",
            ratio,
            f"median of {REPEATS} back-to-back pairs; target >= {TARGET_RATIO} "
            f"({'met' if ratio >= TARGET_RATIO else 'NOT met'})",
        ),
        ("matmul peak GFLOP/s", peak / 1e9, "float32 square torch.mm, best size"),
        ("engine training GFLOP/s", achieved / 1e9, "6 FLOPs per weight per sample"),
        ("engine FLOP rate / matmul peak", achieved / peak, "fraction of this device's peak"),
    ]


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name:34} {value:14.4g}  {note}")
