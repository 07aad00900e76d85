"""Training throughput of the VAE and the GAN against plain PyTorch loops of the same networks.

Each row pair trains one model with :func:`aeviewer.training.loop.train` and with a
hand-written loop in this process: the same networks (built by the registry with the same seed),
the same random data already on the device, the same batch size and optimiser settings, one
gradient step per batch (the GAN: one discriminator and one generator step). Runs alternate and
the best of each is kept; the engine is timed from its Started event to Finished, so its progress
events and final snapshot count against it (no validation split). Models:

- VAE: MLP 784-512-256 with a 32-D Gaussian code, Bernoulli decoder, Adam, batch 256;
- DCGAN: the image pair for 28x28 (channels 32, 64; 32-D noise), Adam (0.5, 0.999), batch 64;
- MLP GAN on 2-D points: 128-128 hidden units, 8-D noise, batch 64, where the per-batch
  overhead of the engine weighs most.

On the CPU everything runs on one torch thread and is timed in CPU seconds of this process, as
in :mod:`benchmarks.bench_engine`. ``AEVIEWER_BENCH_DEVICE`` picks the device (default ``auto``).
Run with ``python -m benchmarks.bench_families`` or ``python benchmarks/run.py families``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import numpy as np
import torch
from torch.nn import functional as F

from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data.dataset import Dataset
from aeviewer.models.info import DataInfo
from aeviewer.models.registry import build_model
from aeviewer.training.devices import resolve_device
from aeviewer.training.gan_trainer import GAN_BETAS, discriminator_loss, generator_loss
from benchmarks.bench_engine import engine_samples_per_s

REPEATS = 3
TARGET_RATIO = 0.95

Row = tuple[str, float, str]
PlainLoop = Callable[[torch.nn.Module, torch.Tensor, RunConfig], None]


def _clock(device: torch.device) -> float:
    """Seconds: CPU time of this process on the CPU, wall time after a sync on a GPU."""
    if device.type == "cpu":
        return time.process_time()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter()


def _dataset(n: int, shape: tuple[int, ...], unit: bool) -> Dataset:
    rng = np.random.default_rng(0)
    d = int(np.prod(shape))
    x = rng.random((n, d), dtype=np.float32) if unit else rng.normal(size=(n, d))
    return Dataset(x=x.astype(np.float32), sample_shape=shape, name="bench", source="bench:random")


def _config(model: ModelSpec, batch: int, epochs: int, lr: float, device: str) -> RunConfig:
    return RunConfig(
        data=DataSpec(source="bench:random", val_fraction=0.0),
        model=model,
        train=TrainSpec(
            epochs=epochs,
            batch_size=batch,
            lr=lr,
            device=device,
            snapshot_every=epochs,
            checkpoint_every=epochs,
            n_eval=256,
            n_recon=4,
        ),
    )


def _batches(x: torch.Tensor, batch: int):
    order = torch.randperm(x.shape[0]).to(x.device)
    for i in range(0, x.shape[0], batch):
        yield x[order[i : i + batch]]


def plain_vae(model, x: torch.Tensor, config: RunConfig) -> None:
    """A textbook VAE loop: reparameterise, BCE summed over pixels plus the KL, Adam."""
    opt = torch.optim.Adam(model.parameters(), lr=config.train.lr)
    for _ in range(config.train.epochs):
        for batch in _batches(x, config.train.batch_size):
            mean, logvar = model.posterior(batch)
            z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean)
            recon = F.binary_cross_entropy_with_logits(model.decoder(z), batch, reduction="none")
            kl = 0.5 * (mean.square() + logvar.exp() - 1.0 - logvar).sum(dim=1)
            loss = recon.sum(dim=1).mean() + kl.mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()


def plain_gan(model, x: torch.Tensor, config: RunConfig) -> None:
    """A textbook GAN loop: one D step and one non-saturating G step per batch, Adam(0.5).

    Like the engine, it freezes D's weights during the G step (no gradients for them).
    """
    lr = config.train.lr
    opt_g = torch.optim.Adam(model.generator.parameters(), lr=lr, betas=GAN_BETAS)
    opt_d = torch.optim.Adam(model.discriminator.parameters(), lr=lr, betas=GAN_BETAS)
    latent = model.latent
    for _ in range(config.train.epochs):
        for batch in _batches(x, config.train.batch_size):
            n = batch.shape[0]
            with torch.no_grad():
                fake = model.decode(torch.randn(n, latent, device=x.device))
            d_loss = discriminator_loss(model.discriminate(batch), model.discriminate(fake))
            opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            opt_d.step()
            fake = model.decode(torch.randn(n, latent, device=x.device))
            model.discriminator.requires_grad_(False)
            g_loss = generator_loss(model.discriminate(fake))
            opt_g.zero_grad(set_to_none=True)
            g_loss.backward()
            opt_g.step()
            model.discriminator.requires_grad_(True)


def plain_samples_per_s(
    loop: PlainLoop, dataset: Dataset, config: RunConfig, device: torch.device
) -> float:
    """Samples per second of ``loop`` on the registry's model for ``config``."""
    torch.manual_seed(config.train.seed)
    model = build_model(config.model, DataInfo.from_dataset(dataset)).to(device).train()
    x = torch.from_numpy(dataset.x).to(device)
    start = _clock(device)
    loop(model, x, config)
    return x.shape[0] * config.train.epochs / (_clock(device) - start)


def compare(
    name: str, loop: PlainLoop, dataset: Dataset, config: RunConfig, device: torch.device
) -> list[Row]:
    """The engine's and the plain loop's samples/s and their ratio, best of :data:`REPEATS`."""
    engine_samples_per_s(dataset, config, device)  # warm-up: allocator, kernels
    engine = plain = 0.0
    for _ in range(REPEATS):
        plain = max(plain, plain_samples_per_s(loop, dataset, config, device))
        engine = max(engine, engine_samples_per_s(dataset, config, device))
    ratio = engine / plain
    met = "met" if ratio >= TARGET_RATIO else "NOT met"
    return [
        (f"{name} engine samples/s", engine, f"batch {config.train.batch_size}"),
        (f"{name} plain torch loop samples/s", plain, "same networks, data and batch"),
        (f"{name} engine / plain throughput", ratio, f"target >= {TARGET_RATIO} ({met})"),
    ]


def run() -> list[Row]:
    """Rows ``(name, value, note)``."""
    device = resolve_device(os.environ.get("AEVIEWER_BENCH_DEVICE", "auto"))
    threads = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(1)
    dev = str(device)
    try:
        rows = compare(
            "vae",
            plain_vae,
            _dataset(5000, (784,), unit=True),
            _config(ModelSpec("vae", latent=32, hidden=(512, 256), loss="bce"), 256, 4, 1e-3, dev),
            device,
        )
        rows += compare(
            "dcgan",
            plain_gan,
            _dataset(1500, (1, 28, 28), unit=True),
            _config(ModelSpec("gan", latent=32, conv_channels=(32, 64)), 64, 1, 2e-4, dev),
            device,
        )
        rows += compare(
            "mlp gan 2-D",
            plain_gan,
            _dataset(6000, (2,), unit=False),
            _config(ModelSpec("gan", latent=8, hidden=(128, 128)), 64, 2, 2e-3, dev),
            device,
        )
    finally:
        torch.set_num_threads(threads)
    where = "cpu, 1 thread, CPU time" if device.type == "cpu" else dev
    return [(name, value, f"{note}; {where}") for name, value, note in rows]


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name:40} {value:14.4g}  {note}")
