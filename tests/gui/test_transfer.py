"""医保关系转移 in the main window: a transfer out and a transfer in, step by step."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from medins_desk.domain.transfer import TransferStage
from medins_desk.store.models import TransferCase
from tests.helpers.gui import registered, serving
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow


def _window(qtbot: QtBot, desk: Desk, context: AppContext) -> MainWindow:
    return serving(qtbot, context, registered(desk, name="张三"), lambda w: w.transfer)


def _stage(desk: Desk) -> TransferStage | None:
    with desk.session() as session:
        return session.scalar(select(TransferCase.stage))


def test_transfer_out_suspend_certificate_letter_form(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    view = _window(qtbot, desk, signed_in).transfer
    view.other_agency.setText("上海市医疗保障局")
    view.other_region.setText("310104")
    view.transfer_out.click()  # the local enrollment is still active
    qtbot.waitUntil(lambda: "暂停" in view.message.text(), timeout=10_000)
    view.suspend_reason.setText("到外地就业")
    view.suspend.click()
    qtbot.waitUntil(lambda: "已暂停本地参保" in view.message.text(), timeout=10_000)
    view.transfer_out.click()
    qtbot.waitUntil(lambda: "已开具参保凭证" in view.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    view.table.selectRow(0)
    assert view.record_letter.isEnabled() and not view.issue_form.isEnabled()
    view.letter_from.setText("上海市医疗保障局")
    view.letter_number.setText("沪医保转〔2026〕101号")
    view.record_letter.click()
    qtbot.waitUntil(lambda: _stage(desk) is TransferStage.OUT_LETTER_RECEIVED, timeout=10_000)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    view.table.selectRow(0)
    qtbot.waitUntil(view.issue_form.isEnabled, timeout=10_000)
    view.issue_form.click()
    qtbot.waitUntil(lambda: _stage(desk) is TransferStage.COMPLETED, timeout=10_000)
    qtbot.waitUntil(lambda: view.table.rowCount() == 0, timeout=10_000)  # open cases only


def test_transfer_in_with_a_bad_balance_then_the_whole_case(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    view = _window(qtbot, desk, signed_in).transfer
    view.other_agency.setText("四川省成都市医疗保障局")
    view.other_region.setText("510107")
    view.certificate_date.setDate(QDate(2005, 6, 30))
    view.period_start.setDate(QDate(1999, 7, 1))
    view.period_end.setDate(QDate(2005, 6, 30))
    view.origin_actual.setValue(71)
    view.origin_balance.setText("十二元")
    view.transfer_in.click()
    assert "个人账户余额应为金额" in view.message.text()
    view.origin_balance.setText("3456.78")
    view.transfer_in.click()
    qtbot.waitUntil(lambda: "联系函" in view.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    assert _stage(desk) is TransferStage.IN_LETTER_SENT
    view.table.selectRow(0)
    view.info_actual.setValue(71)
    view.info_balance.setText("3456.78")
    view.info_received.setDate(QDate(date(2026, 11, 18)))
    view.record_info.click()
    qtbot.waitUntil(lambda: _stage(desk) is TransferStage.IN_INFO_RECEIVED, timeout=10_000)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    view.table.selectRow(0)
    qtbot.waitUntil(view.complete.isEnabled, timeout=10_000)
    view.complete.click()
    qtbot.waitUntil(lambda: _stage(desk) is TransferStage.COMPLETED, timeout=10_000)
