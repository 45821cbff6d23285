"""参保状态变更: suspending (暂停) and resuming (恢复) a person's enrollment.

A suspension records the last covered day as the enrollment's ``end_date`` (the 参保凭证 of a
transfer prints it as the period's end); resuming clears it. For 城乡居民医保 a year's enrollment
is fixed once its benefit period has begun, so a resident's status changes only with effect from
the start of a benefit year that has not yet begun. 职工医保 changes on any day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.enrollment import (
    EnrollmentStatus,
    InsuranceType,
    benefit_period_start,
    check_enrollment_change_allowed,
)
from medins_desk.domain.policy import Policy
from medins_desk.domain.roles import Permission
from medins_desk.domain.transfer import TransferDirection, TransferStage
from medins_desk.errors import BusinessRuleError, ValidationError
from medins_desk.services.context import Actor, service
from medins_desk.services.persons import load_person
from medins_desk.services.transactions import TransactionInfo, record_transaction, transaction_info
from medins_desk.store.models import Enrollment, Person, TransferCase

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
