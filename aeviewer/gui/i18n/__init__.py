"""The user's language: Japanese or English, through Qt's own translation system.

The sources of the translations are ``aeviewer_<lang>.ts`` next to this module (updated with
``pyside6-lupdate``); the app loads the compiled ``.qm`` (``pyside6-lrelease``), which is
committed and kept fresh by a test. English is the language of the source strings, so it needs
no file.

The language is chosen once, before the main window is built: ``aeviewer --lang ja|en``, else the
View > Language choice saved in the settings, else the system locale. A change in the menu takes
effect at the next start.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFontDatabase

#: The languages the app speaks: code -> its own name (shown in the menu untranslated).
LANGUAGES: dict[str, str] = {"en": "English", "ja": "日本語"}

#: The settings key of the language picked in View > Language ("" or absent: the system's).
SETTINGS_KEY = "ui/language"

#: Where the .ts sources and compiled .qm files live.
FOLDER = Path(__file__).resolve().parent


def qm_path(lang: str) -> Path:
    """The compiled translation of ``lang``."""
    return FOLDER / f"aeviewer_{lang}.qm"


def ts_path(lang: str) -> Path:
    """The translation source of ``lang``."""
    return FOLDER / f"aeviewer_{lang}.ts"


def split_language(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """Take ``--lang LANG`` or ``--lang=LANG`` out of ``argv``: (the language or None, the rest).

    Raises ValueError for a language the app does not speak or a missing value.
    """
    rest: list[str] = []
    lang: str | None = None
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--lang":
            if i + 1 >= len(args):
                raise ValueError("--lang needs a value: " + " or ".join(LANGUAGES))
            lang = args[i + 1]
            i += 2
            continue
        if arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose " + " or ".join(LANGUAGES))
    return lang, rest


def system_language() -> str:
    """The system locale's language when the app speaks it, else English."""
    name = QLocale.system().name()  # e.g. "ja_JP"
    code = name.split("_", 1)[0]
    return code if code in LANGUAGES else "en"


def saved_language() -> str | None:
    """The language picked in View > Language, or None for the system's."""
    value = QSettings().value(SETTINGS_KEY)
    return value if isinstance(value, str) and value in LANGUAGES else None


def save_language(lang: str | None) -> None:
    """Remember ``lang`` (None: follow the system) for the next start."""
    settings = QSettings()
    if lang is None:
        settings.remove(SETTINGS_KEY)
    else:
        settings.setValue(SETTINGS_KEY, lang)


def choose_language(requested: str | None = None) -> str:
    """The language to use: ``requested`` (``--lang``), else the saved choice, else the system's."""
    return requested or saved_language() or system_language()


def install_translators(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Load aeviewer's and Qt's own translations of ``lang`` into ``app``; return them.

    The translators are parented to ``app`` so they live as long as it does. English installs
    nothing (the sources are English). Sets the default locale, so numbers follow it too.
    """
    QLocale.setDefault(QLocale(lang))
    if lang == "en":
        return []
    installed = []
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{lang}", qt_folder), (f"aeviewer_{lang}", str(FOLDER))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            translator.deleteLater()
    return installed


def remove_translators(app: QCoreApplication, translators: Sequence[QTranslator]) -> None:
    """Undo :func:`install_translators` (for tests that switch the language)."""
    for translator in translators:
        app.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(QLocale.system())


def icon_text(text: str) -> str:
    """A menu text without its mnemonic (``&Open`` or Japanese ``開く(&O)``) and ellipsis, for
    a tool button (Qt's own stripping keeps the ``(O)``)."""
    return re.sub(r"\(&\w\)|&", "", text).rstrip("…").strip()


def has_cjk_font() -> bool:
    """True when some installed font can draw Japanese."""
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.Japanese))
