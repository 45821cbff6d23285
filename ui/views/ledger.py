"""日结台账 (supervisor): the day's transactions, void with a reason, close the day, export."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medins_desk.domain.business import TransactionStatus
from medins_desk.domain.money import format_yuan
from medins_desk.domain.roles import Permission, may
from medins_desk.errors import UserCancelled
from medins_desk.services.day_close import DayBackup, DayCloseReceipt, close_day_and_back_up
from medins_desk.services.ledger import Ledger, LedgerExport, daily_ledger, export_ledger
from medins_desk.services.void import VoidReceipt, void_transaction
from medins_desk.store.backup.folder import BackupFile, BackupFolder
from ui.context import AppContext
from ui.labels import tr_label
from ui.views.base import ViewModel, message_label


class LedgerModel(ViewModel):
    loaded = Signal(object)  # Ledger
    message = Signal(str)
    exporting = Signal(int)  # lines written so far
    exported = Signal()  # finished, failed or cancelled
    last_backup = Signal(str)  # when the newest backup in the backup folder was made

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(context, parent)
        self.day: date = context.require_actor().today()
        self.ledger: Ledger | None = None
        self._cancel = threading.Event()
        self.backups = BackupFolder.from_settings(context.settings)

    def load(self, day: date) -> None:
        self.day = day
        self.call_latest(daily_ledger, day=day, done=self._loaded)

    def _loaded(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.loaded.emit(ledger)

    def void(self, serial: str, reason: str) -> None:
        def done(receipt: VoidReceipt) -> None:
            self.message.emit(
                self.tr("已作废 {serial}：{undone}").format(
                    serial=receipt.transaction.serial, undone=receipt.undone
                )
            )
            self.load(self.day)

        self.act(void_transaction, done, for_served=False, serial=serial, reason=reason)

    def close(self) -> None:
        """日结, then the backup into the backup folder (in the same worker, after the close)."""

        def done(receipt: DayCloseReceipt) -> None:
            closed = self.tr("{day} 已日结：{count} 笔，合计 {fee} 元，作废 {voids} 笔").format(
                day=f"{receipt.business_day:%Y-%m-%d}", count=receipt.transaction_count,
                fee=format_yuan(receipt.fee_total_fen), voids=receipt.void_count,
            )  # fmt: skip
            self.message.emit(" ".join(filter(None, (closed, self._backed_up(receipt.backup)))))
            self.load(self.day)
            self.find_last_backup()

        self.call(close_day_and_back_up, day=self.day, backups=self.backups, done=done)

    def _backed_up(self, backup: DayBackup | None) -> str:
        if backup is None:
            return ""
        if backup.file is not None:
            return self.tr("已备份到 {file}。").format(file=backup.file)
        failed = self.tr("备份失败：{reason} 日结已完成，请联系信息科手工备份。").format(
            reason=backup.failure.replace("\n", " ")
        )
        self.context.notice.emit(failed)
        return failed

    def find_last_backup(self) -> None:
        """Look in the backup folder (in a worker: it may be a network folder)."""
        backups = self.backups
        if backups is None:
            self.last_backup.emit(self.tr("日结时不备份（设置中未指定备份文件夹）"))
            return

        def found(latest: BackupFile | None) -> None:
            if latest is None:
                text = self.tr("尚无备份（备份文件夹 {folder}）").format(folder=backups.folder)
            else:
                text = self.tr("最近备份：{time}（{file}）").format(
                    time=f"{latest.written_at:%Y-%m-%d %H:%M}", file=latest.path
                )
            self.last_backup.emit(text)

        self.context.runner.submit(backups.latest, done=found)

    def export(self, path: Path) -> None:
        """导出 in a worker, reporting progress; :meth:`cancel_export` stops it with no file
        left behind."""
        fmt = path.suffix.lstrip(".").lower()
        settings = self.context.settings
        cancel = self._cancel = threading.Event()

        def render_pdf(ledger: Ledger) -> bytes:  # in the worker: ReportLab loads there
            from printing.documents import Letterhead
            from printing.ledger_pdf import ledger_pdf

            return ledger_pdf(ledger, Letterhead.from_settings(settings))

        def progress(lines: int) -> bool:
            self.exporting.emit(lines)  # queued to the GUI thread
            return not cancel.is_set()

        def done(result: LedgerExport) -> None:
            self.exported.emit()
            self.message.emit(
                self.tr("已导出 {n} 笔到 {path}").format(n=result.row_count, path=result.path)
            )

        def failed(error: BaseException) -> None:
            self.exported.emit()
            if isinstance(error, UserCancelled):
                self.message.emit(self.tr("已取消导出，未生成文件"))
            else:
                self.fail(error)

        self.context.call(
            export_ledger, day=self.day, fmt=fmt, full_ids=False, out=path, progress=progress,
            render_pdf=render_pdf, done=done, failed=failed,
        )  # fmt: skip

    def cancel_export(self) -> None:
        self._cancel.set()


class LedgerView(QWidget):
    """日结台账 (F9), for supervisors."""

    COLUMNS = 10

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = LedgerModel(context, self)
        day = self.model.day
        self.day = QDateEdit(QDate(day.year, day.month, day.day))
        self.day.setObjectName("day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.refresh = QPushButton(self.tr("刷新"))
        self.close_button = QPushButton(self.tr("日结"))
        self.close_button.setObjectName("close_day")
        self.export_button = QPushButton(self.tr("导出…"))
        self.export_button.setObjectName("export")
        top = QHBoxLayout()
        for widget in (QLabel(self.tr("业务日期")), self.day, self.refresh):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.close_button)
        top.addWidget(self.export_button)

        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setObjectName("ledger")
        self.table.setHorizontalHeaderLabels(
            [self.tr("业务流水号"), self.tr("时间"), self.tr("业务类型"), self.tr("姓名"),
             self.tr("社会保障号码"), self.tr("窗口"), self.tr("经办人"), self.tr("金额（元）"),
             self.tr("状态"), self.tr("作废原因")]
        )  # fmt: skip
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.totals = QLabel()
        self.totals.setObjectName("totals")
        self.last_backup = QLabel()
        self.last_backup.setObjectName("last_backup")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("作废原因（必填）"))
        self.void_button = QPushButton(self.tr("作废所选业务"))
        self.void_button.setObjectName("void")
        bottom = QHBoxLayout()
        bottom.addWidget(self.reason, 1)
        bottom.addWidget(self.void_button)
        self.message = message_label()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.last_backup)
        layout.addLayout(bottom)
        layout.addWidget(self.message)

        self.refresh.clicked.connect(self.load)
        self.day.dateChanged.connect(lambda _d: self.load())
        self.void_button.clicked.connect(self._void)
        self.close_button.clicked.connect(self._confirm_close)
        self.export_button.clicked.connect(self._choose_export)
        self.model.loaded.connect(self._show)
        self.model.message.connect(self.message.setText)
        self.model.last_backup.connect(self.last_backup.setText)
        self.model.failed.connect(self._show_error)
        self._dialog: QWidget | None = None
        self._selecting = ""  # an act to select once its day is shown (a scanned voucher)
        self.progress = QProgressDialog(self)
        self.progress.setObjectName("export_progress")
        self.progress.setWindowTitle(self.tr("导出台账"))
        self.progress.setCancelButtonText(self.tr("取消"))
        self.progress.setMinimumDuration(300)  # a small day is done before it would show
        self.progress.setAutoReset(False)
        self.progress.reset()
        self.progress.canceled.connect(self.model.cancel_export)  # 取消
        self.progress.rejected.connect(self.model.cancel_export)  # Esc
        self.model.exporting.connect(self.progress.setValue)
        self.model.exported.connect(self.progress.reset)

    def showEvent(self, event: QShowEvent) -> None:
        self.load()
        self.model.find_last_backup()
        super().showEvent(event)

    def select_act(self, serial: str, day: date) -> None:
        """Show ``day`` with the act ``serial`` selected and the void reason to fill in."""
        self._selecting = serial
        self.day.setDate(QDate(day.year, day.month, day.day))
        self.load()

    def load(self) -> None:
        picked = self.day.date()
        self.model.load(date(picked.year(), picked.month(), picked.day()))

    def _show(self, ledger: Ledger) -> None:
        self.table.setRowCount(len(ledger.rows))
        for row, line in enumerate(ledger.rows):
            values = (
                line.serial, f"{line.created_at:%H:%M:%S}", tr_label(line.kind_label),
                line.person_name or "", line.id_number or "", line.counter_no, line.clerk_name,
                format_yuan(line.fee_fen), tr_label(line.status_label), line.void_reason or "",
            )  # fmt: skip
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if line.status is TransactionStatus.VOID:
                    font = item.font()
                    font.setStrikeOut(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        state = (
            self.tr("已由{name}日结").format(name=ledger.closed_by_name)
            if ledger.closed
            else self.tr("未日结")
        )
        self.totals.setText(
            self.tr("共 {count} 笔，合计 {fee} 元，作废 {voids} 笔；{state}").format(
                count=ledger.total.count, fee=format_yuan(ledger.total.fee_fen),
                voids=ledger.void_count, state=state,
            )
        )  # fmt: skip
        if self._selecting:
            for row, line in enumerate(ledger.rows):
                if line.serial == self._selecting:
                    self.table.selectRow(row)
                    self.reason.setFocus()
                    break
            self._selecting = ""
        role = self.model.context.require_actor().role
        self.close_button.setEnabled(not ledger.closed and may(role, Permission.CLOSE_DAY))
        for widget in (self.void_button, self.reason):
            widget.setEnabled(not ledger.closed and may(role, Permission.VOID))

    def cancel(self) -> None:
        self.reason.clear()
        self.message.clear()

    def _selected_serial(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.text() if item is not None else None

    def _void(self) -> None:
        serial = self._selected_serial()
        if serial is None:
            self.message.setText(self.tr("请先在列表中选择要作废的业务"))
            return
        self.model.void(serial, self.reason.text())

    def _confirm_close(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("日结"),
            self.tr("日结后当天的业务不能再作废或修改。确认日结 {day}？").format(
                day=self.day.date().toString("yyyy-MM-dd")
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self,
        )  # fmt: skip
        box.accepted.connect(self.model.close)
        self._dialog = box
        box.open()

    def _choose_export(self) -> None:
        dialog = QFileDialog(self, self.tr("导出台账"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(
            [self.tr("Excel 工作簿 (*.xlsx)"), self.tr("CSV 文件 (*.csv)"),
             self.tr("PDF 文件 (*.pdf)")]
        )  # fmt: skip
        dialog.setDefaultSuffix("xlsx")
        dialog.selectFile(f"台账-{self.day.date().toString('yyyyMMdd')}.xlsx")
        dialog.fileSelected.connect(lambda name: self.export(Path(name)))
        self._dialog = dialog
        dialog.open()

    def export(self, path: Path) -> None:
        """Export with a progress dialog whose 取消 (or Esc) stops it."""
        total = len(self.model.ledger.rows) if self.model.ledger is not None else 0
        self.progress.setLabelText(self.tr("正在导出台账到 {path}…").format(path=path))
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(0)
        self.model.export(path)

    def _show_error(self, field: str, text: str) -> None:
        self.message.setText(text)
        if field == "reason":
            self.reason.setFocus()
