"""Late-training throughput with subnormal floats flushed to zero, against IEEE arithmetic.

The default model (the app's built-in ``shapes`` data, default settings, CPU, one torch thread)
trains for ``EPOCHS`` epochs twice: with the engine as it is, which flushes subnormals to zero
in its thread (:mod:`aeviewer.training.subnormals`), and with that switched off. The rate is
training samples per CPU second over the epochs after ``LATE_FROM``, when small gradients and
Adam's moments have underflowed into subnormal numbers. CPU time of one thread keeps other
programs on a shared machine out of the ratio.

Run from the repository root with ``python -m benchmarks.bench_subnormals`` or through
``python benchmarks/run.py subnormals``.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace
from unittest import mock

import torch

from aeviewer.config import DataSpec, RunConfig, TrainSpec
from aeviewer.data import DEFAULT_SOURCE, load_source, prepare
from aeviewer.data.dataset import Dataset
from aeviewer.training import loop
from aeviewer.training.events import EpochEnd, Started

EPOCHS = 16
LATE_FROM = 10

Row = tuple[str, float, str]


def late_samples_per_cpu_s(dataset: Dataset, flush: bool) -> tuple[float, float]:
    """Samples per CPU second over the late epochs, and over the early ones (2 … LATE_FROM)."""
    config = RunConfig(train=replace(TrainSpec(), epochs=EPOCHS, device="cpu"))
    at_epoch: dict[int, float] = {}
    n_train = 0
    torch.set_flush_denormal(False)
    ieee = mock.patch.object(loop, "flushed_subnormals", lambda: contextlib.nullcontext(False))
    with contextlib.nullcontext() if flush else ieee:
        for event in loop.train(config, dataset):
            if isinstance(event, Started):
                n_train = event.n_train
            elif isinstance(event, EpochEnd):
                at_epoch[event.epoch] = time.process_time()
    late = n_train * (EPOCHS - LATE_FROM) / (at_epoch[EPOCHS] - at_epoch[LATE_FROM])
    early = n_train * (LATE_FROM - 1) / (at_epoch[LATE_FROM] - at_epoch[1])
    return late, early


def run() -> list[Row]:
    """Rows ``(name, value, note)``."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    dataset = prepare(load_source(DEFAULT_SOURCE), DataSpec(source=DEFAULT_SOURCE))
    try:
        ieee_late, ieee_early = late_samples_per_cpu_s(dataset, flush=False)
        flushed_late, flushed_early = late_samples_per_cpu_s(dataset, flush=True)
    finally:
        torch.set_num_threads(threads)
    where = f"default model, epochs {LATE_FROM + 1}-{EPOCHS}, cpu, 1 thread, CPU time"
    return [
        ("late epochs, subnormals flushed samples/s", flushed_late, where),
        ("late epochs, IEEE subnormals samples/s", ieee_late, "same run without the flush"),
        (
            "flushed / IEEE late-epoch throughput",
            flushed_late / ieee_late,
            f"epochs 2-{LATE_FROM}: {flushed_early:,.0f} vs {ieee_early:,.0f} samples/s "
            f"(before the subnormals appear)",
        ),
    ]


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name:42} {value:12.4g}  {note}")
