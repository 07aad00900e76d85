"""An image folder read lazily, for data larger than memory: each batch decodes its images.

Opening the folder reads every image's header only (its size and whether it has colour); the
pixels are decoded when a batch asks for them, with the preprocessing of
:func:`~aeviewer.data.readers.image_folder.read_image_folder`: 8-bit pixels scaled to [0, 1],
grayscale images repeated into three channels when any image has colour, channels first.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from aeviewer.data.dataset import Dataset, Normalization
from aeviewer.data.lazy_rows import LazyRows
from aeviewer.data.readers.arrays import BYTE_RANGE
from aeviewer.data.readers.image_folder import folder_listing, image_header, read_image
from aeviewer.errors import DatasetError


class ImageRows(LazyRows):
    """The images ``files`` of ``folder``, all ``size`` (W, H), decoded as float32 rows."""

    unit_interval = True

    def __init__(self, folder: Path, files: list[Path], size: tuple[int, int], colour: bool):
        self.folder = folder
        self.files = files
        self.size = size
        self.colour = colour
        self.channels = 3 if colour else 1

    @property
    def shape(self) -> tuple[int, int]:
        """``(N, C * H * W)``."""
        return (len(self.files), self.channels * self.size[0] * self.size[1])

    def read(self, rows: np.ndarray) -> np.ndarray:
        """The images ``rows`` decoded, ``(len(rows), D)`` float32, in the order given."""
        out = np.empty((len(rows), self.shape[1]), np.float32)
        for i, row in enumerate(np.asarray(rows).tolist()):
            out[i] = self._decode(self.files[row])
        return out

    def _decode(self, file: Path) -> np.ndarray:
        name = file.relative_to(self.folder).as_posix()
        label = f"{self.folder}: image {name}"
        pixels = read_image(file, label, self.size)
        if pixels.ndim == 3 and not self.colour:
            raise DatasetError(f"{label} has colour now, unlike when the folder was opened")
        if self.colour:
            if pixels.ndim == 2:
                pixels = np.repeat(pixels[:, :, None], 3, axis=2)
            pixels = np.moveaxis(pixels, -1, 0)
        # As Normalization("minmax", 0, 255).apply does for the images in memory.
        return ((pixels - np.float32(0.0)) / np.float32(BYTE_RANGE)).astype(np.float32).ravel()


def first_image_bytes(path: Path) -> int:
    """The folder's images as float32, estimated from its first image (0 when unreadable)."""
    try:
        files, _ = folder_listing(path)
        (width, height), colour = image_header(files[0][0], str(files[0][0]))
    except DatasetError:
        return 0
    return len(files) * width * height * (3 if colour else 1) * 4


def map_image_folder(path: Path, *, source: str | None = None, labels: bool = True) -> Dataset:
    """The images below ``path`` read lazily, sub-folder names as class labels (unless
    ``labels`` is False); every header is read and checked first.

    Raises
    ------
    DatasetError
        For a folder without images, an image that is not one, or images of different sizes.
    """
    files, class_names = folder_listing(path)
    first: tuple[str, tuple[int, int]] | None = None
    colour = False
    for file, _ in files:
        name = file.relative_to(path).as_posix()
        size, has_colour = image_header(file, f"{path}: image {name}")
        colour = colour or has_colour
        if first is None:
            first = (name, size)
        elif size != first[1]:
            raise DatasetError(
                f"{path}: image {name} is {size[0]}x{size[1]} but {first[0]} is "
                f"{first[1][0]}x{first[1][1]}; every image must have the same size"
            )
    assert first is not None
    width, height = first[1]
    keep = labels and class_names is not None
    return Dataset(
        x=ImageRows(path, [f for f, _ in files], (width, height), colour),
        sample_shape=(3 if colour else 1, height, width),
        name=path.name,
        source=source or str(path),
        labels=np.array([label for _, label in files], np.int64) if keep else None,
        class_names=class_names if keep else None,
        normalization=Normalization("minmax", np.float32(0.0), np.float32(BYTE_RANGE)),
    )
