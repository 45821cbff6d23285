"""职工医保在职转退休 on SQLite and PostgreSQL: the assessment from the months on record, the
outcome recorded with its ledger line and audit entries, the retiree on the person's page,
refusals at their field with nothing saved, and the void."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.contributions import ContributionSource, format_month, month_index
from medins_desk.domain.enrollment import InsuranceType
from medins_desk.domain.retirement import RetirementOutcome
from medins_desk.domain.voucher import sign_voucher_payload
from medins_desk.errors import BusinessRuleError, ValidationError
from medins_desk.services.enrollment import suspend_enrollment
from medins_desk.services.persons import EnrollmentInput, get_person, register_person
from medins_desk.services.retirement import assess_retirement_of, retire
from medins_desk.services.void import void_transaction
from medins_desk.services.vouchers import check_voucher, voucher_source
from medins_desk.store.models import (
    AuditEntry,
    ContributionMonth,
    RetirementCase,
    SerialCounter,
    Transaction,
)
from tests.helpers.people import make_id, put_on_record
from tests.helpers.store import Desk, ledger_line, transaction_audit

SECRET = "测试大厅密钥"
LOCAL = "110105"
RETIRED = date(2026, 10, 31)  # 60 on 2026-10-08; the desk's clock says 2026-11-18


def person(
    session: Session,
    desk: Desk,
    *,
    male: bool = True,
    birth: date = date(1966, 10, 8),
    insurance: InsuranceType | None = InsuranceType.EMPLOYEE,
    sequence: int = 1,
) -> int:
    enrollment = EnrollmentInput(insurance, date(2000, 1, 1), LOCAL) if insurance else None
    return register_person(
        session, desk.actor("clerk"), id_number=make_id(birth, sequence=sequence, male=male),
        name="王建国" if male else "刘秀英", enrollment=enrollment,
    ).person.id  # fmt: skip


def on_record(
    session: Session,
    person_id: int,
    first: str,
    count: int,
    *,
    source: ContributionSource = ContributionSource.LOCAL,
    region: str = LOCAL,
) -> None:
    start = month_index(first)
    months = [format_month(i) for i in range(start, start + count)]
    put_on_record(session, person_id, months, source=source, region=region)


def rows(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Transaction, AuditEntry, RetirementCase, SerialCounter, ContributionMonth)
    )


def test_a_qualified_retirement_with_deemed_years_is_recorded_and_voided(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        person_id = person(session, any_desk)
        # 1997-01..2026-10 paid here less 100 months (358 - 100 = 258), 60 brought from Nanjing.
        on_record(session, person_id, "1997-01", 258)
        on_record(session, person_id, "2018-07", 60, source=ContributionSource.TRANSFERRED,
                  region="320102")  # fmt: skip
        # 258 + 60 = 318: 42 short until the 退休审批表's 视同缴费 1993-01..1996-12 (48).
        short = assess_retirement_of(session, clerk, person_id=person_id, retirement_date=RETIRED)
        assert (short.months.total, short.shortfall, short.qualified) == (318, 42, False)
        assessed = assess_retirement_of(
            session, clerk, person_id=person_id, retirement_date=RETIRED,
            deemed_from="1993-01", deemed_to="1996-12",
        )  # fmt: skip
        assert assessed.qualified and assessed.months.total == 366
        receipt = retire(
            session, clerk, person_id=person_id, retirement_date=RETIRED,
            deemed_from="1993-01", deemed_to="1996-12",
        )  # fmt: skip
        session.commit()
    assert receipt.outcome is RetirementOutcome.QUALIFIED
    assert (receipt.total, receipt.local, receipt.transferred, receipt.deemed) == (366, 258, 60, 48)
    assert (receipt.required_total, receipt.required_local, receipt.shortfall) == (360, 120, 0)
    # Covered on 2026-10-31 and within three months: benefits continue from the retirement date.
    assert receipt.covered and receipt.benefit_start == RETIRED and receipt.payment is None
    assert receipt.transaction.kind is BusinessKind.RETIREMENT
    assert receipt.transaction.summary.startswith("职工医保在职转退休 王建国：符合条件")
    serial = receipt.transaction.serial
    with any_desk.session() as session:
        page = get_person(session, clerk, person_id=person_id)
        assert page.retirement is not None and page.retirement.retired
        assert page.retirement.serial == serial and page.contributions.deemed == 48
        assert voucher_source(session, clerk, serial=serial) == receipt
        # A second act is refused at the citizen, the first named.
        with pytest.raises(ValidationError, match=f"已于 2026-11-18 .*{serial}") as refused:
            assess_retirement_of(session, clerk, person_id=person_id, retirement_date=RETIRED)
        assert refused.value.field == "person"
        voided = void_transaction(
            session, any_desk.actor("super"), serial=serial, reason="退休日期录错"
        )
        assert "视同缴费 48 个月已撤回" in voided.undone
        session.commit()
    payload = sign_voucher_payload(
        SECRET, serial=serial, hall_code=clerk.counter.hall_code, kind=BusinessKind.RETIREMENT
    )
    with any_desk.session() as session:
        page = get_person(session, clerk, person_id=person_id)
        assert page.retirement is None and page.contributions.deemed == 0
        verdict = check_voucher(session, clerk, payload=payload, secret=SECRET)
        assert verdict.transaction is not None
        assert verdict.transaction.status is TransactionStatus.VOID
        # The receipt is reprinted as issued.
        assert voucher_source(session, clerk, serial=serial).outcome is RetirementOutcome.QUALIFIED
        line = ledger_line(session, any_desk.actor("super"), serial)
        assert line.kind is BusinessKind.RETIREMENT and line.void_reason == "退休日期录错"
        assert transaction_audit(session, serial) == ["retirement", "void"]
        # Voided, the act can be done again.
        assess_retirement_of(
            session, clerk, person_id=person_id, retirement_date=RETIRED,
            deemed_from="1993-01", deemed_to="1996-12",
        )  # fmt: skip


def test_a_shortfall_needs_a_choice_and_a_lump_sum_retires(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        person_id = person(session, any_desk, male=False, birth=date(1971, 3, 2))
        on_record(session, person_id, "2002-01", 290)  # 24 years 2 months: 10 short of 25
        session.commit()
        before = rows(session)
        with pytest.raises(ValidationError, match="还差 10个月") as refused:
            retire(session, clerk, person_id=person_id, retirement_date=date(2026, 3, 2))
        assert refused.value.field == "option"
        session.rollback()
        assert rows(session) == before
        receipt = retire(
            session, clerk, person_id=person_id, retirement_date=date(2026, 3, 2),
            option=RetirementOutcome.LUMP_SUM,
        )  # fmt: skip
        session.commit()
    assert receipt.outcome is RetirementOutcome.LUMP_SUM and receipt.shortfall == 10
    assert receipt.payment is not None and receipt.payment.total_fen == 10 * 50_000
    # Covered, but 8 months after the retirement date: from the month after the act.
    assert receipt.benefit_rule_label is not None and "次月" in receipt.benefit_rule_label
    assert receipt.benefit_start == date(2026, 12, 1)


def test_a_deferral_does_not_block_the_act_once_the_years_are_paid(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = person(session, desk)
        on_record(session, person_id, "2010-01", 200)
        deferred = retire(
            session, clerk, person_id=person_id, retirement_date=RETIRED,
            option=RetirementOutcome.DEFERRED,
        )  # fmt: skip
        session.commit()
        assert deferred.outcome is RetirementOutcome.DEFERRED and deferred.benefit_start is None
        assert deferred.payment is not None
        assert (deferred.payment.years, deferred.payment.yearly_fen) == (14, 12 * 50_000)
        page = get_person(session, clerk, person_id=person_id)
        assert page.retirement is not None and not page.retirement.retired
        assert page.retirement.shortfall_months == 160
        # The citizen thinks again the same day and pays at once: the deferral cannot be
        # voided under the act that rests on it; the lump sum can.
        lump = retire(
            session, clerk, person_id=person_id, retirement_date=RETIRED,
            option=RetirementOutcome.LUMP_SUM,
        )  # fmt: skip
        session.commit()
        supervisor = desk.actor("super")
        with pytest.raises(BusinessRuleError, match="此后已再次办理在职转退休"):
            void_transaction(
                session, supervisor, serial=deferred.transaction.serial, reason="改为趸缴"
            )
        session.rollback()
        void_transaction(session, supervisor, serial=lump.transaction.serial, reason="仍逐年缴纳")
        session.commit()
        # Years later, the months paid year by year: the act again, qualified.
        on_record(session, person_id, "2026-11", 160)
        desk.clock.set(datetime(2040, 3, 4, 10, 0))
        done = retire(session, clerk, person_id=person_id, retirement_date=RETIRED)
        session.commit()
    assert done.outcome is RetirementOutcome.QUALIFIED and done.total == 360
    # Covered on the retirement date, the act long after: from the month after the act.
    assert done.benefit_start == date(2040, 4, 1)


def test_not_covered_at_retirement_waits_twelve_months(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = person(session, desk)
        on_record(session, person_id, "1997-01", 360)
        suspend_enrollment(
            session, clerk, person_id=person_id, effective=date(2026, 9, 1), reason="离职"
        )
        receipt = retire(session, clerk, person_id=person_id, retirement_date=RETIRED)
        session.commit()
    assert not receipt.covered and receipt.benefit_start == date(2027, 11, 18)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"retirement_date": date(2026, 11, 19)}, "retirement_date", "晚于今天"),
        ({"retirement_date": date(2016, 10, 7)}, "retirement_date", "未满 50 周岁"),
        (
            {"retirement_date": RETIRED, "deemed_from": "1990-01", "deemed_to": "1997-02"},
            "deemed_to",
            "晚于 1996-12",
        ),
        (
            {"retirement_date": RETIRED, "deemed_from": "1982-09", "deemed_to": "1990-01"},
            "deemed_from",
            "年满 16 周岁的 1982-10",
        ),
        (
            {"retirement_date": RETIRED, "deemed_from": "1994-01", "deemed_to": "1996-12"},
            "deemed_from",
            "与已有缴费记录重叠",
        ),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_saved(
    any_desk: Desk, kwargs: dict[str, object], field: str, message: str
) -> None:
    with any_desk.session() as session:
        person_id = person(session, any_desk)
        on_record(session, person_id, "2017-01", 118)
        on_record(session, person_id, "1995-06", 12, source=ContributionSource.TRANSFERRED,
                  region="320102")  # fmt: skip
        session.commit()
        before = rows(session)
        with pytest.raises(ValidationError, match=message) as refused:
            retire(session, any_desk.actor("clerk"), person_id=person_id,
                   option=RetirementOutcome.DEFERRED, **kwargs)  # type: ignore[arg-type]  # fmt: skip
        session.rollback()
        assert refused.value.field == field
        assert rows(session) == before


def test_a_retirement_before_the_first_month_on_record_is_refused(desk: Desk) -> None:
    with desk.session() as session:
        person_id = person(session, desk)
        on_record(session, person_id, "2017-01", 118)
        session.commit()
        with pytest.raises(ValidationError, match="早于第一个缴费月份 2017-01") as refused:
            assess_retirement_of(
                session, desk.actor("clerk"), person_id=person_id,
                retirement_date=date(2016, 12, 31),
            )  # fmt: skip
    assert refused.value.field == "retirement_date"


def test_years_that_do_not_add_up_are_refused(desk: Desk) -> None:
    with desk.session() as session:
        person_id = person(session, desk, birth=date(1966, 10, 8))
        # Brought by a transfer from 1978: before the 16th birthday (1982-10).
        on_record(session, person_id, "1978-01", 590, source=ContributionSource.TRANSFERRED,
                  region="320102")  # fmt: skip
        session.commit()
        with pytest.raises(ValidationError, match="缴费年限对不上") as refused:
            retire(session, desk.actor("clerk"), person_id=person_id, retirement_date=RETIRED)
    assert refused.value.field == "retirement_date"
    assert "48 年 10 个月" in refused.value.message


def test_no_employee_record_is_refused_at_the_citizen(any_desk: Desk) -> None:
    with any_desk.session() as session:
        resident = person(session, any_desk, insurance=InsuranceType.RESIDENT)
        nobody = person(session, any_desk, insurance=None, birth=date(1965, 1, 9), sequence=2)
        session.commit()
        for person_id in (resident, nobody):
            with pytest.raises(ValidationError, match="没有职工医保参保记录") as refused:
                assess_retirement_of(
                    session, any_desk.actor("clerk"), person_id=person_id, retirement_date=RETIRED
                )
            assert refused.value.field == "person"
