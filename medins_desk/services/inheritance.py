"""个人账户余额继承 (001 #54): an heir asks for a deceased holder's personal account balance.

The request records the death (the enrollment ends on the death date, the card is cancelled
through the card lifecycle) and prints the 《申领医保个人账户余额承诺书》 for signature. A second
person reviews it (复核, never the submitter): only an approved request is a payment instruction,
printed as the 个人账户余额继承支付通知. A rejection leaves the death recorded; the heir may ask
again, with what was missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.benefits import ADULT_AGE
from medins_desk.domain.business import BusinessKind
from medins_desk.domain.card import CardEvent, RepresentativeRole
from medins_desk.domain.contact import parse_bank_card, parse_mobile, parse_organisation_name
from medins_desk.domain.correction import check_approver
from medins_desk.domain.identity import (
    identity_notices,
    mask_identity_number,
    parse_identity_number,
)
from medins_desk.domain.inheritance import (
    DeathProof,
    HeirRelation,
    InheritanceState,
    check_balance,
    check_death_date,
    heir_needs_guardian,
    inheritance_materials,
    missing_inheritance_materials,
)
from medins_desk.domain.names import normalise_name
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
    representative_details,
    representative_notices,
    set_card_state,
    settle_expired_loss,
)
from medins_desk.services.context import Actor, service
from medins_desk.services.enrollment import current_enrollment, end_enrollment
from medins_desk.services.transactions import (
    TransactionInfo,
    TransactionRef,
    record_transaction,
    transaction_details,
    transaction_info,
)
from medins_desk.store.models import AccountInheritance, Enrollment, Person, Transaction, User

__all__ = [
    "DEATH_REASON",
    "Heir",
    "InheritanceDecision",
    "InheritancePledge",
    "PendingInheritance",
    "inheritance_decision",
    "inheritance_pledge",
    "pending_inheritances",
    "request_inheritance",
    "review_inheritance",
]

DEATH_REASON = "参保人死亡"
MAX_COMMENT_LENGTH = 200


@dataclass(frozen=True)
class Heir:
    """继承人 (the payee) as typed on the form, checked and normalised on construction so the
    form gets the field in error at once. The bank account is the heir's own."""

    id_number: str
    name: str
    relation: HeirRelation
    phone: str
    bank_name: str
    bank_account: str

    def __post_init__(self) -> None:
        identity = parse_identity_number(self.id_number, field="heir_id_number")
        try:
            relation = HeirRelation(self.relation)
        except ValueError:
            raise ValidationError(
                "heir_relation", f"与死亡参保人的关系不在可选范围内，输入为「{self.relation}」"
            ) from None
        account, _notices = parse_bank_card(self.bank_account, field="bank_account")
        set_ = object.__setattr__
        set_(self, "id_number", identity.number)
        set_(self, "name", normalise_name(self.name, field="heir_name"))
        set_(self, "relation", relation)
        set_(self, "phone", parse_mobile(self.phone, field="heir_phone"))
        set_(
            self,
            "bank_name",
            parse_organisation_name(self.bank_name, field="bank_name", what="开户银行"),
        )
        set_(self, "bank_account", account)

    @property
    def birth_date(self) -> date:
        return parse_identity_number(self.id_number).birth_date

    def notices(self) -> list[Notice]:
        """What the clerk confirms: an unknown area code, a card number failing Luhn."""
        identity = parse_identity_number(self.id_number, field="heir_id_number")
        area = [
            Notice(f"heir_{n.code}", f"继承人{n.message}", "heir_id_number")
            for n in identity_notices(identity)
        ]
        return area + parse_bank_card(self.bank_account, field="bank_account")[1]


@dataclass(frozen=True)
class InheritancePledge:
    """《申领医保个人账户余额承诺书》: the request as the heir signs it (its voucher)."""

    transaction: TransactionInfo
    request_id: int
    person_name: str  # the deceased
    id_number: str
    death_date: date
    death_proof_label: str
    enrollment_label: str | None  # the enrollment the death ended, with its last day
    card_number: str | None  # the card the death cancelled
    balance_fen: int
    heir_name: str
    heir_id_number: str
    heir_relation_label: str
    heir_phone: str
    bank_name: str
    bank_account: str
    guardian: RepresentativeView | None
    materials: tuple[str, ...]
    missing_materials: tuple[str, ...]
    submitted_at: datetime


@dataclass(frozen=True)
class InheritanceDecision:
    """复核 of the request: approved it is the 个人账户余额继承支付通知, the final payment
    instruction; rejected, the 复核结果 with the reason."""

    transaction: TransactionInfo
    pledge: InheritancePledge  # the request as submitted (its own transaction)
    person_name: str
    state: InheritanceState
    state_label: str
    submitted_by_name: str
    reviewer_name: str
    reviewed_at: datetime
    review_comment: str | None


@dataclass(frozen=True)
class PendingInheritance:
    """A line of the 复核 queue."""

    id: int
    person_name: str
    masked_id_number: str
    death_date: date
    balance_fen: int
    heir_name: str
    heir_relation_label: str
    bank_name: str
    masked_bank_account: str
    missing_materials: tuple[str, ...]
    submitted_by_name: str
    submitted_at: datetime
    own: bool  # submitted by the reviewer: cannot be reviewed by them


def _record_death(
    session: Session, actor: Actor, person: Person, request: AccountInheritance
) -> None:
    """The death ends the enrollment on its date and cancels the card; the request keeps what
    it changed, so a void can put it back."""
    now = actor.now()
    enrollment = current_enrollment(session, person.id, lock=True)
    if enrollment is not None:
        request.ended_enrollment_id = enrollment.id
        request.enrollment_status_before = enrollment.status
        request.enrollment_end_before = enrollment.end_date
        # A suspended enrollment keeps its earlier last covered day.
        last = request.death_date
        if enrollment.end_date is not None and enrollment.end_date < last:
            last = enrollment.end_date
        end_enrollment(
            enrollment, last_day=max(last, enrollment.start_date), reason=DEATH_REASON, now=now
        )
    card = live_card(session, person.id)
    if card is not None:
        settle_expired_loss(session, card, now)
        request.cancelled_card_id = card.id
        request.card_loss_expires_before = card.temp_loss_expires_at
        request.card_state_before = set_card_state(card, CardEvent.CANCEL, now)


def _earlier(session: Session, person_id: int) -> AccountInheritance | None:
    """The first request for the person, which recorded the death."""
    return session.scalar(
        select(AccountInheritance)
        .where(AccountInheritance.person_id == person_id)
        .order_by(AccountInheritance.id)
        .limit(1)
    )


@service(Permission.SERVE)
def request_inheritance(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    death_date: date,
    death_proof: DeathProof,
    balance_fen: int,
    heir: Heir,
    guardian: Representative | None = None,
    materials: tuple[str, ...] = (),
    acknowledged: frozenset[str] = frozenset(),
) -> InheritancePledge:
    """个人账户余额继承申请: the death recorded, the heir and the balance, the 承诺书 printed."""
    today = actor.today()
    proof = DeathProof(death_proof)
    balance = check_balance(balance_fen)
    person = lock_person(session, person_id)
    check_death_date(death_date, birth=person.birth_date, today=today)
    if heir.id_number == person.id_number:
        raise ValidationError("heir_id_number", "继承人不能是死亡参保人本人")
    parse_identity_number(heir.id_number, field="heir_id_number", today=today)
    minor = heir_needs_guardian(heir.birth_date, today)
    if guardian is not None and not minor:
        raise ValidationError(
            "representative", f"继承人 {heir.name} 已年满 {ADULT_AGE} 周岁，由本人办理，不填监护人"
        )
    view = check_representative(
        actor, heir, guardian, guardian_for_minors=True, minor_age=ADULT_AGE
    )
    wanted = inheritance_materials(guardian=view is not None)
    unknown = [m for m in materials if m not in wanted]
    if unknown:
        raise ValidationError("materials", f"「{unknown[0]}」不是个人账户余额继承的材料")
    earlier = _earlier(session, person.id)
    if earlier is not None:
        if earlier.death_date != death_date:
            raise ValidationError(
                "death_date",
                f"{person.name} 已登记死亡日期为 {earlier.death_date:%Y-%m-%d}，与填写的不一致",
            )
        open_request = session.scalar(
            select(AccountInheritance.state).where(
                AccountInheritance.person_id == person.id,
                AccountInheritance.state != InheritanceState.REJECTED,
            )
        )
        if open_request is not None:
            raise BusinessRuleError(
                f"{person.name} 的个人账户余额继承申请已{open_request.label}，不能重复申请"
            )
    notices = heir.notices() + representative_notices(guardian)
    unconfirmed = [n for n in notices if n.code not in acknowledged]
    if unconfirmed:
        raise ConfirmationRequired(unconfirmed)

    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.INHERITANCE_REQUEST,
        person_id=person.id,
        summary=f"个人账户余额继承申请 {person.name}（{death_date:%Y-%m-%d} 死亡），"
        f"继承人 {heir.name}（{heir.relation.label}）",
        details={
            "death_date": death_date,
            "death_proof": proof.value,
            "balance_fen": balance,
            "heir": {
                "id_number": heir.id_number,
                "name": heir.name,
                "relation": heir.relation.value,
                "phone": heir.phone,
                "bank_name": heir.bank_name,
                "bank_account": heir.bank_account,
            },
            "guardian": representative_details(guardian),
        },
    )
    request = AccountInheritance(
        person_id=person.id,
        death_date=death_date,
        death_proof=proof,
        balance_fen=balance,
        heir_id_number=heir.id_number,
        heir_name=heir.name,
        heir_relation=heir.relation,
        heir_phone=heir.phone,
        bank_name=heir.bank_name,
        bank_account=heir.bank_account,
        guardian_id_number=guardian.id_number if guardian else None,
        guardian_name=guardian.name if guardian else None,
        guardian_relation=guardian.relation if guardian else None,
        guardian_phone=guardian.phone if guardian else None,
        materials=[m for m in wanted if m in materials],
        state=InheritanceState.PENDING,
        submitted_by=actor.user_id,
        submitted_at=actor.now(),
        transaction_id=txn.id,
    )
    if earlier is None:
        _record_death(session, actor, person, request)
    session.add(request)
    session.flush()
    return _pledge(session, request, txn)


@service(Permission.REVIEW)
def review_inheritance(
    session: Session, actor: Actor, *, request_id: int, approve: bool, comment: str = ""
) -> InheritanceDecision:
    """个人账户继承复核: approved, the payment instruction is final; rejected, with a reason."""
    text = " ".join(comment.split())
    if not approve and not text:
        raise ValidationError("comment", "驳回须填写原因")
    if len(text) > MAX_COMMENT_LENGTH:
        raise ValidationError("comment", f"复核意见不能超过 {MAX_COMMENT_LENGTH} 个字符")
    request = session.scalar(
        select(AccountInheritance).where(AccountInheritance.id == request_id).with_for_update()
    )
    if request is None:
        raise NotFound(f"个人账户余额继承申请 {request_id} 不存在")
    if request.state is not InheritanceState.PENDING:
        raise BusinessRuleError(
            f"个人账户余额继承申请 {request_id} 已是「{request.state.label}」，不能再复核"
        )
    check_approver(submitted_by=request.submitted_by, approver=actor.user_id)
    person = session.get_one(Person, request.person_id)
    request.state = InheritanceState.APPROVED if approve else InheritanceState.REJECTED
    request.reviewed_by = actor.user_id
    request.reviewed_at = actor.now()
    request.review_comment = text or None
    verdict = "核准支付" if approve else "驳回"
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.INHERITANCE_REVIEW,
        person_id=person.id,
        summary=f"个人账户继承复核{verdict} {person.name}（申请 {request.id}）"
        + (f"：{text}" if text else ""),
        details={"request_id": request.id, "approved": approve, "comment": text},
    )
    request.review_transaction_id = txn.id
    session.flush()
    return _decision(session, request, txn, approved=approve, comment=text or None)


@service(Permission.REVIEW)
def pending_inheritances(session: Session, actor: Actor) -> list[PendingInheritance]:
    """The inheritance requests waiting for review, oldest first."""
    rows = session.execute(
        select(AccountInheritance, Person.name, Person.id_number, User.display_name)
        .join(Person, Person.id == AccountInheritance.person_id)
        .join(User, User.id == AccountInheritance.submitted_by)
        .where(AccountInheritance.state == InheritanceState.PENDING)
        .order_by(AccountInheritance.submitted_at, AccountInheritance.id)
    )
    return [
        PendingInheritance(
            id=request.id,
            person_name=name,
            masked_id_number=mask_identity_number(number),
            death_date=request.death_date,
            balance_fen=request.balance_fen,
            heir_name=request.heir_name,
            heir_relation_label=request.heir_relation.label,
            bank_name=request.bank_name,
            masked_bank_account=mask_bank_account(request.bank_account),
            missing_materials=_missing(request),
            submitted_by_name=submitter,
            submitted_at=request.submitted_at,
            own=request.submitted_by == actor.user_id,
        )
        for request, name, number, submitter in rows
    ]


def mask_bank_account(number: str) -> str:
    """A bank card number on a list: the last four digits."""
    return "*" * (len(number) - 4) + number[-4:]


def _missing(request: AccountInheritance) -> tuple[str, ...]:
    return missing_inheritance_materials(
        tuple(request.materials), guardian=request.guardian_name is not None
    )


def _pledge(
    session: Session, request: AccountInheritance, txn: TransactionRef
) -> InheritancePledge:
    person = session.get_one(Person, request.person_id)
    enrollment = (
        session.get(Enrollment, request.ended_enrollment_id)
        if request.ended_enrollment_id
        else None
    )
    card_number = None
    if request.cancelled_card_id is not None:
        card = next((c for c in person.cards if c.id == request.cancelled_card_id), None)
        card_number = card.card_number if card else None
    guardian = None
    if request.guardian_name is not None:
        guardian = RepresentativeView(
            role=RepresentativeRole.GUARDIAN,
            role_label=RepresentativeRole.GUARDIAN.label,
            name=request.guardian_name,
            masked_id_number=mask_identity_number(request.guardian_id_number or ""),
            relation=request.guardian_relation or "",
            phone=request.guardian_phone or "",
        )
    return InheritancePledge(
        transaction=transaction_info(txn),
        request_id=request.id,
        person_name=person.name,
        id_number=person.id_number,
        death_date=request.death_date,
        death_proof_label=request.death_proof.label,
        enrollment_label=(
            f"{enrollment.insurance_type.label}（参保终止，截至 {enrollment.end_date:%Y-%m-%d}）"
            if enrollment is not None and enrollment.end_date is not None
            else None
        ),
        card_number=card_number,
        balance_fen=request.balance_fen,
        heir_name=request.heir_name,
        heir_id_number=request.heir_id_number,
        heir_relation_label=request.heir_relation.label,
        heir_phone=request.heir_phone,
        bank_name=request.bank_name,
        bank_account=request.bank_account,
        guardian=guardian,
        materials=tuple(request.materials),
        missing_materials=_missing(request),
        submitted_at=request.submitted_at,
    )


def inheritance_pledge(session: Session, txn: TransactionRef) -> InheritancePledge:
    """The 承诺书 of a request transaction, from the store."""
    request = session.scalar(
        select(AccountInheritance).where(AccountInheritance.transaction_id == txn.id)
    )
    if request is None:
        raise NotFound(f"业务 {txn.serial} 的个人账户余额继承申请不存在")
    return _pledge(session, request, txn)


def inheritance_decision(session: Session, txn: TransactionRef) -> InheritanceDecision:
    """The 复核 result (支付通知 when approved) of a review transaction, from the store. It is
    drawn from what the review recorded, so a voided review still prints (marked 作废)."""
    details = transaction_details(session, txn)
    request = session.get(AccountInheritance, details.get("request_id", -1))
    if request is None:
        raise NotFound(f"业务 {txn.serial} 的个人账户继承复核不存在")
    return _decision(
        session, request, txn, approved=bool(details.get("approved")),
        comment=details.get("comment") or None,
    )  # fmt: skip


def _decision(
    session: Session,
    request: AccountInheritance,
    txn: TransactionRef,
    *,
    approved: bool,
    comment: str | None,
) -> InheritanceDecision:
    pledge = _pledge(session, request, session.get_one(Transaction, request.transaction_id))
    state = InheritanceState.APPROVED if approved else InheritanceState.REJECTED
    info = transaction_info(txn)
    return InheritanceDecision(
        transaction=info,
        pledge=pledge,
        person_name=pledge.person_name,
        state=state,
        state_label=state.label,
        submitted_by_name=session.get_one(User, request.submitted_by).display_name,
        reviewer_name=info.clerk_name,
        reviewed_at=info.created_at,
        review_comment=comment,
    )
