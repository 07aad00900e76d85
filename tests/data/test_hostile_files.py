"""Hostile data files: each is refused with one message naming the file and the problem.

Every case is checked twice: in process (the error is a :class:`DatasetError`, whose message
names the file and what is wrong) and through ``aeviewer inspect FILE`` (exit status 2, exactly
one line on stderr, no traceback). Sizes a file announces are held to a small memory budget
(``AEVIEWER_MEMORY_BUDGET``) so that the refusals happen without a large machine.
"""

from __future__ import annotations

import gzip
import io
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from idx_files import idx_bytes
from PIL import Image

from aeviewer.data import load_source
from aeviewer.errors import AeviewerError, DatasetError
from aeviewer.limits import MEMORY_BUDGET_ENV

REPO = Path(__file__).resolve().parents[2]
#: The budget of these tests: 1 MB, far below what any of the hostile files asks for.
BUDGET = str(1024 * 1024)


@dataclass(frozen=True)
class Case:
    """A hostile file: how to make it, and what its refusal must say."""

    id: str
    make: Callable[[Path], Path]
    message: str


def npy_bytes(header: dict, payload: bytes = b"") -> bytes:
    """An NPY 1.0 file with a hand-written header (which may lie about the payload)."""
    text = repr(header).encode("latin1")
    text += b" " * ((64 - (10 + len(text) + 1) % 64) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + payload


def npz_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def png_bytes(width: int, height: int) -> bytes:
    """A PNG whose header announces ``width`` x ``height`` grey pixels (its data are few)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def idx_promising_more(tmp: Path) -> Path:
    header = bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in (10**6, 28, 28))
    return write(tmp / "images-idx3-ubyte", header + bytes(100))


def idx_gzip_bomb(tmp: Path) -> Path:
    payload = idx_bytes(np.zeros((4000, 28, 28), np.uint8))  # 3 MB that pack into a few KB
    return write(tmp / "bomb-idx3-ubyte.gz", gzip.compress(payload))


def npy_promising_more(tmp: Path) -> Path:
    header = {"descr": "<f8", "fortran_order": False, "shape": (10**12,)}
    return write(tmp / "huge.npy", npy_bytes(header, bytes(80)))


def npy_of_objects(tmp: Path) -> Path:
    header = {"descr": "|O", "fortran_order": False, "shape": (2,)}
    return write(tmp / "objects.npy", npy_bytes(header, b"\x80\x04N." * 4))


def npy_damaged_header(tmp: Path) -> Path:
    return write(tmp / "damaged.npy", b"\x93NUMPY\x01\x00\x10\x00{'descr': os.sy\n")


def npz_member_not_npy(tmp: Path) -> Path:
    return npz_of(tmp / "readme.npz", {"x.npy": npy_file(np.ones((3, 2))), "notes.txt": b"hi"})


def npz_member_lying_name(tmp: Path) -> Path:
    return npz_of(tmp / "liar.npz", {"x.npy": b"#!/bin/sh\nrm -rf /\n"})


def npz_member_lying_shape(tmp: Path) -> Path:
    header = {"descr": "<f4", "fortran_order": False, "shape": (10**9, 784)}
    return npz_of(tmp / "shape.npz", {"x.npy": npy_bytes(header, bytes(64))})


def npz_zip_bomb(tmp: Path) -> Path:
    return npz_of(tmp / "bomb.npz", {"x.npy": npy_file(np.zeros((1000, 1000)))})  # 8 MB of zeros


def npz_not_a_zip(tmp: Path) -> Path:
    return write(tmp / "broken.npz", b"PK\x03\x04" + bytes(40))


def csv_huge_field(tmp: Path) -> Path:
    return write(tmp / "field.csv", b'a,b\n1,"' + b"9" * 200_000 + b'"\n')


def csv_huge_label(tmp: Path) -> Path:
    return write(tmp / "label.csv", b"a,label\n1,cat\n2," + b"x" * 300 + b"\n")


def csv_too_many_values(tmp: Path) -> Path:
    row = ",".join(["1"] * 400) + "\n"
    return write(tmp / "wide.csv", (row * 400).encode())  # 160,000 values: 1.8 MB as numbers


def file_larger_than_budget(tmp: Path) -> Path:
    return write(tmp / "large.csv", b"1,2\n" * 300_000)


def png_bomb(tmp: Path) -> Path:
    return write(tmp / "bomb" / "a.png", png_bytes(30_000, 30_000)).parent


def png_over_pillow_warning_limit(tmp: Path) -> Path:
    return write(tmp / "big" / "a.png", png_bytes(10_000, 10_000)).parent


def text_named_png(tmp: Path) -> Path:
    return write(tmp / "text" / "a.png", b"these are not the pixels you are looking for\n").parent


def eps_named_png(tmp: Path) -> Path:
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n(pwned) print\n%%EOF\n"
    return write(tmp / "eps" / "a.png", eps).parent


def truncated_png(tmp: Path) -> Path:
    buffer = io.BytesIO()
    Image.fromarray(np.arange(64 * 64, dtype=np.uint8).reshape(64, 64)).save(buffer, "PNG")
    return write(tmp / "cut" / "a.png", buffer.getvalue()[:-40]).parent


def too_many_images(tmp: Path) -> Path:
    folder = tmp / "many"
    folder.mkdir()
    image = Image.fromarray(np.zeros((64, 64), np.uint8))
    for i in range(60):  # 60 images of 64x64: 1.2 MB as RGB floats, over the budget
        image.save(folder / f"{i:02d}.png")
    return folder


def npy_file(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


CASES = [
    Case("idx-promises-more", idx_promising_more, r"truncated: the header announces shape"),
    Case("idx-gzip-bomb", idx_gzip_bomb, r"unpacks to more than 1\.0 MB"),
    Case("npy-promises-more", npy_promising_more, r"the header announces shape \(1000000000000,\)"),
    Case("npy-objects", npy_of_objects, r"holds Python objects, which are never unpickled"),
    Case("npy-damaged-header", npy_damaged_header, r"damaged NPY header"),
    Case("npz-member-not-npy", npz_member_not_npy, r"member 'notes\.txt' is not an NPY array"),
    Case("npz-member-not-npy-data", npz_member_lying_name, r"\[x\]: not NPY data"),
    Case("npz-member-lies-about-shape", npz_member_lying_shape, r"\[x\]: truncated: the header"),
    Case("npz-zip-bomb", npz_zip_bomb, r"\[x\.npy\]: unpacking it would need 7\.6 MB of memory"),
    Case("npz-not-a-zip", npz_not_a_zip, r"not a readable NPZ archive"),
    Case("csv-huge-field", csv_huge_field, r"line 2 holds a field longer than 131,072 characters"),
    Case("csv-huge-label", csv_huge_label, r"line 3: a label of 300 characters"),
    Case("csv-too-many-values", csv_too_many_values, r"its 400 x 400 values would need"),
    Case("file-over-budget", file_larger_than_budget, r"reading the file would need 1\.1 MB"),
    Case("png-bomb", png_bomb, r"image a\.png cannot be read: it has more than [\d,]+ pixels"),
    Case("png-over-warning", png_over_pillow_warning_limit, r"decompression bombs"),
    Case("text-named-png", text_named_png, r"image a\.png cannot be read: it is not an image"),
    Case("eps-named-png", eps_named_png, r"image a\.png cannot be read: it is not an image"),
    Case("truncated-png", truncated_png, r"image a\.png cannot be read: damaged or truncated"),
    Case("too-many-images", too_many_images, r"its 60 images would need"),
]


@pytest.fixture(autouse=True)
def small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MEMORY_BUDGET_ENV, BUDGET)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_hostile_file_is_refused_naming_file_and_problem(case: Case, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    with pytest.raises(DatasetError, match=case.message) as info:
        load_source(str(path))
    assert isinstance(info.value, AeviewerError)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_inspect_refuses_it_with_one_line_and_status_2(case: Case, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "aeviewer", "inspect", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, MEMORY_BUDGET_ENV: BUDGET},
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("aeviewer: error: ") and str(path) in lines[0]
    assert "Traceback" not in result.stderr and not result.stdout


def test_nothing_in_an_eps_file_named_png_runs(tmp_path: Path, monkeypatch) -> None:
    import subprocess as sp

    def refuse(*args, **kwargs):
        raise AssertionError(f"a subprocess was started: {args}")

    monkeypatch.setattr(sp, "Popen", refuse)
    with pytest.raises(DatasetError, match="not an image"):
        load_source(str(eps_named_png(tmp_path)))


def test_a_budget_that_is_not_a_size_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MEMORY_BUDGET_ENV, "lots")
    with pytest.raises(AeviewerError, match=f"{MEMORY_BUDGET_ENV}='lots' is not a size"):
        load_source(str(REPO / "tests" / "fixtures" / "flowers.csv"))


def test_good_files_still_load_within_the_budget(tmp_path: Path) -> None:
    np.save(tmp_path / "ok.npy", np.ones((50, 4), np.float32))
    np.savez(tmp_path / "ok.npz", x=np.ones((50, 4)), y=np.arange(50) % 2)
    assert load_source(str(tmp_path / "ok.npy")).n_samples == 50
    assert load_source(str(tmp_path / "ok.npz")).n_classes == 2
    fortran = np.asfortranarray(np.arange(12.0).reshape(4, 3))
    np.save(tmp_path / "f.npy", fortran)
    np.testing.assert_array_equal(load_source(str(tmp_path / "f.npy")).x, fortran)
