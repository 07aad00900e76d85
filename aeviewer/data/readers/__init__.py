"""Readers for the user's own files, chosen by extension and by content."""

from __future__ import annotations

from pathlib import Path

from aeviewer.config import LABELS_AUTO
from aeviewer.data.dataset import Dataset
from aeviewer.data.progress import Reporter
from aeviewer.data.readers.files import read_head
from aeviewer.data.readers.idx import is_idx_images, looks_like_idx, read_idx
from aeviewer.data.readers.image_folder import IMAGE_EXTENSIONS, holds_images, read_image_folder
from aeviewer.data.readers.numpy_files import NPY_MAGIC, ZIP_MAGIC, read_npy, read_npz
from aeviewer.data.readers.table import read_table
from aeviewer.errors import DatasetError

TABLE_EXTENSIONS = (".csv", ".tsv", ".txt", ".dat")
IMAGE_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")

__all__ = ["detect_format", "folder_idx_file", "read_path"]


def detect_format(path: Path) -> str:
    """``"table"``, ``"npy"``, ``"npz"`` or ``"idx"`` for a data file, by extension then content."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(TABLE_EXTENSIONS):
        return "table"
    if name.endswith(".npy"):
        return "npy"
    if name.endswith(".npz"):
        return "npz"
    head = read_head(path, 16)
    if not head:
        raise DatasetError(f"{path}: the file is empty")
    if head.startswith(NPY_MAGIC):
        return "npy"
    if head.startswith(ZIP_MAGIC):
        return "npz"
    if looks_like_idx(head) or "idx" in name or name.endswith("ubyte"):
        return "idx"
    if head.startswith(IMAGE_MAGICS) or path.suffix.lower() in IMAGE_EXTENSIONS:
        raise DatasetError(
            f"{path}: is a single image; open the folder that holds the images instead"
        )
    return "table"


def read_path(
    path: Path,
    *,
    reporter: Reporter,
    label_column: str | int | None = LABELS_AUTO,
    source: str | None = None,
) -> Dataset:
    """Load a file or folder; every problem becomes a :class:`DatasetError` naming it."""
    if not path.exists():
        raise DatasetError(f"{path}: no such file or folder")
    if path.is_dir():
        _no_label_column(path, label_column, "a folder")
        return _read_folder(path, reporter, source)
    kind = detect_format(path)
    if kind == "table":
        return read_table(path, reporter=reporter, label_column=label_column, source=source)
    _no_label_column(path, label_column, f"an {kind.upper()} file")
    if kind == "npy":
        return read_npy(path, reporter=reporter, source=source)
    if kind == "npz":
        return read_npz(path, reporter=reporter, source=source)
    return read_idx(path, reporter=reporter, source=source)


def folder_idx_file(path: Path) -> Path | None:
    """The IDX image file a folder is read from (the ``train`` one of several), if any."""
    try:
        files = sorted(p for p in path.iterdir() if p.is_file())
    except OSError as exc:
        raise DatasetError(f"{path}: cannot list the folder: {exc.strerror or exc}") from None
    candidates = [p for p in files if p.suffix.lower() not in IMAGE_EXTENSIONS]
    idx_files = [p for p in candidates if is_idx_images(p)]
    if len(idx_files) > 1:
        train = [p for p in idx_files if p.name.lower().startswith("train")]
        if len(train) != 1:
            raise DatasetError(
                f"{path}: holds several IDX image files ({', '.join(p.name for p in idx_files)}); "
                "open one of them"
            )
        idx_files = train
    return idx_files[0] if idx_files else None


def _read_folder(path: Path, reporter: Reporter, source: str | None) -> Dataset:
    idx_file = folder_idx_file(path)
    if idx_file is not None:
        return read_idx(idx_file, reporter=reporter, name=path.name, source=source or str(path))
    if holds_images(path):
        return read_image_folder(path, reporter=reporter, source=source)
    raise DatasetError(
        f"{path}: holds neither an IDX image file nor image files (directly or in class folders)"
    )


def _no_label_column(path: Path, label_column: str | int | None, what: str) -> None:
    auto = isinstance(label_column, str) and label_column.strip().lower() == LABELS_AUTO
    if label_column is not None and not auto:
        raise DatasetError(
            f"{path}: a label column applies to CSV/TSV tables only, and this is {what}"
        )
