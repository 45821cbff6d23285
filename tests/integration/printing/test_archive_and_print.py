"""Archive, 补打, a printer that is not there, a real CUPS-PDF queue, and the CLI commands."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from medins_desk.services.audit import verify_audit_chain
from medins_desk.services.vouchers import DocumentKind, archived_voucher
from medins_desk.store.models import AuditEntry
from printing.documents import payload_for
from printing.printer import PrinterError, check_printer
from printing.vouchers import print_voucher, send_to_printer, voucher_pdf
from tests.helpers import pdfs
from tests.helpers.cups import CupsQueue
from tests.integration.printing.conftest import DemoHall

pytestmark = pytest.mark.usefixtures("pdf_tools")


def _flat(text: str) -> str:
    return "".join(text.split())


def test_first_export_archives_and_a_reprint_is_the_same_document_marked(
    demo_hall: DemoHall,
) -> None:
    serial = demo_hall.serials[DocumentKind.CORRECTION_CONFIRMATION]
    sessions, actor, lh = demo_hall.store.sessions, demo_hall.actor, demo_hall.letterhead
    first, pdf = voucher_pdf(sessions, actor, serial, lh)
    again, pdf_again = voucher_pdf(sessions, actor, serial, lh)
    assert pdf == pdf_again == first.pdf
    assert first.sha256 == hashlib.sha256(pdf).hexdigest() == again.sha256

    reprinted, copy = voucher_pdf(sessions, actor, serial, lh, reprint=True)
    assert reprinted.reprinted_at is not None
    original_text, copy_text = pdfs.text(pdf), pdfs.text(copy)
    stamp = f"补打时间{reprinted.reprinted_at:%Y-%m-%d%H:%M:%S}"
    assert "补打" in copy_text and stamp in _flat(copy_text) and "补打" not in original_text
    # Everything but the stamp is the archived page.
    assert _flat(copy_text).replace(stamp, "").replace("补打", "") == _flat(original_text)
    symbols = pdfs.decode(pdfs.render_png(copy, keep_as="correction_confirmation_reprint"))
    txn = reprinted.serial
    assert f"CODE-128:{txn}" in symbols
    with sessions() as session:
        actions = list(
            session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == serial))
        )
        assert "voucher_archive" in actions and "voucher_reprint" in actions
        assert verify_audit_chain(session).ok


def test_a_missing_printer_loses_nothing(demo_hall: DemoHall) -> None:
    serial = demo_hall.serials[DocumentKind.LOSS_RECEIPT]
    sessions, actor, lh = demo_hall.store.sessions, demo_hall.actor, demo_hall.letterhead
    voucher, pdf = voucher_pdf(sessions, actor, serial, lh)
    outcome = send_to_printer(voucher, pdf, printer="没有这台打印机")
    assert not outcome.printed
    assert outcome.error and "凭证已存档" in outcome.error
    with sessions() as session:
        kept = archived_voucher(session, actor, serial=serial, document_kind=voucher.document_kind)
    assert kept is not None and kept.sha256 == voucher.sha256
    _, copy = voucher_pdf(sessions, actor, serial, lh, reprint=True)
    assert "补打" in pdfs.text(copy)


def test_print_to_a_real_cups_pdf_queue(demo_hall: DemoHall, cups_pdf_queue: CupsQueue) -> None:
    serial = demo_hall.serials[DocumentKind.CONTACT_LETTER]
    voucher, pdf = voucher_pdf(
        demo_hall.store.sessions, demo_hall.actor, serial, demo_hall.letterhead
    )
    outcome = send_to_printer(voucher, pdf, printer=cups_pdf_queue.name)
    assert outcome.printed and outcome.job is not None, outcome.error
    printed = cups_pdf_queue.wait_for_job(outcome.job.job_id).read_bytes()
    # Ghostscript rewrites the file (its text layer loses the Chinese), but the codes survive.
    symbols = pdfs.decode(pdfs.render_png(printed, keep_as="contact_letter_printed_by_cups"))
    with demo_hall.store.sessions() as session:
        from medins_desk.services.vouchers import voucher_source

        source = voucher_source(session, demo_hall.actor, serial=serial)
    assert f"CODE-128:{serial}" in symbols
    assert f"QR-Code:{payload_for(source.transaction, demo_hall.letterhead)}" in symbols


def test_the_original_prints_once_then_every_paper_is_a_reprint(
    demo_hall: DemoHall, cups_pdf_queue: CupsQueue
) -> None:
    serial = demo_hall.serials[DocumentKind.TRANSFER_CERTIFICATE]
    sessions, actor = demo_hall.store.sessions, demo_hall.actor

    def printed() -> list[str]:  # this voucher's print and 补打 entries in the audit log
        with sessions() as session:
            return list(
                session.scalars(
                    select(AuditEntry.action).where(
                        AuditEntry.entity_id == serial,
                        AuditEntry.action.in_(("voucher_print", "voucher_reprint")),
                    )
                )
            )

    before = printed()
    settings = dataclasses.replace(demo_hall.settings, printer="NO_SUCH_PRINTER")
    failed = print_voucher(sessions, actor, settings, serial)
    assert not failed.printed and failed.voucher.printed_at is None  # nothing came out
    settings = dataclasses.replace(settings, printer=cups_pdf_queue.name)
    first = print_voucher(sessions, actor, settings, serial)
    second = print_voucher(sessions, actor, settings, serial)
    assert first.printed and first.voucher.reprinted_at is None and "补打" not in first.describe()
    assert second.printed and second.voucher.reprinted_at is not None
    assert "（补打）" in second.describe()
    assert printed()[len(before) :] == ["voucher_print", "voucher_reprint"]


def test_a_double_print_gives_one_original_and_one_reprint(
    demo_hall: DemoHall, cups_pdf_queue: CupsQueue
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    serial = demo_hall.rare_serial  # printed by no other test of this module
    sessions, actor = demo_hall.store.sessions, demo_hall.actor
    settings = dataclasses.replace(demo_hall.settings, printer=cups_pdf_queue.name)
    with ThreadPoolExecutor(max_workers=2) as pool:  # a clerk pressing Ctrl+P twice
        outcomes = list(pool.map(lambda _: print_voucher(sessions, actor, settings, serial), "ab"))
    assert all(outcome.printed for outcome in outcomes)
    assert sorted(outcome.voucher.reprinted_at is None for outcome in outcomes) == [False, True]
    with sessions() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity_id == serial,
                AuditEntry.action.in_(("voucher_print", "voucher_reprint")),
            )
        )
        assert sorted(actions) == ["voucher_print", "voucher_reprint"]


def test_a_disabled_queue_is_reported_in_chinese(
    demo_hall: DemoHall, cups_pdf_queue: CupsQueue
) -> None:
    serial = demo_hall.serials[DocumentKind.INFO_FORM]
    voucher, pdf = voucher_pdf(
        demo_hall.store.sessions, demo_hall.actor, serial, demo_hall.letterhead
    )
    subprocess.run(["cupsdisable", cups_pdf_queue.name], check=True)
    try:
        outcome = send_to_printer(voucher, pdf, printer=cups_pdf_queue.name)
    finally:
        subprocess.run(["cupsenable", cups_pdf_queue.name], check=True)
    assert not outcome.printed and outcome.error and "已停用或脱机" in outcome.error


def test_the_print_system_is_asked_whether_a_printer_is_ready(cups_pdf_queue: CupsQueue) -> None:
    queue = cups_pdf_queue.name
    assert check_printer(queue) == queue
    with pytest.raises(PrinterError, match="打印机「没有这台」不存在"):
        check_printer("没有这台")
    subprocess.run(["cupsdisable", queue], check=True)
    try:
        with pytest.raises(PrinterError, match="已停用或脱机"):
            check_printer(queue)
    finally:
        subprocess.run(["cupsenable", queue], check=True)
    # Empty means the system default, named so the job and the status bar say where it went.
    subprocess.run(["lpadmin", "-d", queue], check=True)  # gone with the queue after the test
    assert check_printer("") == queue


def _cli(hall: DemoHall, *args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("medins-desk") or str(Path(sys.executable).with_name("medins-desk"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDINS_")}
    return subprocess.run(
        [exe, "--db", hall.settings.database_url, *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_cli_exports_every_kind_and_verifies_its_qr(demo_hall: DemoHall, tmp_path: Path) -> None:
    for kind, serial in demo_hall.serials.items():
        out = tmp_path / f"{kind.value}.pdf"
        extra = ["--receipt-80mm"] if kind is DocumentKind.CARD_RECEIPT_80MM else []
        done = _cli(demo_hall, "voucher", "export", serial, "--out", str(out), *extra)
        assert done.returncode == 0, done.stderr
        assert kind.label in done.stdout
        qr = [s for s in pdfs.decode(pdfs.render_png(out.read_bytes())) if s.startswith("QR")]
        payload = qr[0].removeprefix("QR-Code:")
        verified = _cli(demo_hall, "voucher", "verify", payload)
        assert verified.returncode == 0 and "凭证真实" in verified.stdout, verified.stderr
    forged = payload[:-1] + ("0" if payload[-1] != "0" else "1")
    refused = _cli(demo_hall, "voucher", "verify", forged)
    assert refused.returncode == 2 and "防伪码校验失败" in refused.stderr
    ledger = tmp_path / "ledger.pdf"
    done = _cli(demo_hall, "ledger-pdf", "--date", "2026-11-18", "--out", str(ledger))
    assert done.returncode == 0 and ledger.read_bytes().startswith(b"%PDF-")
    missing = _cli(demo_hall, "voucher", "print", demo_hall.serials[DocumentKind.LOSS_RECEIPT],
                   "--printer", "NO_SUCH_PRINTER")  # fmt: skip
    assert missing.returncode == 6 and "凭证已存档" in missing.stderr


def test_a_voided_certificate_verifies_as_void_from_the_console(
    demo_hall: DemoHall, tmp_path: Path
) -> None:
    """The demo day's first 参保缴费证明 was voided (purpose typed wrong): whoever scans its QR
    is told so."""
    serial = demo_hall.serials[DocumentKind.INSURANCE_CERTIFICATE]
    out = tmp_path / "certificate.pdf"
    assert _cli(demo_hall, "voucher", "export", serial, "--out", str(out)).returncode == 0
    (qr,) = [s for s in pdfs.decode(pdfs.render_png(out.read_bytes())) if s.startswith("QR")]
    verified = _cli(demo_hall, "voucher", "verify", qr.removeprefix("QR-Code:"))
    assert verified.returncode == 0, verified.stderr
    assert f"业务流水号 {serial}，参保缴费证明开具" in verified.stdout
    assert "状态：已作废" in verified.stdout
