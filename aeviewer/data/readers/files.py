"""Reading a user's file into memory, transparently gunzipping, and naming it in errors."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from aeviewer.errors import DatasetError

GZIP_MAGIC = b"\x1f\x8b"


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is gzip-compressed; never modifies the file."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise DatasetError(f"{path}: is a folder, expected a file") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not data:
        raise DatasetError(f"{path}: the file is empty")
    if data.startswith(GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise DatasetError(f"{path}: corrupt or truncated gzip data ({exc})") from None
        if not data:
            raise DatasetError(f"{path}: the compressed file is empty")
    return data


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
