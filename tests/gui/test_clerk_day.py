"""A clerk's day through the GUI alone: sign in, serve ten citizens across the businesses (one
by inserting the virtual card), every act's voucher archived and one printed on a real CUPS-PDF
queue, then a supervisor reviews, voids, closes the day and exports."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.card import CardApplicationKind
from medins_desk.domain.correction import CorrectionField, SupportingDocument
from medins_desk.domain.transfer import TransferStage
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.loss_report import LossAct
from medins_desk.services.persons import register_person
from medins_desk.services.vouchers import DocumentKind
from medins_desk.settings import Settings
from medins_desk.store.models import DayClose, Transaction, TransferCase, Voucher
from tests.helpers.cups import CupsQueue
from tests.helpers.pcsc import PcscStack
from tests.helpers.people import make_id, register
from tests.helpers.photos import valid_photo
from tests.helpers.store import PASSWORD, Desk
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.signin import SignInDialog


def _sign_in(qtbot: QtBot, settings: Settings, username: str) -> tuple[AppContext, MainWindow]:
    context = AppContext(settings)
    dialog = SignInDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok.isEnabled, timeout=10_000)
    dialog.username.setText(username)
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.ok.click()
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    return context, window


def _open(qtbot: QtBot, window: MainWindow, text: str, name: str) -> None:
    """Type into the search box and open the person with Enter, as a clerk does."""
    window.show_view(window.views.indexOf(window.lookup))
    window.lookup.search.setText(text)
    qtbot.waitUntil(
        lambda: (
            window.lookup.table.rowCount() >= 1 and window.lookup.table.item(0, 0).text() == name
        ),
        timeout=10_000,
    )
    qtbot.keyClick(window.lookup.search, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.person_panel.person is not None and window.person_panel.person.name == name,
        timeout=10_000,
    )


def _yes(qtbot: QtBot, box_of: object) -> None:
    qtbot.waitUntil(lambda: isinstance(box_of(), QMessageBox), timeout=5_000)  # type: ignore[operator]
    box_of().button(QMessageBox.StandardButton.Yes).click()  # type: ignore[operator]


def test_a_clerks_day(
    qtbot: QtBot,
    desk: Desk,
    settings: Settings,
    pcsc_stack: PcscStack,
    cups_pdf_queue: CupsQueue,
    tmp_path: Path,
) -> None:
    settings = dataclasses.replace(settings, printer=cups_pdf_queue.name)
    clerk = desk.actor("clerk")
    with desk.session() as session:  # the citizens already on record
        register_person(session, clerk, id_number="110105198005170033", name="张伟")
        for sequence, name in enumerate(["李娜", "王芳", "刘洋", "陈静", "杨帆", "赵磊"], start=1):
            register(
                session, clerk, name=name, sequence=sequence, birth=date(1975 + sequence, 3, 8)
            )
        for sequence, name in ((7, "孙丽"), (8, "周强")):
            person = register(
                session, clerk, name=name, sequence=sequence, birth=date(1990, 6, sequence)
            ).person
            apply_for_card(
                session, clerk, person_id=person.id, kind=CardApplicationKind.FIRST,
                photo=valid_photo(), instant=True,
            )  # fmt: skip
        register(session, clerk, name="吴昊", sequence=9, birth=date(1988, 1, 9))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(valid_photo())

    context, window = _sign_in(qtbot, settings, "clerk")
    served = 0

    # 1. 张伟 inserts his card: the person opens by itself.
    qtbot.waitUntil(lambda: "等待插卡" in window.reader_status.text(), timeout=10_000)
    pcsc_stack.insert("ordinary")
    qtbot.waitUntil(
        lambda: (
            window.person_panel.person is not None and window.person_panel.person.name == "张伟"
        ),
        timeout=10_000,
    )
    served += 1
    # 2-3. First cards for 李娜 and 王芳, the photo imported and checked.
    for name in ("李娜", "王芳"):
        _open(qtbot, window, name, name)
        view = window.card_application
        window.show_view(window.views.indexOf(view))
        view.model.load_photo(photo)
        qtbot.waitUntil(
            lambda v=view: v.photo_problems.text() == "照片符合制卡要求", timeout=10_000
        )
        view.submit.click()
        qtbot.waitUntil(lambda v=view: "已受理" in v.message.text(), timeout=10_000)
        qtbot.waitUntil(lambda v=view: v.voucher_bar.voucher is not None, timeout=10_000)
        if name == "李娜":  # she wants her receipt on paper: Ctrl+P
            with qtbot.waitSignal(view.voucher_bar.desk.printed, timeout=60_000) as printed:
                window.print_voucher()
            outcome = printed.args[0]
            assert outcome.printed and outcome.job is not None, outcome.describe()
            cups_pdf_queue.wait_for_job(outcome.job.job_id)
        served += 1
    # 4-5. 孙丽 reports her card lost by phone (temporary); 周强 formally.
    loss = window.loss
    for name, act in (("孙丽", LossAct.TEMPORARY), ("周强", LossAct.FORMAL)):
        _open(qtbot, window, name, name)
        window.show_view(window.views.indexOf(loss))
        qtbot.waitUntil(lambda a=act: loss.buttons[a].isEnabled(), timeout=10_000)
        loss.buttons[act].click()
        _yes(qtbot, lambda: loss._confirmation)
        qtbot.waitUntil(lambda a=act: f"已办理「{a.label}」" in loss.message.text(), timeout=10_000)
        served += 1
    # 6. 刘洋 has a new mobile number (at once); 7. 陈静's name was registered wrongly (review).
    correction = window.correction
    _open(qtbot, window, "刘洋", "刘洋")
    window.show_view(window.views.indexOf(correction))
    correction.new[CorrectionField.PHONE].setText("13912345678")
    correction.reason.setText("本人更换手机号码")
    correction.submit.click()
    qtbot.waitUntil(lambda: "已生效" in correction.message.text(), timeout=10_000)
    served += 1
    _open(qtbot, window, "陈静", "陈静")
    window.show_view(window.views.indexOf(correction))
    correction.new[CorrectionField.NAME].setText("陈婧")
    correction.documents[SupportingDocument.HOUSEHOLD_REGISTER].setChecked(True)
    correction.documents[SupportingDocument.ID_CARD].setChecked(True)
    correction.reason.setText("姓名登记有误，与户口簿不符")
    correction.submit.click()
    qtbot.waitUntil(lambda: "待复核" in correction.message.text(), timeout=10_000)
    served += 1
    # 8. 杨帆 moves to Shanghai: suspend here, then the 参保凭证.
    transfer = window.transfer
    _open(qtbot, window, "杨帆", "杨帆")
    window.show_view(window.views.indexOf(transfer))
    transfer.other_agency.setText("上海市医疗保障局")
    transfer.other_region.setText("310104")
    transfer.suspend_reason.setText("到外地就业")
    transfer.suspend.click()
    qtbot.waitUntil(lambda: "已暂停本地参保" in transfer.message.text(), timeout=10_000)
    transfer.transfer_out.click()
    qtbot.waitUntil(lambda: "已开具参保凭证" in transfer.message.text(), timeout=10_000)
    served += 1
    # 9. 赵磊 asks for a card for his number typed in full (lower-case x never matters).
    _open(qtbot, window, make_id(date(1981, 3, 8), sequence=6).lower(), "赵磊")
    view = window.card_application
    window.show_view(window.views.indexOf(view))
    view.model.load_photo(photo)
    qtbot.waitUntil(lambda: view.photo_problems.text() == "照片符合制卡要求", timeout=10_000)
    view.submit.click()
    qtbot.waitUntil(lambda: "已受理" in view.message.text(), timeout=10_000)
    served += 1
    # 10. 吴昊 only asks about his enrollment: looked up, nothing recorded.
    _open(qtbot, window, "wh", "吴昊")
    served += 1
    assert served == 10
    window.close()
    context.close()

    # The supervisor: approve 陈静's correction, void a card application typed by mistake,
    # close the day and export the ledger.
    context, window = _sign_in(qtbot, settings, "super")
    review = window.review
    assert review is not None
    window.show_view(window.views.indexOf(review))
    qtbot.waitUntil(lambda: review.queue.count() == 1, timeout=10_000)
    review.approve.click()
    qtbot.waitUntil(lambda: "已通过" in review.message.text(), timeout=10_000)
    ledger = window.ledger
    assert ledger is not None
    window.show_view(window.views.indexOf(ledger))
    ledger.load()
    qtbot.waitUntil(lambda: ledger.table.rowCount() >= 10, timeout=10_000)
    row = next(
        r
        for r in range(ledger.table.rowCount())
        if ledger.table.item(r, 2).text() == "社保卡申领"
        and ledger.table.item(r, 3).text() == "赵磊"
    )
    ledger.table.selectRow(row)
    ledger.reason.setText("申请人改为下月办理")
    ledger.void_button.click()
    qtbot.waitUntil(lambda: "已作废" in ledger.message.text(), timeout=10_000)
    ledger.close_button.click()
    _yes(qtbot, lambda: ledger._dialog)
    qtbot.waitUntil(lambda: "已日结" in ledger.message.text(), timeout=10_000)
    out = tmp_path / "台账.xlsx"
    ledger.model.export(out)
    qtbot.waitUntil(lambda: "已导出" in ledger.message.text(), timeout=10_000)
    day = context.require_actor().today()  # signed in through the dialog: the counter's clock
    window.close()
    context.close()

    with desk.session() as session:
        kinds = dict(
            session.execute(
                select(Transaction.kind, func.count())
                .where(Transaction.business_day == day)
                .group_by(Transaction.kind)
            ).all()
        )
        voided = session.scalar(
            select(func.count()).where(Transaction.status == TransactionStatus.VOID)
        )
        assert session.scalar(select(DayClose.business_day)) == day
        assert session.scalar(select(TransferCase.stage)) is TransferStage.OUT_CERTIFICATE_ISSUED
        archived = dict(
            session.execute(
                select(Voucher.document_kind, func.count()).group_by(Voucher.document_kind)
            ).all()
        )
    assert kinds[BusinessKind.LOSS_TEMPORARY] == 1 and kinds[BusinessKind.LOSS_FORMAL] == 1
    assert kinds[BusinessKind.CORRECTION] == 2 and kinds[BusinessKind.CORRECTION_REVIEW] == 1
    assert kinds[BusinessKind.TRANSFER_OUT] == 1 and kinds[BusinessKind.ENROLLMENT_CHANGE] == 1
    assert voided == 1
    # Every act that gives paper archived it as it was done (the two cards issued before the
    # day opened were never printed).
    assert archived == {
        DocumentKind.CARD_RECEIPT.value: 3,
        DocumentKind.LOSS_RECEIPT.value: 2,
        DocumentKind.CORRECTION_CONFIRMATION.value: 3,
        DocumentKind.TRANSFER_CERTIFICATE.value: 1,
        DocumentKind.ENROLLMENT_CHANGE_RECEIPT.value: 1,
    }
    assert out.stat().st_size > 0
