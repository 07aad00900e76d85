"""Screenshots of every view for every model family, at two window sizes.

Trains a small model of each family on a built-in data set in a real main window, then grabs
the window with each view tab in front (offscreen, no display needed)::

    QT_QPA_PLATFORM=offscreen python assets/screenshots.py OUT_DIR [--sizes 1400x900 1280x720]
        [--lang ja]

Writes ``OUT_DIR/SIZE/FAMILY-VIEW.png`` and one contact sheet per size and family
(``OUT_DIR/SIZE-FAMILY.png``) to look through them quickly. The README's pictures are some of
these, copied into ``assets/``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

FAMILIES = ("ae", "linear", "conv", "sparse", "denoising", "stacked", "vae", "gan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--sizes", nargs="+", default=["1400x900", "1280x720"])
    parser.add_argument("--families", nargs="+", default=list(FAMILIES))
    parser.add_argument("--source", default="builtin:shapes?n=2000")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lang", default="en", help="the UI language: en or ja")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["AEVIEWER_STATE_DIR"] = tempfile.mkdtemp(prefix="aeviewer-shots-")
    from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([sys.argv[0]])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat,
        QSettings.Scope.UserScope,
        tempfile.mkdtemp(prefix="aeviewer-shots-settings-"),
    )
    QCoreApplication.setOrganizationName("aeviewer-shots")
    QSettings().setValue("data/source", args.source)
    from aeviewer.gui.i18n import install_translators

    install_translators(_app, args.lang)

    from aeviewer.config import ModelSpec, TrainSpec
    from aeviewer.gui.main_window import MainWindow
    from aeviewer.gui.threads import await_workers
    from aeviewer.training.events import Finished

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_for(signal, check=lambda *a: True, timeout_ms: int = 300_000) -> None:
        loop = QEventLoop()

        def got(*values) -> None:
            if check(*values):
                loop.quit()

        signal.connect(got)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        signal.disconnect(got)

    window = MainWindow()
    window.show()
    wait_for(window.data_panel.dataset_changed)
    wait(500)
    args.out.mkdir(parents=True, exist_ok=True)
    for family in args.families:
        window.controller.reset()
        model = ModelSpec(kind=family, latent=2, hidden=(128, 32))
        window.model_panel.set_spec(model)
        window.show_family_views()
        window.training_panel.set_spec(
            TrainSpec(epochs=args.epochs, batch_size=64, device="cpu", n_eval=600)
        )
        window.controller.start()
        wait_for(window.controller.event, lambda e: isinstance(e, Finished))
        wait(300)
        for size in args.sizes:
            width, height = (int(v) for v in size.split("x"))
            window.resize(width, height)
            folder = args.out / size
            folder.mkdir(exist_ok=True)
            shots = []
            for index in range(window.tabs.count()):
                if not window.tabs.isTabVisible(index):
                    continue
                window.tabs.setCurrentIndex(index)
                wait(400)
                # File names from the English titles, whatever the language shown.
                name = window.views[index].title.lower().replace(" ", "-")
                path = folder / f"{family}-{name}.png"
                window.grab().save(str(path))
                shots.append(path)
            contact_sheet(shots, args.out / f"{size}-{family}.png")
            print(f"{size} {family}: {len(shots)} views", flush=True)
    window.close()
    await_workers(30_000)
    return 0


def contact_sheet(paths: list[Path], out: Path, columns: int = 2) -> None:
    """The pictures at ``paths`` side by side, at their full size, two per row."""
    from PIL import Image

    images = [Image.open(p) for p in paths]
    if not images:
        return
    w = max(i.width for i in images)
    h = max(i.height for i in images)
    rows = -(-len(images) // columns)
    sheet = Image.new("RGB", (columns * w, rows * h), "white")
    for k, image in enumerate(images):
        sheet.paste(image, ((k % columns) * w, (k // columns) * h))
    sheet.save(out)


if __name__ == "__main__":
    raise SystemExit(main())
