"""个人账户余额继承 (Shift+F7): the served citizen has died; an heir asks for the personal account
balance. The death, the balance and the heir (with a guardian under 18) are typed here, the
承诺书 is printed for signature, and the request waits for a supervisor's 复核, in the panel
below that the review view shows as a tab."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medins_desk.domain.card import RepresentativeRole
from medins_desk.domain.enrollment import EnrollmentStatus
from medins_desk.domain.identity import parse_day, parse_identity_number
from medins_desk.domain.inheritance import (
    DeathProof,
    HeirRelation,
    heir_needs_guardian,
    inheritance_materials,
)
from medins_desk.domain.money import format_yuan, parse_yuan
from medins_desk.errors import ValidationError
from medins_desk.services.inheritance import (
    Heir,
    InheritanceDecision,
    InheritancePledge,
    PendingInheritance,
    pending_inheritances,
    request_inheritance,
    review_inheritance,
)
from medins_desk.services.persons import PersonDetail
from ui.context import AppContext
from ui.labels import tr_label
from ui.serving import nobody_served_text
from ui.views.base import ConfirmButton, ViewModel, error_label, message_label, receipt_box
from ui.views.queue import current_in, show_queue
from ui.views.representative import RepresentativeForm
from ui.vouchers import VoucherBar

_MATERIALS = inheritance_materials(guardian=True)  # the longest list: one box per material


class InheritanceModel(ViewModel):
    done = Signal(object)  # InheritancePledge

    def submit(self, **kwargs: object) -> None:
        self.act_confirmable(request_inheritance, self.done.emit, **kwargs)


class InheritanceView(QWidget):
    """个人账户余额继承申请 for the served (deceased) citizen."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = InheritanceModel(context, self)
        self._served = context.served
        self.person_label = QLabel(nobody_served_text())
        self.person_label.setObjectName("deceased")
        self.person_label.setWordWrap(True)
        self.errors: dict[str, QLabel] = {}
        self.inputs: dict[str, QWidget] = {}

        self.death_date = QLineEdit()
        self.death_date.setPlaceholderText(self.tr("如 2026-10-02，以死亡证明为准"))
        self.death_proof = QComboBox()
        for proof in DeathProof:
            self.death_proof.addItem(tr_label(proof.label), proof)
        self.balance = QLineEdit()
        self.balance.setPlaceholderText(self.tr("结算系统中的个人账户余额（元）"))
        death = QGroupBox(self.tr("死亡登记与个人账户"))
        form = QFormLayout(death)
        self._row(form, self.tr("死亡日期"), self.death_date, "death_date")
        self._row(form, self.tr("死亡证明材料"), self.death_proof, "death_proof")
        self._row(form, self.tr("个人账户余额（元）"), self.balance, "balance")

        self.heir_id_number = QLineEdit()
        self.heir_name = QLineEdit()
        self.heir_relation = QComboBox()
        for relation in HeirRelation:
            self.heir_relation.addItem(tr_label(relation.label), relation)
        self.heir_phone = QLineEdit()
        self.bank_name = QLineEdit()
        self.bank_name.setPlaceholderText(self.tr("如：中国工商银行北京朝阳支行"))
        self.bank_account = QLineEdit()
        heir = QGroupBox(self.tr("继承人（收款人，一次申请一名）"))
        form = QFormLayout(heir)
        self._row(form, self.tr("证件号码"), self.heir_id_number, "heir_id_number")
        self._row(form, self.tr("姓名"), self.heir_name, "heir_name")
        self._row(form, self.tr("与死亡参保人关系"), self.heir_relation, "heir_relation")
        self._row(form, self.tr("联系电话"), self.heir_phone, "heir_phone")
        self._row(form, self.tr("开户银行"), self.bank_name, "bank_name")
        self._row(form, self.tr("银行卡号"), self.bank_account, "bank_account")
        self.guardian = RepresentativeForm(RepresentativeRole.GUARDIAN)

        self.materials: list[QCheckBox] = []
        boxes = QVBoxLayout()
        for index, material in enumerate(_MATERIALS):
            box = QCheckBox(material)
            box.setObjectName(f"inheritance_material_{index}")
            self.materials.append(box)
            boxes.addWidget(box)
        materials = QGroupBox(self.tr("已收材料（未勾选的打印为尚缺）"))
        materials.setLayout(boxes)

        self.submit = QPushButton(self.tr("提交继承申请并打印承诺书(&S)"))
        self.submit.setObjectName("submit")
        self.message = message_label()
        self.confirm = ConfirmButton(self.model, self.message)
        self.receipt = receipt_box()
        self.voucher_bar = VoucherBar(context)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(death)
        left.addWidget(heir)
        right = QVBoxLayout()
        right.addWidget(self.guardian)
        right.addWidget(materials)
        right.addStretch(1)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.confirm)
        buttons.addWidget(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.person_label)
        layout.addLayout(columns)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.voucher_bar)
        layout.addWidget(self.receipt, 1)

        self.heir_id_number.editingFinished.connect(self._check_heir_age)
        self.submit.clicked.connect(self._submit)
        self.model.done.connect(self._done)
        self.model.failed.connect(self._show_error)
        context.served.changed.connect(self.set_person)
        context.served.updated.connect(lambda person, _serial: self._show_person(person))
        self.set_person(context.served.person)

    def _row(self, form: QFormLayout, title: str, widget: QWidget, field: str) -> None:
        widget.setObjectName(field)
        error = error_label(f"{field}_error")
        self.inputs[field], self.errors[field] = widget, error
        row = QHBoxLayout()
        row.addWidget(widget, 3)
        row.addWidget(error, 2)
        form.addRow(title, row)

    # -- the citizen served ------------------------------------------------------------------

    def set_person(self, person: PersonDetail | None) -> None:
        """Another citizen (or nobody) is served: the form starts empty."""
        self._clear()
        self._show_person(person)

    def cancel(self) -> None:
        """Esc: the form is cleared, nothing is done; the citizen stays served."""
        self._clear()
        self._show_person(self._served.person)

    def _clear(self) -> None:
        self._clear_messages()
        self._clear_inputs()

    def _clear_inputs(self) -> None:
        for field in (self.death_date, self.balance, self.heir_id_number, self.heir_name,
                      self.heir_phone, self.bank_name, self.bank_account):  # fmt: skip
            field.clear()
        self.death_proof.setCurrentIndex(0)
        self.heir_relation.setCurrentIndex(0)
        for box in self.materials:
            box.setChecked(False)
        self.guardian.clear()

    def _show_person(self, person: PersonDetail | None) -> None:
        self.submit.setEnabled(person is not None)
        if person is None:
            self.person_label.setText(nobody_served_text())
            self.balance.clear()
            return
        if person.death_date is not None and not self.death_date.text().strip():
            # Recorded by an earlier request (one rejected): a new one keeps that date.
            self.death_date.setText(f"{person.death_date:%Y-%m-%d}")
        live = next(
            (e for e in person.enrollments if e.status is not EnrollmentStatus.TERMINATED), None
        )
        if live is None:
            self.person_label.setText(
                self.tr("死亡参保人：{name}（{id}），无在保参保记录").format(
                    name=person.name, id=person.id_number
                )
            )
            return
        self.person_label.setText(
            self.tr("死亡参保人：{name}（{id}），{type}「{status}」，本库余额 {balance} 元").format(
                name=person.name, id=person.id_number, type=tr_label(live.insurance_type.label),
                status=tr_label(live.status.label), balance=format_yuan(live.account_balance_fen),
            )
        )  # fmt: skip
        if not self.balance.text().strip():
            self.balance.setText(format_yuan(live.account_balance_fen))

    def _clear_messages(self) -> None:
        self.confirm.withdraw()
        self.message.clear()
        self.receipt.clear()
        self.voucher_bar.clear()
        for label in self.errors.values():
            label.clear()
        self.guardian.error.clear()

    # -- checks and the act --------------------------------------------------------------------

    def _check_heir_age(self) -> None:
        """A minor heir is said at once: the guardian's part must be filled."""
        text = self.heir_id_number.text()
        if not text.strip():
            return
        try:
            identity = parse_identity_number(text, field="heir_id_number")
        except ValidationError as error:
            self.errors["heir_id_number"].setText(error.message)
            return
        today = self.model.context.require_actor().today()
        minor = heir_needs_guardian(identity.birth_date, today)
        self.errors["heir_id_number"].setText(
            self.tr("继承人未满 18 周岁，须由监护人办理") if minor else ""
        )

    def _submit(self) -> None:
        self._clear_messages()
        person = self._served.person
        if person is None:
            return
        try:
            heir = Heir(
                id_number=self.heir_id_number.text(), name=self.heir_name.text(),
                relation=HeirRelation(self.heir_relation.currentData()),
                phone=self.heir_phone.text(), bank_name=self.bank_name.text(),
                bank_account=self.bank_account.text(),
            )  # fmt: skip
            death_date = parse_day(self.death_date.text(), field="death_date", what="死亡日期")
            balance = parse_yuan(self.balance.text(), field="balance", what="个人账户余额")
            guardian = self.guardian.value()
        except ValidationError as error:
            self._show_error(error.field, error.message)
            return
        self.model.submit(
            person_id=person.id, death_date=death_date,
            death_proof=DeathProof(self.death_proof.currentData()), balance_fen=balance,
            heir=heir, guardian=guardian,
            materials=tuple(box.text() for box in self.materials if box.isChecked()),
        )  # fmt: skip

    def _show_error(self, field: str, text: str) -> None:
        if field in ("representative", "representative_role"):
            self.guardian.error.setText(text)
            self.guardian.enabled.setFocus()
            return
        if self.guardian.show_error(field, text):
            return
        label = self.errors.get(field)
        if label is None:
            self.message.setText(text)
            return
        label.setText(text)
        self.inputs[field].setFocus()

    def _done(self, pledge: InheritancePledge) -> None:
        self.message.setText(
            self.tr("继承申请已受理，待复核；业务流水号 {serial}。请继承人在承诺书上签字").format(
                serial=pledge.transaction.serial
            )
        )
        lines = [
            self.tr("业务流水号：{s}").format(s=pledge.transaction.serial),
            self.tr("死亡日期：{d}").format(d=f"{pledge.death_date:%Y-%m-%d}"),
            self.tr("个人账户余额：{b} 元").format(b=format_yuan(pledge.balance_fen)),
            self.tr("继承人：{name}（{relation}），{bank} {account}").format(
                name=pledge.heir_name, relation=tr_label(pledge.heir_relation_label),
                bank=pledge.bank_name, account=pledge.bank_account,
            ),
        ]  # fmt: skip
        if pledge.enrollment_label:
            lines.append(self.tr("参保：{e}").format(e=pledge.enrollment_label))
        if pledge.card_number:
            lines.append(self.tr("社会保障卡 {n} 已注销").format(n=pledge.card_number))
        if pledge.missing_materials:
            lines.append(self.tr("尚缺：{m}").format(m="、".join(pledge.missing_materials)))
        self.receipt.setPlainText("\n".join(lines))
        self.voucher_bar.issue(pledge)
        self._clear_inputs()


class InheritanceReviewModel(ViewModel):
    loaded = Signal(list)  # list[PendingInheritance]
    decided = Signal(str)
    receipt = Signal(object)  # InheritanceDecision

    def load(self) -> None:
        self.call_latest(pending_inheritances, done=self.loaded.emit)

    def review(self, request: PendingInheritance, *, approve: bool, comment: str) -> None:
        self.act(
            review_inheritance, self._reviewed, for_served=False, request_id=request.id,
            approve=approve, comment=comment,
        )  # fmt: skip

    def _reviewed(self, decision: InheritanceDecision) -> None:
        self.decided.emit(
            self.tr("{name} 的个人账户余额继承：{verdict}，业务流水号 {serial}").format(
                name=decision.person_name, verdict=tr_label(decision.state_label),
                serial=decision.transaction.serial,
            )
        )  # fmt: skip
        self.receipt.emit(decision)
        self.load()


class InheritanceReviewPanel(QWidget):
    """The 复核 of inheritance requests: approved, the payment instruction is final."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = InheritanceReviewModel(context, self)
        self.queue = QListWidget()
        self.queue.setObjectName("inheritance_queue")
        self.details = QLabel()
        self.details.setObjectName("inheritance_details")
        self.details.setWordWrap(True)
        self.comment = QLineEdit()
        self.comment.setObjectName("inheritance_comment")
        self.comment.setPlaceholderText(self.tr("复核意见（驳回时必填）"))
        self.approve = QPushButton(self.tr("核准支付"))
        self.approve.setObjectName("inheritance_approve")
        self.reject = QPushButton(self.tr("驳回"))
        self.reject.setObjectName("inheritance_reject")
        buttons = QHBoxLayout()
        buttons.addWidget(self.comment, 1)
        buttons.addWidget(self.approve)
        buttons.addWidget(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("待复核的个人账户余额继承申请")))
        layout.addWidget(self.queue, 1)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        self._requests: list[PendingInheritance] = []
        self.queue.currentRowChanged.connect(lambda _row: self._select())
        self.approve.clicked.connect(lambda: self._review(approve=True))
        self.reject.clicked.connect(lambda: self._review(approve=False))
        self.model.loaded.connect(self._show)
        self._select()

    def _show(self, requests: list[PendingInheritance]) -> None:
        self._requests = requests
        line = self.tr("{name}（{id}）：{balance} 元付 {heir}（{relation}），{who} {at} 提交")
        show_queue(
            self.queue,
            requests,
            (
                line.format(
                    name=r.person_name,
                    id=r.masked_id_number,
                    balance=format_yuan(r.balance_fen),
                    heir=r.heir_name,
                    relation=tr_label(r.heir_relation_label),
                    who=r.submitted_by_name,
                    at=f"{r.submitted_at:%m-%d %H:%M}",
                )
                for r in requests
            ),
        )
        self._select()

    def _current(self) -> PendingInheritance | None:
        return current_in(self.queue, self._requests)

    def _select(self) -> None:
        request = self._current()
        if request is None:
            self.details.setText(self.tr("没有待复核的继承申请"))
        elif request.own:
            self.details.setText(
                self.tr("本人提交的申请须由其他复核员复核：复核人不能是申请人本人")
            )
        else:
            missing = "、".join(request.missing_materials) or self.tr("无")
            self.details.setText(
                self.tr(
                    "死亡日期 {death}；收款：{bank} {account}；尚缺材料：{missing}。"
                    "核准后即为最终支付指令"
                ).format(
                    death=f"{request.death_date:%Y-%m-%d}", bank=request.bank_name,
                    account=request.masked_bank_account, missing=missing,
                )
            )  # fmt: skip
        decidable = request is not None and not request.own
        self.approve.setEnabled(decidable)
        self.reject.setEnabled(decidable)

    def _review(self, *, approve: bool) -> None:
        request = self._current()
        if request is not None:
            self.model.review(request, approve=approve, comment=self.comment.text())
            if approve:
                self.comment.clear()
