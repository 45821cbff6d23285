"""挂失/解挂 in the main window: state first, allowed acts only, confirmed, receipted, stored."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from medins_desk.domain.card import CardApplicationKind, CardState
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.loss_report import LossAct, report_loss
from medins_desk.services.persons import get_person
from medins_desk.store.models import Card, LossReport
from tests.helpers.people import make_id, register
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow


def _served(qtbot: QtBot, desk: Desk, context: AppContext) -> tuple[MainWindow, int]:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person = register(session, clerk, name="张三", birth=date(1980, 5, 17)).person
        receipt = apply_for_card(
            session, clerk, person_id=person.id, kind=CardApplicationKind.FIRST,
            photo=valid_photo(), instant=True,
        )  # fmt: skip
        detail = get_person(session, clerk, person_id=person.id)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.serve(detail)
    window.show_view(window.views.indexOf(window.loss))
    view = window.loss
    qtbot.waitUntil(lambda: "正常" in view.card_label.text(), timeout=10_000)
    return window, receipt.card_id


def _confirm(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.loss._confirmation is not None, timeout=5_000)
    box = window.loss._confirmation
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()


def test_a_temporary_report_then_unfreeze(qtbot: QtBot, desk: Desk, signed_in: AppContext) -> None:
    window, card_id = _served(qtbot, desk, signed_in)
    view = window.loss
    buttons = view.buttons
    assert buttons[LossAct.TEMPORARY].isEnabled() and buttons[LossAct.FORMAL].isEnabled()
    assert not buttons[LossAct.UNFREEZE].isEnabled()
    buttons[LossAct.TEMPORARY].click()
    _confirm(qtbot, window)
    qtbot.waitUntil(lambda: "临时挂失至" in view.card_label.text(), timeout=10_000)
    assert "业务流水号" in view.receipt.toPlainText() and "银行" in view.receipt.toPlainText()
    assert view.buttons[LossAct.UNFREEZE].isEnabled()
    assert not view.buttons[LossAct.TEMPORARY].isEnabled()
    with desk.session() as session:
        assert session.get(Card, card_id).state is CardState.TEMP_LOST  # type: ignore[union-attr]
    buttons[LossAct.UNFREEZE].click()
    _confirm(qtbot, window)
    qtbot.waitUntil(lambda: "解挂" in view.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: view.buttons[LossAct.TEMPORARY].isEnabled(), timeout=10_000)


def test_a_bad_agent_is_refused_at_the_field_and_nothing_is_saved(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    window, _ = _served(qtbot, desk, signed_in)
    form = window.loss.representative
    form.enabled.setChecked(True)
    form.id_number.setText("110105198005170012")  # wrong check character
    form.name.setText("李四")
    form.relation.setText("配偶")
    form.phone.setText("13800138000")
    window.loss.buttons[LossAct.FORMAL].click()
    assert "校验" in form.error.text() or "号码" in form.error.text()
    assert window.loss._confirmation is None
    with desk.session() as session:
        assert session.scalar(select(func.count()).select_from(LossReport)) == 0


def test_a_card_another_counter_reported_first_is_named_and_the_form_kept(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    """The clerk types the agent while counter 002 reports the same card: the clerk's report is
    refused naming counter 002 and its serial, and what the clerk typed is still there."""
    window, card_id = _served(qtbot, desk, signed_in)
    form = window.loss.representative
    form.enabled.setChecked(True)
    agent = make_id(date(1982, 3, 9), sequence=7)
    typed = {
        form.id_number: agent,
        form.name: "李四",
        form.relation: "配偶",
        form.phone: "13800138000",
    }
    for field, text in typed.items():
        field.setText(text)
    with desk.session() as session:
        first = report_loss(session, desk.at_counter("clerk2", "002"), card_id=card_id, formal=True)
    window.loss.buttons[LossAct.FORMAL].click()
    _confirm(qtbot, window)
    message = window.loss.message
    qtbot.waitUntil(lambda: "002 号窗口" in message.text(), timeout=10_000)
    assert f"业务流水号 {first.transaction.serial}" in message.text()
    assert {field.text() for field in typed} == set(typed.values())
    assert form.enabled.isChecked()
    with desk.session() as session:
        assert session.scalar(select(func.count()).select_from(LossReport)) == 1
