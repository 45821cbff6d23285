"""参保信息变更: new values beside the current ones, checked as the clerk types; identity fields
go to review (待复核), contact and bank fields take effect at once."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medins_desk.domain.contact import DebitHolderRelation
from medins_desk.domain.correction import (
    CorrectionClass,
    CorrectionField,
    SupportingDocument,
    validate_field_value,
)
from medins_desk.errors import ValidationError
from medins_desk.services.correction import (
    CorrectionReceipt,
    DebitAccountInput,
    submit_correction,
)
from medins_desk.services.persons import PersonDetail
from ui.context import AppContext
from ui.labels import tr_label
from ui.serving import nobody_served_text
from ui.views.base import ConfirmButton, ViewModel, error_label, message_label, receipt_box
from ui.views.name_edit import NameEdit
from ui.vouchers import VoucherBar

# Fields edited as text here; the bank account has its own group.
TEXT_FIELDS = tuple(f for f in CorrectionField if f is not CorrectionField.BANK_ACCOUNT)


def current_value(person: PersonDetail, field: CorrectionField) -> str:
    """The value the person's page shows for ``field``."""
    values = {
        CorrectionField.PHONE: person.phone,
        CorrectionField.ADDRESS: person.address,
        CorrectionField.POSTCODE: person.postcode,
        CorrectionField.NAME: person.name,
        CorrectionField.IDENTITY_NUMBER: person.id_number,
        CorrectionField.SEX: person.sex.label,
        CorrectionField.BIRTH_DATE: f"{person.birth_date:%Y-%m-%d}",
        CorrectionField.ETHNICITY: person.ethnicity,
    }
    return values.get(field) or ""


class CorrectionModel(ViewModel):
    done = Signal(object)  # CorrectionReceipt

    def check(self, field: CorrectionField, text: str) -> str:
        """The inline message for a value being typed ('' when it is acceptable)."""
        if not text.strip():
            return ""
        try:
            _value, notices = validate_field_value(
                field, text, today=self.context.require_actor().today()
            )
        except ValidationError as error:
            return error.message
        return "；".join(n.message for n in notices)

    def submit(self, **values: object) -> None:
        self.act_confirmable(submit_correction, self.done.emit, **values)


class CorrectionView(QWidget):
    """参保信息变更 (F5)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CorrectionModel(context, self)
        self._served = context.served
        self.heading = QLabel(nobody_served_text())
        grid = QGridLayout()
        for column, title in enumerate(
            (self.tr("项目"), self.tr("现值"), self.tr("新值"), self.tr("类别"), "")
        ):
            grid.addWidget(QLabel(title), 0, column)
        self.current: dict[CorrectionField, QLabel] = {}
        self.new: dict[CorrectionField, QLineEdit] = {}
        self.errors: dict[CorrectionField, QLabel] = {}
        for row, field in enumerate(TEXT_FIELDS, start=1):
            self.current[field] = QLabel()
            edit = NameEdit() if field is CorrectionField.NAME else QLineEdit()
            edit.setObjectName(field.value)
            self.new[field] = edit
            error = error_label(f"{field.value}_error")
            self.errors[field] = error
            kind = field.correction_class
            kind_label = QLabel(
                self.tr("即时生效") if kind is CorrectionClass.IMMEDIATE else self.tr("需复核")
            )
            for column, widget in enumerate(
                (QLabel(field.label), self.current[field], edit, kind_label, error)
            ):
                grid.addWidget(widget, row, column)
            edit.textChanged.connect(lambda text, f=field: self._check(f, text))

        self.bank = QGroupBox(self.tr("银行扣款账户（即时生效）"))
        self.bank.setCheckable(True)
        self.bank.setChecked(False)
        self.bank.setObjectName("bank")
        self.bank_name = QLineEdit()
        self.bank_name.setObjectName("bank_name")
        self.account_number = QLineEdit()
        self.account_number.setObjectName("account_number")
        self.holder_relation = QComboBox()
        self.holder_relation.setObjectName("holder_relation")
        for relation in DebitHolderRelation:
            self.holder_relation.addItem(tr_label(relation.label), relation)
        self.holder_name = QLineEdit()
        self.holder_name.setObjectName("holder_name")
        self.holder_sex = QComboBox()
        self.holder_sex.setObjectName("holder_sex")
        self.holder_sex.addItem(self.tr("男"), "1")
        self.holder_sex.addItem(self.tr("女"), "2")
        self.holder_phone = QLineEdit()
        self.holder_phone.setObjectName("holder_phone")
        self.holder_address = QLineEdit()
        self.holder_address.setObjectName("holder_address")
        self.holder_postcode = QLineEdit()
        self.holder_postcode.setObjectName("holder_postcode")
        bank_form = QFormLayout(self.bank)
        bank_form.addRow(self.tr("开户银行"), self.bank_name)
        bank_form.addRow(self.tr("账号"), self.account_number)
        bank_form.addRow(self.tr("持有人关系"), self.holder_relation)
        bank_form.addRow(self.tr("持有人姓名"), self.holder_name)
        bank_form.addRow(self.tr("持有人性别"), self.holder_sex)
        bank_form.addRow(self.tr("持有人电话"), self.holder_phone)
        bank_form.addRow(self.tr("持有人地址"), self.holder_address)
        bank_form.addRow(self.tr("持有人邮编"), self.holder_postcode)

        documents = QGroupBox(self.tr("查验的证明材料"))
        row_layout = QHBoxLayout(documents)
        self.documents: dict[SupportingDocument, QCheckBox] = {}
        for document in SupportingDocument:
            box = QCheckBox(tr_label(document.label))
            box.setObjectName(f"document_{document.value}")
            self.documents[document] = box
            row_layout.addWidget(box)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("变更原因（必填），如：本人更换手机号码"))
        self.submit = QPushButton(self.tr("提交变更(&S)"))
        self.submit.setObjectName("submit")
        self.message = message_label()
        self.confirm = ConfirmButton(self.model, self.message)
        self.receipt = receipt_box()
        self.voucher_bar = VoucherBar(context)
        actions = QHBoxLayout()
        reason_label = QLabel(self.tr("变更原因(&R)"))
        reason_label.setBuddy(self.reason)
        actions.addWidget(reason_label)
        actions.addWidget(self.reason, 1)
        actions.addWidget(self.submit)
        actions.addWidget(self.confirm)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(grid)
        layout.addWidget(self.bank)
        layout.addWidget(documents)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.voucher_bar)
        layout.addWidget(self.receipt, 1)

        self.submit.clicked.connect(self._submit)
        self.model.done.connect(self._show_receipt)
        self.model.failed.connect(self._show_error)
        self.setFocusProxy(self.new[TEXT_FIELDS[0]])  # F5 puts the cursor in the first field
        context.served.changed.connect(self.set_person)
        context.served.updated.connect(lambda person, _serial: self.person_updated(person))

    @property
    def person(self) -> PersonDetail | None:
        """The citizen served (ui.serving.ServedPerson): read there, never kept here."""
        return self._served.person

    def set_person(self, person: PersonDetail | None) -> None:
        """Another citizen (or nobody) is served: the form starts empty for them."""
        self._start_again()

    def person_updated(self, person: PersonDetail) -> None:
        """The same citizen read again: the current values as the store holds them now; what
        the clerk typed stays."""
        self._show_current()

    def cancel(self) -> None:
        """Esc: the typed changes are dropped; nothing was submitted."""
        self._start_again()

    def _start_again(self) -> None:
        self.confirm.withdraw()
        for field in TEXT_FIELDS:
            self.new[field].clear()
        self.bank.setChecked(False)
        for edit in self.bank.findChildren(QLineEdit):
            edit.clear()
        self.holder_relation.setCurrentIndex(0)
        self.holder_sex.setCurrentIndex(0)
        for box in self.documents.values():
            box.setChecked(False)
        self.reason.clear()
        self.message.clear()
        self.receipt.clear()
        self.voucher_bar.clear()
        self._show_current()

    def _show_current(self) -> None:
        person = self.person
        self.heading.setText(
            self.tr("变更 {name} 的参保信息").format(name=person.name)
            if person is not None
            else nobody_served_text()
        )
        for field in TEXT_FIELDS:
            self.current[field].setText(current_value(person, field) if person else "")

    def _check(self, field: CorrectionField, text: str) -> None:
        self.errors[field].setText(self.model.check(field, text))

    def _bank_account(self) -> DebitAccountInput | None:
        if not self.bank.isChecked():
            return None
        relation = DebitHolderRelation(self.holder_relation.currentData())
        if relation is DebitHolderRelation.SELF:
            return DebitAccountInput(self.bank_name.text(), self.account_number.text(), relation)
        return DebitAccountInput(
            self.bank_name.text(), self.account_number.text(), relation,
            holder_name=self.holder_name.text(), holder_sex=self.holder_sex.currentData(),
            holder_phone=self.holder_phone.text(), holder_address=self.holder_address.text(),
            holder_postcode=self.holder_postcode.text(),
        )  # fmt: skip

    def _submit(self) -> None:
        self.message.clear()
        self.confirm.hide()
        if self.person is None:
            self.message.setText(self.tr("请先打开参保人"))
            return
        changes = {f: e.text() for f, e in self.new.items() if e.text().strip()}
        self.model.submit(
            person_id=self.person.id, changes=changes, reason=self.reason.text(),
            documents=[d for d, box in self.documents.items() if box.isChecked()],
            bank_account=self._bank_account(),
        )  # fmt: skip

    def _show_receipt(self, receipt: CorrectionReceipt) -> None:
        pending = [r for r in receipt.requests if r.notice]
        self.message.setText(
            self.tr("已提交，业务流水号 {serial}").format(serial=receipt.transaction.serial)
            + (self.tr("；身份信息待复核") if pending else self.tr("；已生效"))
        )
        lines = [self.tr("业务流水号：{s}").format(s=receipt.transaction.serial)]
        for request in receipt.requests:
            lines.append(f"【{tr_label(request.class_label)}】{tr_label(request.state_label)}")
            lines.extend(
                f"  {tr_label(row.label)}：{row.before or ''} → {row.after or ''}"
                for row in request.rows
            )
            if request.notice:
                lines.append(f"  {request.notice}")
        self.receipt.setPlainText("\n".join(lines))
        self.voucher_bar.issue(receipt)
        for edit in self.new.values():
            edit.clear()

    def _show_error(self, field: str, text: str) -> None:
        self.message.setText(text)
        try:
            target = self.new.get(CorrectionField(field))
        except ValueError:
            target = self.findChild(QLineEdit, field) if field else None
        if target is not None:
            target.setFocus()
