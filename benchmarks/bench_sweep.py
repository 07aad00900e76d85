"""Sweep throughput: the same grid with ``--jobs 2`` against ``--jobs 1``.

The grid is ``--model ae,linear --latent 1,2`` on ``builtin:moons`` (4 runs, 40 epochs each,
one torch thread per run), trained end to end by ``aeviewer sweep`` in a child process (process
start-up, training, checkpoints, TensorBoard events and the summary all count). Throughput is
runs per wall-clock second; the row is jobs-2 throughput over jobs-1 throughput. On a 2-core
machine the target is at least 1.7 (the ideal is 2: one process per core).

Run from the repository root with ``python -m benchmarks.bench_sweep`` or through
``python benchmarks/run.py sweep``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GRID = [
    "--data", "builtin:moons", "--model", "ae,linear", "--latent", "1,2",
    "--epochs", "40", "--batch-size", "64", "--hidden", "32,16",
]  # fmt: skip
N_RUNS = 4
TARGET = 1.7

Row = tuple[str, float, str]


def _sweep_seconds(jobs: int, folder: Path) -> float:
    start = time.perf_counter()
    command = [sys.executable, "-m", "aeviewer", "sweep", *GRID, "--jobs", str(jobs)]
    subprocess.run(
        [*command, "--out", str(folder), "--quiet"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def run() -> list[Row]:
    """Runs per second with two jobs over runs per second with one."""
    with tempfile.TemporaryDirectory() as tmp:
        one = _sweep_seconds(1, Path(tmp) / "jobs1")
        two = _sweep_seconds(2, Path(tmp) / "jobs2")
    ratio = one / two
    met = "met" if ratio >= TARGET else "NOT met"
    note = (
        f"{N_RUNS} runs (moons, 40 epochs), {os.cpu_count()} cores; jobs 1: {one:.1f} s, "
        f"jobs 2: {two:.1f} s; target >= {TARGET} ({met})"
    )
    return [("sweep throughput jobs 2 / jobs 1", ratio, note)]


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name}: {value:.3f} ({note})")
