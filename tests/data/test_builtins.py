"""Every built-in: shape, dtype, value range, determinism, classes and the source grammar."""

from __future__ import annotations

import numpy as np
import pytest

from aeviewer.data import BUILTINS, DEFAULT_SOURCE, load_source
from aeviewer.data.builtins import parse_builtin_source
from aeviewer.data.shapes import CLASS_NAMES as SHAPE_CLASSES
from aeviewer.errors import DatasetError

N = 600

EXPECTED = {
    "shapes": ((1, 28, 28), 6, "image"),
    "signals": ((64,), 4, "vector"),
    "moons": ((2,), 2, "vector"),
    "swiss-roll": ((3,), 6, "vector"),
    "s-curve": ((3,), 6, "vector"),
    "ring": ((2,), 8, "vector"),
}


def test_registry_lists_every_builtin_with_defaults() -> None:
    assert set(BUILTINS) == set(EXPECTED)
    assert DEFAULT_SOURCE == "builtin:shapes"
    for name, info in BUILTINS.items():
        assert info.name == name
        assert info.kind == EXPECTED[name][2]
        assert info.default_n >= 10_000
        assert info.description


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_builtin_shape_dtype_and_classes(name: str) -> None:
    shape, n_classes, kind = EXPECTED[name]
    data = BUILTINS[name].make(N, 0)
    assert data.x.dtype == np.float32
    assert data.x.shape == (N, int(np.prod(shape)))
    assert data.sample_shape == shape
    assert data.is_image == (kind == "image")
    assert data.n_classes == n_classes
    assert data.labels is not None and data.labels.shape == (N,)
    assert len(data.class_names) == n_classes
    # every class occurs in a sample of this size
    assert set(np.unique(data.labels)) == set(range(n_classes))
    assert np.isfinite(data.x).all()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_builtin_is_deterministic_for_a_seed(name: str) -> None:
    first, again = BUILTINS[name].make(N, 3), BUILTINS[name].make(N, 3)
    other = BUILTINS[name].make(N, 4)
    np.testing.assert_array_equal(first.x, again.x)
    np.testing.assert_array_equal(first.labels, again.labels)
    assert not np.array_equal(first.x, other.x)


def test_shapes_are_anti_aliased_images_in_the_unit_interval() -> None:
    data = BUILTINS["shapes"].make(N, 0)
    assert data.in_unit_interval
    assert data.class_names == SHAPE_CLASSES
    assert data.normalization.kind == "minmax"
    images = data.images()[:, 0]
    ink = images.reshape(N, -1).sum(axis=1)
    assert (ink > 5).all(), "every image shows a shape"
    # Anti-aliasing leaves intermediate grey levels on the edges.
    assert ((images > 0.05) & (images < 0.6)).mean() > 0.01
    # No shape touches the frame's outermost pixels.
    border = np.concatenate([images[:, 0], images[:, -1], images[:, :, 0], images[:, :, -1]], 1)
    assert border.max() < 0.5
    # Classes are balanced.
    counts = np.bincount(data.labels)
    assert counts.max() - counts.min() <= 1


def test_shapes_vary_in_position_and_size() -> None:
    data = BUILTINS["shapes"].make(N, 0)
    images = data.images()[:, 0]
    circles = images[data.labels == SHAPE_CLASSES.index("circle")]
    area = circles.reshape(len(circles), -1).sum(axis=1)
    assert area.max() > 2.5 * area.min()
    rows = np.arange(28)
    centre_y = (circles.sum(axis=2) * rows).sum(axis=1) / circles.sum(axis=(1, 2))
    assert np.ptp(centre_y) > 6


def test_signals_flag_a_labelled_fraction_of_anomalies() -> None:
    data = BUILTINS["signals"].make(2000, 0)
    assert data.anomalies is not None
    np.testing.assert_array_equal(data.anomalies, data.labels > 0)
    assert 0.03 < data.anomalies.mean() < 0.07
    assert data.class_names[0] == "normal"
    assert len(data.feature_names) == 64
    # An anomalous window departs further from its smooth sine than a normal one.
    x = data.x
    roughness = np.abs(np.diff(x, axis=1)).max(axis=1)
    assert np.median(roughness[data.anomalies]) > np.median(roughness[~data.anomalies])


def test_ring_modes_sit_on_a_circle() -> None:
    data = BUILTINS["ring"].make(800, 0)
    radius = np.hypot(data.x[:, 0], data.x[:, 1])
    assert np.allclose(radius, 2.0, atol=0.3)
    angle = np.arctan2(data.x[:, 1], data.x[:, 0]) % (2 * np.pi)
    mode = np.round(angle / (2 * np.pi / 8)).astype(int) % 8
    np.testing.assert_array_equal(mode, data.labels)


def test_roll_labels_follow_the_position_along_the_roll() -> None:
    data = BUILTINS["swiss-roll"].make(3000, 0)
    # The radius of the roll grows with the roll parameter, so it grows with the label.
    radius = np.hypot(data.x[:, 0], data.x[:, 2])
    means = [radius[data.labels == k].mean() for k in range(6)]
    assert means == sorted(means)


def test_source_grammar_sets_size_and_seed() -> None:
    data = load_source("builtin:moons?n=250&seed=7")
    assert data.n_samples == 250
    assert data.source == "builtin:moons?n=250&seed=7"
    np.testing.assert_array_equal(data.x, BUILTINS["moons"].make(250, 7).x)
    info, n, seed = parse_builtin_source("builtin:ring")
    assert (info.name, n, seed) == ("ring", 10_000, 0)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("builtin:nope", "unknown built-in data set 'nope'"),
        ("builtin:moons?n=abc", "n must be an integer"),
        ("builtin:moons?n=1", "n must lie between"),
        ("builtin:moons?colour=red", "unknown option 'colour'"),
        ("builtin:moons?seed=-1", "seed must not be negative"),
    ],
)
def test_bad_builtin_sources_are_named(source: str, message: str) -> None:
    with pytest.raises(DatasetError, match=message) as info:
        load_source(source)
    assert source in str(info.value)
