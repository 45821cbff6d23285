"""The English translation is complete and current, and the app loads it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator
from pytestqt.qtbot import QtBot

from ui.app import load_translations

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "medins_desk_en.ts"
QM = ROOT / "ui" / "i18n" / "medins_desk_en.qm"


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    tree = ET.parse(path)
    return {
        (context.findtext("name") or "", message.findtext("source") or ""): message
        for context in tree.iter("context")
        for message in context.iter("message")
    }


def test_every_tr_string_in_ui_has_a_finished_english_translation(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    subprocess.run(
        [str(lupdate), *sources, "-source-language", "zh_CN", "-target-language", "en",
         "-locations", "none", "-no-obsolete", "-ts", str(fresh)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    committed, current = _messages(TS), _messages(fresh)
    assert set(current) == set(committed), "run `installer/dev-setup.sh i18n` and translate"
    unfinished = [
        key for key, message in current.items()
        if (message.find("translation") is None
            or message.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
            or not message.findtext("translation"))
    ]  # fmt: skip
    assert unfinished == []


def test_the_compiled_catalogue_translates_the_sign_in_dialog(qtbot: QtBot) -> None:
    translator = QTranslator()
    assert translator.load(str(QM)), "the test command builds ui/i18n/*.qm"
    assert translator.translate("SignInDialog", "登录") == "Sign in"
    assert translator.translate("errors", "意外错误") == "Unexpected error"


def test_english_is_installed_when_asked_for_and_chinese_needs_nothing(qtbot: QtBot) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    load_translations(app, "zh_CN")
    assert QCoreApplication.translate("SignInDialog", "登录") == "登录"
    load_translations(app, "en_GB")
    try:
        assert QCoreApplication.translate("SignInDialog", "登录") == "Sign in"
    finally:
        for translator in app.findChildren(QTranslator):
            QCoreApplication.removeTranslator(translator)
            translator.deleteLater()
