"""The data commands end to end: ``python -m aeviewer datasets`` and ``inspect``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from shared_data import MNIST_T10K, MNIST_T10K_COUNTS, require_mnist

REPO = Path(__file__).resolve().parents[1]


def aeviewer(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aeviewer", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_inspect_shared_mnist_test_set_as_json() -> None:
    require_mnist()
    result = aeviewer("inspect", str(MNIST_T10K), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["n_samples"] == 10_000
    assert summary["sample_shape"] == [1, 28, 28]
    assert summary["n_features"] == 784
    assert summary["dtype"] == "float32"
    assert (summary["min"], summary["max"]) == (0.0, 1.0)
    assert summary["n_classes"] == 10
    assert list(summary["class_counts"].values()) == MNIST_T10K_COUNTS
    assert summary["source"] == str(MNIST_T10K)


def test_inspect_builtin_readable_and_json() -> None:
    result = aeviewer("inspect", "builtin:signals?n=400")
    assert result.returncode == 0, result.stderr
    assert "samples:       400 of shape 64" in result.stdout
    assert "anomalies:" in result.stdout
    summary = json.loads(aeviewer("inspect", "builtin:shapes?n=60", "--json").stdout)
    assert summary["n_classes"] == 6 and summary["sample_shape"] == [1, 28, 28]


def test_inspect_csv_with_label_column(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b,kind\n1,2,x\n3,4,y\n5,6,x\n")
    result = aeviewer("inspect", str(path), "--json", "--label-column", "kind")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["class_counts"] == {"x": 2, "y": 1}


def test_datasets_lists_builtins_and_downloads(tmp_path: Path) -> None:
    env = {"AEVIEWER_DATA_DIR": str(tmp_path)}
    listing = json.loads(aeviewer("datasets", "--json", env=env).stdout)
    names = [b["name"] for b in listing["builtins"]]
    assert names[0] == "shapes" and {"signals", "moons", "swiss-roll", "s-curve", "ring"} <= set(
        names
    )
    downloads = {d["name"]: d for d in listing["downloads"]}
    assert set(downloads) == {"mnist", "fashion-mnist", "kmnist"}
    assert downloads["mnist"]["cached"] is False
    assert downloads["mnist"]["folder"] == str(tmp_path / "mnist")
    text = aeviewer("datasets", env=env)
    assert text.returncode == 0 and "swiss-roll" in text.stdout and "not cached" in text.stdout


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda d: d / "missing.csv", "no such file or folder"),
        (lambda d: _write(d / "empty.csv", b""), "the file is empty"),
        (lambda d: _write(d / "text.csv", b"a,b\n1,x\n"), "line 2, column 2"),
        (lambda d: _write(d / "x-images-idx3-ubyte", b"\0\0\x08\x03\0\0"), "truncated IDX header"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, make, fragment: str) -> None:
    path = make(tmp_path)
    result = aeviewer("inspect", str(path), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("aeviewer: error: ")
    assert fragment in lines[0] and str(path) in lines[0]
    assert "Traceback" not in result.stderr


def test_unknown_builtin_and_object_npz_exit_2(tmp_path: Path) -> None:
    result = aeviewer("inspect", "builtin:nope")
    assert result.returncode == 2
    assert result.stderr.startswith("aeviewer: error: builtin:nope: unknown built-in")
    np.savez(tmp_path / "o.npz", x=np.array([object()], dtype=object))
    result = aeviewer("inspect", str(tmp_path / "o.npz"))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "holds Python objects" in result.stderr


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
