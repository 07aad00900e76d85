"""The few modal dialogs the app shows, in one place so tests can replace them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

translate = QCoreApplication.translate


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """Tell the user something failed; the app goes on."""
    QMessageBox.critical(parent, title, message)


def show_warning(parent: QWidget | None, title: str, message: str) -> None:
    """Tell the user something went wrong that they can fix (a diverged run, a bad setting)."""
    QMessageBox.warning(parent, title, message)


def ask_reset(parent: QWidget | None, what: str) -> bool:
    """Ask whether to throw the current model away because ``what`` (translated) changed."""
    answer = QMessageBox.question(
        parent,
        translate("Dialogs", "Reset the model?"),
        translate(
            "Dialogs",
            "Changing {0} needs a new model. Reset now and lose the current one?\n\n"
            "Choose No to keep training the current model with its old settings.",
        ).format(what),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
