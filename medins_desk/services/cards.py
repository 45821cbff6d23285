"""社会保障卡: what every card business shares, card look-up for the reader, and card production.

Temporary loss reports (临时挂失) lapse by themselves: there is no background job, so every service
that reads or changes a card first calls :func:`settle_expired_loss`, and the card is 正常 again
from the first look after the report expired.

Card numbers issued here run in a sequence per issuing region, with letters A to L (demo data
uses M onwards); the unique constraints on 卡号 and 卡识别码 catch two counters allocating at once,
and the loser retries with the next free number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.card import (
    LIVE_CARD_STATES,
    CardEvent,
    CardState,
    RepresentativeRole,
    card_expiry_date,
    card_id_code,
    card_number_check_character,
    check_region_code,
    next_card_state,
    parse_card_number,
)
from medins_desk.domain.contact import parse_mobile
from medins_desk.domain.identity import (
    age_on,
    identity_notices,
    mask_identity_number,
    parse_identity_number,
)
from medins_desk.domain.names import normalise_name
from medins_desk.domain.roles import Permission
from medins_desk.errors import BusinessRuleError, NotFound, Notice, ValidationError
from medins_desk.services.audit import append_audit
from medins_desk.services.context import Actor, service
from medins_desk.services.transactions import (
    TransactionInfo,
    record_transaction,
    transaction_details,
    transaction_info,
)
from medins_desk.store.models import Card, CardApplication, LossReport, Person, Transaction

__all__ = [
    "SYSTEM_USERNAME",
    "CardHandoverReceipt",
    "CardStatus",
    "Representative",
    "RepresentativeView",
    "Represented",
    "allocate_card_number",
    "card_id_code",
    "card_status",
    "check_representative",
    "find_card",
    "hand_over_card",
    "live_card",
    "load_card",
    "lock_person",
    "lookup_card",
    "personalise_card",
    "record_card_produced",
    "representative_details",
    "representative_notices",
    "set_card_state",
    "settle_all_expired_losses",
    "settle_expired_loss",
    "stored_representative",
]

# 社会保障卡 are valid for ten years nationwide (not a regional setting).
# Audit entries for changes nobody made (a temporary loss report lapsing) name this user.
SYSTEM_USERNAME = "system"

_ISSUE_LETTERS = "ABCDEFGHJKL"  # no I: it reads as 1 on a card face
_SERIAL_DIGITS = 7
_MAX_SERIAL = 10**_SERIAL_DIGITS - 1
_CARD_ID_CODE = re.compile(r"[0-9A-F]{32}")
_NUMBER_ATTEMPTS = 5
_MAX_RELATION_LENGTH = 20


# ---------------------------------------------------------------------------------------------
# Representatives (代办人/监护人)


def _parse_relation(text: str) -> str:
    relation = " ".join(text.split())
    if not relation:
        raise ValidationError("representative_relation", "与申请人的关系不能为空")
    if len(relation) > _MAX_RELATION_LENGTH:
        raise ValidationError(
            "representative_relation",
            f"与申请人的关系不能超过 {_MAX_RELATION_LENGTH} 个字符，输入为 {len(relation)} 个",
        )
    for ch in relation:
        # Letters, digits and punctuation ("父亲", "外祖母", "朋友（同事）"); no emoji or controls.
        if unicodedata.category(ch)[0] not in "LMNP" and ch != " ":
            raise ValidationError(
                "representative_relation", f"与申请人的关系不能包含字符「{ch}」（U+{ord(ch):04X}）"
            )
    return relation


@dataclass(frozen=True)
class Representative:
    """代办人 (agent) or 监护人 (guardian) acting for the citizen, as typed on the form.

    Checked and normalised on construction, so a form gets the field in error at once.
    """

    role: RepresentativeRole
    id_number: str
    name: str
    relation: str
    phone: str

    def __post_init__(self) -> None:
        try:
            role = RepresentativeRole(self.role)
        except ValueError:
            raise ValidationError(
                "representative_role", f"代办类型只能是代办人或监护人，输入为「{self.role}」"
            ) from None
        identity = parse_identity_number(self.id_number, field="representative_id_number")
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "id_number", identity.number)
        object.__setattr__(self, "name", normalise_name(self.name, field="representative_name"))
        object.__setattr__(self, "relation", _parse_relation(self.relation))
        object.__setattr__(self, "phone", parse_mobile(self.phone, field="representative_phone"))


@dataclass(frozen=True)
class RepresentativeView:
    """The representative as a voucher names them (identity number masked)."""

    role: RepresentativeRole
    role_label: str
    name: str
    masked_id_number: str
    relation: str
    phone: str


class Represented(Protocol):
    """Who a representative acts for: a person on record, or an heir who is not."""

    @property
    def name(self) -> str: ...
    @property
    def id_number(self) -> str: ...
    @property
    def birth_date(self) -> date: ...


def check_representative(
    actor: Actor,
    person: Represented,
    representative: Representative | None,
    *,
    guardian_for_minors: bool,
    minor_age: int | None = None,
) -> RepresentativeView | None:
    """Check who acts for ``person`` today and return them as the voucher names them.

    The representative is never the citizen and is not a minor; with ``guardian_for_minors`` a
    citizen under ``minor_age`` (by default the policy's ``guardian_age``) must come with a
    guardian (an agent will not do).
    """
    today = actor.today()
    age_limit = actor.policy.guardian_age if minor_age is None else minor_age
    if guardian_for_minors and age_on(person.birth_date, today) < age_limit:
        age = age_on(person.birth_date, today)
        if representative is None:
            raise ValidationError(
                "representative",
                f"{person.name} 未满 {age_limit} 周岁（{age} 周岁），须由监护人陪同办理，"
                "请填写监护人信息",
            )
        if representative.role is not RepresentativeRole.GUARDIAN:
            raise ValidationError(
                "representative_role",
                f"{person.name} 未满 {age_limit} 周岁（{age} 周岁），须由监护人办理，"
                "代办人不能代为办理",
            )
    if representative is None:
        return None
    role = representative.role.label
    identity = parse_identity_number(
        representative.id_number, field="representative_id_number", today=today
    )
    if identity.number == person.id_number:
        raise ValidationError(
            "representative_id_number", f"{role}不能是本人（社会保障号码与{person.name}相同）"
        )
    if age_on(identity.birth_date, today) < age_limit:
        raise ValidationError(
            "representative_id_number",
            f"{role}须年满 {age_limit} 周岁，"
            f"{representative.name} 为 {age_on(identity.birth_date, today)} 周岁",
        )
    return RepresentativeView(
        role=representative.role,
        role_label=role,
        name=representative.name,
        masked_id_number=mask_identity_number(identity.number),
        relation=representative.relation,
        phone=representative.phone,
    )


def stored_representative(row: CardApplication | LossReport) -> RepresentativeView | None:
    """The representative recorded on an application or a loss report, as vouchers name them."""
    if row.representative_role is None:
        return None
    return RepresentativeView(
        role=row.representative_role,
        role_label=row.representative_role.label,
        name=row.representative_name or "",
        masked_id_number=mask_identity_number(row.representative_id_number or ""),
        relation=row.representative_relation or "",
        phone=row.representative_phone or "",
    )


def representative_notices(representative: Representative | None) -> list[Notice]:
    """Warnings about the representative's identity number the clerk confirms (an area code
    missing from the division table is never a refusal)."""
    if representative is None:
        return []
    identity = parse_identity_number(representative.id_number, field="representative_id_number")
    return [
        Notice(
            f"representative_{n.code}",
            f"{representative.role.label}{n.message}",
            "representative_id_number",
        )
        for n in identity_notices(identity)
    ]


def representative_details(representative: Representative | None) -> dict[str, str] | None:
    """The representative as the audit entry keeps it (in full: the audit log is no list)."""
    if representative is None:
        return None
    return {
        "role": representative.role.value,
        "id_number": representative.id_number,
        "name": representative.name,
        "relation": representative.relation,
        "phone": representative.phone,
    }


# ---------------------------------------------------------------------------------------------
# Loading and state changes


# Compiled once (see services.context): the business acts run these on every call.
_LOCK_PERSON = (
    select(Person)
    .where(Person.id == bindparam("person_id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)
_LOCK_CARD = (
    select(Card)
    .where(Card.id == bindparam("card_id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)
_LIVE_CARD = (
    select(Card)
    .where(Card.person_id == bindparam("person_id"), Card.state.in_(list(LIVE_CARD_STATES)))
    .order_by(Card.id.desc())
    .limit(1)
)


def lock_person(session: Session, person_id: int) -> Person:
    """The person, locked for this transaction so two counters cannot both issue them a card."""
    person = session.scalar(_LOCK_PERSON, {"person_id": person_id})
    if person is None:
        raise NotFound(f"参保人（编号 {person_id}）不存在")
    return person


def load_card(session: Session, card_id: int) -> Card:
    """The card, locked for this transaction (two counters acting on one card queue up)."""
    card = session.scalar(_LOCK_CARD, {"card_id": card_id})
    if card is None:
        raise NotFound(f"社会保障卡（编号 {card_id}）不存在")
    return card


def live_card(session: Session, person_id: int) -> Card | None:
    """The person's card in 申领受理..正常 or 临时/正式挂失 (at most one exists)."""
    return session.scalar(_LIVE_CARD, {"person_id": person_id})


def set_card_state(
    card: Card, event: CardEvent, at: datetime, *, formal_loss_reversible: bool = False
) -> CardState:
    """Apply ``event`` through the domain's table; the previous state is returned."""
    before = CardState(card.state)
    card.state = next_card_state(before, event, formal_loss_reversible=formal_loss_reversible)
    card.state_changed_at = at
    card.temp_loss_expires_at = None
    return before


def settle_expired_loss(session: Session, card: Card, now: datetime) -> bool:
    """A 临时挂失 past its expiry returns to 正常 (audited); True when it did."""
    expires_at = card.temp_loss_expires_at
    if card.state != CardState.TEMP_LOST or expires_at is None or expires_at > now:
        return False
    set_card_state(card, CardEvent.TEMPORARY_LOSS_EXPIRED, expires_at)
    append_audit(
        session,
        at=now,
        user_id=None,
        username=SYSTEM_USERNAME,
        action="temp_loss_expired",
        entity="card",
        entity_id=card.id,
        details={
            "card_number": card.card_number,
            "person_id": card.person_id,
            "expired_at": expires_at,
            "state": card.state.value,
        },
    )
    return True


@service(Permission.SERVE)
def settle_all_expired_losses(session: Session, actor: Actor) -> int:
    """Return every lapsed 临时挂失 to 正常 at once (e.g. at sign-in); the number settled."""
    now = actor.now()
    cards = session.scalars(
        select(Card)
        .where(Card.state == CardState.TEMP_LOST, Card.temp_loss_expires_at <= now)
        .order_by(Card.id)
        .with_for_update()
    ).all()
    return sum(settle_expired_loss(session, card, now) for card in cards)


# ---------------------------------------------------------------------------------------------
# Card numbers (卡号) and 卡识别码


def _next_in_sequence(last: str | None) -> tuple[str, int] | None:
    """The letter and serial after ``last`` (None: the sequence is used up)."""
    if last is None:
        return _ISSUE_LETTERS[0], 1
    letter, digits = last[0], last[1 : 1 + _SERIAL_DIGITS]
    # A number not of this sequence's form (an import) ends its letter's run.
    serial = int(digits) + 1 if digits.isascii() and digits.isdigit() else _MAX_SERIAL + 1
    if letter in _ISSUE_LETTERS and serial <= _MAX_SERIAL:
        return letter, serial
    later = [candidate for candidate in _ISSUE_LETTERS if candidate > letter]
    return (later[0], 1) if later else None


def allocate_card_number(session: Session, region_code: str) -> str:
    """The next free 9-character 卡号 of ``region_code``'s sequence: a letter, 7 digits and the
    check character. Numbers or 卡识别码 already used anywhere (another region's cards, imports)
    are skipped."""
    check_region_code(region_code)
    last = session.scalar(
        select(func.max(Card.card_number)).where(
            Card.region_code == region_code,
            Card.card_number >= _ISSUE_LETTERS[0],
            Card.card_number < chr(ord(_ISSUE_LETTERS[-1]) + 1),
        )
    )
    position = _next_in_sequence(last)
    while position is not None:
        letter, serial = position
        first8 = f"{letter}{serial:0{_SERIAL_DIGITS}d}"
        number = first8 + card_number_check_character(first8)
        taken = session.scalar(
            select(Card.id)
            .where(
                or_(
                    Card.card_number == number,
                    Card.card_id_code == card_id_code(region_code, number),
                )
            )
            .limit(1)
        )
        if taken is None:
            return number
        position = _next_in_sequence(number)
    raise BusinessRuleError(f"地区 {region_code} 的社会保障卡号已分配完，请联系管理员")


def personalise_card(session: Session, card: Card, today: date) -> None:
    """Give a card being produced its 卡号, 卡识别码, 发卡日期 (today) and 有效期.

    Each attempt runs in a savepoint: when another counter took the same number first, the
    unique constraint refuses it and the next free number is tried.
    """
    for _attempt in range(_NUMBER_ATTEMPTS):
        number = allocate_card_number(session, card.region_code)
        try:
            with session.begin_nested():
                card.card_number = number
                card.card_id_code = card_id_code(card.region_code, number)
                card.issue_date = today
                card.expiry_date = card_expiry_date(today)
        except IntegrityError:
            continue
        return
    raise BusinessRuleError("多个窗口同时制卡，卡号分配冲突，请重试")


# ---------------------------------------------------------------------------------------------
# Card look-up (the card reader's question: whose card is this, and may it be used?)


@dataclass(frozen=True)
class CardStatus:
    """A card as the counter shows it when it is inserted or looked up."""

    card_id: int
    person_id: int
    person_name: str
    masked_id_number: str
    card_number: str | None
    card_id_code: str | None
    state: CardState
    state_label: str
    issue_date: date | None
    expiry_date: date | None
    temp_loss_expires_at: datetime | None
    expired: bool
    lost: bool  # 临时挂失, 正式挂失 or 注销: the card must not be used
    warning: str | None


_LOST_STATES = frozenset({CardState.TEMP_LOST, CardState.FORMAL_LOST, CardState.CANCELLED})


def card_status(card: Card, today: date) -> CardStatus:
    state = CardState(card.state)
    expired = card.expiry_date is not None and card.expiry_date < today
    warning: str | None = None
    if state is CardState.TEMP_LOST:
        expires = card.temp_loss_expires_at
        until = f"，{expires:%Y-%m-%d %H:%M} 到期" if expires else ""
        warning = f"此卡已挂失（临时挂失{until}）"
    elif state is CardState.FORMAL_LOST:
        warning = "此卡已挂失（正式挂失）"
    elif state is CardState.CANCELLED:
        warning = "此卡已注销"
    elif expired and card.expiry_date is not None:
        warning = f"此卡已过有效期（{card.expiry_date:%Y-%m-%d}），请办理换领"
    person = card.person
    return CardStatus(
        card_id=card.id,
        person_id=person.id,
        person_name=person.name,
        masked_id_number=mask_identity_number(person.id_number),
        card_number=card.card_number,
        card_id_code=card.card_id_code,
        state=state,
        state_label=state.label,
        issue_date=card.issue_date,
        expiry_date=card.expiry_date,
        temp_loss_expires_at=card.temp_loss_expires_at,
        expired=expired,
        lost=state in _LOST_STATES,
        warning=warning,
    )


@service(Permission.LOOK_UP)
def find_card(
    session: Session,
    actor: Actor,
    *,
    card_number: str | None = None,
    card_id_code: str | None = None,
    id_number: str | None = None,
) -> CardStatus | None:
    """查卡: by 卡号, else by 卡识别码, else the live card of a 社会保障号码 (None: no card)."""
    return lookup_card(
        session, actor, card_number=card_number, card_id_code=card_id_code, id_number=id_number
    )


def lookup_card(
    session: Session,
    actor: Actor,
    *,
    card_number: str | None = None,
    card_id_code: str | None = None,
    id_number: str | None = None,
) -> CardStatus | None:
    """:func:`find_card` inside a service that already checked the role."""
    if not any(text and text.strip() for text in (card_number, card_id_code, id_number)):
        raise ValidationError("card_number", "请提供卡号、卡识别码或社会保障号码")
    card: Card | None = None
    if card_number and card_number.strip():
        number, _ = parse_card_number(card_number)  # a failed check character is no refusal
        card = session.scalar(select(Card).where(Card.card_number == number))
    if card is None and card_id_code and card_id_code.strip():
        code = "".join(card_id_code.split()).upper()
        if not _CARD_ID_CODE.fullmatch(code):
            raise ValidationError(
                "card_id_code", f"卡识别码应为32位十六进制字符，输入为「{card_id_code.strip()}」"
            )
        card = session.scalar(select(Card).where(Card.card_id_code == code))
    if card is None and id_number and id_number.strip():
        identity = parse_identity_number(id_number, today=actor.today())
        person_id = session.scalar(select(Person.id).where(Person.id_number == identity.number))
        card = live_card(session, person_id) if person_id is not None else None
    if card is None:
        return None
    settle_expired_loss(session, card, actor.now())
    return card_status(card, actor.today())


# ---------------------------------------------------------------------------------------------
# Production (制卡, back office) and hand-over (领卡, at the counter)


@service(Permission.SERVE)
def record_card_produced(session: Session, actor: Actor, *, card_id: int) -> CardStatus:
    """制卡完成: an accepted card is produced and waits to be collected (待领取), with its 卡号,
    卡识别码, 发卡日期 and 有效期. Audited; no counter transaction."""
    card = load_card(session, card_id)
    now = actor.now()
    settle_expired_loss(session, card, now)
    before = CardState(card.state)
    if before is CardState.ACCEPTED:
        set_card_state(card, CardEvent.START_PRODUCTION, now)
    set_card_state(card, CardEvent.PRODUCED, now)
    personalise_card(session, card, actor.today())
    append_audit(
        session,
        at=now,
        user_id=actor.user_id,
        username=actor.username,
        action="card_produced",
        entity="card",
        entity_id=card.id,
        details={
            "person_id": card.person_id,
            "card_number": card.card_number,
            "card_id_code": card.card_id_code,
            "from_state": before.value,
            "state": card.state.value,
        },
    )
    session.flush()
    return card_status(card, actor.today())


@dataclass(frozen=True)
class CardHandoverReceipt:
    """社会保障卡领取凭证."""

    transaction: TransactionInfo
    card_id: int
    card_number: str
    card_id_code: str
    person_name: str
    id_number: str
    issue_date: date
    expiry_date: date
    representative: RepresentativeView | None


@service(Permission.SERVE)
def hand_over_card(
    session: Session,
    actor: Actor,
    *,
    card_id: int,
    representative: Representative | None = None,
) -> CardHandoverReceipt:
    """领卡: the citizen (or their agent or guardian) collects a ready card, which becomes 正常."""
    card = load_card(session, card_id)
    now = actor.now()
    settle_expired_loss(session, card, now)
    person = card.person
    view = check_representative(actor, person, representative, guardian_for_minors=True)
    set_card_state(card, CardEvent.HAND_OVER, now)
    # Only produced (personalised) cards are 待领取.
    assert card.card_number and card.card_id_code and card.issue_date and card.expiry_date
    by = f"（{view.role_label} {view.name} 代领）" if view else ""
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.CARD_HANDOVER,
        person_id=person.id,
        summary=f"领取社会保障卡 {card.card_number} {person.name}{by}",
        details={
            "card_id": card.id,
            "card_number": card.card_number,
            "representative": representative_details(representative),
        },
    )
    session.flush()
    return CardHandoverReceipt(
        transaction=transaction_info(txn),
        card_id=card.id,
        card_number=card.card_number,
        card_id_code=card.card_id_code,
        person_name=person.name,
        id_number=person.id_number,
        issue_date=card.issue_date,
        expiry_date=card.expiry_date,
        representative=view,
    )


def card_handover_receipt(session: Session, txn: Transaction) -> CardHandoverReceipt:
    """社会保障卡领取凭证 from the store: the card and the collector kept with the transaction."""
    details = transaction_details(session, txn)
    card = session.get(Card, details.get("card_id"))
    if card is None or not (card.card_number and card.card_id_code):
        raise NotFound(f"业务 {txn.serial} 领取的社会保障卡不存在")
    assert card.issue_date and card.expiry_date  # a card handed over was produced
    kept = details.get("representative")
    view = None
    if isinstance(kept, dict):
        role = RepresentativeRole(kept["role"])
        view = RepresentativeView(
            role=role,
            role_label=role.label,
            name=kept.get("name", ""),
            masked_id_number=mask_identity_number(kept.get("id_number", "")),
            relation=kept.get("relation", ""),
            phone=kept.get("phone", ""),
        )
    return CardHandoverReceipt(
        transaction=transaction_info(txn),
        card_id=card.id,
        card_number=card.card_number,
        card_id_code=card.card_id_code,
        person_name=card.person.name,
        id_number=card.person.id_number,
        issue_date=card.issue_date,
        expiry_date=card.expiry_date,
        representative=view,
    )
