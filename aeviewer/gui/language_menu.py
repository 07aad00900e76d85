"""View > Language: pick the app's language for the next start (see :mod:`aeviewer.gui.i18n`)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu

from aeviewer.gui import i18n

translate = QCoreApplication.translate


class LanguageMenu(QMenu):
    """The system's language or one of :data:`aeviewer.gui.i18n.LANGUAGES`, saved in the
    settings; the change takes effect at the next start, which the status bar says."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(translate("LanguageMenu", "&Language (after restart)"), window)
        self._window = window
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        saved = i18n.saved_language()
        system_locale = QLocale.system()
        system = system_locale.nativeLanguageName() or QLocale.languageToString(
            system_locale.language()
        )
        self.actions_by_code: dict[str | None, QAction] = {}
        entries: list[tuple[str | None, str]] = [
            (
                None,
                translate("LanguageMenu", "System default ({0})").format(system)
                if system_locale.language() != QLocale.Language.C
                else translate("LanguageMenu", "System default"),
            ),
            *i18n.LANGUAGES.items(),
        ]
        for code, name in entries:
            action = QAction(name, self)
            action.setCheckable(True)
            action.setChecked(code == saved)
            action.setData(code)
            self.group.addAction(action)
            self.addAction(action)
            self.actions_by_code[code] = action
        self.group.triggered.connect(self._on_picked)

    @Slot(QAction)
    def _on_picked(self, action: QAction) -> None:
        code = action.data()
        i18n.save_language(code if code in i18n.LANGUAGES else None)
        self._window.statusBar().showMessage(
            translate(
                "LanguageMenu",
                "The language changes the next time aeviewer starts.",
            ),
            15_000,
        )
