"""Where a data set's labels come from: a table's label column found by name, chosen by name or
index, or no labels at all; and the choice recorded in the run's DataSpec."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from aeviewer.config import LABELS_AUTO, DataSpec, RunConfig
from aeviewer.data import load_source
from aeviewer.errors import ConfigError, DatasetError


def table(tmp_path: Path, header: str, rows: list[str], name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


ROWS = ["1,2,0", "3,4,1", "5,6,0", "7,8,2"]


@pytest.mark.parametrize("name", ["label", "Label", "CLASS", "target", "Target", "y", "Y"])
def test_a_column_named_like_labels_is_taken_by_default(tmp_path: Path, name: str) -> None:
    data = load_source(str(table(tmp_path, f"a,b,{name}", ROWS)))
    np.testing.assert_array_equal(data.labels, [0, 1, 0, 2])
    assert data.feature_names == ("a", "b") and data.n_features == 2
    assert data.class_counts() == {"0": 2, "1": 1, "2": 1}


def test_the_label_column_may_stand_anywhere_and_hold_text(tmp_path: Path) -> None:
    path = table(tmp_path, "Class;a;b", ["cat;1;2", "dog;3;4", "cat;5;6"])
    data = load_source(str(path))
    assert data.class_names == ("cat", "dog") and data.feature_names == ("a", "b")
    np.testing.assert_allclose(data.raw(), [[1, 2], [3, 4], [5, 6]])


def test_label_wins_over_class_target_and_y(tmp_path: Path) -> None:
    data = load_source(str(table(tmp_path, "y,target,label,a", ["1,2,0,9", "3,4,1,9"])))
    assert data.feature_names == ("y", "target", "a")
    np.testing.assert_array_equal(data.labels, [0, 1])


def test_without_such_a_column_or_header_there_are_no_labels(tmp_path: Path) -> None:
    assert load_source(str(table(tmp_path, "a,b,kind", ROWS))).labels is None
    assert load_source(str(table(tmp_path, "1,2,3", ROWS, "plain.csv"))).labels is None
    # A table of one column keeps it as its only feature.
    assert load_source(str(table(tmp_path, "y", ["1", "2"], "one.csv"))).n_features == 1


def test_a_regression_target_stays_a_feature_unless_named(tmp_path: Path) -> None:
    path = table(tmp_path, "a,target", ["1,0.5", "2,1.25", "3,2.75"])
    data = load_source(str(path))
    assert data.labels is None and data.feature_names == ("a", "target")
    np.testing.assert_allclose(data.raw()[:, 1], [0.5, 1.25, 2.75])
    named = load_source(str(path), label_column="target")
    assert named.class_names == ("0.5", "1.25", "2.75")


def test_explicit_name_index_and_none(tmp_path: Path) -> None:
    path = table(tmp_path, "a,kind,label", ["1,x,0", "2,y,1", "3,x,1"])
    assert load_source(str(path), label_column="kind").class_names == ("x", "y")
    assert load_source(str(path), label_column="1").class_names == ("x", "y")
    assert load_source(str(path), label_column=1).class_names == ("x", "y")
    with pytest.raises(DatasetError, match=r"column 2 \('kind'\) holds text 'x'"):
        load_source(str(path), label_column=None)
    plain = table(tmp_path, "a,b,label", ROWS, "numbers.csv")
    unlabelled = load_source(str(plain), label_column=None)
    assert unlabelled.labels is None and unlabelled.n_features == 3
    assert load_source(str(plain), label_column="AUTO").n_classes == 3


def test_no_labels_applies_to_every_source_and_a_column_only_to_tables(tmp_path) -> None:
    assert load_source("builtin:shapes?n=20", label_column=None).labels is None
    assert load_source("builtin:shapes?n=20", label_column=LABELS_AUTO).n_classes == 6
    np.savez(tmp_path / "a.npz", x=np.ones((4, 2)), y=np.arange(4) % 2)
    assert load_source(str(tmp_path / "a.npz"), label_column=None).labels is None
    with pytest.raises(DatasetError, match="a label column applies to CSV/TSV tables only"):
        load_source(str(tmp_path / "a.npz"), label_column="y")


def test_an_empty_label_cell_names_its_line(tmp_path: Path) -> None:
    path = table(tmp_path, "a,label", ["1,cat", "2,", "3,dog"])
    data = load_source(str(path))
    # An empty cell is a class of its own: the table says nothing more.
    assert data.n_classes == 3


def test_the_data_spec_records_the_choice_and_round_trips() -> None:
    assert DataSpec().label_column == LABELS_AUTO
    for choice in ("kind", "3", None, LABELS_AUTO):
        config = RunConfig(data=DataSpec(source="t.csv", label_column=choice))
        again = RunConfig.from_json(config.to_json())
        assert again == config and again.data.label_column == choice
    assert DataSpec(label_column=3).label_column == "3"
    assert DataSpec(label_column=" Auto ").label_column == LABELS_AUTO
    with pytest.raises(ConfigError, match="empty label column"):
        DataSpec(label_column=" ")
    with pytest.raises(ConfigError, match="not list"):
        DataSpec(label_column=["a"])  # type: ignore[arg-type]


def test_a_config_written_before_the_field_loads_as_auto(tmp_path: Path) -> None:
    data = RunConfig().to_dict()
    del data["data"]["label_column"]
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data))
    assert RunConfig.load(path).data.label_column == LABELS_AUTO
