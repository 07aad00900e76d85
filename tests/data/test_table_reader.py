"""CSV and TSV tables: delimiters, headers, label columns, and every kind of bad input."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from aeviewer.data import load_source
from aeviewer.errors import DatasetError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_headerless_numeric_csv_is_a_vector_data_set(tmp_path: Path) -> None:
    path = write(tmp_path, "plain.csv", "1,2,3\n4,5,6\n\n7,8,9\n")
    data = load_source(str(path))
    np.testing.assert_array_equal(data.x, np.arange(1, 10, dtype=np.float32).reshape(3, 3))
    assert data.sample_shape == (3,)
    assert data.labels is None and data.feature_names is None
    assert data.source == str(path) and data.name == "plain"


def test_header_and_string_label_column_by_name(tmp_path: Path) -> None:
    path = write(tmp_path, "pets.csv", "weight,kind,height\n4.5,cat,30\n30,dog,60\n5,cat,25\n")
    data = load_source(str(path), label_column="kind")
    assert data.feature_names == ("weight", "height")
    np.testing.assert_allclose(data.x, [[4.5, 30], [30, 60], [5, 25]])
    assert data.class_names == ("cat", "dog")
    np.testing.assert_array_equal(data.labels, [0, 1, 0])
    assert data.class_counts() == {"cat": 2, "dog": 1}


def test_label_column_by_index_negative_and_as_text(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "1,2,0\n3,4,2\n5,6,1\n")
    for column in (2, -1, "2"):
        data = load_source(str(path), label_column=column)
        np.testing.assert_array_equal(data.labels, [0, 2, 1])
        assert data.class_names == ("0", "1", "2")
        assert data.n_features == 2


def test_tsv_and_semicolon_and_whitespace_delimiters(tmp_path: Path) -> None:
    expected = np.array([[1.5, -2], [3, 4e3]], np.float32)
    for name, text in [
        ("a.tsv", "a\tb\n1.5\t-2\n3\t4e3\n"),
        ("b.csv", "a;b\n1.5;-2\n3;4e3\n"),
        ("c.txt", "  1.5   -2\n3 4e3\n"),
        ("d.csv", "1.5, -2\n3, 4e3\n"),
    ]:
        data = load_source(str(write(tmp_path, name, text)))
        np.testing.assert_array_equal(data.x, expected, err_msg=name)


def test_gzipped_csv_and_quoted_fields(tmp_path: Path) -> None:
    path = tmp_path / "q.csv.gz"
    path.write_bytes(gzip.compress(b'"x, first","label"\n1,"a b"\n2,"c"\n'))
    data = load_source(str(path), label_column="label")
    assert data.feature_names == ("x, first",)
    assert data.class_names == ("a b", "c")


def test_fixture_table_with_header_and_labels() -> None:
    data = load_source(str(FIXTURES / "flowers.csv"), label_column="species")
    assert data.n_samples == 12
    assert data.class_names == ("setosa", "versicolor", "virginica")
    assert data.class_counts() == {"setosa": 4, "versicolor": 4, "virginica": 4}
    assert data.feature_names == ("sepal_length", "sepal_width", "petal_length", "petal_width")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("\n\n  \n", "holds no rows"),
        ("a,b,c\n", "zero samples"),
        ("1,2\n3,oops\n", "line 2, column 2 holds text 'oops' where a number is expected"),
        ("x,z\n1,2\n3,\n", "line 3, column 2 \\('z'\\) holds an empty cell"),
        ("1,2,3\n4,5\n", "line 2 has 2 columns, expected 3"),
        ("a,b\n1,nan\n", "line 2, column 2 \\('b'\\) holds NaN"),
        ("a,b\n1,2\n-inf,2\n", "line 3, column 1 \\('a'\\) holds infinity"),
    ],
)
def test_bad_tables_name_file_problem_and_place(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "bad.csv", text)
    with pytest.raises(DatasetError, match=message) as info:
        load_source(str(path))
    assert str(path) in str(info.value)


def test_missing_label_column_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "a,b\n1,2\n")
    with pytest.raises(DatasetError, match="no label column named 'kind'; the columns are a, b"):
        load_source(str(path), label_column="kind")
    with pytest.raises(DatasetError, match="no label column 5; the table has 2 columns"):
        load_source(str(path), label_column=5)
    headerless = write(tmp_path, "h.csv", "1,2\n")
    with pytest.raises(DatasetError, match="no header row"):
        load_source(str(headerless), label_column="kind")


def test_binary_and_non_utf8_files_are_rejected(tmp_path: Path) -> None:
    binary = tmp_path / "blob.csv"
    binary.write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(DatasetError, match="binary file"):
        load_source(str(binary))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("a,b\n1,\xe9\n".encode("latin-1"))
    with pytest.raises(DatasetError, match="not UTF-8 text at byte 6"):
        load_source(str(latin))


def test_reader_leaves_the_file_untouched(tmp_path: Path) -> None:
    path = write(tmp_path, "keep.csv", "a,b\n1,2\n")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    load_source(str(path))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.csv"]


def test_fast_and_row_by_row_parsing_agree(tmp_path: Path, monkeypatch) -> None:
    from aeviewer.data.readers import table

    rng = np.random.default_rng(0)
    values = rng.normal(size=(30, 3)).round(4)
    kinds = rng.choice(["a", "b", "c"], 30)
    text = '"f,1",f2,f3,kind\n' + "".join(
        f'{v[0]},{v[1]},{v[2]},"{k}"\n' for v, k in zip(values, kinds, strict=True)
    )
    path = write(tmp_path, "t.csv", text)
    fast = load_source(str(path), label_column="kind")
    monkeypatch.setattr(table, "_read_fast", lambda *args: None)
    slow = load_source(str(path), label_column="kind")
    np.testing.assert_allclose(fast.x, values.astype(np.float32))
    np.testing.assert_array_equal(fast.x, slow.x)
    np.testing.assert_array_equal(fast.labels, slow.labels)
    assert fast.class_names == slow.class_names == ("a", "b", "c")
    assert fast.feature_names == slow.feature_names == ("f,1", "f2", "f3")
