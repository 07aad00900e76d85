"""Random draws for a slice of a batch: data-parallel training's noise.

A data-parallel process trains on a slice of each global batch. So that N processes train
exactly as one does, every process draws the noise of the whole global batch from the shared
seeded generator (its state then advances as in a single process) and keeps its own rows.
Models draw their noise through :func:`randn` and :func:`rand`, which accept either a plain
``torch.Generator`` or a :class:`BatchSlice`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class BatchSlice:
    """Rows ``start:stop`` of a global batch of ``total`` rows, drawn from ``generator``."""

    generator: torch.Generator
    total: int
    start: int
    stop: int


#: What a model's noise comes from: a generator, a slice of a global batch, or None (global RNG).
NoiseSource = torch.Generator | BatchSlice | None


def _draw(fn, shape: tuple[int, ...], source: NoiseSource, device: torch.device) -> torch.Tensor:
    if isinstance(source, BatchSlice):
        full = fn((source.total, *shape[1:]), generator=source.generator, device=device)
        return full[source.start : source.stop]
    return fn(tuple(shape), generator=source, device=device)


def randn(shape: tuple[int, ...], source: NoiseSource, device: torch.device) -> torch.Tensor:
    """Standard normal noise of ``shape`` (rows: this slice of the batch)."""
    return _draw(torch.randn, tuple(shape), source, device)


def rand(shape: tuple[int, ...], source: NoiseSource, device: torch.device) -> torch.Tensor:
    """Uniform noise in [0, 1) of ``shape`` (rows: this slice of the batch)."""
    return _draw(torch.rand, tuple(shape), source, device)
