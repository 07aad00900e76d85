"""Translations: every GUI string has a finished Japanese translation, the compiled file is
fresh, ``--lang`` picks the language, and a window built in Japanese shows Japanese."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6
import pytest
from gui_helpers import open_window
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QPushButton

from aeviewer import cli
from aeviewer.gui import i18n

GUI = Path(i18n.__file__).resolve().parents[1]
TOOLS = Path(PySide6.__file__).resolve().parent


def _tool(name: str) -> str:
    """PySide6-Essentials' ``lupdate`` or ``lrelease`` (next to the package, else on PATH)."""
    path = TOOLS / name
    if path.exists():
        return str(path)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        pytest.skip(f"{name} from PySide6-Essentials is not installed")
    return found


def _sources() -> list[str]:
    return sorted(str(p) for p in GUI.rglob("*.py"))


def test_every_gui_string_has_a_finished_japanese_translation(tmp_path):
    ts = tmp_path / "aeviewer_ja.ts"
    shutil.copyfile(i18n.ts_path("ja"), ts)
    listing = tmp_path / "sources.txt"
    listing.write_text("\n".join(_sources()), encoding="utf-8")
    subprocess.run(
        [_tool("lupdate"), f"@{listing}", "-locations", "none", "-no-obsolete", "-ts", str(ts)],
        check=True,
        capture_output=True,
    )
    missing = []
    count = 0
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            count += 1
            translation = message.find("translation")
            text = "".join(translation.itertext()).strip()
            if translation.get("type") == "unfinished" or not text:
                missing.append(f"{name}: {message.findtext('source')!r}")
    assert count > 50
    assert not missing, "strings without a Japanese translation (update aeviewer_ja.ts):\n" + (
        "\n".join(missing)
    )


def test_the_compiled_translation_is_fresh(tmp_path):
    qm = tmp_path / "aeviewer_ja.qm"
    subprocess.run(
        [_tool("lrelease"), str(i18n.ts_path("ja")), "-qm", str(qm)],
        check=True,
        capture_output=True,
    )
    assert qm.read_bytes() == i18n.qm_path("ja").read_bytes(), (
        "aeviewer_ja.qm is older than aeviewer_ja.ts: run pyside6-lrelease"
    )


def test_lang_is_taken_out_of_the_arguments():
    assert i18n.split_language(["--lang", "ja", "data.csv"]) == ("ja", ["data.csv"])
    assert i18n.split_language(["--lang=en", "-platform", "offscreen"]) == (
        "en",
        ["-platform", "offscreen"],
    )
    assert i18n.split_language(["run"]) == (None, ["run"])
    with pytest.raises(ValueError, match="unknown language"):
        i18n.split_language(["--lang", "fr"])
    with pytest.raises(ValueError, match="needs a value"):
        i18n.split_language(["--lang"])


def test_the_command_line_sends_lang_to_the_gui(monkeypatch):
    seen = []
    monkeypatch.setattr(cli, "_gui", lambda args: seen.append(args) or 0)
    assert cli.main(["--lang", "ja"]) == 0
    assert seen == [["--lang", "ja"]]


def test_the_saved_choice_wins_over_the_system_and_lang_over_both():
    i18n.save_language("ja")
    assert QSettings().value(i18n.SETTINGS_KEY) == "ja"
    assert i18n.choose_language() == "ja"
    assert i18n.choose_language("en") == "en"
    i18n.save_language(None)
    assert i18n.choose_language() == i18n.system_language()


def _texts(window) -> dict[str, list[str]]:
    """The visible words of the window's menus, tabs, docks and buttons."""
    return {
        "menus": [a.text() for a in window.menuBar().actions()],
        "tabs": [window.tabs.tabText(i) for i in range(window.tabs.count())],
        "docks": [d.windowTitle() for d in window.docks.values()],
        "actions": [a.text() for a in window.controller.actions.values()],
        "buttons": sorted(b.text() for b in window.findChildren(QPushButton) if b.text()),
    }


def test_a_window_built_in_japanese_speaks_japanese(qtbot):
    english = open_window(qtbot)
    before = _texts(english)
    english.close()
    app = QApplication.instance()
    translators = i18n.install_translators(app, "ja")
    try:
        assert translators, "the Japanese translation did not load"
        japanese = open_window(qtbot)
        after = _texts(japanese)
        japanese.close()
    finally:
        i18n.remove_translators(app, translators)
    assert before["menus"][0] == "&File"
    assert after["menus"][0] == "ファイル(&F)"
    assert before["docks"] == ["Data", "Model", "Training"]
    assert after["docks"] == ["データ", "モデル", "学習"]
    for part in ("menus", "tabs", "actions"):
        assert len(after[part]) == len(before[part])
        same = [a for a, b in zip(after[part], before[part], strict=True) if a == b]
        assert same in ([], ["GAN"]), f"{part} not all translated: {after[part]}"
    assert after["buttons"], "no buttons found"
    untranslated = set(after["buttons"]) & set(before["buttons"])
    assert not untranslated, f"buttons not translated: {untranslated}"


def _run_gui(tmp_path, *args: str, fonts: bool) -> subprocess.CompletedProcess:
    """Start ``aeviewer ARGS`` offscreen until its window shows, with its own settings, and
    with the system's fonts or none at all."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        AEVIEWER_EXIT_WHEN_SHOWN="1",
        AEVIEWER_STATE_DIR=str(tmp_path / "state"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    if not fonts:
        conf = tmp_path / "fonts.conf"
        conf.write_text(
            f"<fontconfig><dir>{tmp_path / 'no-fonts'}</dir>"
            f"<cachedir>{tmp_path / 'font-cache'}</cachedir></fontconfig>",
            encoding="utf-8",
        )
        env["FONTCONFIG_FILE"] = str(conf)
    return subprocess.run(
        [sys.executable, "-m", "aeviewer", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_without_a_japanese_font_the_app_says_so_once(tmp_path):
    result = _run_gui(tmp_path, "--lang", "ja", fonts=False)
    assert result.returncode == 0, result.stderr
    assert "aeviewer-shown" in result.stdout
    assert result.stderr.count("no font for Japanese") == 1
    assert "fonts-noto-cjk" in result.stderr


def test_an_unknown_language_is_refused_before_the_window(tmp_path):
    result = _run_gui(tmp_path, "--lang", "fr", fonts=True)
    assert result.returncode == 2
    assert "unknown language 'fr'" in result.stderr
    assert "aeviewer-shown" not in result.stdout


def test_the_view_menu_remembers_a_language_for_the_next_start(qtbot):
    window = open_window(qtbot)
    menu = window.language_menu
    assert menu.menuAction() in window.view_menu.actions()
    assert menu.actions_by_code[None].isChecked()  # the system's language by default
    menu.actions_by_code["ja"].trigger()
    assert QSettings().value(i18n.SETTINGS_KEY) == "ja"
    assert i18n.choose_language() == "ja"
    assert "next time" in window.statusBar().currentMessage()
    menu.actions_by_code[None].trigger()
    assert QSettings().value(i18n.SETTINGS_KEY) is None
    window.close()
