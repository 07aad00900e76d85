"""CSV, TSV and other delimited text tables.

The delimiter is sniffed (tab, comma, semicolon, bar, whitespace), a first row of names is
detected as a header, and an optional label column, by name or index, becomes class labels.
Every other column must hold numbers; errors name the line and column.
"""

from __future__ import annotations

import csv
import io
import math
import warnings
from pathlib import Path

import numpy as np

from aeviewer.data.dataset import Dataset
from aeviewer.data.progress import Reporter
from aeviewer.data.readers.arrays import build_dataset, encode_labels
from aeviewer.data.readers.files import read_bytes, stem
from aeviewer.errors import DatasetError

DELIMITERS: tuple[str, ...] = ("\t", ",", ";", "|", " ")
SNIFF_LINES = 20
CANCEL_CHECK_EVERY = 5000

Row = tuple[int, list[str]]


def read_table(
    path: Path,
    *,
    reporter: Reporter,
    label_column: str | int | None = None,
    source: str | None = None,
) -> Dataset:
    """Load a delimited text table; ``label_column`` (name or 0-based index) holds labels."""
    text = _decode(read_bytes(path), path)
    delimiter = _sniff_delimiter(path, text)
    head = _rows(_first_rows_text(text, 2), delimiter, reporter)
    if not head:
        raise DatasetError(f"{path}: holds no rows (only blank lines)")
    width = len(head[0][1])
    header = head[0] if _has_header(head) else None
    names = tuple(h.strip() for h in header[1]) if header is not None else None
    label_index = _label_index(path, label_column, names, width)
    feature_columns = [j for j in range(width) if j != label_index]
    if not feature_columns:
        raise DatasetError(f"{path}: no feature columns besides the label column")
    reporter.report(0, 1)
    skip = header[0] if header is not None else 0
    fast = _read_fast(text, delimiter, skip, width, feature_columns, label_index)
    if fast is not None:
        x, label_cells = fast
    else:
        x, label_cells = _read_checked(
            path, text, delimiter, reporter, header is not None, feature_columns, label_index, names
        )
    labels = class_names = None
    if label_cells is not None:
        labels, class_names = _labels(label_cells, path)
    reporter.report(1, 1)
    return build_dataset(
        x,
        where=str(path),
        name=stem(path),
        source=source or str(path),
        image=False,
        labels=labels,
        class_names=class_names,
        feature_names=None if names is None else tuple(names[j] for j in feature_columns),
    )


def _read_fast(
    text: str,
    delimiter: str,
    skip: int,
    width: int,
    feature_columns: list[int],
    label_index: int | None,
) -> tuple[np.ndarray, np.ndarray | None] | None:
    """Parse a well-formed table with numpy's C parser; None when anything looks off.

    Any irregularity (ragged or quoted rows, text, NaN) sends the table to the slow path,
    which names the line and column of the problem.
    """
    lines = [line for line in text.splitlines()[skip:] if line.strip()]
    if not lines or any(_count(line, delimiter) != width - 1 for line in lines):
        return None
    options = {
        "delimiter": None if delimiter == " " else delimiter,
        "skiprows": skip,
        "comments": None,
        "quotechar": '"',
        "ndmin": 2,
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x = np.loadtxt(io.StringIO(text), usecols=feature_columns, **options)
            labels = None
            if label_index is not None:
                labels = np.loadtxt(io.StringIO(text), usecols=[label_index], dtype=str, **options)
    except ValueError:
        return None
    if x.shape[0] != len(lines) or not np.isfinite(x).all():
        return None
    return x, None if labels is None else labels[:, 0]


def _read_checked(
    path: Path,
    text: str,
    delimiter: str,
    reporter: Reporter,
    has_header: bool,
    feature_columns: list[int],
    label_index: int | None,
    names: tuple[str, ...] | None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Parse row by row with the csv module, naming the line and column of any problem."""
    rows = _rows(text, delimiter, reporter)
    width = len(rows[0][1])
    for line, cells in rows:
        if len(cells) != width:
            raise DatasetError(
                f"{path}: line {line} has {len(cells)} columns, expected {width} "
                f"as on line {rows[0][0]} (ragged rows)"
            )
    body = rows[1:] if has_header else rows
    if not body:
        raise DatasetError(f"{path}: holds zero samples (a header row and no data)")
    cells = np.array([r[1] for r in body], dtype=str)
    x = _numbers(cells[:, feature_columns], body, feature_columns, names, path)
    _check_finite(x, body, feature_columns, names, path)
    return x, None if label_index is None else cells[:, label_index]


def _first_rows_text(text: str, count: int) -> str:
    """The text up to the end of its ``count``-th non-blank line (line numbers unchanged)."""
    kept: list[str] = []
    for line in text.splitlines(keepends=True):
        kept.append(line)
        count -= bool(line.strip())
        if count == 0:
            break
    return "".join(kept)


def _decode(data: bytes, path: Path) -> str:
    if b"\0" in data[:4096]:
        raise DatasetError(
            f"{path}: is a binary file in no format aeviewer knows, not a text table"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 text at byte {exc.start}") from None


def _sniff_delimiter(path: Path, text: str) -> str:
    if path.name.lower().removesuffix(".gz").endswith(".tsv"):
        return "\t"
    lines = [line for line in text.splitlines() if line.strip()][:SNIFF_LINES]
    if not lines:
        return ","
    for candidate in DELIMITERS:
        counts = {_count(line, candidate) for line in lines}
        if len(counts) == 1 and counts.pop() > 0:
            return candidate
    # No delimiter is consistent (ragged rows): take the most frequent, so the error names them.
    best = max(DELIMITERS, key=lambda d: _count(lines[0], d))
    return best if _count(lines[0], best) > 0 else ","


def _count(line: str, delimiter: str) -> int:
    return len(line.split()) - 1 if delimiter == " " else line.count(delimiter)


def _rows(text: str, delimiter: str, reporter: Reporter) -> list[Row]:
    rows: list[Row] = []
    if delimiter == " ":
        numbered = ((i + 1, line.split()) for i, line in enumerate(text.splitlines()))
    else:
        reader = csv.reader(
            io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True
        )
        numbered = ((reader.line_num, cells) for cells in reader)
    for line, cells in numbered:
        if not any(c.strip() for c in cells):
            continue
        rows.append((line, cells))
        if len(rows) % CANCEL_CHECK_EVERY == 0:
            reporter.check()
    return rows


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _has_header(rows: list[Row]) -> bool:
    first = rows[0][1]
    text_columns = [j for j, cell in enumerate(first) if not _is_number(cell)]
    if not text_columns:
        return False
    if len(text_columns) == len(first) or len(rows) == 1:
        return True
    second = rows[1][1]
    return any(j < len(second) and _is_number(second[j]) for j in text_columns)


def _label_index(
    path: Path, label_column: str | int | None, names: tuple[str, ...] | None, width: int
) -> int | None:
    if label_column is None:
        return None
    if isinstance(label_column, str):
        wanted = label_column.strip()
        if names is not None and wanted in names:
            return names.index(wanted)
        try:
            label_column = int(wanted)
        except ValueError:
            if names is None:
                raise DatasetError(
                    f"{path}: no label column named {wanted!r}: the table has no header row, "
                    "so give the label column by its index"
                ) from None
            raise DatasetError(
                f"{path}: no label column named {wanted!r}; the columns are {', '.join(names)}"
            ) from None
    if not -width <= label_column < width:
        raise DatasetError(
            f"{path}: no label column {label_column}; the table has {width} columns "
            f"(indices 0 to {width - 1})"
        )
    return label_column % width


def _column_name(j: int, names: tuple[str, ...] | None) -> str:
    return f"column {j + 1}" + (f" ({names[j]!r})" if names is not None else "")


def _numbers(
    cells: np.ndarray,
    body: list[Row],
    columns: list[int],
    names: tuple[str, ...] | None,
    path: Path,
) -> np.ndarray:
    try:
        return cells.astype(np.float64)
    except ValueError:
        pass
    for i, (line, _) in enumerate(body):
        for k, j in enumerate(columns):
            value = cells[i, k]
            if not _is_number(value):
                what = "an empty cell" if not value.strip() else f"text {value.strip()!r}"
                raise DatasetError(
                    f"{path}: line {line}, {_column_name(j, names)} holds {what} "
                    "where a number is expected"
                )
    raise DatasetError(f"{path}: holds values that are not numbers")


def _check_finite(
    x: np.ndarray,
    body: list[Row],
    columns: list[int],
    names: tuple[str, ...] | None,
    path: Path,
) -> None:
    bad = ~np.isfinite(x)
    if bad.any():
        i, k = (int(v) for v in np.argwhere(bad)[0])
        value = "NaN" if math.isnan(x[i, k]) else "infinity"
        raise DatasetError(
            f"{path}: line {body[i][0]}, {_column_name(columns[k], names)} holds {value}; "
            "every value must be a finite number"
        )


def _labels(values: np.ndarray, path: Path) -> tuple[np.ndarray, tuple[str, ...]]:
    stripped = np.char.strip(values)
    try:
        numbers = stripped.astype(np.float64)
    except ValueError:
        return encode_labels(stripped, f"{path}: label column")
    return encode_labels(numbers, f"{path}: label column")
