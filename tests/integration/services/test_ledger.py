"""作废, 日结 and the daily ledger, on a real store."""

from __future__ import annotations

import csv
import dataclasses
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from stdnum import luhn

from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.card import CardApplicationKind, CardState, ReplacementReason
from medins_desk.domain.contact import DebitHolderRelation
from medins_desk.domain.correction import (
    CorrectionClass,
    CorrectionField,
    CorrectionState,
    SupportingDocument,
)
from medins_desk.errors import (
    BusinessRuleError,
    NotFound,
    PermissionDenied,
    StorageError,
    UserCancelled,
    ValidationError,
)
from medins_desk.services import ledger as ledger_module
from medins_desk.services.audit import verify_audit_chain
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.cards import record_card_produced
from medins_desk.services.context import Actor
from medins_desk.services.correction import (
    CorrectionReceipt,
    DebitAccountInput,
    approve_correction,
    submit_correction,
)
from medins_desk.services.day_close import close_day
from medins_desk.services.ledger import Ledger, daily_ledger, export_ledger
from medins_desk.services.loss_report import report_loss, unfreeze_card
from medins_desk.services.transactions import find_transaction, record_transaction
from medins_desk.services.void import void_transaction
from medins_desk.store.models import (
    AuditEntry,
    Card,
    CorrectionRequest,
    DayClose,
    Enrollment,
    Person,
    Transaction,
)
from tests.helpers.people import make_id, register
from tests.helpers.photos import valid_photo as demo_photo
from tests.helpers.store import Desk

TODAY = date(2026, 11, 18)
ID_NUMBER = make_id(date(1980, 5, 17))
BANK_CARD = "622202020011223344" + luhn.calc_check_digit("622202020011223344")


def _record(
    session: Session,
    actor: Actor,
    kind: BusinessKind,
    *,
    person_id: int | None = None,
    fee_fen: int = 0,
) -> str:
    """A business act of a kind whose own service is not under test here."""
    txn = record_transaction(
        session, actor, kind=kind, person_id=person_id, summary=kind.label, fee_fen=fee_fen
    )
    session.commit()
    return txn.serial


def _audit(session: Session, action: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)
        )
    )


def _count(session: Session, model: type[object]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


# 作废 ------------------------------------------------------------------------------------------


def test_void_same_day_keeps_the_row_marked_void_and_undoes_the_registration(
    any_desk: Desk,
) -> None:
    with any_desk.session() as session:
        registered = register(session, any_desk.actor("clerk"))
        serial = registered.transaction.serial
        any_desk.clock.advance(hours=1)
        receipt = void_transaction(
            session, any_desk.actor("super"), serial=serial, reason=" 号码录入错误 "
        )
        txn = session.scalars(select(Transaction).where(Transaction.serial == serial)).one()
        assert txn.status is TransactionStatus.VOID
        assert txn.void_reason == "号码录入错误"
        assert txn.voided_by == any_desk.actor("super").user_id
        assert txn.voided_at == any_desk.clock().replace(microsecond=0)
        # The person is gone, so the number can be registered correctly.
        assert _count(session, Person) == 0
        assert _count(session, Enrollment) == 0
        [entry] = _audit(session, "void")
        details = json.loads(entry.details)
        assert entry.entity_id == serial
        assert details["reason"] == "号码录入错误"
        assert details["person"]["id_number"] == ID_NUMBER
        again = register(session, any_desk.actor("clerk"))
        assert verify_audit_chain(session).ok
    assert receipt.transaction.status is TransactionStatus.VOID
    assert receipt.person_name == "张三"
    assert receipt.voided_by_name == "测试super"
    assert receipt.reason == "号码录入错误"
    assert "张三" in receipt.undone
    assert again.transaction.serial.endswith("00002")


def test_void_of_a_previous_day_is_refused(desk: Desk) -> None:
    with desk.session() as session:
        serial = register(session, desk.actor("clerk")).transaction.serial
        desk.clock.advance(days=1)
        with pytest.raises(BusinessRuleError, match="只能作废当日业务"):
            void_transaction(session, desk.actor("super"), serial=serial, reason="录错")
        assert session.scalar(select(Transaction.status)) is TransactionStatus.NORMAL
        assert _count(session, Person) == 1
        assert _audit(session, "void") == []


def test_a_clerk_may_not_void(desk: Desk) -> None:
    with desk.session() as session:
        serial = register(session, desk.actor("clerk")).transaction.serial
        with pytest.raises(PermissionDenied):
            void_transaction(session, desk.actor("clerk"), serial=serial, reason="录错")
        with pytest.raises(PermissionDenied):
            void_transaction(session, desk.actor("admin"), serial=serial, reason="录错")
        assert session.scalar(select(Transaction.status)) is TransactionStatus.NORMAL


@pytest.mark.parametrize("reason", ["", "   ", "作" * 201])
def test_void_needs_a_reason_of_at_most_200_characters(desk: Desk, reason: str) -> None:
    with desk.session() as session:
        serial = register(session, desk.actor("clerk")).transaction.serial
        with pytest.raises(ValidationError) as caught:
            void_transaction(session, desk.actor("super"), serial=serial, reason=reason)
        assert caught.value.field == "reason"
        assert session.scalar(select(Transaction.status)) is TransactionStatus.NORMAL


@pytest.mark.parametrize("reason", ["'; DROP TABLE persons; --", "录错了😀", "作" * 200])
def test_any_reason_text_is_stored_verbatim(desk: Desk, reason: str) -> None:
    with desk.session() as session:
        serial = register(session, desk.actor("clerk")).transaction.serial
        void_transaction(session, desk.actor("super"), serial=serial, reason=reason)
        assert session.scalar(select(Transaction.void_reason)) == reason


def test_void_after_the_day_is_closed_is_refused(desk: Desk) -> None:
    with desk.session() as session:
        serial = register(session, desk.actor("clerk")).transaction.serial
        close_day(session, desk.actor("super"), day=TODAY)
        with pytest.raises(BusinessRuleError, match="已日结"):
            void_transaction(session, desk.actor("super"), serial=serial, reason="录错")
        assert session.scalar(select(Transaction.status)) is TransactionStatus.NORMAL


def test_void_twice_is_refused_naming_who_voided(desk: Desk) -> None:
    with desk.session() as session:
        serial = register(session, desk.actor("clerk")).transaction.serial
        void_transaction(session, desk.actor("super"), serial=serial, reason="录错")
        with pytest.raises(BusinessRuleError, match="测试super作废"):
            void_transaction(session, desk.actor("super2"), serial=serial, reason="再来")
        assert len(_audit(session, "void")) == 1


@pytest.mark.parametrize("serial", ["", "'; DROP TABLE transactions; --", "110105202611180019999"])
def test_void_of_an_unknown_serial_is_not_found(desk: Desk, serial: str) -> None:
    with desk.session() as session:
        register(session, desk.actor("clerk"))
        with pytest.raises(NotFound):
            void_transaction(session, desk.actor("super"), serial=serial, reason="录错")
        assert _count(session, Transaction) == 1


def test_registration_with_later_business_cannot_be_voided(desk: Desk) -> None:
    with desk.session() as session:
        registered = register(session, desk.actor("clerk"))
        _record(
            session,
            desk.actor("clerk"),
            BusinessKind.ENROLLMENT_CHANGE,
            person_id=registered.person.id,
        )
        audit_before = _count(session, AuditEntry)
        with pytest.raises(BusinessRuleError, match="已办理其他业务"):
            void_transaction(
                session, desk.actor("super"), serial=registered.transaction.serial, reason="录错"
            )
        assert _count(session, Person) == 1
        assert _count(session, AuditEntry) == audit_before
        assert (
            session.scalar(
                select(Transaction.status).where(
                    Transaction.serial == registered.transaction.serial
                )
            )
            is TransactionStatus.NORMAL
        )


@pytest.mark.parametrize(
    "kind",
    [
        BusinessKind.TRANSFER_OUT,
        BusinessKind.TRANSFER_IN,
        BusinessKind.CARD_HANDOVER,
        BusinessKind.CORRECTION_REVIEW,
        BusinessKind.ENROLLMENT_CHANGE,
    ],
)
def test_kinds_without_an_undo_are_refused(desk: Desk, kind: BusinessKind) -> None:
    with desk.session() as session:
        person = register(session, desk.actor("clerk")).person
        serial = _record(session, desk.actor("clerk"), kind, person_id=person.id)
        with pytest.raises(BusinessRuleError, match="此类业务不能作废，请办理相应的撤销业务"):
            void_transaction(session, desk.actor("super"), serial=serial, reason="录错")


def test_another_halls_transaction_cannot_be_voided(desk: Desk) -> None:
    other_hall = dataclasses.replace(desk.counter, hall_code="110108")
    stranger = dataclasses.replace(desk.actor("super"), counter=other_hall)
    with desk.session() as session:
        serial = register(session, desk.actor("clerk")).transaction.serial
        with pytest.raises(BusinessRuleError, match="不是本大厅"):
            void_transaction(session, stranger, serial=serial, reason="录错")


def test_find_transaction_by_serial(desk: Desk) -> None:
    with desk.session() as session:
        serial = register(session, desk.actor("clerk")).transaction.serial
        found = find_transaction(session, desk.actor("clerk2"), serial=f" {serial} ")
        with pytest.raises(NotFound):
            find_transaction(session, desk.actor("clerk"), serial="'; DROP TABLE transactions; --")
    assert found.serial == serial
    assert found.kind is BusinessKind.PERSON_REGISTRATION
    assert found.clerk_name == "测试clerk"


# 日结 ------------------------------------------------------------------------------------------


def test_close_day_counts_normal_transactions_and_fees(any_desk: Desk) -> None:
    with any_desk.session() as session:
        clerk = any_desk.actor("clerk")
        person = register(session, clerk).person
        _record(session, clerk, BusinessKind.CARD_APPLICATION, person_id=person.id, fee_fen=2000)
        _record(session, clerk, BusinessKind.CARD_APPLICATION, person_id=person.id, fee_fen=1550)
        voided = register(session, clerk, name="李四", sequence=2).transaction.serial
        void_transaction(session, any_desk.actor("super"), serial=voided, reason="录错")
        any_desk.clock.advance(hours=8)
        receipt = close_day(session, any_desk.actor("super"), day=TODAY)
        close = session.scalars(select(DayClose)).one()
        [entry] = _audit(session, "day_close")
    assert (receipt.transaction_count, receipt.fee_total_fen, receipt.void_count) == (3, 3550, 1)
    assert (close.transaction_count, close.fee_total_fen) == (3, 3550)
    assert close.closed_by == any_desk.actor("super").user_id
    assert receipt.closed_by_name == "测试super"
    assert json.loads(entry.details)["fee_total_fen"] == 3550


def test_close_day_twice_is_refused_naming_who_closed_it(desk: Desk) -> None:
    with desk.session() as session:
        close_day(session, desk.actor("super"), day=TODAY)
        with pytest.raises(BusinessRuleError) as caught:
            close_day(session, desk.actor("super2"), day=TODAY)
        assert _count(session, DayClose) == 1
    assert "测试super" in caught.value.message
    assert "09:30" in caught.value.message


def test_close_day_rules(desk: Desk) -> None:
    with desk.session() as session:
        with pytest.raises(PermissionDenied):
            close_day(session, desk.actor("clerk"), day=TODAY)
        with pytest.raises(ValidationError) as caught:
            close_day(session, desk.actor("super"), day=TODAY + timedelta(days=1))
        assert caught.value.field == "day"
        # A day that has passed can still be closed.
        close_day(session, desk.actor("super"), day=TODAY - timedelta(days=3))
        assert _count(session, DayClose) == 1


def test_no_business_after_the_day_is_closed(desk: Desk) -> None:
    with desk.session() as session:
        register(session, desk.actor("clerk"))
        close_day(session, desk.actor("super"), day=TODAY)
        with pytest.raises(BusinessRuleError, match="已日结"):
            register(session, desk.actor("clerk2"), name="李四", sequence=2)
        assert _count(session, Person) == 1
        # The next day is open again.
        desk.clock.advance(days=1)
        registered = register(session, desk.actor("clerk2"), name="李四", sequence=2)
    assert registered.transaction.business_day == TODAY + timedelta(days=1)


# 台账 ------------------------------------------------------------------------------------------


def _busy_day(desk: Desk) -> dict[str, str]:
    """Three clerks at three counters, fees, a void, and business on other days and halls."""
    serials: dict[str, str] = {}
    clerk, clerk2 = desk.actor("clerk"), desk.at_counter("clerk2", "002")
    super_at_3 = desk.at_counter("super", "003")
    with desk.session() as session:
        desk.clock.advance(days=-1)
        register(session, clerk, name="昨天", sequence=9)
        desk.clock.advance(days=1)
        other_hall = dataclasses.replace(
            clerk, counter=dataclasses.replace(clerk.counter, hall_code="110108")
        )
        register(session, other_hall, name="外厅", sequence=8)
        p1 = register(session, clerk, name="张三", sequence=1).person.id
        p2 = register(session, clerk2, name="李四", sequence=2).person.id
        serials["reissue"] = _record(
            session, clerk, BusinessKind.CARD_APPLICATION, person_id=p1, fee_fen=2000
        )
        serials["replace"] = _record(
            session, clerk2, BusinessKind.CARD_APPLICATION, person_id=p2, fee_fen=2000
        )
        serials["loss"] = _record(session, super_at_3, BusinessKind.LOSS_TEMPORARY, person_id=p2)
        serials["void"] = register(session, clerk2, name="王五", sequence=3).transaction.serial
        void_transaction(session, desk.actor("super"), serial=serials["void"], reason="=重复登记")
    return serials


def test_ledger_totals_per_kind_clerk_and_counter(any_desk: Desk) -> None:
    serials = _busy_day(any_desk)
    with any_desk.session() as session:
        ledger = daily_ledger(session, any_desk.actor("super"), day=TODAY)
    assert [row.serial for row in ledger.rows] == sorted(row.serial for row in ledger.rows)
    assert len(ledger.rows) == 6  # yesterday's and the other hall's are not listed
    assert {row.person_name for row in ledger.rows} >= {"张三", "李四"}
    by_kind = {t.label: (t.count, t.fee_fen) for t in ledger.by_kind}
    assert by_kind == {"参保登记": (2, 0), "社保卡申领": (2, 4000), "临时挂失": (1, 0)}
    by_clerk = {t.label: (t.count, t.fee_fen) for t in ledger.by_clerk}
    assert by_clerk == {"测试clerk": (2, 2000), "测试clerk2": (2, 2000), "测试super": (1, 0)}
    by_counter = {t.key: (t.count, t.fee_fen) for t in ledger.by_counter}
    assert by_counter == {"001": (2, 2000), "002": (2, 2000), "003": (1, 0)}
    assert (ledger.total.count, ledger.total.fee_fen, ledger.void_count) == (5, 4000, 1)
    voided = next(row for row in ledger.rows if row.serial == serials["void"])
    assert voided.status_label == "已作废"
    assert voided.void_reason == "=重复登记"
    assert voided.person_name is None  # the voided registration removed the person
    loss = next(row for row in ledger.rows if row.serial == serials["loss"])
    assert (loss.counter_no, loss.clerk_name, loss.kind_label) == ("003", "测试super", "临时挂失")
    assert ledger.closed is False


def test_ledger_masks_identity_numbers_unless_asked_and_audits_full_numbers(desk: Desk) -> None:
    with desk.session() as session:
        register(session, desk.actor("clerk"))
        masked = daily_ledger(session, desk.actor("super"), day=TODAY)
        assert _audit(session, "ledger_full_ids") == []
        full = daily_ledger(session, desk.actor("super"), day=TODAY, full_ids=True)
        [entry] = _audit(session, "ledger_full_ids")
    assert masked.rows[0].id_number == ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
    assert full.rows[0].id_number == ID_NUMBER
    assert entry.username == "super"
    assert json.loads(entry.details) == {"day": "2026-11-18", "rows": 1}


def test_ledger_shows_who_closed_the_day_and_clerks_may_not_read_it(desk: Desk) -> None:
    with desk.session() as session:
        register(session, desk.actor("clerk"))
        close_day(session, desk.actor("super2"), day=TODAY)
        ledger = daily_ledger(session, desk.actor("admin"), day=TODAY)
        with pytest.raises(PermissionDenied):
            daily_ledger(session, desk.actor("clerk"), day=TODAY)
    assert ledger.closed
    assert ledger.closed_by_name == "测试super2"


def test_csv_export_has_a_bom_and_parses_back(desk: Desk, tmp_path: Path) -> None:
    serials = _busy_day(desk)
    out = tmp_path / "台账.csv"
    with desk.session() as session:
        result = export_ledger(
            session, desk.actor("super"), day=TODAY, fmt="csv", full_ids=False, out=out
        )
        [entry] = _audit(session, "ledger_export")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream))
    assert lines[0][:4] == ["业务流水号", "办理时间", "业务类型", "姓名"]
    rows = lines[1:7]
    assert [r[0].strip() for r in rows] == sorted(r[0].strip() for r in rows)
    assert lines[7] == []
    reissue = next(r for r in rows if r[0].strip() == serials["reissue"])
    assert reissue[1] == "09:30:00"
    assert reissue[2] == "社保卡申领"
    assert reissue[7] == "20.00"
    voided = next(r for r in rows if r[0].strip() == serials["void"])
    assert voided[8] == "已作废"
    assert voided[9] == "'=重复登记"  # never run as a formula by Excel
    named = next(r for r in rows if r[3] == "张三")
    assert "*" in named[4]
    assert ["按业务类型汇总", "笔数", "金额（元）"] in lines
    assert ["社保卡申领", "2", "40.00"] in lines
    assert ["001 号窗口", "2", "20.00"] in lines
    assert ["合计", "5", "40.00"] in lines
    assert ["作废", "1", ""] in lines
    assert result.row_count == 6
    assert result.describe() == f"已导出 2026-11-18 台账 6 笔到 {out}"
    assert json.loads(entry.details) == {
        "day": "2026-11-18",
        "format": "csv",
        "full_ids": False,
        "rows": 6,
    }


def test_csv_export_with_full_numbers_keeps_them_as_text(desk: Desk, tmp_path: Path) -> None:
    with desk.session() as session:
        register(session, desk.actor("clerk"))
        export_ledger(
            session,
            desk.actor("super"),
            day=TODAY,
            fmt="csv",
            full_ids=True,
            out=tmp_path / "full.csv",
        )
        [entry] = _audit(session, "ledger_export")
    with (tmp_path / "full.csv").open(encoding="utf-8-sig", newline="") as stream:
        row = list(csv.reader(stream))[1]
    assert row[4] == "\t" + ID_NUMBER
    assert json.loads(entry.details)["full_ids"] is True


def test_xlsx_export_opens_with_openpyxl(any_desk: Desk, tmp_path: Path) -> None:
    serials = _busy_day(any_desk)
    out = tmp_path / "ledger.xlsx"
    with any_desk.session() as session:
        close_day(session, any_desk.actor("super"), day=TODAY)
        result = export_ledger(
            session, any_desk.actor("super"), day=TODAY, fmt="XLSX", full_ids=True, out=out
        )
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["流水", "汇总"]
    rows = list(book["流水"].iter_rows(values_only=True))
    assert rows[0][0] == "业务流水号"
    assert len(rows) == 7
    by_serial = {row[0]: row for row in rows[1:]}
    assert by_serial[serials["reissue"]][7] == 20
    assert by_serial[serials["reissue"]][4] == ID_NUMBER  # a full number stays text
    assert by_serial[serials["void"]][8] == "已作废"
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert ("社保卡申领", 2, 40) in summary
    assert ("合计", 5, 40) in summary
    assert any(row[0] == "日结状态" and "测试super" in str(row[1]) for row in summary)
    book.close()
    assert result.fmt == "xlsx"
    assert result.row_count == 6


def test_failed_export_leaves_the_old_file_and_no_part_file(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with desk.session() as session:
        register(session, desk.actor("clerk"), sequence=1)
        register(session, desk.actor("clerk"), name="李四", sequence=2)
    out = tmp_path / "ledger.csv"
    out.write_text("上一次的台账", encoding="utf-8")
    calls: list[str] = []

    def failing_mask(number: str) -> str:
        calls.append(number)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        return number

    monkeypatch.setattr(ledger_module, "mask_identity_number", failing_mask)
    with desk.session() as session:
        with pytest.raises(StorageError, match="无法写入"):
            export_ledger(
                session, desk.actor("super"), day=TODAY, fmt="csv", full_ids=False, out=out
            )
        assert _audit(session, "ledger_export") == []
    assert out.read_text(encoding="utf-8") == "上一次的台账"
    assert [p.name for p in tmp_path.iterdir() if "ledger" in p.name] == ["ledger.csv"]


def test_export_refuses_bad_format_and_missing_folder(desk: Desk, tmp_path: Path) -> None:
    with desk.session() as session:
        with pytest.raises(ValidationError) as caught:
            export_ledger(
                session,
                desk.actor("super"),
                day=TODAY,
                fmt="pdf'; --",
                full_ids=False,
                out=tmp_path / "x",
            )
        assert caught.value.field == "fmt"
        with pytest.raises(ValidationError) as caught:
            export_ledger(
                session,
                desk.actor("super"),
                day=TODAY,
                fmt="csv",
                full_ids=False,
                out=tmp_path / "no" / "x.csv",
            )
        assert caught.value.field == "out"
        with pytest.raises(PermissionDenied):
            export_ledger(
                session,
                desk.actor("clerk"),
                day=TODAY,
                fmt="csv",
                full_ids=False,
                out=tmp_path / "x.csv",
            )
        assert _audit(session, "ledger_export") == []
    assert list(tmp_path.glob("x*")) == []


def test_progress_is_reported_and_a_cancel_leaves_no_file_and_no_audit(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _busy_day(desk)
    monkeypatch.setattr(ledger_module, "PROGRESS_EVERY", 2)
    heard: list[int] = []

    def keep_going(lines: int) -> bool:
        heard.append(lines)
        return True

    with desk.session() as session:
        result = export_ledger(
            session, desk.actor("super"), day=TODAY, fmt="xlsx", full_ids=False,
            out=tmp_path / "ok.xlsx", progress=keep_going,
        )  # fmt: skip
    assert heard == [2, 4, 6] and result.row_count == 6

    def stop_at_four(lines: int) -> bool:
        return lines < 4

    out = tmp_path / "stopped.csv"
    with desk.session() as session:
        with pytest.raises(UserCancelled):
            export_ledger(
                session, desk.actor("super"), day=TODAY, fmt="csv", full_ids=False, out=out,
                progress=stop_at_four,
            )  # fmt: skip
        assert len(_audit(session, "ledger_export")) == 1  # the first export's only
    assert not out.exists() and not list(tmp_path.glob(".stopped.csv.*"))


def test_a_pdf_export_needs_the_printing_renderer(desk: Desk, tmp_path: Path) -> None:
    _busy_day(desk)
    with desk.session() as session:
        with pytest.raises(ValidationError, match="打印模块"):
            export_ledger(
                session, desk.actor("super"), day=TODAY, fmt="pdf", full_ids=False,
                out=tmp_path / "x.pdf",
            )  # fmt: skip
        drawn: list[int] = []

        def render(ledger: Ledger) -> bytes:
            drawn.append(len(ledger.rows))
            return b"%PDF-1.4 ledger"

        result = export_ledger(
            session, desk.actor("super"), day=TODAY, fmt="pdf", full_ids=False,
            out=tmp_path / "day.pdf", render_pdf=render,
        )  # fmt: skip
        [entry] = _audit(session, "ledger_export")
    assert drawn == [6] and result.row_count == 6
    assert (tmp_path / "day.pdf").read_bytes() == b"%PDF-1.4 ledger"
    assert json.loads(entry.details)["format"] == "pdf"


def test_a_pdf_export_reports_progress_and_can_be_cancelled(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _busy_day(desk)
    monkeypatch.setattr(ledger_module, "PROGRESS_EVERY", 2)
    drawn: list[int] = []

    def render(ledger: Ledger) -> bytes:
        drawn.append(len(ledger.rows))
        return b"%PDF-1.4 ledger"

    out = tmp_path / "day.pdf"
    with desk.session() as session:
        with pytest.raises(UserCancelled):
            export_ledger(
                session, desk.actor("super"), day=TODAY, fmt="pdf", full_ids=False, out=out,
                render_pdf=render, progress=lambda lines: lines < 4,
            )  # fmt: skip
        assert _audit(session, "ledger_export") == []
    assert drawn == [] and not out.exists()


def test_audit_verify_detects_a_tampered_void(desk: Desk) -> None:
    with desk.session() as session:
        serial = register(session, desk.actor("clerk")).transaction.serial
        void_transaction(session, desk.actor("super"), serial=serial, reason="录错")
        assert verify_audit_chain(session).ok
        [entry] = _audit(session, "void")
        session.execute(
            update(AuditEntry).where(AuditEntry.id == entry.id).values(details='{"reason":"正常"}')
        )
        session.commit()
        verdict = verify_audit_chain(session)
    assert not verdict.ok
    assert verdict.broken_seq == entry.seq


# Undoing 参保信息变更 ----------------------------------------------------------------------


def _submit(session: Session, actor: Actor, person_id: int, **kwargs: Any) -> CorrectionReceipt:
    values: dict[str, Any] = {"changes": {}, "reason": "本人申请"} | kwargs
    return submit_correction(session, actor, person_id=person_id, **values)


def test_void_of_an_immediate_change_restores_the_before_values(any_desk: Desk) -> None:
    clerk, supervisor = any_desk.actor("clerk"), any_desk.actor("super")
    with any_desk.session() as session:
        person_id = register(session, clerk, phone="13800000000").person.id
        changes = {CorrectionField.PHONE: "13900000000", CorrectionField.ADDRESS: "演示市人民路2号"}
        receipt = _submit(session, clerk, person_id, changes=changes)
        voided = void_transaction(
            session, supervisor, serial=receipt.transaction.serial, reason="记错了号码"
        )
        person = session.get_one(Person, person_id)
        session.refresh(person)
        assert (person.phone, person.address) == ("13800000000", None)
    assert voided.undone == "已恢复变更前的联系电话、联系地址"


def test_a_pending_identity_correction_is_cancelled_by_the_void(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        person_id = register(session, clerk, phone="13800000000").person.id
        receipt = _submit(
            session, clerk, person_id,
            changes={CorrectionField.NAME: "张叁", CorrectionField.PHONE: "13900000000"},
            documents=[SupportingDocument.HOUSEHOLD_REGISTER],
        )  # fmt: skip
        void_transaction(session, supervisor, serial=receipt.transaction.serial, reason="录错")
        requests = {
            r.correction_class: r
            for r in session.scalars(
                select(CorrectionRequest).execution_options(populate_existing=True)
            )
        }
        pending = requests[CorrectionClass.IDENTITY]
        assert pending.state is CorrectionState.CANCELLED
        assert pending.reviewed_by == supervisor.user_id
        person = session.get_one(Person, person_id)
        session.refresh(person)
        assert (person.name, person.phone) == ("张三", "13800000000")


def test_a_change_overtaken_by_a_later_one_cannot_be_voided(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        person_id = register(session, clerk, phone="13800000000").person.id
        first = _submit(session, clerk, person_id, changes={CorrectionField.PHONE: "13900000000"})
        second = _submit(session, clerk, person_id, changes={CorrectionField.PHONE: "13700000000"})
        with pytest.raises(BusinessRuleError, match="「联系电话」此后已再次变更"):
            void_transaction(session, supervisor, serial=first.transaction.serial, reason="录错")
        # Undone newest first, both go.
        void_transaction(session, supervisor, serial=second.transaction.serial, reason="录错")
        void_transaction(session, supervisor, serial=first.transaction.serial, reason="录错")
        person = session.get_one(Person, person_id)
        session.refresh(person)
        assert person.phone == "13800000000"


def test_an_approved_correction_or_a_bank_change_cannot_be_voided(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        person_id = register(session, clerk).person.id
        identity = _submit(
            session, clerk, person_id, changes={CorrectionField.NAME: "张叁"},
            documents=[SupportingDocument.HOUSEHOLD_REGISTER],
        )  # fmt: skip
        approve_correction(session, supervisor, request_id=identity.requests[0].id)
        with pytest.raises(BusinessRuleError, match="已是「已生效」状态"):
            void_transaction(session, supervisor, serial=identity.transaction.serial, reason="x")
        account = DebitAccountInput("中国工商银行", BANK_CARD, DebitHolderRelation.SELF)
        bank = _submit(session, clerk, person_id, bank_account=account)
        with pytest.raises(BusinessRuleError, match="银行扣款账户的变更不能作废"):
            void_transaction(session, supervisor, serial=bank.transaction.serial, reason="x")
        assert (
            session.scalar(select(func.count()).where(Transaction.status == TransactionStatus.VOID))
            == 0
        )


# Undoing 社保卡申领 ------------------------------------------------------------------------------


def _card_states(session: Session, person_id: int) -> list[CardState]:
    query = select(Card.state).where(Card.person_id == person_id).order_by(Card.id)
    return list(session.scalars(query.execution_options(populate_existing=True)))


def _apply(session: Session, actor: Actor, person_id: int, **kwargs: Any) -> str:
    values: dict[str, Any] = {"kind": CardApplicationKind.FIRST, "photo": demo_photo()} | kwargs
    return apply_for_card(session, actor, person_id=person_id, **values).transaction.serial


def test_void_of_a_card_application_cancels_the_accepted_card(any_desk: Desk) -> None:
    clerk, supervisor = any_desk.actor("clerk"), any_desk.actor("super")
    with any_desk.session() as session:
        person_id = register(session, clerk).person.id
        serial = _apply(session, clerk, person_id)
        receipt = void_transaction(session, supervisor, serial=serial, reason="照片有误")
        assert _card_states(session, person_id) == [CardState.CANCELLED]
        # With the application undone the person may apply again.
        _apply(session, clerk, person_id)
        assert _card_states(session, person_id) == [CardState.CANCELLED, CardState.ACCEPTED]
    assert receipt.undone == "新卡申领已注销（首次申领）"


def test_void_of_a_replacement_gives_the_returned_card_back(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        person_id = register(session, clerk).person.id
        _apply(session, clerk, person_id, instant=True)
        serial = _apply(
            session, clerk, person_id, kind=CardApplicationKind.REPLACEMENT,
            replacement_reason=ReplacementReason.FAULTY, old_card_returned=True,
        )  # fmt: skip
        assert _card_states(session, person_id) == [CardState.CANCELLED, CardState.ACCEPTED]
        receipt = void_transaction(session, supervisor, serial=serial, reason="卡未损坏")
        assert _card_states(session, person_id) == [CardState.ACTIVE, CardState.CANCELLED]
    assert "恢复为「正常」" in receipt.undone


def test_a_card_already_made_cannot_have_its_application_voided(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        instant_person = register(session, clerk).person.id
        instant = _apply(session, clerk, instant_person, instant=True)
        produced_person = register(session, clerk, name="李四", sequence=2).person.id
        produced = _apply(session, clerk, produced_person)
        [card_id] = session.scalars(select(Card.id).where(Card.person_id == produced_person))
        record_card_produced(session, desk.actor("super"), card_id=card_id)
        with pytest.raises(BusinessRuleError, match="新卡已是「正常」状态"):
            void_transaction(session, supervisor, serial=instant, reason="x")
        with pytest.raises(BusinessRuleError, match="新卡已是「待领取」状态"):
            void_transaction(session, supervisor, serial=produced, reason="x")
        assert _card_states(session, instant_person) == [CardState.ACTIVE]
        assert _card_states(session, produced_person) == [CardState.READY]


def test_a_replaced_card_blocks_the_void_of_the_first_application(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        person_id = register(session, clerk).person.id
        first = _apply(session, clerk, person_id, instant=True)
        _apply(
            session, clerk, person_id, kind=CardApplicationKind.REPLACEMENT,
            replacement_reason=ReplacementReason.FAULTY, old_card_returned=True,
        )  # fmt: skip
        with pytest.raises(BusinessRuleError, match="该卡此后已有其他业务"):
            void_transaction(session, supervisor, serial=first, reason="x")


# Undoing 挂失/解挂 ------------------------------------------------------------------------------


def _active_card(session: Session, actor: Actor) -> tuple[int, int]:
    person_id = register(session, actor).person.id
    receipt = apply_for_card(
        session, actor, person_id=person_id, kind=CardApplicationKind.FIRST, photo=demo_photo(),
        instant=True,
    )  # fmt: skip
    return person_id, receipt.card_id


def _card(session: Session, card_id: int) -> Card:
    card = session.get_one(Card, card_id)
    session.refresh(card)
    return card


def test_void_of_a_temporary_loss_makes_the_card_active_again(any_desk: Desk) -> None:
    clerk, supervisor = any_desk.actor("clerk"), any_desk.actor("super")
    with any_desk.session() as session:
        _, card_id = _active_card(session, clerk)
        loss = report_loss(session, clerk, card_id=card_id, formal=False)
        assert _card(session, card_id).state is CardState.TEMP_LOST
        receipt = void_transaction(
            session, supervisor, serial=loss.transaction.serial, reason="卡已找到"
        )
        card = _card(session, card_id)
        assert (card.state, card.temp_loss_expires_at) == (CardState.ACTIVE, None)
    assert "恢复为「正常」" in receipt.undone


def test_loss_acts_are_undone_newest_first_back_to_their_previous_state(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        _, card_id = _active_card(session, clerk)
        temporary = report_loss(session, clerk, card_id=card_id, formal=False)
        desk.clock.advance(hours=1)
        formal = report_loss(session, clerk, card_id=card_id, formal=True)
        with pytest.raises(BusinessRuleError, match="该卡此后已有其他业务"):
            void_transaction(session, supervisor, serial=temporary.transaction.serial, reason="x")
        void_transaction(session, supervisor, serial=formal.transaction.serial, reason="x")
        card = _card(session, card_id)
        assert card.state is CardState.TEMP_LOST
        assert card.temp_loss_expires_at == temporary.expires_at
        unfrozen = unfreeze_card(session, clerk, card_id=card_id)
        void_transaction(session, supervisor, serial=unfrozen.transaction.serial, reason="x")
        card = _card(session, card_id)
        assert (card.state, card.temp_loss_expires_at) == (
            CardState.TEMP_LOST,
            temporary.expires_at,
        )
        void_transaction(session, supervisor, serial=temporary.transaction.serial, reason="x")
        assert _card(session, card_id).state is CardState.ACTIVE


def test_void_of_a_reissue_gives_back_the_formally_lost_card(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        person_id, card_id = _active_card(session, clerk)
        formal = report_loss(session, clerk, card_id=card_id, formal=True)
        reissue = _apply(session, clerk, person_id, kind=CardApplicationKind.REISSUE)
        assert _card_states(session, person_id) == [CardState.CANCELLED, CardState.ACCEPTED]
        with pytest.raises(BusinessRuleError, match="该卡此后已有其他业务"):
            void_transaction(session, supervisor, serial=formal.transaction.serial, reason="x")
        void_transaction(session, supervisor, serial=reissue, reason="x")
        assert _card_states(session, person_id) == [CardState.FORMAL_LOST, CardState.CANCELLED]
        # Now the formal report itself can go too.
        void_transaction(session, supervisor, serial=formal.transaction.serial, reason="x")
        assert _card_states(session, person_id) == [CardState.ACTIVE, CardState.CANCELLED]
