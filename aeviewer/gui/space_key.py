"""The Space key starts and pauses training unless the focus is in a text field.

Qt lets a focused widget claim a key before a shortcut sees it: a combo box opens its list, a
check box toggles, and Space never reaches the window's Start/Pause action. This filter, on the
application, decides for the main window instead: a text field (a line edit, a spin box, an
editable combo box, a text edit) types the space; anywhere else the shortcut gets it, and a
Space the shortcut did not take (Start/Pause disabled while a run stops) does nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_KEY_EVENTS = (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)


def types_text(widget: QWidget | None) -> bool:
    """True for widgets where Space is text: line edits, spin boxes, text edits, editable
    combo boxes."""
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, QLineEdit | QAbstractSpinBox | QTextEdit | QPlainTextEdit)


class SpaceKeyFilter(QObject):
    """Gives Space to ``window``'s shortcuts unless a text field of ``window`` has the focus."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in _KEY_EVENTS:
            return False
        if not isinstance(event, QKeyEvent) or event.key() != Qt.Key.Key_Space:
            return False
        if event.modifiers() not in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            return False
        focus = QApplication.focusWidget()
        if focus is None or focus.window() is not self._window or types_text(focus):
            return False
        if watched is not focus:
            return False
        # Not claimed by the widget: the shortcut system gets the key (ShortcutOverride), and
        # a key press that no shortcut took is dropped rather than toggling the widget.
        event.ignore()
        return True
