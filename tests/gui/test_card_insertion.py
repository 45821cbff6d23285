"""插卡 anywhere: the real pcscd with a virtual card; the person opens, a lost card is flagged."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from medins_desk.domain.card import CardState
from medins_desk.domain.correction import CorrectionField
from medins_desk.services.persons import register_person
from medins_desk.store.models import Card
from tests.helpers.gui import texts_showing
from tests.helpers.pcsc import PcscStack
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow


def _window(qtbot: QtBot, context: AppContext) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "等待插卡" in window.reader_status.text(), timeout=10_000)
    return window


def _register(desk: Desk, id_number: str, name: str) -> int:
    with desk.session() as session:
        return int(
            register_person(session, desk.actor("clerk"), id_number=id_number, name=name).person.id
        )


def test_an_inserted_card_opens_its_holder(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, pcsc_stack: PcscStack
) -> None:
    _register(desk, "110105198005170033", "张伟")
    window = _window(qtbot, signed_in)
    pcsc_stack.insert("ordinary")
    qtbot.waitUntil(lambda: window.person_panel.person is not None, timeout=10_000)
    assert window.person_panel.title.text().startswith("张伟")
    assert window.card_application.person is not None  # the forms are prepared for them too
    assert "已插卡" in window.reader_status.text()


def test_an_inserted_card_replaces_everything_the_last_citizen_left(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, pcsc_stack: PcscStack
) -> None:
    _register(desk, "110105198005170033", "张伟")
    _register(desk, "11010519491231002X", "李四")
    window = _window(qtbot, signed_in)
    QTest.keyClicks(window.lookup.search, "11010519491231002X")
    QTest.keyClick(window.lookup.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.person_panel.title.text().startswith("李四"), timeout=10_000)
    window.correction.new[CorrectionField.PHONE].setText("13912345678")  # typed for 李四
    pcsc_stack.insert("ordinary")
    qtbot.waitUntil(lambda: window.person_panel.title.text().startswith("张伟"), timeout=10_000)
    assert window.lookup.search.text() == "" and window.lookup.table.rowCount() == 0
    assert window.correction.new[CorrectionField.PHONE].text() == ""
    left = texts_showing(window, ("李四", "11010519491231002X", "110105********002X"))
    assert not left, left


def test_a_card_the_store_has_as_lost_is_flagged_at_once(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, pcsc_stack: PcscStack
) -> None:
    person_id = _register(desk, "110105198005170033", "张伟")
    with desk.session() as session:
        session.add(
            Card(
                person_id=person_id, card_number="X00000019", state=CardState.FORMAL_LOST,
                region_code="110105", issue_date=date(2021, 6, 1), expiry_date=date(2031, 6, 1),
                state_changed_at=datetime(2026, 11, 1, 9, 0),
            )
        )  # fmt: skip
        session.commit()
    window = _window(qtbot, signed_in)
    pcsc_stack.insert("ordinary")
    qtbot.waitUntil(lambda: isinstance(window._notice, QMessageBox), timeout=10_000)
    assert window._notice is not None and "挂失" in window._notice.text()


def test_a_card_asking_for_its_pin_gets_a_masked_dialog(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, pcsc_stack: PcscStack
) -> None:
    window = _window(qtbot, signed_in)
    pcsc_stack.insert("pin")
    qtbot.waitUntil(lambda: window._pin_dialog is not None, timeout=10_000)
    dialog = window._pin_dialog
    assert isinstance(dialog, QInputDialog)
    dialog.setTextValue("123456")
    dialog.accept()
    # The PIN opened the card: its holder is not on record, so registration comes up with it.
    qtbot.waitUntil(lambda: window.views.currentWidget() is window.registration, timeout=10_000)
    assert "未在本库登记" in window.registration.message.text()


def test_the_training_menu_inserts_a_demo_card(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, pcsc_stack: PcscStack
) -> None:
    _register(desk, "110105198005170033", "张伟")
    window = _window(qtbot, signed_in)
    menu = next(
        action.menu()
        for action in window.menuBar().actions()
        if action.text().startswith("培训/演示")
    )
    qtbot.waitUntil(lambda: len(menu.actions()) > 2, timeout=10_000)  # filled from a worker
    labels = [action.text() for action in menu.actions()]
    assert any("生僻字" in label or "王𠮷" in label for label in labels) and "拔出演示卡" in labels
    ordinary = next(a for a in menu.actions() if "普通成年人" in a.text())
    ordinary.trigger()
    qtbot.waitUntil(lambda: window.person_panel.person is not None, timeout=15_000)
    # The status bar repeats the menu's words, never the profile's file name.
    said = window.statusBar().currentMessage()
    assert "ordinary" not in said
    assert not said.startswith("已插入演示卡") or said.split("：", 1)[1] in ordinary.text()
    assert window.person_panel.title.text().startswith("张伟")
    window.demo_cards.remove()
    qtbot.waitUntil(lambda: "等待插卡" in window.reader_status.text(), timeout=10_000)
