"""How fast the Loss view redraws the overlay of 20 compared runs of 200 epochs each.

One redraw is what a change of the view's settings costs the GUI thread: every run's curve
rebuilt from its epochs (x positions, smoothing) and set, PCA's line per latent size placed,
then ``QApplication.processEvents`` and a forced repaint of the offscreen plot (1280x800). The
settings alternate between the x axes (epochs, steps, wall time) and two smoothing weights, so
that every redraw computes new data. The target is at most 50 ms; rows give the median
wall-clock and CPU milliseconds over the redraws.

Run from the repository root with ``QT_QPA_PLATFORM=offscreen python -m benchmarks.bench_overlay``.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np

N_RUNS = 20
N_EPOCHS = 200
TARGET_MS = 50.0
REPEATS = 12


def _entries():
    from aeviewer.io.run_set import COLOURS, RunEntry
    from aeviewer.io.run_summary import RunSummary
    from aeviewer.training.events import EpochEnd

    rng = np.random.default_rng(0)
    entries = []
    for r in range(N_RUNS):
        latent = (2, 4, 8, 16, 32)[r % 5]
        decay = rng.uniform(0.01, 0.05)
        epochs = [
            EpochEnd(
                epoch=e,
                step=e * 50,
                train={"loss": float(np.exp(-decay * e) + 0.1)},
                val={"loss": float(np.exp(-decay * e) + 0.12 + 0.01 * rng.random())},
                lr={"model": 1e-3},
                seconds=float(rng.uniform(0.5, 0.7)),
                samples_per_s=1e4,
            )
            for e in range(1, N_EPOCHS + 1)
        ]
        figures = {"model_mse": 0.12, "pca_mse": 0.2 / latent}
        summary = RunSummary(
            Path(f"run{r}"), f"run{r}", "finished", "bench", figures, {"model.latent": latent}
        )
        entries.append(RunEntry(f"run{r}", f"run{r}", COLOURS[r], epochs=epochs, summary=summary))
    return entries


def run() -> list[tuple[str, float, str]]:
    """Rows ``(name, value, note)``: milliseconds per overlay redraw."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from aeviewer.gui.views.loss import LossView
    from aeviewer.gui.views.loss_overlay import LossOverlay

    app = QApplication.instance() or QApplication([])
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)
    view = LossView()
    view.resize(1280, 800)
    view.show()
    overlay = LossOverlay(view)
    entries = _entries()

    def settle() -> None:
        app.processEvents()
        view.plot_widget.viewport().repaint()
        app.processEvents()

    overlay.show_runs(entries)
    settle()
    axes = ["epoch", "step", "time"]
    wall, cpu = [], []
    for i in range(REPEATS):
        start, start_cpu = time.perf_counter(), time.process_time()
        view.x_axis.blockSignals(True)
        view.x_axis.setCurrentIndex(view.x_axis.findData(axes[i % 3]))
        view.x_axis.blockSignals(False)
        view.smoothing.setValue(60 if i % 2 else 0)  # redraws the overlay through its signal
        settle()
        wall.append((time.perf_counter() - start) * 1000.0)
        cpu.append((time.process_time() - start_cpu) * 1000.0)
    view.close()
    note = f"{N_RUNS} runs x {N_EPOCHS} epochs; target <= {TARGET_MS:.0f} ms"
    return [
        ("loss overlay redraw [wall ms]", statistics.median(wall), note),
        ("loss overlay redraw [cpu ms]", statistics.median(cpu), note),
    ]


def main() -> None:
    """Print the rows."""
    for name, value, note in run():
        print(f"{name:<40} {value:>9.3f}  {note}")


if __name__ == "__main__":
    main()
