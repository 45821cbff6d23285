"""挂失/解挂: temporary (临时/口头) and formal (正式/书面) loss reports and unfreezing (DESIGN §5).

A temporary report lapses after ``temporary_loss_days`` (see ``cards.settle_expired_loss``); a
formal one is final unless the region sets ``formal_loss_reversible``. Only the card's social
security function is frozen here: the bank freezes its financial function, and every loss
voucher says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.card import (
    CardEvent,
    CardState,
    allowed_card_events,
    temporary_loss_expiry,
)
from medins_desk.domain.policy import Policy
from medins_desk.domain.roles import Permission
from medins_desk.errors import BusinessRuleError, NotFound
from medins_desk.services.cards import (
    Representative,
    RepresentativeView,
    check_representative,
    load_card,
    representative_details,
    set_card_state,
    settle_expired_loss,
    stored_representative,
)
from medins_desk.services.conflicts import done_at
from medins_desk.services.context import Actor, service
from medins_desk.services.transactions import (
    TransactionInfo,
    TransactionRef,
    record_transaction,
    transaction_details,
    transaction_info,
)
from medins_desk.store.models import Card, LossReport, Person, Transaction, table_of

__all__ = [
    "BANK_NOTICE_LOSS",
    "BANK_NOTICE_UNFREEZE",
    "LossAct",
    "LossReceipt",
    "report_loss",
    "unfreeze_card",
]

BANK_NOTICE_LOSS = (
    "本次挂失仅冻结社会保障卡的社会保障功能，卡片的金融（银行账户）功能未在此冻结。"
    "请立即持本人有效身份证件到发卡银行网点办理，或拨打发卡银行客服电话，挂失冻结银行账户。"
)
BANK_NOTICE_UNFREEZE = (
    "本次解挂仅恢复社会保障卡的社会保障功能。如已在发卡银行挂失银行账户，"
    "请持本人有效身份证件到发卡银行另行办理解挂。"
)


class LossAct(StrEnum):
    """The kind of act, as stored in ``loss_reports.kind``."""

    TEMPORARY = "temporary"
    FORMAL = "formal"
    UNFREEZE = "unfreeze"

    @property
    def business_kind(self) -> BusinessKind:
        return _BUSINESS_KINDS[self]

    @property
    def label(self) -> str:
        return self.business_kind.label  # 临时挂失 / 正式挂失 / 解挂

    @property
    def card_event(self) -> CardEvent:
        return _EVENTS[self]


def available_loss_acts(state: CardState, policy: Policy) -> list[LossAct]:
    """The acts a card in ``state`` allows under ``policy``, for enabling the counter's buttons."""
    allowed = allowed_card_events(state, formal_loss_reversible=policy.formal_loss_reversible)
    return [act for act in LossAct if act.card_event in allowed]


_BUSINESS_KINDS = {
    LossAct.TEMPORARY: BusinessKind.LOSS_TEMPORARY,
    LossAct.FORMAL: BusinessKind.LOSS_FORMAL,
    LossAct.UNFREEZE: BusinessKind.LOSS_UNFREEZE,
}
_EVENTS = {
    LossAct.TEMPORARY: CardEvent.REPORT_TEMPORARY_LOSS,
    LossAct.FORMAL: CardEvent.REPORT_FORMAL_LOSS,
    LossAct.UNFREEZE: CardEvent.UNFREEZE,
}


@dataclass(frozen=True)
class LossReceipt:
    """挂失/解挂凭证."""

    transaction: TransactionInfo
    act: LossAct
    kind_label: str
    card_id: int
    card_number: str | None
    person_name: str
    id_number: str
    state_before: CardState
    state_before_label: str
    state_after: CardState
    state_after_label: str
    expires_at: datetime | None  # when a temporary report lapses
    representative: RepresentativeView | None
    bank_notice: str


@service(Permission.SERVE)
def report_loss(
    session: Session,
    actor: Actor,
    *,
    card_id: int,
    formal: bool,
    representative: Representative | None = None,
) -> LossReceipt:
    """挂失: temporary (临时挂失, lapses after ``temporary_loss_days``) or formal (正式挂失)."""
    act = LossAct.FORMAL if formal else LossAct.TEMPORARY
    return _record_act(session, actor, card_id=card_id, act=act, representative=representative)


@service(Permission.SERVE)
def unfreeze_card(session: Session, actor: Actor, *, card_id: int) -> LossReceipt:
    """解挂: a lost card found again is 正常 once more (after a formal report only where the
    region allows it)."""
    return _record_act(session, actor, card_id=card_id, act=LossAct.UNFREEZE, representative=None)


# Compiled once (see services.context).
_HOLDER = select(Person).where(Person.id == bindparam("person_id"))
_INSERT_REPORT = insert(table_of(LossReport))


def _record_act(
    session: Session,
    actor: Actor,
    *,
    card_id: int,
    act: LossAct,
    representative: Representative | None,
) -> LossReceipt:
    card = load_card(session, card_id)
    now = actor.now()
    settle_expired_loss(session, card, now)
    person = session.scalars(_HOLDER, {"person_id": card.person_id}).one()
    # A report is urgent: a minor's is taken as it comes, so no guardian is demanded here.
    view = check_representative(actor, person, representative, guardian_for_minors=False)
    _refuse_if_done_first(session, card, act)
    before = set_card_state(
        card, _EVENTS[act], now, formal_loss_reversible=actor.policy.formal_loss_reversible
    )
    expires_at = temporary_loss_expiry(now, actor.policy) if act is LossAct.TEMPORARY else None
    card.temp_loss_expires_at = expires_at
    by = f"（{view.role_label} {view.name} 代办）" if view else ""
    txn = record_transaction(
        session,
        actor,
        kind=act.business_kind,
        person_id=person.id,
        summary=f"{act.label}社会保障卡 {card.card_number or ''} {person.name}{by}",
        details={
            "card_id": card.id,
            "card_number": card.card_number,
            "state_before": before.value,
            "state_after": card.state.value,
            "expires_at": expires_at,
            "representative": representative_details(representative),
        },
    )
    # Append-only and not read back in the act: written with Core, the receipt built from it.
    session.connection().execute(
        _INSERT_REPORT,
        {
            "card_id": card.id,
            "transaction_id": txn.id,
            "kind": act.value,
            "reported_at": now,
            "expires_at": expires_at,
            "representative_role": representative.role if representative else None,
            "representative_name": representative.name if representative else None,
            "representative_id_number": representative.id_number if representative else None,
            "representative_relation": representative.relation if representative else None,
            "representative_phone": representative.phone if representative else None,
        },
    )
    session.flush()
    return _receipt(txn, act, card, person, before, CardState(card.state), expires_at, view)


def _refuse_if_done_first(session: Session, card: Card, act: LossAct) -> None:
    """When the card's last loss act (at any counter, a moment ago when two counters act at once)
    left it in a state that refuses ``act``, say which act, where and its serial. A refusal by
    the region's policy (正式挂失后不可解挂) is the lifecycle's to explain."""
    state = CardState(card.state)
    if act.card_event in allowed_card_events(state, formal_loss_reversible=True):
        return
    last = session.execute(
        select(LossReport.kind, Transaction)
        .join(Transaction, Transaction.id == LossReport.transaction_id)
        .where(LossReport.card_id == card.id, Transaction.status == TransactionStatus.NORMAL)
        .order_by(LossReport.id.desc())
        .limit(1)
    ).first()
    if last is None or _STATE_AFTER[LossAct(last.kind)] is not state:
        return  # the state has another origin: the lifecycle's own refusal says enough
    first = LossAct(last.kind)
    done = done_at(last.Transaction, first.label)
    outcome = "无需重复办理" if first is act else f"不能办理{act.label}"
    raise BusinessRuleError(
        f"社会保障卡 {card.card_number or ''} {done}，当前为「{state.label}」，{outcome}"
    )


_STATE_AFTER = {
    LossAct.TEMPORARY: CardState.TEMP_LOST,
    LossAct.FORMAL: CardState.FORMAL_LOST,
    LossAct.UNFREEZE: CardState.ACTIVE,
}


def loss_receipt(session: Session, txn: TransactionRef) -> LossReceipt:
    """挂失回执 from the store: for every reprint."""
    report = session.scalar(select(LossReport).where(LossReport.transaction_id == txn.id))
    if report is None:
        raise NotFound(f"业务 {txn.serial} 的挂失记录不存在")
    card = session.get_one(Card, report.card_id)
    # The card's states at the time are in the transaction's audit entry, not on the card.
    details = transaction_details(session, txn)
    before = CardState(details.get("state_before", CardState.ACTIVE.value))
    after = CardState(details.get("state_after", card.state.value))
    act = LossAct(report.kind)
    view = stored_representative(report)
    return _receipt(txn, act, card, card.person, before, after, report.expires_at, view)


def _receipt(
    txn: TransactionRef,
    act: LossAct,
    card: Card,
    person: Person,
    before: CardState,
    after: CardState,
    expires_at: datetime | None,
    representative: RepresentativeView | None,
) -> LossReceipt:
    return LossReceipt(
        transaction=transaction_info(txn),
        act=act,
        kind_label=act.label,
        card_id=card.id,
        card_number=card.card_number,
        person_name=person.name,
        id_number=person.id_number,
        state_before=before,
        state_before_label=before.label,
        state_after=after,
        state_after_label=after.label,
        expires_at=expires_at,
        representative=representative,
        bank_notice=BANK_NOTICE_UNFREEZE if act is LossAct.UNFREEZE else BANK_NOTICE_LOSS,
    )
