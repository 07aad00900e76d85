"""A folder of image files (PNG, JPEG, ...), read with Pillow.

Images directly in the folder are unlabelled; images in sub-folders take the sub-folder's name as
their class. Grayscale images stay one channel; if any image has colour, all become RGB.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from aeviewer.data.dataset import Dataset
from aeviewer.data.progress import Reporter
from aeviewer.data.readers.arrays import FLOAT_BYTES, build_dataset
from aeviewer.errors import DatasetError
from aeviewer.limits import check_allocation

if TYPE_CHECKING:
    from PIL.Image import Image as PillowImage

IMAGE_EXTENSIONS: frozenset[str] = frozenset(
    {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}
)
#: The Pillow formats tried, matching :data:`IMAGE_EXTENSIONS`.
PILLOW_FORMATS: tuple[str, ...] = ("PNG", "JPEG", "BMP", "GIF", "TIFF", "WEBP")
GRAY_MODES = frozenset({"1", "L", "LA", "I", "F", "I;16", "I;16B", "I;16L"})
SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16B", "I;16L"})
SIXTEEN_TO_EIGHT_BITS = 257


def image_files(folder: Path) -> list[Path]:
    """The image files directly inside ``folder``, sorted by name."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS
    )


def class_folders(folder: Path) -> list[Path]:
    """The sub-folders of ``folder`` that hold images, sorted by name."""
    return sorted(p for p in folder.iterdir() if p.is_dir() and image_files(p))


def holds_images(folder: Path) -> bool:
    """True when ``folder`` or one of its sub-folders holds image files."""
    return bool(image_files(folder) or class_folders(folder))


def folder_listing(path: Path) -> tuple[list[tuple[Path, int]], tuple[str, ...] | None]:
    """The image files below ``path`` with their labels, and the class names (None when the
    images lie directly in the folder); raises for a folder without images or mixing both."""
    top, classes = image_files(path), class_folders(path)
    if top and classes:
        raise DatasetError(
            f"{path}: holds images both at its top level ({top[0].name}) and in class "
            f"sub-folders ({classes[0].name}/); put every image in a class folder or none"
        )
    if classes:
        files = [(f, label) for label, c in enumerate(classes) for f in image_files(c)]
        class_names: tuple[str, ...] | None = tuple(c.name for c in classes)
    else:
        files = [(f, 0) for f in top]
        class_names = None
    if not files:
        raise DatasetError(f"{path}: holds no image files ({', '.join(sorted(IMAGE_EXTENSIONS))})")
    return files, class_names


def read_image_folder(path: Path, *, reporter: Reporter, source: str | None = None) -> Dataset:
    """Load every image below ``path``; sub-folder names become class labels."""
    files, class_names = folder_listing(path)
    pixels: list[np.ndarray] = []
    first: tuple[str, tuple[int, int]] | None = None
    for i, (file, _) in enumerate(files):
        reporter.report(i, len(files))
        name = file.relative_to(path).as_posix()
        array = read_image(file, f"{path}: image {name}")
        size = (array.shape[1], array.shape[0])
        if first is None:
            first = (name, size)
            # Every image has this size, or the load stops: the whole set's memory is known.
            per_image = array.size * (1 + FLOAT_BYTES) * (1 if array.ndim == 3 else 3)
            check_allocation(per_image * len(files), f"its {len(files)} images", path, DatasetError)
        elif size != first[1]:
            raise DatasetError(
                f"{path}: image {name} is {size[0]}x{size[1]} but {first[0]} is "
                f"{first[1][0]}x{first[1][1]}; every image must have the same size"
            )
        pixels.append(array)
    reporter.report(len(files), len(files))

    if any(p.ndim == 3 for p in pixels):
        pixels = [p if p.ndim == 3 else np.repeat(p[:, :, None], 3, axis=2) for p in pixels]
        images = np.moveaxis(np.stack(pixels), -1, 1)
    else:
        images = np.stack(pixels)[:, None, :, :]
    labels = np.array([label for _, label in files], np.int64) if class_names else None
    return build_dataset(
        images,
        where=str(path),
        name=path.name,
        source=source or str(path),
        image=True,
        labels=labels,
        class_names=class_names,
    )


def read_image(file: Path, label: str, size: tuple[int, int] | None = None) -> np.ndarray:
    """The pixels of one image file, refusing decompression bombs and files not images.

    Only the formats in :data:`PILLOW_FORMATS` are tried, so no file is handed to a plugin that
    runs an external program (Pillow's EPS plugin calls Ghostscript). With ``size`` (W, H) an
    image of another size is refused before it is decoded, in place of the memory check.
    """
    from PIL import Image

    with _reading(label), Image.open(file, formats=PILLOW_FORMATS) as image:
        if size is None:
            pixels = image.width * image.height * 4
            check_allocation(pixels, "the image's pixels", label, DatasetError)
        elif image.size != size:
            width, height = image.size
            raise DatasetError(f"{label} is now {width}x{height}, not {size[0]}x{size[1]}")
        image.load()
        colour = image.mode not in GRAY_MODES
        return _pixels(image, colour)


def image_header(file: Path, label: str) -> tuple[tuple[int, int], bool]:
    """The size ``(W, H)`` of one image file and whether it has colour, from its header alone."""
    from PIL import Image

    with _reading(label), Image.open(file, formats=PILLOW_FORMATS) as image:
        return image.size, image.mode not in GRAY_MODES


def _refuse_decompression_bombs() -> None:
    """Make Pillow's warning of a decompression bomb an error in this process.

    ``warnings.catch_warnings`` around each read would swap the process's filters and put them
    back, which is not safe while another thread reads images (a streamed folder's batches are
    read ahead). The filter is put first before every read instead: adding it again only moves
    it to the front, and it is there even after someone else restored older filters."""
    from PIL import Image

    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


@contextmanager
def _reading(label: str) -> Iterator[None]:
    """Turn what reading an image can raise into one DatasetError naming it (``label``)."""
    from PIL import Image, UnidentifiedImageError

    _refuse_decompression_bombs()
    try:
        yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        limit = Image.MAX_IMAGE_PIXELS or 0
        raise DatasetError(
            f"{label} cannot be read: it has more than {limit:,} pixels, Pillow's limit "
            "against decompression bombs"
        ) from None
    except UnidentifiedImageError:
        raise DatasetError(
            f"{label} cannot be read: it is not an image in a format aeviewer reads "
            f"({', '.join(PILLOW_FORMATS)}), whatever its name says"
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise DatasetError(f"{label} cannot be read: damaged or truncated ({detail})") from None


def _pixels(image: PillowImage, colour: bool) -> np.ndarray:
    """8-bit pixels, ``(H, W)`` for grayscale or ``(H, W, 3)`` for colour."""
    if image.mode in SIXTEEN_BIT_MODES:
        # Pillow's own conversion to "L" clips 16-bit values at 255; rescale instead.
        wide = np.asarray(image, np.uint32)
        return ((wide + SIXTEEN_TO_EIGHT_BITS // 2) // SIXTEEN_TO_EIGHT_BITS).astype(np.uint8)
    return np.asarray(image.convert("RGB" if colour else "L"))
