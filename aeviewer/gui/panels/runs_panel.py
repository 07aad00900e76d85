"""The Runs panel: the runs open for comparison, each with its colour, a visibility box and its
key settings; the window's own run is listed first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aeviewer.gui.widgets.training_status import reason_text
from aeviewer.io.run_set import RunEntry

KEY_ROLE = Qt.ItemDataRole.UserRole


def colour_icon(colour: str, size: int = 12) -> QIcon:
    """A square of ``colour``."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class RunsPanel(QWidget):
    """Lists runs; emits ``visibility_changed(key, shown)``, ``remove_requested(key)``,
    ``current_changed(key)`` and ``add_requested()``."""

    visibility_changed = Signal(str, bool)
    remove_requested = Signal(str)
    current_changed = Signal(str)
    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Run"), self.tr("Status"), self.tr("Settings")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setMinimumHeight(120)
        self.add_button = QPushButton(self.tr("Add runs…"))
        self.add_button.setToolTip(self.tr("Add a run directory or a folder of runs (a sweep)"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._items: dict[str, QTreeWidgetItem] = {}
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.currentItemChanged.connect(self._on_current)
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button.clicked.connect(self._on_remove)

    def run_keys(self) -> list[str]:
        """The keys of the listed runs, in order."""
        return list(self._items)

    def item(self, key: str) -> QTreeWidgetItem | None:
        """The row of run ``key``."""
        return self._items.get(key)

    def show_runs(self, entries: list[RunEntry]) -> None:
        """Show ``entries`` (in order), keeping rows that stay and their selection."""
        self.tree.blockSignals(True)
        try:
            keys = [e.key for e in entries]
            for key in [k for k in self._items if k not in keys]:
                item = self._items.pop(key)
                self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
            for index, entry in enumerate(entries):
                item = self._items.get(entry.key)
                if item is None:
                    item = QTreeWidgetItem()
                    item.setData(0, KEY_ROLE, entry.key)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    self.tree.insertTopLevelItem(index, item)
                    self._items[entry.key] = item
                self._fill(item, entry)
        finally:
            self.tree.blockSignals(False)
        for column in range(2):
            self.tree.resizeColumnToContents(column)
        self.remove_button.setEnabled(self._removable(self.tree.currentItem()))

    def _fill(self, item: QTreeWidgetItem, entry: RunEntry) -> None:
        item.setText(0, entry.name)
        item.setIcon(0, colour_icon(entry.colour))
        item.setCheckState(0, Qt.CheckState.Checked if entry.visible else Qt.CheckState.Unchecked)
        item.setText(1, reason_text(entry.status))
        item.setText(2, entry.key_settings())
        tip = str(entry.path) if entry.path is not None else self.tr("the run of this window")
        if entry.error:
            tip += "\n" + entry.error
        item.setToolTip(0, tip)
        item.setToolTip(1, entry.error or reason_text(entry.status))

    def select(self, key: str) -> None:
        """Make run ``key`` the current row."""
        item = self._items.get(key)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)

    def current_key(self) -> str | None:
        """The key of the current row, if any."""
        item = self.tree.currentItem()
        return None if item is None else str(item.data(0, KEY_ROLE))

    @Slot(QTreeWidgetItem, int)
    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column == 0:
            shown = item.checkState(0) == Qt.CheckState.Checked
            self.visibility_changed.emit(str(item.data(0, KEY_ROLE)), shown)

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_current(self, current: QTreeWidgetItem | None, _: QTreeWidgetItem | None) -> None:
        self.remove_button.setEnabled(self._removable(current))
        if current is not None:
            self.current_changed.emit(str(current.data(0, KEY_ROLE)))

    @staticmethod
    def _removable(item: QTreeWidgetItem | None) -> bool:
        return item is not None and item.data(0, KEY_ROLE) != "live"

    @Slot()
    def _on_remove(self) -> None:
        key = self.current_key()
        if key is not None and key != "live":
            self.remove_requested.emit(key)
