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


def _domain_labels() -> set[str]:
    """Every label of every enum the core shows to people."""
    import enum
    import importlib
    import pkgutil

    import medins_desk.domain
    from medins_desk.services.loss_report import LossAct
    from medins_desk.services.vouchers import DocumentKind

    enums: list[type[enum.Enum]] = [DocumentKind, LossAct]
    for info in pkgutil.iter_modules(medins_desk.domain.__path__):
        module = importlib.import_module(f"medins_desk.domain.{info.name}")
        enums += [
            value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, enum.Enum)
            and isinstance(getattr(value, "label", None), property)
        ]  # fmt: skip
    return {member.label for cls in enums for member in cls}


def test_every_core_label_is_listed_for_translation() -> None:
    from ui.labels import LABELS

    labels = _domain_labels()
    assert len(labels) > 100  # the scan found the enums
    assert labels - set(LABELS) == set(), "add them to ui/labels.py, then run i18n"


def test_core_labels_show_in_english_when_english_is_chosen(qtbot: QtBot) -> None:
    from medins_desk.domain.business import BusinessKind
    from medins_desk.domain.card import CardState
    from ui.labels import tr_label

    app = QCoreApplication.instance()
    assert app is not None
    assert tr_label(CardState.TEMP_LOST.label) == "临时挂失"
    load_translations(app, "en_GB")
    try:
        assert tr_label(CardState.TEMP_LOST.label) == "Reported lost (temporary)"
        assert tr_label(BusinessKind.CARD_APPLICATION.label) == "Card application"
    finally:
        for translator in app.findChildren(QTranslator):
            QCoreApplication.removeTranslator(translator)
            translator.deleteLater()
