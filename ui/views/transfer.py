"""医保关系转移接续: the open cases with their step, deadline and overdue mark; the next step of
the selected case; and starting a transfer out or in for the person at the counter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medins_desk.domain.money import parse_yuan
from medins_desk.domain.transfer import TransferAction, next_action
from medins_desk.errors import ValidationError
from medins_desk.services.enrollment import suspend_enrollment
from medins_desk.services.persons import PersonDetail
from medins_desk.services.transfer.cases import TransferCaseView, list_transfer_cases
from medins_desk.services.transfer.transfer_in import (
    complete_transfer_in,
    record_info_form,
    start_transfer_in,
)
from medins_desk.services.transfer.transfer_out import (
    issue_info_form,
    record_contact_letter,
    start_transfer_out,
)
from ui.context import AppContext
from ui.labels import tr_label
from ui.views.base import ViewModel, message_label
from ui.views.dates import date_edit, picked_date
from ui.vouchers import VoucherBar


class TransferModel(ViewModel):
    cases = Signal(list)  # list[TransferCaseView]
    message = Signal(str)
    acted = Signal(object)  # the step's result: a letter to print, or none

    def load(self) -> None:
        self.call_latest(list_transfer_cases, done=self.cases.emit)

    def take_step(
        self, service: Callable[..., Any], done_text: str, *, for_served: bool, **kwargs: Any
    ) -> None:
        """One step (:meth:`act`); on success the message names the serial and the list is
        reloaded. A step ``for_served`` begins a case for the citizen at the counter; the
        others belong to the case picked from the list."""

        def done(result: Any) -> None:
            self.message.emit(
                self.tr("{what}，业务流水号 {serial}").format(
                    what=done_text, serial=result.transaction.serial
                )
            )
            self.acted.emit(result)
            self.load()

        self.act(service, done, for_served=for_served, **kwargs)


class TransferView(QWidget):
    """医保关系转移 (F6)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TransferModel(context, self)
        self._served = context.served
        today = context.require_actor().today()

        self.table = QTableWidget(0, 7)
        self.table.setObjectName("cases")
        self.table.setHorizontalHeaderLabels(
            [self.tr("案件编号"), self.tr("方向"), self.tr("姓名"), self.tr("对方经办机构"),
             self.tr("当前环节"), self.tr("办理期限"), self.tr("状态")]
        )  # fmt: skip
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)

        # The next step of the selected case.
        self.step = QGroupBox(self.tr("所选案件的下一步"))
        self.letter_date = date_edit(today, "letter_date")
        self.letter_from = QLineEdit()
        self.letter_from.setObjectName("letter_from")
        self.letter_number = QLineEdit()
        self.letter_number.setObjectName("letter_number")
        self.record_letter = QPushButton(self.tr("登记转入地联系函"))
        self.record_letter.setObjectName("record_letter")
        self.issue_form = QPushButton(self.tr("出具信息表"))
        self.issue_form.setObjectName("issue_form")
        self.info_received = date_edit(today, "info_received")
        self.info_actual = QSpinBox()
        self.info_actual.setObjectName("info_actual")
        self.info_actual.setRange(0, 1200)
        self.info_deemed = QSpinBox()
        self.info_deemed.setObjectName("info_deemed")
        self.info_deemed.setRange(0, 1200)
        self.info_balance = QLineEdit()
        self.info_balance.setObjectName("info_balance")
        self.info_balance.setPlaceholderText(self.tr("元，如 1234.56"))
        self.record_info = QPushButton(self.tr("登记信息表"))
        self.record_info.setObjectName("record_info")
        self.complete = QPushButton(self.tr("转入办结"))
        self.complete.setObjectName("complete")
        self.step_buttons = {
            TransferAction.RECORD_CONTACT_LETTER: self.record_letter,
            TransferAction.ISSUE_INFO_FORM: self.issue_form,
            TransferAction.RECORD_INFO_FORM: self.record_info,
            TransferAction.COMPLETE_TRANSFER_IN: self.complete,
        }
        step_form = QFormLayout(self.step)
        step_form.addRow(self.tr("联系函日期"), self.letter_date)
        step_form.addRow(self.tr("来函机构"), self.letter_from)
        step_form.addRow(self.tr("联系函编号"), self.letter_number)
        step_form.addRow(self.record_letter)
        step_form.addRow(self.issue_form)
        step_form.addRow(self.tr("信息表收到日期"), self.info_received)
        step_form.addRow(self.tr("实际缴费月数"), self.info_actual)
        step_form.addRow(self.tr("视同缴费月数"), self.info_deemed)
        step_form.addRow(self.tr("个人账户余额"), self.info_balance)
        step_form.addRow(self.record_info)
        step_form.addRow(self.complete)

        # Starting a case for the person at the counter.
        self.start = QGroupBox(self.tr("为当前参保人办理"))
        self.other_agency = QLineEdit()
        self.other_agency.setObjectName("other_agency")
        self.other_agency.setPlaceholderText(self.tr("对方经办机构名称"))
        self.other_region = QLineEdit()
        self.other_region.setObjectName("other_region")
        self.other_region.setPlaceholderText(self.tr("对方统筹区代码（6位）"))
        self.suspend_reason = QLineEdit()
        self.suspend_reason.setObjectName("suspend_reason")
        self.suspend_reason.setPlaceholderText(self.tr("暂停原因，如：到外地就业"))
        self.suspend = QPushButton(self.tr("暂停本地参保(&Z)"))
        self.suspend.setObjectName("suspend")
        self.transfer_out = QPushButton(self.tr("转出：开具参保凭证(&O)"))
        self.transfer_out.setObjectName("transfer_out")
        self.certificate_date = date_edit(today, "certificate_date")
        self.period_start = date_edit(date(today.year - 5, 1, 1), "period_start")
        self.period_end = date_edit(today, "period_end")
        self.origin_actual = QSpinBox()
        self.origin_actual.setObjectName("origin_actual")
        self.origin_actual.setRange(0, 1200)
        self.origin_deemed = QSpinBox()
        self.origin_deemed.setObjectName("origin_deemed")
        self.origin_deemed.setRange(0, 1200)
        self.origin_balance = QLineEdit()
        self.origin_balance.setObjectName("origin_balance")
        self.origin_balance.setPlaceholderText(self.tr("元"))
        self.transfer_in = QPushButton(self.tr("转入：登记参保凭证并发联系函(&N)"))
        self.transfer_in.setObjectName("transfer_in")
        start_form = QFormLayout(self.start)
        start_form.addRow(self.tr("对方经办机构"), self.other_agency)
        start_form.addRow(self.tr("对方统筹区"), self.other_region)
        suspend_row = QHBoxLayout()
        suspend_row.addWidget(self.suspend_reason, 1)
        suspend_row.addWidget(self.suspend)
        start_form.addRow(suspend_row)
        start_form.addRow(self.transfer_out)
        start_form.addRow(self.tr("参保凭证开具日期"), self.certificate_date)
        start_form.addRow(self.tr("原参保起止"), self._pair(self.period_start, self.period_end))
        start_form.addRow(self.tr("实际缴费月数"), self.origin_actual)
        start_form.addRow(self.tr("视同缴费月数"), self.origin_deemed)
        start_form.addRow(self.tr("个人账户余额"), self.origin_balance)
        start_form.addRow(self.transfer_in)

        self.message = message_label()
        forms = QHBoxLayout()
        forms.addWidget(self.step)
        forms.addWidget(self.start)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(forms)
        layout.addWidget(self.message)
        self.voucher_bar = VoucherBar(context)
        layout.addWidget(self.voucher_bar)

        self._cases: list[TransferCaseView] = []
        self.table.itemSelectionChanged.connect(self._selected)
        self.record_letter.clicked.connect(self._record_letter)
        self.issue_form.clicked.connect(self._issue_form)
        self.record_info.clicked.connect(self._record_info)
        self.complete.clicked.connect(self._complete)
        self.suspend.clicked.connect(self._suspend)
        self.transfer_out.clicked.connect(self._transfer_out)
        self.transfer_in.clicked.connect(self._transfer_in)
        self.model.cases.connect(self._show_cases)
        self.model.message.connect(self.message.setText)
        self.model.acted.connect(self.voucher_bar.issue)
        self.model.failed.connect(self._show_error)
        self._selected()
        self.set_person(None)
        self.setFocusProxy(self.other_agency)  # F6 puts the cursor where a new case starts
        context.served.changed.connect(self.set_person)
        context.served.updated.connect(lambda person, _serial: self.person_updated(person))

    @staticmethod
    def _pair(first: QWidget, second: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(first)
        row.addWidget(QLabel("—"))
        row.addWidget(second)
        return box

    def showEvent(self, event: QShowEvent) -> None:
        self.model.load()
        super().showEvent(event)

    @property
    def person(self) -> PersonDetail | None:
        """The citizen served (ui.serving.ServedPerson): read there, never kept here."""
        return self._served.person

    def set_person(self, person: PersonDetail | None) -> None:
        """Another citizen (or nobody) is served: what was typed for the last one goes."""
        self.cancel()
        self.person_updated(person)

    def person_updated(self, person: PersonDetail | None) -> None:
        self.start.setEnabled(person is not None)
        self.start.setTitle(
            self.tr("为 {name} 办理").format(name=person.name)
            if person
            else self.tr("为当前参保人办理（请先打开参保人）")
        )

    def cancel(self) -> None:
        """Esc: the typed details are dropped; the cases stay as they are."""
        for edit in (
            self.letter_from, self.letter_number, self.info_balance, self.other_agency,
            self.other_region, self.suspend_reason, self.origin_balance,
        ):  # fmt: skip
            edit.clear()
        for spin in (self.info_actual, self.info_deemed, self.origin_actual, self.origin_deemed):
            spin.setValue(0)
        self.message.clear()
        self.voucher_bar.clear()

    def _show_cases(self, cases: list[TransferCaseView]) -> None:
        self._cases = cases
        self.table.setRowCount(len(cases))
        for row, case in enumerate(cases):
            values = (
                case.case_number, tr_label(case.direction_label),
                f"{case.person_name}（{case.masked_id_number}）", case.other_agency_name,
                tr_label(case.stage_label), f"{case.due_on:%Y-%m-%d}" if case.due_on else "",
                self.tr("超期") if case.overdue else "",
            )  # fmt: skip
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if case.overdue:
                    item.setForeground(QBrush(QColor("#b00020")))
                self.table.setItem(row, column, item)
        self._selected()

    def _case(self) -> TransferCaseView | None:
        rows = self.table.selectionModel().selectedRows()
        return self._cases[rows[0].row()] if rows and rows[0].row() < len(self._cases) else None

    def _selected(self) -> None:
        """Only the button of the selected case's next act is enabled (the domain says which)."""
        case = self._case()
        action = next_action(case.stage) if case else None
        for act, button in self.step_buttons.items():
            button.setEnabled(act is action)

    def _fen(self, edit: QLineEdit, field: str) -> int | None:
        try:
            return parse_yuan(edit.text(), field=field, what=self.tr("个人账户余额"))
        except ValidationError as error:
            self._show_error(error.field, error.message)
            return None

    def _record_letter(self) -> None:
        case = self._case()
        if case is not None:
            self.model.take_step(
                record_contact_letter, self.tr("已登记联系函"), for_served=False, case_id=case.id,
                letter_date=picked_date(self.letter_date), from_agency=self.letter_from.text(),
                letter_number=self.letter_number.text(),
            )  # fmt: skip

    def _issue_form(self) -> None:
        case = self._case()
        if case is not None:
            self.model.take_step(
                issue_info_form, self.tr("已出具信息表"), for_served=False, case_id=case.id
            )

    def _record_info(self) -> None:
        case = self._case()
        balance = self._fen(self.info_balance, "balance_fen")
        if case is not None and balance is not None:
            self.model.take_step(
                record_info_form, self.tr("已登记信息表"), for_served=False, case_id=case.id,
                received_on=picked_date(self.info_received), actual_months=self.info_actual.value(),
                deemed_months=self.info_deemed.value(), balance_fen=balance,
            )  # fmt: skip

    def _complete(self) -> None:
        case = self._case()
        if case is not None:
            self.model.take_step(
                complete_transfer_in, self.tr("转入已办结"), for_served=False, case_id=case.id
            )

    def _suspend(self) -> None:
        if self.person is not None:
            self.model.take_step(
                suspend_enrollment, self.tr("已暂停本地参保"), for_served=True,
                person_id=self.person.id,
                effective=self.model.context.require_actor().today(),
                reason=self.suspend_reason.text(),
            )  # fmt: skip

    def _transfer_out(self) -> None:
        if self.person is not None:
            self.model.take_step(
                start_transfer_out, self.tr("已开具参保凭证"), for_served=True,
                person_id=self.person.id,
                destination_agency=self.other_agency.text(),
                destination_region=self.other_region.text(),
            )  # fmt: skip

    def _transfer_in(self) -> None:
        balance = self._fen(self.origin_balance, "origin_balance_fen")
        if self.person is not None and balance is not None:
            self.model.take_step(
                start_transfer_in, self.tr("已受理转入并发出联系函"), for_served=True,
                person_id=self.person.id,
                origin_agency=self.other_agency.text(), origin_region=self.other_region.text(),
                certificate_date=picked_date(self.certificate_date),
                origin_periods=[(picked_date(self.period_start), picked_date(self.period_end))],
                origin_actual_months=self.origin_actual.value(),
                origin_deemed_months=self.origin_deemed.value(), origin_balance_fen=balance,
            )  # fmt: skip

    def _show_error(self, field: str, text: str) -> None:
        self.message.setText(text)
        names = {
            "destination_agency": self.other_agency, "origin_agency": self.other_agency,
            "destination_region": self.other_region, "origin_region": self.other_region,
            "reason": self.suspend_reason, "from_agency": self.letter_from,
            "balance_fen": self.info_balance, "origin_balance_fen": self.origin_balance,
        }  # fmt: skip
        widget = names.get(field)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
