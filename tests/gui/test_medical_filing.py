"""异地就医备案 (F11) in the main window: typed from the keyboard (pinyin in the 就医地 list,
Enter through the form), filed, printed on a real CUPS-PDF queue and read back; bad input shown
at its field with nothing saved; the live filing changed and cancelled; the person panel names
the live filing."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from medins_desk.domain.medical_filing import FilingKind, FilingState
from medins_desk.store.models import MedicalFiling, Transaction
from tests.helpers.cups import CupsQueue
from tests.helpers.gui import print_and_read_codes, registered, serving
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.views.medical_filing import MedicalFilingView


def _window(qtbot: QtBot, desk: Desk, context: AppContext) -> tuple[MainWindow, MedicalFilingView]:
    window = serving(qtbot, context, registered(desk, name="张三"))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F11)  # the view's own key
    view = window.medical_filing
    assert window.views.currentWidget() is view
    qtbot.waitUntil(view.kind.hasFocus, timeout=5_000)  # the first field, ready to type
    qtbot.waitUntil(lambda: "张三" in view.person_label.text(), timeout=5_000)
    return window, view


def _counts(desk: Desk) -> tuple[int, int]:
    with desk.session() as session:
        return (
            session.scalar(select(func.count()).select_from(MedicalFiling)) or 0,
            session.scalar(select(func.count()).select_from(Transaction)) or 0,
        )


@pytest.mark.usefixtures("pdf_tools")
def test_a_filing_typed_from_the_keyboard_is_filed_and_its_receipt_printed(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, cups_pdf_queue: CupsQueue
) -> None:
    signed_in.settings = dataclasses.replace(signed_in.settings, printer=cups_pdf_queue.name)
    window, view = _window(qtbot, desk, signed_in)
    assert QKeySequence("F11").toString() in window.navigation.currentItem().text()
    view.kind.setCurrentIndex(view.kind.findData(FilingKind.REFERRAL))
    qtbot.keyClick(view.kind, Qt.Key.Key_Return)  # Enter moves on to the destination
    assert view.destination.hasFocus()
    qtbot.keyClicks(view.destination, "luzhou")
    popup = view.destination.list.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible, timeout=5_000)
    assert view.destination.matches.stringList() == ["四川省泸州市 510500"]
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # the first of the list, and on to the date
    assert view.destination.text() == "四川省泸州市 510500"
    qtbot.waitUntil(view.starts_on.hasFocus, timeout=5_000)
    assert "有效期至 2027-05-17" in view.validity.text()
    view.materials[0].setChecked(True)
    view.materials[2].setChecked(True)
    view.file_button.setFocus()
    qtbot.keyClick(view.file_button, Qt.Key.Key_Return)

    bar = view.voucher_bar
    qtbot.waitUntil(lambda: "已存档" in bar.status.text(), timeout=30_000)
    assert bar.voucher is not None
    serial = bar.voucher.serial
    assert "异地就医备案" in view.message.text() and serial in view.message.text()
    assert "四川省泸州市（510500）" in view.receipt.toPlainText()
    assert "尚缺材料：异地就医备案登记表" in view.receipt.toPlainText()
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    assert view.selected() is not None  # the live filing, ready to change or cancel
    qtbot.waitUntil(lambda: "异地就医备案：四川省泸州市" in window.person_panel.details.text(),
                    timeout=10_000)  # fmt: skip

    assert f"CODE-128:{serial}" in print_and_read_codes(qtbot, window, bar, cups_pdf_queue)
    with desk.session() as session:
        filing = session.scalars(select(MedicalFiling)).one()
    assert (filing.destination_code, filing.kind) == ("510500", FilingKind.REFERRAL)
    assert filing.valid_until == date(2027, 5, 17)


def test_an_unknown_code_and_an_overlap_are_shown_at_their_fields_with_nothing_saved(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    _shown, view = _window(qtbot, desk, signed_in)
    view.destination.setText("519999")
    before = _counts(desk)
    view.file_button.click()
    error = view.errors["destination_code"]
    qtbot.waitUntil(lambda: "519999" in error.text(), timeout=10_000)
    assert "行政区划代码" in error.text()
    assert _counts(desk) == before

    view.destination.setText("成都市 510100")
    view.file_button.click()
    qtbot.waitUntil(lambda: view.voucher_bar.voucher is not None, timeout=30_000)
    first = view.voucher_bar.voucher.serial
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    before = _counts(desk)
    view.destination.setText("510500")
    view.file_button.click()
    overlap = view.errors["starts_on"]
    qtbot.waitUntil(lambda: "重叠" in overlap.text(), timeout=10_000)
    assert first in overlap.text() and "四川省成都市（510100）" in overlap.text()
    assert _counts(desk) == before


def test_the_live_filing_is_changed_then_cancelled(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    _shown, view = _window(qtbot, desk, signed_in)
    view.destination.setText("510100")
    view.file_button.click()
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=30_000)
    view.kind.setCurrentIndex(view.kind.findData(FilingKind.WORK_ELSEWHERE))
    view.destination.setText("440300")
    view.starts_on.setDate(view.starts_on.date().addDays(7))
    assert view.change_button.isEnabled()
    view.change_button.click()
    qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=30_000)
    assert "广东省深圳市（440300）" in view.receipt.toPlainText()
    states = [view.table.item(row, 4).text() for row in range(2)]
    assert states == ["有效", "已变更"]
    view.reason.setText("已回参保地居住")
    view.cancel_button.click()
    qtbot.waitUntil(lambda: "取消异地就医备案" in view.message.text(), timeout=30_000)
    qtbot.waitUntil(lambda: view.table.item(0, 4).text() == "已取消", timeout=10_000)
    assert not view.cancel_button.isEnabled()  # nothing live to cancel
    with desk.session() as session:
        rows = session.scalars(select(MedicalFiling).order_by(MedicalFiling.id)).all()
        assert [f.state for f in rows] == [FilingState.CHANGED, FilingState.CANCELLED]
