"""How fast the data layer makes and reads data sets.

Each built-in must generate 10,000 samples in under 2 s. Rows give the seconds (best of three)
and, as the machine-independent figure, the ratio to drawing the same number of uniform
random floats with numpy in the same run.

Run from the repository root with ``python -m benchmarks.bench_data``.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from aeviewer.data import BUILTINS, load_source

N = 10_000
BUDGET_S = 2.0
SHARED_MNIST = Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets" / "mnist-t10k"


def best_of(fn: Callable[[], object], repeats: int = 3) -> float:
    """The fastest of ``repeats`` wall-clock timings of ``fn``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _reference(n_values: int) -> float:
    rng = np.random.default_rng(0)
    return best_of(lambda: rng.random(n_values, dtype=np.float32))


def run() -> list[tuple[str, float, str]]:
    """Rows ``(name, seconds, note)`` for every built-in and for reading files."""
    rows: list[tuple[str, float, str]] = []
    for name, info in BUILTINS.items():
        seconds = best_of(lambda info=info: info.make(N, 0))
        n_values = N * int(np.prod(info.make(2, 0).sample_shape))
        ratio = seconds / _reference(n_values)
        verdict = "within" if seconds < BUDGET_S else "OVER"
        rows.append(
            (
                f"builtin:{name} generate {N} samples (s)",
                seconds,
                f"{ratio:.0f}x numpy drawing as many floats; {verdict} the {BUDGET_S:g} s budget",
            )
        )
    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "table.csv"
        x = np.random.default_rng(0).normal(size=(N, 64))
        np.savetxt(table, x, delimiter=",", fmt="%.6f")
        seconds = best_of(lambda: load_source(str(table)))
        ratio = seconds / best_of(lambda: np.loadtxt(table, delimiter=","))
        rows.append((f"read CSV {N}x64 (s)", seconds, f"{ratio:.2f}x numpy.loadtxt"))
    if SHARED_MNIST.is_dir():
        seconds = best_of(lambda: load_source(str(SHARED_MNIST)))
        rows.append(("read MNIST t10k IDX.gz folder (s)", seconds, "10000 images 28x28"))
    return rows


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name:<48} {value:8.4f}  {note}")
