"""参保证明 (F12): from the served citizen to the printed 参保缴费证明 (its codes read back from the
CUPS-PDF output) on SQLite and PostgreSQL, the months in the person panel, and bad input refused
at its field."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.contributions import CertificateScope, months_between
from medins_desk.services.persons import PersonDetail, get_person
from medins_desk.store.models import Certificate, Transaction
from tests.helpers.cups import CupsQueue
from tests.helpers.gui import print_and_read_codes, registered, serving, voucher_qr
from tests.helpers.people import put_on_record
from tests.helpers.store import Desk
from ui.context import AppContext

pytestmark = pytest.mark.usefixtures("pdf_tools")


def _with_months(desk: Desk) -> PersonDetail:
    """张三, enrolled since 2005-07 (tests.helpers.people), with 2016-01..2026-10 paid here."""
    person = registered(desk, name="张三")
    with desk.session() as session:
        put_on_record(session, person.id, months_between(date(2016, 1, 1), date(2026, 10, 1)))
        session.commit()
        return get_person(session, desk.actor("clerk"), person_id=person.id)


def _saved(desk: Desk) -> tuple[int, int]:
    with desk.session() as session:
        return (
            int(session.scalar(select(func.count()).select_from(Transaction)) or 0),
            int(session.scalar(select(func.count()).select_from(Certificate)) or 0),
        )


def test_f11_issues_a_contribution_certificate_and_ctrl_p_prints_it(
    qtbot: QtBot, any_desk: Desk, clerk_on_any_store: AppContext, cups_pdf_queue: CupsQueue
) -> None:
    desk, signed_in = any_desk, clerk_on_any_store
    signed_in.settings = dataclasses.replace(signed_in.settings, printer=cups_pdf_queue.name)
    window = serving(qtbot, signed_in, _with_months(desk))
    panel = window.person_panel.details.text()
    assert "累计缴费 10 年 10 个月（本地 10 年 10 个月）" in panel
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    QTest.keyClick(window, Qt.Key.Key_F12)
    view = window.certificate
    assert window.views.currentWidget() is view
    assert "参保记录 1 段" in view.person.text() and "累计缴费" in view.person.text()
    assert view.scope.currentData() == CertificateScope.CONTRIBUTION
    assert view.purpose.hasFocus()  # F12 puts the cursor in 用途
    view.purpose.setText("购房贷款")  # typed through the input method
    QTest.keyClick(view.purpose, Qt.Key.Key_Return)  # Enter moves on to the button
    assert view.submit.hasFocus()
    QTest.keyClick(view.submit, Qt.Key.Key_Return)  # and there issues it
    bar = view.voucher_bar
    qtbot.waitUntil(lambda: "已存档" in bar.status.text(), timeout=20_000)
    assert bar.voucher is not None
    serial = bar.voucher.serial
    assert "已开具参保缴费证明" in view.message.text() and serial in view.message.text()
    assert "2005-07-01 至 至今  参保缴费" in view.receipt.toPlainText()
    with desk.session() as session:
        txn = session.scalars(select(Transaction).where(Transaction.serial == serial)).one()
        assert txn.kind is BusinessKind.CERTIFICATE
        assert txn.summary == "开具参保缴费证明 张三（用途：购房贷款）"

    symbols = print_and_read_codes(qtbot, window, bar, cups_pdf_queue)
    assert f"CODE-128:{serial}" in symbols
    assert voucher_qr(signed_in.settings, serial, BusinessKind.CERTIFICATE) in symbols


def test_a_citizen_with_no_enrollment_is_refused_at_the_citizen_and_nothing_saved(
    qtbot: QtBot, any_desk: Desk, clerk_on_any_store: AppContext
) -> None:
    desk, signed_in = any_desk, clerk_on_any_store
    person = registered(desk, name="李四", enrolled=False)
    window = serving(qtbot, signed_in, person, lambda w: w.certificate)
    view = window.certificate
    assert "参保记录 0 段" in view.person.text()
    before = _saved(desk)
    view.submit.click()
    qtbot.waitUntil(lambda: view.person_error.text() != "", timeout=10_000)
    assert "李四 没有参保记录" in view.person_error.text()
    assert "请先办理参保登记" in view.person_error.text()
    assert view.purpose_error.text() == "" and view.voucher_bar.voucher is None
    assert _saved(desk) == before


def test_a_purpose_too_long_is_refused_at_its_field(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    window = serving(qtbot, signed_in, _with_months(desk), lambda w: w.certificate)
    view = window.certificate
    before = _saved(desk)
    view.purpose.setText("因" * 31)
    view.submit.click()
    qtbot.waitUntil(lambda: view.purpose_error.text() != "", timeout=10_000)
    assert "用途不能超过 30 个字" in view.purpose_error.text()
    assert view.purpose.hasFocus() and view.person_error.text() == ""
    assert _saved(desk) == before
    # Esc clears the form; the citizen stays served.
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert view.purpose.text() == "" and view.purpose_error.text() == ""
    assert "张三" in view.person.text()
