"""Issue, print and reprint vouchers: render here, archive through the core's service.

The order is fixed: render, archive, then print. A printer that is missing, offline or out of
paper therefore never loses anything: the voucher is already archived with its SHA-256, the
failure is reported in Chinese, and 补打 prints the archived document later.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from medins_desk.services.context import Actor
from medins_desk.services.vouchers import (
    ArchivedVoucher,
    DocumentKind,
    VoucherSource,
    archive_voucher,
    archived_voucher,
    record_printed,
    record_reprint,
    voucher_source,
)
from medins_desk.settings import Settings
from printing.documents import Letterhead, document_kind, render
from printing.printer import PrinterError, PrintJob, print_pdf
from printing.reprint import stamp_reprint

log = logging.getLogger(__name__)
_one_print_at_a_time = threading.Lock()

Sessions = sessionmaker[Session]


def issue_voucher(
    sessions: Sessions,
    actor: Actor,
    source: VoucherSource,
    letterhead: Letterhead,
    *,
    receipt_80mm: bool = False,
) -> ArchivedVoucher:
    """Render the voucher of a service result and archive it (once; again is a no-op)."""
    pdf = render(source, letterhead, receipt_80mm=receipt_80mm)
    kind = document_kind(source, receipt_80mm=receipt_80mm)
    with sessions() as session:
        return archive_voucher(
            session, actor, serial=source.transaction.serial, document_kind=kind, pdf=pdf
        )


def voucher_pdf(
    sessions: Sessions,
    actor: Actor,
    serial: str,
    letterhead: Letterhead,
    *,
    receipt_80mm: bool = False,
    reprint: bool = False,
) -> tuple[ArchivedVoucher, bytes]:
    """The archived voucher of ``serial`` (issued and archived now if it never was), or its
    补打 copy with ``reprint``; with the bytes to print or save."""
    with sessions() as session:
        source = voucher_source(session, actor, serial=serial)
    kind = document_kind(source, receipt_80mm=receipt_80mm)
    with sessions() as session:
        voucher = archived_voucher(session, actor, serial=serial, document_kind=kind)
    if voucher is None:
        voucher = issue_voucher(sessions, actor, source, letterhead, receipt_80mm=receipt_80mm)
    if not reprint:
        return voucher, voucher.pdf
    return reprint_voucher(sessions, actor, serial, kind)


def reprint_voucher(
    sessions: Sessions, actor: Actor, serial: str, kind: DocumentKind
) -> tuple[ArchivedVoucher, bytes]:
    """补打: the archived bytes stamped with 补打 and the time, audited."""
    with sessions() as session:
        voucher = record_reprint(session, actor, serial=serial, document_kind=kind)
    assert voucher.reprinted_at is not None  # record_reprint sets it
    return voucher, stamp_reprint(voucher.pdf, voucher.reprinted_at)


@dataclass(frozen=True)
class PrintOutcome:
    """What became of a print request (打印结果): the voucher is archived either way."""

    voucher: ArchivedVoucher
    job: PrintJob | None
    error: str | None

    @property
    def printed(self) -> bool:
        return self.job is not None

    def describe(self) -> str:
        label = self.voucher.document_kind.label + ("（补打）" if self.voucher.reprinted_at else "")
        if self.job is not None:
            where = f"打印机「{self.job.printer}」" if self.job.printer else "默认打印机"
            return f"已将{label}（{self.voucher.serial}）发送到{where}，任务 {self.job.job_id}"
        return f"{label}（{self.voucher.serial}）未打印：{self.error}"


def send_to_printer(
    voucher: ArchivedVoucher, pdf: bytes, *, printer: str, media: str = "A4"
) -> PrintOutcome:
    """Print; a printer failure becomes the outcome's Chinese message, never an exception."""
    title = f"{voucher.document_kind.label} {voucher.serial}"
    try:
        job = print_pdf(pdf, printer=printer, title=title, media=media)
    except PrinterError as error:
        log.warning("voucher %s not printed: %s", voucher.serial, error.message)
        return PrintOutcome(voucher, None, error.message)
    return PrintOutcome(voucher, job, None)


def media_for(kind: DocumentKind) -> str:
    """The CUPS media name of a document: A4, or the 80 mm roll."""
    return "Custom.80x297mm" if kind is DocumentKind.CARD_RECEIPT_80MM else "A4"


def printer_for(settings: Settings, kind: DocumentKind) -> str:
    """The counter's printer for a document: 80 mm receipts go to the receipt printer when the
    counter has one, everything else to the A4 printer (empty: the system default)."""
    if kind is DocumentKind.CARD_RECEIPT_80MM and settings.receipt_printer:
        return settings.receipt_printer
    return settings.printer


def print_voucher(
    sessions: Sessions,
    actor: Actor,
    settings: Settings,
    serial: str,
    *,
    receipt_80mm: bool = False,
    reprint: bool = False,
    printer: str | None = None,
) -> PrintOutcome:
    """Print the voucher of ``serial`` (issued and archived first if it never was) on
    ``printer`` or the counter's printer for its kind. The original prints until one copy has
    come out; after that, or with ``reprint``, the paper is the 补打 copy."""
    letterhead = Letterhead.from_settings(settings)
    # Deciding original or 补打 and recording it is one step: a double Ctrl+P gives an original
    # and a 补打, never two originals.
    with _one_print_at_a_time:
        voucher, pdf = voucher_pdf(sessions, actor, serial, letterhead, receipt_80mm=receipt_80mm)
        kind = voucher.document_kind
        if reprint or voucher.printed_at is not None:
            voucher, pdf = reprint_voucher(sessions, actor, serial, kind)
        target = printer if printer is not None else printer_for(settings, kind)
        outcome = send_to_printer(voucher, pdf, printer=target, media=media_for(kind))
        if outcome.printed and voucher.reprinted_at is None:
            with sessions() as session:
                record_printed(session, actor, serial=serial, document_kind=kind)
    return outcome
