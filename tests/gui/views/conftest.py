"""Fixtures for the analysis-view tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pyqtgraph as pg
import pytest
from views_synthetic import make_image_dataset, make_vector_dataset

from aeviewer.data.dataset import Dataset


@pytest.fixture(autouse=True)
def _pyqtgraph_config() -> Iterator[None]:
    pg.setConfigOptions(imageAxisOrder="row-major")
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not leaked, f"threads left running: {[t.name for t in leaked]}"


@pytest.fixture
def image_dataset() -> Dataset:
    return make_image_dataset()


@pytest.fixture
def vector_dataset() -> Dataset:
    return make_vector_dataset()
