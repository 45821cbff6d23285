"""退费申请: a resident who paid for a benefit year that has not begun asks for the contribution
back (户口迁出, 出国定居, 死亡, 就业). The request goes to a supervisor's 复核; the rule that
refuses it once the benefits have begun is the core's, and its message is shown here."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medins_desk.domain.benefits import RefundReason
from medins_desk.domain.enrollment import EnrollmentStatus, InsuranceType
from medins_desk.services.persons import EnrollmentView, PersonDetail
from medins_desk.services.refund import RefundReceipt, request_refund
from ui.context import AppContext
from ui.labels import tr_label
from ui.views.base import ViewModel, error_label

_MOST_MATERIALS = max(len(reason.materials) for reason in RefundReason)


def refundable_enrollment(person: PersonDetail | None) -> EnrollmentView | None:
    """The served citizen's 城乡居民医保 enrollment a refund would be asked for, if any."""
    if person is None:
        return None
    return next(
        (
            e
            for e in person.enrollments
            if e.insurance_type is InsuranceType.RESIDENT and e.status is EnrollmentStatus.ACTIVE
        ),
        None,
    )


class RefundModel(ViewModel):
    done = Signal(object)  # RefundReceipt

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(context, parent)

    def submit(
        self, *, person_id: int, reason: RefundReason, materials: tuple[str, ...], note: str
    ) -> None:
        self.act(
            request_refund, self.done.emit, for_served=True, person_id=person_id, reason=reason,
            materials=materials, note=note,
        )  # fmt: skip


class RefundForm(QGroupBox):
    """退费申请 for the served citizen, inside 参保登记 (F7)."""

    done = Signal(object)  # RefundReceipt

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("居民医保退费申请（待遇享受期开始前）"))
        self.setObjectName("refund")
        self.model = RefundModel(context, self)
        self._served = context.served
        self.enrollment_label = QLabel()
        self.enrollment_label.setObjectName("refund_enrollment")
        self.enrollment_label.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.setObjectName("refund_reason")
        for reason in RefundReason:
            self.reason.addItem(tr_label(reason.label), reason)
        self.materials: list[QCheckBox] = []
        materials = QHBoxLayout()
        for index in range(_MOST_MATERIALS):
            box = QCheckBox()
            box.setObjectName(f"refund_material_{index}")
            self.materials.append(box)
            materials.addWidget(box)
        materials.addStretch(1)
        self.note = QLineEdit()
        self.note.setObjectName("refund_note")
        self.note.setPlaceholderText(self.tr("说明（选填），如：迁往外省"))
        self.submit = QPushButton(self.tr("提交退费申请(&R)"))
        self.submit.setObjectName("refund_submit")
        self.message = error_label("refund_message")
        form = QFormLayout()
        form.addRow(self.tr("退费原因"), self.reason)
        form.addRow(self.tr("材料（未勾选的打印为尚缺）"), materials)
        form.addRow(self.tr("说明"), self.note)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enrollment_label)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.reason.currentIndexChanged.connect(lambda _index: self._show_materials())
        self.submit.clicked.connect(self._submit)
        self.model.done.connect(self._done)
        self.model.failed.connect(lambda _field, text: self.message.setText(text))
        self._show_materials()

    def show_for(self, person: PersonDetail | None) -> None:
        """Shown for a citizen with a live 城乡居民医保 enrollment; what it is and when its
        benefits begin, as the store holds it now."""
        enrollment = refundable_enrollment(person)
        self.setVisible(enrollment is not None)
        if enrollment is None:
            return
        category = (
            tr_label(enrollment.category.label)
            if enrollment.category is not None
            else tr_label(enrollment.insurance_type.label)
        )
        start = enrollment.benefit_start or enrollment.start_date
        self.enrollment_label.setText(
            self.tr("{category}，待遇享受起始日 {start}").format(
                category=category, start=f"{start:%Y-%m-%d}"
            )
        )

    def clear(self) -> None:
        self.reason.setCurrentIndex(0)
        for box in self.materials:
            box.setChecked(False)
        self.note.clear()
        self.message.clear()

    def _chosen(self) -> RefundReason:
        return RefundReason(self.reason.currentData())

    def _show_materials(self) -> None:
        wanted = self._chosen().materials
        for index, box in enumerate(self.materials):
            box.setChecked(False)
            box.setVisible(index < len(wanted))
            box.setText(wanted[index] if index < len(wanted) else "")

    def _submit(self) -> None:
        self.message.clear()
        person = self._served.person
        if person is None:
            return
        reason = self._chosen()
        boxes = self.materials[: len(reason.materials)]
        self.model.submit(
            person_id=person.id, reason=reason,
            materials=tuple(box.text() for box in boxes if box.isChecked()), note=self.note.text(),
        )  # fmt: skip

    def _done(self, receipt: RefundReceipt) -> None:
        self.clear()
        self.done.emit(receipt)
