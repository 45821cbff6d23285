"""One truth on the clerk's screen: after every act of every business, the person panel, its
近期业务 list (the act just done selected) and the lookup rows say what the store holds."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from medins_desk.domain.card import CardApplicationKind
from medins_desk.domain.correction import CorrectionField, SupportingDocument
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.correction import submit_correction
from medins_desk.services.loss_report import LossAct, report_loss
from medins_desk.services.persons import PersonDetail, get_person, search_persons
from tests.helpers.gui import registered
from tests.helpers.people import register
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.labels import tr_label
from ui.main_window import MainWindow


def _open(qtbot: QtBot, context: AppContext, person: PersonDetail) -> MainWindow:
    """The main window with ``person`` opened as a clerk does: the number typed, then Enter."""
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    QTest.keyClicks(window.lookup.search, person.id_number)
    QTest.keyClick(window.lookup.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.context.served.person is not None, timeout=10_000)
    return window


def _history(window: MainWindow) -> list[str]:
    table = window.person_panel.history
    return [table.item(row, 2).text() for row in range(table.rowCount())]


def _disagreements(window: MainWindow, desk: Desk, serial: str) -> list[str]:
    """What the screen says that the store, read afresh, does not (empty when they agree)."""
    served = window.context.served.person
    if served is None:
        return ["nobody is served"]
    with desk.session() as session:
        fresh = get_person(session, desk.actor("super"), person_id=served.id)
        lookup_text = window.lookup.search.text()
        hits = search_persons(session, desk.actor("super"), text=lookup_text)
    panel = window.person_panel
    wrong = []
    if not panel.title.text().startswith(fresh.name):
        wrong.append(f"title {panel.title.text()}")
    details = panel.details.text()
    for card in fresh.cards:
        line = f"{card.card_number or '（未制卡）'} {tr_label(card.state.label)}"
        if line not in details:
            wrong.append(f"card line {line}")
    for enrollment in fresh.enrollments:
        if tr_label(enrollment.status.label) not in details:
            wrong.append(f"enrollment {enrollment.status.label}")
    if fresh.phone and fresh.phone not in details:
        wrong.append(f"phone {fresh.phone}")
    if _history(window) != [line.serial for line in fresh.transactions]:
        wrong.append(f"history {_history(window)}")
    voided = {line.serial for line in fresh.transactions if line.voided}
    table = panel.history
    for row in range(table.rowCount()):
        if (table.item(row, 2).text() in voided) != ("已作废" in table.item(row, 1).text()):
            wrong.append(f"void mark of {table.item(row, 2).text()}")
    if panel.selected_serial() != serial:
        wrong.append(f"selected {panel.selected_serial()} not {serial}")
    rows = window.lookup.table
    listed = [(rows.item(r, 0).text(), rows.item(r, 4).text()) for r in range(rows.rowCount())]
    if lookup_text and listed != [(hit.name, hit.card_number or "") for hit in hits]:
        wrong.append(f"lookup rows {listed}")
    return wrong


def _agrees(qtbot: QtBot, window: MainWindow, desk: Desk, serial: str) -> None:
    qtbot.waitUntil(lambda: not _disagreements(window, desk, serial), timeout=10_000)
    assert serial in _history(window)


def _serial_in(text: str) -> str:
    found = re.search(r"\d{22}", text)
    assert found is not None, text
    return found.group()


def _card_holder(desk: Desk, **person: object) -> PersonDetail:
    clerk = desk.actor("clerk")
    detail = registered(desk, **person)
    with desk.session() as session:
        apply_for_card(
            session, clerk, person_id=detail.id, kind=CardApplicationKind.FIRST,
            photo=valid_photo(), instant=True,
        )  # fmt: skip
        return get_person(session, clerk, person_id=detail.id)


def test_card_application(qtbot: QtBot, desk: Desk, signed_in: AppContext, tmp_path: Path) -> None:
    window = _open(qtbot, signed_in, registered(desk, name="王玥"))
    view = window.card_application
    window.show_view(window.views.indexOf(view))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(valid_photo())
    view.model.load_photo(photo)
    qtbot.waitUntil(lambda: view.photo_problems.text() == "照片符合制卡要求", timeout=10_000)
    view.submit.click()
    qtbot.waitUntil(lambda: "已受理" in view.message.text(), timeout=10_000)
    _agrees(qtbot, window, desk, _serial_in(view.message.text()))
    assert "申领受理" in window.person_panel.details.text()


@pytest.mark.parametrize("act", [LossAct.TEMPORARY, LossAct.FORMAL])
def test_loss_report(qtbot: QtBot, desk: Desk, signed_in: AppContext, act: LossAct) -> None:
    window = _open(qtbot, signed_in, _card_holder(desk, name="张伟"))
    view = window.loss
    window.show_view(window.views.indexOf(view))
    qtbot.waitUntil(lambda: view.buttons[act].isEnabled(), timeout=10_000)
    view.buttons[act].click()
    qtbot.waitUntil(lambda: view._confirmation is not None, timeout=5_000)
    assert view._confirmation is not None
    view._confirmation.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "已办理" in view.message.text(), timeout=10_000)
    _agrees(qtbot, window, desk, _serial_in(view.message.text()))
    assert tr_label(act.label) in window.person_panel.details.text()


def test_unfreeze(qtbot: QtBot, desk: Desk, signed_in: AppContext) -> None:
    holder = _card_holder(desk, name="李堃")
    window = _open(qtbot, signed_in, holder)
    view = window.loss
    window.show_view(window.views.indexOf(view))
    for act in (LossAct.TEMPORARY, LossAct.UNFREEZE):
        qtbot.waitUntil(lambda a=act: view.buttons[a].isEnabled(), timeout=10_000)
        view.buttons[act].click()
        qtbot.waitUntil(lambda: view._confirmation is not None, timeout=5_000)
        assert view._confirmation is not None
        view._confirmation.button(QMessageBox.StandardButton.Yes).click()
        qtbot.waitUntil(lambda a=act: tr_label(a.label) in view.message.text(), timeout=10_000)
        _agrees(qtbot, window, desk, _serial_in(view.message.text()))
    assert "正常" in window.person_panel.details.text()


def test_correction(qtbot: QtBot, desk: Desk, signed_in: AppContext) -> None:
    window = _open(qtbot, signed_in, registered(desk, name="陈珺"))
    view = window.correction
    window.show_view(window.views.indexOf(view))
    view.new[CorrectionField.PHONE].setText("13912345678")
    view.reason.setText("本人更换手机号码")
    view.submit.click()
    qtbot.waitUntil(lambda: "已生效" in view.message.text(), timeout=10_000)
    _agrees(qtbot, window, desk, _serial_in(view.message.text()))
    assert "13912345678" in window.person_panel.details.text()
    assert view.current[CorrectionField.PHONE].text() == "13912345678"


def test_transfer_out(qtbot: QtBot, desk: Desk, signed_in: AppContext) -> None:
    window = _open(qtbot, signed_in, registered(desk, name="阿依古丽·买买提"))
    view = window.transfer
    window.show_view(window.views.indexOf(view))
    view.other_agency.setText("上海市医疗保障局")
    view.other_region.setText("310104")
    view.suspend_reason.setText("到外地就业")
    view.suspend.click()
    qtbot.waitUntil(lambda: "已暂停本地参保" in view.message.text(), timeout=10_000)
    _agrees(qtbot, window, desk, _serial_in(view.message.text()))
    assert "暂停" in window.person_panel.details.text()
    view.transfer_out.click()
    qtbot.waitUntil(lambda: "已开具参保凭证" in view.message.text(), timeout=10_000)
    _agrees(qtbot, window, desk, _serial_in(view.message.text()))


def test_review_decision_shows_on_the_served_persons_panel(
    qtbot: QtBot, desk: Desk, supervisor: AppContext
) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person = register(session, clerk, name="张三", birth=date(1980, 5, 17)).person
        submit_correction(
            session, clerk, person_id=person.id, changes={CorrectionField.NAME: "张叁"},
            reason="姓名登记有误",
            documents=(SupportingDocument.HOUSEHOLD_REGISTER, SupportingDocument.ID_CARD),
        )  # fmt: skip
        detail = get_person(session, clerk, person_id=person.id)
    window = _open(qtbot, supervisor, detail)
    review = window.review
    assert review is not None
    window.show_view(window.views.indexOf(review))
    qtbot.waitUntil(lambda: review.queue.count() == 1, timeout=10_000)
    review.queue.setCurrentRow(0)
    review.approve.click()
    qtbot.waitUntil(lambda: "已通过" in review.message.text(), timeout=10_000)
    _agrees(qtbot, window, desk, _serial_in(review.message.text()))
    assert window.person_panel.title.text().startswith("张叁")


def test_void_shows_on_the_served_persons_panel(
    qtbot: QtBot, desk: Desk, supervisor: AppContext
) -> None:
    holder = _card_holder(desk, name="赵敏")
    clerk = desk.actor("clerk")
    with desk.session() as session:
        card_id = holder.cards[0].id
        serial = report_loss(session, clerk, card_id=card_id, formal=False).transaction.serial
        holder = get_person(session, clerk, person_id=holder.id)
    window = _open(qtbot, supervisor, holder)
    ledger = window.ledger
    assert ledger is not None
    window.void_act(serial, desk.clock().date())
    qtbot.waitUntil(lambda: ledger._selected_serial() == serial, timeout=10_000)
    ledger.reason.setText("录入错误")
    ledger.void_button.click()
    qtbot.waitUntil(lambda: "已作废" in ledger.message.text(), timeout=10_000)
    _agrees(qtbot, window, desk, serial)
    assert "作废" in window.person_panel.history.item(0, 1).text()


def test_an_act_done_at_another_counter_shows_when_the_clerk_moves_on(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    """The panel is read again whenever the clerk opens a view (F2-F10)."""
    holder = _card_holder(desk, name="孙悦")
    window = _open(qtbot, signed_in, holder)
    other_counter = desk.at_counter("clerk2", "002")
    with desk.session() as session:
        serial = report_loss(
            session, other_counter, card_id=holder.cards[0].id, formal=False
        ).transaction.serial
    window.show_view(window.views.indexOf(window.loss))
    qtbot.waitUntil(lambda: serial in _history(window), timeout=10_000)
    assert "临时挂失" in window.person_panel.details.text()
    qtbot.waitUntil(lambda: "临时挂失" in window.loss.card_label.text(), timeout=10_000)
