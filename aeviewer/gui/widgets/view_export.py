"""Export what a view shows: the plot as PNG or SVG, the numbers as CSV or NPY, all atomically."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsScene, QMenu, QMessageBox, QToolButton, QWidget

from aeviewer.gui import file_dialogs
from aeviewer.io.atomic import atomic_open, atomic_write_bytes

translate = QCoreApplication.translate

PLOT_SUFFIXES = (".png", ".svg")
DATA_SUFFIXES = (".csv", ".npy")


def export_plot(item: pg.GraphicsItem | pg.GraphicsScene, path: str | Path) -> Path:
    """Write ``item`` (a plot item, a layout or a scene) to ``path`` as PNG or SVG."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".svg":
        atomic_write_bytes(target, _render_svg(item))
    elif suffix == ".png":
        image = pyqtgraph.exporters.ImageExporter(item).export(toBytes=True)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise OSError(f"{target}: the plot could not be encoded as PNG")
        buffer.close()
        atomic_write_bytes(target, bytes(data.data()))
    else:
        raise ValueError(f"{target}: a plot is exported as {' or '.join(PLOT_SUFFIXES)}")
    return target


def _render_svg(item: pg.GraphicsItem | pg.GraphicsScene) -> bytes:
    # pyqtgraph's SVGExporter rewrites Qt's path data and fails on what recent Qt versions write,
    # so the scene is rendered with Qt's own SVG generator instead.
    if isinstance(item, QGraphicsScene):
        scene, source = item, item.itemsBoundingRect()
    else:
        scene, source = item.scene(), item.sceneBoundingRect()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(source.size().toSize())
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    painter = QPainter(generator)
    try:
        scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def export_table(path: str | Path, columns: Mapping[str, np.ndarray]) -> Path:
    """Write equally long 1-D ``columns`` to ``path`` as CSV (with a header) or NPY (structured)."""
    target = Path(path)
    suffix = target.suffix.lower()
    arrays = {name: np.asarray(values).reshape(-1) for name, values in columns.items()}
    lengths = {a.size for a in arrays.values()}
    if len(lengths) > 1:
        raise ValueError(f"{target}: columns differ in length {sorted(lengths)}")
    if suffix == ".npy":
        table = np.rec.fromarrays(list(arrays.values()), names=list(arrays))
        with atomic_open(target, "wb") as handle:
            np.save(handle, np.asarray(table), allow_pickle=False)
    elif suffix == ".csv":
        with atomic_open(target, "w") as handle:
            handle.write(",".join(arrays) + "\n")
            rows = zip(*(a.tolist() for a in arrays.values()), strict=True)
            handle.writelines(",".join(_cell(v) for v in row) + "\n" for row in rows)
    else:
        raise ValueError(f"{target}: numbers are exported as {' or '.join(DATA_SUFFIXES)}")
    return target


def _cell(value: object) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


class ExportButton(QToolButton):
    """A tool button with a menu: plot as PNG or SVG, numbers as CSV or NPY, via file dialogs."""

    def __init__(
        self,
        save_plot: Callable[[Path], object],
        save_data: Callable[[Path], object],
        stem: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setText(translate("ViewExport", "Export"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        for label, suffix, action in (
            (translate("ViewExport", "Plot as PNG…"), ".png", save_plot),
            (translate("ViewExport", "Plot as SVG…"), ".svg", save_plot),
            (translate("ViewExport", "Numbers as CSV…"), ".csv", save_data),
            (translate("ViewExport", "Numbers as NPY…"), ".npy", save_data),
        ):
            menu.addAction(label, lambda s=suffix, a=action: self._ask(stem + s, a))
        self.setMenu(menu)

    def _ask(self, default_name: str, action: Callable[[Path], object]) -> None:
        suffix = Path(default_name).suffix
        name = file_dialogs.ask_save_path(
            self,
            translate("ViewExport", "Export"),
            f"{suffix[1:].upper()} (*{suffix})",  # a filter no translation knows: kept
            name=default_name,
            key=f"export {Path(default_name).stem}",
        )
        if not name:
            return
        try:
            action(Path(name))
        except (OSError, ValueError) as error:
            QMessageBox.warning(self, translate("ViewExport", "Export failed"), str(error))
