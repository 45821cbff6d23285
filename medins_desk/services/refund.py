"""城乡居民医保退费 (001 #31): a resident who paid for a benefit year that has not begun and then
moved the 户口 away, settled abroad, died or took a job asks for the contribution back.

The request is reviewed by a second person (复核, never the submitter). Both the request and
the review check that the benefits have not begun; approval ends the enrollment with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.benefits import RefundReason, RefundState, check_refund_allowed
from medins_desk.domain.business import BusinessKind
from medins_desk.domain.correction import check_approver
from medins_desk.domain.enrollment import EnrollmentStatus, InsuranceType
from medins_desk.domain.identity import mask_identity_number
from medins_desk.domain.roles import Permission
from medins_desk.errors import BusinessRuleError, NotFound, ValidationError
from medins_desk.services.context import Actor, service
from medins_desk.services.enrollment import current_enrollment, end_enrollment
from medins_desk.services.persons import load_person
from medins_desk.services.transactions import (
    TransactionInfo,
    TransactionRef,
    record_transaction,
    transaction_info,
)
from medins_desk.store.models import Enrollment, Person, RefundRequest, User

__all__ = [
    "PendingRefund",
    "RefundReceipt",
    "pending_refunds",
    "refund_receipt",
    "request_refund",
    "review_refund",
]

MAX_NOTE_LENGTH = 100


@dataclass(frozen=True)
class RefundReceipt:
    """退费申请回执, and the 退费复核 result printed from the same fields."""

    transaction: TransactionInfo
    request_id: int
    person_name: str
    id_number: str
    category_label: str
    benefit_start: date
    reason: RefundReason
    reason_label: str
    note: str | None
    materials: tuple[str, ...]
    missing_materials: tuple[str, ...]
    state: RefundState
    state_label: str
    submitted_at: datetime
    reviewer_name: str | None
    reviewed_at: datetime | None
    review_comment: str | None


@dataclass(frozen=True)
class PendingRefund:
    """A line of the 复核 queue."""

    id: int
    person_id: int
    person_name: str
    masked_id_number: str
    reason_label: str
    benefit_start: date
    submitted_by_name: str
    submitted_at: datetime
    own: bool  # submitted by the reviewer: cannot be reviewed by them


def _refundable(session: Session, person: Person, today: date) -> Enrollment:
    enrollment = current_enrollment(session, person.id, lock=True)
    if enrollment is None or enrollment.insurance_type is not InsuranceType.RESIDENT:
        raise BusinessRuleError(f"参保人 {person.name} 没有可退费的城乡居民医保参保记录")
    if enrollment.status is not EnrollmentStatus.ACTIVE or enrollment.benefit_start is None:
        raise BusinessRuleError(
            f"参保人 {person.name} 的居民医保为「{enrollment.status.label}」，"
            "或是本系统启用前的参保记录，请到医保经办机构核定后办理"
        )
    check_refund_allowed(enrollment.benefit_start, today)
    return enrollment


@service(Permission.SERVE)
def request_refund(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    reason: RefundReason,
    materials: tuple[str, ...] = (),
    note: str = "",
) -> RefundReceipt:
    """退费申请: before the benefit period begins, for one of the reasons the rules name."""
    why = RefundReason(reason)
    text = " ".join(note.split())
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError("note", f"说明不能超过 {MAX_NOTE_LENGTH} 个字符")
    unknown = [m for m in materials if m not in why.materials]
    if unknown:
        raise ValidationError("materials", f"「{unknown[0]}」不是「{why.label}」退费的材料")
    person = load_person(session, person_id)
    enrollment = _refundable(session, person, actor.today())
    waiting = session.scalar(
        select(RefundRequest.id).where(
            RefundRequest.enrollment_id == enrollment.id,
            RefundRequest.state == RefundState.PENDING,
        )
    )
    if waiting is not None:
        raise BusinessRuleError(f"参保人 {person.name} 已有待复核的退费申请，请等待复核")
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.REFUND_REQUEST,
        person_id=person.id,
        summary=f"居民医保退费申请 {person.name}：{why.label}",
        details={"enrollment_id": enrollment.id, "reason": why.value, "note": text},
    )
    request = RefundRequest(
        person_id=person.id,
        enrollment_id=enrollment.id,
        reason=why,
        note=text or None,
        materials=[m for m in why.materials if m in materials],
        state=RefundState.PENDING,
        submitted_by=actor.user_id,
        submitted_at=actor.now(),
        transaction_id=txn.id,
    )
    session.add(request)
    session.flush()
    return refund_receipt(session, txn)


@service(Permission.REVIEW)
def review_refund(
    session: Session, actor: Actor, *, request_id: int, approve: bool, comment: str = ""
) -> RefundReceipt:
    """退费复核: approve (the enrollment ends with the reason) or reject with a reason."""
    text = " ".join(comment.split())
    if not approve and not text:
        raise ValidationError("comment", "驳回须填写原因")
    if len(text) > 200:
        raise ValidationError("comment", "复核意见不能超过 200 个字符")
    request = session.scalar(
        select(RefundRequest).where(RefundRequest.id == request_id).with_for_update()
    )
    if request is None:
        raise NotFound(f"退费申请 {request_id} 不存在")
    if request.state is not RefundState.PENDING:
        raise BusinessRuleError(f"退费申请 {request_id} 已是「{request.state.label}」，不能再复核")
    check_approver(submitted_by=request.submitted_by, approver=actor.user_id)
    person = load_person(session, request.person_id)
    enrollment = session.get_one(Enrollment, request.enrollment_id)
    now = actor.now()
    if approve:
        _refundable(session, person, actor.today())
        end_enrollment(
            enrollment,
            last_day=enrollment.start_date,
            reason=f"退费：{request.reason.label}",
            now=now,
        )
    request.state = RefundState.APPROVED if approve else RefundState.REJECTED
    request.reviewed_by = actor.user_id
    request.reviewed_at = now
    request.review_comment = text or None
    verdict = "核准" if approve else "驳回"
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.REFUND_REVIEW,
        person_id=person.id,
        summary=f"退费复核{verdict} {person.name}（申请 {request.id}）"
        + (f"：{text}" if text else ""),
        details={"request_id": request.id, "approved": approve, "comment": text},
    )
    request.review_transaction_id = txn.id
    session.flush()
    return refund_receipt(session, txn)


@service(Permission.REVIEW)
def pending_refunds(session: Session, actor: Actor) -> list[PendingRefund]:
    """The refund requests waiting for review, oldest first."""
    rows = session.execute(
        select(RefundRequest, Person.name, Person.id_number, User.display_name, Enrollment)
        .join(Person, Person.id == RefundRequest.person_id)
        .join(User, User.id == RefundRequest.submitted_by)
        .join(Enrollment, Enrollment.id == RefundRequest.enrollment_id)
        .where(RefundRequest.state == RefundState.PENDING)
        .order_by(RefundRequest.submitted_at, RefundRequest.id)
    )
    return [
        PendingRefund(
            id=request.id,
            person_id=request.person_id,
            person_name=name,
            masked_id_number=mask_identity_number(number),
            reason_label=request.reason.label,
            benefit_start=enrollment.benefit_start or enrollment.start_date,
            submitted_by_name=submitter,
            submitted_at=request.submitted_at,
            own=request.submitted_by == actor.user_id,
        )
        for request, name, number, submitter, enrollment in rows
    ]


def refund_receipt(session: Session, txn: TransactionRef) -> RefundReceipt:
    """The receipt of a refund request or review transaction, from the store."""
    request = session.scalar(
        select(RefundRequest).where(
            (RefundRequest.transaction_id == txn.id)
            | (RefundRequest.review_transaction_id == txn.id)
        )
    )
    if request is None:
        raise NotFound(f"业务 {txn.serial} 的退费申请不存在")
    person = session.get_one(Person, request.person_id)
    enrollment = session.get_one(Enrollment, request.enrollment_id)
    reviewer = session.get(User, request.reviewed_by) if request.reviewed_by else None
    review = txn.id == request.review_transaction_id
    category = enrollment.category.label if enrollment.category else enrollment.insurance_type.label
    return RefundReceipt(
        transaction=transaction_info(txn),
        request_id=request.id,
        person_name=person.name,
        id_number=person.id_number,
        category_label=category,
        benefit_start=enrollment.benefit_start or enrollment.start_date,
        reason=request.reason,
        reason_label=request.reason.label,
        note=request.note,
        materials=tuple(request.materials),
        missing_materials=tuple(m for m in request.reason.materials if m not in request.materials),
        # The request's receipt shows the state it was filed in, the review's the verdict.
        state=request.state if review else RefundState.PENDING,
        state_label=(request.state if review else RefundState.PENDING).label,
        submitted_at=request.submitted_at,
        reviewer_name=reviewer.display_name if review and reviewer else None,
        reviewed_at=request.reviewed_at if review else None,
        review_comment=request.review_comment if review else None,
    )
