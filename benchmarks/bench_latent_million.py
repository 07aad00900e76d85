"""The latent view with the points of a large data set: one update of up to 1,000,000 points.

The same measurement as :mod:`benchmarks.bench_views` (``handle_event`` with fresh latents,
then a repaint; median of its repeats, wall and CPU milliseconds), at 70,000 points (the
reference, measured in the same run) and at ``--points`` (default 1,000,000). Rows: the
milliseconds, the ratio to the 100 ms target, and the ratio to the 70k update.

Run from the repository root with ``python -m benchmarks.bench_latent_million [--points N]``.
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from benchmarks.bench_views import _dataset, _median_ms, _snapshot

TARGET_MS = 100.0
REFERENCE_POINTS = 70_000


def measure(n_points: int, color_by: str = "class") -> tuple[float, float]:
    """Median wall and CPU milliseconds of one latent-view update with ``n_points`` points."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from aeviewer.gui.views.latent import LatentView

    app = QApplication.instance() or QApplication([])
    pg.setConfigOptions(imageAxisOrder="row-major")
    rng = np.random.default_rng(0)
    dataset = _dataset(n_points)
    snapshots = [_snapshot(e, dataset.labels, rng) for e in range(1, 4)]
    view = LatentView()
    view.resize(1280, 800)
    view.show()
    view.set_dataset(dataset)
    view.set_color_by(color_by)

    def settle() -> None:
        app.processEvents()
        view.plot_widget.viewport().repaint()
        app.processEvents()

    view.handle_event(snapshots[0])
    settle()

    def update(i: int) -> None:
        view.handle_event(snapshots[1 + i % 2])
        settle()

    result = _median_ms(update)
    view.shutdown()
    view.close()
    return result


def run(points: int = 1_000_000) -> list:
    """Rows ``(name, value, note)``: CPU milliseconds per update and the ratios."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    ref_wall, ref_cpu = measure(REFERENCE_POINTS)
    wall, cpu = measure(points)
    return [
        (f"latent update {REFERENCE_POINTS:,} points [cpu ms]", ref_cpu, f"wall {ref_wall:.0f} ms"),
        (f"latent update {points:,} points [cpu ms]", cpu, f"wall {wall:.0f} ms"),
        (f"{points:,} points: cpu ratio to target", cpu / TARGET_MS, "below 1 meets 100 ms"),
        (f"{points:,} points: cpu ratio to 70k", cpu / max(ref_cpu, 1e-9), "the reference"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    args = parser.parse_args()
    for name, value, note in run(args.points):
        print(f"{name:<46} {value:>9.2f}  {note}")


if __name__ == "__main__":
    main()
