"""NPY arrays and NPZ archives parsed without trusting them.

:func:`numpy.load` allocates the array an NPY header announces before it reads the data, so a
small file can ask for terabytes, and it returns a zip member that is not NPY data as raw
bytes. Here the header is read first, the shape and type are checked against the bytes that
follow and against the memory budget, objects are refused (nothing is unpickled), and only then
the array is taken from the bytes already in memory. An NPZ archive may hold ``.npy`` members
only, each read no further than the size it declares. Sessions use the same functions for
their snapshot arrays.
"""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import numpy as np

from aeviewer.errors import AeviewerError, DatasetError
from aeviewer.limits import format_bytes, read_zip_member

NPY_MAGIC = b"\x93NUMPY"
NPY_SUFFIX = ".npy"
#: The longest NPY header read (numpy's own default).
MAX_HEADER_BYTES = 10_000
#: The most members an NPZ archive may hold.
MAX_MEMBERS = 10_000


def parse_npy(
    data: bytes, where: str | Path, error: type[AeviewerError] = DatasetError
) -> np.ndarray:
    """The array NPY ``data`` holds, read-only and sharing ``data``'s memory.

    Raises
    ------
    AeviewerError
        Of class ``error``, naming ``where``: no NPY magic, a damaged header, Python objects,
        or a header that promises more (or fewer) bytes than follow it.
    """
    if not data.startswith(NPY_MAGIC):
        raise error(f"{where}: not NPY data (it does not start with the NPY magic)")
    handle = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            header = np.lib.format.read_array_header_1_0(handle, MAX_HEADER_BYTES)
        elif version in ((2, 0), (3, 0)):
            header = np.lib.format.read_array_header_2_0(handle, MAX_HEADER_BYTES)
        else:
            raise error(f"{where}: NPY format version {version} is not one aeviewer reads")
    except AeviewerError:
        raise
    except Exception:  # numpy parses the header text with ast and tokenize: anything goes
        raise error(f"{where}: damaged NPY header (its array description cannot be read)") from None
    shape, fortran_order, dtype = header
    if dtype.hasobject:
        raise error(
            f"{where}: holds Python objects, which are never unpickled; store plain numbers"
        )
    count = math.prod(shape)
    expected = count * dtype.itemsize
    offset = handle.tell()
    found = len(data) - offset
    if found < expected:
        raise error(
            f"{where}: truncated: the header announces shape {tuple(shape)} of {dtype} "
            f"({format_bytes(expected)}) but only {format_bytes(found)} follow it"
        )
    if found > expected:
        raise error(
            f"{where}: {found - expected} unexpected bytes after the {expected} data bytes "
            f"of shape {tuple(shape)}"
        )
    array = np.frombuffer(data, dtype, count=count, offset=offset)
    return array.reshape(shape, order="F" if fortran_order else "C")


class NpzArchive:
    """The ``.npy`` members of an NPZ archive in memory, loaded one at a time.

    Parameters
    ----------
    data
        The archive's bytes.
    where
        Names the archive in errors.
    error
        The class of the errors raised.
    """

    def __init__(
        self, data: bytes, where: str | Path, error: type[AeviewerError] = DatasetError
    ) -> None:
        self.where = where
        self.error = error
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise error(f"{where}: not a readable NPZ archive ({_short(exc)})") from None
        if len(infos) > MAX_MEMBERS:
            raise error(f"{where}: holds {len(infos)} members, more than the {MAX_MEMBERS} read")
        self._members: dict[str, str] = {}
        for info in infos:
            if info.is_dir():
                continue
            if not info.filename.endswith(NPY_SUFFIX):
                raise error(
                    f"{where}: member {info.filename!r} is not an NPY array "
                    "(an NPZ archive holds .npy files only)"
                )
            self._members[info.filename[: -len(NPY_SUFFIX)]] = info.filename

    @property
    def keys(self) -> list[str]:
        """The array names, without ``.npy``, in archive order."""
        return list(self._members)

    def load(self, key: str) -> np.ndarray:
        """The array ``key`` (read-only), checked as :func:`parse_npy` checks."""
        member = self._members[key]
        label = f"{self.where} [{key}]"
        raw = read_zip_member(self._zip, member, self.where, error=self.error)
        return parse_npy(raw, label, self.error)

    def load_all(self) -> dict[str, np.ndarray]:
        """Every array, by name."""
        return {key: self.load(key) for key in self._members}

    def close(self) -> None:
        """Release the archive."""
        self._zip.close()

    def __enter__(self) -> NpzArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] if text else type(exc).__name__
