"""职工医保在职转退休 (001 #58): after the pension 退休审批, the retiree comes to the counter for
the 缴费年限清算; the act records the assessment and its outcome with a 审核回执.

The assessment (:mod:`medins_desk.domain.retirement`) counts the person's 职工医保 months on record
and the 视同缴费 months confirmed from the 退休审批表 against the region's thresholds. A
qualified person, or one who pays the shortfall at once (一次性趸缴), is a retiree from this act
on; one who cannot registers a deferral (延迟退休登记) and pays year by year, and the act is done
again once the years are paid. The view asks :func:`assess_retirement` as the clerk types, then
:func:`retire` records the act. The person's latest 职工医保 enrollment is locked for the act, so
two counters cannot retire one person twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.contributions import ContributionSource, month_of
from medins_desk.domain.enrollment import InsuranceType, format_months
from medins_desk.domain.identity import Sex
from medins_desk.domain.retirement import (
    RetirementAssessment,
    RetirementOutcome,
    ShortfallPayment,
    assess_retirement,
    check_deemed_not_on_record,
    check_retirement_date,
    check_years_add_up,
    count_retirement_months,
    parse_deemed_period,
    shortfall_payment,
)
from medins_desk.domain.roles import Permission
from medins_desk.errors import NotFound, ValidationError
from medins_desk.services.context import Actor, service
from medins_desk.services.persons import load_person, retirement_line
from medins_desk.services.transactions import (
    TransactionInfo,
    TransactionRef,
    record_transaction,
    transaction_info,
)
from medins_desk.store.models import (
    ContributionMonth,
    Enrollment,
    Person,
    RetirementCase,
    table_of,
)

__all__ = [
    "RetirementReceipt",
    "assess_retirement_of",
    "remove_deemed_months",
    "retire",
    "retirement_receipt",
]

_months = table_of(ContributionMonth)


@dataclass(frozen=True)
class RetirementReceipt:
    """职工医保在职转退休审核回执: the counts against the thresholds and the outcome."""

    transaction: TransactionInfo
    case_id: int
    person_name: str
    id_number: str
    sex_label: str
    birth_date: date
    region_code: str  # the insuring region (the enrollment's)
    retirement_date: date
    outcome: RetirementOutcome
    outcome_label: str
    required_total: int  # months
    required_local: int
    total: int
    local: int
    transferred: int
    deemed: int
    other: int
    deemed_from: str | None  # confirmed at this act
    deemed_to: str | None
    covered: bool
    benefit_rule_label: str | None  # None: deferred
    benefit_start: date | None
    shortfall: int
    payment: ShortfallPayment | None  # None: no shortfall


def _employee_enrollment(session: Session, person: Person, *, lock: bool) -> Enrollment:
    """The person's latest 职工医保 enrollment, the one the act marks."""
    query = (
        select(Enrollment)
        .where(
            Enrollment.person_id == person.id,
            Enrollment.insurance_type == InsuranceType.EMPLOYEE,
        )
        .order_by(Enrollment.start_date.desc(), Enrollment.id.desc())
        .limit(1)
    )
    if lock:
        query = query.with_for_update()
    enrollment = session.scalar(query)
    if enrollment is None:
        raise ValidationError(
            "person",
            f"参保人 {person.name} 没有职工医保参保记录，不能办理职工医保在职转退休；"
            "城乡居民医保参保人无需办理",
        )
    return enrollment


def _covered_on(session: Session, person_id: int, day: date) -> bool:
    """享受职工医保状态 on ``day``: a 职工医保 enrollment here ran that day."""
    periods = session.execute(
        select(Enrollment.start_date, Enrollment.end_date).where(
            Enrollment.person_id == person_id,
            Enrollment.insurance_type == InsuranceType.EMPLOYEE,
        )
    )
    return any(start <= day and (end is None or end >= day) for start, end in periods)


@dataclass(frozen=True)
class _Assessed:
    person: Person
    enrollment: Enrollment  # the person's latest 职工医保 enrollment, locked for an act
    assessment: RetirementAssessment
    deemed: list[str]  # the 视同缴费 months confirmed now


def _assess(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    retirement_date: date,
    deemed_from: str,
    deemed_to: str,
    lock: bool,
) -> _Assessed:
    """The assessment, every input rule checked."""
    person = load_person(session, person_id)
    enrollment = _employee_enrollment(session, person, lock=lock)
    earlier = retirement_line(session, person.id)
    if earlier is not None and earlier.retired:
        raise ValidationError(
            "person",
            f"参保人 {person.name} 已于 {earlier.business_day:%Y-%m-%d} 在 {earlier.counter_no} 号"
            f"窗口办理职工医保在职转退休（业务流水号 {earlier.serial}），不能重复办理",
        )
    rows = [
        (month, ContributionSource(source), region)
        for month, source, region in session.execute(
            select(_months.c.month, _months.c.source, _months.c.region_code).where(
                _months.c.person_id == person.id,
                _months.c.insurance_type == InsuranceType.EMPLOYEE,
            )
        )
    ]
    on_record = {month for month, _source, _region in rows}
    check_retirement_date(
        retirement_date,
        birth=person.birth_date,
        today=actor.today(),
        first_month=min(on_record) if on_record else None,
        policy=actor.policy,
    )
    deemed = parse_deemed_period(
        deemed_from, deemed_to, birth=person.birth_date, retirement_date=retirement_date
    )
    check_deemed_not_on_record(deemed, on_record)
    last = month_of(retirement_date)
    check_years_add_up(
        len({m for m in on_record if m <= last}) + len(deemed),
        birth=person.birth_date,
        retirement_date=retirement_date,
        field="deemed_from" if deemed else "retirement_date",
    )
    months = count_retirement_months(
        rows, region_code=actor.counter.agency.region_code, deemed=deemed
    )
    assessment = assess_retirement(
        months,
        sex=Sex(person.sex),
        retirement_date=retirement_date,
        act_day=actor.today(),
        covered=_covered_on(session, person.id, retirement_date),
        policy=actor.policy,
    )
    return _Assessed(person, enrollment, assessment, deemed)


@service(Permission.SERVE)
def assess_retirement_of(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    retirement_date: date,
    deemed_from: str = "",
    deemed_to: str = "",
) -> RetirementAssessment:
    """缴费年限清算 as the clerk types: what :func:`retire` would find, nothing recorded."""
    return _assess(
        session, actor, person_id=person_id, retirement_date=retirement_date,
        deemed_from=deemed_from, deemed_to=deemed_to, lock=False,
    ).assessment  # fmt: skip


@service(Permission.SERVE)
def retire(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    retirement_date: date,
    deemed_from: str = "",
    deemed_to: str = "",
    option: RetirementOutcome | None = None,
) -> RetirementReceipt:
    """办理职工医保在职转退休. Short of the years, ``option`` is the citizen's choice:
    ``LUMP_SUM`` (一次性趸缴) or ``DEFERRED`` (延迟退休登记); qualified, it is not asked."""
    assessed = _assess(
        session, actor, person_id=person_id, retirement_date=retirement_date,
        deemed_from=deemed_from, deemed_to=deemed_to, lock=True,
    )  # fmt: skip
    person, enrollment = assessed.person, assessed.enrollment
    assessment, deemed = assessed.assessment, assessed.deemed
    outcome = _outcome(assessment, option)
    payment = assessment.payment
    retires = outcome.retires
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.RETIREMENT,
        person_id=person.id,
        summary=f"职工医保在职转退休 {person.name}：{outcome.label}"
        + (f"，{assessment.benefit_start:%Y-%m-%d} 起享受退休待遇" if retires else "")
        + (f"，缴费年限差 {format_months(assessment.shortfall)}" if payment else ""),
        details={
            "retirement_date": retirement_date.isoformat(),
            "outcome": outcome.value,
            "total_months": assessment.months.total,
            "local_months": assessment.months.local,
            "shortfall_months": assessment.shortfall,
        },
    )
    region = actor.counter.agency.region_code
    if deemed:
        session.execute(
            insert(_months),
            [
                {
                    "person_id": person.id, "month": month,
                    "insurance_type": InsuranceType.EMPLOYEE, "region_code": region,
                    "source": ContributionSource.DEEMED, "base_fen": None, "amount_fen": None,
                    "transfer_case_id": None,
                }
                for month in deemed
            ],
        )  # fmt: skip
    months = assessment.months
    case = RetirementCase(
        transaction_id=txn.id,
        person_id=person.id,
        enrollment_id=enrollment.id,
        retirement_date=retirement_date,
        outcome=outcome,
        required_total_months=assessment.required_total,
        required_local_months=assessment.required_local,
        total_months=months.total,
        local_months=months.local,
        transferred_months=months.transferred,
        deemed_months=months.deemed,
        other_months=months.other,
        deemed_from=deemed[0] if deemed else None,
        deemed_to=deemed[-1] if deemed else None,
        covered=assessment.covered,
        benefit_rule=assessment.benefit_rule if retires else None,
        benefit_start=assessment.benefit_start if retires else None,
        shortfall_months=assessment.shortfall,
        monthly_fen=actor.policy.retirement_monthly_payment_fen,
        amount_fen=payment.total_fen if payment else 0,
        created_at=actor.now(),
    )
    session.add(case)
    session.flush()
    return retirement_receipt(session, txn)


def _outcome(
    assessment: RetirementAssessment, option: RetirementOutcome | None
) -> RetirementOutcome:
    if assessment.qualified:
        return RetirementOutcome.QUALIFIED
    if option is None or RetirementOutcome(option) is RetirementOutcome.QUALIFIED:
        raise ValidationError(
            "option",
            f"缴费年限不足，还差 {format_months(assessment.shortfall)}；"
            "请参保人选择一次性趸缴或延迟退休登记（逐年缴纳）",
        )
    return RetirementOutcome(option)


def remove_deemed_months(session: Session, case: RetirementCase) -> int:
    """Take off the record the 视同缴费 months ``case`` confirmed (its void)."""
    if case.deemed_from is None or case.deemed_to is None:
        return 0
    removed = session.execute(
        delete(ContributionMonth).where(
            ContributionMonth.person_id == case.person_id,
            ContributionMonth.insurance_type == InsuranceType.EMPLOYEE,
            ContributionMonth.source == ContributionSource.DEEMED,
            ContributionMonth.transfer_case_id.is_(None),
            ContributionMonth.month.between(case.deemed_from, case.deemed_to),
        )
    )
    return int(getattr(removed, "rowcount", 0) or 0)


def retirement_receipt(session: Session, txn: TransactionRef) -> RetirementReceipt:
    """The 审核回执 of a retirement act, as issued."""
    case = session.scalar(select(RetirementCase).where(RetirementCase.transaction_id == txn.id))
    if case is None:
        raise NotFound(f"业务 {txn.serial} 的在职转退休记录不存在")
    person = session.get_one(Person, case.person_id)
    enrollment = session.get_one(Enrollment, case.enrollment_id)
    # The monthly amount as it was on the day of the act: settings change, receipts do not.
    payment = (
        shortfall_payment(case.shortfall_months, case.monthly_fen)
        if case.shortfall_months
        else None
    )
    return RetirementReceipt(
        transaction=transaction_info(txn),
        case_id=case.id,
        person_name=person.name,
        id_number=person.id_number,
        sex_label=Sex(person.sex).label,
        birth_date=person.birth_date,
        region_code=enrollment.region_code,
        retirement_date=case.retirement_date,
        outcome=case.outcome,
        outcome_label=case.outcome.label,
        required_total=case.required_total_months,
        required_local=case.required_local_months,
        total=case.total_months,
        local=case.local_months,
        transferred=case.transferred_months,
        deemed=case.deemed_months,
        other=case.other_months,
        deemed_from=case.deemed_from,
        deemed_to=case.deemed_to,
        covered=case.covered,
        benefit_rule_label=case.benefit_rule.label if case.benefit_rule else None,
        benefit_start=case.benefit_start,
        shortfall=case.shortfall_months,
        payment=payment,
    )
