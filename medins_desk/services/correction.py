"""参保信息变更/更正: changes to a person's contact, bank and identity data (DESIGN §6).

Contact fields (phone, address, postcode) and the bank debit account change at once: their
request is 已生效 when the clerk submits it. Identity fields (name, identity number, sex, birth
date, ethnicity) need supporting documents and go to a 待复核 request that another supervisor
approves or rejects. A submission with both kinds writes both requests under one 业务流水.

Every change is kept as a ``FieldChange`` with its before and after values as stored (sex "1"/"2",
ethnicity as its GB 3304 code, dates in ISO form; a bank account as readable text with the full
number and the holder), and is shown readable (男, 汉族).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session, selectinload

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.contact import (
    ETHNICITIES,
    DebitHolderRelation,
    parse_address,
    parse_bank_card,
    parse_mobile,
    parse_organisation_name,
    parse_postcode,
)
from medins_desk.domain.correction import (
    CorrectionAction,
    CorrectionClass,
    CorrectionField,
    CorrectionState,
    SupportingDocument,
    check_approver,
    check_documents,
    check_rejection_reason,
    next_correction_state,
    validate_field_value,
)
from medins_desk.domain.enrollment import check_debit_holder_details
from medins_desk.domain.identity import (
    IdentityKind,
    Sex,
    check_identity_agrees,
    mask_identity_number,
    parse_identity_number,
)
from medins_desk.domain.names import name_initials, normalise_name
from medins_desk.domain.roles import Permission, may
from medins_desk.errors import (
    BusinessRuleError,
    ConfirmationRequired,
    NotFound,
    Notice,
    PermissionDenied,
    ValidationError,
)
from medins_desk.services.audit import append_audit
from medins_desk.services.conflicts import done_at
from medins_desk.services.context import Actor, service
from medins_desk.services.transactions import (
    TransactionInfo,
    TransactionRef,
    record_transaction,
    transaction_details,
    transaction_info,
)
from medins_desk.store.models import (
    BankDebitAccount,
    CorrectionRequest,
    FieldChange,
    Person,
    Transaction,
    User,
    table_of,
)

MAX_TEXT_LENGTH = 200  # reason and review comment, as stored
PENDING_NOTICE = "身份信息变更需复核后生效"

_F = CorrectionField
# Person columns the fields are stored in; the birth date is a date column, converted on use.
PERSON_COLUMNS: Mapping[CorrectionField, str] = MappingProxyType(
    {
        _F.PHONE: "phone",
        _F.ADDRESS: "address",
        _F.POSTCODE: "postcode",
        _F.NAME: "name",
        _F.IDENTITY_NUMBER: "id_number",
        _F.SEX: "sex",
        _F.BIRTH_DATE: "birth_date",
        _F.ETHNICITY: "ethnicity",
    }
)


# ---------------------------------------------------------------------------------------------
# Input and results


@dataclass(frozen=True)
class DebitAccountInput:
    """银行扣款账户 as typed. A holder who is not the person (relation other than 本人) must be
    named with sex, phone, address and postcode; for 本人 the holder fields are not used."""

    bank_name: str
    account_number: str
    holder_relation: DebitHolderRelation
    holder_name: str | None = None
    holder_sex: str | None = None
    holder_phone: str | None = None
    holder_address: str | None = None
    holder_postcode: str | None = None


@dataclass(frozen=True)
class CorrectionRow:
    """One changed field, readable: 性别 男 -> 女."""

    field: CorrectionField
    label: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class CorrectionRequestView:
    id: int
    correction_class: CorrectionClass
    class_label: str
    state: CorrectionState
    state_label: str
    rows: tuple[CorrectionRow, ...]
    documents: tuple[str, ...]
    reason: str
    notice: str  # PENDING_NOTICE while the request waits for review
    # The supervisor's decision, printed on the 变更确认单 once the request has been reviewed.
    reviewed_by_name: str | None = None
    reviewed_at: datetime | None = None
    review_comment: str | None = None


@dataclass(frozen=True)
class CorrectionReceipt:
    """变更回执: the person's own voucher (full identity number)."""

    transaction: TransactionInfo
    person_id: int
    person_name: str
    id_number: str
    requests: tuple[CorrectionRequestView, ...]
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class PendingCorrection:
    """A line of the approval queue (待复核). ``own`` marks the reviewer's own submission, which
    the GUI shows greyed out: nobody approves their own request."""

    id: int
    person_id: int
    person_name: str
    masked_id_number: str
    rows: tuple[CorrectionRow, ...]
    documents: tuple[str, ...]
    reason: str
    submitted_by_id: int
    submitted_by_name: str
    submitted_at: datetime
    own: bool


@dataclass(frozen=True)
class CorrectionRecord:
    """One request in the person's history. ``reviewed_by_name`` is whoever decided it: the
    approving or rejecting supervisor, or who cancelled it."""

    id: int
    correction_class: CorrectionClass
    class_label: str
    state: CorrectionState
    state_label: str
    rows: tuple[CorrectionRow, ...]
    documents: tuple[str, ...]
    reason: str
    submitted_by_name: str
    submitted_at: datetime
    transaction_serial: str
    reviewed_by_name: str | None
    reviewed_at: datetime | None
    review_comment: str | None
    applied_at: datetime | None


@dataclass(frozen=True)
class _DebitAccount:
    """A checked debit account, as the ``bank_debit_accounts`` row stores it."""

    bank_name: str
    account_number: str
    holder_relation: DebitHolderRelation
    holder_name: str | None = None
    holder_sex: str | None = None
    holder_phone: str | None = None
    holder_address: str | None = None
    holder_postcode: str | None = None

    def describe(self) -> str:
        holder = self.holder_relation.label
        if self.holder_relation is not DebitHolderRelation.SELF:
            sex = Sex(self.holder_sex).label if self.holder_sex else ""
            holder += (
                f" {self.holder_name}，{sex}，{self.holder_phone}，"
                f"{self.holder_address}，{self.holder_postcode}"
            )
        return f"{self.bank_name} {self.account_number}（持有人：{holder}）"


# ---------------------------------------------------------------------------------------------
# Services

_INSERT_REQUEST = insert(table_of(CorrectionRequest))
_INSERT_CHANGE = insert(table_of(FieldChange))


@service(Permission.SERVE)
def submit_correction(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    changes: Mapping[CorrectionField, str],
    reason: str,
    documents: Iterable[SupportingDocument] = (),
    bank_account: DebitAccountInput | None = None,
    acknowledged: frozenset[str] = frozenset(),
) -> CorrectionReceipt:
    """提交变更: contact and bank changes take effect now; identity changes wait for review."""
    why = _check_text(reason, field="reason", what="变更原因")
    docs = _documents(documents)
    person = _lock_person(session, person_id)
    today = actor.today()
    notices: list[Notice] = []
    planned: dict[CorrectionField, tuple[str | None, str]] = {}
    for key, text in changes.items():
        field = _field(key)
        if field is _F.BANK_ACCOUNT:
            raise ValidationError(
                field.value, "银行扣款账户请填写开户银行、账号及持有人，不能只填账号"
            )
        if not isinstance(text, str):
            raise ValidationError(field.value, f"{field.label}应为文字，输入为「{text!r}」")
        value, found = validate_field_value(field, text, today=today)
        planned[field] = _change(field, current_field_value(person, field), value)
        notices.extend(found)
    account: _DebitAccount | None = None
    if bank_account is not None:
        account, found = _debit_account(bank_account)
        existing = _debit_account_row(session, person.id)
        before = _describe_row(existing) if existing is not None else None
        planned[_F.BANK_ACCOUNT] = _change(_F.BANK_ACCOUNT, before, account.describe())
        notices.extend(found)
    if not planned:
        raise ValidationError("changes", "请至少填写一项要变更的信息")
    check_documents(planned, docs)
    if any(f.correction_class is CorrectionClass.IDENTITY for f in planned):
        after = {f: new for f, (_old, new) in planned.items()}
        number = _check_identity_consistent(person, after, today)
        if _F.IDENTITY_NUMBER in planned and _number_taken(session, person, number):
            raise ValidationError(
                "identity_number", f"社会保障号码 {number} 已登记为其他参保人，不能变更为该号码"
            )
    unconfirmed = [n for n in notices if n.code not in acknowledged]
    if unconfirmed:
        raise ConfirmationRequired(unconfirmed)

    now = actor.now()
    by_class = {
        cls: [f for f in CorrectionField if f in planned and f.correction_class is cls]
        for cls in CorrectionClass
    }
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.CORRECTION,
        person_id=person.id,
        summary=_submission_summary(person.name, by_class),
        details={
            "changes": {f.value: [old, new] for f, (old, new) in planned.items()},
            "documents": [d.value for d in docs],
            "reason": why,
            "acknowledged": sorted(acknowledged & {n.code for n in notices}),
        },
    )
    requests = []
    connection = session.connection()
    for cls, fields in by_class.items():
        if not fields:
            continue
        immediate = cls is CorrectionClass.IMMEDIATE
        action = CorrectionAction.APPLY if immediate else CorrectionAction.SUBMIT
        state = next_correction_state(CorrectionState.DRAFT, action, correction_class=cls)
        values = {
            "person_id": person.id,
            "correction_class": cls,
            "state": state,
            "reason": why,
            "documents": [d.value for d in docs],
            "submitted_by": actor.user_id,
            "submitted_at": now,
            "reviewed_by": None,
            "reviewed_at": None,
            "review_comment": None,
            "applied_at": now if state is CorrectionState.APPLIED else None,
            "transaction_id": txn.id,
        }
        # The request and its field changes are written with Core; the receipt reads them from
        # the same values, held (never added to the session) as the models the reprint loads.
        inserted = connection.execute(_INSERT_REQUEST, values).inserted_primary_key
        assert inserted is not None
        rows = [
            {"request_id": inserted[0], "field": f, "before_value": planned[f][0],
             "after_value": planned[f][1]}
            for f in fields
        ]  # fmt: skip
        connection.execute(_INSERT_CHANGE, rows)
        request = CorrectionRequest(
            id=inserted[0], **values, changes=[FieldChange(**change) for change in rows]
        )
        requests.append(request)
        if state is CorrectionState.APPLIED:
            for f in fields:
                if f is _F.BANK_ACCOUNT:
                    assert account is not None  # planned only with an account
                    _store_debit_account(session, person.id, account, now)
                else:
                    apply_field_value(person, f, planned[f][1])
            person.updated_at = now
    session.flush()
    return CorrectionReceipt(
        transaction=transaction_info(txn),
        person_id=person.id,
        person_name=person.name,
        id_number=person.id_number,
        requests=tuple(_request_view(r) for r in requests),
        notices=tuple(notices),
    )


@service(Permission.REVIEW)
def approve_correction(
    session: Session, actor: Actor, *, request_id: int, comment: str = ""
) -> CorrectionReceipt:
    """复核通过: another supervisor approves, and the changes take effect at once."""
    note = _check_text(comment, field="comment", what="复核意见", required=False)
    request = _lock_request(session, request_id)
    check_approver(submitted_by=request.submitted_by, approver=actor.user_id)
    _refuse_if_reviewed(session, request)
    approved = next_correction_state(
        request.state, CorrectionAction.APPROVE, correction_class=request.correction_class
    )
    person = _lock_person(session, request.person_id)
    stale = [
        change
        for change in request.changes
        if current_field_value(person, change.field) != change.before_value
    ]
    if stale:
        listed = "、".join(
            f"{c.field.label}（申请时为「{_display(c.field, c.before_value)}」，现为"
            f"「{_display(c.field, current_field_value(person, c.field))}」）"
            for c in stale
        )
        raise BusinessRuleError(
            f"参保人信息在提交后已被修改：{listed}。请驳回此申请，按现有信息重新提交"
        )
    after = {c.field: c.after_value or "" for c in request.changes}
    number = _check_identity_consistent(person, after, actor.today())
    if _F.IDENTITY_NUMBER in after and _number_taken(session, person, number):
        raise BusinessRuleError(
            f"社会保障号码 {number} 在提交后已登记为其他参保人，不能通过此申请，请驳回"
        )

    now = actor.now()
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.CORRECTION_REVIEW,
        person_id=person.id,
        summary=f"信息变更复核通过 {person.name}：{_labels(request)}（申请 {request.id}）",
        details={"request_id": request.id, "comment": note},
    )
    for change in request.changes:
        apply_field_value(person, change.field, change.after_value or "")
    person.updated_at = now
    request.state = next_correction_state(
        approved, CorrectionAction.APPLY, correction_class=request.correction_class
    )
    request.reviewed_by = actor.user_id
    request.reviewed_at = now
    request.review_comment = note or None
    request.applied_at = now
    session.flush()
    return _review_receipt(txn, person, request, actor.display_name)


@service(Permission.REVIEW)
def reject_correction(
    session: Session, actor: Actor, *, request_id: int, reason: str
) -> CorrectionReceipt:
    """复核驳回: the request is closed and keeps the reason; never one's own request."""
    why = _check_text(check_rejection_reason(reason), field="reason", what="驳回原因")
    request = _lock_request(session, request_id)
    check_approver(submitted_by=request.submitted_by, approver=actor.user_id)
    _refuse_if_reviewed(session, request)
    request.state = next_correction_state(
        request.state, CorrectionAction.REJECT, correction_class=request.correction_class
    )
    person = _lock_person(session, request.person_id)
    now = actor.now()
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.CORRECTION_REVIEW,
        person_id=person.id,
        summary=f"信息变更复核驳回 {person.name}：{_labels(request)}（申请 {request.id}）：{why}",
        details={"request_id": request.id, "reason": why},
    )
    request.reviewed_by = actor.user_id
    request.reviewed_at = now
    request.review_comment = why
    session.flush()
    return _review_receipt(txn, person, request, actor.display_name)


@service(Permission.SERVE)
def cancel_correction(session: Session, actor: Actor, *, request_id: int) -> CorrectionRecord:
    """撤销申请 while it waits for review: by the clerk who submitted it, or a supervisor."""
    request = _lock_request(session, request_id)
    user = session.get_one(User, actor.user_id)
    if request.submitted_by != user.id and not may(user.role, Permission.REVIEW):
        raise PermissionDenied("只有提交该申请的经办员或复核员可以撤销此申请")
    if request.state is not CorrectionState.PENDING:
        raise BusinessRuleError(
            f"更正申请当前状态为「{request.state.label}」，只有待复核的申请可以撤销"
        )
    request.state = next_correction_state(
        request.state, CorrectionAction.CANCEL, correction_class=request.correction_class
    )
    now = actor.now()
    request.reviewed_by = user.id
    request.reviewed_at = now
    append_audit(
        session,
        at=now,
        user_id=user.id,
        username=actor.username,
        action="correction_cancel",
        entity="correction_request",
        entity_id=request.id,
        details={
            "person_id": request.person_id,
            "fields": [c.field.value for c in request.changes],
        },
    )
    session.flush()
    return _history(session, [request])[0]


@service(Permission.REVIEW)
def pending_corrections(session: Session, actor: Actor) -> list[PendingCorrection]:
    """The approval queue (待复核), oldest first; identity numbers masked."""
    rows = session.execute(
        select(CorrectionRequest, Person.name, Person.id_number, User.display_name)
        .join(Person, Person.id == CorrectionRequest.person_id)
        .join(User, User.id == CorrectionRequest.submitted_by)
        .where(CorrectionRequest.state == CorrectionState.PENDING)
        .options(selectinload(CorrectionRequest.changes))
        .order_by(CorrectionRequest.submitted_at, CorrectionRequest.id)
    )
    return [
        PendingCorrection(
            id=request.id,
            person_id=request.person_id,
            person_name=name,
            masked_id_number=mask_identity_number(id_number),
            rows=_rows(request.changes, masked=True),
            documents=_document_labels(request.documents),
            reason=request.reason,
            submitted_by_id=request.submitted_by,
            submitted_by_name=submitter,
            submitted_at=request.submitted_at,
            own=request.submitted_by == actor.user_id,
        )
        for request, name, id_number, submitter in rows
    ]


@service(Permission.LOOK_UP)
def correction_history(session: Session, actor: Actor, *, person_id: int) -> list[CorrectionRecord]:
    """变更记录: every request for the person, in the order submitted, with full values."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"参保人（编号 {person_id}）不存在")
    requests = session.scalars(
        select(CorrectionRequest)
        .where(CorrectionRequest.person_id == person_id)
        .options(selectinload(CorrectionRequest.changes))
        .order_by(CorrectionRequest.submitted_at, CorrectionRequest.id)
    )
    return _history(session, list(requests))


# ---------------------------------------------------------------------------------------------
# Checking input


def _check_text(text: str, *, field: str, what: str, required: bool = True) -> str:
    cleaned = " ".join(text.split())
    if required and not cleaned:
        raise ValidationError(field, f"请填写{what}")
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise ValidationError(
            field, f"{what}不能超过 {MAX_TEXT_LENGTH} 个字符，输入为 {len(cleaned)} 个"
        )
    return cleaned


def _field(key: str) -> CorrectionField:
    try:
        return CorrectionField(key)
    except ValueError:
        raise ValidationError("changes", f"未知的变更项目「{key}」") from None


def _documents(documents: Iterable[SupportingDocument]) -> list[SupportingDocument]:
    found: list[SupportingDocument] = []
    for item in documents:
        try:
            document = SupportingDocument(item)
        except ValueError:
            raise ValidationError("documents", f"未知的证明材料「{item}」") from None
        if document not in found:
            found.append(document)
    return found


def _change(field: CorrectionField, before: str | None, after: str) -> tuple[str | None, str]:
    """The before and after values; a new value equal to the old one is refused."""
    if before == after:
        raise ValidationError(field.value, f"{field.label}新值与原值相同，无需变更")
    return before, after


def _debit_account(data: DebitAccountInput) -> tuple[_DebitAccount, list[Notice]]:
    bank = parse_organisation_name(data.bank_name, field="bank_name", what="开户银行")
    number, notices = parse_bank_card(data.account_number, field="bank_account")
    try:
        relation = DebitHolderRelation(data.holder_relation)
    except ValueError:
        raise ValidationError(
            "debit_holder_relation", f"未知的持有人关系「{data.holder_relation}」"
        ) from None
    if relation is DebitHolderRelation.SELF:
        return _DebitAccount(bank, number, relation), notices
    check_debit_holder_details(
        relation,
        name=data.holder_name,
        sex=data.holder_sex,
        phone=data.holder_phone,
        address=data.holder_address,
        postcode=data.holder_postcode,
    )
    # The check above made every holder field non-empty.
    account = _DebitAccount(
        bank_name=bank,
        account_number=number,
        holder_relation=relation,
        holder_name=normalise_name(data.holder_name or "", field="debit_holder_name"),
        holder_sex=Sex.parse(data.holder_sex or "", field="debit_holder_sex").value,
        holder_phone=parse_mobile(data.holder_phone or "", field="debit_holder_phone"),
        holder_address=parse_address(data.holder_address or "", field="debit_holder_address"),
        holder_postcode=parse_postcode(data.holder_postcode or "", field="debit_holder_postcode"),
    )
    return account, notices


def _check_identity_consistent(
    person: Person, after: Mapping[CorrectionField, str], today: date
) -> str:
    """After the change the identity number, sex and birth date still agree: a changed number
    brings its own sex and birth date, which must be the person's or changed along with it.
    Returns the identity number after the change. A newborn's birth certificate number encodes
    nothing to agree with."""
    if _F.IDENTITY_NUMBER not in after and person.id_kind is IdentityKind.BIRTH_CERTIFICATE:
        return person.id_number
    number_text = after.get(_F.IDENTITY_NUMBER, person.id_number)
    number = parse_identity_number(number_text, field="identity_number", today=today)
    birth = after.get(_F.BIRTH_DATE)
    check_identity_agrees(
        number,
        birth_date=date.fromisoformat(birth) if birth else person.birth_date,
        sex=Sex(after.get(_F.SEX, person.sex)),
    )
    return number.number


def _number_taken(session: Session, person: Person, number: str) -> bool:
    """Whether another person holds ``number`` (an identity number exists once)."""
    holder = session.scalar(
        select(Person.id).where(Person.id_number == number, Person.id != person.id)
    )
    return holder is not None


# ---------------------------------------------------------------------------------------------
# Reading and writing the person


# Read fresh under the lock: another counter may have changed the person a moment ago.
_LOCK_PERSON = (
    select(Person)
    .where(Person.id == bindparam("person_id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)


def _lock_person(session: Session, person_id: int) -> Person:
    person = session.scalar(_LOCK_PERSON, {"person_id": person_id})
    if person is None:
        raise NotFound(f"参保人（编号 {person_id}）不存在")
    return person


def _lock_request(session: Session, request_id: int) -> CorrectionRequest:
    """The request, locked and read afresh: two supervisors reviewing it at once queue up."""
    request = session.scalar(
        select(CorrectionRequest)
        .where(CorrectionRequest.id == request_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if request is None:
        raise NotFound(f"更正申请（编号 {request_id}）不存在")
    return request


def _refuse_if_reviewed(session: Session, request: CorrectionRequest) -> None:
    """A request no longer 待复核 was reviewed or withdrawn (by another supervisor a moment ago,
    when two review it at once): say by whom, when, and the review's counter and serial."""
    if request.state is CorrectionState.PENDING or request.reviewed_by is None:
        return
    state = f"当前为「{request.state.label}」，不能再复核"
    reviews = session.scalars(
        select(Transaction)
        .where(
            Transaction.person_id == request.person_id,
            Transaction.kind == BusinessKind.CORRECTION_REVIEW,
            Transaction.clerk_id == request.reviewed_by,
        )
        .order_by(Transaction.id.desc())
    )
    for review in reviews:
        if transaction_details(session, review).get("request_id") == request.id:
            raise BusinessRuleError(f"更正申请 {request.id} {done_at(review, '复核')}，{state}")
    who = session.get_one(User, request.reviewed_by).display_name
    when = f"{request.reviewed_at:%Y-%m-%d %H:%M}" if request.reviewed_at else ""
    raise BusinessRuleError(f"更正申请 {request.id} 已于 {when} 由{who}撤销，{state}")


def current_field_value(person: Person, field: CorrectionField) -> str | None:
    """The person's value of an identity or contact field, in stored form."""
    value = getattr(person, PERSON_COLUMNS[field])
    if isinstance(value, date):
        return value.isoformat()
    return None if value is None else str(value)


def apply_field_value(person: Person, field: CorrectionField, value: str) -> None:
    if field is _F.BIRTH_DATE:
        person.birth_date = date.fromisoformat(value)
        return
    setattr(person, PERSON_COLUMNS[field], value)
    if field is _F.NAME:
        person.name_initials = name_initials(value)
    elif field is _F.IDENTITY_NUMBER:
        person.id_kind = parse_identity_number(value).kind


def _debit_account_row(session: Session, person_id: int) -> BankDebitAccount | None:
    return session.scalar(select(BankDebitAccount).where(BankDebitAccount.person_id == person_id))


def _describe_row(row: BankDebitAccount) -> str:
    return _DebitAccount(
        bank_name=row.bank_name,
        account_number=row.account_number,
        holder_relation=DebitHolderRelation(row.holder_relation),
        holder_name=row.holder_name,
        holder_sex=row.holder_sex,
        holder_phone=row.holder_phone,
        holder_address=row.holder_address,
        holder_postcode=row.holder_postcode,
    ).describe()


def _store_debit_account(
    session: Session, person_id: int, account: _DebitAccount, now: datetime
) -> None:
    row = _debit_account_row(session, person_id)
    if row is None:
        row = BankDebitAccount(person_id=person_id)
        session.add(row)
    row.bank_name = account.bank_name
    row.account_number = account.account_number
    row.holder_relation = account.holder_relation.value
    row.holder_name = account.holder_name
    row.holder_sex = account.holder_sex
    row.holder_phone = account.holder_phone
    row.holder_address = account.holder_address
    row.holder_postcode = account.holder_postcode
    row.updated_at = now


# ---------------------------------------------------------------------------------------------
# Presenting


def _display(field: CorrectionField, value: str | None) -> str | None:
    """A stored value as a clerk reads it."""
    if value is None:
        return None
    if field is _F.SEX:
        return Sex(value).label
    if field is _F.ETHNICITY:
        return ETHNICITIES.get(value, value)
    return value


def _rows(changes: Sequence[FieldChange], *, masked: bool = False) -> tuple[CorrectionRow, ...]:
    def shown(field: CorrectionField, value: str | None) -> str | None:
        text = _display(field, value)
        if masked and field is _F.IDENTITY_NUMBER and text is not None:
            return mask_identity_number(text)
        return text

    return tuple(
        CorrectionRow(
            c.field, c.field.label, shown(c.field, c.before_value), shown(c.field, c.after_value)
        )
        for c in changes
    )


def _document_labels(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(SupportingDocument(v).label for v in values)


def _labels(request: CorrectionRequest) -> str:
    return "、".join(c.field.label for c in request.changes)


def _submission_summary(
    name: str, by_class: Mapping[CorrectionClass, list[CorrectionField]]
) -> str:
    parts = []
    for cls, state in (
        (CorrectionClass.IMMEDIATE, CorrectionState.APPLIED),
        (CorrectionClass.IDENTITY, CorrectionState.PENDING),
    ):
        if by_class[cls]:
            parts.append(f"{'、'.join(f.label for f in by_class[cls])}（{state.label}）")
    return f"参保信息变更 {name}：{'；'.join(parts)}"


def _request_view(
    request: CorrectionRequest, reviewer_name: str | None = None
) -> CorrectionRequestView:
    return CorrectionRequestView(
        id=request.id,
        correction_class=request.correction_class,
        class_label=request.correction_class.label,
        state=request.state,
        state_label=request.state.label,
        rows=_rows(request.changes),
        documents=_document_labels(request.documents),
        reason=request.reason,
        notice=PENDING_NOTICE if request.state is CorrectionState.PENDING else "",
        reviewed_by_name=reviewer_name,
        reviewed_at=request.reviewed_at,
        review_comment=request.review_comment,
    )


def correction_receipt(
    txn: TransactionRef, person: Person, requests: Sequence[CorrectionRequest], session: Session
) -> CorrectionReceipt:
    """The receipt of a stored submission or review, rebuilt for its voucher (凭证补打)."""
    reviewers = {r.reviewed_by for r in requests if r.reviewed_by is not None}
    names = (
        {
            user_id: name
            for user_id, name in session.execute(
                select(User.id, User.display_name).where(User.id.in_(reviewers))
            )
        }
        if reviewers
        else {}
    )
    return CorrectionReceipt(
        transaction=transaction_info(txn),
        person_id=person.id,
        person_name=person.name,
        id_number=person.id_number,
        requests=tuple(
            _request_view(r, names.get(r.reviewed_by) if r.reviewed_by is not None else None)
            for r in requests
        ),
    )


def _review_receipt(
    txn: TransactionRef, person: Person, request: CorrectionRequest, reviewer_name: str
) -> CorrectionReceipt:
    return CorrectionReceipt(
        transaction=transaction_info(txn),
        person_id=person.id,
        person_name=person.name,
        id_number=person.id_number,
        requests=(_request_view(request, reviewer_name),),
    )


def _history(session: Session, requests: list[CorrectionRequest]) -> list[CorrectionRecord]:
    user_ids = {r.submitted_by for r in requests} | {
        r.reviewed_by for r in requests if r.reviewed_by is not None
    }
    names = {
        user_id: name
        for user_id, name in session.execute(
            select(User.id, User.display_name).where(User.id.in_(user_ids))
        )
    }
    serials = {
        txn_id: serial
        for txn_id, serial in session.execute(
            select(Transaction.id, Transaction.serial).where(
                Transaction.id.in_({r.transaction_id for r in requests})
            )
        )
    }
    return [
        CorrectionRecord(
            id=r.id,
            correction_class=r.correction_class,
            class_label=r.correction_class.label,
            state=r.state,
            state_label=r.state.label,
            rows=_rows(r.changes),
            documents=_document_labels(r.documents),
            reason=r.reason,
            submitted_by_name=names[r.submitted_by],
            submitted_at=r.submitted_at,
            transaction_serial=serials[r.transaction_id],
            reviewed_by_name=names[r.reviewed_by] if r.reviewed_by is not None else None,
            reviewed_at=r.reviewed_at,
            review_comment=r.review_comment,
            applied_at=r.applied_at,
        )
        for r in requests
    ]
