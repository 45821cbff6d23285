"""凭证 at the counter: every act ends with its voucher, archived at once, previewed and printed
on demand, and reprinted (补打) from the person's history. Rendering, archiving, previewing and
printing all run in workers; a printer failure is a message, the archive is already written."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from medins_desk.services.vouchers import ArchivedVoucher, VoucherSource
from ui.context import AppContext
from ui.errors import message_of
from ui.labels import tr_label

if TYPE_CHECKING:  # ReportLab loads in the first worker that draws, not before the main window
    from printing.vouchers import PrintOutcome

PREVIEW_DPI = 110
_pdfium = threading.Lock()  # PDFium is not thread-safe: one page render at a time


def render_pages(pdf: bytes, dpi: int = PREVIEW_DPI) -> list[QImage]:
    """The pages of ``pdf`` as images (in a worker: QImage needs no GUI thread)."""
    import pypdfium2

    images = []
    with _pdfium:
        document = pypdfium2.PdfDocument(pdf)
        try:
            for page in document:
                bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
                image = QImage(
                    bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                    QImage.Format.Format_RGB888,
                )  # fmt: skip
                images.append(image.copy())  # detached from the bitmap's buffer
                bitmap.close()
                page.close()
        finally:
            document.close()
    return images


@dataclass(frozen=True)
class Preview:
    voucher: ArchivedVoucher
    pages: list[QImage]


class VoucherDesk(QObject):
    """Issue, preview and print vouchers for one view; the results come back as signals."""

    issued = Signal(object)  # ArchivedVoucher
    previewed = Signal(object)  # Preview
    printed = Signal(object)  # PrintOutcome (printed or not: the message says which)
    failed = Signal(str)

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def _receipt_80mm(self) -> bool:
        # A counter with a receipt printer gives card receipts on the 80 mm roll.
        return bool(self.context.settings.receipt_printer)

    def _submit(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        self.context.runner.submit(
            work, done=done, failed=lambda error: self.failed.emit(message_of(error))
        )

    def issue(self, source: VoucherSource) -> None:
        """Render the act's voucher and archive it."""
        sessions, actor = self.context.require_store().sessions, self.context.require_actor()
        settings, receipt_80mm = self.context.settings, self._receipt_80mm()

        def work() -> ArchivedVoucher:
            from printing.documents import Letterhead
            from printing.vouchers import issue_voucher

            letterhead = Letterhead.from_settings(settings)
            return issue_voucher(sessions, actor, source, letterhead, receipt_80mm=receipt_80mm)

        self._submit(work, self.issued.emit)

    def preview(self, serial: str) -> None:
        """The archived voucher of ``serial`` as page images (issued first if it never was)."""
        sessions, actor = self.context.require_store().sessions, self.context.require_actor()
        settings, receipt_80mm = self.context.settings, self._receipt_80mm()

        def work() -> Preview:
            from printing.documents import Letterhead
            from printing.vouchers import voucher_pdf

            letterhead = Letterhead.from_settings(settings)
            voucher, pdf = voucher_pdf(
                sessions, actor, serial, letterhead, receipt_80mm=receipt_80mm
            )
            return Preview(voucher, render_pages(pdf))

        self._submit(work, self.previewed.emit)

    def print(self, serial: str) -> None:
        """Print on the counter's printer: the original, or 补打 once the original came out."""
        sessions, actor = self.context.require_store().sessions, self.context.require_actor()
        settings, receipt_80mm = self.context.settings, self._receipt_80mm()

        def work() -> PrintOutcome:
            from printing.vouchers import print_voucher

            return print_voucher(sessions, actor, settings, serial, receipt_80mm=receipt_80mm)

        self._submit(work, self.printed.emit)


class PreviewDialog(QDialog):
    """打印预览: the archived voucher as it will print."""

    print_requested = Signal()

    def __init__(self, preview: Preview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("voucher_preview")
        voucher = preview.voucher
        self.setWindowTitle(
            self.tr("凭证预览 · {label} · {serial}").format(
                label=tr_label(voucher.document_kind.label), serial=voucher.serial
            )
        )
        pages = QWidget()
        column = QVBoxLayout(pages)
        self.pages: list[QLabel] = []
        for image in preview.pages:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(label)
            self.pages.append(label)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton(
            self.tr("打印 (Ctrl+P)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.print_button.setShortcut("Ctrl+P")
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.print_requested.emit)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(760, 900)
        self.print_button.setFocus()


def close_preview(dialog: PreviewDialog | None) -> None:
    """Close a preview still open (it shows a citizen the counter no longer serves)."""
    if dialog is not None and dialog.isVisible():
        dialog.reject()


def open_preview(
    preview: Preview, parent: QWidget, on_print: Callable[[], object]
) -> PreviewDialog:
    """Show ``preview``; its 打印 calls ``on_print``."""
    dialog = PreviewDialog(preview, parent)
    dialog.print_requested.connect(on_print)
    dialog.open()
    return dialog


class VoucherBar(QWidget):
    """The voucher of the act just done, under a business form: 预览 and 打印 (Ctrl+P)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("voucher_bar")
        self.desk = VoucherDesk(context, self)
        self.status = QLabel()
        self.status.setObjectName("voucher_status")
        self.status.setWordWrap(True)
        self.preview_button = QPushButton(self.tr("预览凭证"))
        self.preview_button.setObjectName("preview_voucher")
        self.print_button = QPushButton(self.tr("打印凭证 (Ctrl+P)"))
        self.print_button.setObjectName("print_voucher")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status, 1)
        layout.addWidget(self.preview_button)
        layout.addWidget(self.print_button)
        self.voucher: ArchivedVoucher | None = None
        self._awaited = ""  # the serial whose voucher is being issued for this bar
        self.dialog: PreviewDialog | None = None
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print)
        self.desk.issued.connect(self._issued)
        self.desk.previewed.connect(self._previewed)
        self.desk.printed.connect(lambda outcome: self.status.setText(outcome.describe()))
        self.desk.failed.connect(self.status.setText)
        self.clear()

    def clear(self) -> None:
        """No voucher: a voucher still being issued or previewed is not shown here when ready."""
        self.voucher = None
        self._awaited = ""
        close_preview(self.dialog)
        self.dialog = None
        self.status.clear()
        self.preview_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.hide()

    def issue(self, result: object) -> None:
        """After an act: its voucher is rendered and archived; a result without a voucher (a
        step that prints nothing) just clears the bar."""
        self.clear()
        if isinstance(result, VoucherSource):
            self._awaited = result.transaction.serial
            self.show()
            self.status.setText(self.tr("正在生成凭证…"))
            self.desk.issue(result)

    def _issued(self, voucher: ArchivedVoucher) -> None:
        if voucher.serial != self._awaited:
            return  # the form was cleared (or another act done) meanwhile; it stays archived
        self.voucher = voucher
        self.status.setText(
            self.tr("{label}（{serial}）已存档；按 Ctrl+P 或「打印凭证」打印").format(
                label=tr_label(voucher.document_kind.label), serial=voucher.serial
            )
        )
        self.preview_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self.print_button.setFocus()

    def preview(self) -> None:
        if self.voucher is not None:
            self.desk.preview(self.voucher.serial)

    def _previewed(self, preview: Preview) -> None:
        if self.voucher is not None and preview.voucher.serial == self.voucher.serial:
            self.dialog = open_preview(preview, self, self.print)

    def print(self) -> bool:
        """打印; False when there is nothing to print."""
        if self.voucher is None:
            return False
        self.status.setText(self.tr("正在打印…"))
        self.desk.print(self.voucher.serial)
        return True
