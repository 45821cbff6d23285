"""参保信息变更: inline checks as the clerk types, contact changes at once, identity to review."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from medins_desk.domain.correction import CorrectionField, CorrectionState, SupportingDocument
from medins_desk.store.models import BankDebitAccount, CorrectionRequest, Person
from tests.helpers.gui import registered, serving
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow


def _window(qtbot: QtBot, desk: Desk, context: AppContext) -> MainWindow:
    return serving(qtbot, context, registered(desk, name="张三"), lambda w: w.correction)


def test_a_phone_typo_is_flagged_as_typed_then_a_good_one_takes_effect(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    view = _window(qtbot, desk, signed_in).correction
    qtbot.keyClicks(view.new[CorrectionField.PHONE], "1380013")
    assert view.errors[CorrectionField.PHONE].text() != ""
    view.new[CorrectionField.PHONE].setText("13800138000")
    assert view.errors[CorrectionField.PHONE].text() == ""
    view.reason.setText("本人更换手机号码")
    view.submit.click()
    qtbot.waitUntil(lambda: "已生效" in view.message.text(), timeout=10_000)
    with desk.session() as session:
        assert session.scalar(select(Person.phone)) == "13800138000"


def test_a_name_change_waits_for_review_and_needs_documents(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    view = _window(qtbot, desk, signed_in).correction
    view.new[CorrectionField.NAME].setText("张叁")
    view.reason.setText("姓名登记有误")
    view.submit.click()
    qtbot.waitUntil(lambda: "材料" in view.message.text(), timeout=10_000)
    view.documents[SupportingDocument.HOUSEHOLD_REGISTER].setChecked(True)
    view.documents[SupportingDocument.ID_CARD].setChecked(True)
    view.submit.click()
    qtbot.waitUntil(lambda: "待复核" in view.message.text(), timeout=10_000)
    assert "张三 → 张叁" in view.receipt.toPlainText()
    with desk.session() as session:
        assert session.scalar(select(Person.name)) == "张三"  # unchanged until approved
        assert session.scalar(select(CorrectionRequest.state)) is CorrectionState.PENDING


def test_a_bank_account_in_the_holders_own_name(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    view = _window(qtbot, desk, signed_in).correction
    view.bank.setChecked(True)
    view.bank_name.setText("中国工商银行")
    view.account_number.setText("6222020200112233445")
    view.reason.setText("新办银行卡")
    view.submit.click()
    qtbot.waitUntil(lambda: view.message.text() != "", timeout=10_000)
    if view.confirm.isVisible():  # a Luhn warning is a notice to confirm, not a refusal
        view.confirm.click()
    qtbot.waitUntil(lambda: "已生效" in view.message.text(), timeout=10_000)
    with desk.session() as session:
        assert session.scalar(select(BankDebitAccount.bank_name)) == "中国工商银行"
