"""Loading a data set into memory or streaming it from its file, chosen by size or forced.

``.npy`` files of float32, uncompressed IDX files (or a folder read from one) and image
folders can be streamed; with ``storage="auto"`` they are when their samples as float32 exceed
:data:`~aeviewer.data.mapped.STREAM_ABOVE_BYTES` (1 GiB). ``"streamed"`` asks for it, and is
refused in one line for data that cannot be read lazily (a gzipped IDX file, a table, ...).
"""

from __future__ import annotations

from pathlib import Path

from aeviewer.config import DataSpec
from aeviewer.data.dataset import Dataset
from aeviewer.data.mapped import STREAM_ABOVE_BYTES, map_npy, npy_data_bytes
from aeviewer.data.readers import detect_format, folder_idx_file
from aeviewer.data.readers.idx_mapped import idx_float_bytes, is_gzipped, map_idx
from aeviewer.data.readers.image_folder import holds_images
from aeviewer.data.readers.image_rows import first_image_bytes, map_image_folder
from aeviewer.errors import DatasetError


def streamed_dataset(spec: DataSpec) -> Dataset | None:
    """``spec.source`` mapped for streaming, or None when it is to be loaded into memory.

    Raises
    ------
    DatasetError
        When streaming is forced for data that cannot be streamed, or for a damaged file.
    """
    if spec.storage == "memory":
        return None
    forced = spec.storage == "streamed"
    path = Path(spec.source)
    if path.is_file() and path.suffix.lower() == ".npy":
        if not forced and npy_data_bytes(path) <= STREAM_ABOVE_BYTES:
            return None
        x, shape = map_npy(path)
        return Dataset(x=x, sample_shape=shape, name=path.stem, source=spec.source)
    idx_file = _idx_file(path)
    if idx_file is not None and not is_gzipped(idx_file):
        if not forced and idx_float_bytes(idx_file) <= STREAM_ABOVE_BYTES:
            return None
        name = path.name if path.is_dir() else None
        keep = spec.label_column is not None
        return map_idx(idx_file, name=name, source=spec.source, labels=keep)
    if idx_file is None and path.is_dir() and holds_images(path):
        if not forced and first_image_bytes(path) <= STREAM_ABOVE_BYTES:
            return None
        keep = spec.label_column is not None
        return map_image_folder(path, source=spec.source, labels=keep)
    if not forced:
        return None
    if idx_file is not None:
        raise DatasetError(
            f"{idx_file}: a gzipped IDX file cannot be streamed (it cannot be read lazily); "
            "gunzip it to stream it, or load it into memory (--data-in-memory)"
        )
    raise DatasetError(
        f"{spec.source}: only float32 .npy files, uncompressed IDX files and image folders are "
        "streamed (--data-streamed); load these data into memory (--data-in-memory)"
    )


def _idx_file(path: Path) -> Path | None:
    """The IDX file ``path`` is read from (itself, or the one in a folder), if any."""
    if path.is_dir():
        return folder_idx_file(path)
    if path.is_file() and detect_format(path) == "idx":
        return path
    return None
