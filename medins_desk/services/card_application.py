"""社会保障卡申领: first card (首次申领), reissue (补领) and replacement (换领), optionally issued
at once (即时制卡) at a counter with a card printer (DESIGN §5).

A person holds at most one live card: the person's row is locked while the application checks
that, so two counters cannot both accept one; the second is told which counter's application,
and which 业务流水号, came first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.card import (
    CardApplicationKind,
    CardEvent,
    CardState,
    ReplacementReason,
    card_fee_fen,
    expected_pickup_date,
    required_old_card_state,
)
from medins_desk.domain.identity import Sex
from medins_desk.domain.names import needs_manual_personalisation
from medins_desk.domain.photo import check_photo
from medins_desk.domain.roles import Permission
from medins_desk.errors import (
    BusinessRuleError,
    ConfirmationRequired,
    NotFound,
    Notice,
    ValidationError,
)
from medins_desk.services.cards import (
    Representative,
    RepresentativeView,
    check_representative,
    live_card,
    lock_person,
    personalise_card,
    representative_details,
    representative_notices,
    set_card_state,
    settle_expired_loss,
    stored_representative,
)
from medins_desk.services.conflicts import done_at
from medins_desk.services.context import Actor, service
from medins_desk.services.persons import check_alive
from medins_desk.services.transactions import (
    TransactionInfo,
    TransactionRef,
    record_transaction,
    transaction_info,
)
from medins_desk.store.models import Card, CardApplication, Person, Transaction, table_of

__all__ = ["CardApplicationReceipt", "Representative", "RepresentativeView", "apply_for_card"]

# What the clerk can do instead, by the state of the card the person already holds.
_FIRST_CARD_ADVICE = {
    CardState.ACCEPTED: "请等待制卡完成后领取",
    CardState.IN_PRODUCTION: "请等待制卡完成后领取",
    CardState.READY: "请办理领卡",
    CardState.ACTIVE: "如需更换请办理换领",
    CardState.TEMP_LOST: "如卡片确已遗失，请先办理正式挂失再补领",
    CardState.FORMAL_LOST: "请办理补领",
}
_LOSABLE_STATES = frozenset({CardState.ACTIVE, CardState.TEMP_LOST})
_ON_ITS_WAY = frozenset({CardState.ACCEPTED, CardState.IN_PRODUCTION, CardState.READY})


@dataclass(frozen=True)
class CardApplicationReceipt:
    """社会保障卡申领回执: what the citizen takes home."""

    transaction: TransactionInfo
    application_id: int
    card_id: int
    kind: CardApplicationKind
    kind_label: str
    replacement_reason: ReplacementReason | None
    replacement_reason_label: str | None
    instant: bool
    person_name: str
    id_number: str
    sex_label: str
    representative: RepresentativeView | None
    fee_fen: int
    expected_pickup_date: date
    card_number: str | None  # issued at once (即时制卡) only
    card_expiry_date: date | None
    manual_personalisation: bool  # a name outside GBK: the card bureau personalises by hand
    old_card_number: str | None


@service(Permission.SERVE)
def apply_for_card(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    kind: CardApplicationKind,
    photo: bytes,
    replacement_reason: ReplacementReason | None = None,
    instant: bool = False,
    representative: Representative | None = None,
    old_card_returned: bool = False,
    acknowledged: frozenset[str] = frozenset(),
) -> CardApplicationReceipt:
    """社会保障卡申领 (首次申领/补领/换领); with ``instant`` the card is made at the counter."""
    kind, reason = _parse_kind_and_reason(kind, replacement_reason)
    policy = actor.policy
    now, today = actor.now(), actor.today()
    person = lock_person(session, person_id)
    check_alive(session, person)
    manual = needs_manual_personalisation(person.name)
    if instant:
        _check_instant_possible(actor, person, manual)
    view = check_representative(actor, person, representative, guardian_for_minors=True)
    _check_photo(photo, actor)
    old = _old_card(session, actor, person, kind, old_card_returned=old_card_returned)
    notices = representative_notices(representative) + _reason_notices(old, reason, today)
    unconfirmed = [notice for notice in notices if notice.code not in acknowledged]
    if unconfirmed:
        raise ConfirmationRequired(unconfirmed)

    fee = card_fee_fen(kind, reason, policy)
    if old is not None:
        set_card_state(old, CardEvent.SUPERSEDE, now)
    card = Card(
        person_id=person.id,
        state=CardState.ACCEPTED,
        region_code=actor.counter.agency.region_code,
        state_changed_at=now,
    )
    session.add(card)
    session.flush()
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.CARD_APPLICATION,
        person_id=person.id,
        summary=f"{kind.label}社会保障卡{'（即时制卡）' if instant else ''} {person.name}",
        fee_fen=fee,
        details={
            "card_id": card.id,
            "old_card_id": old.id if old else None,
            "application_kind": kind.value,
            "replacement_reason": reason.value if reason else None,
            "instant": instant,
            "manual_personalisation": manual,
            "representative": representative_details(representative),
            "acknowledged": sorted(acknowledged & {n.code for n in notices}),
        },
    )
    pickup = today if instant else expected_pickup_date(today, policy)
    if instant:
        set_card_state(card, CardEvent.ISSUE_INSTANTLY, now)
        personalise_card(session, card, today)
    # The application is append-only and not read back in the act: written with Core (the
    # photo included), the receipt built from the values written.
    key = (
        session.connection()
        .execute(
            _INSERT_APPLICATION,
            {
                "person_id": person.id,
                "transaction_id": txn.id,
                "kind": kind,
                "replacement_reason": reason,
                "instant": instant,
                "card_id": card.id,
                "old_card_id": old.id if old else None,
                "fee_fen": fee,
                "expected_pickup_date": pickup,
                "manual_personalisation": manual,
                "photo": photo,
                "photo_sha256": hashlib.sha256(photo).hexdigest(),
                "representative_role": representative.role if representative else None,
                "representative_id_number": representative.id_number if representative else None,
                "representative_name": representative.name if representative else None,
                "representative_relation": representative.relation if representative else None,
                "representative_phone": representative.phone if representative else None,
                "created_at": now,
            },
        )
        .inserted_primary_key
    )
    assert key is not None
    session.flush()
    return _receipt(
        txn,
        int(key[0]),
        kind,
        reason,
        instant=instant,
        person=person,
        card=card,
        old=old,
        representative=view,
        fee_fen=fee,
        pickup=pickup,
        manual=manual,
    )


_INSERT_APPLICATION = insert(table_of(CardApplication))


def card_application_receipt(session: Session, txn: TransactionRef) -> CardApplicationReceipt:
    """申领回执 of a card application, from the store: for every reprint."""
    app = session.scalar(select(CardApplication).where(CardApplication.transaction_id == txn.id))
    if app is None:
        raise NotFound(f"业务 {txn.serial} 的申领记录不存在")
    return _receipt(
        txn,
        app.id,
        app.kind,
        app.replacement_reason,
        instant=app.instant,
        person=session.get_one(Person, app.person_id),
        card=session.get_one(Card, app.card_id),
        old=session.get(Card, app.old_card_id) if app.old_card_id is not None else None,
        representative=stored_representative(app),
        fee_fen=app.fee_fen,
        pickup=app.expected_pickup_date,
        manual=app.manual_personalisation,
    )


def _receipt(
    txn: TransactionRef,
    application_id: int,
    kind: CardApplicationKind,
    reason: ReplacementReason | None,
    *,
    instant: bool,
    person: Person,
    card: Card,
    old: Card | None,
    representative: RepresentativeView | None,
    fee_fen: int,
    pickup: date,
    manual: bool,
) -> CardApplicationReceipt:
    return CardApplicationReceipt(
        transaction=transaction_info(txn),
        application_id=application_id,
        card_id=card.id,
        kind=kind,
        kind_label=kind.label,
        replacement_reason=reason,
        replacement_reason_label=reason.label if reason else None,
        instant=instant,
        person_name=person.name,
        id_number=person.id_number,
        sex_label=Sex(person.sex).label,
        representative=representative,
        fee_fen=fee_fen,
        expected_pickup_date=pickup,
        # The receipt names the card only when it was made at the counter.
        card_number=card.card_number if instant else None,
        card_expiry_date=card.expiry_date if instant else None,
        manual_personalisation=manual,
        old_card_number=old.card_number if old is not None else None,
    )


def _parse_kind_and_reason(
    kind: CardApplicationKind | str, reason: ReplacementReason | str | None
) -> tuple[CardApplicationKind, ReplacementReason | None]:
    try:
        kind = CardApplicationKind(kind)
    except ValueError:
        raise ValidationError(
            "kind", f"申领类型只能是首次申领、补领或换领，输入为「{kind}」"
        ) from None
    if kind is not CardApplicationKind.REPLACEMENT:
        if reason is not None:
            raise ValidationError("replacement_reason", f"{kind.label}不需要填写换领原因")
        return kind, None
    if reason is None:
        raise ValidationError("replacement_reason", "换领须选择换领原因（费用取决于原因）")
    try:
        return kind, ReplacementReason(reason)
    except ValueError:
        raise ValidationError("replacement_reason", f"换领原因「{reason}」不在可选范围内") from None


def _check_instant_possible(actor: Actor, person: Person, manual: bool) -> None:
    if not actor.counter.has_card_printer:
        raise BusinessRuleError(
            f"{actor.counter.counter_no} 号窗口没有制卡设备，不能即时制卡；"
            "请办理普通申领，或到有制卡设备的窗口办理"
        )
    if manual:
        raise BusinessRuleError(
            f"{person.name} 的姓名含有卡片字库（GBK）以外的字或超出卡片长度，须由制卡中心人工制卡，"
            "不能即时制卡；请办理普通申领"
        )


def _check_photo(photo: bytes, actor: Actor) -> None:
    problems = check_photo(photo, actor.policy)
    if problems:
        raise ValidationError(
            "photo", "照片不符合制卡要求：" + "；".join(p.message for p in problems)
        )


def _old_card(
    session: Session,
    actor: Actor,
    person: Person,
    kind: CardApplicationKind,
    *,
    old_card_returned: bool,
) -> Card | None:
    """The card this application supersedes (None for a first card), after checking its state."""
    old = live_card(session, person.id)
    if old is not None:
        settle_expired_loss(session, old, actor.now())
    required = required_old_card_state(kind)
    # A card on its way came from an application (a moment ago at another counter, when two
    # counters apply at once): nothing may be applied for until it is handed over.
    if old is not None and (required is None or old.state in _ON_ITS_WAY):
        state = CardState(old.state)
        number = f"（卡号 {old.card_number}）" if old.card_number else ""
        raise BusinessRuleError(
            f"{person.name} 已有一张「{state.label}」状态的社会保障卡{number}"
            f"{_applied_at(session, old)}，不能{kind.label}；{_FIRST_CARD_ADVICE[state]}"
        )
    if required is None:
        return None
    if old is None:
        raise BusinessRuleError(f"{person.name} 没有可{kind.label}的社会保障卡；请办理首次申领")
    if old.state != required:
        state = CardState(old.state)
        number = f" {old.card_number} " if old.card_number else ""
        # A card in the holder's hands (or reported only temporarily) is lost formally first.
        losable = kind is CardApplicationKind.REISSUE and state in _LOSABLE_STATES
        raise BusinessRuleError(
            f"{kind.label}须原卡为「{required.label}」状态，{person.name} 的原卡{number}"
            f"当前为「{state.label}」" + ("；请先办理正式挂失" if losable else "")
        )
    if kind is CardApplicationKind.REPLACEMENT and not old_card_returned:
        raise BusinessRuleError(f"换领须交回原卡 {old.card_number or ''}；请收回原卡后再办理")
    return old


def _applied_at(session: Session, card: Card) -> str:
    """「，已于 … 在 002 号窗口由…办理首次申领（业务流水号 …）」: the application that made
    ``card``, or "" for a card that came from elsewhere (an import, demo data)."""
    made = session.execute(
        select(CardApplication.kind, Transaction)
        .join(Transaction, Transaction.id == CardApplication.transaction_id)
        .where(CardApplication.card_id == card.id, Transaction.status == TransactionStatus.NORMAL)
    ).first()
    return f"，{done_at(made.Transaction, made.kind.label)}" if made is not None else ""


def _reason_notices(
    old: Card | None, reason: ReplacementReason | None, today: date
) -> list[Notice]:
    """A replacement for an expired card when the card has not expired: the clerk checks the
    stated reason, which is printed on the voucher and may decide the fee."""
    if reason is not ReplacementReason.EXPIRED or old is None or old.expiry_date is None:
        return []
    if old.expiry_date < today:
        return []
    return [
        Notice(
            "card_not_expired",
            f"原卡有效期至 {old.expiry_date:%Y-%m-%d}，尚未到期，换领原因为「{reason.label}」",
            "replacement_reason",
        )
    ]
