"""参保证明 / 参保缴费证明 and the 缴费月份 they total, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.contributions import CertificateScope, months_between
from medins_desk.domain.enrollment import InsuranceType
from medins_desk.domain.voucher import sign_voucher_payload
from medins_desk.errors import ValidationError
from medins_desk.services.certificate import certificate_receipt, issue_certificate
from medins_desk.services.persons import EnrollmentInput, get_person, register_person
from medins_desk.services.transfer.transfer_in import (
    complete_transfer_in,
    record_info_form,
    start_transfer_in,
)
from medins_desk.services.void import void_transaction
from medins_desk.services.vouchers import check_voucher, voucher_source
from medins_desk.store.models import (
    AuditEntry,
    Certificate,
    SerialCounter,
    Transaction,
)
from tests.helpers.people import make_id, put_on_record
from tests.helpers.store import Desk, ledger_line, transaction_audit

SECRET = "测试大厅密钥"
LOCAL = "110105"


def person(session: Session, desk: Desk, *, enrolled: bool = True, sequence: int = 1) -> int:
    enrollment = EnrollmentInput(InsuranceType.EMPLOYEE, date(2020, 1, 1), LOCAL)
    return register_person(
        session, desk.actor("clerk"), id_number=make_id(date(1985, 3, 8), sequence=sequence),
        name="李四", enrollment=enrollment if enrolled else None,
    ).person.id  # fmt: skip


def paid(session: Session, person_id: int, months: list[str]) -> None:
    put_on_record(session, person_id, months, region=LOCAL)


def rows(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Transaction, AuditEntry, Certificate, SerialCounter)
    )


def test_a_contribution_certificate_totals_the_months_and_verifies(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        person_id = person(session, any_desk)
        # 2020-01..2023-12 paid, 2024 missed three months, then paid to 2026-10.
        months = months_between(date(2020, 1, 1), date(2026, 10, 1))
        missed = {"2024-04", "2024-05", "2024-06"}
        paid(session, person_id, [m for m in months if m not in missed])
        issued = issue_certificate(
            session, clerk, person_id=person_id, scope=CertificateScope.CONTRIBUTION,
            purpose="  购房  贷款 ",
        )  # fmt: skip
        session.commit()
    c = issued.contributions
    assert c is not None
    assert (c.total, c.local, c.transferred, c.deemed) == (79, 79, 0, 0)
    assert (c.first, c.last, c.continuous, c.interrupted) == ("2020-01", "2026-10", 28, 3)
    assert [y.count for y in c.years] == [12, 12, 12, 12, 9, 12, 10]
    assert issued.title == "参保缴费证明" and issued.purpose == "购房 贷款"
    assert [(p.region_code, p.start, p.end, p.status) for p in issued.periods] == [
        (LOCAL, date(2020, 1, 1), None, "参保缴费")
    ]
    assert issued.transaction.kind is BusinessKind.CERTIFICATE
    assert issued.transaction.summary == "开具参保缴费证明 李四（用途：购房 贷款）"

    payload = sign_voucher_payload(
        SECRET, serial=issued.transaction.serial, hall_code=clerk.counter.hall_code,
        kind=BusinessKind.CERTIFICATE,
    )  # fmt: skip
    with any_desk.session() as session:
        # Months added later do not change the certificate given.
        paid(session, person_id, ["2026-11"])
        again = voucher_source(session, clerk, serial=issued.transaction.serial)
        assert again == issued
        assert (
            "状态：正常" in check_voucher(session, clerk, payload=payload, secret=SECRET).describe()
        )
        voided = void_transaction(
            session, any_desk.actor("super"), serial=issued.transaction.serial,
            reason="用途写错，重开",
        )  # fmt: skip
        assert "已作废" in voided.undone
        session.commit()
    with any_desk.session() as session:
        verdict = check_voucher(session, clerk, payload=payload, secret=SECRET)
        assert verdict.transaction is not None
        assert verdict.transaction.status is TransactionStatus.VOID
        assert "状态：已作废" in verdict.describe()
        # The certificate is kept as issued: its reprint says what the voided paper said.
        txn = session.scalars(select(Transaction).where(Transaction.kind == "certificate")).one()
        assert certificate_receipt(session, txn).contributions == c
        serial = issued.transaction.serial
        # The act's ledger line, marked void, and its audit entries: issued, then voided.
        line = ledger_line(session, any_desk.actor("super"), serial)
        assert line.kind is BusinessKind.CERTIFICATE and line.void_reason == "用途写错，重开"
        assert transaction_audit(session, serial) == ["certificate", "void"]


def test_an_enrollment_certificate_has_no_months(any_desk: Desk) -> None:
    with any_desk.session() as session:
        person_id = person(session, any_desk)
        paid(session, person_id, ["2025-01"])
        issued = issue_certificate(
            session, any_desk.actor("clerk"), person_id=person_id,
            scope=CertificateScope.ENROLLMENT,
        )  # fmt: skip
    assert issued.title == "参保证明" and issued.contributions is None


def test_no_enrollment_is_refused_at_the_person_and_nothing_is_saved(any_desk: Desk) -> None:
    with any_desk.session() as session:
        person_id = person(session, any_desk, enrolled=False)
        session.commit()
        before = rows(session)
        with pytest.raises(ValidationError, match="没有参保记录") as refused:
            issue_certificate(
                session, any_desk.actor("clerk"), person_id=person_id,
                scope=CertificateScope.CONTRIBUTION,
            )  # fmt: skip
        session.rollback()
        assert refused.value.field == "person"
        assert rows(session) == before


def test_a_long_purpose_is_refused_at_its_field(desk: Desk) -> None:
    with desk.session() as session:
        person_id = person(session, desk)
        issue_certificate(
            session, desk.actor("clerk"), person_id=person_id,
            scope=CertificateScope.ENROLLMENT, purpose="用" * 30,
        )  # fmt: skip
        session.commit()
        before = rows(session)
        with pytest.raises(ValidationError, match="用途不能超过 30 个字") as refused:
            issue_certificate(
                session, desk.actor("clerk"), person_id=person_id,
                scope=CertificateScope.ENROLLMENT, purpose="用" * 31,
            )  # fmt: skip
        assert refused.value.field == "purpose"
        session.rollback()
        assert rows(session) == before


def test_a_completed_transfer_in_brings_the_origin_months(any_desk: Desk) -> None:
    desk = any_desk
    desk.clock.set(datetime(2026, 9, 28, 9, 0))
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = register_person(
            session, clerk, id_number=make_id(date(1980, 5, 17)), name="张三",
            enrollment=EnrollmentInput(InsuranceType.EMPLOYEE, date(2026, 9, 1), LOCAL),
        ).person.id  # fmt: skip
        paid(session, person_id, ["2026-09"])
        letter = start_transfer_in(
            session, clerk, person_id=person_id, origin_agency="四川省成都市医疗保障局",
            origin_region="510107", certificate_date=date(2026, 9, 1),
            origin_periods=[(date(2015, 1, 1), date(2019, 12, 31)),
                            (date(2021, 1, 1), date(2026, 8, 31))],
            origin_actual_months=120, origin_deemed_months=0, origin_balance_fen=500_000,
        )  # fmt: skip
        desk.clock.set(datetime(2026, 10, 15, 9, 0))
        # The periods hold 60 + 68 months; the 信息表 counts 120 paid and 24 deemed.
        record_info_form(
            session, clerk, case_id=letter.case_id, received_on=date(2026, 10, 14),
            actual_months=120, deemed_months=24, balance_fen=498_765,
        )  # fmt: skip
        complete_transfer_in(session, clerk, case_id=letter.case_id)
        page = get_person(session, clerk, person_id=person_id)
        issued = issue_certificate(
            session, clerk, person_id=person_id, scope=CertificateScope.CONTRIBUTION
        )
        session.commit()
    c = page.contributions
    assert (c.local, c.transferred, c.deemed, c.total) == (1, 120, 24, 145)
    assert c.first == "2013-01" and c.last == "2026-09"
    # The 120 latest months of the periods start 2015-09: 2015-01..08 and 2020 are missing.
    assert c.interrupted == 8 + 12
    assert issued.contributions == c
    assert [(p.region_code, p.start, p.status) for p in issued.periods] == [
        ("510107", date(2015, 1, 1), "已转入本地"),
        ("510107", date(2021, 1, 1), "已转入本地"),
        (LOCAL, date(2026, 9, 1), "参保缴费"),
    ]
