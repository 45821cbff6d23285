"""日结台账 for a supervisor: the day's list, void with a reason, close the day, export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.helpers import pdfs
from tests.helpers.people import register
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow


def _window(qtbot: QtBot, desk: Desk, context: AppContext) -> MainWindow:
    with desk.session() as session:
        register(session, desk.actor("clerk"), name="张三", sequence=1)
        register(session, desk.actor("clerk"), name="李四", sequence=2, birth=date(1990, 3, 4))
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    assert window.ledger is not None
    window.show_view(window.views.indexOf(window.ledger))
    qtbot.waitUntil(lambda: window.ledger is not None and window.ledger.table.rowCount() == 2)
    return window


def test_void_then_close_the_day(qtbot: QtBot, desk: Desk, supervisor: AppContext) -> None:
    window = _window(qtbot, desk, supervisor)
    view = window.ledger
    assert view is not None
    assert view.day.date().toString("yyyy-MM-dd") == "2026-11-18"  # the actor's day, not the PC's
    assert "*" in view.table.item(0, 4).text()  # masked
    view.table.selectRow(0)
    view.void_button.click()
    qtbot.waitUntil(lambda: "原因" in view.message.text(), timeout=10_000)  # a reason is required
    view.reason.setText("录入错误，重新办理")
    view.void_button.click()
    qtbot.waitUntil(lambda: "已作废" in view.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: "作废 1 笔" in view.totals.text(), timeout=10_000)
    view.close_button.click()
    qtbot.waitUntil(lambda: isinstance(view._dialog, QMessageBox), timeout=5_000)
    assert isinstance(view._dialog, QMessageBox)
    view._dialog.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "已日结" in view.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: not view.close_button.isEnabled(), timeout=10_000)
    assert not view.void_button.isEnabled()


def test_export_writes_the_file_in_a_worker(
    qtbot: QtBot, desk: Desk, supervisor: AppContext, tmp_path: Path
) -> None:
    window = _window(qtbot, desk, supervisor)
    view = window.ledger
    assert view is not None
    out = tmp_path / "台账.csv"
    view.model.export(out)
    qtbot.waitUntil(lambda: "已导出 2 笔" in view.message.text(), timeout=10_000)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_pdf_export_is_the_printed_ledger(
    qtbot: QtBot, desk: Desk, supervisor: AppContext, tmp_path: Path
) -> None:
    window = _window(qtbot, desk, supervisor)
    view = window.ledger
    assert view is not None
    qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=10_000)
    out = tmp_path / "台账.pdf"
    view.export(out)
    qtbot.waitUntil(lambda: "已导出 2 笔" in view.message.text(), timeout=15_000)
    words = "".join(pdfs.text(out.read_bytes()).split())
    assert "日结台账" in words and "第1页共1页" in words
    assert not view.progress.isVisible()


def test_cancel_in_the_progress_dialog_stops_the_export(
    qtbot: QtBot, desk: Desk, supervisor: AppContext
) -> None:
    window = _window(qtbot, desk, supervisor)
    view = window.ledger
    assert view is not None
    view.progress.show()
    view.progress.activateWindow()  # as it is when it pops up over the window
    qtbot.waitUntil(view.progress.isActiveWindow, timeout=5_000)
    qtbot.keyClick(view.progress, Qt.Key.Key_Escape)
    assert view.model._cancel.is_set()


def test_a_clerk_has_no_ledger(qtbot: QtBot, desk: Desk, signed_in: AppContext) -> None:
    window = MainWindow(signed_in)
    qtbot.addWidget(window)
    assert window.ledger is None
    # 查询, the four first businesses, 参保登记, 异地就医备案, 个人账户继承, 参保证明 and 在职转退休
    assert window.navigation.count() == 10


def _close(qtbot: QtBot, window: MainWindow) -> None:
    view = window.ledger
    assert view is not None
    view.close_button.click()
    qtbot.waitUntil(lambda: isinstance(view._dialog, QMessageBox), timeout=5_000)
    assert isinstance(view._dialog, QMessageBox)
    view._dialog.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "已日结" in view.message.text(), timeout=20_000)


def test_the_day_close_backs_up_and_the_view_says_when(
    qtbot: QtBot, desk: Desk, supervisor: AppContext
) -> None:
    window = _window(qtbot, desk, supervisor)
    view = window.ledger
    assert view is not None
    qtbot.waitUntil(lambda: "尚无备份" in view.last_backup.text(), timeout=10_000)
    _close(qtbot, window)
    folder = Path(supervisor.settings.backup_folder)
    (backup,) = folder.iterdir()
    assert f"已备份到 {backup}" in view.message.text()
    qtbot.waitUntil(lambda: "最近备份：2026-11-18 09:30" in view.last_backup.text(), timeout=10_000)


def test_a_failed_backup_is_told_and_the_day_stays_closed(
    qtbot: QtBot, desk: Desk, supervisor: AppContext, tmp_path: Path
) -> None:
    Path(supervisor.settings.backup_folder).write_text("a file, not a folder")
    window = _window(qtbot, desk, supervisor)
    view = window.ledger
    assert view is not None
    _close(qtbot, window)
    assert "备份失败" in view.message.text() and "日结已完成" in view.message.text()
    qtbot.waitUntil(lambda: not view.close_button.isEnabled(), timeout=10_000)
