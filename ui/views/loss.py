"""挂失/解挂: the card's state first, then the acts it allows, each confirmed and receipted."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medins_desk.domain.card import RepresentativeRole
from medins_desk.errors import ValidationError
from medins_desk.services.cards import CardStatus, Representative, find_card
from medins_desk.services.loss_report import (
    LossAct,
    LossReceipt,
    available_loss_acts,
    report_loss,
    unfreeze_card,
)
from medins_desk.services.persons import PersonDetail
from ui.context import AppContext
from ui.labels import tr_label
from ui.serving import nobody_served_text
from ui.views.base import ViewModel, message_label, receipt_box
from ui.views.representative import RepresentativeForm
from ui.vouchers import VoucherBar

_ACT_KEYS = {LossAct.TEMPORARY: "L", LossAct.FORMAL: "Z", LossAct.UNFREEZE: "J"}


class LossModel(ViewModel):
    """Loads the person's live card and performs a loss act on it, in workers."""

    card = Signal(object)  # CardStatus | None
    done = Signal(object)  # LossReceipt

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(context, parent)
        self.status: CardStatus | None = None

    def load(self, person: PersonDetail | None) -> None:
        if person is None:
            self._loaded(None)
        else:
            self.call_for_served(find_card, id_number=person.id_number, done=self._loaded)

    def _loaded(self, status: CardStatus | None) -> None:
        self.status = status
        self.card.emit(status)

    def acts(self) -> list[LossAct]:
        if self.status is None:
            return []
        return available_loss_acts(self.status.state, self.context.counter.policy)

    def perform(
        self, act: LossAct, card: CardStatus, representative: Representative | None
    ) -> None:
        """``act`` on ``card``, the card the clerk confirmed it for."""
        if act is LossAct.UNFREEZE:
            self.act(unfreeze_card, self._done, for_served=True, card_id=card.card_id)
        else:
            self.act(
                report_loss, self._done, for_served=True, card_id=card.card_id,
                formal=act is LossAct.FORMAL, representative=representative,
            )  # fmt: skip

    def _done(self, receipt: LossReceipt) -> None:
        self.done.emit(receipt)
        self.call_for_served(
            find_card, card_number=receipt.card_number or "", id_number=receipt.id_number,
            done=self._loaded,
        )  # fmt: skip


class LossView(QWidget):
    """挂失/解挂 (F4)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = LossModel(context, self)
        self.card_label = QLabel(nobody_served_text())
        self.card_label.setObjectName("card_state")
        self.card_label.setWordWrap(True)
        self.representative = RepresentativeForm(RepresentativeRole.AGENT)
        self.buttons: dict[LossAct, QPushButton] = {}
        row = QHBoxLayout()
        for act in LossAct:
            # Alt+L 临时, Alt+Z 正式, Alt+J 解挂 (pinyin initials): each act from the keyboard
            button = QPushButton(f"{tr_label(act.label)}(&{_ACT_KEYS[act]})")
            button.setObjectName(f"act_{act.value}")
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, a=act: self._confirm(a))
            self.buttons[act] = button
            row.addWidget(button)
        row.addStretch(1)
        self.message = message_label()
        self.receipt = receipt_box()
        self.voucher_bar = VoucherBar(context)
        layout = QVBoxLayout(self)
        layout.addWidget(self.card_label)
        layout.addWidget(self.representative)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.voucher_bar)
        layout.addWidget(self.receipt, 1)
        self.model.card.connect(self._show_card)
        context.served.changed.connect(self.set_person)
        context.served.updated.connect(lambda person, _serial: self.person_updated(person))
        self.model.done.connect(self._show_receipt)
        self.model.failed.connect(self._show_error)
        self._confirmation: QMessageBox | None = None

    def cancel(self) -> None:
        """Esc: clear the agent and the last act's receipt."""
        self.message.clear()
        self.receipt.clear()
        self.voucher_bar.clear()
        self.representative.clear()

    def set_person(self, person: PersonDetail | None) -> None:
        """Another citizen (or nobody) is served: nothing of the last one stays."""
        if self._confirmation is not None:
            self._confirmation.done(QMessageBox.StandardButton.No)
            self._confirmation = None
        self.cancel()
        self.model.status = None
        for button in self.buttons.values():
            button.setEnabled(False)
        self.card_label.setText(self.tr("正在读取社保卡状态…") if person else nobody_served_text())
        self.model.load(person)

    def person_updated(self, person: PersonDetail) -> None:
        """The same citizen read again: the card's state as the store holds it now."""
        self.model.load(person)

    def _show_card(self, status: CardStatus | None) -> None:
        if self.model.context.served.person is None:
            self.card_label.setText(nobody_served_text())
        elif status is None:
            self.card_label.setText(self.tr("该参保人没有在用的社保卡"))
        else:
            text = self.tr("{name} 的社保卡 {number}：{state}").format(
                name=status.person_name, number=status.card_number or self.tr("（未制卡）"),
                state=tr_label(status.state_label),
            )  # fmt: skip
            if status.temp_loss_expires_at is not None:
                text += self.tr("，临时挂失至 {at}").format(
                    at=f"{status.temp_loss_expires_at:%Y-%m-%d %H:%M}"
                )
            self.card_label.setText(text)
        allowed = set(self.model.acts())
        for act, button in self.buttons.items():
            button.setEnabled(act in allowed)

    def _confirm(self, act: LossAct) -> None:
        try:
            representative = self.representative.value()
        except ValidationError as error:
            self._show_error(error.field, error.message)
            return
        status = self.model.status
        if status is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("确认"),
            self.tr("为 {name} 的社保卡 {number} 办理「{act}」？").format(
                name=status.person_name, number=status.card_number or "", act=tr_label(act.label)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self,
        )  # fmt: skip
        box.setObjectName("confirm")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)  # Enter confirms what the box says
        box.accepted.connect(lambda: self._confirmed(box, act, status, representative))
        self._confirmation = box
        box.open()

    def _confirmed(
        self, box: QMessageBox, act: LossAct, card: CardStatus,
        representative: Representative | None,
    ) -> None:  # fmt: skip
        # A box withdrawn because another citizen was served confirms nothing.
        if box is self._confirmation:
            self._confirmation = None
            self.model.perform(act, card, representative)

    def _show_receipt(self, receipt: LossReceipt) -> None:
        self.message.setText(
            self.tr("已办理「{act}」，业务流水号 {serial}").format(
                act=tr_label(receipt.kind_label), serial=receipt.transaction.serial
            )
        )
        lines = [
            self.tr("业务流水号：{s}").format(s=receipt.transaction.serial),
            self.tr("卡号：{n}").format(n=receipt.card_number or ""),
            self.tr("状态：{a} → {b}").format(
                a=tr_label(receipt.state_before_label), b=tr_label(receipt.state_after_label)
            ),
        ]
        if receipt.expires_at is not None:
            lines.append(
                self.tr("临时挂失有效至：{at}").format(at=f"{receipt.expires_at:%Y-%m-%d %H:%M}")
            )
        if receipt.representative is not None:
            lines.append(
                self.tr("{role}：{name}").format(
                    role=tr_label(receipt.representative.role_label),
                    name=receipt.representative.name,
                )
            )
        lines.append(receipt.bank_notice)
        self.receipt.setPlainText("\n".join(lines))
        self.voucher_bar.issue(receipt)
        self.representative.clear()

    def _show_error(self, field: str, text: str) -> None:
        if not self.representative.show_error(field, text):
            self.message.setText(text)
