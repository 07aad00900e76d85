"""The runs table: each compared run's final figures and the settings that differ, sortable by
any column and exported as CSV. Runs on other data than the rest are flagged in the data
column (allowed, but their figures do not compare)."""

from __future__ import annotations

import csv
import io
import os
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aeviewer.errors import AeviewerError
from aeviewer.gui import dialogs
from aeviewer.gui.widgets.training_status import reason_text
from aeviewer.io.atomic import atomic_write_text

#: Column headings of the figures (settings keep their config names).
HEADINGS = {
    "run": QT_TRANSLATE_NOOP("RunsTable", "run"),
    "status": QT_TRANSLATE_NOOP("RunsTable", "status"),
    "data": QT_TRANSLATE_NOOP("RunsTable", "data"),
    "model_mse": QT_TRANSLATE_NOOP("RunsTable", "model MSE"),
    "pca_mse": QT_TRANSLATE_NOOP("RunsTable", "PCA MSE"),
    "mse_ratio": QT_TRANSLATE_NOOP("RunsTable", "model / PCA"),
    "model_auc": QT_TRANSLATE_NOOP("RunsTable", "model AUC"),
    "pca_auc": QT_TRANSLATE_NOOP("RunsTable", "PCA AUC"),
    "epochs": QT_TRANSLATE_NOOP("RunsTable", "epochs"),
    "samples_per_s": QT_TRANSLATE_NOOP("RunsTable", "samples/s"),
    "train_seconds": QT_TRANSLATE_NOOP("RunsTable", "wall time (s)"),
}
KEY_ROLE = Qt.ItemDataRole.UserRole
_FLAG = QColor(255, 228, 181)


class _Item(QTableWidgetItem):
    """A cell that sorts numbers as numbers and puts empty cells last."""

    def __init__(self, value: Any) -> None:
        super().__init__(format_cell(value))
        self.value = value

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.value, getattr(other, "value", None)
        if isinstance(mine, (int, float)) and isinstance(theirs, (int, float)):
            return mine < theirs
        if mine is None or theirs is None:
            return theirs is None and mine is not None
        return str(mine) < str(theirs)


def format_cell(value: Any) -> str:
    """The text of a cell: four significant digits for fractions."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (tuple, list)):
        return ",".join(str(v) for v in value)
    return str(value)


class RunsTable(QWidget):
    """A sortable table of run rows; ``current_changed(key)`` when a row is picked."""

    current_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        top = QHBoxLayout()
        top.addWidget(self.note, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.columns: list[str] = []
        self.rows: list[dict[str, Any]] = []
        self.export_button.clicked.connect(self._ask_export)
        self.table.currentCellChanged.connect(self._on_current)

    def show_rows(self, columns: list[str], rows: list[dict[str, Any]], keys: list[str]) -> None:
        """Fill the table (``keys`` identify the rows), keeping the sort order."""
        self.columns, self.rows = columns, rows
        table = self.table
        header = table.horizontalHeader()
        sort_column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        current = self.current_key()
        table.setSortingEnabled(False)
        table.blockSignals(True)
        try:
            table.clear()
            table.setColumnCount(len(columns))
            table.setRowCount(len(rows))
            table.setHorizontalHeaderLabels(
                [
                    QCoreApplication.translate("RunsTable", HEADINGS[c]) if c in HEADINGS else c
                    for c in columns
                ]
            )
            for r, (row, key) in enumerate(zip(rows, keys, strict=True)):
                for c, column in enumerate(columns):
                    value = row.get(column)
                    # Shown in the user's language; exported as the run directory says it.
                    item = _Item(reason_text(value) if column == "status" else value)
                    item.setData(KEY_ROLE, key)
                    if column == "data" and row.get("data_differs"):
                        item.setBackground(QBrush(_FLAG))
                        item.setToolTip(self.tr("The runs were trained on different data"))
                    table.setItem(r, c, item)
        finally:
            table.blockSignals(False)
        table.setSortingEnabled(True)
        if 0 <= sort_column < len(columns):
            table.sortItems(sort_column, order)
        table.resizeColumnsToContents()
        mixed = any(row.get("data_differs") for row in rows)
        self.note.setText(
            self.tr("Runs on different data sets: compare their figures with care.")
            if mixed
            else ""
        )
        if current is not None:
            self.select(current)

    def select(self, key: str) -> None:
        """Make the row of run ``key`` current."""
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.data(KEY_ROLE) == key:
                self.table.blockSignals(True)
                self.table.setCurrentCell(r, 0)
                self.table.blockSignals(False)
                return

    def current_key(self) -> str | None:
        """The key of the current row."""
        item = self.table.item(self.table.currentRow(), 0)
        return None if item is None else str(item.data(KEY_ROLE))

    @Slot(int, int, int, int)
    def _on_current(self, row: int, *_: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.current_changed.emit(str(item.data(KEY_ROLE)))

    def to_csv(self) -> str:
        """The table as CSV, in the order shown, with full precision."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for r in range(self.table.rowCount()):
            cells = []
            for c in range(len(self.columns)):
                value = getattr(self.table.item(r, c), "value", None)
                cells.append(format(value, ".9g") if isinstance(value, float) else value)
            writer.writerow(["" if v is None else format_cell(v) for v in cells])
        return out.getvalue()

    def export_csv(self, path: str | os.PathLike[str]) -> None:
        """Write the table as CSV, atomically."""
        atomic_write_text(path, self.to_csv())

    @Slot()
    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export runs table"), "runs.csv", "CSV (*.csv)"
        )
        if path:
            try:
                self.export_csv(path)
            except (OSError, AeviewerError) as exc:
                dialogs.show_error(self, self.tr("Export failed"), f"{path}: {exc}")
