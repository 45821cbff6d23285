"""在职转退休 (Shift+F12): from the served citizen to the printed 审核回执 (its codes read back from
the CUPS-PDF output) on SQLite and PostgreSQL, the assessment shown as the date is typed, the
shortfall's choice, the retiree in the person panel, and bad input refused at its field."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.contributions import months_between
from medins_desk.domain.retirement import RetirementOutcome
from medins_desk.services.persons import PersonDetail, get_person
from medins_desk.store.models import ContributionMonth, RetirementCase, Transaction
from tests.helpers.cups import CupsQueue
from tests.helpers.gui import print_and_read_codes, registered, serving, voucher_qr
from tests.helpers.people import put_on_record
from tests.helpers.store import Desk
from ui.context import AppContext

pytestmark = pytest.mark.usefixtures("pdf_tools")

BIRTH = date(1966, 9, 10)  # 60 on 2026-09-10; the desk's clock says 2026-11-18


def _near_retirement(desk: Desk, first: date) -> PersonDetail:
    """王建国, enrolled since 2005-07 (tests.helpers.people), paid here from ``first`` to
    2026-09."""
    person = registered(desk, name="王建国", birth=BIRTH)
    with desk.session() as session:
        put_on_record(session, person.id, months_between(first, date(2026, 9, 1)))
        session.commit()
        return get_person(session, desk.actor("clerk"), person_id=person.id)


def _saved(desk: Desk) -> tuple[int, int, int]:
    with desk.session() as session:
        return (
            int(session.scalar(select(func.count()).select_from(Transaction)) or 0),
            int(session.scalar(select(func.count()).select_from(RetirementCase)) or 0),
            int(session.scalar(select(func.count()).select_from(ContributionMonth)) or 0),
        )


def _type_date(view: object, day: date) -> None:
    edit = view.retirement_date  # type: ignore[attr-defined]
    edit.setDate(QDate(day.year, day.month, day.day))


def test_shift_f12_assesses_as_typed_and_enter_retires_and_ctrl_p_prints(
    qtbot: QtBot, any_desk: Desk, clerk_on_any_store: AppContext, cups_pdf_queue: CupsQueue
) -> None:
    desk, signed_in = any_desk, clerk_on_any_store
    signed_in.settings = dataclasses.replace(signed_in.settings, printer=cups_pdf_queue.name)
    # 1998-01..2026-09: 28 years 9 months paid here, 15 months short of 30 years.
    window = serving(qtbot, signed_in, _near_retirement(desk, date(1998, 1, 1)))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    QTest.keyClick(window, Qt.Key.Key_F12, Qt.KeyboardModifier.ShiftModifier)
    view = window.retirement
    assert window.views.currentWidget() is view
    assert "王建国" in view.person.text()
    assert view.retirement_date.hasFocus()  # Shift+F12 puts the cursor in 退休日期
    _type_date(view, date(2026, 9, 10))
    qtbot.waitUntil(lambda: "还差 1 年 3 个月" in view.assessment.text(), timeout=10_000)
    assert "累计缴费 28 年 9 个月，应达 30 年：差 1 年 3 个月" in view.assessment.text()
    assert view.option.isEnabled()
    # The 退休审批表's 视同缴费 1995-01..1996-12 makes it 30 years 9 months.
    view.deemed_from.setText("1995-01")
    view.deemed_to.setText("1996-12")
    qtbot.waitUntil(lambda: "符合条件" in view.assessment.text(), timeout=10_000)
    assert "退休待遇自 2026-09-10 起" in view.assessment.text()
    assert not view.option.isEnabled()
    view.deemed_to.setFocus()
    QTest.keyClick(view.deemed_to, Qt.Key.Key_Return)  # Enter moves on, past the option
    qtbot.waitUntil(view.submit.hasFocus, timeout=5_000)
    QTest.keyClick(view.submit, Qt.Key.Key_Return)  # and there records the act
    bar = view.voucher_bar
    qtbot.waitUntil(lambda: "已存档" in bar.status.text(), timeout=20_000)
    assert bar.voucher is not None
    serial = bar.voucher.serial
    assert "符合条件" in view.message.text() and serial in view.message.text()
    assert "退休待遇自 2026-09-10 起" in view.receipt.toPlainText()
    qtbot.waitUntil(lambda: "退休人员" in window.person_panel.details.text(), timeout=10_000)
    assert "退休人员：2026-09-10 退休" in window.person_panel.details.text()
    with desk.session() as session:
        txn = session.scalars(select(Transaction).where(Transaction.serial == serial)).one()
        assert txn.kind is BusinessKind.RETIREMENT

    symbols = print_and_read_codes(qtbot, window, bar, cups_pdf_queue)
    assert f"CODE-128:{serial}" in symbols
    assert voucher_qr(signed_in.settings, serial, BusinessKind.RETIREMENT) in symbols


def test_a_shortfall_asks_for_the_option_and_a_deferral_is_registered(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    window = serving(
        qtbot, signed_in, _near_retirement(desk, date(2010, 1, 1)), lambda w: w.retirement
    )
    view = window.retirement
    _type_date(view, date(2026, 9, 10))
    qtbot.waitUntil(lambda: "缴费年限不足" in view.assessment.text(), timeout=10_000)
    view.option.setCurrentIndex(view.option.findData(RetirementOutcome.DEFERRED))
    view.submit.click()
    qtbot.waitUntil(lambda: view.voucher_bar.voucher is not None, timeout=20_000)
    assert "延迟退休登记" in view.message.text()
    qtbot.waitUntil(lambda: "延迟退休登记" in window.person_panel.details.text(), timeout=10_000)
    with desk.session() as session:
        case = session.scalars(select(RetirementCase)).one()
        assert case.outcome is RetirementOutcome.DEFERRED and case.benefit_start is None


def test_years_that_do_not_add_up_are_refused_at_the_field_and_nothing_saved(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    window = serving(
        qtbot, signed_in, _near_retirement(desk, date(1998, 1, 1)), lambda w: w.retirement
    )
    view = window.retirement
    _type_date(view, date(2026, 9, 10))
    before = _saved(desk)
    view.deemed_from.setText("1980-01")  # before his 16th birthday (1982-09)
    view.deemed_to.setText("1996-12")
    qtbot.waitUntil(lambda: view.errors["deemed_from"].text() != "", timeout=10_000)
    assert "早于参保人年满 16 周岁的 1982-09" in view.errors["deemed_from"].text()
    view.submit.click()
    qtbot.waitUntil(lambda: view.errors["deemed_from"].text() != "", timeout=10_000)
    signed_in.runner.wait()
    assert view.voucher_bar.voucher is None and _saved(desk) == before
    # A date in the future: at the date.
    view.deemed_from.clear()
    view.deemed_to.clear()
    _type_date(view, date(2026, 12, 1))
    qtbot.waitUntil(lambda: "晚于今天" in view.errors["retirement_date"].text(), timeout=10_000)
    # Esc clears the form; the citizen stays served.
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert view.errors["retirement_date"].text() == "" and view.deemed_from.text() == ""
    assert "王建国" in view.person.text()
    assert _saved(desk) == before


def test_a_resident_is_refused_at_the_citizen(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    person = registered(desk, name="李四", enrolled=False)
    window = serving(qtbot, signed_in, person, lambda w: w.retirement)
    view = window.retirement
    qtbot.waitUntil(lambda: view.errors["person"].text() != "", timeout=10_000)
    assert "李四 没有职工医保参保记录" in view.errors["person"].text()
