"""Starting the app: the gui command, the log file, unexpected errors that never kill the app."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from medins_desk.errors import BusinessRuleError
from ui.app import add_rare_face, preload_printing, set_up_logging
from ui.context import AppContext
from ui.errors import message_of, show_unexpected


def _medins_desk() -> str:
    return str(Path(sys.executable).with_name("medins-desk"))


def test_no_command_without_a_display_explains_instead_of_crashing(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
        and not k.startswith("MEDINS_")
    }
    env["MEDINS_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [_medins_desk(), "--db", f"sqlite+pysqlite:///{tmp_path / 'm.db'}"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "没有图形显示" in result.stderr


def test_the_log_goes_to_a_rotating_file_in_the_user_log_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ui.app.log_dir", lambda: tmp_path / "logs")
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        set_up_logging()
        logging.getLogger("ui.test").error("写入日志")
        for handler in root.handlers:
            handler.flush()
        assert "写入日志" in (tmp_path / "logs" / "medins-desk.log").read_text(encoding="utf-8")
    finally:
        for handler in set(root.handlers) - set(before):
            root.removeHandler(handler)
            handler.close()


def test_a_failing_worker_reaches_the_error_dialog_with_details(
    qtbot: QtBot, app_context: AppContext
) -> None:
    shown: list[BaseException] = []
    app_context.runner.unexpected = shown.append

    def broken() -> None:
        raise ZeroDivisionError("boom")

    app_context.runner.submit(broken)
    qtbot.waitUntil(lambda: bool(shown), timeout=5_000)
    assert isinstance(shown[0], ZeroDivisionError)
    show_unexpected(shown[0])
    box = next(w for w in qtbot_top_level() if isinstance(w, QMessageBox))
    assert "意外错误" in box.text() and "ZeroDivisionError" in box.detailedText()
    box.close()


def test_service_errors_show_their_own_chinese_message() -> None:
    assert message_of(BusinessRuleError("此卡已挂失")) == "此卡已挂失"
    assert "意外错误" in message_of(KeyError("x"))


def qtbot_top_level() -> list[object]:
    from PySide6.QtWidgets import QApplication

    return list(QApplication.topLevelWidgets())


def test_the_voucher_fonts_load_in_a_worker_and_a_missing_one_is_only_logged(
    qtbot: QtBot,
    app_context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from printing import fonts

    unexpected: list[BaseException] = []
    app_context.runner.unexpected = unexpected.append
    fonts.main_face.cache_clear()
    fonts.song_face.cache_clear()
    try:
        preload_printing(app_context)
        qtbot.waitUntil(lambda: fonts.song_face.cache_info().currsize == 1, timeout=10_000)
        assert fonts.main_face.cache_info().currsize == 1

        fonts.main_face.cache_clear()
        monkeypatch.setattr(fonts, "resources_dir", lambda: tmp_path)  # no shipped 黑体
        with caplog.at_level(logging.WARNING, logger="ui.app"):
            preload_printing(app_context)
            qtbot.waitUntil(lambda: "缺少凭证字体" in caplog.text, timeout=10_000)
        assert unexpected == []  # no error dialog before the clerk asked for any voucher
    finally:
        monkeypatch.undo()
        fonts.main_face.cache_clear()
        fonts.song_face.cache_clear()


def test_the_screen_draws_extension_b_with_the_vouchers_face(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    """The face the vouchers print 𠮷 with is Qt's fallback too: on a counter installed from
    the package it exists only in the bundle (resources/fonts), not among the system's fonts
    (here fonts-hanazono may draw it first: the package test's clean root has none)."""
    from PySide6.QtGui import QFont, QTextLayout

    from printing import fonts

    add_rare_face(fonts.rare_font_file())
    layout = QTextLayout("王𠮷", QFont())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    drawn = {run.rawFont().familyName(): list(run.glyphIndexes()) for run in layout.glyphRuns()}
    assert len(drawn) == 2, drawn  # 王 and 𠮷 from two faces
    assert all(0 not in glyphs for glyphs in drawn.values()), drawn  # glyph 0: a box

    with caplog.at_level(logging.WARNING, logger="ui.app"):
        add_rare_face(None)
    assert "王𠮷 show boxes" in caplog.text
