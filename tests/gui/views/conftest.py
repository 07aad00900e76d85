"""Fixtures for the analysis-view tests (the suite-wide conftest checks for leftover threads)."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from views_synthetic import make_image_dataset, make_vector_dataset

from aeviewer.data.dataset import Dataset


@pytest.fixture(autouse=True)
def _pyqtgraph_config() -> None:
    pg.setConfigOptions(imageAxisOrder="row-major")


@pytest.fixture
def image_dataset() -> Dataset:
    return make_image_dataset()


@pytest.fixture
def vector_dataset() -> Dataset:
    return make_vector_dataset()
