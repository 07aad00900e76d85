"""Print the benchmark table: every ``benchmarks/bench_*.py`` module's ``run()`` rows.

Usage, from the repository root::

    python benchmarks/run.py            # every benchmark
    python benchmarks/run.py engine     # only bench_engine.py (names may be repeated)

Each module's ``run()`` returns rows ``(name, value, note)``. A module that fails prints one
row saying why, and the others still run; the exit status is 1 when any failed.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def discover(selected: list[str]) -> list[str]:
    """Module names of the benchmarks to run, in file-name order."""
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if selected:
        wanted = {s if s.startswith("bench_") else f"bench_{s}" for s in selected}
        unknown = wanted - set(names)
        if unknown:
            raise SystemExit(f"run.py: no benchmark {', '.join(sorted(unknown))}; have {names}")
        names = [n for n in names if n in wanted]
    return names


def format_value(value: float) -> str:
    """A value with four significant digits, thousands separated."""
    if isinstance(value, float) and abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def main(argv: list[str]) -> int:
    """Run the benchmarks and print the table; 1 when any benchmark failed."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    failed = False
    print(f"{'benchmark':<10} {'name':<44} {'value':>14}  note")
    print("-" * 100)
    for module_name in discover(argv):
        short = module_name.removeprefix("bench_")
        start = time.perf_counter()
        try:
            rows = importlib.import_module(f"benchmarks.{module_name}").run()
        except Exception as exc:  # one broken benchmark must not hide the others
            failed = True
            traceback.print_exc(file=sys.stderr)
            rows = [("FAILED", float("nan"), f"{type(exc).__name__}: {exc}")]
        for name, value, note in rows:
            print(f"{short:<10} {name:<44} {format_value(value):>14}  {note}", flush=True)
        print(f"{short:<10} {'(seconds to run)':<44} {time.perf_counter() - start:>14.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
