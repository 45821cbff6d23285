"""作废, 日结 and the daily ledger (台账): voiding same-day transactions, closing the day, export.

A void keeps the original 业务流水 row, marks it void with who, when and why, and undoes the act's
business effect through one table, ``_UNDO``, that maps each business kind to a small undo
function; kinds absent from it are undone by their own reverse business, never by a void.

The ledger export streams plain column tuples (no ORM object per row) and writes into a
temporary file beside the target that is renamed into place, so a failed export leaves no half
file. In the CSV, the serial and a full identity number start with a tab: Excel would otherwise
read these long digit strings as numbers and replace their last digits with zeros.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO, TypeVar

from sqlalchemy import ColumnElement, bindparam, delete, func, select
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
from medins_desk.domain.money import format_yuan
from medins_desk.domain.roles import Permission
from medins_desk.errors import (
    SHOWN_TO_USER,
    BusinessRuleError,
    NotFound,
    StorageError,
    UserCancelled,
    UserFacingError,
    ValidationError,
)
from medins_desk.services.audit import append_audit
from medins_desk.services.cards import set_card_state
from medins_desk.services.conflicts import hold_business_day
from medins_desk.services.context import Actor, service
from medins_desk.services.correction import PERSON_COLUMNS as CORRECTION_COLUMNS
from medins_desk.services.correction import current_field_value as correction_field_value
from medins_desk.services.retirement import remove_deemed_months
from medins_desk.services.transactions import TransactionInfo, ensure_day_open, transaction_info
from medins_desk.store.backup.folder import BackupFolder
from medins_desk.store.models import (
    AccountInheritance,
    BankDebitAccount,
    Card,
    CardApplication,
    CorrectionRequest,
    DayClose,
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

log = logging.getLogger(__name__)

MAX_VOID_REASON_LENGTH = 200
EXPORT_FORMATS = ("csv", "xlsx", "pdf")
PROGRESS_EVERY = 1000  # lines between two progress reports of an export
_STREAM_BATCH = 5000


# ---------------------------------------------------------------------------------------------
# 作废 void


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


_BY_SERIAL = select(Transaction).where(Transaction.serial == bindparam("serial"))
_BY_SERIAL_LOCKED = _BY_SERIAL.with_for_update().execution_options(populate_existing=True)


def _transaction_by_serial(session: Session, serial: str, *, lock: bool = False) -> Transaction:
    text = serial.strip()
    txn = session.scalar(_BY_SERIAL_LOCKED if lock else _BY_SERIAL, {"serial": text})
    if txn is None:
        raise NotFound(f"未找到业务流水号为「{text[:40]}」的业务")
    return txn


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
    txn = _transaction_by_serial(session, serial, lock=True)
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


@service(Permission.LOOK_UP)
def find_transaction(session: Session, actor: Actor, *, serial: str) -> TransactionInfo:
    """查询业务流水 by serial (reprints, checking a voucher brought from another counter)."""
    return transaction_info(_transaction_by_serial(session, serial))


# ---------------------------------------------------------------------------------------------
# 日结 day close


@dataclass(frozen=True)
class DayBackup:
    """The backup the day close wrote (日结备份): ``file``, or why it failed (``failure``, in
    Chinese: the day stays closed all the same)."""

    file: Path | None
    failure: str = ""
    removed: tuple[Path, ...] = ()  # old backups rotated away


@dataclass(frozen=True)
class DayCloseReceipt:
    hall_code: str
    business_day: date
    closed_by_name: str
    closed_at: datetime
    transaction_count: int  # normal transactions; voided ones are not counted
    fee_total_fen: int
    void_count: int
    backup: DayBackup | None = None  # None: no backup folder is set


def _day_rows(hall_code: str, day: date) -> tuple[ColumnElement[bool], ...]:
    return (Transaction.hall_code == hall_code, Transaction.business_day == day)


def close_day_and_back_up(
    session: Session, actor: Actor, *, day: date, backups: BackupFolder | None
) -> DayCloseReceipt:
    """日结 (:func:`close_day`), then, the close committed, 日结备份: a backup of the store into
    ``backups`` (None: the settings want none). A failed backup does not undo the close: the
    receipt says what failed."""
    receipt = close_day(session, actor, day=day)
    if backups is None:
        return receipt
    bind = session.get_bind()
    url = bind.engine.url.render_as_string(hide_password=False)
    try:
        backup, removed = backups.write(url, now=receipt.closed_at)
    except UserFacingError as error:
        log.warning("日结后备份失败：%s", error.message, exc_info=error, extra=SHOWN_TO_USER)
        outcome = DayBackup(None, error.message)
    except Exception as error:  # a bug must not hide that the day is closed
        log.error("日结后备份时发生意外错误", exc_info=error)
        outcome = DayBackup(None, f"发生意外错误（{type(error).__name__}），详情见日志")
    else:
        outcome = DayBackup(backup.file, removed=removed)
    return dataclasses.replace(receipt, backup=outcome)


@service(Permission.CLOSE_DAY)
def close_day(session: Session, actor: Actor, *, day: date) -> DayCloseReceipt:
    """日结: the hall's day becomes read-only and its ledger final."""
    hall = actor.counter.hall_code
    if day > actor.today():
        raise ValidationError("day", f"不能日结未来的日期 {day:%Y-%m-%d}")
    # Acts and voids under way at other counters finish first and are counted; later ones wait
    # for the close and are then refused.
    hold_business_day(session, hall, day, closing=True)
    closed = _day_close(session, hall, day)
    if closed is not None:
        close, name = closed
        raise BusinessRuleError(
            f"{day:%Y-%m-%d} 已由{name}于 {close.closed_at:%Y-%m-%d %H:%M} 日结，不能重复日结"
        )
    counts: dict[TransactionStatus, int] = {
        status: count
        for status, count in session.execute(
            select(Transaction.status, func.count(Transaction.id))
            .where(*_day_rows(hall, day))
            .group_by(Transaction.status)
        )
    }
    fee_total = session.scalar(
        select(func.coalesce(func.sum(Transaction.fee_fen), 0)).where(
            *_day_rows(hall, day), Transaction.status == TransactionStatus.NORMAL
        )
    )
    now = actor.now()
    close = DayClose(
        hall_code=hall,
        business_day=day,
        closed_by=actor.user_id,
        closed_at=now,
        transaction_count=counts.get(TransactionStatus.NORMAL, 0),
        fee_total_fen=int(fee_total or 0),
    )
    session.add(close)
    session.flush()
    void_count = counts.get(TransactionStatus.VOID, 0)
    append_audit(
        session,
        at=now,
        user_id=actor.user_id,
        username=actor.username,
        action="day_close",
        entity="day_close",
        entity_id=f"{hall}-{day:%Y%m%d}",
        details={
            "day": day,
            "transaction_count": close.transaction_count,
            "fee_total_fen": close.fee_total_fen,
            "void_count": void_count,
        },
    )
    return DayCloseReceipt(
        hall, day, actor.display_name, now, close.transaction_count, close.fee_total_fen, void_count
    )


def _day_close(session: Session, hall: str, day: date) -> tuple[DayClose, str] | None:
    row = session.execute(
        select(DayClose, User.display_name)
        .join(User, User.id == DayClose.closed_by)
        .where(DayClose.hall_code == hall, DayClose.business_day == day)
    ).first()
    return (row[0], row[1]) if row is not None else None


# ---------------------------------------------------------------------------------------------
# 台账 the daily ledger


@dataclass(frozen=True)
class LedgerRow:
    serial: str
    created_at: datetime
    kind: BusinessKind
    person_name: str | None
    id_number: str | None  # masked unless the ledger was asked for full numbers
    counter_no: str
    clerk_username: str
    clerk_name: str
    fee_fen: int
    status: TransactionStatus
    void_reason: str | None
    summary: str

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class LedgerTotal:
    """Count and fee of the normal transactions in one group (voided ones excluded)."""

    key: str
    label: str
    count: int
    fee_fen: int


@dataclass(frozen=True)
class Ledger:
    hall_code: str
    business_day: date
    full_ids: bool
    rows: tuple[LedgerRow, ...]
    by_kind: tuple[LedgerTotal, ...]
    by_clerk: tuple[LedgerTotal, ...]
    by_counter: tuple[LedgerTotal, ...]
    total: LedgerTotal
    void_count: int
    closed: bool
    closed_by_name: str | None
    closed_at: datetime | None


# One ledger line as plain values, in LedgerRow's field order.
_Line = tuple[
    str, datetime, BusinessKind, str | None, str | None, str, str, str, int,
    TransactionStatus, str | None, str,
]  # fmt: skip


class _Totals:
    """Sums per business kind, clerk and counter, built while the lines stream past."""

    def __init__(self) -> None:
        self.kinds: dict[BusinessKind, list[int]] = {}
        self.clerks: dict[str, list[Any]] = {}
        self.counters: dict[str, list[int]] = {}
        self.count = 0
        self.fee = 0
        self.voided = 0
        self.lines = 0

    def add(self, line: _Line) -> None:
        self.lines += 1
        _, _, kind, _, _, counter, username, clerk_name, fee, status, _, _ = line
        if status is TransactionStatus.VOID:
            self.voided += 1
            return
        self.count += 1
        self.fee += fee
        for group in (
            self.kinds.setdefault(kind, [0, 0]),
            self.clerks.setdefault(username, [0, 0, clerk_name]),
            self.counters.setdefault(counter, [0, 0]),
        ):
            group[0] += 1
            group[1] += fee

    def by_kind(self) -> tuple[LedgerTotal, ...]:
        return tuple(
            LedgerTotal(kind.value, kind.label, *self.kinds[kind])
            for kind in BusinessKind
            if kind in self.kinds
        )

    def by_clerk(self) -> tuple[LedgerTotal, ...]:
        ordered = sorted(self.clerks.items(), key=lambda item: (item[1][2], item[0]))
        return tuple(LedgerTotal(user, name, count, fee) for user, (count, fee, name) in ordered)

    def by_counter(self) -> tuple[LedgerTotal, ...]:
        return tuple(
            LedgerTotal(no, f"{no} 号窗口", count, fee)
            for no, (count, fee) in sorted(self.counters.items())
        )

    def total(self) -> LedgerTotal:
        return LedgerTotal("total", "合计", self.count, self.fee)

    def sections(self) -> list[tuple[str, tuple[LedgerTotal, ...]]]:
        return [
            ("业务类型", self.by_kind()),
            ("经办人", self.by_clerk()),
            ("窗口", self.by_counter()),
        ]


def _ledger_lines(session: Session, hall: str, day: date, full_ids: bool) -> Iterator[_Line]:
    """The day's lines in serial order, streamed in batches as plain column values (an export
    of 100,000 lines must not build an ORM object per line)."""
    query = (
        select(
            Transaction.serial,
            Transaction.created_at,
            Transaction.kind,
            Person.name,
            Person.id_number,
            Transaction.counter_no,
            User.username,
            User.display_name,
            Transaction.fee_fen,
            Transaction.status,
            Transaction.void_reason,
            Transaction.summary,
        )
        .join(User, User.id == Transaction.clerk_id)
        .outerjoin(Person, Person.id == Transaction.person_id)
        .where(*_day_rows(hall, day))
        .order_by(Transaction.serial)
        .execution_options(yield_per=_STREAM_BATCH)
    )
    mask = mask_identity_number
    for serial, at, kind, name, number, *rest in session.connection().execute(query):
        shown = number if full_ids or number is None else mask(number)
        yield (serial, at, kind, name, shown, *rest)


def _audit_ledger(session: Session, actor: Actor, action: str, day: date, **details: Any) -> None:
    append_audit(
        session,
        at=actor.now(),
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        entity="ledger",
        entity_id=f"{actor.counter.hall_code}-{day:%Y%m%d}",
        details={"day": day, **details},
    )


@service(Permission.EXPORT_LEDGER)
def daily_ledger(session: Session, actor: Actor, *, day: date, full_ids: bool = False) -> Ledger:
    """当日台账 of the hall: every transaction in serial order with totals."""
    hall = actor.counter.hall_code
    lines = _ledger_lines(session, hall, day, full_ids)
    ledger = _ledger(hall, day, full_ids, lines, _Totals(), _day_close(session, hall, day))
    if full_ids:
        _audit_ledger(session, actor, "ledger_full_ids", day, rows=len(ledger.rows))
    return ledger


def _ledger(
    hall: str,
    day: date,
    full_ids: bool,
    lines: Iterable[_Line],
    totals: _Totals,
    closed: tuple[DayClose, str] | None,
) -> Ledger:
    rows = []
    for line in lines:
        totals.add(line)
        rows.append(LedgerRow(*line))
    return Ledger(
        hall_code=hall,
        business_day=day,
        full_ids=full_ids,
        rows=tuple(rows),
        by_kind=totals.by_kind(),
        by_clerk=totals.by_clerk(),
        by_counter=totals.by_counter(),
        total=totals.total(),
        void_count=totals.voided,
        closed=closed is not None,
        closed_by_name=closed[1] if closed else None,
        closed_at=closed[0].closed_at if closed else None,
    )


# ---------------------------------------------------------------------------------------------
# Export: CSV and XLSX


@dataclass(frozen=True)
class LedgerExport:
    business_day: date
    fmt: str
    path: Path
    row_count: int
    full_ids: bool

    def describe(self) -> str:
        return f"已导出 {self.business_day:%Y-%m-%d} 台账 {self.row_count} 笔到 {self.path}"


LEDGER_HEADER = (
    "业务流水号",
    "办理时间",
    "业务类型",
    "姓名",
    "社会保障号码",
    "窗口",
    "经办人",
    "金额（元）",
    "状态",
    "作废原因",
    "摘要",
)
_TOTALS_HEADER = ("笔数", "金额（元）")
# Labels looked up per line without calling a property each time.
_KIND_LABELS = {kind: kind.label for kind in BusinessKind}
_STATUS_LABELS = {status: status.label for status in TransactionStatus}


def _closed_text(closed: tuple[DayClose, str] | None) -> str:
    if closed is None:
        return "未日结"
    return f"已日结（{closed[1]}，{closed[0].closed_at:%Y-%m-%d %H:%M}）"


_FORMULA_START = ("=", "+", "-", "@")


def _csv_text(value: str | None) -> str:
    """Free text as a CSV cell Excel will not run as a formula."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _write_csv(
    stream: TextIO, lines: Iterator[_Line], totals: _Totals, closed_text: str, full_ids: bool
) -> None:
    writer = csv.writer(stream)
    writer.writerow(LEDGER_HEADER)
    write, add, kinds, statuses = writer.writerow, totals.add, _KIND_LABELS, _STATUS_LABELS
    for line in lines:
        add(line)
        serial, at, kind, name, number, counter, _, clerk, fee, status, why, summary = line
        write(
            (
                "\t" + serial,
                at.time().isoformat(),
                kinds[kind],
                _csv_text(name),
                "\t" + number if full_ids and number else number,
                counter,
                clerk,
                format_yuan(fee),
                statuses[status],
                _csv_text(why),
                _csv_text(summary),
            )
        )
    for title, section in totals.sections():
        writer.writerow(())
        writer.writerow((f"按{title}汇总", *_TOTALS_HEADER))
        writer.writerows((t.label, t.count, format_yuan(t.fee_fen)) for t in section)
    writer.writerow(())
    total = totals.total()
    writer.writerow(("合计", total.count, format_yuan(total.fee_fen)))
    writer.writerow(("作废", totals.voided, ""))
    writer.writerow(("日结状态", closed_text, ""))


_COLUMN_WIDTHS = (26, 10, 14, 12, 22, 6, 10, 11, 8, 24, 40)
_SECONDS_PER_DAY = 86_400


def _write_xlsx(path: Path, lines: Iterator[_Line], totals: _Totals, closed_text: str) -> None:
    # Strings cost XlsxWriter twice what numbers do, so time and counter are numbers with a
    # display format, and empty cells are not written: 100,000 lines must take seconds.
    import xlsxwriter  # here: the counter's main window need not load it to open

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "0.00"})
        clock = workbook.add_format({"num_format": "hh:mm:ss"})
        counter_no = workbook.add_format({"num_format": "000"})
        sheet = workbook.add_worksheet("流水")
        for column, width in enumerate(_COLUMN_WIDTHS):
            sheet.set_column(column, column, width)
        for column, title in enumerate(LEDGER_HEADER):
            sheet.write_string(0, column, title, bold)
        sheet.freeze_panes(1, 0)
        text, number, add = sheet.write_string, sheet.write_number, totals.add
        kinds, statuses = _KIND_LABELS, _STATUS_LABELS
        for row, line in enumerate(lines, start=1):
            add(line)
            serial, at, kind, name, id_number, counter, _, clerk, fee, status, why, summary = line
            text(row, 0, serial)
            seconds = at.hour * 3600 + at.minute * 60 + at.second
            number(row, 1, seconds / _SECONDS_PER_DAY, clock)
            text(row, 2, kinds[kind])
            if name:
                text(row, 3, name)
            if id_number:
                text(row, 4, id_number)
            number(row, 5, int(counter), counter_no)
            text(row, 6, clerk)
            number(row, 7, fee / 100, money)
            text(row, 8, statuses[status])
            if why:
                text(row, 9, why)
            text(row, 10, summary)
        _write_xlsx_summary(workbook.add_worksheet("汇总"), totals, closed_text, bold, money)
    finally:
        workbook.close()


def _write_xlsx_summary(
    sheet: Any, totals: _Totals, closed_text: str, bold: Any, money: Any
) -> None:
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 2, 12)
    row = 0
    for title, section in totals.sections():
        for column, heading in enumerate((f"按{title}汇总", *_TOTALS_HEADER)):
            sheet.write_string(row, column, heading, bold)
        for total in section:
            row += 1
            sheet.write_string(row, 0, total.label)
            sheet.write_number(row, 1, total.count)
            sheet.write_number(row, 2, total.fee_fen / 100, money)
        row += 2
    grand = totals.total()
    sheet.write_string(row, 0, "合计", bold)
    sheet.write_number(row, 1, grand.count, bold)
    sheet.write_number(row, 2, grand.fee_fen / 100, money)
    sheet.write_string(row + 1, 0, "作废")
    sheet.write_number(row + 1, 1, totals.voided)
    sheet.write_string(row + 2, 0, "日结状态")
    sheet.write_string(row + 2, 1, closed_text)


def _write_beside(out: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in ``out``'s folder renamed into place: a failed export
    never leaves a half-written file under the final name."""
    folder = out.parent
    if not folder.is_dir():
        raise ValidationError("out", f"导出目录 {folder} 不存在")
    handle, name = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".part")
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, out)
    except OSError as error:
        raise StorageError(f"无法写入导出文件 {out}：{error.strerror or error}") from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _reporting(lines: Iterator[_Line], progress: Callable[[int], bool]) -> Iterator[_Line]:
    """``lines``, calling ``progress(lines so far)`` every PROGRESS_EVERY lines; a False answer
    stops the export."""
    for count, line in enumerate(lines, start=1):
        if count % PROGRESS_EVERY == 0 and not progress(count):
            raise UserCancelled()
        yield line


@service(Permission.EXPORT_LEDGER)
def export_ledger(
    session: Session,
    actor: Actor,
    *,
    day: date,
    fmt: str,
    full_ids: bool,
    out: Path,
    render_pdf: Callable[[Ledger], bytes] | None = None,
    progress: Callable[[int], bool] | None = None,
) -> LedgerExport:
    """导出台账 as CSV (UTF-8 with BOM, so Excel opens it), XLSX, or PDF drawn by ``render_pdf``
    (the printing package's; the core draws no PDF); always audited.

    ``progress`` hears how many lines are written and may cancel by answering False: the
    export then raises :class:`UserCancelled` and leaves no file behind."""
    fmt = fmt.strip().lower()
    if fmt not in EXPORT_FORMATS:
        raise ValidationError("fmt", f"台账导出格式只能是 CSV、XLSX 或 PDF，不支持「{fmt}」")
    if fmt == "pdf" and render_pdf is None:
        raise ValidationError("fmt", "本程序未安装打印模块，不能导出 PDF 台账")
    out = Path(out)
    if out.is_dir():
        raise ValidationError("out", f"{out} 是一个文件夹，请给出导出文件名")
    hall = actor.counter.hall_code
    closed = _day_close(session, hall, day)
    closed_text = _closed_text(closed)
    totals = _Totals()
    lines = _ledger_lines(session, hall, day, full_ids)
    if progress is not None:
        lines = _reporting(lines, progress)

    def write(path: Path) -> None:
        if fmt == "csv":
            with path.open("w", encoding="utf-8-sig", newline="") as stream:
                _write_csv(stream, lines, totals, closed_text, full_ids)
        elif fmt == "xlsx":
            _write_xlsx(path, lines, totals, closed_text)
        else:
            assert render_pdf is not None
            path.write_bytes(render_pdf(_ledger(hall, day, full_ids, lines, totals, closed)))
        _audit_ledger(
            session, actor, "ledger_export", day, format=fmt, full_ids=full_ids, rows=totals.lines
        )
        session.flush()  # a failing audit write stops the export before the file appears

    _write_beside(out, write)
    return LedgerExport(day, fmt, out, totals.lines, full_ids)
