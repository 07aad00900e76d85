"""Data out: per-sample tables and the Embedding Projector's files."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from PIL import Image

from aeviewer.errors import ConfigError, RunError
from aeviewer.io import (
    sample_table,
    snapshot_table,
    write_projector,
    write_snapshot_projector,
    write_table,
)
from aeviewer.io.dataout import MAX_SPRITE_SIZE, sprite_image
from aeviewer.training.events import Snapshot


@pytest.fixture
def table():
    rng = np.random.default_rng(0)
    return sample_table(
        indices=np.array([4, 9, 11]),
        labels=np.array([0, 2, 1]),
        class_names=["top", "middle", "bottom"],
        scores=rng.random(3).astype(np.float32),
        flagged=np.array([False, True, False]),
        latents=rng.normal(size=(3, 2)).astype(np.float32),
        projection=rng.normal(size=(3, 2)),
    )


def test_the_table_has_named_columns_in_order(table):
    assert list(table) == ["index", "label", "class", "score", "flagged", "z0", "z1", "p0", "p1"]
    assert table["class"].tolist() == ["top", "bottom", "middle"]


def test_csv_round_trip_keeps_every_value(table, tmp_path):
    path = write_table(tmp_path / "samples.csv", table)
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(table)
    assert [r[2] for r in rows[1:]] == ["top", "bottom", "middle"]
    got = np.array([[float(r[j]) for j in (3, 5, 6)] for r in rows[1:]], np.float32)
    want = np.stack([table["score"], table["z0"], table["z1"]], axis=1).astype(np.float32)
    np.testing.assert_array_equal(got, want)


def test_npy_is_a_structured_array_that_loads_without_pickle(table, tmp_path):
    path = write_table(tmp_path / "samples.npy", table)
    loaded = np.load(path, allow_pickle=False)
    assert loaded.dtype.names == tuple(table)
    for name, column in table.items():
        np.testing.assert_array_equal(loaded[name], column)


def test_tables_refuse_other_suffixes_and_uneven_columns(table, tmp_path):
    with pytest.raises(ConfigError, match=r"samples\.xlsx: choose a \.csv or \.npy"):
        write_table(tmp_path / "samples.xlsx", table)
    with pytest.raises(ValueError, match="differ in length"):
        sample_table(indices=np.arange(3), scores=np.zeros(4))
    assert list(tmp_path.iterdir()) == []


def test_projector_files_with_metadata_header_and_sprite(images, tmp_path):
    latents = np.random.default_rng(1).normal(size=(images.n_samples, 2))
    files = write_projector(
        tmp_path / "projector",
        latents,
        metadata={
            "label": images.labels.tolist(),
            "class": [images.class_name(i) for i in images.labels],
        },
        images=images.images(),
    )
    vectors = np.loadtxt(files.vectors, delimiter="\t")
    np.testing.assert_allclose(vectors, latents, rtol=1e-6)
    lines = files.metadata.read_text().splitlines()
    assert lines[0] == "label\tclass" and lines[1] == "0\ttop" and len(lines) == 97
    sprite = Image.open(files.sprite)
    assert files.single_image_dim == (8, 8)
    assert sprite.size == (10 * 8, 10 * 8) and sprite.mode == "L"
    config = json.loads(files.config.read_text())["embeddings"][0]
    assert config["tensorShape"] == [96, 2]
    assert config["sprite"] == {"imagePath": "sprite.png", "singleImageDim": [8, 8]}


def test_a_single_metadata_column_has_no_header(tmp_path):
    files = write_projector(tmp_path, np.zeros((3, 2)), metadata={"label": [1, 2, 3]})
    assert files.metadata.read_text() == "1\n2\n3\n"
    assert files.sprite is None and files.single_image_dim is None


def test_a_large_sprite_shrinks_its_thumbnails_to_fit(images):
    sprite, (height, width) = sprite_image(images.images(), max_size=64)
    assert (height, width) == (6, 6) and sprite.shape == (60, 60)
    colour = np.random.default_rng(0).random((5, 3, 40, 30)).astype(np.float32)
    sprite, (height, width) = sprite_image(colour, max_size=MAX_SPRITE_SIZE)
    assert (height, width) == (40, 30) and sprite.shape == (120, 90, 3)
    with pytest.raises(ValueError, match="do not fit a sprite of 2 pixels"):
        sprite_image(images.images(), max_size=2)


def test_a_snapshot_goes_out_as_a_table_and_projector_files(trained_run, images, tmp_path):
    _, events = trained_run
    snapshot = [e for e in events if isinstance(e, Snapshot)][-1]
    projection = snapshot.latents[:, ::-1]
    table = snapshot_table(snapshot, images, projection=projection, threshold=0.05)
    assert list(table) == [
        "index",
        "label",
        "class",
        "score",
        "pca_score",
        "flagged",
        "z0",
        "z1",
        "p0",
        "p1",
    ]
    np.testing.assert_array_equal(table["label"], images.labels[snapshot.eval_indices])
    np.testing.assert_array_equal(table["flagged"], snapshot.scores > 0.05)
    back = np.load(write_table(tmp_path / "t.npy", table), allow_pickle=False)
    np.testing.assert_array_equal(back["z1"], snapshot.latents[:, 1])

    files = write_snapshot_projector(tmp_path / "p", snapshot, images)
    assert files.metadata.read_text().splitlines()[0] == "label\tclass\tscore"
    assert files.single_image_dim == (8, 8)
    assert np.loadtxt(files.vectors, delimiter="\t").shape == (40, 2)


def test_an_unwritable_table_or_folder_is_a_clear_error(table, tmp_path):
    (tmp_path / "file").write_text("in the way")
    with pytest.raises(RunError, match=r"t\.csv: cannot write"):
        write_table(tmp_path / "file" / "t.csv", table)
    with pytest.raises(RunError, match="cannot write the projector files"):
        write_projector(tmp_path / "file" / "p", np.zeros((2, 2)))
