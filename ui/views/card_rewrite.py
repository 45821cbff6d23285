"""改写社保卡信息 inside 社保卡申领 (F3): a citizen who moved here keeps the card; the counter
writes this region to it. The order makes a half-done act impossible to believe whole: the core
says first whether the citizen may have it (and which region), the card thread writes and reads
the region back, and only then is the act recorded, with its 回执."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from medins_desk.cardreader.protocol import RegionRewrite
from medins_desk.services.card_rewrite import (
    CardRewriteReceipt,
    check_card_rewrite,
    record_card_rewrite,
)
from medins_desk.services.persons import PersonDetail
from ui.context import AppContext
from ui.errors import message_of
from ui.views.base import ERROR_STYLE, ViewModel, message_label
from ui.vouchers import VoucherBar


class CardRewriteModel(ViewModel):
    allowed = Signal(str, str)  # the citizen's identity number, the region to write
    done = Signal(object)  # CardRewriteReceipt

    def check(self, person: PersonDetail) -> None:
        def allowed(region: str) -> None:
            self.allowed.emit(person.id_number, region)

        def refused(error: BaseException) -> None:
            self.failed.emit("", message_of(error))

        self.context.call(
            check_card_rewrite, person_id=person.id, done=allowed, failed=refused, asker=self
        )

    def record(self, person_id: int, written: RegionRewrite) -> None:
        self.act(
            record_card_rewrite, self.done.emit, for_served=True, person_id=person_id,
            card_id_code=written.card_id_code, card_number=written.card_number,
            card_ssn=written.ssn, region_before=written.region_before,
            region_after=written.region_after,
        )  # fmt: skip


class CardRewriteBox(QGroupBox):
    """改写卡内参保地 for the served citizen's card, in the reader."""

    # The card thread does the write (ui.main_window connects it to CardWatch.rewrite_region).
    rewrite_wanted = Signal(str, str)  # identity number, region

    def __init__(
        self, context: AppContext, voucher_bar: VoucherBar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("改写社保卡信息（迁入本地后改写卡内参保地，不需重新办卡）"))
        self.setObjectName("card_rewrite")
        self.model = CardRewriteModel(context, self)
        self._served = context.served
        self._voucher_bar = voucher_bar
        self._writing_for: int | None = None  # the person whose card the thread is writing
        self.button = QPushButton(self.tr("改写卡内参保地(&W)"))
        self.button.setObjectName("card_rewrite_button")
        self.message = message_label("card_rewrite_message")
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.button.clicked.connect(self.start)
        self.model.allowed.connect(self._allowed)
        self.model.failed.connect(lambda _field, text: self._say(text, error=True))
        self.model.done.connect(self._recorded)
        context.served.changed.connect(self.clear)
        self.clear()

    def clear(self) -> None:
        self._writing_for = None
        self.message.clear()
        self.button.setEnabled(self._served.person is not None)

    def start(self) -> None:
        person = self._served.person
        if person is None:
            return
        self.button.setEnabled(False)
        self._say(self.tr("正在核对参保信息……"))
        self.model.check(person)

    def _allowed(self, id_number: str, region: str) -> None:
        person = self._served.person
        if person is None or person.id_number != id_number:
            self.clear()  # another citizen is served now: their card is not touched
            return
        self._writing_for = person.id
        self._say(
            self.tr("正在改写读卡器中的社会保障卡，参保地改为 {region}；请勿拔卡……").format(
                region=region
            )
        )
        self.rewrite_wanted.emit(id_number, region)

    def rewritten(self, written: RegionRewrite) -> None:
        """The card thread wrote and read back: record the act (a write that landed before a
        pulled card is recorded now)."""
        person_id, self._writing_for = self._writing_for, None
        if person_id is None:
            return
        self.model.record(person_id, written)

    def write_failed(self, text: str) -> None:
        if self._writing_for is None:
            return
        self._writing_for = None
        self._say(
            text + self.tr("。请将参保人的社会保障卡插好后再按「改写卡内参保地」"), error=True
        )
        self.button.setEnabled(True)

    def _recorded(self, receipt: CardRewriteReceipt) -> None:
        self._say(
            self.tr("已改写：参保地 {before} → {after}，业务流水号 {serial}").format(
                before=receipt.region_before_name,
                after=receipt.region_after_name,
                serial=receipt.transaction.serial,
            )
        )
        self.button.setEnabled(True)
        self._voucher_bar.issue(receipt)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)
