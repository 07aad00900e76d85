"""load_source dispatch, progress and cancellation, and prepare()."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aeviewer.config import DataSpec
from aeviewer.data import Dataset, LoadCancelled, load_source, prepare
from aeviewer.errors import DatasetError


def test_missing_path_and_empty_source_are_named(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.csv"
    with pytest.raises(DatasetError, match=r"nothing\.csv: no such file or folder"):
        load_source(str(missing))
    with pytest.raises(DatasetError, match="no data source given"):
        load_source("  ")


def test_an_existing_path_wins_over_a_download_name(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "mnist").write_text("1,2\n3,4\n")
    monkeypatch.chdir(tmp_path)
    assert load_source("mnist").n_features == 2


def test_label_column_only_for_tables(tmp_path: Path) -> None:
    np.save(tmp_path / "a.npy", np.ones((3, 2)))
    with pytest.raises(DatasetError, match="label column applies to CSV/TSV tables only"):
        load_source(str(tmp_path / "a.npy"), label_column="y")
    with pytest.raises(DatasetError, match="label column applies to CSV/TSV tables only"):
        load_source("builtin:moons", label_column=0)


def test_progress_is_reported_and_cancel_is_honoured(tmp_path: Path) -> None:
    from PIL import Image

    for i in range(5):
        Image.fromarray(np.full((3, 3), i * 10, np.uint8)).save(tmp_path / f"{i}.png")
    calls: list[tuple[int, int]] = []
    load_source(str(tmp_path), progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 5) and calls[-1] == (5, 5)
    with pytest.raises(LoadCancelled, match="cancelled"):
        load_source(str(tmp_path), cancel=lambda: True)
    with pytest.raises(LoadCancelled):
        load_source("builtin:shapes?n=50", cancel=lambda: True)


def _vectors(x: np.ndarray) -> Dataset:
    return Dataset(x=x.astype(np.float32), sample_shape=(x.shape[1],), name="t", source="t")


def test_prepare_auto_keeps_unit_data_and_zscores_the_rest() -> None:
    shapes = load_source("builtin:shapes?n=100")
    assert prepare(shapes, DataSpec(normalize="auto")) is shapes
    moons = load_source("builtin:moons?n=500")
    scaled = prepare(moons, DataSpec(normalize="auto"))
    assert scaled.normalization.kind == "zscore"
    np.testing.assert_allclose(scaled.x.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(scaled.x.std(axis=0), 1, atol=1e-4)
    np.testing.assert_allclose(scaled.raw(), moons.x, atol=1e-5)


def test_prepare_explicit_kinds() -> None:
    data = _vectors(np.array([[0.0, 10.0], [5.0, 30.0], [10.0, 20.0]]))
    minmax = prepare(data, DataSpec(normalize="minmax"))
    np.testing.assert_allclose(minmax.x, [[0, 0], [0.5, 1], [1, 0.5]])
    assert prepare(data, DataSpec(normalize="none")) is data
    z = prepare(data, DataSpec(normalize="zscore"))
    np.testing.assert_allclose(z.x.mean(axis=0), 0, atol=1e-6)


def test_prepare_limit_takes_a_seeded_subset_in_order() -> None:
    data = load_source("builtin:ring?n=1000")
    small = prepare(data, DataSpec(limit=100))
    assert small.n_samples == 100
    again = prepare(data, DataSpec(limit=100))
    np.testing.assert_array_equal(small.x, again.x)
    other = prepare(data, DataSpec(limit=100, split_seed=1))
    assert not np.array_equal(small.x, other.x)
    assert len(np.unique(small.labels)) == 8
    assert prepare(data, DataSpec(limit=5000)).n_samples == 1000
