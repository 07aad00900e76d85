"""Subnormal floats flushed to zero in the thread that trains.

Late in training, small gradients and Adam's moment estimates underflow into subnormal numbers,
which x86 CPUs compute many times slower than normal ones: the default model on ``shapes``
slowed from about 23,000 to 16,000 samples/s after its tenth epoch on the reference machine
(``python benchmarks/run.py subnormals`` measures it). Flushing them to zero changes only
values below 1.2e-38 (float32).

The flag belongs to a CPU thread, and the OpenMP workers of a thread copy it when they are
created, at its first parallel operation; it is therefore set before the run builds anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch


@contextmanager
def flushed_subnormals() -> Iterator[bool]:
    """Flush subnormal floats to zero in this thread while the block runs.

    Yields whether the CPU supports it. The flag is cleared again afterwards, so a caller's
    thread keeps IEEE arithmetic outside training.
    """
    supported = torch.set_flush_denormal(True)
    try:
        yield supported
    finally:
        if supported:
            torch.set_flush_denormal(False)
