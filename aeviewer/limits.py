"""Limits on what a file may ask for: a memory budget, bounded JSON and bounded zip members.

Every file aeviewer reads is hostile until checked. Sizes announced in headers or descriptions
are compared with :func:`memory_budget` before anything is allocated, JSON is checked for size
and nesting depth before it is parsed, and zip members are read no further than they claim.
Each refusal is an :class:`~aeviewer.errors.AeviewerError` (of the class the caller names) whose
message names the file and the problem.

This module sits at the bottom with :mod:`aeviewer.errors`: data, config, models and io all
use it, and it imports nothing of aeviewer but the errors.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

from aeviewer.errors import AeviewerError

#: Environment variable that sets the memory budget in bytes (suffixes K, M, G, T allowed).
MEMORY_BUDGET_ENV = "AEVIEWER_MEMORY_BUDGET"
#: The share of the memory available at the time of the check that one allocation may take.
BUDGET_FRACTION = 0.75
#: Assumed available memory where the system does not say (not Linux, no sysconf).
FALLBACK_AVAILABLE = 4 * 1024**3
#: The largest JSON file read (a model description, a config, a session's index).
MAX_JSON_BYTES = 16 * 1024 * 1024
#: The deepest nesting of arrays and objects accepted in a JSON file.
MAX_JSON_DEPTH = 64

_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$", re.IGNORECASE)
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKETS = re.compile(rb"[\[\]{}]")


def parse_size(text: str) -> int:
    """Bytes from ``"1048576"``, ``"512M"``, ``"2G"`` or ``"1.5GiB"``; raises ValueError."""
    match = _SIZE.match(text)
    if match is None:
        raise ValueError(f"not a size: {text!r}")
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def format_bytes(n: int) -> str:
    """``n`` bytes for people: ``"512 bytes"``, ``"1.5 MB"``, ``"8.0 GB"`` (powers of 1024)."""
    if n < 1024:
        return f"{n} bytes"
    value = float(n)
    for unit in ("KB", "MB", "GB", "TB", "PB"):
        value /= 1024
        if value < 1024 or unit == "PB":
            return f"{value:.1f} {unit}"
    return f"{n} bytes"  # pragma: no cover


def available_memory() -> int:
    """The memory the system can give this process now, in bytes (an estimate).

    Linux's ``MemAvailable`` (free memory plus what the page cache can give back), else the
    free physical pages from ``os.sysconf``, else :data:`FALLBACK_AVAILABLE`.
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return FALLBACK_AVAILABLE


def memory_budget() -> int:
    """The most bytes one allocation asked for by a file may take.

    :data:`MEMORY_BUDGET_ENV` overrides it (tests set a small one); otherwise it is
    :data:`BUDGET_FRACTION` of :func:`available_memory`.
    """
    override = os.environ.get(MEMORY_BUDGET_ENV, "").strip()
    if override:
        try:
            return parse_size(override)
        except ValueError:
            raise AeviewerError(
                f"{MEMORY_BUDGET_ENV}={override!r} is not a size; give bytes, e.g. 2G or 512M"
            ) from None
    return int(available_memory() * BUDGET_FRACTION)


def check_allocation(
    nbytes: int, what: str, where: str | os.PathLike[str], error: type[AeviewerError]
) -> None:
    """Raise ``error`` naming ``where`` when ``what`` would need more than the budget.

    Parameters
    ----------
    nbytes
        The bytes the allocation would take (a Python int: it may exceed any machine's size).
    what
        What would be allocated, e.g. ``"its samples"``; the message reads
        ``"<where>: <what> would need 12.0 GB of memory ..."``.
    where
        The file (or member) that asks for it.
    error
        The class of the error raised.
    """
    budget = memory_budget()
    if nbytes > budget:
        raise error(
            f"{where}: {what} would need {format_bytes(nbytes)} of memory, more than the "
            f"{format_bytes(budget)} this machine can spare ({MEMORY_BUDGET_ENV} sets the limit)"
        )


def json_depth(data: bytes, stop_after: int | None = None) -> int:
    """The deepest nesting of arrays and objects in JSON ``data``, strings skipped.

    Counting stops once the depth exceeds ``stop_after``, so hostile input costs little.
    """
    depth = deepest = 0
    for match in _JSON_BRACKETS.finditer(_JSON_STRING.sub(b'""', data)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
            if stop_after is not None and deepest > stop_after:
                break
        else:
            depth -= 1
    return deepest


def parse_json_limited(
    data: bytes | str,
    where: str | os.PathLike[str],
    *,
    what: str = "JSON file",
    error: type[AeviewerError] = AeviewerError,
    max_bytes: int = MAX_JSON_BYTES,
    max_depth: int = MAX_JSON_DEPTH,
) -> Any:
    """Parse JSON ``data`` after checking its size and nesting depth.

    Raises
    ------
    AeviewerError
        Of class ``error``, naming ``where``: too large, nested too deeply, not UTF-8, or not
        valid JSON (with the line and column).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > max_bytes:
        raise error(
            f"{where}: a {what} of {format_bytes(len(raw))} is too large "
            f"(at most {format_bytes(max_bytes)}); refused"
        )
    if json_depth(raw, stop_after=max_depth) > max_depth:
        raise error(f"{where}: the {what} nests deeper than {max_depth} levels; refused")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{where}: the {what} is not UTF-8 text (at byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(
            f"{where}: not a readable {what}: invalid JSON at line {exc.lineno} column "
            f"{exc.colno} ({exc.msg})"
        ) from None
    except (ValueError, RecursionError) as exc:
        # Numbers of thousands of digits, and anything else the parser refuses.
        raise error(f"{where}: the {what} holds a value JSON cannot represent ({exc})") from None


def read_json_limited(
    path: str | os.PathLike[str],
    *,
    what: str = "JSON file",
    error: type[AeviewerError] = AeviewerError,
    max_bytes: int = MAX_JSON_BYTES,
    max_depth: int = MAX_JSON_DEPTH,
) -> Any:
    """Read and parse the JSON file ``path`` with :func:`parse_json_limited`'s checks.

    The file's size is checked before it is read.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise error(
                f"{path}: a {what} of {format_bytes(size)} is too large "
                f"(at most {format_bytes(max_bytes)}); refused"
            )
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise error(f"{path}: is a folder, expected a {what}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    return parse_json_limited(
        raw, path, what=what, error=error, max_bytes=max_bytes, max_depth=max_depth
    )


def read_zip_member(
    archive: zipfile.ZipFile,
    name: str,
    where: str | os.PathLike[str],
    *,
    error: type[AeviewerError] = AeviewerError,
    max_bytes: int | None = None,
) -> bytes:
    """The bytes of member ``name``, refused before reading when it claims too much.

    The size the member declares is checked against ``max_bytes`` (the memory budget when
    None); :mod:`zipfile` then stops at the declared size and checks the CRC, so a member that
    lies about its size fails instead of inflating.

    Raises
    ------
    KeyError
        When the archive has no member ``name``.
    AeviewerError
        Of class ``error``: too large, encrypted, compressed in an unknown way, or damaged.
    """
    info = archive.getinfo(name)
    label = f"{where} [{name}]"
    if info.is_dir():
        raise error(f"{label}: is a folder in the archive, not a file")
    if max_bytes is not None and info.file_size > max_bytes:
        raise error(
            f"{label}: {format_bytes(info.file_size)} unpacked is more than the "
            f"{format_bytes(max_bytes)} allowed; refused"
        )
    check_allocation(info.file_size, "unpacking it", label, error)
    try:
        with archive.open(info) as member:
            return member.read()
    except RuntimeError:
        raise error(f"{label}: is encrypted; aeviewer reads only plain archives") from None
    except NotImplementedError:
        raise error(f"{label}: uses a compression aeviewer cannot unpack") from None
    except (OSError, EOFError, zipfile.BadZipFile, ValueError, zlib.error) as exc:
        raise error(f"{label}: damaged ({exc})") from None
