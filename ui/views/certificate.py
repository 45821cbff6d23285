"""参保证明 (F12): the served citizen's 参保证明 or 参保缴费证明, with a purpose, printed on A4 with
the QR a bank or an employer verifies. A citizen with no enrollment is refused by the core; its
message is shown at the citizen's line."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
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

from medins_desk.domain.contributions import MAX_PURPOSE_LENGTH, CertificateScope
from medins_desk.services.certificate import InsuranceCertificate, issue_certificate
from medins_desk.services.persons import PersonDetail
from ui.context import AppContext
from ui.labels import tr_label
from ui.serving import contributions_text, nobody_served_text
from ui.views.base import ViewModel, error_label, message_label, receipt_box
from ui.vouchers import VoucherBar


class CertificateModel(ViewModel):
    done = Signal(object)  # InsuranceCertificate

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(context, parent)

    def issue(self, *, person_id: int, scope: CertificateScope, purpose: str) -> None:
        self.act(
            issue_certificate,
            self.done.emit,
            for_served=True,
            person_id=person_id,
            scope=scope,
            purpose=purpose,
        )


class CertificateView(QWidget):
    """开具参保证明 (F12)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CertificateModel(context, self)
        self._served = context.served
        self.person = QLabel(nobody_served_text())
        self.person.setObjectName("certificate_person")
        self.person.setWordWrap(True)
        self.person_error = error_label("certificate_person_error")
        self.scope = QComboBox()
        self.scope.setObjectName("certificate_scope")
        for scope in (CertificateScope.CONTRIBUTION, CertificateScope.ENROLLMENT):
            self.scope.addItem(tr_label(scope.label), scope)
        self.purpose = QLineEdit()
        self.purpose.setObjectName("certificate_purpose")
        self.purpose.setMaxLength(MAX_PURPOSE_LENGTH + 20)  # the core says when it is too long
        self.purpose.setPlaceholderText(self.tr("选填，如：购房贷款、子女入学、单位入职"))
        self.purpose_error = error_label("certificate_purpose_error")
        self.submit = QPushButton(self.tr("开具证明(&K)"))
        self.submit.setObjectName("certificate_submit")
        self.submit.setEnabled(False)
        self.message = message_label()
        self.receipt = receipt_box()
        self.voucher_bar = VoucherBar(context)
        form = QFormLayout()
        form.addRow(self.tr("证明类型"), self.scope)
        form.addRow(self.tr("证明用途"), self.purpose)
        form.addRow("", self.purpose_error)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.person)
        layout.addWidget(self.person_error)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.voucher_bar)
        layout.addWidget(self.receipt, 1)
        self.submit.clicked.connect(self._submit)
        # Keyboard first (ui.keyboard): Enter goes 类型 -> 用途 -> 开具证明, and there issues it.
        QWidget.setTabOrder(self.scope, self.purpose)
        QWidget.setTabOrder(self.purpose, self.submit)
        self.setFocusProxy(self.purpose)  # F12 puts the cursor in 用途: F12, 用途, Enter, Enter
        self.model.done.connect(self._show_receipt)
        self.model.failed.connect(self._show_error)
        context.served.changed.connect(self.set_person)
        context.served.updated.connect(lambda person, _serial: self._show_person(person))

    def cancel(self) -> None:
        """Esc: the form and the last certificate's receipt cleared."""
        self.purpose.clear()
        self.scope.setCurrentIndex(0)
        self._clear_errors()
        self.message.clear()
        self.receipt.clear()
        self.voucher_bar.clear()

    def set_person(self, person: PersonDetail | None) -> None:
        """Another citizen (or nobody) is served: nothing of the last one stays."""
        self.cancel()
        self._show_person(person)

    def _show_person(self, person: PersonDetail | None) -> None:
        self.submit.setEnabled(person is not None)
        if person is None:
            self.person.setText(nobody_served_text())
            return
        self.person.setText(
            self.tr("{name}：参保记录 {count} 段；{months}").format(
                name=person.name,
                count=len(person.enrollments),
                months=contributions_text(person.contributions),
            )
        )

    def _clear_errors(self) -> None:
        self.person_error.clear()
        self.purpose_error.clear()

    def _submit(self) -> None:
        person = self._served.person
        if person is None:
            return
        self._clear_errors()
        self.message.clear()
        self.model.issue(
            person_id=person.id,
            scope=CertificateScope(self.scope.currentData()),
            purpose=self.purpose.text(),
        )

    def _show_error(self, field: str, text: str) -> None:
        labels = {"person": self.person_error, "purpose": self.purpose_error}
        labels.get(field, self.message).setText(text)
        if field == "purpose":
            self.purpose.setFocus()

    def _show_receipt(self, certificate: InsuranceCertificate) -> None:
        serial = certificate.transaction.serial
        self.message.setText(
            self.tr("已开具{title}，业务流水号 {serial}").format(
                title=tr_label(certificate.title), serial=serial
            )
        )
        lines = [self.tr("业务流水号：{s}").format(s=serial)]
        for period in certificate.periods:
            end = f"{period.end:%Y-%m-%d}" if period.end else self.tr("至今")
            lines.append(
                self.tr("{insurance}  {region}  {start} 至 {end}  {status}").format(
                    insurance=tr_label(period.insurance),
                    region=period.region_code,
                    start=f"{period.start:%Y-%m-%d}",
                    end=end,
                    status=tr_label(period.status),
                )
            )
        if certificate.contributions is not None:
            lines.append(contributions_text(certificate.contributions))
        self.receipt.setPlainText("\n".join(lines))
        self.purpose.clear()
        self.voucher_bar.issue(certificate)
