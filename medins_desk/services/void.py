"""作废 void: a same-day transaction of this hall, voided by a supervisor with a reason.

A void keeps the original 业务流水 row, marks it void with who, when and why, and undoes the act's
business effect through one table, ``_UNDO``, that maps each business kind to a small undo
function; kinds absent from it are undone by their own reverse business, never by a void.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from medins_desk.domain.benefits import RefundState
from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.card import (
    CardEvent,
    CardState,
    next_card_state,
    required_old_card_state,
)
from medins_desk.domain.correction import (
    CorrectionAction,
    CorrectionClass,
    CorrectionField,
    CorrectionState,
    next_correction_state,
)
from medins_desk.domain.enrollment import EnrollmentStatus
from medins_desk.domain.identity import mask_identity_number
from medins_desk.domain.inheritance import InheritanceState
from medins_desk.domain.medical_filing import FilingState
from medins_desk.domain.roles import Permission
from medins_desk.errors import BusinessRuleError, ValidationError
from medins_desk.services.audit import append_audit
from medins_desk.services.cards import set_card_state
from medins_desk.services.context import Actor, service
from medins_desk.services.correction import PERSON_COLUMNS as CORRECTION_COLUMNS
from medins_desk.services.correction import current_field_value as correction_field_value
from medins_desk.services.retirement import remove_deemed_months
from medins_desk.services.transactions import (
    TransactionInfo,
    ensure_day_open,
    transaction_by_serial,
    transaction_info,
)
from medins_desk.store.models import (
    AccountInheritance,
    BankDebitAccount,
    Card,
    CardApplication,
    CorrectionRequest,
    Enrollment,
    EnrollmentFiling,
    LossReport,
    MedicalFiling,
    Person,
    RefundRequest,
    RetirementCase,
    Transaction,
    User,
)

MAX_VOID_REASON_LENGTH = 200


@dataclass(frozen=True)
class VoidReceipt:
    """What the supervisor sees (and may print) after a void."""

    transaction: TransactionInfo
    person_name: str | None
    voided_by_name: str
    voided_at: datetime
    reason: str
    undone: str  # the business effect that was undone, in Chinese


@dataclass(frozen=True)
class _Undone:
    description: str
    details: Mapping[str, Any] = field(default_factory=dict)


def ensure_voidable(session: Session, actor: Actor, txn: Transaction) -> None:
    """The rules a void is checked against before anything is undone (the undo of some kinds
    checks more); a BusinessRuleError in Chinese names the first one broken."""
    if txn.hall_code != actor.counter.hall_code:
        raise BusinessRuleError(f"业务 {txn.serial} 不是本大厅办理的，不能作废")
    if txn.status is TransactionStatus.VOID:
        voider = session.get(User, txn.voided_by) if txn.voided_by else None
        raise BusinessRuleError(
            f"业务 {txn.serial} 已于 {txn.voided_at:%Y-%m-%d %H:%M} 由"
            f"{voider.display_name if voider else '他人'}作废，不能重复作废"
        )
    if txn.business_day != actor.today():
        raise BusinessRuleError(
            f"只能作废当日业务：业务 {txn.serial} 办理于 {txn.business_day:%Y-%m-%d}；"
            "以后的更正请办理新的业务"
        )
    ensure_day_open(session, txn.hall_code, txn.business_day)
    if txn.kind not in _UNDO:
        raise BusinessRuleError(f"「{txn.kind.label}」此类业务不能作废，请办理相应的撤销业务")


def _check_void_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ValidationError("reason", "作废原因不能为空")
    if len(text) > MAX_VOID_REASON_LENGTH:
        raise ValidationError(
            "reason", f"作废原因不能超过 {MAX_VOID_REASON_LENGTH} 字（现为 {len(text)} 字）"
        )
    return text


@service(Permission.VOID)
def void_transaction(session: Session, actor: Actor, *, serial: str, reason: str) -> VoidReceipt:
    """作废: a same-day transaction of this hall, by a supervisor, with a reason."""
    why = _check_void_reason(reason)
    txn = transaction_by_serial(session, serial, lock=True)
    ensure_voidable(session, actor, txn)
    undo = _UNDO[txn.kind]
    person_name = txn.person.name if txn.person is not None else None
    undone = undo(session, actor, txn)
    now = actor.now()
    txn.status = TransactionStatus.VOID
    txn.voided_by = actor.user_id
    txn.voided_at = now
    txn.void_reason = why
    session.flush()
    append_audit(
        session,
        at=now,
        user_id=actor.user_id,
        username=actor.username,
        action="void",
        entity="transaction",
        entity_id=txn.serial,
        details={
            "kind": txn.kind.value,
            "reason": why,
            "undone": undone.description,
            **undone.details,
        },
    )
    return VoidReceipt(
        transaction=transaction_info(txn),
        person_name=person_name,
        voided_by_name=actor.display_name,
        voided_at=now,
        reason=why,
        undone=undone.description,
    )


# Undoing the business effect, one small function per business kind.

_CARD_KINDS = frozenset(
    {
        BusinessKind.CARD_APPLICATION,
        BusinessKind.CARD_HANDOVER,
        BusinessKind.LOSS_TEMPORARY,
        BusinessKind.LOSS_FORMAL,
        BusinessKind.LOSS_UNFREEZE,
        BusinessKind.INHERITANCE_REQUEST,  # the death cancels the card
    }
)
_CARD_CHANGED = "该卡此后已有其他业务，不能作废此笔"

_Record = TypeVar("_Record", CardApplication, LossReport, MedicalFiling, RetirementCase)


def _record_of(session: Session, model: type[_Record], txn: Transaction) -> _Record:
    record = session.scalar(select(model).where(model.transaction_id == txn.id))
    if record is None:
        raise BusinessRuleError(f"未找到业务 {txn.serial} 的办理记录，不能作废")
    return record


def _later_business(session: Session, txn: Transaction, kinds: Iterable[BusinessKind]) -> bool:
    """Whether the same person has a normal transaction of ``kinds`` after ``txn``."""
    query = select(Transaction.id).where(
        Transaction.person_id == txn.person_id,
        Transaction.id > txn.id,
        Transaction.status == TransactionStatus.NORMAL,
        Transaction.kind.in_(list(kinds)),
    )
    return session.scalar(query.limit(1)) is not None


def _restore_card_state(
    card: Card, state: CardState, now: datetime, temp_loss_expires_at: datetime | None = None
) -> None:
    # Going back is no transition of the lifecycle table: the state is set as it was.
    card.state = state
    card.state_changed_at = now
    card.temp_loss_expires_at = temp_loss_expires_at


def _undo_registration(session: Session, actor: Actor, txn: Transaction) -> _Undone:
    """参保登记: the person is removed again, while nothing else refers to them. The person's
    data goes into the void's audit entry, so the record of who was registered survives."""
    person = session.get(Person, txn.person_id) if txn.person_id is not None else None
    if person is None:
        raise BusinessRuleError(f"未找到业务 {txn.serial} 登记的参保人，不能作废")
    other_business = select(Transaction.id).where(
        Transaction.person_id == person.id, Transaction.id != txn.id
    )
    cards = select(Card.id).where(Card.person_id == person.id)
    if session.scalar(other_business.limit(1)) or session.scalar(cards.limit(1)):
        raise BusinessRuleError(
            f"参保人 {person.name} 登记后已办理其他业务（含已作废的业务），不能作废登记"
        )
    wards = select(Person.name).where(Person.guardian_id == person.id)
    ward = session.scalar(wards.limit(1))
    if ward is not None:
        raise BusinessRuleError(f"参保人 {person.name} 已登记为 {ward} 的监护人，不能作废登记")
    details = {
        "person": {
            "id": person.id,
            "id_number": person.id_number,
            "name": person.name,
            "sex": person.sex,
            "birth_date": person.birth_date,
        }
    }
    description = f"已撤销参保人 {person.name}（{mask_identity_number(person.id_number)}）的登记"
    txn.person_id = None
    session.flush()
    for model in (EnrollmentFiling, Enrollment, BankDebitAccount):
        session.execute(delete(model).where(model.person_id == person.id))
    session.execute(delete(Person).where(Person.id == person.id))
    return _Undone(description, details)


_LOSS_EVENTS: Mapping[BusinessKind, CardEvent] = MappingProxyType(
    {
        BusinessKind.LOSS_TEMPORARY: CardEvent.REPORT_TEMPORARY_LOSS,
        BusinessKind.LOSS_FORMAL: CardEvent.REPORT_FORMAL_LOSS,
        BusinessKind.LOSS_UNFREEZE: CardEvent.UNFREEZE,
    }
)


def _card_state_before(session: Session, report: LossReport) -> tuple[CardState, datetime | None]:
    """The card's state before ``report``, from the card's previous loss act still in force:
    none or an unfreeze -> 正常; a formal report -> 正式挂失; a temporary report -> 临时挂失
    while it had not yet expired."""
    previous = session.execute(
        select(Transaction.kind, LossReport.expires_at)
        .join(Transaction, Transaction.id == LossReport.transaction_id)
        .where(
            LossReport.card_id == report.card_id,
            LossReport.id < report.id,
            Transaction.status == TransactionStatus.NORMAL,
        )
        .order_by(LossReport.id.desc())
        .limit(1)
    ).first()
    if previous is None:
        return CardState.ACTIVE, None
    kind, expires_at = previous
    if kind is BusinessKind.LOSS_FORMAL:
        return CardState.FORMAL_LOST, None
    if kind is BusinessKind.LOSS_TEMPORARY and expires_at and expires_at > report.reported_at:
        return CardState.TEMP_LOST, expires_at
    return CardState.ACTIVE, None


def _undo_loss_act(session: Session, actor: Actor, txn: Transaction) -> _Undone:
    """临时挂失/正式挂失/解挂: the card goes back to its previous state if untouched since."""
    report = _record_of(session, LossReport, txn)
    card = session.get_one(Card, report.card_id)
    before, expires_at = _card_state_before(session, report)
    after = next_card_state(before, _LOSS_EVENTS[txn.kind], formal_loss_reversible=True)
    if card.state != after or _later_business(session, txn, _CARD_KINDS):
        raise BusinessRuleError(_CARD_CHANGED)
    _restore_card_state(card, before, actor.now(), expires_at)
    return _Undone(
        f"社会保障卡 {card.card_number or ''} 恢复为「{before.label}」",
        {"card_id": card.id, "card_state": before.value},
    )


def _undo_card_application(session: Session, actor: Actor, txn: Transaction) -> _Undone:
    """申领/补领/换领: the new card is cancelled while still only accepted, and a card it
    superseded gets back the state the application required of it."""
    application = _record_of(session, CardApplication, txn)
    card = session.get_one(Card, application.card_id)
    if _later_business(session, txn, _CARD_KINDS):
        raise BusinessRuleError(_CARD_CHANGED)
    if card.state != CardState.ACCEPTED:
        raise BusinessRuleError(
            f"新卡已是「{card.state.label}」状态（已制卡或已交付），不能作废此笔申领"
        )
    now = actor.now()
    set_card_state(card, CardEvent.CANCEL, now)
    description = f"新卡申领已注销（{application.kind.label}）"
    old_state = required_old_card_state(application.kind)
    old = session.get(Card, application.old_card_id) if application.old_card_id else None
    if old is not None and old_state is not None and old.state == CardState.CANCELLED:
        _restore_card_state(old, old_state, now)
        description += f"，原卡 {old.card_number or ''} 恢复为「{old_state.label}」"
    return _Undone(description, {"card_id": card.id, "old_card_id": application.old_card_id})


def _undo_correction(session: Session, actor: Actor, txn: Transaction) -> _Undone:
    """变更/更正: each request of the submission is undone. One awaiting review is cancelled; an
    applied contact change gets its before values back while the fields still hold what it
    wrote. A bank account change is kept as a description only, so it is changed anew instead."""
    requests = list(
        session.scalars(
            select(CorrectionRequest)
            .where(CorrectionRequest.transaction_id == txn.id)
            .order_by(CorrectionRequest.id)
        )
    )
    if not requests:
        raise BusinessRuleError(f"未找到业务 {txn.serial} 的办理记录，不能作废")
    person = session.get_one(Person, txn.person_id)
    now = actor.now()
    undone = []
    for request in requests:
        if request.state == CorrectionState.PENDING:
            request.state = next_correction_state(
                request.state, CorrectionAction.CANCEL, correction_class=request.correction_class
            )
            request.reviewed_by, request.reviewed_at = actor.user_id, now
            undone.append("待复核的更正申请已撤销")
            continue
        if not (
            request.state == CorrectionState.APPLIED
            and request.correction_class == CorrectionClass.IMMEDIATE
        ):
            raise BusinessRuleError(
                f"更正申请已是「{request.state.label}」状态，不能作废；请办理新的更正"
            )
        for change in request.changes:
            if change.field is CorrectionField.BANK_ACCOUNT:
                raise BusinessRuleError("银行扣款账户的变更不能作废，请办理新的变更")
            if correction_field_value(person, change.field) != change.after_value:
                raise BusinessRuleError(
                    f"「{change.field.label}」此后已再次变更，不能作废此笔；请办理新的变更"
                )
        for change in request.changes:  # contact fields only: stored as the plain text
            setattr(person, CORRECTION_COLUMNS[change.field], change.before_value)
        person.updated_at = now
        undone.append("已恢复变更前的" + "、".join(c.field.label for c in request.changes))
    return _Undone("；".join(undone), {"correction_ids": [r.id for r in requests]})


def _undo_enrollment(session: Session, actor: Actor, txn: Transaction) -> _Undone:
    """险种参保登记: the enrollment is removed while nothing was done on it since, and an
    employee enrollment it closed (续保) is suspended again as it was."""
    filing = session.scalar(
        select(EnrollmentFiling).where(EnrollmentFiling.transaction_id == txn.id)
    )
    if filing is None:
        raise BusinessRuleError(f"未找到业务 {txn.serial} 的参保登记记录，不能作废")
    if _later_business(session, txn, _ENROLLMENT_KINDS):
        raise BusinessRuleError("该参保记录此后已办理其他参保业务，不能作废此笔")
    if filing.closed_enrollment_id is not None:
        closed = session.get_one(Enrollment, filing.closed_enrollment_id)
        closed.status = EnrollmentStatus.SUSPENDED
        closed.end_reason = None
        closed.updated_at = actor.now()
    session.delete(filing)
    session.flush()
    session.execute(delete(Enrollment).where(Enrollment.id == filing.enrollment_id))
    return _Undone(
        f"已撤销「{filing.category.label}」参保登记",
        {"enrollment_id": filing.enrollment_id, "category": filing.category.value},
    )


def _undo_refund_request(session: Session, actor: Actor, txn: Transaction) -> _Undone:
    """退费申请: withdrawn while it still waits for review."""
    request = session.scalar(select(RefundRequest).where(RefundRequest.transaction_id == txn.id))
    if request is None:
        raise BusinessRuleError(f"未找到业务 {txn.serial} 的退费申请，不能作废")
    if request.state is not RefundState.PENDING:
        raise BusinessRuleError(f"退费申请已{request.state.label}，不能作废")
    session.delete(request)
    return _Undone("待复核的退费申请已撤销", {"refund_request_id": request.id})


_FILING_KINDS = frozenset(
    {
        BusinessKind.MEDICAL_FILING,
        BusinessKind.MEDICAL_FILING_CHANGE,
        BusinessKind.MEDICAL_FILING_CANCEL,
    }
)
_FILING_CHANGED = "该参保人此后已办理其他异地就医备案业务，不能作废此笔"


def _reopen_filing(filing: MedicalFiling) -> None:
    # Only an active filing with no end is changed or cancelled: reopening restores it exactly.
    filing.state = FilingState.ACTIVE
    filing.last_day = None
    filing.end_reason = None
    filing.ended_transaction_id = None


def _undo_medical_filing(session: Session, actor: Actor, txn: Transaction) -> _Undone:
    """异地就医备案 and 备案变更: the filing the act made is removed while nothing was done on it
    since; a change's old filing runs on again as it did."""
    if _later_business(session, txn, _FILING_KINDS):
        raise BusinessRuleError(_FILING_CHANGED)
    filing = _record_of(session, MedicalFiling, txn)
    replaced = session.get(MedicalFiling, filing.replaces_id) if filing.replaces_id else None
    if replaced is not None:
        _reopen_filing(replaced)
    session.delete(filing)
    session.flush()
    undone = f"已撤销「{filing.kind.label}」{filing.destination_name}的备案"
    if replaced is not None:
        undone += f"，原备案（{replaced.destination_name}）恢复有效"
    return _Undone(
        undone,
        {"filing_id": filing.id, "reopened_filing_id": replaced.id if replaced else None},
    )


def _undo_filing_cancel(session: Session, actor: Actor, txn: Transaction) -> _Undone:
    """取消异地就医备案: the filing runs on as before, while no filing business came since."""
    if _later_business(session, txn, _FILING_KINDS):
        raise BusinessRuleError(_FILING_CHANGED)
    filing = session.scalar(
        select(MedicalFiling).where(MedicalFiling.ended_transaction_id == txn.id)
    )
    if filing is None:
        raise BusinessRuleError(f"未找到业务 {txn.serial} 取消的异地就医备案，不能作废")
    _reopen_filing(filing)
    return _Undone(f"{filing.destination_name}的异地就医备案恢复有效", {"filing_id": filing.id})


def _inheritance_of(session: Session, txn: Transaction, *, review: bool) -> AccountInheritance:
    column = (
        AccountInheritance.review_transaction_id if review else AccountInheritance.transaction_id
    )
    request = session.scalar(select(AccountInheritance).where(column == txn.id))
    if request is None:
        raise BusinessRuleError(f"未找到业务 {txn.serial} 的个人账户余额继承申请，不能作废")
    return request


def _undo_inheritance_request(session: Session, actor: Actor, txn: Transaction) -> _Undone:
    """个人账户余额继承申请: withdrawn while it waits for review; the death it recorded is taken
    back, the enrollment and the card as they were (nothing can be done for a person recorded
    dead, so nothing was done on them since)."""
    request = _inheritance_of(session, txn, review=False)
    if request.state is not InheritanceState.PENDING:
        raise BusinessRuleError(
            f"个人账户余额继承申请已{request.state.label}，不能作废；须先作废当日的复核"
        )
    now = actor.now()
    description = "待复核的个人账户余额继承申请已撤销"
    if request.ended_enrollment_id is not None and request.enrollment_status_before is not None:
        enrollment = session.get_one(Enrollment, request.ended_enrollment_id)
        enrollment.status = request.enrollment_status_before
        enrollment.end_date = request.enrollment_end_before
        enrollment.end_reason = None
        enrollment.updated_at = now
        description += f"，参保状态恢复为「{enrollment.status.label}」"
    if request.cancelled_card_id is not None and request.card_state_before is not None:
        card = session.get_one(Card, request.cancelled_card_id)
        _restore_card_state(card, request.card_state_before, now, request.card_loss_expires_before)
        description += f"，社会保障卡 {card.card_number or ''} 恢复为「{card.state.label}」"
    session.delete(request)
    return _Undone(description, {"inheritance_id": request.id, "death_date": request.death_date})


def _undo_inheritance_review(session: Session, actor: Actor, txn: Transaction) -> _Undone:
    """个人账户继承复核: the decision is taken back the same day, before the day's payment
    instructions leave the hall (日结); the request waits for review again."""
    request = _inheritance_of(session, txn, review=True)
    later = select(AccountInheritance.id).where(
        AccountInheritance.person_id == request.person_id, AccountInheritance.id > request.id
    )
    if session.scalar(later.limit(1)) is not None:
        raise BusinessRuleError("该死亡参保人此后已有新的继承申请，不能作废此笔复核")
    verdict = request.state.label
    request.state = InheritanceState.PENDING
    request.reviewed_by = None
    request.reviewed_at = None
    request.review_comment = None
    request.review_transaction_id = None
    return _Undone(
        f"个人账户继承复核（{verdict}）已撤销，申请恢复为待复核", {"inheritance_id": request.id}
    )


def _undo_certificate(session: Session, actor: Actor, txn: Transaction) -> _Undone:
    """参保（缴费）证明: nothing to undo in the store; the void itself is the point, since the
    paper's QR then verifies as 已作废 (a bank or employer is told it no longer holds)."""
    return _Undone("证明已作废，其二维码核验时显示「已作废」")


def _undo_retirement(session: Session, actor: Actor, txn: Transaction) -> _Undone:
    """在职转退休 (or 延迟退休登记): the person is no longer a retiree by this act, and the
    视同缴费 months it confirmed leave the record; the case stays, its receipt kept as issued
    (its QR then verifies as 已作废). Refused once a later retirement act rests on it."""
    if _later_business(session, txn, (BusinessKind.RETIREMENT,)):
        raise BusinessRuleError("该参保人此后已再次办理在职转退休，不能作废此笔")
    case = _record_of(session, RetirementCase, txn)
    removed = remove_deemed_months(session, case)
    undone = f"已撤销「{case.outcome.label}」"
    if removed:
        undone += f"，确认的视同缴费 {removed} 个月已撤回"
    return _Undone(undone, {"retirement_case_id": case.id, "deemed_months_removed": removed})


_ENROLLMENT_KINDS = frozenset(
    {
        BusinessKind.ENROLLMENT,
        BusinessKind.ENROLLMENT_CHANGE,
        BusinessKind.REFUND_REQUEST,
        BusinessKind.TRANSFER_OUT,
        *_FILING_KINDS,  # a filing rests on the enrollment
        BusinessKind.INHERITANCE_REQUEST,  # the death ends the enrollment
    }
)


def _undo_notice(session: Session, actor: Actor, txn: Transaction) -> _Undone:
    """办理进度告知单: a notice changes nothing; voiding it only marks the paper void."""
    return _Undone("告知单作废，无业务数据需恢复")


UndoFn = Callable[[Session, Actor, Transaction], _Undone]
# Kinds absent here (领卡, 复核, 参保状态变更, 转移接续, 退费复核) have their own reverse business;
# a card rewrite (改写) stays on the chip, and a wrong one is rewritten again.
_UNDO: Mapping[BusinessKind, UndoFn] = MappingProxyType(
    {
        BusinessKind.PERSON_REGISTRATION: _undo_registration,
        BusinessKind.CARD_APPLICATION: _undo_card_application,
        BusinessKind.LOSS_TEMPORARY: _undo_loss_act,
        BusinessKind.LOSS_FORMAL: _undo_loss_act,
        BusinessKind.LOSS_UNFREEZE: _undo_loss_act,
        BusinessKind.CORRECTION: _undo_correction,
        BusinessKind.ENROLLMENT: _undo_enrollment,
        BusinessKind.REFUND_REQUEST: _undo_refund_request,
        BusinessKind.PROGRESS_NOTICE: _undo_notice,
        BusinessKind.MEDICAL_FILING: _undo_medical_filing,
        BusinessKind.MEDICAL_FILING_CHANGE: _undo_medical_filing,
        BusinessKind.MEDICAL_FILING_CANCEL: _undo_filing_cancel,
        BusinessKind.INHERITANCE_REQUEST: _undo_inheritance_request,
        BusinessKind.INHERITANCE_REVIEW: _undo_inheritance_review,
        BusinessKind.CERTIFICATE: _undo_certificate,
        BusinessKind.RETIREMENT: _undo_retirement,
    }
)
