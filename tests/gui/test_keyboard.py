"""Keyboard first: Enter moves to the next field and presses a focused button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from medins_desk.domain.card import CardApplicationKind
from medins_desk.domain.correction import CorrectionField
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.loss_report import LossAct
from medins_desk.services.persons import PersonDetail, get_person
from tests.helpers.gui import registered, serving
from tests.helpers.people import register
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow


def _typing_a_phone(
    qtbot: QtBot, desk: Desk, context: AppContext
) -> tuple[MainWindow, PersonDetail, QLineEdit]:
    """张三's correction form, active, with a new mobile number typed into its field."""
    person = registered(desk, name="张三")
    window = serving(qtbot, context, person, lambda w: w.correction)
    window.activateWindow()
    phone = window.correction.new[CorrectionField.PHONE]
    phone.setFocus()
    qtbot.waitUntil(phone.hasFocus, timeout=5_000)
    qtbot.keyClicks(phone, "13800138000")
    return window, person, phone


def test_enter_walks_the_correction_form_and_presses_the_button(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    window, _person, phone = _typing_a_phone(qtbot, desk, signed_in)
    view = window.correction
    qtbot.keyClick(phone, Qt.Key.Key_Return)
    assert view.new[CorrectionField.ADDRESS].hasFocus()
    view.reason.setText("本人更换手机号码")
    view.submit.setFocus()
    qtbot.keyClick(view.submit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "已生效" in view.message.text(), timeout=10_000)


def test_enter_in_the_search_box_still_opens_the_first_match(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    with desk.session() as session:
        register(session, desk.actor("clerk"), name="张三")
    window = MainWindow(signed_in)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.lookup.search, "zs")
    qtbot.waitUntil(lambda: window.lookup.table.rowCount() == 1, timeout=10_000)
    qtbot.keyClick(window.lookup.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.person_panel.person is not None, timeout=10_000)


def test_esc_drops_the_typed_correction_and_nothing_is_saved(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    window, person, phone = _typing_a_phone(qtbot, desk, signed_in)
    view = window.correction
    view.reason.setText("本人更换手机号码")
    qtbot.keyClick(phone, Qt.Key.Key_Escape)  # typed in a field: the window's Esc still cancels
    assert phone.text() == "" and view.reason.text() == ""
    assert "已取消" in window.statusBar().currentMessage()
    assert window.person_panel.person == person  # still serving 张三
    with desk.session() as session:
        assert get_person(session, desk.actor("clerk"), person_id=person.id).phone != "13800138000"


def test_esc_in_the_search_box_clears_it(qtbot: QtBot, signed_in: AppContext) -> None:
    window = MainWindow(signed_in)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    search = window.lookup.search
    search.setFocus()
    qtbot.waitUntil(search.hasFocus, timeout=5_000)
    qtbot.keyClicks(search, "zs")
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""


def test_a_phone_change_from_the_keyboard_alone(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    """F5 puts the cursor in the new phone number, Alt+R in the reason, Alt+S submits."""
    window = serving(qtbot, signed_in, registered(desk, name="张三"))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F5)
    view = window.correction
    phone = view.new[CorrectionField.PHONE]
    qtbot.waitUntil(phone.hasFocus, timeout=5_000)
    qtbot.keyClicks(phone, "13800138000")
    qtbot.keyClick(phone, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(view.reason.hasFocus, timeout=5_000)
    view.reason.insert("本人更换手机号码")
    qtbot.keyClick(view.reason, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "已生效" in view.message.text(), timeout=10_000)


def test_each_loss_act_has_its_alt_key(qtbot: QtBot, desk: Desk, signed_in: AppContext) -> None:
    person = registered(desk, name="张三")
    with desk.session() as session:
        apply_for_card(
            session, desk.actor("clerk"), person_id=person.id, kind=CardApplicationKind.FIRST,
            photo=valid_photo(), instant=True,
        )  # fmt: skip
        person = get_person(session, desk.actor("clerk"), person_id=person.id)
    window = serving(qtbot, signed_in, person, lambda w: w.loss)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    view = window.loss
    qtbot.waitUntil(lambda: view.buttons[LossAct.TEMPORARY].isEnabled(), timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # 临时挂失(L)
    qtbot.waitUntil(lambda: view._confirmation is not None, timeout=5_000)
    assert view._confirmation is not None
    assert view._confirmation.defaultButton() is view._confirmation.button(
        QMessageBox.StandardButton.Yes
    )  # Enter confirms
