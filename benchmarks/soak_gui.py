"""Soak test of the GUI: repeated training with every view shown, resident memory per cycle.

One cycle trains each of three families (an autoencoder, a VAE, a GAN) for a few epochs on the
default data set in a real main window (offscreen), while the view tabs take turns being shown
so that every view draws; each run ends, is reset, and the next starts. The resident set size
(RSS) is read after every cycle, after a garbage collection and after giving the C heap's free
pages back to the system (``malloc_trim``, where glibc has it; the raw figure is printed
too). Growth is measured from the end of the first cycle (which loads code, builds caches and
fills pyqtgraph's item pools) to the median of the last five cycles.

Run by hand, not by ``run.py`` (it takes 20 minutes by default)::

    QT_QPA_PLATFORM=offscreen python benchmarks/soak_gui.py            # 20 minutes
    QT_QPA_PLATFORM=offscreen python benchmarks/soak_gui.py --minutes 5

It prints one line per cycle and a summary; the exit status is 1 when RSS grew by more than
``--limit`` (5% by default).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

FAMILIES = ("ae", "vae", "gan")
#: How often the shown view tab changes, in milliseconds.
TAB_MS = 400


def trim_heap() -> bool:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``); False where
    there is none. Without it RSS also counts memory freed but kept by the allocator's
    per-thread arenas, which swings by tens of MiB from one reading to the next."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    libc.malloc_trim(0)
    return True


def rss_mib() -> float:
    """The process's resident set size in MiB (Linux /proc; peak RSS elsewhere)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=20.0, help="how long to soak (20)")
    parser.add_argument("--epochs", type=int, default=3, help="epochs per run (3)")
    parser.add_argument("--source", default="builtin:shapes?n=3000", help="the data set")
    parser.add_argument("--limit", type=float, default=5.0, help="allowed RSS growth in %% (5)")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from aeviewer.gui.heap import limit_heap_arenas

    # As the app's entry point does, before any thread allocates.
    limit_heap_arenas()
    os.environ["AEVIEWER_STATE_DIR"] = tempfile.mkdtemp(prefix="aeviewer-soak-")
    from PySide6.QtCore import QCoreApplication, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    settings_dir = tempfile.mkdtemp(prefix="aeviewer-soak-settings-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    QCoreApplication.setOrganizationName("aeviewer-soak")
    QCoreApplication.setApplicationName("aeviewer-soak")
    QSettings().setValue("data/source", args.source)

    from aeviewer.config import ModelSpec, TrainSpec
    from aeviewer.gui.main_window import MainWindow
    from aeviewer.gui.state import RunState
    from aeviewer.gui.threads import await_workers, running_threads
    from aeviewer.training.events import Finished

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    train = TrainSpec(epochs=args.epochs, batch_size=128, device="cpu", n_eval=500)
    models = {
        "ae": ModelSpec(kind="ae", latent=2, hidden=(128, 32)),
        "vae": ModelSpec(kind="vae", latent=2, hidden=(128, 32)),
        "gan": ModelSpec(kind="gan", latent=8, hidden=(128, 64)),
    }
    deadline = time.monotonic() + 60 * args.minutes
    rows: list[tuple[int, float, float]] = []
    state = {"cycle": 0, "family": -1, "started": time.monotonic()}

    def show_next_tab() -> None:
        tabs = window.tabs
        if tabs.count():
            visible = [i for i in range(tabs.count()) if tabs.isTabVisible(i)]
            if visible:
                now = tabs.currentIndex()
                later = [i for i in visible if i > now]
                tabs.setCurrentIndex(later[0] if later else visible[0])

    def next_run() -> None:
        controller = window.controller
        if controller.state is not RunState.IDLE:
            controller.reset()
        if state["family"] + 1 == len(FAMILIES) and running_threads():
            # Read RSS only once every worker has let go (the run just reset, a projection,
            # a poll): memory still in use by work in flight is not growth.
            QTimer.singleShot(100, next_run)
            return
        state["family"] += 1
        if state["family"] == len(FAMILIES):
            state["family"] = 0
            state["cycle"] += 1
            gc.collect()
            raw = rss_mib()
            trim_heap()
            rss = rss_mib()
            minutes = (time.monotonic() - state["started"]) / 60
            rows.append((state["cycle"], minutes, rss))
            print(
                f"cycle {state['cycle']:4d}  {minutes:6.1f} min  RSS {rss:8.1f} MiB "
                f"(before trimming the heap {raw:8.1f} MiB)",
                flush=True,
            )
            if time.monotonic() > deadline:
                app.quit()
                return
        window.model_panel.set_spec(models[FAMILIES[state["family"]]])
        window.show_family_views()
        window.training_panel.set_spec(train)
        if not controller.start():
            print("could not start a run", file=sys.stderr)
            app.quit()

    def on_event(event: object) -> None:
        if isinstance(event, Finished):
            QTimer.singleShot(200, next_run)

    def begin() -> None:
        window.controller.event.connect(on_event)
        next_run()

    window.data_panel.dataset_changed.connect(lambda _: QTimer.singleShot(0, begin))
    tab_timer = QTimer()
    tab_timer.timeout.connect(show_next_tab)
    tab_timer.start(TAB_MS)
    app.exec()
    tab_timer.stop()
    window.close()
    await_workers(30_000)

    if len(rows) < 2:
        print("too few cycles to measure growth; soak longer", file=sys.stderr)
        return 1
    first, last = rows[0][2], rows[-1][2]
    # Single readings swing by a few per cent (torch's and the allocator's caches): the end is
    # the median of the last five cycles.
    end = statistics.median(r[2] for r in rows[-5:])
    growth = 100.0 * (end - first) / first
    peak = max(r[2] for r in rows)
    print(
        f"\n{len(rows)} cycles of {', '.join(FAMILIES)} × {args.epochs} epochs in "
        f"{rows[-1][1]:.1f} min; RSS after cycle 1 {first:.1f} MiB, median of the last five "
        f"cycles {end:.1f} MiB (last {last:.1f}, peak {peak:.1f}): growth {growth:+.2f}% "
        f"(limit {args.limit:g}%)"
    )
    return 0 if growth <= args.limit else 1


if __name__ == "__main__":
    raise SystemExit(main())
