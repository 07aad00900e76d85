"""Reading a user's file into memory, transparently gunzipping, and naming it in errors."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

from aeviewer.errors import DatasetError
from aeviewer.limits import MEMORY_BUDGET_ENV, check_allocation, format_bytes, memory_budget

GZIP_MAGIC = b"\x1f\x8b"


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is gzip-compressed; never modifies the file.

    The file's size, and what a gzip file unpacks to, are held to the memory budget
    (:func:`aeviewer.limits.memory_budget`) before more is read.
    """
    try:
        size = path.stat().st_size
        check_allocation(size, "reading the file", path, DatasetError)
        data = path.read_bytes()
    except IsADirectoryError:
        raise DatasetError(f"{path}: is a folder, expected a file") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not data:
        raise DatasetError(f"{path}: the file is empty")
    if data.startswith(GZIP_MAGIC):
        data = _gunzip(data, path)
        if not data:
            raise DatasetError(f"{path}: the compressed file is empty")
    return data


def _gunzip(data: bytes, path: Path) -> bytes:
    """Unpack gzip ``data`` no further than the memory budget (a gzip bomb stops there)."""
    budget = memory_budget()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
            out = unzipped.read(budget + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DatasetError(f"{path}: corrupt or truncated gzip data ({exc})") from None
    if len(out) > budget:
        raise DatasetError(
            f"{path}: unpacks to more than {format_bytes(budget)}, more than this machine can "
            f"spare ({MEMORY_BUDGET_ENV} sets the limit); refused"
        )
    return out


def read_head(path: Path, size: int = 64) -> bytes:
    """The first ``size`` bytes of the file, of its gunzipped content for gzip files."""
    try:
        with path.open("rb") as handle:
            head = handle.read(size)
            if head.startswith(GZIP_MAGIC):
                handle.seek(0)
                with gzip.GzipFile(fileobj=handle) as unzipped:
                    return unzipped.read(size)
            return head
    except (OSError, EOFError, zlib.error) as exc:
        raise DatasetError(
            f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}"
        ) from None


def stem(path: Path) -> str:
    """The file name without ``.gz`` and without its data extension."""
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return Path(name).stem if "." in name else name
