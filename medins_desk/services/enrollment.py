"""参保登记 and 参保状态变更: enrolling a person in a category (register and enroll in one act,
or enroll a person on record), suspending (暂停) and resuming (恢复) an enrollment.

An enrollment records its category, the benefit start that :mod:`medins_desk.domain.benefits`
decided and the materials the counter took in (``EnrollmentFiling``); what is missing is printed
on the 参保登记回执 as the 一次性告知. A person has at most one enrollment that is not terminated;
an employee's suspended enrollment is closed when they go on as an individual (续保).

A suspension records the last covered day as the enrollment's ``end_date`` (the 参保凭证 of a
transfer prints it as the period's end); resuming clears it. For 城乡居民医保 a year's enrollment
is fixed once its benefit period has begun, so a resident's status changes only with effect from
the start of a benefit year that has not yet begun. 职工医保 changes on any day.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.benefits import (
    ADULT_AGE,
    BenefitStart,
    EnrollmentCategory,
    benefit_start_for,
    check_category_fits,
    materials_for,
    missing_materials,
    parse_birth_certificate_number,
)
from medins_desk.domain.business import BusinessKind
from medins_desk.domain.enrollment import (
    EnrollmentStatus,
    InsuranceType,
    benefit_period_start,
    check_enrollment_change_allowed,
)
from medins_desk.domain.identity import Sex, age_on
from medins_desk.domain.policy import Policy
from medins_desk.domain.roles import Permission
from medins_desk.domain.transfer import TransferDirection, TransferStage
from medins_desk.errors import BusinessRuleError, NotFound, ValidationError
from medins_desk.services.context import Actor, service
from medins_desk.services.persons import Registration, check_alive, create_person, load_person
from medins_desk.services.transactions import (
    TransactionInfo,
    TransactionRef,
    record_transaction,
    transaction_details,
    transaction_info,
)
from medins_desk.store.models import (
    Enrollment,
    EnrollmentFiling,
    Person,
    Transaction,
    TransferCase,
)

MAX_REASON_LENGTH = 100
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class EnrollmentChangeReceipt:
    """参保状态变更回执."""

    transaction: TransactionInfo
    person_id: int
    person_name: str
    id_number: str
    enrollment_id: int
    insurance_type: InsuranceType
    insurance_type_label: str
    status_before: EnrollmentStatus
    status_before_label: str
    status_after: EnrollmentStatus
    status_after_label: str
    effective: date
    last_covered_day: date | None
    reason: str


def current_enrollment(
    session: Session, person_id: int, *, lock: bool = False
) -> Enrollment | None:
    """The person's enrollment that is not terminated (there is at most one), or None."""
    query = (
        select(Enrollment)
        .where(
            Enrollment.person_id == person_id,
            Enrollment.status != EnrollmentStatus.TERMINATED,
        )
        .order_by(Enrollment.start_date.desc(), Enrollment.id.desc())
        .limit(1)
    )
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def require_current_enrollment(session: Session, person: Person) -> Enrollment:
    """The person's current enrollment, locked for the change; BusinessRuleError without one."""
    enrollment = current_enrollment(session, person.id, lock=True)
    if enrollment is None:
        raise BusinessRuleError(f"参保人 {person.name} 在本地没有有效的参保记录")
    return enrollment


@service(Permission.SERVE)
def suspend_enrollment(
    session: Session, actor: Actor, *, person_id: int, effective: date, reason: str
) -> EnrollmentChangeReceipt:
    """暂停参保 (参保缴费 -> 暂停) from ``effective`` on; the day before is the last covered day."""
    why = _check_reason(reason)
    person = load_person(session, person_id)
    enrollment = require_current_enrollment(session, person)
    _require_status(enrollment, EnrollmentStatus.ACTIVE, "暂停参保")
    if effective <= enrollment.start_date:
        raise ValidationError(
            "effective",
            f"暂停生效日期 {effective.isoformat()} 应晚于参保开始日期 "
            f"{enrollment.start_date.isoformat()}",
        )
    _check_resident_change(enrollment, effective, actor, "暂停")
    return _change_status(
        session,
        actor,
        person,
        enrollment,
        status=EnrollmentStatus.SUSPENDED,
        effective=effective,
        end_date=effective - _ONE_DAY,
        reason=why,
        act="暂停参保",
    )


@service(Permission.SERVE)
def resume_enrollment(
    session: Session, actor: Actor, *, person_id: int, effective: date, reason: str
) -> EnrollmentChangeReceipt:
    """恢复参保 (暂停 -> 参保缴费) from ``effective`` on."""
    why = _check_reason(reason)
    person = load_person(session, person_id)
    check_alive(session, person)
    enrollment = require_current_enrollment(session, person)
    _require_status(enrollment, EnrollmentStatus.SUSPENDED, "恢复参保")
    suspended_from = (
        enrollment.end_date + _ONE_DAY if enrollment.end_date else enrollment.start_date
    )
    if effective < suspended_from:
        raise ValidationError(
            "effective",
            f"恢复生效日期 {effective.isoformat()} 不能早于暂停生效日期 "
            f"{suspended_from.isoformat()}",
        )
    open_out = session.scalar(
        select(TransferCase).where(
            TransferCase.person_id == person.id,
            TransferCase.direction == TransferDirection.OUT,
            TransferCase.stage.not_in([TransferStage.COMPLETED, TransferStage.CANCELLED]),
        )
    )
    if open_out is not None:
        # The 参保凭证 handed out says the person left; resuming here would insure them twice.
        raise BusinessRuleError(
            f"参保人有未办结的转出案件 {open_out.case_number}（{open_out.stage.label}），"
            "不能恢复参保"
        )
    _check_resident_change(enrollment, effective, actor, "恢复")
    return _change_status(
        session,
        actor,
        person,
        enrollment,
        status=EnrollmentStatus.ACTIVE,
        effective=effective,
        end_date=None,
        reason=why,
        act="恢复参保",
    )


def end_enrollment(enrollment: Enrollment, *, last_day: date, reason: str, now: datetime) -> None:
    """终止参保: the enrollment ends, ``last_day`` its last covered day, with the reason."""
    enrollment.status = EnrollmentStatus.TERMINATED
    enrollment.end_date = last_day
    enrollment.end_reason = reason
    enrollment.updated_at = now


def _check_reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise ValidationError("reason", "请填写变更原因")
    if len(text) > MAX_REASON_LENGTH:
        raise ValidationError(
            "reason", f"变更原因不能超过 {MAX_REASON_LENGTH} 个字符，输入为 {len(text)} 个"
        )
    return text


def _require_status(enrollment: Enrollment, status: EnrollmentStatus, act: str) -> None:
    if enrollment.status is not status:
        raise BusinessRuleError(
            f"参保状态为「{enrollment.status.label}」，不能{act}（须为「{status.label}」）"
        )


def _benefit_year_of(day: date, policy: Policy) -> int:
    """The insurance year whose benefit period contains ``day``."""
    return day.year if day >= benefit_period_start(day.year, policy) else day.year - 1


def _check_resident_change(enrollment: Enrollment, effective: date, actor: Actor, act: str) -> None:
    """A resident's change takes effect only at the start of a benefit year not yet begun:
    neither inside a year already running on the effective date, nor back-dated into a year
    whose benefit period has begun by today."""
    if enrollment.insurance_type is not InsuranceType.RESIDENT:
        return
    policy = actor.policy
    today = actor.today()
    year = _benefit_year_of(effective, policy)
    try:
        check_enrollment_change_allowed(year, max(effective - _ONE_DAY, today), policy)
    except BusinessRuleError as refused:
        earliest = benefit_period_start(_benefit_year_of(today, policy) + 1, policy)
        raise BusinessRuleError(
            f"{refused.message}；城乡居民医保最早可自 {earliest.isoformat()} 起{act}"
        ) from None


def _change_status(
    session: Session,
    actor: Actor,
    person: Person,
    enrollment: Enrollment,
    *,
    status: EnrollmentStatus,
    effective: date,
    end_date: date | None,
    reason: str,
    act: str,
) -> EnrollmentChangeReceipt:
    before = enrollment.status
    enrollment.status = status
    enrollment.end_date = end_date
    enrollment.updated_at = actor.now()
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.ENROLLMENT_CHANGE,
        person_id=person.id,
        summary=f"{act} {person.name}（{enrollment.insurance_type.label}，"
        f"自 {effective.isoformat()} 起）：{reason}",
        details={
            "enrollment_id": enrollment.id,
            "status_before": before.value,
            "status_after": status.value,
            "effective": effective,
            "reason": reason,
        },
    )
    session.flush()
    return EnrollmentChangeReceipt(
        transaction=transaction_info(txn),
        person_id=person.id,
        person_name=person.name,
        id_number=person.id_number,
        enrollment_id=enrollment.id,
        insurance_type=enrollment.insurance_type,
        insurance_type_label=enrollment.insurance_type.label,
        status_before=before,
        status_before_label=before.label,
        status_after=status,
        status_after_label=status.label,
        effective=effective,
        last_covered_day=end_date,
        reason=reason,
    )


# ---------------------------------------------------------------------------------------------
# 参保登记: enrolling in a category


@dataclass(frozen=True)
class EnrollmentRequest:
    """参保登记 as the clerk fills it in."""

    category: EnrollmentCategory
    paid_on: date  # 缴费日期: the day the contribution is paid (usually today)
    materials: tuple[str, ...] = ()  # received, out of materials_for(category)
    guardian_id: int | None = None  # 监护人 (required for a newborn)
    birth_certificate_number: str | None = None  # 出生医学证明编号 (newborn)
    last_covered: date | None = None  # 原参保截止日期 (续保; found in the store when kept there)
    gap_made_up: bool = False  # 断保期间费用已补缴


@dataclass(frozen=True)
class EnrollmentPlan:
    """What the enrollment will be, shown before the clerk confirms: the benefit start with the
    rule that set it, the materials still missing, and an enrollment it will close."""

    category: EnrollmentCategory
    benefit: BenefitStart
    last_covered: date | None
    missing_materials: tuple[str, ...]
    closes: str | None  # e.g. "职工医保（暂停，截至 2026-08-31）将终止，转为个人续保"

    def describe(self) -> str:
        lines = [f"待遇享受起始日：{self.benefit.starts_on:%Y-%m-%d}", self.benefit.rule]
        if self.closes:
            lines.append(self.closes)
        if self.missing_materials:
            lines.append("一次性告知，尚缺：" + "、".join(self.missing_materials))
        return "\n".join(lines)


@dataclass(frozen=True)
class EnrolledFacts:
    """The enrollment part of a 参保登记回执."""

    category: EnrollmentCategory
    category_label: str
    insurance_type_label: str
    region_code: str
    paid_on: date
    benefit_start: date
    benefit_rule: str
    continuous: bool
    materials: tuple[str, ...]
    missing_materials: tuple[str, ...]
    birth_certificate_number: str | None
    last_covered: date | None


@dataclass(frozen=True)
class EnrollmentReceipt:
    """参保登记回执: the person registered or enrolled, with the enrollment's benefit start."""

    transaction: TransactionInfo
    person_id: int
    person_name: str
    id_number: str
    id_kind_label: str
    sex_label: str
    birth_date: date
    household_label: str | None
    guardian_name: str | None
    guardian_id_number: str | None
    enrollment: EnrolledFacts | None


def _previous_employee_coverage(
    session: Session, person_id: int
) -> tuple[Enrollment | None, date | None]:
    """The person's suspended employee enrollment (closed by 续保) and the last covered day of
    their latest employee coverage, when the store has one."""
    rows = session.scalars(
        select(Enrollment)
        .where(
            Enrollment.person_id == person_id,
            Enrollment.insurance_type == InsuranceType.EMPLOYEE,
            Enrollment.end_date.is_not(None),
        )
        .order_by(Enrollment.end_date.desc())
    ).all()
    suspended = next((e for e in rows if e.status is EnrollmentStatus.SUSPENDED), None)
    return suspended, rows[0].end_date if rows else None


def _plan(
    session: Session,
    actor: Actor,
    request: EnrollmentRequest,
    *,
    person: Person | None,
    birth: date,
) -> tuple[EnrollmentPlan, Enrollment | None]:
    """Check an enrollment against the rules and decide its benefit start; the enrollment it
    closes (a suspended employee one, for 续保) comes back too. Nothing is written."""
    category = EnrollmentCategory(request.category)
    today = actor.today()
    check_category_fits(category, birth, today)
    if request.paid_on > today:
        raise ValidationError("paid_on", f"缴费日期 {request.paid_on:%Y-%m-%d} 晚于今天")
    if request.paid_on < birth:
        raise ValidationError("paid_on", "缴费日期不能早于出生日期")
    closes: Enrollment | None = None
    last_covered = request.last_covered
    if person is not None:
        live = current_enrollment(session, person.id)
        suspended, kept_last = _previous_employee_coverage(session, person.id)
        if live is not None and not (
            category.insurance_type is InsuranceType.EMPLOYEE and live is suspended
        ):
            held = live.category.label if live.category else live.insurance_type.label
            raise ValidationError(
                "category",
                f"参保人已有{live.status.label}的「{held}」参保（自 {live.start_date:%Y-%m-%d}），"
                "不能重复参保；如需改变类别，请先办理参保状态变更",
            )
        if live is not None:
            closes = live
        if category.insurance_type is InsuranceType.EMPLOYEE and last_covered is None:
            last_covered = kept_last
    if category is EnrollmentCategory.NEWBORN:
        parse_birth_certificate_number(request.birth_certificate_number or "")
    if category is EnrollmentCategory.NEWBORN and request.guardian_id is None:
        raise ValidationError("guardian", "新生儿参保须登记监护人（父母或其他监护人）")
    if request.guardian_id is not None:
        _check_guardian(session, request.guardian_id, person, today)
    benefit = benefit_start_for(
        category,
        paid_on=request.paid_on,
        birth=birth,
        last_covered=last_covered,
        gap_made_up=request.gap_made_up,
        policy=actor.policy,
    )
    wanted = materials_for(category)
    unknown = [m for m in request.materials if m not in wanted]
    if unknown:
        raise ValidationError("materials", f"「{unknown[0]}」不是「{category.label}」的材料")
    household = person.household_kind if person is not None else None
    missing = missing_materials(category, request.materials, household)
    note = None
    if closes is not None:
        end = f"，截至 {closes.end_date:%Y-%m-%d}" if closes.end_date else ""
        note = f"原{closes.insurance_type.label}（{closes.status.label}{end}）将终止，转为个人参保"
    return EnrollmentPlan(category, benefit, last_covered, missing, note), closes


def _check_guardian(session: Session, guardian_id: int, child: Person | None, today: date) -> None:
    guardian = session.get(Person, guardian_id)
    if guardian is None:
        raise ValidationError("guardian", "监护人未在本库登记，请先为监护人办理登记")
    if child is not None and guardian.id == child.id:
        raise ValidationError("guardian", "监护人不能是参保人本人")
    age = age_on(guardian.birth_date, today)
    if age < ADULT_AGE:
        raise ValidationError(
            "guardian",
            f"监护人 {guardian.name} 现年 {age} 周岁，未满 {ADULT_AGE} 周岁，不能作为监护人",
        )


@service(Permission.LOOK_UP)
def plan_enrollment(
    session: Session,
    actor: Actor,
    *,
    request: EnrollmentRequest,
    person_id: int | None = None,
    birth_date: date | None = None,
) -> EnrollmentPlan:
    """参保登记 before it is done: which rule applies and why, for the clerk to confirm. For a
    person not yet registered, give their ``birth_date``."""
    person = load_person(session, person_id) if person_id is not None else None
    birth = person.birth_date if person is not None else birth_date
    if birth is None:
        raise ValidationError("birth_date", "请先填写社会保障号码或出生日期")
    return _plan(session, actor, request, person=person, birth=birth)[0]


def _enroll(
    session: Session, actor: Actor, person: Person, request: EnrollmentRequest
) -> tuple[EnrollmentPlan, EnrollmentFiling]:
    plan, closes = _plan(session, actor, request, person=person, birth=person.birth_date)
    now = actor.now()
    if closes is not None:
        closes.status = EnrollmentStatus.TERMINATED
        closes.end_reason = "转为个人参保"
        closes.updated_at = now
    if request.guardian_id is not None:
        person.guardian_id = request.guardian_id
    benefit = plan.benefit
    enrollment = Enrollment(
        person_id=person.id,
        insurance_type=plan.category.insurance_type,
        status=EnrollmentStatus.ACTIVE,
        region_code=actor.counter.agency.region_code,
        start_date=min(benefit.starts_on, request.paid_on),
        category=plan.category,
        benefit_start=benefit.starts_on,
        updated_at=now,
    )
    session.add(enrollment)
    session.flush()
    filing = EnrollmentFiling(
        person_id=person.id,
        enrollment_id=enrollment.id,
        category=plan.category,
        paid_on=request.paid_on,
        benefit_start=benefit.starts_on,
        benefit_rule=benefit.rule[:200],
        continuous=benefit.continuous,
        materials=[m for m in materials_for(plan.category) if m in request.materials],
        missing_materials=list(plan.missing_materials),
        guardian_id=request.guardian_id,
        birth_certificate_number=(
            parse_birth_certificate_number(request.birth_certificate_number)
            if request.birth_certificate_number
            else None
        ),
        last_covered=plan.last_covered,
        gap_made_up=request.gap_made_up,
        closed_enrollment_id=closes.id if closes is not None else None,
        created_at=now,
    )
    return plan, filing


def _file(
    session: Session, actor: Actor, filing: EnrollmentFiling, txn: TransactionRef
) -> EnrollmentReceipt:
    filing.transaction_id = txn.id
    session.add(filing)
    session.flush()
    return enrollment_receipt(session, txn)


def _summary(person: Person, plan: EnrollmentPlan | None, act: str) -> str:
    if plan is None:
        return f"{act} {person.name}"
    return (
        f"{act} {person.name}（{plan.category.label}，待遇自 {plan.benefit.starts_on:%Y-%m-%d} 起）"
    )


def _enrollment_details(plan: EnrollmentPlan) -> dict[str, object]:
    return {
        "category": plan.category.value,
        "benefit_start": plan.benefit.starts_on,
        "missing_materials": list(plan.missing_materials),
    }


@service(Permission.SERVE)
def enroll_person(
    session: Session, actor: Actor, *, person_id: int, request: EnrollmentRequest
) -> EnrollmentReceipt:
    """险种参保登记: a person on record enrolls in ``request.category``."""
    person = load_person(session, person_id)
    check_alive(session, person)
    plan, filing = _enroll(session, actor, person, request)
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.ENROLLMENT,
        person_id=person.id,
        summary=_summary(person, plan, "参保登记"),
        details=_enrollment_details(plan),
    )
    return _file(session, actor, filing, txn)


@service(Permission.SERVE)
def register_and_enroll(
    session: Session,
    actor: Actor,
    *,
    registration: Registration,
    request: EnrollmentRequest | None,
    acknowledged: frozenset[str] = frozenset(),
    duplicate_reason: str = "",
) -> EnrollmentReceipt:
    """参保登记 at the counter: a new person and, usually, their enrollment, in one act."""
    newborn = request is not None and request.category is EnrollmentCategory.NEWBORN
    if not registration.id_number.strip() and registration.birth_certificate_number and not newborn:
        raise ValidationError(
            "identity_number", "只有新生儿参保可以凭出生医学证明登记，其他人请填写社会保障号码"
        )
    if request is not None and registration.birth_certificate_number:
        request = dataclasses.replace(
            request, birth_certificate_number=registration.birth_certificate_number
        )
    person, _notices, details = create_person(
        session, actor, registration, acknowledged=acknowledged, duplicate_reason=duplicate_reason
    )
    plan = filing = None
    if request is not None:
        plan, filing = _enroll(session, actor, person, request)
        details |= _enrollment_details(plan)
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.PERSON_REGISTRATION,
        person_id=person.id,
        summary=_summary(person, plan, "参保登记"),
        details=details,
    )
    if filing is None:
        session.flush()
        return enrollment_receipt(session, txn)
    return _file(session, actor, filing, txn)


def enrollment_receipt(session: Session, txn: TransactionRef) -> EnrollmentReceipt:
    """The 参保登记回执 of a registration or enrollment transaction, from the store."""
    person = session.get(Person, txn.person_id) if txn.person_id is not None else None
    if person is None:
        raise NotFound(f"业务 {txn.serial} 登记的参保人不存在")
    filing = session.scalar(
        select(EnrollmentFiling).where(EnrollmentFiling.transaction_id == txn.id)
    )
    guardian_id = filing.guardian_id if filing is not None else person.guardian_id
    guardian = session.get(Person, guardian_id) if guardian_id is not None else None
    facts = None
    if filing is not None:
        enrollment = session.get_one(Enrollment, filing.enrollment_id)
        facts = EnrolledFacts(
            category=filing.category,
            category_label=filing.category.label,
            insurance_type_label=filing.category.insurance_type.label,
            region_code=enrollment.region_code,
            paid_on=filing.paid_on,
            benefit_start=filing.benefit_start,
            benefit_rule=filing.benefit_rule,
            continuous=filing.continuous,
            materials=tuple(filing.materials),
            missing_materials=tuple(filing.missing_materials),
            birth_certificate_number=filing.birth_certificate_number,
            last_covered=filing.last_covered,
        )
    return EnrollmentReceipt(
        transaction=transaction_info(txn),
        person_id=person.id,
        person_name=person.name,
        id_number=person.id_number,
        id_kind_label=person.id_kind.label,
        sex_label=Sex(person.sex).label,
        birth_date=person.birth_date,
        household_label=person.household_kind.label if person.household_kind else None,
        guardian_name=guardian.name if guardian is not None else None,
        guardian_id_number=guardian.id_number if guardian is not None else None,
        enrollment=facts,
    )


def enrollment_change_receipt(session: Session, txn: Transaction) -> EnrollmentChangeReceipt:
    """参保状态变更回执 from the store: the change as the transaction recorded it."""
    details = transaction_details(session, txn)
    enrollment = session.get(Enrollment, details.get("enrollment_id"))
    if enrollment is None or txn.person is None:
        raise NotFound(f"业务 {txn.serial} 变更的参保记录不存在")
    before = EnrollmentStatus(details["status_before"])
    after = EnrollmentStatus(details["status_after"])
    effective = date.fromisoformat(details["effective"])
    return EnrollmentChangeReceipt(
        transaction=transaction_info(txn),
        person_id=txn.person.id,
        person_name=txn.person.name,
        id_number=txn.person.id_number,
        enrollment_id=enrollment.id,
        insurance_type=enrollment.insurance_type,
        insurance_type_label=enrollment.insurance_type.label,
        status_before=before,
        status_before_label=before.label,
        status_after=after,
        status_after_label=after.label,
        effective=effective,
        last_covered_day=effective - _ONE_DAY if after is EnrollmentStatus.SUSPENDED else None,
        reason=details.get("reason", ""),
    )
