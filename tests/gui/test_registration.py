"""参保登记 (F7): from a card or a search that finds nobody to a registered, enrolled, served
citizen with the 参保登记回执 archived; newborns, duplicates, bad input at its field, the benefit
preview, 退费申请 and its 复核."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from medins_desk.domain.benefits import EnrollmentCategory, RefundReason, RefundState
from medins_desk.domain.identity import IdentityKind
from medins_desk.services.enrollment import EnrollmentRequest, enroll_person
from medins_desk.services.persons import PersonDetail, get_person
from medins_desk.services.refund import request_refund
from medins_desk.services.vouchers import DocumentKind
from medins_desk.store.models import Enrollment, Person, RefundRequest
from printing.documents import LAYOUTS
from tests.helpers.gui import registered, serving
from tests.helpers.pcsc import PcscStack
from tests.helpers.people import make_id
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.views.registration import RegistrationView
from ui.vouchers import VoucherBar

TODAY = date(2026, 11, 18)  # tests.helpers.store's clock


def _window(qtbot: QtBot, context: AppContext) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    return window


def _open_registration(window: MainWindow) -> RegistrationView:
    window.show_view(window.views.indexOf(window.registration))
    return window.registration


def _persons(desk: Desk) -> int:
    with desk.session() as session:
        return int(session.scalar(select(func.count()).select_from(Person)) or 0)


def _voucher_issued(qtbot: QtBot, bar: VoucherBar, kind: DocumentKind) -> None:
    """The act's voucher is archived, once printing draws this kind (its layout is printing's
    work, on its own branch); until then the bar says it could not be drawn."""
    if kind in LAYOUTS:
        qtbot.waitUntil(lambda: "已存档" in bar.status.text(), timeout=20_000)
    else:
        qtbot.waitUntil(lambda: bar.status.text() not in ("", "正在生成凭证…"), timeout=20_000)


def _choose(view: RegistrationView, category: EnrollmentCategory) -> None:
    view.category.setCurrentIndex(view.category.findData(category))


def test_an_unknown_card_opens_registration_filled_then_registers_enrolls_and_serves(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, pcsc_stack: PcscStack
) -> None:
    window = _window(qtbot, signed_in)
    qtbot.waitUntil(lambda: "等待插卡" in window.reader_status.text(), timeout=10_000)
    pcsc_stack.insert("ordinary")
    view = window.registration
    qtbot.waitUntil(lambda: window.views.currentWidget() is view, timeout=10_000)
    assert view.id_number.text() == "110105198005170033" and view.name.text() == "张伟"
    assert "未在本库登记" in view.message.text()
    assert "1980-05-17" in view.derived.text() and "男" in view.derived.text()
    assert view.category.currentData() == EnrollmentCategory.RESIDENT_OTHER
    qtbot.waitUntil(lambda: "2027-01-01" in view.preview.text(), timeout=10_000)
    assert "集中缴费期" in view.preview.text() and "尚缺" in view.preview.text()
    view.materials[0].setChecked(True)
    view.submit.click()
    qtbot.waitUntil(lambda: "已受理" in view.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: window.person_panel.person is not None, timeout=10_000)
    assert window.person_panel.title.text().startswith("张伟")
    assert "待遇享受起始日：2027-01-01" in view.receipt.toPlainText()
    _voucher_issued(qtbot, view.voucher_bar, DocumentKind.ENROLLMENT_RECEIPT)
    with desk.session() as session:
        person = session.scalars(select(Person)).one()
        enrollment = session.scalars(select(Enrollment)).one()
        assert person.name == "张伟" and enrollment.category is EnrollmentCategory.RESIDENT_OTHER
        assert enrollment.benefit_start == date(2027, 1, 1)
    assert not view.identity.isVisibleTo(view)  # the served citizen is enrolled now
    assert view.refund.isVisibleTo(view)


def test_a_number_nobody_has_is_registered_from_the_lookup(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    window = _window(qtbot, signed_in)
    number = make_id(date(1990, 3, 4), sequence=7, male=False)
    QTest.keyClicks(window.lookup.search, number)
    QTest.keyClick(window.lookup.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.lookup.register_new.isVisible(), timeout=10_000)
    assert "Alt+N" in window.lookup.status.text()
    window.lookup.register_new.click()
    view = window.registration
    assert window.views.currentWidget() is view
    assert view.id_number.text() == number
    qtbot.waitUntil(view.name.hasFocus, timeout=5_000)
    view.name.setText("李四")  # typed through an input method (QTest types ASCII only)
    QTest.keyClick(view.name, Qt.Key.Key_Return)  # Enter moves on to the next field
    assert view.ethnicity.hasFocus()
    QTest.keyClicks(view.ethnicity, "01")
    view.phone.setText("13800138000")
    _choose(view, EnrollmentCategory.FLEXIBLE_EMPLOYMENT)
    qtbot.waitUntil(lambda: "首次以个人身份" in view.preview.text(), timeout=10_000)
    view.submit.click()
    qtbot.waitUntil(lambda: window.person_panel.person is not None, timeout=10_000)
    with desk.session() as session:
        person = session.scalars(select(Person)).one()
        assert (person.name, person.ethnicity, person.phone) == ("李四", "01", "13800138000")


def test_a_newborn_on_a_birth_certificate_with_a_guardian_and_a_rare_character(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    mother = registered(desk, name="王芳", birth=date(1995, 2, 3), male=False)
    window = _window(qtbot, signed_in)
    view = _open_registration(window)
    qtbot.waitUntil(view.id_number.hasFocus, timeout=5_000)  # F7: the first field
    view.by_certificate.setChecked(True)
    view.certificate_number.setText("p510123456")
    view.birth_date.setText("2026-10-01")
    view.sex.setCurrentIndex(view.sex.findText("女"))
    view.name.setFocus()
    view.name.setText("王")
    QTest.keyClicks(view.name, "U+20BB7")  # 𠮷 by its code point
    QTest.keyClick(view.name, Qt.Key.Key_Return)
    assert view.name.text() == "王𠮷"
    assert view.category.currentData() == EnrollmentCategory.NEWBORN
    view.guardian_number.setText(mother.id_number)
    qtbot.waitUntil(lambda: "王芳" in view.guardian_found.text(), timeout=10_000)
    qtbot.waitUntil(lambda: "自出生之日起享受待遇" in view.preview.text(), timeout=10_000)
    view.submit.click()
    qtbot.waitUntil(lambda: window.person_panel.person is not None, timeout=10_000)
    with desk.session() as session:
        baby = session.scalars(select(Person).where(Person.name == "王𠮷")).one()
        assert baby.id_kind is IdentityKind.BIRTH_CERTIFICATE
        assert baby.id_number == "P510123456" and baby.guardian_id == mother.id
        assert baby.birth_date == date(2026, 10, 1) and baby.sex == "2"
    assert "监护人：王芳" in view.receipt.toPlainText()


def test_a_possible_duplicate_goes_on_only_with_a_reason(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    registered(desk, name="张三", birth=date(1980, 5, 17), sequence=1)
    window = _window(qtbot, signed_in)
    view = _open_registration(window)
    view.id_number.setText(make_id(date(1980, 5, 17), sequence=2))
    view.name.setText("张三")
    qtbot.waitUntil(lambda: view.duplicate_list.count() == 1, timeout=10_000)
    assert view.duplicate_reason.isVisibleTo(view)
    _choose(view, EnrollmentCategory.RESIDENT_OTHER)
    view.submit.click()
    qtbot.waitUntil(lambda: view.confirm.isVisible(), timeout=10_000)
    assert "可能重复" in view.message.text()
    view.confirm.click()
    qtbot.waitUntil(lambda: "理由" in view.errors["duplicate_reason"].text(), timeout=10_000)
    assert _persons(desk) == 1 and view.name.text() == "张三"  # nothing saved, nothing lost
    view.duplicate_reason.setText("已核对两人身份证原件，不是同一人")
    view.confirm.click()
    qtbot.waitUntil(lambda: "已受理" in view.message.text(), timeout=10_000)
    assert _persons(desk) == 2


def test_bad_input_is_shown_at_its_field_and_nothing_is_saved(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    minor = registered(desk, name="赵小", birth=date(2012, 6, 1), sequence=3)
    window = _window(qtbot, signed_in)
    view = _open_registration(window)
    view.by_certificate.setChecked(True)
    view.certificate_number.setText("12345")
    view.certificate_number.editingFinished.emit()
    assert "1 个字母加 9 位数字" in view.errors["birth_certificate_number"].text()
    view.birth_date.setText("2027-01-05")
    assert "晚于今天" in view.errors["birth_date"].text()
    view.name.setText("赵宝")
    view.guardian_number.setText(minor.id_number)
    qtbot.waitUntil(lambda: "赵小" in view.guardian_found.text(), timeout=10_000)
    view.submit.click()
    assert "标红" in view.message.text()
    view.certificate_number.setText("P510123456")
    view.birth_date.setText("2026-11-01")
    qtbot.waitUntil(lambda: "未满 18" in view.errors["guardian"].text(), timeout=10_000)
    view.submit.click()
    qtbot.waitUntil(lambda: "未满 18" in view.message.text(), timeout=10_000)
    assert _persons(desk) == 1
    assert view.name.text() == "赵宝" and view.certificate_number.text() == "P510123456"


def test_the_benefit_preview_for_continuation_inside_and_outside_90_days(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    person = registered(desk, name="钱七", enrolled=False)
    window = serving(qtbot, signed_in, person, lambda w: w.registration)
    view = window.registration
    assert not view.identity.isVisibleTo(view) and "钱七" in view.heading.text()
    _choose(view, EnrollmentCategory.EMPLOYEE_CONTINUATION)
    assert view.last_covered.isVisibleTo(view)
    qtbot.waitUntil(
        lambda: "原单位参保截止日期" in view.errors["last_covered"].text(), timeout=10_000
    )
    view.last_covered.setText(f"{TODAY - timedelta(days=60):%Y-%m-%d}")
    view.gap_made_up.setChecked(True)
    qtbot.waitUntil(lambda: "待遇连续享受" in view.preview.text(), timeout=10_000)
    assert "第 60 日" in view.preview.text()
    view.last_covered.setText(f"{TODAY - timedelta(days=91):%Y-%m-%d}")
    qtbot.waitUntil(lambda: "第 91 日" in view.preview.text(), timeout=10_000)
    assert "超过 90 日" in view.preview.text() and "足额缴费满 6 个月后" in view.preview.text()
    view.submit.click()
    qtbot.waitUntil(lambda: "已受理" in view.message.text(), timeout=10_000)
    with desk.session() as session:
        enrollment = session.scalars(select(Enrollment)).one()
        assert enrollment.category is EnrollmentCategory.EMPLOYEE_CONTINUATION
        assert enrollment.benefit_start == date(2027, 5, 18)


def _resident(desk: Desk, *, paid_on: date, name: str, sequence: int) -> PersonDetail:
    """A citizen enrolled as a resident who paid on ``paid_on``, as a page."""
    person = registered(desk, name=name, enrolled=False, sequence=sequence)
    clerk = desk.actor("clerk")
    with desk.session() as session:
        enroll_person(
            session, clerk, person_id=person.id,
            request=EnrollmentRequest(EnrollmentCategory.RESIDENT_OTHER, paid_on),
        )  # fmt: skip
        return get_person(session, clerk, person_id=person.id)


def test_a_refund_is_asked_before_the_benefits_begin_and_refused_after(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    late = _resident(desk, paid_on=date(2026, 3, 2), name="孙八", sequence=4)  # since August
    window = serving(qtbot, signed_in, late, lambda w: w.registration)
    view = window.registration
    assert view.refund.isVisibleTo(view) and not view.enrollment.isVisibleTo(view)
    view.refund.submit.click()
    qtbot.waitUntil(lambda: "不能退费" in view.refund.message.text(), timeout=10_000)
    assert "2026-08-29" in view.refund.message.text()

    early = _resident(desk, paid_on=TODAY, name="周九", sequence=5)  # covered from 2027-01-01
    window.serve(early)
    qtbot.waitUntil(lambda: "2027-01-01" in view.refund.enrollment_label.text(), timeout=10_000)
    view.refund.reason.setCurrentIndex(view.refund.reason.findData(RefundReason.MOVED_AWAY))
    view.refund.materials[0].setChecked(True)
    view.refund.submit.click()
    qtbot.waitUntil(lambda: "待复核" in view.message.text(), timeout=10_000)
    assert "尚缺" in view.receipt.toPlainText()
    _voucher_issued(qtbot, view.voucher_bar, DocumentKind.REFUND_RECEIPT)
    with desk.session() as session:
        request = session.scalars(select(RefundRequest)).one()
        assert request.state is RefundState.PENDING


def test_a_supervisor_approves_a_clerks_refund_but_not_their_own(
    qtbot: QtBot, desk: Desk, supervisor: AppContext
) -> None:
    clerks = _resident(desk, paid_on=TODAY, name="吴十", sequence=6).id
    own = _resident(desk, paid_on=TODAY, name="郑一", sequence=7).id
    with desk.session() as session:
        request_refund(session, desk.actor("clerk"), person_id=clerks, reason=RefundReason.EMPLOYED)
        request_refund(session, desk.actor("super"), person_id=own, reason=RefundReason.MOVED_AWAY)
        session.commit()
    window = _window(qtbot, supervisor)
    assert window.review is not None
    window.show_view(window.views.indexOf(window.review))
    view = window.review
    qtbot.waitUntil(lambda: view.refund_queue.count() == 2, timeout=10_000)
    rows = {request.person_id: i for i, request in enumerate(view._refunds)}
    view.refund_queue.setCurrentRow(rows[own])
    assert not view.refund_approve.isEnabled()
    assert "其他复核员" in view.refund_details.text()
    view.refund_queue.setCurrentRow(rows[clerks])
    view.refund_approve.click()
    qtbot.waitUntil(lambda: "核准" in view.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: view.refund_queue.count() == 1, timeout=10_000)
    _voucher_issued(qtbot, view.voucher_bar, DocumentKind.REFUND_RECEIPT)
    with desk.session() as session:
        states = {r.person_id: r.state for r in session.scalars(select(RefundRequest))}
        assert states == {clerks: RefundState.APPROVED, own: RefundState.PENDING}
