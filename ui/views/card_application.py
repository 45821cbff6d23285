"""社保卡申领: first card, 补领, 换领 and 即时制卡, with the photo checked before submitting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medins_desk.domain.card import (
    CardApplicationKind,
    ReplacementReason,
    RepresentativeRole,
    card_fee_fen,
    guardian_required,
)
from medins_desk.domain.money import format_yuan
from medins_desk.domain.photo import PhotoProblem, check_photo, fit_photo
from medins_desk.errors import ValidationError
from medins_desk.services.card_application import CardApplicationReceipt, apply_for_card
from medins_desk.services.cards import Representative
from medins_desk.services.persons import PersonDetail
from ui.context import AppContext
from ui.labels import tr_label
from ui.serving import nobody_served_text
from ui.views.base import ConfirmButton, ViewModel, dropped, message_label, receipt_box
from ui.views.card_rewrite import CardRewriteBox
from ui.views.representative import RepresentativeForm
from ui.vouchers import VoucherBar

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp")


def newest_photo(folder: Path) -> Path | None:
    """The photo last saved in ``folder`` (None when it holds none or cannot be read)."""
    try:
        photos = [p for p in folder.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES and p.is_file()]
    except OSError:
        return None
    return max(photos, key=lambda p: p.stat().st_mtime, default=None)


class CardApplicationModel(ViewModel):
    photo_checked = Signal(bytes, list)  # photo bytes, list[PhotoProblem]
    done = Signal(object)  # CardApplicationReceipt

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(context, parent)
        self.photo: bytes | None = None

    def load_photo(self, path: Path) -> None:
        policy = self.context.counter.policy

        def work() -> tuple[bytes, list[PhotoProblem]]:
            data = path.read_bytes()
            return data, check_photo(data, policy)

        self._check_in_worker(work)

    def fit(self) -> None:
        """调整照片: crop, resize and recompress to the specification."""
        if self.photo is None:
            return
        data, policy = self.photo, self.context.counter.policy

        def work() -> tuple[bytes, list[PhotoProblem]]:
            fitted = fit_photo(data, policy)
            return fitted, check_photo(fitted, policy)

        self._check_in_worker(work)

    def _check_in_worker(self, work: Callable[[], tuple[bytes, list[PhotoProblem]]]) -> None:
        # A photo belongs to the citizen it was chosen for: never to the next one.
        served = self.context.served
        self.context.runner.submit(
            work, done=served.guard(self._checked, dropped),
            failed=served.guard(self.fail, dropped),
        )  # fmt: skip

    def _checked(self, result: tuple[bytes, list[PhotoProblem]]) -> None:
        self.photo = result[0]
        self.photo_checked.emit(*result)

    def fee_fen(self, kind: CardApplicationKind, reason: ReplacementReason | None) -> int:
        return card_fee_fen(kind, reason, self.context.counter.policy)

    def minor(self, person: PersonDetail) -> bool:
        actor = self.context.require_actor()
        return guardian_required(person.birth_date, actor.today(), actor.policy)

    def submit(self, **values: object) -> None:
        """Apply; notices to confirm come back through ``needs_confirmation``."""
        self.act_confirmable(apply_for_card, self.done.emit, **values)


class CardApplicationView(QWidget):
    """社保卡申领 (F3)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CardApplicationModel(context, self)
        self._served = context.served
        self.applicant = QLabel(nobody_served_text())
        self.applicant.setObjectName("applicant")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in CardApplicationKind:
            self.kind.addItem(tr_label(kind.label), kind)
        self.reason = QComboBox()
        self.reason.setObjectName("replacement_reason")
        for reason in ReplacementReason:
            self.reason.addItem(tr_label(reason.label), reason)
        self.old_card_returned = QCheckBox(self.tr("已收回原卡"))
        self.old_card_returned.setObjectName("old_card_returned")
        self.instant = QCheckBox(self.tr("即时制卡（本窗口制卡）"))
        self.instant.setObjectName("instant")
        self.instant.setEnabled(context.counter.has_card_printer)
        self.fee = QLabel()
        self.fee.setObjectName("fee")
        self.photo_button = QPushButton(self.tr("导入照片(&I)…"))
        self.photo_button.setObjectName("choose_photo")
        self.fit_button = QPushButton(self.tr("自动调整照片"))
        self.fit_button.setObjectName("fit_photo")
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.preview.setFixedSize(179, 221)  # half of 358 x 441
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_problems = QLabel()
        self.photo_problems.setObjectName("photo_problems")
        self.photo_problems.setWordWrap(True)
        self.representative = RepresentativeForm(RepresentativeRole.AGENT)
        self.submit = QPushButton(self.tr("受理申领(&S)"))
        self.submit.setObjectName("submit")
        self.message = message_label()
        self.confirm = ConfirmButton(self.model, self.message)
        self.receipt = receipt_box()
        self.voucher_bar = VoucherBar(context)
        self.rewrite = CardRewriteBox(context, self.voucher_bar)

        form = QFormLayout()
        form.addRow(self.applicant)
        form.addRow(self.tr("申领类型"), self.kind)
        form.addRow(self.tr("换领原因"), self.reason)
        form.addRow("", self.old_card_returned)
        form.addRow("", self.instant)
        form.addRow(self.tr("费用"), self.fee)
        photo_buttons = QVBoxLayout()
        photo_buttons.addWidget(self.photo_button)
        photo_buttons.addWidget(self.fit_button)
        photo_buttons.addWidget(self.photo_problems)
        photo_buttons.addStretch(1)
        photo = QHBoxLayout()
        photo.addWidget(self.preview)
        photo.addLayout(photo_buttons, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.submit)
        actions.addWidget(self.confirm)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(photo)
        layout.addWidget(self.representative)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.rewrite)
        layout.addWidget(self.voucher_bar)
        layout.addWidget(self.receipt, 1)

        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.reason.currentIndexChanged.connect(lambda _i: self._show_fee())
        self.photo_button.clicked.connect(self._choose_photo)
        self.fit_button.clicked.connect(self.model.fit)
        self.submit.clicked.connect(self._submit)
        self.model.photo_checked.connect(self._show_photo)
        self.model.done.connect(self._show_receipt)
        self.model.failed.connect(self._show_error)
        context.served.changed.connect(self.set_person)
        context.served.updated.connect(lambda person, _serial: self.person_updated(person))
        self._dialog: QFileDialog | None = None
        self._last_folder = ""
        self._no_photo()
        self._kind_changed()

    @property
    def person(self) -> PersonDetail | None:
        """The citizen served (ui.serving.ServedPerson): read there, never kept here."""
        return self._served.person

    def set_person(self, person: PersonDetail | None) -> None:
        """Another citizen (or nobody) is served: the form starts empty for them."""
        self._start_again()

    def person_updated(self, person: PersonDetail) -> None:
        """The same citizen read again: the heading shows what the store holds now."""
        self._show_applicant()

    def cancel(self) -> None:
        """Esc: the form starts again for the same applicant; nothing was applied for."""
        self._start_again()

    def _start_again(self) -> None:
        self.confirm.withdraw()
        self.kind.setCurrentIndex(0)
        self.reason.setCurrentIndex(0)
        self.old_card_returned.setChecked(False)
        self.instant.setChecked(False)
        self._no_photo()
        self.representative.clear()
        self._show_applicant()
        self.message.clear()
        self.receipt.clear()
        self.voucher_bar.clear()

    def _show_applicant(self) -> None:
        person = self.person
        if person is None:
            self.applicant.setText(nobody_served_text())
            self.representative.set_role(RepresentativeRole.AGENT, required=False)
            return
        self.applicant.setText(
            self.tr("申请人：{name}（{sex}，{birth}）").format(
                name=person.name,
                sex=tr_label(person.sex.label),
                birth=f"{person.birth_date:%Y-%m-%d}",
            )
        )
        minor = self.model.minor(person)
        self.representative.set_role(
            RepresentativeRole.GUARDIAN if minor else RepresentativeRole.AGENT, required=minor
        )

    def _no_photo(self) -> None:
        self.model.photo = None
        self.preview.clear()
        self.preview.setText(self.tr("（未导入照片）"))
        self.photo_problems.clear()
        self.fit_button.setEnabled(False)

    def _kind(self) -> CardApplicationKind:
        return CardApplicationKind(self.kind.currentData())

    def _reason(self) -> ReplacementReason | None:
        if self._kind() is not CardApplicationKind.REPLACEMENT:
            return None
        return ReplacementReason(self.reason.currentData())

    def _kind_changed(self) -> None:
        replacement = self._kind() is CardApplicationKind.REPLACEMENT
        self.reason.setEnabled(replacement)
        self.old_card_returned.setEnabled(replacement)
        self._show_fee()

    def _show_fee(self) -> None:
        fee = self.model.fee_fen(self._kind(), self._reason())
        self.fee.setText(self.tr("{yuan} 元").format(yuan=format_yuan(fee)))

    def _choose_photo(self) -> None:
        """导入照片: the dialog opens in the camera's folder (the photo_folder setting, else the
        folder of the last photo) with its newest photo selected, so Enter takes it."""
        folder = self.model.context.settings.photo_folder or self._last_folder

        def newest() -> Path | None:  # a folder listing is I/O: not on the GUI thread
            return newest_photo(Path(folder)) if folder else None

        self.model.context.runner.submit(newest, done=self._open_photo_dialog)

    def _open_photo_dialog(self, newest: Path | None) -> None:
        dialog = QFileDialog(self, self.tr("选择照片"))
        dialog.setNameFilters([self.tr("照片 (*.jpg *.jpeg *.png *.bmp)")])
        if newest is not None:
            dialog.setDirectory(str(newest.parent))
            dialog.selectFile(newest.name)
        dialog.fileSelected.connect(self._photo_chosen)
        self._dialog = dialog
        dialog.open()

    def _photo_chosen(self, name: str) -> None:
        path = Path(name)
        self._last_folder = str(path.parent)
        self.model.load_photo(path)

    def _show_photo(self, data: bytes, problems: list[PhotoProblem]) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(data)
        self.preview.setPixmap(
            pixmap.scaled(
                self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )  # fmt: skip
        if problems:
            self.photo_problems.setText("\n".join(p.message for p in problems))
        else:
            self.photo_problems.setText(self.tr("照片符合制卡要求"))
        self.fit_button.setEnabled(bool(problems))

    def _values(self) -> dict[str, object] | None:
        if self.person is None:
            self.message.setText(self.tr("请先打开参保人"))
            return None
        if self.model.photo is None:
            self.message.setText(self.tr("请先导入照片"))
            return None
        try:
            representative: Representative | None = self.representative.value()
        except ValidationError as error:
            self._show_error(error.field, error.message)
            return None
        return {
            "person_id": self.person.id, "kind": self._kind(), "photo": self.model.photo,
            "replacement_reason": self._reason(), "instant": self.instant.isChecked(),
            "representative": representative,
            "old_card_returned": self.old_card_returned.isChecked(),
        }  # fmt: skip

    def _submit(self) -> None:
        self.message.clear()
        self.confirm.hide()
        values = self._values()
        if values is not None:
            self.model.submit(**values)

    def _show_receipt(self, receipt: CardApplicationReceipt) -> None:
        self.message.setText(
            self.tr("已受理{kind}，业务流水号 {serial}").format(
                kind=tr_label(receipt.kind_label), serial=receipt.transaction.serial
            )
        )
        lines = [
            self.tr("业务流水号：{s}").format(s=receipt.transaction.serial),
            self.tr("申请人：{name}").format(name=receipt.person_name),
            self.tr("申领类型：{k}").format(k=tr_label(receipt.kind_label)),
            self.tr("费用：{yuan} 元").format(yuan=format_yuan(receipt.fee_fen)),
        ]
        if receipt.card_number:
            lines.append(self.tr("即时制卡，卡号：{n}").format(n=receipt.card_number))
        else:
            lines.append(
                self.tr("预计领卡日期：{d}").format(d=f"{receipt.expected_pickup_date:%Y-%m-%d}")
            )
        if receipt.representative is not None:
            lines.append(
                self.tr("{role}：{name}").format(
                    role=tr_label(receipt.representative.role_label),
                    name=receipt.representative.name,
                )
            )
        if receipt.manual_personalisation:
            lines.append(self.tr("姓名含卡片字库以外的字，由制卡中心人工制卡"))
        self.receipt.setPlainText("\n".join(lines))
        self.voucher_bar.issue(receipt)

    def _show_error(self, field: str, text: str) -> None:
        if not self.representative.show_error(field, text):
            self.message.setText(text)
