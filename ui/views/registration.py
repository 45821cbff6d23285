"""参保登记 (F7): a citizen not on record is registered and enrolled in one act; a citizen on
record without a live enrollment is enrolled; one whose 城乡居民医保 year has not begun may ask
for a refund (退费申请, see ui/views/refund.py).

Each field is checked as it is typed, with the core's rules and its Chinese messages shown at
the field. Before the clerk confirms, the core's plan says when the benefits begin and which rule
says so (待遇享受起始日), and the possible duplicates (same name and birth date, another number)
are listed. Every store call runs in a worker; the act's 参保登记回执 is archived through the
VoucherBar, and the person registered becomes the citizen served.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from medins_desk.domain.benefits import (
    EnrollmentCategory,
    HouseholdKind,
    materials_for,
    parse_birth_certificate_number,
)
from medins_desk.domain.contact import parse_address, parse_ethnicity, parse_mobile
from medins_desk.domain.enrollment import EnrollmentStatus
from medins_desk.domain.identity import (
    Sex,
    age_on,
    mask_identity_number,
    normalise_identity_text,
    parse_birth_date,
    parse_day,
    parse_identity_number,
)
from medins_desk.domain.names import normalise_name
from medins_desk.errors import ValidationError
from medins_desk.services.enrollment import (
    EnrollmentPlan,
    EnrollmentReceipt,
    EnrollmentRequest,
)
from medins_desk.services.persons import (
    PersonDetail,
    PersonHit,
    Registration,
)
from medins_desk.services.refund import RefundReceipt
from ui.context import AppContext
from ui.errors import message_of
from ui.labels import tr_label
from ui.views.base import error_label, message_label, receipt_box
from ui.views.name_edit import NameEdit
from ui.views.refund import RefundForm
from ui.views.registration_model import Identity, RegistrationModel, suggested_category
from ui.vouchers import VoucherBar

_MOST_MATERIALS = max(len(materials_for(category)) for category in EnrollmentCategory)
_PARTIAL_CODE_POINT = re.compile(r"[Uu]\+[0-9A-Fa-f]{0,6}$")
# The fields the enrollment part (the plan) speaks of; their remote errors go with a new plan.
_PLAN_FIELDS = (
    "category", "paid_on", "guardian", "last_covered", "materials", "birth_date",
    "birth_certificate_number",
)  # fmt: skip


class RegistrationView(QWidget):
    """参保登记 (F7)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = RegistrationModel(context, self)
        self._served = context.served
        self.errors: dict[str, QLabel] = {}
        self.inputs: dict[str, QWidget] = {}
        self._rows: dict[str, tuple[QFormLayout, QLayout]] = {}
        self._local: dict[str, str] = {}  # checked here as typed
        self._remote: dict[str, str] = {}  # said by the core (the plan, the act)
        self._guardian_id: int | None = None
        self._guardian_asked = ""  # the number whose lookup has not answered yet
        self._category_chosen = False  # the clerk picked one: no more suggestions
        self._registered: int | None = None  # the person just registered, about to be served
        self._duplicates: list[PersonHit] = []

        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)

        # 参保人: who is registered
        self.identity = QGroupBox(self.tr("参保人信息"))
        self.identity.setObjectName("identity")
        identity_form = QFormLayout(self.identity)
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(self.tr("18 位社会保障号码（居民身份证号码）"))
        self._row(identity_form, self.tr("社会保障号码"), self.id_number, "identity_number")
        self.derived = QLabel()
        self.derived.setObjectName("derived")
        identity_form.addRow("", self.derived)
        self.by_certificate = QCheckBox(self.tr("新生儿尚无社会保障号码，凭出生医学证明登记"))
        self.by_certificate.setObjectName("by_certificate")
        identity_form.addRow("", self.by_certificate)
        self.certificate_number = QLineEdit()
        self.certificate_number.setPlaceholderText(self.tr("1 个字母加 9 位数字，如 P510123456"))
        self._row(
            identity_form, self.tr("出生医学证明编号"), self.certificate_number,
            "birth_certificate_number",
        )  # fmt: skip
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(self.tr("年-月-日，如 2026-11-01"))
        self._row(identity_form, self.tr("出生日期"), self.birth_date, "birth_date")
        self.sex = QComboBox()
        for sex in Sex:
            self.sex.addItem(tr_label(sex.label), sex)
        self._row(identity_form, self.tr("性别"), self.sex, "sex")
        self.name = NameEdit()
        self._row(identity_form, self.tr("姓名"), self.name, "name")
        self.ethnicity = QLineEdit()
        self.ethnicity.setPlaceholderText(self.tr("民族名称或代码，如 汉族、01"))
        self._row(identity_form, self.tr("民族"), self.ethnicity, "ethnicity")
        self.household_kind = QComboBox()
        self.household_kind.addItem(self.tr("（未填）"), None)
        for kind in HouseholdKind:
            self.household_kind.addItem(tr_label(kind.label), kind)
        self._row(identity_form, self.tr("户籍类别"), self.household_kind, "household_kind")
        self.household_address = QLineEdit()
        self._row(identity_form, self.tr("户籍地址"), self.household_address, "household_address")
        self.address = QLineEdit()
        self._row(identity_form, self.tr("居住（联系）地址"), self.address, "address")
        self.phone = QLineEdit()
        self._row(identity_form, self.tr("手机号码"), self.phone, "phone")
        self.duplicate_list = QListWidget()
        self.duplicate_list.setObjectName("duplicates")
        self.duplicate_list.setMaximumHeight(80)
        self._row(
            identity_form, self.tr("疑似重复（同名同出生日期）"), self.duplicate_list, "duplicates"
        )
        self.duplicate_reason = QLineEdit()
        self.duplicate_reason.setPlaceholderText(
            self.tr("确认不是同一人的理由，如：已核对双方身份证原件")
        )
        self._row(
            identity_form, self.tr("不是同一人的理由"), self.duplicate_reason, "duplicate_reason"
        )

        # 参保: the enrollment
        self.enrollment = QGroupBox(self.tr("参保缴费"))
        self.enrollment.setObjectName("enrollment")
        enrollment_form = QFormLayout(self.enrollment)
        self.category = QComboBox()
        self._row(enrollment_form, self.tr("参保类别"), self.category, "category")
        self.paid_on = QDateEdit()
        self.paid_on.setDisplayFormat("yyyy-MM-dd")
        self._row(enrollment_form, self.tr("缴费日期"), self.paid_on, "paid_on")
        self.materials: list[QCheckBox] = []
        materials = QVBoxLayout()
        for index in range(_MOST_MATERIALS):
            box = QCheckBox()
            box.setObjectName(f"material_{index}")
            self.materials.append(box)
            materials.addWidget(box)
        materials_error = self._error_label("materials")
        materials.addWidget(materials_error)
        enrollment_form.addRow(self.tr("收到的材料\n（未勾选的作为\n一次性告知打印）"), materials)
        self.guardian_number = QLineEdit()
        self.guardian_number.setPlaceholderText(self.tr("监护人的社会保障号码（新生儿必填）"))
        self._row(enrollment_form, self.tr("监护人"), self.guardian_number, "guardian")
        self.guardian_found = QLabel()
        self.guardian_found.setObjectName("guardian_found")
        enrollment_form.addRow("", self.guardian_found)
        self.last_covered = QLineEdit()
        self.last_covered.setPlaceholderText(self.tr("解除劳动关系证明所载，如 2026-08-31"))
        self._row(enrollment_form, self.tr("原参保截止日期"), self.last_covered, "last_covered")
        self.gap_made_up = QCheckBox(self.tr("断保期间费用已补缴"))
        self._row(enrollment_form, "", self.gap_made_up, "gap_made_up")
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.preview.setWordWrap(True)
        enrollment_form.addRow(self.tr("待遇享受"), self.preview)

        self.refund = RefundForm(context)

        self.submit = QPushButton(self.tr("受理登记(&S)"))
        self.submit.setObjectName("submit")
        self.confirm = QPushButton(self.tr("已核实，继续登记(&C)"))
        self.confirm.setObjectName("confirm")
        self.confirm.hide()
        self.new_person = QPushButton(self.tr("登记新参保人(&N)"))
        self.new_person.setObjectName("new_person")
        self.message = message_label()
        self.voucher_bar = VoucherBar(context)
        self.receipt = receipt_box()
        self.receipt.setMaximumHeight(160)
        actions = QHBoxLayout()
        actions.addWidget(self.new_person)
        actions.addStretch(1)
        actions.addWidget(self.confirm)
        actions.addWidget(self.submit)

        form = QWidget()
        column = QVBoxLayout(form)
        column.addWidget(self.heading)
        column.addWidget(self.identity)
        column.addWidget(self.enrollment)
        column.addWidget(self.refund)
        column.addLayout(actions)
        column.addWidget(self.message)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(form)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.voucher_bar)
        layout.addWidget(self.receipt)

        self._plan_timer = QTimer(self)
        self._plan_timer.setSingleShot(True)
        self._plan_timer.setInterval(150)
        self._plan_timer.timeout.connect(self._plan)

        self.id_number.textChanged.connect(lambda _t: self._identity_changed())
        self.id_number.editingFinished.connect(lambda: self._identity_changed(finished=True))
        self.by_certificate.toggled.connect(lambda _on: self._certificate_toggled())
        self.certificate_number.textChanged.connect(lambda _t: self._identity_changed())
        self.certificate_number.editingFinished.connect(
            lambda: self._identity_changed(finished=True)
        )
        self.birth_date.textChanged.connect(lambda _t: self._identity_changed())
        self.birth_date.editingFinished.connect(lambda: self._identity_changed(finished=True))
        self.sex.currentIndexChanged.connect(lambda _i: self._identity_changed())
        self.name.textChanged.connect(lambda _t: self._name_changed())
        for edit, field, check in (
            (self.ethnicity, "ethnicity", parse_ethnicity),
            (self.phone, "phone", parse_mobile),
            (self.address, "address", parse_address),
            (self.household_address, "household_address", _household_address),
        ):
            edit.textChanged.connect(lambda _t, f=field: self._set_local(f, ""))
            edit.editingFinished.connect(lambda e=edit, f=field, c=check: self._check_text(e, f, c))
        self.duplicate_reason.textChanged.connect(lambda _t: self._forget("duplicate_reason"))
        self.category.currentIndexChanged.connect(lambda _i: self._category_changed())
        self.category.activated.connect(lambda _i: setattr(self, "_category_chosen", True))
        self.paid_on.dateChanged.connect(lambda _d: self._enrollment_changed("paid_on"))
        for box in self.materials:
            box.toggled.connect(lambda _on: self._enrollment_changed("materials"))
        self.guardian_number.textChanged.connect(lambda _t: self._guardian_changed())
        self.last_covered.textChanged.connect(lambda _t: self._last_covered_changed())
        self.gap_made_up.toggled.connect(lambda _on: self._enrollment_changed("last_covered"))
        self.submit.clicked.connect(self._submit)
        self.confirm.clicked.connect(self._confirm)
        self.new_person.clicked.connect(lambda: self.start_new())
        self.model.planned.connect(self._planned)
        self.model.plan_failed.connect(self._plan_failed)
        self.model.duplicates.connect(self._show_duplicates)
        self.model.guardian.connect(self._guardian_found)
        self.model.registered.connect(self._registered_done)
        self.model.failed.connect(self._act_failed)
        self.model.needs_confirmation.connect(self._ask_confirmation)
        self.refund.done.connect(self._refund_done)
        context.served.changed.connect(self.set_person)
        context.served.updated.connect(lambda person, _serial: self._show_mode(person))
        self._reset()
        self._show_mode(None)

    # -- building --------------------------------------------------------------------------

    def _error_label(self, field: str) -> QLabel:
        label = self.errors[field] = error_label(f"{field}_error")
        return label

    def _row(self, form: QFormLayout, title: str, widget: QWidget, field: str) -> None:
        widget.setObjectName(field)
        self.inputs[field] = widget
        row = QHBoxLayout()
        row.addWidget(widget, 3)
        row.addWidget(self._error_label(field), 2)
        form.addRow(title, row)
        self._rows[field] = (form, row)

    def _show_row(self, field: str, on: bool) -> None:
        form, row = self._rows[field]
        form.setRowVisible(row, on)

    # -- who is served -----------------------------------------------------------------------

    @property
    def person(self) -> PersonDetail | None:
        """The citizen served (ui.serving.ServedPerson): read there, never kept here."""
        return self._served.person

    def start_new(self, *, id_number: str = "", name: str = "", note: str = "") -> None:
        """登记新参保人: nobody is served, the form starts empty with what is known filled in
        (the number typed in the search, or the card's holder)."""
        if self._served.person is not None:
            self._served.claim(self)  # the last citizen is released; the form is theirs no more
        self._reset()
        self._show_mode(None)
        self.id_number.setText(id_number)
        self.name.setText(name)
        self.message.setText(note)
        if id_number:
            self._identity_changed(finished=True)
        target = self.name if id_number and not name else self.id_number
        if id_number and name:
            target = self.ethnicity
        target.setFocus()

    def set_person(self, person: PersonDetail | None) -> None:
        """Another citizen (or nobody) is served: the form starts again for them; the person
        just registered here keeps the receipt of their registration on screen."""
        if person is not None and person.id == self._registered:
            self._registered = None
            self._clear_inputs()
        else:
            self._reset()
        self._show_mode(person)

    def cancel(self) -> None:
        """Esc: everything typed is dropped; nothing was registered."""
        self._reset()
        self._show_mode(self.person)

    def _reset(self) -> None:
        self.model.drop_pending()
        self.confirm.hide()
        self._clear_inputs()
        self.message.clear()
        self.receipt.clear()
        self.voucher_bar.clear()
        self.refund.clear()

    def _clear_inputs(self) -> None:
        self.model.drop_plan()
        self._plan_timer.stop()
        for edit in (
            self.id_number, self.certificate_number, self.birth_date, self.name, self.ethnicity,
            self.household_address, self.address, self.phone, self.duplicate_reason,
            self.guardian_number, self.last_covered,
        ):  # fmt: skip
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
        for combo in (self.sex, self.household_kind):
            combo.setCurrentIndex(0)
        for check in (self.by_certificate, self.gap_made_up):
            check.blockSignals(True)
            check.setChecked(False)
            check.blockSignals(False)
        for box in self.materials:
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self.category.blockSignals(True)
        self.category.setCurrentIndex(
            max(0, self.category.findData(EnrollmentCategory.RESIDENT_OTHER))
        )
        self.category.blockSignals(False)
        self.paid_on.blockSignals(True)
        today = self.context.require_actor().today()
        self.paid_on.setDate(QDate(today.year, today.month, today.day))
        self.paid_on.blockSignals(False)
        self._local.clear()
        self._remote.clear()
        self._guardian_id = None
        self._guardian_asked = ""
        self._category_chosen = False
        self._duplicates = []
        self.duplicate_list.clear()
        self.derived.clear()
        self.guardian_found.clear()
        self.preview.clear()
        self._render_errors()
        self._category_changed()

    def _show_mode(self, person: PersonDetail | None) -> None:
        """What the form is for: a new citizen, enrolling the one served, or their 退费."""
        live = None
        if person is not None:
            live = next(
                (e for e in person.enrollments if e.status is not EnrollmentStatus.TERMINATED),
                None,
            )
        self.identity.setVisible(person is None)
        self.enrollment.setVisible(live is None)
        self.submit.setVisible(live is None)
        self.new_person.setVisible(person is not None)
        self.refund.show_for(person)
        self._fill_categories(with_none=person is None)
        if person is None:
            self.heading.setText(
                self.tr("登记未在本库登记的参保人，可同时办理参保缴费；新生儿可凭出生医学证明登记")
            )
            self.setFocusProxy(self.id_number)
            self._certificate_toggled()
        elif live is None:
            self.heading.setText(
                self.tr("为 {name}（{number}）办理参保登记：目前没有有效的参保记录").format(
                    name=person.name, number=mask_identity_number(person.id_number)
                )
            )
            self.setFocusProxy(self.category)
        else:
            what = tr_label(live.category.label if live.category else live.insurance_type.label)
            start = live.benefit_start or live.start_date
            self.heading.setText(
                self.tr("{name} 已参保：{what}，{status}，待遇享受起始日 {start}").format(
                    name=person.name,
                    what=what,
                    status=tr_label(live.status.label),
                    start=f"{start:%Y-%m-%d}",
                )
            )
            refund = self.refund.isVisibleTo(self)
            self.setFocusProxy(self.refund.reason if refund else self.new_person)
        self._schedule_plan()

    def _fill_categories(self, *, with_none: bool) -> None:
        if self.category.count() == len(EnrollmentCategory) + with_none:
            return  # already the list this citizen chooses from: what was chosen stays
        chosen = self.category.currentData()
        self.category.blockSignals(True)
        self.category.clear()
        for category in EnrollmentCategory:
            self.category.addItem(tr_label(category.label), category)
        if with_none:
            self.category.addItem(self.tr("仅登记，暂不参保"), None)
        index = self.category.findData(chosen)
        self.category.setCurrentIndex(
            index if index >= 0 else self.category.findData(EnrollmentCategory.RESIDENT_OTHER)
        )
        self.category.blockSignals(False)
        self._category_changed()

    # -- checks as typed -----------------------------------------------------------------------

    def _set_local(self, field: str, text: str) -> None:
        self._remote.pop(field, None)
        if text:
            self._local[field] = text
        else:
            self._local.pop(field, None)
        self._render_errors()

    def _forget(self, field: str) -> None:
        self._remote.pop(field, None)
        self._render_errors()

    def _render_errors(self) -> None:
        for field, label in self.errors.items():
            label.setText(self._local.get(field) or self._remote.get(field, ""))

    def _check_text(self, edit: QLineEdit, field: str, check: Callable[[str], object]) -> None:
        text = edit.text()
        if not text.strip():
            self._set_local(field, "")
            return
        try:
            check(text)
        except ValidationError as error:
            self._set_local(field, error.message)
        else:
            self._set_local(field, "")

    def _today(self) -> date:
        return self.context.require_actor().today()

    def _identity(self, *, finished: bool = False, report: bool = True) -> Identity | None:
        """Who the identity fields name; with ``report``, their problems go to their fields
        (``finished``: the field was left, so a number too short is wrong, not unfinished)."""
        if not report:
            local, derived = dict(self._local), self.derived.text()
            known = self._identity(finished=finished)
            self._local = local
            self.derived.setText(derived)
            self._render_errors()
            return known
        today = self._today()
        if not self.by_certificate.isChecked():
            for field in ("birth_certificate_number", "birth_date"):
                self._local.pop(field, None)
            text = self.id_number.text()
            compact = normalise_identity_text(text)
            self.derived.clear()
            if not compact:
                self._set_local("identity_number", "")
                return None
            try:
                identity = parse_identity_number(text, today=today)
            except ValidationError as error:
                # While the number is still being typed, only what is already wrong is said.
                still_typing = not finished and len(compact) < 18 and compact.isdigit()
                self._set_local("identity_number", "" if still_typing else error.message)
                return None
            self._set_local("identity_number", "")
            self.derived.setText(
                self.tr("出生日期 {birth}，{sex}，{age} 周岁").format(
                    birth=f"{identity.birth_date:%Y-%m-%d}",
                    sex=tr_label(identity.sex.label),
                    age=age_on(identity.birth_date, today),
                )
            )
            return Identity(identity.number, identity.birth_date, identity.sex)
        self._local.pop("identity_number", None)
        number = birth = None
        text = self.certificate_number.text()
        if text.strip():
            try:
                number = parse_birth_certificate_number(text)
                self._set_local("birth_certificate_number", "")
            except ValidationError as error:
                typing = not finished and len(text.strip()) < 10
                self._set_local("birth_certificate_number", "" if typing else error.message)
        else:
            self._set_local("birth_certificate_number", "")
        text = self.birth_date.text()
        if text.strip():
            try:
                birth = parse_birth_date(text, today=today)
                self._set_local("birth_date", "")
            except ValidationError as error:
                typing = not finished and len("".join(text.split())) < 8
                self._set_local("birth_date", "" if typing else error.message)
        else:
            self._set_local("birth_date", "")
        if number is None or birth is None:
            return None
        return Identity(number, birth, Sex(self.sex.currentData()))

    def _identity_changed(self, *, finished: bool = False) -> None:
        identity = self._identity(finished=finished)
        if identity is not None and not self._category_chosen:
            suggested = suggested_category(
                identity.birth, self._today(), newborn=self.by_certificate.isChecked()
            )
            self.category.setCurrentIndex(self.category.findData(suggested))
        self._name_changed()

    def _certificate_toggled(self) -> None:
        by_certificate = self.by_certificate.isChecked()
        self._show_row("identity_number", not by_certificate)
        self.derived.setVisible(not by_certificate)
        for field in ("birth_date", "sex"):
            self._show_row(field, by_certificate)
        self._show_certificate_row()
        self._identity_changed()

    def _show_certificate_row(self) -> None:
        newborn = self._chosen_category() is EnrollmentCategory.NEWBORN
        self._show_row("birth_certificate_number", self.by_certificate.isChecked() or newborn)

    def _name(self) -> str | None:
        text = self.name.text()
        if not text.strip() or _PARTIAL_CODE_POINT.search(text):
            self._set_local("name", "")
            return None
        try:
            name = normalise_name(text)
        except ValidationError as error:
            self._set_local("name", error.message)
            return None
        self._set_local("name", "")
        return name

    def _name_changed(self) -> None:
        """Name and birth date known: who else on record has them (疑似重复)."""
        name = self._name()
        identity = self._identity(report=False)
        if name is None or identity is None or self.person is not None:
            self._show_duplicates([])
        else:
            self.model.find_duplicates(
                name=name, birth_date=identity.birth, id_number=identity.number
            )
        self._schedule_plan()

    def _show_duplicates(self, hits: list[PersonHit]) -> None:
        self._duplicates = hits
        self.duplicate_list.clear()
        for hit in hits:
            self.duplicate_list.addItem(
                self.tr("{name}，{number}，{sex}，{birth}").format(
                    name=hit.name,
                    number=hit.masked_id_number,
                    sex=tr_label(hit.sex.label),
                    birth=f"{hit.birth_date:%Y-%m-%d}",
                )
            )
        shown = bool(hits) and self.person is None
        self._show_row("duplicates", shown)
        self._show_row("duplicate_reason", shown)

    # -- the enrollment ----------------------------------------------------------------------

    def _chosen_category(self) -> EnrollmentCategory | None:
        data = self.category.currentData()
        return EnrollmentCategory(data) if data is not None else None

    def _category_changed(self) -> None:
        category = self._chosen_category()
        wanted = materials_for(category) if category is not None else ()
        for index, box in enumerate(self.materials):
            text = wanted[index] if index < len(wanted) else ""
            if box.text() != text:  # another category: its own materials, none received yet
                box.blockSignals(True)
                box.setChecked(False)
                box.setText(text)
                box.blockSignals(False)
            box.setVisible(index < len(wanted))
        continuation = category is EnrollmentCategory.EMPLOYEE_CONTINUATION
        for field in ("last_covered", "gap_made_up"):
            self._show_row(field, continuation)
        self._show_row("paid_on", category is not None)
        self._show_row("guardian", category is not None)
        self.guardian_found.setVisible(category is not None)
        self._show_certificate_row()
        self._enrollment_changed("category")

    def _enrollment_changed(self, field: str) -> None:
        self._forget(field)
        self._schedule_plan()

    def _guardian_changed(self) -> None:
        self._guardian_id = None
        self.guardian_found.clear()
        text = self.guardian_number.text()
        compact = normalise_identity_text(text)
        self._guardian_asked = ""
        if not compact:
            self._set_local("guardian", "")
        else:
            try:
                number = parse_identity_number(text, field="guardian", today=self._today())
            except ValidationError as error:
                typing = len(compact) < 18 and compact.isdigit()
                self._set_local("guardian", "" if typing else error.message)
            else:
                self._set_local("guardian", "")
                self._guardian_asked = number.number
                self.guardian_found.setText(self.tr("正在查找监护人…"))
                self.model.find_guardian(number.number)
        self._schedule_plan()

    def _guardian_found(self, number: str, hits: list[PersonHit]) -> None:
        if number != self._guardian_asked:
            return  # the field says another number now
        self._guardian_asked = ""
        if not hits:
            self.guardian_found.clear()
            self._set_local("guardian", self.tr("监护人未在本库登记，请先为监护人办理登记"))
            return
        hit = hits[0]
        self._guardian_id = hit.id
        self.guardian_found.setText(
            self.tr("{name}（{sex}，{birth}，{age} 周岁）").format(
                name=hit.name,
                sex=tr_label(hit.sex.label),
                birth=f"{hit.birth_date:%Y-%m-%d}",
                age=age_on(hit.birth_date, self._today()),
            )
        )
        self._schedule_plan()

    def _last_covered_changed(self) -> None:
        text = self.last_covered.text()
        if not text.strip():
            self._set_local("last_covered", "")
        else:
            try:
                parse_day(text, field="last_covered", what="原参保截止日期")
            except ValidationError as error:
                typing = len("".join(text.split())) < 8
                self._set_local("last_covered", "" if typing else error.message)
            else:
                self._set_local("last_covered", "")
        self._schedule_plan()

    def _request(self) -> EnrollmentRequest | None:
        """The enrollment as typed; None for 仅登记. ValidationError names a field in error."""
        category = self._chosen_category()
        if category is None:
            return None
        paid = self.paid_on.date()
        last_covered = None
        if category is EnrollmentCategory.EMPLOYEE_CONTINUATION and self.last_covered.text():
            last_covered = parse_day(
                self.last_covered.text(), field="last_covered", what="原参保截止日期"
            )
        wanted = materials_for(category)
        certificate = self.certificate_number.text().strip() or None
        return EnrollmentRequest(
            category=category,
            paid_on=date(paid.year(), paid.month(), paid.day()),
            materials=tuple(box.text() for box in self.materials[: len(wanted)] if box.isChecked()),
            guardian_id=self._guardian_id,
            birth_certificate_number=certificate
            if category is EnrollmentCategory.NEWBORN
            else None,
            last_covered=last_covered,
            gap_made_up=(
                category is EnrollmentCategory.EMPLOYEE_CONTINUATION
                and self.gap_made_up.isChecked()
            ),
        )

    def _schedule_plan(self) -> None:
        self.model.drop_plan()  # what is on screen now is no longer what the form says
        self._plan_timer.start()

    def _plan(self) -> None:
        person = self.person
        live = person is not None and any(
            e.status is not EnrollmentStatus.TERMINATED for e in person.enrollments
        )
        if live:
            return
        try:
            request = self._request()
        except ValidationError:
            self.preview.setText(self.tr("请先改正标红的项目"))
            return
        if request is None:
            self.preview.setText(self.tr("仅登记，暂不参保：不办理参保缴费，不产生待遇"))
            return
        if person is not None:
            self.preview.setText(self.tr("正在计算…"))
            self.model.plan(request, person_id=person.id, birth_date=None)
            return
        identity = self._identity(report=False)
        if identity is None:
            self.preview.setText(self.tr("填写社会保障号码（或新生儿的出生日期）后显示"))
            return
        self.preview.setText(self.tr("正在计算…"))
        self.model.plan(request, person_id=None, birth_date=identity.birth)

    def _planned(self, plan: EnrollmentPlan) -> None:
        for field in _PLAN_FIELDS:
            self._remote.pop(field, None)
        self._render_errors()
        self.preview.setText(plan.describe())

    def _plan_failed(self, field: str, text: str) -> None:
        for other in _PLAN_FIELDS:
            self._remote.pop(other, None)
        if field in self.errors:
            self._remote[field] = text
        self._render_errors()
        self.preview.setText(self.tr("尚不能确定待遇享受起始日：{reason}").format(reason=text))

    # -- the act -----------------------------------------------------------------------------

    def _first_problem(self) -> str | None:
        """Check every field as if just left; the first field in error, if any."""
        person = self.person
        if person is None:
            self._identity_changed(finished=True)
            self._name()
            if not self.name.text().strip():
                self._set_local("name", self.tr("姓名不能为空"))
            for edit, field, check in (
                (self.ethnicity, "ethnicity", parse_ethnicity),
                (self.household_address, "household_address", _household_address),
                (self.address, "address", parse_address),
                (self.phone, "phone", parse_mobile),
            ):
                self._check_text(edit, field, check)
            if self.by_certificate.isChecked():
                for edit, field in (
                    (self.certificate_number, "birth_certificate_number"),
                    (self.birth_date, "birth_date"),
                ):
                    if not edit.text().strip():
                        self._set_local(field, self.tr("新生儿凭出生医学证明登记时必填"))
            elif not self.id_number.text().strip():
                self._set_local(
                    "identity_number",
                    self.tr("请填写社会保障号码；尚无号码的新生儿请勾选「凭出生医学证明登记」"),
                )
        if self._guardian_asked:
            self._set_local("guardian", self.tr("正在查找监护人，请稍候再提交"))
        try:
            self._request()
        except ValidationError as error:
            self._set_local(error.field, error.message)
        return next((field for field in self.inputs if self._local.get(field)), None)

    def _submit(self) -> None:
        self.message.clear()
        self.confirm.hide()
        self.model.drop_pending()
        self._remote.clear()
        problem = self._first_problem()
        self._render_errors()
        if problem is not None:
            self.message.setText(self.tr("请先改正标红的项目：{text}").format(
                text=self._local[problem]
            ))  # fmt: skip
            self.inputs[problem].setFocus()
            return
        request = self._request()
        person = self.person
        if person is not None:
            if request is None:
                self.message.setText(self.tr("请选择参保类别"))
                return
            self.message.setText(self.tr("正在受理…"))
            self.model.enroll(person_id=person.id, request=request)
            return
        household = self.household_kind.currentData()
        by_certificate = self.by_certificate.isChecked()
        birth = None
        if by_certificate:
            birth = parse_birth_date(self.birth_date.text(), today=self._today())
        certificate = self.certificate_number.text().strip() or None
        registration = Registration(
            id_number="" if by_certificate else self.id_number.text(),
            name=self.name.text(),
            sex=Sex(self.sex.currentData()).value if by_certificate else None,
            birth_date=birth,
            ethnicity=self.ethnicity.text().strip() or None,
            phone=self.phone.text().strip() or None,
            address=self.address.text().strip() or None,
            household_kind=HouseholdKind(household) if household is not None else None,
            household_address=self.household_address.text().strip() or None,
            birth_certificate_number=certificate if by_certificate else None,
        )
        self.message.setText(self.tr("正在受理…"))
        self.model.register(
            registration=registration, request=request,
            duplicate_reason=self.duplicate_reason.text(),
        )  # fmt: skip

    def _ask_confirmation(self, text: str) -> None:
        self.message.setText(
            text + self.tr("。核实后按「已核实，继续登记」(Alt+C)；什么也没有保存")
        )
        self.confirm.show()
        if self._duplicates:
            self.duplicate_reason.setFocus()
        else:
            self.confirm.setFocus()

    def _confirm(self) -> None:
        self.confirm.hide()
        self.message.setText(self.tr("正在受理…"))
        self.model.confirm_with(duplicate_reason=self.duplicate_reason.text())

    def _act_failed(self, field: str, text: str) -> None:
        if field == "identity_number" and self.by_certificate.isChecked():
            field = "category"  # a certificate is for a newborn: the category is what to change
        self.message.setText(text)
        if field in self.errors:
            self._remote[field] = text
            self._render_errors()
        if field == "duplicate_reason" and self.model.waiting_for_confirmation:
            self.confirm.show()  # the reason typed, the same confirmation goes on
        target = self.inputs.get(field)
        if target is not None and target.isVisibleTo(self):
            target.setFocus()

    def _registered_done(self, receipt: EnrollmentReceipt) -> None:
        self.confirm.hide()
        self.message.setText(
            self.tr("已受理{name}的参保登记，业务流水号 {serial}").format(
                name=receipt.person_name, serial=receipt.transaction.serial
            )
        )
        self.receipt.setPlainText("\n".join(self._receipt_lines(receipt)))
        self.voucher_bar.issue(receipt)
        served = self._served
        if served.person is None or served.person.id != receipt.person_id:
            # The person just registered is the citizen served from now on.
            self._registered = receipt.person_id
            ticket = served.claim(self)
            served.open(
                ticket, receipt.person_id, serial=receipt.transaction.serial,
                failed=lambda error: self.message.setText(message_of(error)),
            )  # fmt: skip
        else:
            self._clear_inputs()

    def _receipt_lines(self, receipt: EnrollmentReceipt) -> list[str]:
        lines = [
            self.tr("业务流水号：{s}").format(s=receipt.transaction.serial),
            self.tr("参保人：{name}，{sex}，{birth}").format(
                name=receipt.person_name,
                sex=tr_label(receipt.sex_label),
                birth=f"{receipt.birth_date:%Y-%m-%d}",
            ),
            self.tr("{kind}：{number}").format(
                kind=tr_label(receipt.id_kind_label), number=receipt.id_number
            ),
        ]
        if receipt.household_label:
            lines.append(self.tr("户籍类别：{h}").format(h=tr_label(receipt.household_label)))
        if receipt.guardian_name:
            lines.append(
                self.tr("监护人：{name}（{number}）").format(
                    name=receipt.guardian_name,
                    number=mask_identity_number(receipt.guardian_id_number or ""),
                )
            )
        facts = receipt.enrollment
        if facts is None:
            lines.append(self.tr("仅登记，暂未参保"))
            return lines
        lines += [
            self.tr("参保类别：{c}").format(c=tr_label(facts.category_label)),
            self.tr("缴费日期：{d}").format(d=f"{facts.paid_on:%Y-%m-%d}"),
            self.tr("待遇享受起始日：{d}").format(d=f"{facts.benefit_start:%Y-%m-%d}"),
            facts.benefit_rule,
        ]
        if facts.missing_materials:
            lines.append(
                self.tr("一次性告知，尚缺：{m}").format(m="、".join(facts.missing_materials))
            )
        return lines

    def _refund_done(self, receipt: RefundReceipt) -> None:
        self.message.setText(
            self.tr("已提交{name}的退费申请（{reason}），业务流水号 {serial}，待复核").format(
                name=receipt.person_name,
                reason=tr_label(receipt.reason_label),
                serial=receipt.transaction.serial,
            )
        )
        lines = [
            self.tr("业务流水号：{s}").format(s=receipt.transaction.serial),
            self.tr("退费原因：{r}").format(r=tr_label(receipt.reason_label)),
            self.tr("参保类别：{c}，待遇享受起始日 {d}").format(
                c=tr_label(receipt.category_label), d=f"{receipt.benefit_start:%Y-%m-%d}"
            ),
            self.tr("状态：{s}").format(s=tr_label(receipt.state_label)),
        ]
        if receipt.missing_materials:
            lines.append(
                self.tr("一次性告知，尚缺：{m}").format(m="、".join(receipt.missing_materials))
            )
        self.receipt.setPlainText("\n".join(lines))
        self.voucher_bar.issue(receipt)


def _household_address(text: str) -> str:
    return parse_address(text, field="household_address")
