"""CSV, TSV and other delimited text tables.

The delimiter is sniffed (tab, comma, semicolon, bar, whitespace), a first row of names is
detected as a header, and a label column becomes class labels: the one named ``label``,
``class``, ``target`` or ``y`` by default, or one chosen by name or index.
Every other column must hold numbers; errors name the line and column.
"""

from __future__ import annotations

import csv
import io
import math
import warnings
from pathlib import Path

import numpy as np

from aeviewer.config import LABELS_AUTO
from aeviewer.data.dataset import Dataset
from aeviewer.data.progress import Reporter
from aeviewer.data.readers.arrays import FLOAT_BYTES, build_dataset, encode_labels
from aeviewer.data.readers.files import read_bytes, read_head, stem
from aeviewer.errors import DatasetError
from aeviewer.limits import check_allocation

DELIMITERS: tuple[str, ...] = ("\t", ",", ";", "|", " ")
SNIFF_LINES = 20
CANCEL_CHECK_EVERY = 5000
#: Column names taken as the labels when none is named (any case), in order of preference.
AUTO_LABEL_NAMES: tuple[str, ...] = ("label", "class", "target", "y")
#: The most distinct values an automatically found label column may hold.
MAX_AUTO_CLASSES = 1000
#: The longest class name read from a label column.
MAX_LABEL_CHARS = 256
#: Memory one cell takes while a table is parsed row by row (a Python string and pointers).
CELL_BYTES = 96
#: How much of a table :func:`table_columns` reads to find its columns.
COLUMNS_HEAD_BYTES = 256 * 1024

Row = tuple[int, list[str]]


def read_table(
    path: Path,
    *,
    reporter: Reporter,
    label_column: str | int | None = LABELS_AUTO,
    source: str | None = None,
) -> Dataset:
    """Load a delimited text table.

    Parameters
    ----------
    label_column
        ``"auto"`` (the default) takes a column named ``label``, ``class``, ``target`` or ``y``
        (any case) as class labels when it holds classes (text or whole numbers, at most
        :data:`MAX_AUTO_CLASSES` of them); a name or 0-based index names the column; None
        reads every column as a feature.
    """
    text = _decode(read_bytes(path), path)
    delimiter = _sniff_delimiter(path, text)
    head = _rows(path, _first_rows_text(text, 2), delimiter, reporter)
    if not head:
        raise DatasetError(f"{path}: holds no rows (only blank lines)")
    width = len(head[0][1])
    header = head[0] if _has_header(head) else None
    names = tuple(h.strip() for h in header[1]) if header is not None else None
    auto = isinstance(label_column, str) and label_column.strip().lower() == LABELS_AUTO
    if auto:
        label_index = auto_label_index(names, width)
    else:
        label_index = _label_index(path, label_column, names, width)
    feature_columns = [j for j in range(width) if j != label_index]
    if not feature_columns:
        raise DatasetError(f"{path}: no feature columns besides the label column")
    reporter.report(0, 1)
    skip = header[0] if header is not None else 0
    fast = _read_fast(path, text, delimiter, skip, width, feature_columns, label_index)
    if fast is not None:
        x, label_cells, lines = fast
    else:
        x, label_cells, lines = _read_checked(
            path, text, delimiter, reporter, header is not None, feature_columns, label_index, names
        )
    labels = class_names = None
    if label_cells is not None:
        if auto and label_index is not None and not _holds_classes(label_cells):
            # A regression target, say: it stays a feature.
            x = np.insert(x, label_index, label_cells.astype(np.float64), axis=1)
            feature_columns = list(range(width))
        else:
            labels, class_names = _labels(label_cells, lines, path)
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


def table_columns(path: Path) -> tuple[tuple[str, ...] | None, int, int | None]:
    """A table's column names (None without a header row), its width, and the column
    ``"auto"`` takes as labels, read from the first lines only.

    Raises
    ------
    DatasetError
        When the start of the file is not a text table.
    """
    head = read_head(path, COLUMNS_HEAD_BYTES)
    text = _decode(head, path, partial=True)
    if len(head) == COLUMNS_HEAD_BYTES:
        text = text.rsplit("\n", 1)[0]  # the last line may be cut
    delimiter = _sniff_delimiter(path, text)
    rows = _rows(path, _first_rows_text(text, 2), delimiter, Reporter())
    if not rows:
        raise DatasetError(f"{path}: holds no rows (only blank lines)")
    width = len(rows[0][1])
    names = tuple(h.strip() for h in rows[0][1]) if _has_header(rows) else None
    return names, width, auto_label_index(names, width)


def auto_label_index(names: tuple[str, ...] | None, width: int) -> int | None:
    """The column a header names as labels (:data:`AUTO_LABEL_NAMES`, any case), or None.

    When several do, the first name in :data:`AUTO_LABEL_NAMES` wins; a table of one column
    has no label column.
    """
    if names is None or width < 2:
        return None
    lowered = [n.strip().lower() for n in names]
    for wanted in AUTO_LABEL_NAMES:
        if wanted in lowered:
            return lowered.index(wanted)
    return None


def _holds_classes(cells: np.ndarray) -> bool:
    """True when label cells look like classes: text, or whole numbers, and not too many."""
    stripped = [str(c).strip() for c in cells]
    try:
        numbers = np.array([float(c) for c in stripped])
    except ValueError:
        numbers = None
    if numbers is not None and not (
        np.isfinite(numbers).all() and np.all(numbers == np.round(numbers))
    ):
        return False
    return len(set(stripped if numbers is None else numbers.tolist())) <= MAX_AUTO_CLASSES


def _read_fast(
    path: Path,
    text: str,
    delimiter: str,
    skip: int,
    width: int,
    feature_columns: list[int],
    label_index: int | None,
) -> tuple[np.ndarray, np.ndarray | None, list[int]] | None:
    """Parse a well-formed table with numpy's C parser; None when anything looks off.

    Any irregularity (ragged or quoted rows, text, NaN) sends the table to the slow path,
    which names the line and column of the problem. Returns the features, the label cells (as
    Python strings) and the line number of each sample.
    """
    numbered = [(i + 1, line) for i, line in enumerate(text.splitlines()) if i >= skip]
    numbered = [(n, line) for n, line in numbered if line.strip()]
    if not numbered or any(_count(line, delimiter) != width - 1 for _, line in numbered):
        return None
    n_rows = len(numbered)
    check_allocation(
        n_rows * len(feature_columns) * (8 + FLOAT_BYTES),
        f"its {n_rows} x {len(feature_columns)} values",
        path,
        DatasetError,
    )
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
                # Python strings, not a fixed-width array as wide as the longest cell.
                labels = np.loadtxt(
                    io.StringIO(text), usecols=[label_index], dtype=object, **options
                )
    except ValueError:
        return None
    if x.shape[0] != n_rows or not np.isfinite(x).all():
        return None
    return x, None if labels is None else labels[:, 0], [n for n, _ in numbered]


def _read_checked(
    path: Path,
    text: str,
    delimiter: str,
    reporter: Reporter,
    has_header: bool,
    feature_columns: list[int],
    label_index: int | None,
    names: tuple[str, ...] | None,
) -> tuple[np.ndarray, np.ndarray | None, list[int]]:
    """Parse row by row with the csv module, naming the line and column of any problem."""
    cells_guess = text.count("\n") + 1
    cells_guess *= len(feature_columns) + (label_index is not None)
    check_allocation(cells_guess * CELL_BYTES, "parsing it cell by cell", path, DatasetError)
    rows = _rows(path, text, delimiter, reporter)
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
    # Python strings in an object array: a fixed-width string array would be as wide as the
    # longest cell in every cell.
    cells = np.empty((len(body), width), dtype=object)
    cells[:] = [r[1] for r in body]
    x = _numbers(cells[:, feature_columns], body, feature_columns, names, path)
    _check_finite(x, body, feature_columns, names, path)
    lines = [line for line, _ in body]
    return x, None if label_index is None else cells[:, label_index], lines


def _first_rows_text(text: str, count: int) -> str:
    """The text up to the end of its ``count``-th non-blank line (line numbers unchanged)."""
    kept: list[str] = []
    for line in text.splitlines(keepends=True):
        kept.append(line)
        count -= bool(line.strip())
        if count == 0:
            break
    return "".join(kept)


def _decode(data: bytes, path: Path, partial: bool = False) -> str:
    if b"\0" in data[:4096]:
        raise DatasetError(
            f"{path}: is a binary file in no format aeviewer knows, not a text table"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if partial and exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8-sig")  # a character cut at the end
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


def _rows(path: Path, text: str, delimiter: str, reporter: Reporter) -> list[Row]:
    rows: list[Row] = []
    if delimiter == " ":
        numbered = ((i + 1, line.split()) for i, line in enumerate(text.splitlines()))
    else:
        reader = csv.reader(
            io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True
        )
        numbered = ((reader.line_num, cells) for cells in reader)
    try:
        for line, cells in numbered:
            if not any(c.strip() for c in cells):
                continue
            rows.append((line, cells))
            if len(rows) % CANCEL_CHECK_EVERY == 0:
                reporter.check()
    except csv.Error as exc:
        line = reader.line_num
        message = str(exc)
        if "field larger than field limit" in message:
            raise DatasetError(
                f"{path}: line {line} holds a field longer than {csv.field_size_limit():,} "
                "characters (an unclosed quote?); refused"
            ) from None
        raise DatasetError(f"{path}: line {line} is not valid CSV ({message})") from None
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
                if not value.strip():
                    raise DatasetError(
                        f"{path}: line {line}, {_column_name(j, names)} holds an empty cell "
                        "where a number is expected"
                    )
                column = names[j] if names is not None else str(j)
                raise DatasetError(
                    f"{path}: line {line}, {_column_name(j, names)} holds text "
                    f"{value.strip()[:40]!r} where a number is expected (if the column holds "
                    f"class labels, make it the label column: --label-column {column}, or "
                    "Labels in the Data panel)"
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


def _labels(values: np.ndarray, lines: list[int], path: Path) -> tuple[np.ndarray, tuple[str, ...]]:
    stripped = [str(v).strip() for v in values]
    longest = max(range(len(stripped)), key=lambda i: len(stripped[i]))
    if len(stripped[longest]) > MAX_LABEL_CHARS:
        raise DatasetError(
            f"{path}: line {lines[longest]}: a label of {len(stripped[longest]):,} characters; "
            f"class names may have at most {MAX_LABEL_CHARS}"
        )
    try:
        numbers = np.array([float(v) for v in stripped], dtype=np.float64)
    except ValueError:
        return encode_labels(np.array(stripped, dtype=str), f"{path}: label column")
    return encode_labels(numbers, f"{path}: label column")
