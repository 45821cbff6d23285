"""职工医保在职转退休 (Shift+F12): the served citizen's 缴费年限清算 as the clerk types the 退休日期
(and the 视同缴费 months the 退休审批表 confirms), the choice a shortfall offers, and the act with
its 审核回执. The core assesses and refuses; each refusal is shown at its field.

Keyboard first: Shift+F12 puts the cursor in 退休日期; Enter moves on through 视同缴费 起/止 and
the option to the button, and there records and prints the act.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medins_desk.domain.money import format_yuan
from medins_desk.domain.retirement import RetirementAssessment, RetirementOutcome
from medins_desk.services.persons import PersonDetail
from medins_desk.services.retirement import RetirementReceipt, assess_retirement_of, retire
from ui.context import AppContext
from ui.labels import tr_label
from ui.serving import months_text, nobody_served_text
from ui.views.base import ViewModel, error_label, message_label, receipt_box
from ui.views.dates import date_edit, picked_date
from ui.vouchers import VoucherBar

_WHOLE_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_FIELDS = ("person", "retirement_date", "deemed_from", "deemed_to", "option")


class RetirementModel(ViewModel):
    assessed = Signal(object)  # RetirementAssessment
    done = Signal(object)  # RetirementReceipt

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(context, parent)

    def assess(self, *, person_id: int, retirement_date: date, deemed: tuple[str, str]) -> None:
        def shown(assessment: RetirementAssessment) -> None:
            served = self.context.served.person
            if served is not None and served.id == person_id:
                self.assessed.emit(assessment)

        self.call_latest(
            assess_retirement_of, shown, person_id=person_id, retirement_date=retirement_date,
            deemed_from=deemed[0], deemed_to=deemed[1],
        )  # fmt: skip

    def retire(self, **kwargs: object) -> None:
        self.act(retire, self.done.emit, for_served=True, **kwargs)


class RetirementView(QWidget):
    """职工医保在职转退休 (Shift+F12)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RetirementModel(context, self)
        self._served = context.served
        self._today = context.require_actor().today()
        self.person = QLabel(nobody_served_text())
        self.person.setObjectName("retirement_person")
        self.person.setWordWrap(True)
        self.errors = {field: error_label(f"{field}_error") for field in _FIELDS}
        self.retirement_date = date_edit(self._today, "retirement_date")
        self.deemed_from = QLineEdit()
        self.deemed_from.setObjectName("deemed_from")
        self.deemed_from.setPlaceholderText(self.tr("选填，如 1986-07"))
        self.deemed_to = QLineEdit()
        self.deemed_to.setObjectName("deemed_to")
        self.deemed_to.setPlaceholderText(self.tr("选填，如 1996-12"))
        self.assessment = QLabel()
        self.assessment.setObjectName("retirement_assessment")
        self.assessment.setWordWrap(True)
        self.option = QComboBox()
        self.option.setObjectName("retirement_option")
        for outcome in (RetirementOutcome.LUMP_SUM, RetirementOutcome.DEFERRED):
            self.option.addItem(tr_label(outcome.label), outcome)
        self.option.setEnabled(False)
        self.submit = QPushButton(self.tr("办理在职转退休(&T)"))
        self.submit.setObjectName("retirement_submit")
        self.submit.setEnabled(False)
        self.message = message_label()
        self.receipt = receipt_box()
        self.voucher_bar = VoucherBar(context)
        deemed = QHBoxLayout()
        deemed.addWidget(self.deemed_from)
        deemed.addWidget(QLabel(self.tr("至")))
        deemed.addWidget(self.deemed_to)
        form = QFormLayout()
        form.addRow(self.tr("退休日期（退休审批）"), self.retirement_date)
        form.addRow("", self.errors["retirement_date"])
        form.addRow(self.tr("视同缴费期间（退休审批表）"), deemed)
        form.addRow("", self.errors["deemed_from"])
        form.addRow("", self.errors["deemed_to"])
        form.addRow(self.tr("缴费年限清算"), self.assessment)
        form.addRow(self.tr("年限不足时"), self.option)
        form.addRow("", self.errors["option"])
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.person)
        layout.addWidget(self.errors["person"])
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.voucher_bar)
        layout.addWidget(self.receipt, 1)
        QWidget.setTabOrder(self.retirement_date, self.deemed_from)
        QWidget.setTabOrder(self.deemed_from, self.deemed_to)
        QWidget.setTabOrder(self.deemed_to, self.option)
        QWidget.setTabOrder(self.option, self.submit)
        self.setFocusProxy(self.retirement_date)
        self.retirement_date.dateChanged.connect(lambda _day: self._assess())
        # A month is assessed once it is whole (or cleared); leaving the field says what is
        # wrong with a month typed halfway.
        for edit in (self.deemed_from, self.deemed_to):
            edit.textChanged.connect(self._on_deemed_text_changed)
            edit.editingFinished.connect(self._assess)
        self.submit.clicked.connect(self._submit)
        self.model.assessed.connect(self._show_assessment)
        self.model.done.connect(self._show_receipt)
        self.model.failed.connect(self._show_error)
        context.served.changed.connect(self.set_person)
        context.served.updated.connect(lambda person, _serial: self._show_person(person))

    def cancel(self) -> None:
        """Esc: the form and the last act's receipt cleared; the citizen stays served."""
        today = self._today
        self.retirement_date.blockSignals(True)
        self.retirement_date.setDate(QDate(today.year, today.month, today.day))
        self.retirement_date.blockSignals(False)
        for edit in (self.deemed_from, self.deemed_to):
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
        self.option.setCurrentIndex(0)
        self.option.setEnabled(False)
        self._clear_errors()
        self.assessment.clear()
        self.message.clear()
        self.receipt.clear()
        self.voucher_bar.clear()

    def set_person(self, person: PersonDetail | None) -> None:
        """Another citizen (or nobody) is served: nothing of the last one stays."""
        self.cancel()
        self._show_person(person)
        if self.isVisible():
            self._assess()

    def showEvent(self, event: QShowEvent) -> None:
        """The assessment of the date on the form, read when the view is shown (not for every
        citizen served while the clerk works elsewhere)."""
        super().showEvent(event)
        self._assess()

    def _show_person(self, person: PersonDetail | None) -> None:
        self.submit.setEnabled(person is not None)
        if person is None:
            self.person.setText(nobody_served_text())
            return
        text = self.tr("{name}（{sex}，{birth} 生）").format(
            name=person.name, sex=tr_label(person.sex.label), birth=f"{person.birth_date:%Y-%m-%d}"
        )
        retirement = person.retirement
        if retirement is not None:
            text += self.tr("；{outcome}（{day}，业务流水号 {serial}）").format(
                outcome=tr_label(retirement.outcome.label),
                day=f"{retirement.business_day:%Y-%m-%d}",
                serial=retirement.serial,
            )
        self.person.setText(text)

    def _on_deemed_text_changed(self, text: str) -> None:
        if not text.strip() or _WHOLE_MONTH.fullmatch(text.strip()):
            self._assess()

    def _deemed(self) -> tuple[str, str]:
        return self.deemed_from.text(), self.deemed_to.text()

    def _assess(self) -> None:
        person = self._served.person
        if person is None:
            return
        self._clear_errors()
        self.model.assess(
            person_id=person.id,
            retirement_date=picked_date(self.retirement_date),
            deemed=self._deemed(),
        )

    def _show_assessment(self, a: RetirementAssessment) -> None:
        m = a.months
        lines = [
            self.tr("累计缴费 {have}，应达 {need}：{verdict}").format(
                have=months_text(m.total), need=months_text(a.required_total),
                verdict=self._verdict(a.total_short),
            ),
            self.tr("其中本地实际缴费 {have}，应达 {need}：{verdict}").format(
                have=months_text(m.local), need=months_text(a.required_local),
                verdict=self._verdict(a.local_short),
            ),
            self.tr("转入 {transferred}，视同缴费 {deemed}").format(
                transferred=months_text(m.transferred), deemed=months_text(m.deemed)
            ),
        ]  # fmt: skip
        payment = a.payment
        if payment is None:
            lines.append(
                self.tr("符合条件：{rule}，退休待遇自 {day} 起").format(
                    rule=tr_label(a.benefit_rule.label), day=f"{a.benefit_start:%Y-%m-%d}"
                )
            )
        else:
            lines.append(
                self.tr(
                    "缴费年限不足，还差 {short}：一次性趸缴 {total} 元，"
                    "或延迟退休登记，逐年缴纳 {years} 年（每年 {yearly} 元）"
                ).format(
                    short=months_text(a.shortfall), total=format_yuan(payment.total_fen),
                    years=payment.years, yearly=format_yuan(payment.yearly_fen),
                )
            )  # fmt: skip
        self.assessment.setText("\n".join(lines))
        self.option.setEnabled(payment is not None)

    def _verdict(self, short: int) -> str:
        if not short:
            return self.tr("达到")
        return self.tr("差 {months}").format(months=months_text(short))

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()

    def _submit(self) -> None:
        person = self._served.person
        if person is None:
            return
        self._clear_errors()
        self.message.clear()
        deemed_from, deemed_to = self._deemed()
        self.model.retire(
            person_id=person.id,
            retirement_date=picked_date(self.retirement_date),
            deemed_from=deemed_from,
            deemed_to=deemed_to,
            option=RetirementOutcome(self.option.currentData())
            if self.option.isEnabled()
            else None,
        )

    def _show_error(self, field: str, text: str) -> None:
        self.errors.get(field, self.message).setText(text)
        if field in ("retirement_date", "deemed_from", "deemed_to", "option"):
            self.assessment.clear()
        focus = {
            "retirement_date": self.retirement_date,
            "deemed_from": self.deemed_from,
            "deemed_to": self.deemed_to,
            "option": self.option,
        }.get(field)
        if focus is not None and self.submit.hasFocus():
            focus.setFocus()

    def _show_receipt(self, receipt: RetirementReceipt) -> None:
        serial = receipt.transaction.serial
        self.message.setText(
            self.tr("已办理：{outcome}，业务流水号 {serial}").format(
                outcome=tr_label(receipt.outcome_label), serial=serial
            )
        )
        lines = [
            self.tr("业务流水号：{s}").format(s=serial),
            self.tr("退休日期：{day}").format(day=f"{receipt.retirement_date:%Y-%m-%d}"),
            self.tr("累计缴费 {total}，其中本地实际缴费 {local}").format(
                total=months_text(receipt.total), local=months_text(receipt.local)
            ),
        ]
        if receipt.benefit_start is not None:
            lines.append(
                self.tr("退休待遇自 {day} 起").format(day=f"{receipt.benefit_start:%Y-%m-%d}")
            )
        if receipt.payment is not None:
            lines.append(
                self.tr("差 {short}，应缴 {total} 元").format(
                    short=months_text(receipt.shortfall),
                    total=format_yuan(receipt.payment.total_fen),
                )
            )
        self.receipt.setPlainText("\n".join(lines))
        self.option.setEnabled(False)
        self.voucher_bar.issue(receipt)
