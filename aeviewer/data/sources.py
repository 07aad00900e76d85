"""One entry point for every kind of data source: built-ins, the user's files, downloads."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl

from aeviewer.config import LABELS_AUTO
from aeviewer.data.builtins import DEFAULT_BUILTIN, PREFIX, is_builtin_source, load_builtin
from aeviewer.data.dataset import Dataset
from aeviewer.data.downloads import DOWNLOADS, load_download
from aeviewer.data.progress import CancelCallback, ProgressCallback, Reporter
from aeviewer.errors import DatasetError

DEFAULT_SOURCE = f"{PREFIX}{DEFAULT_BUILTIN}"


def load_source(
    source: str,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
    label_column: str | int | None = LABELS_AUTO,
) -> Dataset:
    """Load ``source`` as a :class:`Dataset`.

    Parameters
    ----------
    source
        ``builtin:NAME`` (optionally ``?n=N&seed=S``), a file or folder path, or the name of a
        download (``mnist``, ``fashion-mnist``, ``kmnist``, optionally ``?split=test``). An
        existing path wins over a download of the same name.
    progress
        Called with ``(done, total)`` while loading (rows, images or bytes).
    cancel
        Polled while loading; returning True raises
        :class:`~aeviewer.data.progress.LoadCancelled`.
    label_column
        Where the class labels are: ``"auto"`` (a table's column named ``label``, ``class``,
        ``target`` or ``y``, any case; the labels other formats carry), a table's column by
        name or 0-based index, or None for no labels at all, from any source.
    """
    text = (source or "").strip()
    if not text:
        raise DatasetError("no data source given")
    reporter = Reporter(progress, cancel, text)
    if is_builtin_source(text):
        _no_label_column(text, label_column)
        reporter.report(0, 1)
        dataset = load_builtin(text)
        reporter.report(1, 1)
        return _without_labels(dataset) if label_column is None else dataset
    path = Path(text).expanduser()
    download_name, _, query = text.partition("?")
    if not path.exists() and download_name.lower() in DOWNLOADS:
        _no_label_column(text, label_column)
        split = _split(text, query)
        dataset = load_download(
            download_name.lower(), split, progress=progress, cancel=cancel, source=text
        )
        return _without_labels(dataset) if label_column is None else dataset
    from aeviewer.data.readers import read_path

    dataset = read_path(path, reporter=reporter, label_column=label_column, source=text)
    return _without_labels(dataset) if label_column is None else dataset


def is_auto(label_column: str | int | None) -> bool:
    """True for the label choice ``"auto"`` (any case)."""
    return isinstance(label_column, str) and label_column.strip().lower() == LABELS_AUTO


def _without_labels(dataset: Dataset) -> Dataset:
    return replace(dataset, labels=None, class_names=None)


def _split(source: str, query: str) -> str:
    options = dict(parse_qsl(query, keep_blank_values=True))
    unknown = set(options) - {"split"}
    if unknown:
        raise DatasetError(
            f"{source}: unknown option {sorted(unknown)[0]!r}; a download takes split"
        )
    split = options.get("split", "train")
    if split not in ("train", "test"):
        raise DatasetError(f"{source}: split must be train or test, got {split!r}")
    return split


def _no_label_column(source: str, label_column: str | int | None) -> None:
    if label_column is not None and not is_auto(label_column):
        raise DatasetError(f"{source}: a label column applies to CSV/TSV tables only")
