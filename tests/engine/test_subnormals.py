"""Subnormal floats are flushed to zero while the engine trains, and only then."""

from __future__ import annotations

import threading

import pytest
import torch

from aeviewer.training.loop import train
from aeviewer.training.subnormals import flushed_subnormals

from .conftest import small_config

SUBNORMAL = 1e-39  # below float32's smallest normal number, 1.18e-38


def _flushed() -> bool:
    return float(torch.tensor([SUBNORMAL]) * 1.0) == 0.0


@pytest.fixture
def flush_supported() -> None:
    supported = torch.set_flush_denormal(True)
    torch.set_flush_denormal(False)
    if not supported:
        pytest.skip("this CPU cannot flush subnormal floats")


def test_the_block_flushes_and_the_thread_gets_ieee_arithmetic_back(flush_supported):
    assert not _flushed()
    with flushed_subnormals() as supported:
        assert supported
        assert _flushed()
    assert not _flushed()


def test_training_runs_flushed_in_its_own_thread_only(flush_supported, vectors):
    seen: dict[str, bool] = {}

    def run() -> None:
        for _ in train(
            small_config(epochs=1), vectors, on_model=lambda _m: seen.update(training=_flushed())
        ):
            pass
        seen["after"] = _flushed()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == {"training": True, "after": False}
    assert not _flushed()  # this thread was never touched
