"""The file pickers and small choices of the File menu, in one place so tests can replace them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QWidget,
)

from aeviewer.io.formats import EXPORT_FORMATS, EXPORT_PARTS, ONNX_INSTALL

translate = QCoreApplication.translate

#: File-name filters of the dialogs (translated when a dialog shows them).
SESSION_FILTER = QT_TRANSLATE_NOOP("FileDialogs", "aeviewer sessions (*.aev)")
MODEL_FILTER = QT_TRANSLATE_NOOP(
    "FileDialogs", "Models (*.json *.safetensors *.pt *.pth);;All files (*)"
)
DATA_FILTER = QT_TRANSLATE_NOOP("FileDialogs", "CSV table (*.csv);;NumPy array (*.npy)")

#: The shown names of the parts of a model export.
PART_NAMES: dict[str, str] = {
    "full": QT_TRANSLATE_NOOP("FileDialogs", "full (encoder and decoder)"),
    "encoder": QT_TRANSLATE_NOOP("FileDialogs", "encoder"),
    "decoder": QT_TRANSLATE_NOOP("FileDialogs", "decoder"),
}


def onnx_available() -> bool:
    """True when both onnx and onnxruntime can be imported."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnx", "onnxruntime"))


def last_folder(key: str) -> str:
    """The folder the dialog ``key`` was last used in ("" before its first use)."""
    folder = QSettings().value(f"dialogs/{key}", "")
    return folder if isinstance(folder, str) and Path(folder).is_dir() else ""


def remember_folder(key: str, folder: str | Path) -> None:
    """Open the dialog ``key`` in ``folder`` next time."""
    QSettings().setValue(f"dialogs/{key}", str(folder))


def ask_save_path(
    parent: QWidget | None, title: str, name_filter: str, name: str = "", key: str | None = None
) -> str | None:
    """A path to write, or None when the user cancelled.

    Each dialog (``key``, by default its title) starts in the folder it was last used in,
    with ``name`` filled in.
    """
    key = key or title
    start = str(Path(last_folder(key), name)) if last_folder(key) else name
    name_filter = translate("FileDialogs", name_filter)
    path, _ = QFileDialog.getSaveFileName(parent, title, start, name_filter)
    if path:
        remember_folder(key, Path(path).parent)
    return path or None


def ask_open_path(
    parent: QWidget | None, title: str, name_filter: str, key: str | None = None
) -> str | None:
    """A file to open, or None when the user cancelled (starting where this dialog was last
    used)."""
    key = key or title
    name_filter = translate("FileDialogs", name_filter)
    path, _ = QFileDialog.getOpenFileName(parent, title, last_folder(key), name_filter)
    if path:
        remember_folder(key, Path(path).parent)
    return path or None


def ask_folder(parent: QWidget | None, title: str, key: str | None = None) -> str | None:
    """A folder, or None when the user cancelled (starting in the one chosen last time, or
    beside it)."""
    key = key or title
    folder = QFileDialog.getExistingDirectory(parent, title, last_folder(key))
    if folder:
        remember_folder(key, Path(folder).parent)
    return folder or None


class ExportOptions(QDialog):
    """Format and part of a model export; ONNX is greyed out, with the install hint, without it."""

    def __init__(self, parent: QWidget | None, onnx: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("FileDialogs", "Export model"))
        self.format = QComboBox()
        for name in EXPORT_FORMATS:
            self.format.addItem(name, name)
        if not onnx:
            item = self.format.model().item(list(EXPORT_FORMATS).index("onnx"))
            item.setEnabled(False)
            item.setToolTip(
                translate("FileDialogs", "needs the onnx extra: {0}").format(ONNX_INSTALL)
            )
        self.part = QComboBox()
        for name in EXPORT_PARTS:
            self.part.addItem(translate("FileDialogs", PART_NAMES.get(name, name)), name)
        self.hint = QLabel(
            "" if onnx else translate("FileDialogs", "ONNX needs: {0}").format(ONNX_INSTALL)
        )
        self.hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(translate("FileDialogs", "Format"), self.format)
        form.addRow(translate("FileDialogs", "Part"), self.part)
        form.addRow(self.hint)
        form.addRow(buttons)
        self.format.currentIndexChanged.connect(self._on_format)
        self._on_format()

    def _on_format(self) -> None:
        # A safetensors file always holds the whole model.
        whole = self.format.currentData() == "safetensors"
        if whole:
            self.part.setCurrentIndex(self.part.findData("full"))
        self.part.setEnabled(not whole)

    def choice(self) -> tuple[str, str]:
        """The chosen format and part."""
        return self.format.currentData(), self.part.currentData()


def ask_export_options(parent: QWidget | None) -> tuple[str, str] | None:
    """The format and part of a model export, or None when the user cancelled."""
    dialog = ExportOptions(parent, onnx_available())
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.choice()


def offer_autosave(parent: QWidget | None, path: str, answer) -> QMessageBox:
    """A non-blocking prompt to restore the autosave; ``answer(bool)`` gets the choice."""
    box = QMessageBox(parent)
    box.setWindowTitle(translate("FileDialogs", "Restore the last session?"))
    box.setText(
        translate(
            "FileDialogs",
            "aeviewer did not close cleanly last time. Restore the work it saved automatically?",
        )
    )
    box.setInformativeText(path)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    yes = box.button(QMessageBox.StandardButton.Yes)
    box.finished.connect(lambda _: answer(box.clickedButton() is yes))
    box.open()
    return box
