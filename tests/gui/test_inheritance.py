"""个人账户余额继承 (Shift+F7): from the served deceased citizen to the archived 承诺书; a minor
heir without a guardian refused at the guardian's part with nothing saved; the supervisor's
approval in 复核 to the archived 支付通知, never of their own request."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from medins_desk.domain.card import CardApplicationKind, CardState
from medins_desk.domain.inheritance import DeathProof, HeirRelation, InheritanceState
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.inheritance import Heir, request_inheritance
from medins_desk.services.persons import PersonDetail, get_person
from medins_desk.services.vouchers import DocumentKind
from medins_desk.store.models import AccountInheritance, Card, Voucher
from tests.helpers.gui import serving
from tests.helpers.people import make_id, register
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.views.inheritance import InheritanceView
from ui.vouchers import VoucherBar

MINOR = make_id(date(2010, 1, 20), sequence=51)  # 16 on the desk's day


def _deceased(desk: Desk, *, name: str = "王建国", sequence: int = 1) -> PersonDetail:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = register(session, clerk, name=name, sequence=sequence).person.id
        apply_for_card(
            session, clerk, person_id=person_id, kind=CardApplicationKind.FIRST,
            photo=valid_photo(), instant=True,
        )  # fmt: skip
        return get_person(session, clerk, person_id=person_id)


def _requests(desk: Desk) -> int:
    with desk.session() as session:
        return int(session.scalar(select(func.count()).select_from(AccountInheritance)) or 0)


def _archived(qtbot: QtBot, desk: Desk, bar: VoucherBar, kind: DocumentKind) -> None:
    qtbot.waitUntil(lambda: "已存档" in bar.status.text(), timeout=20_000)
    with desk.session() as session:
        kinds = set(session.scalars(select(Voucher.document_kind)))
    assert kind in kinds


def _fill(qtbot: QtBot, view: InheritanceView) -> None:
    qtbot.keyClicks(view.death_date, "2026-10-02")
    view.balance.clear()
    qtbot.keyClicks(view.balance, "1234.56")
    qtbot.keyClicks(view.heir_id_number, MINOR)
    view.heir_id_number.editingFinished.emit()
    view.heir_name.setText("王小明")  # an IME types Chinese, not QTest
    view.heir_relation.setCurrentIndex(view.heir_relation.findData(HeirRelation.GRANDCHILD))
    qtbot.keyClicks(view.heir_phone, "13912345678")
    view.bank_name.setText("中国工商银行北京朝阳支行")
    qtbot.keyClicks(view.bank_account, "6222020200112233446")
    view.materials[1].setChecked(True)


def test_a_minor_heir_needs_a_guardian_then_the_pledge_is_archived(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    person = _deceased(desk)
    window = serving(qtbot, signed_in, person)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F7, Qt.KeyboardModifier.ShiftModifier)
    view = window.inheritance
    qtbot.waitUntil(lambda: window.views.currentWidget() is view, timeout=5_000)
    assert "王建国" in view.person_label.text()
    _fill(qtbot, view)
    assert "未满 18 周岁" in view.errors["heir_id_number"].text()  # said as soon as typed
    view.submit.click()
    qtbot.waitUntil(lambda: "未满 18 周岁" in view.guardian.error.text(), timeout=10_000)
    assert view.receipt.toPlainText() == "" and _requests(desk) == 0

    view.guardian.enabled.setChecked(True)
    qtbot.keyClicks(view.guardian.id_number, make_id(date(1982, 6, 1), sequence=41, male=False))
    view.guardian.name.setText("李秀英")
    view.guardian.relation.setText("母亲")
    qtbot.keyClicks(view.guardian.phone, "13700001111")
    view.submit.click()
    qtbot.waitUntil(lambda: "待复核" in view.message.text(), timeout=10_000)
    assert "1234.56" in view.receipt.toPlainText() and "已注销" in view.receipt.toPlainText()
    _archived(qtbot, desk, view.voucher_bar, DocumentKind.INHERITANCE_PLEDGE)
    # The citizen is read again: the panel says the death, the emptied form keeps its date.
    details = window.person_panel.details
    qtbot.waitUntil(lambda: "已登记死亡：2026-10-02" in details.text(), timeout=10_000)
    assert view.death_date.text() == "2026-10-02" and view.heir_name.text() == ""
    with desk.session() as session:
        request = session.scalars(select(AccountInheritance)).one()
        assert (request.balance_fen, request.guardian_name) == (123_456, "李秀英")
        assert request.state is InheritanceState.PENDING
        assert {card.state for card in session.scalars(select(Card))} == {CardState.CANCELLED}


def test_a_death_date_in_the_future_is_refused_at_its_field(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    window = serving(qtbot, signed_in, _deceased(desk), lambda w: w.inheritance)
    view = window.inheritance
    _fill(qtbot, view)
    view.death_date.setText("2026-11-19")
    view.submit.click()
    qtbot.waitUntil(lambda: "晚于今天" in view.errors["death_date"].text(), timeout=10_000)
    assert _requests(desk) == 0
    window.cancel_form()  # Esc clears the form
    assert view.death_date.text() == "" and view.errors["death_date"].text() == ""


def _window(qtbot: QtBot, context: AppContext) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_supervisor_approves_a_clerks_request_but_not_their_own(
    qtbot: QtBot, desk: Desk, supervisor: AppContext
) -> None:
    clerks = _deceased(desk, name="王建国", sequence=1).id
    own = _deceased(desk, name="赵德明", sequence=2).id
    heir = Heir(
        id_number=make_id(date(1985, 4, 12), sequence=31, male=False), name="王芳",
        relation=HeirRelation.CHILD, phone="13912345678", bank_name="中国银行",
        bank_account="6222020200112233446",
    )  # fmt: skip
    with desk.session() as session:
        for actor, person_id in ((desk.actor("clerk"), clerks), (desk.actor("super"), own)):
            request_inheritance(
                session, actor, person_id=person_id, death_date=date(2026, 10, 2),
                death_proof=DeathProof.CREMATION_CERTIFICATE, balance_fen=5_000, heir=heir,
            )  # fmt: skip
    window = _window(qtbot, supervisor)
    assert window.review is not None
    window.show_view(window.views.indexOf(window.review))
    view = window.review
    panel = view.inheritance
    view.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.queue.count() == 2, timeout=10_000)
    assert view.tabs.tabText(2).endswith("（2）")
    rows = {request.person_name: i for i, request in enumerate(panel._requests)}
    panel.queue.setCurrentRow(rows["赵德明"])
    assert not panel.approve.isEnabled() and "其他复核员" in panel.details.text()
    panel.queue.setCurrentRow(rows["王建国"])
    assert "最终支付指令" in panel.details.text()
    panel.reject.click()
    qtbot.waitUntil(lambda: "驳回须填写原因" in view.message.text(), timeout=10_000)
    panel.approve.click()
    qtbot.waitUntil(lambda: "已核准支付" in view.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: panel.queue.count() == 1, timeout=10_000)
    _archived(qtbot, desk, view.voucher_bar, DocumentKind.INHERITANCE_DECISION)
    with desk.session() as session:
        states = {r.person_id: r.state for r in session.scalars(select(AccountInheritance))}
    assert states == {clerks: InheritanceState.APPROVED, own: InheritanceState.PENDING}
