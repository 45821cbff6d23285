"""改写社保卡信息 after a move (001 #55: 改写社保卡信息即可，不需要重新办理社保卡).

The counter writes this region's code to the card's insuring region through the reader (see
``cardreader.protocol.rewrite_region``); only when the read-back matches is the act recorded
here. :func:`check_card_rewrite` says before the card is touched whether the citizen may have
it rewritten and to which region, so a card is never written for an act that would be refused.
A rewrite is not voided: the chip keeps what was written, and a wrong one is rewritten again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.card import CardState
from medins_desk.domain.enrollment import EnrollmentStatus
from medins_desk.domain.identity import area_name
from medins_desk.domain.roles import Permission
from medins_desk.errors import BusinessRuleError
from medins_desk.services.conflicts import done_at
from medins_desk.services.context import Actor, service
from medins_desk.services.persons import load_person
from medins_desk.services.transactions import (
    TransactionInfo,
    TransactionRef,
    record_transaction,
    transaction_details,
    transaction_info,
)
from medins_desk.store.models import Card, Enrollment, Person, Transaction

__all__ = [
    "CardRewriteReceipt",
    "card_rewrite_receipt",
    "check_card_rewrite",
    "record_card_rewrite",
]


@dataclass(frozen=True)
class CardRewriteReceipt:
    """社会保障卡信息改写回执."""

    transaction: TransactionInfo
    person_name: str
    id_number: str
    card_number: str
    region_before: str
    region_before_name: str
    region_after: str
    region_after_name: str


def _region_label(code: str) -> str:
    return area_name(code) or "（未知统筹区）"


def _target_region(session: Session, actor: Actor, person: Person) -> str:
    """This agency's region, where the citizen must be insured now for the card to say so."""
    region = actor.counter.agency.region_code
    insured = session.scalar(
        select(Enrollment.id).where(
            Enrollment.person_id == person.id,
            Enrollment.region_code == region,
            Enrollment.status == EnrollmentStatus.ACTIVE,
        )
    )
    if insured is None:
        raise BusinessRuleError(
            f"{person.name}在本统筹区（{region} {_region_label(region)}）没有正在参保缴费的记录："
            "请先办理参保登记或医保关系转入，再改写社会保障卡"
        )
    return region


@service(Permission.SERVE)
def check_card_rewrite(session: Session, actor: Actor, *, person_id: int) -> str:
    """Before the card is touched: the region code to write, or the rule that refuses."""
    return _target_region(session, actor, load_person(session, person_id))


@service(Permission.SERVE)
def record_card_rewrite(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    card_id_code: str,
    card_number: str,
    card_ssn: str,
    region_before: str,
    region_after: str,
) -> CardRewriteReceipt:
    """改写社保卡信息: the write the counter made and read back, recorded as the act.

    ``region_before`` equal to ``region_after`` is a write that landed while its act did not (the
    card was pulled, the store did not answer): recorded now, unless an act already has it."""
    person = load_person(session, person_id)
    if card_ssn != person.id_number:
        raise BusinessRuleError(f"卡内社会保障号码与{person.name}的不一致：不是本人的卡，不能改写")
    region = _target_region(session, actor, person)
    if region_after != region:
        raise BusinessRuleError(f"卡内参保地应改写为本统筹区 {region}，读回的是 {region_after}")
    known = session.scalar(select(Card).where(Card.card_id_code == card_id_code).with_for_update())
    if known is not None:
        if known.person_id != person.id:
            raise BusinessRuleError(f"社会保障卡 {card_number} 在本库登记为他人的卡，不能改写")
        if known.state is not CardState.ACTIVE:
            raise BusinessRuleError(
                f"社会保障卡 {card_number} 在本库为「{known.state.label}」，不能改写；"
                "请先办理解挂或补领"
            )
        known.region_code = region_after
    if region_before == region_after:
        _refuse_if_recorded(session, person, card_id_code, region_after)
    before, after = _region_label(region_before), _region_label(region_after)
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.CARD_REWRITE,
        person_id=person.id,
        summary=f"改写社会保障卡 {card_number} {person.name}：参保地 {before} → {after}",
        details={
            "card_id_code": card_id_code,
            "card_number": card_number,
            "name": person.name,
            "id_number": person.id_number,
            "region_before": region_before,
            "region_after": region_after,
        },
    )
    return CardRewriteReceipt(
        transaction_info(txn), person.name, person.id_number, card_number,
        region_before, before, region_after, after,
    )  # fmt: skip


def _refuse_if_recorded(session: Session, person: Person, card_id_code: str, region: str) -> None:
    for txn in session.scalars(
        select(Transaction).where(
            Transaction.person_id == person.id,
            Transaction.kind == BusinessKind.CARD_REWRITE,
            Transaction.status == TransactionStatus.NORMAL,
        )
    ):
        details = transaction_details(session, txn)
        if (details.get("card_id_code"), details.get("region_after")) == (card_id_code, region):
            raise BusinessRuleError(
                f"此卡参保地{done_at(txn, '改写')}，卡内已是 {region}，无需重复办理"
            )


def card_rewrite_receipt(session: Session, txn: TransactionRef) -> CardRewriteReceipt:
    """改写回执 from the store, for a reprint: as recorded at the time."""
    d = transaction_details(session, txn)
    before, after = str(d["region_before"]), str(d["region_after"])
    return CardRewriteReceipt(
        transaction_info(txn), str(d["name"]), str(d["id_number"]), str(d["card_number"]),
        before, _region_label(before), after, _region_label(after),
    )  # fmt: skip
