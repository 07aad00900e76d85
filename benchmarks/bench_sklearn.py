"""The scikit-learn estimators against the engine and a plain PyTorch forward pass.

- Fit: :class:`aeviewer.sklearn.AutoencoderTransformer` ``fit`` on 10,000 MNIST images given as
  a float32 array ``(N, 28, 28)`` (random images of that size when the shared set is absent),
  against :func:`aeviewer.training.loop.train` run to its end on the same prepared data set with
  the estimator's own config (default MLP 784-256-128 and its mirror, latent 8, 3 epochs, batch
  128, a 20% validation split). The estimator's time includes validating the array and building
  and normalising the data set. Back-to-back pairs, alternating which goes first; the row is the
  fastest estimator fit over the fastest engine run (other load on a shared machine only ever
  adds time), target at most 1.05; the note gives the median of the pairs' ratios. A second
  row times the estimator's own work alone (all of ``fit`` but ``train()``) over the engine's
  time: what the pairs measure through the machine's noise.
- Transform: ``transform`` of 70,000 MNIST images (the test set seven times) against a plain
  batched forward pass, ``model.encode`` over batches of 4,096 of the same float32 array in
  ``torch.inference_mode``. The row is the median of plain time over estimator time, a
  throughput ratio (target at least 0.9).

On the CPU everything runs on one torch thread and is timed in CPU seconds of this process, as
in ``bench_engine``. Run from the repository root with ``python -m benchmarks.bench_sklearn`` or
``python benchmarks/run.py sklearn``.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np
import torch

from aeviewer.data.dataset import Dataset
from aeviewer.training.devices import resolve_device
from aeviewer.training.events import Finished
from aeviewer.training.loop import train
from benchmarks.mnist_data import mnist_images

N_FIT = 10_000
N_TRANSFORM = 70_000
LATENT = 8
EPOCHS = 3
PAIRS = 6
REPEATS = 5
BATCH = 4096
FIT_TARGET = 1.05
TRANSFORM_TARGET = 0.9

Row = tuple[str, float, str]


def _images() -> tuple[np.ndarray, str]:
    """MNIST test images as float32 ``(10000, 28, 28)`` in [0, 1], and what they are."""
    data = mnist_images(N_FIT)
    return data.x.reshape(-1, 28, 28), "MNIST" if data.name == "mnist" else "random images"


def _clock(device: torch.device) -> float:
    if device.type == "cpu":
        return time.process_time()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter()


def _engine_seconds(estimator, dataset: Dataset, device: torch.device) -> float:
    start = _clock(device)
    for event in train(estimator.config_, dataset):
        if isinstance(event, Finished) and event.reason != "completed":
            raise RuntimeError(f"the engine's run ended {event.reason}")
    return _clock(device) - start


def _fit_seconds(estimator, x: np.ndarray, device: torch.device) -> float:
    start = _clock(device)
    estimator.fit(x)
    return _clock(device) - start


def _estimator_work(estimator, x: np.ndarray) -> None:
    """What ``fit`` does besides the engine's ``train()``: validate the array, build and
    normalise the data set, record the model."""
    from aeviewer.sklearn.inputs import read_fit_samples, training_dataset
    from aeviewer.training.rundir import model_record

    samples = read_fit_samples(estimator, x, None)
    dataset = training_dataset(samples, None, estimator.config_.data, "bench")
    model_record(estimator.model_, dataset, epoch=EPOCHS, step=0, reason="completed")


def _plain_encode(model: torch.nn.Module, x: np.ndarray) -> np.ndarray:
    flat = torch.from_numpy(x.reshape(x.shape[0], -1))
    device = next(model.parameters()).device
    with torch.inference_mode():
        codes = [model.encode(flat[i : i + BATCH].to(device)) for i in range(0, len(flat), BATCH)]
        return torch.cat(codes).cpu().numpy()


def _timed(fn, device: torch.device) -> float:
    start = _clock(device)
    fn()
    return _clock(device) - start


def run() -> list[Row]:
    """Rows ``(name, value, note)``."""
    from aeviewer.sklearn import AutoencoderTransformer
    from aeviewer.sklearn.inputs import read_fit_samples, training_dataset

    device = resolve_device(os.environ.get("AEVIEWER_BENCH_DEVICE", "auto"))
    threads = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(1)
    try:
        x, what = _images()
        estimator = AutoencoderTransformer(
            latent=LATENT, epochs=EPOCHS, random_state=0, device=str(device)
        )
        estimator.fit(x)  # warm-up, and the config both sides train with
        samples = read_fit_samples(estimator, x, None)
        dataset = training_dataset(samples, None, estimator.config_.data, "bench")
        engine, fits = [], []
        for pair in range(PAIRS):  # alternate which goes first, against drifts of the machine
            if pair % 2:
                fits.append(_fit_seconds(estimator, x, device))
            engine.append(_engine_seconds(estimator, dataset, device))
            if not pair % 2:
                fits.append(_fit_seconds(estimator, x, device))
        own = _timed(lambda: _estimator_work(estimator, x), device)
        big = np.concatenate([x] * (N_TRANSFORM // N_FIT))
        np.testing.assert_allclose(
            estimator.transform(big[:100]), _plain_encode(estimator.model_, big[:100]), rtol=1e-5
        )
        plain, ours = [], []
        for _ in range(REPEATS):
            plain.append(_timed(lambda: _plain_encode(estimator.model_, big), device))
            ours.append(_timed(lambda: estimator.transform(big), device))
    finally:
        torch.set_num_threads(threads)
    # Other load only ever adds time: the fastest run of each is the least disturbed one.
    fit_ratio = min(fits) / min(engine)
    pair_ratio = statistics.median(f / e for f, e in zip(fits, engine, strict=True))
    transform_ratio = statistics.median(p / o for p, o in zip(plain, ours, strict=True))
    where = "cpu, 1 thread, CPU time" if device.type == "cpu" else str(device)
    setting = f"{what}, {N_FIT} images, MLP 784-256-128-{LATENT}, {EPOCHS} epochs, {where}"
    return [
        ("engine train() s", statistics.median(engine), f"median; {setting}"),
        ("estimator fit s", statistics.median(fits), "median; same config, array (N, 28, 28)"),
        (
            "fit: estimator / engine time",
            fit_ratio,
            f"fastest of {PAIRS} over fastest of {PAIRS}; target <= {FIT_TARGET} "
            f"({'met' if fit_ratio <= FIT_TARGET else 'NOT met'}); median of the pairs' "
            f"ratios {pair_ratio:.3f}",
        ),
        (
            "fit: estimator's own work / engine time",
            own / statistics.median(engine),
            "validating X, building and normalising the data set, the model record",
        ),
        (
            "transform images/s",
            N_TRANSFORM / statistics.median(ours),
            f"median; {N_TRANSFORM:,} {what} images (N, 28, 28) float32",
        ),
        (
            "plain batched encode images/s",
            N_TRANSFORM / statistics.median(plain),
            f"median; model.encode over batches of {BATCH}, same array",
        ),
        (
            "transform: estimator / plain throughput",
            transform_ratio,
            f"median of {REPEATS} pairs; target >= {TRANSFORM_TARGET} "
            f"({'met' if transform_ratio >= TRANSFORM_TARGET else 'NOT met'})",
        ),
    ]


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name:40} {value:14.4g}  {note}")
