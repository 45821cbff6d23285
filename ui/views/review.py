"""复核 (supervisor): the queues of identity corrections, 居民医保退费申请 and 个人账户余额继承
申请; approve, or reject with a reason.

A supervisor's own submissions are listed greyed out and cannot be decided here (nor in the
core, which refuses them).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from medins_desk.services.correction import (
    CorrectionReceipt,
    PendingCorrection,
    approve_correction,
    pending_corrections,
    reject_correction,
)
from medins_desk.services.refund import (
    PendingRefund,
    RefundReceipt,
    pending_refunds,
    review_refund,
)
from ui.context import AppContext
from ui.labels import tr_label
from ui.views.base import ViewModel, message_label
from ui.views.inheritance import InheritanceReviewPanel
from ui.views.queue import current_in, show_queue
from ui.vouchers import VoucherBar


class ReviewModel(ViewModel):
    loaded = Signal(list)  # list[PendingCorrection]
    refunds = Signal(list)  # list[PendingRefund]
    decided = Signal(str)
    receipt = Signal(object)  # CorrectionReceipt of the decision

    def load(self) -> None:
        self.call_latest(pending_corrections, done=self.loaded.emit)
        self.call_latest(pending_refunds, done=self.refunds.emit)

    def review_refund(self, request: PendingRefund, *, approve: bool, comment: str) -> None:
        self.act(
            review_refund, self._refund_reviewed, for_served=False, request_id=request.id,
            approve=approve, comment=comment,
        )  # fmt: skip

    def _refund_reviewed(self, receipt: RefundReceipt) -> None:
        self.decided.emit(
            self.tr("{name} 的退费申请：{verdict}，业务流水号 {serial}").format(
                name=receipt.person_name,
                verdict=tr_label(receipt.state_label),
                serial=receipt.transaction.serial,
            )
        )
        self.receipt.emit(receipt)
        self.load()

    def approve(self, request: PendingCorrection, comment: str) -> None:
        self.act(
            approve_correction, lambda r: self._decided(r, self.tr("已通过")), for_served=False,
            request_id=request.id, comment=comment,
        )  # fmt: skip

    def reject(self, request: PendingCorrection, reason: str) -> None:
        self.act(
            reject_correction, lambda r: self._decided(r, self.tr("已驳回")), for_served=False,
            request_id=request.id, reason=reason,
        )  # fmt: skip

    def _decided(self, receipt: CorrectionReceipt, verdict: str) -> None:
        self.decided.emit(
            self.tr("{name} 的更正申请{verdict}，业务流水号 {serial}").format(
                name=receipt.person_name, verdict=verdict, serial=receipt.transaction.serial
            )
        )
        self.receipt.emit(receipt)
        self.load()


class ReviewView(QWidget):
    """复核 (F8), for supervisors."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ReviewModel(context, self)
        self.queue = QListWidget()
        self.queue.setObjectName("queue")
        self.changes = QTableWidget(0, 3)
        self.changes.setObjectName("changes")
        self.changes.setHorizontalHeaderLabels(
            [self.tr("项目"), self.tr("变更前"), self.tr("变更后")]
        )
        self.changes.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.changes.horizontalHeader().setStretchLastSection(True)
        self.details = QLabel()
        self.details.setObjectName("details")
        self.details.setWordWrap(True)
        self.comment = QLineEdit()
        self.comment.setObjectName("comment")
        self.comment.setPlaceholderText(self.tr("复核意见（驳回时必填）"))
        self.approve = QPushButton(self.tr("通过"))
        self.approve.setObjectName("approve")
        self.reject = QPushButton(self.tr("驳回"))
        self.reject.setObjectName("reject")
        self.message = message_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.comment, 1)
        buttons.addWidget(self.approve)
        buttons.addWidget(self.reject)
        corrections = QWidget()
        column = QVBoxLayout(corrections)
        column.addWidget(QLabel(self.tr("待复核的参保信息更正")))
        column.addWidget(self.queue, 1)
        column.addWidget(self.changes, 1)
        column.addWidget(self.details)
        column.addLayout(buttons)

        # 居民医保退费申请: approved, the enrollment ends; rejected, with a reason.
        self.refund_queue = QListWidget()
        self.refund_queue.setObjectName("refund_queue")
        self.refund_details = QLabel()
        self.refund_details.setObjectName("refund_details")
        self.refund_details.setWordWrap(True)
        self.refund_comment = QLineEdit()
        self.refund_comment.setObjectName("refund_comment")
        self.refund_comment.setPlaceholderText(self.tr("复核意见（驳回时必填）"))
        self.refund_approve = QPushButton(self.tr("核准退费"))
        self.refund_approve.setObjectName("refund_approve")
        self.refund_reject = QPushButton(self.tr("驳回退费"))
        self.refund_reject.setObjectName("refund_reject")
        refund_buttons = QHBoxLayout()
        refund_buttons.addWidget(self.refund_comment, 1)
        refund_buttons.addWidget(self.refund_approve)
        refund_buttons.addWidget(self.refund_reject)
        refunds = QWidget()
        column = QVBoxLayout(refunds)
        column.addWidget(QLabel(self.tr("待复核的居民医保退费申请")))
        column.addWidget(self.refund_queue, 1)
        column.addWidget(self.refund_details)
        column.addLayout(refund_buttons)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("review_tabs")
        self.tabs.addTab(corrections, self.tr("参保信息更正"))
        self.tabs.addTab(refunds, self.tr("居民医保退费"))
        # 个人账户余额继承: approved, the payment instruction is final.
        self.inheritance = InheritanceReviewPanel(context)
        self.tabs.addTab(self.inheritance, self.tr("个人账户继承"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        self.voucher_bar = VoucherBar(context)
        layout.addWidget(self.voucher_bar)

        self._requests: list[PendingCorrection] = []
        self._refunds: list[PendingRefund] = []
        self.refund_queue.currentRowChanged.connect(lambda _row: self._select_refund())
        self.refund_approve.clicked.connect(lambda: self._review_refund(approve=True))
        self.refund_reject.clicked.connect(lambda: self._review_refund(approve=False))
        self.model.refunds.connect(self._show_refunds)
        self.queue.currentRowChanged.connect(self._select)
        self.approve.clicked.connect(self._approve)
        self.reject.clicked.connect(self._reject)
        self.model.loaded.connect(self._show_queue)
        self.model.decided.connect(self.message.setText)
        self.model.receipt.connect(self.voucher_bar.issue)
        self.inheritance.model.decided.connect(self.message.setText)
        self.inheritance.model.receipt.connect(self.voucher_bar.issue)
        self.inheritance.model.failed.connect(lambda _field, text: self._inheritance_error(text))
        self.inheritance.model.loaded.connect(
            lambda requests: self.tabs.setTabText(
                2, self.tr("个人账户继承（{n}）").format(n=len(requests))
            )
        )
        self.model.failed.connect(self._show_error)
        self._select(-1)
        self._select_refund()

    def showEvent(self, event: QShowEvent) -> None:
        self.model.load()
        self.inheritance.model.load()
        super().showEvent(event)

    def cancel(self) -> None:
        self.comment.clear()
        self.refund_comment.clear()
        self.inheritance.comment.clear()
        self.message.clear()
        self.voucher_bar.clear()

    def _show_queue(self, requests: list[PendingCorrection]) -> None:
        self._requests = requests
        line = self.tr("{name}（{id}）：{fields}，{who} 于 {at} 提交")
        show_queue(
            self.queue,
            requests,
            (
                line.format(
                    name=r.person_name,
                    id=r.masked_id_number,
                    fields="、".join(tr_label(row.label) for row in r.rows),
                    who=r.submitted_by_name,
                    at=f"{r.submitted_at:%m-%d %H:%M}",
                )
                for r in requests
            ),
        )
        if not requests:
            self.details.setText(self.tr("没有待复核的申请"))

    def _current(self) -> PendingCorrection | None:
        return current_in(self.queue, self._requests)

    def _select(self, _row: int) -> None:
        request = self._current()
        self.changes.setRowCount(len(request.rows) if request else 0)
        if request is None:
            self.approve.setEnabled(False)
            self.reject.setEnabled(False)
            return
        for index, row in enumerate(request.rows):
            shown = (tr_label(row.label), row.before or "", row.after or "")
            for column, value in enumerate(shown):
                self.changes.setItem(index, column, QTableWidgetItem(value))
        self.details.setText(
            self.tr("变更原因：{reason}；查验材料：{documents}").format(
                reason=request.reason, documents="、".join(request.documents) or self.tr("无")
            )
        )
        self.approve.setEnabled(not request.own)
        self.reject.setEnabled(not request.own)

    def _approve(self) -> None:
        request = self._current()
        if request is not None:
            self.model.approve(request, self.comment.text())
            self.comment.clear()

    def _reject(self) -> None:
        request = self._current()
        if request is not None:
            self.model.reject(request, self.comment.text())

    def _show_refunds(self, requests: list[PendingRefund]) -> None:
        self._refunds = requests
        self.tabs.setTabText(1, self.tr("居民医保退费（{n}）").format(n=len(requests)))
        line = self.tr("{name}（{id}）：{reason}，待遇自 {start} 起，{who} 于 {at} 提交")
        show_queue(
            self.refund_queue,
            requests,
            (
                line.format(
                    name=r.person_name,
                    id=r.masked_id_number,
                    reason=tr_label(r.reason_label),
                    start=f"{r.benefit_start:%Y-%m-%d}",
                    who=r.submitted_by_name,
                    at=f"{r.submitted_at:%m-%d %H:%M}",
                )
                for r in requests
            ),
        )
        self._select_refund()

    def _current_refund(self) -> PendingRefund | None:
        return current_in(self.refund_queue, self._refunds)

    def _select_refund(self) -> None:
        request = self._current_refund()
        if request is None:
            self.refund_details.setText(self.tr("没有待复核的退费申请"))
        elif request.own:
            self.refund_details.setText(
                self.tr("本人提交的申请须由其他复核员复核：复核人不能是申请人本人")
            )
        else:
            self.refund_details.setText(
                self.tr("核准后该笔居民医保参保终止（待遇享受起始日 {start} 前退费）").format(
                    start=f"{request.benefit_start:%Y-%m-%d}"
                )
            )
        decidable = request is not None and not request.own
        self.refund_approve.setEnabled(decidable)
        self.refund_reject.setEnabled(decidable)

    def _review_refund(self, *, approve: bool) -> None:
        request = self._current_refund()
        if request is not None:
            self.model.review_refund(request, approve=approve, comment=self.refund_comment.text())
            if approve:
                self.refund_comment.clear()

    def _inheritance_error(self, text: str) -> None:
        self.message.setText(text)
        self.inheritance.comment.setFocus()

    def _show_error(self, field: str, text: str) -> None:
        self.message.setText(text)
        if field in {"reason", "comment"}:
            (self.refund_comment if self.tabs.currentIndex() == 1 else self.comment).setFocus()
