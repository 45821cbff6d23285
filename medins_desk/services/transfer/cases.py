"""转移接续案件: the cases both sides of a coverage transfer share, and what they record.

Each step is one business transaction (业务流水); each letter issued or received is kept as a
``TransferLetter`` whose ``content`` holds exactly the data printed, so a reprint needs nothing
else. A case keeps the rule set (2021/2016) it was opened under; deadlines are Chinese working
days counted by ``stage_deadline``. The look-ups list the cases of both directions.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, insert, select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.enrollment import InsuranceType, parse_region_code
from medins_desk.domain.identity import mask_identity_number
from medins_desk.domain.roles import Permission
from medins_desk.domain.transfer import (
    TransferAction,
    TransferDirection,
    TransferLetterKind,
    TransferRuleSet,
    TransferStage,
    check_next_action,
    is_overdue,
    next_transfer_stage,
    stage_deadline,
)
from medins_desk.errors import BusinessRuleError, NotFound, ValidationError
from medins_desk.services.context import Actor, service
from medins_desk.services.transactions import (
    RecordedTransaction,
    TransactionInfo,
    TransactionRef,
    record_transaction,
    transaction_info,
)
from medins_desk.store.models import (
    Enrollment,
    Person,
    Transaction,
    TransferCase,
    TransferLetter,
    table_of,
)

# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class TransferStep:
    """The voucher of one step: where the case stands now and by when the next step is due."""

    transaction: TransactionInfo
    step: str
    case_id: int
    case_number: str
    direction: TransferDirection
    direction_label: str
    person_id: int
    person_name: str
    id_number: str
    stage: TransferStage
    stage_label: str
    stage_started_on: date
    due_on: date | None
    actual_months: int | None
    deemed_months: int | None
    balance_fen: int | None


@dataclass(frozen=True)
class TransferLetterView:
    id: int
    kind: TransferLetterKind
    kind_label: str
    title: str
    issued_here: bool
    letter_date: date
    content: dict[str, Any]
    transaction_serial: str


@dataclass(frozen=True)
class TransferCaseView:
    """A case in a list (``letters`` empty) or on its own page (with its letters)."""

    id: int
    case_number: str
    direction: TransferDirection
    direction_label: str
    person_id: int
    person_name: str
    masked_id_number: str
    insurance_type: InsuranceType
    insurance_type_label: str
    other_agency_name: str
    other_region_code: str
    rule_set: TransferRuleSet
    rule_set_label: str
    stage: TransferStage
    stage_label: str
    opened_on: date
    stage_started_on: date
    due_on: date | None
    overdue: bool
    completed_on: date | None
    actual_months: int | None
    deemed_months: int | None
    balance_fen: int | None
    letters: tuple[TransferLetterView, ...] = ()


# ---------------------------------------------------------------------------------------------
# Look-ups


@service(Permission.LOOK_UP)
def list_transfer_cases(
    session: Session, actor: Actor, *, open_only: bool = True
) -> list[TransferCaseView]:
    """转移接续案件 list, oldest first; identity numbers masked."""
    query = _cases_query().order_by(TransferCase.opened_on, TransferCase.id)
    if open_only:
        query = query.where(_is_open())
    return _views(session, query, actor.today())


@service(Permission.LOOK_UP)
def get_transfer_case(session: Session, actor: Actor, *, case_id: int) -> TransferCaseView:
    """One case with the letters issued and received, in order."""
    views = _views(session, _cases_query().where(TransferCase.id == case_id), actor.today())
    if not views:
        raise NotFound(f"转移接续案件（编号 {case_id}）不存在")
    rows = session.execute(
        select(TransferLetter, Transaction.serial)
        .join(Transaction, Transaction.id == TransferLetter.transaction_id)
        .where(TransferLetter.case_id == case_id)
        .order_by(TransferLetter.id)
    )
    letters = tuple(
        TransferLetterView(
            id=letter.id,
            kind=letter.kind,
            kind_label=letter.kind.label,
            title=letter.kind.title,
            issued_here=letter.issued_here,
            letter_date=letter.letter_date,
            content=dict(letter.content),
            transaction_serial=serial,
        )
        for letter, serial in rows
    )
    return dataclasses.replace(views[0], letters=letters)


@service(Permission.LOOK_UP)
def overdue_transfers(session: Session, actor: Actor) -> list[TransferCaseView]:
    """逾期案件 for the supervisor: open cases past their deadline, the most overdue first."""
    today = actor.today()
    query = (
        _cases_query()
        .where(_is_open(), TransferCase.due_on < today)
        .order_by(TransferCase.due_on, TransferCase.id)
    )
    return _views(session, query, today)


# ---------------------------------------------------------------------------------------------
# Helpers


def other_region(text: str, actor: Actor, *, field: str) -> str:
    region = parse_region_code(text, field=field)
    if region == actor.counter.agency.region_code:
        raise ValidationError(
            field, f"区划代码 {region} 是本经办机构所在统筹区，同一统筹区内无需办理转移接续"
        )
    return region


def check_not_future(day: date, today: date, *, field: str, what: str) -> None:
    if day > today:
        raise ValidationError(
            field, f"{what} {day.isoformat()} 晚于今天（{today.isoformat()}），请核对"
        )


def check_letter_date(day: date, case: TransferCase, today: date, *, field: str, what: str) -> None:
    """A letter answering this case cannot predate the case itself."""
    check_not_future(day, today, field=field, what=what)
    if day < case.opened_on:
        raise ValidationError(
            field,
            f"{what} {day.isoformat()} 早于本案件受理日期 {case.opened_on.isoformat()}，请核对",
        )


def ensure_no_open_case(session: Session, person: Person) -> None:
    open_case = session.scalar(
        select(TransferCase).where(TransferCase.person_id == person.id, _is_open()).limit(1)
    )
    if open_case is not None:
        raise BusinessRuleError(
            f"参保人 {person.name} 已有未办结的{open_case.direction.label}案件 "
            f"{open_case.case_number}（{open_case.stage.label}），不能再受理"
        )


def _is_open() -> ColumnElement[bool]:
    return TransferCase.stage.not_in([TransferStage.COMPLETED, TransferStage.CANCELLED])


def open_case(
    session: Session,
    actor: Actor,
    txn: TransactionRef,
    person: Person,
    enrollment: Enrollment,
    *,
    direction: TransferDirection,
    stage: TransferStage,
    rules: TransferRuleSet,
    other_agency: str,
    other_region: str,
) -> TransferCase:
    """A new case numbered with its opening transaction's serial."""
    today = actor.today()
    case = TransferCase(
        case_number=txn.serial,
        person_id=person.id,
        direction=direction,
        rule_set=rules,
        stage=stage,
        insurance_type=enrollment.insurance_type,
        other_agency_name=other_agency,
        other_region_code=other_region,
        opened_on=today,
        stage_started_on=today,
        due_on=stage_deadline(rules, stage, today),
        opened_by=actor.user_id,
    )
    session.add(case)
    session.flush()
    return case


def load_case(session: Session, case_id: int) -> TransferCase:
    """The case, locked against a second counter taking the same step."""
    case = session.scalar(select(TransferCase).where(TransferCase.id == case_id).with_for_update())
    if case is None:
        raise NotFound(f"转移接续案件（编号 {case_id}）不存在")
    return case


def require_action(case: TransferCase, action: TransferAction) -> str:
    """The case must be waiting for ``action``; its label names the step in the record."""
    check_next_action(case.stage, action, case=f"{case.direction.label}案件 {case.case_number}")
    return action.label


def advance(case: TransferCase, started_on: date) -> None:
    """Move the case to its next stage, which started on ``started_on``."""
    stage = next_transfer_stage(case.direction, case.stage)
    case.stage = stage
    case.stage_started_on = started_on
    case.due_on = stage_deadline(case.rule_set, stage, started_on)
    if stage is TransferStage.COMPLETED:
        case.completed_on = started_on


def record_step(
    session: Session,
    actor: Actor,
    case: TransferCase,
    person: Person,
    step: str,
    *,
    details: dict[str, Any] | None = None,
) -> RecordedTransaction:
    kind = (
        BusinessKind.TRANSFER_OUT
        if case.direction is TransferDirection.OUT
        else BusinessKind.TRANSFER_IN
    )
    return record_transaction(
        session,
        actor,
        kind=kind,
        person_id=person.id,
        summary=f"{kind.label}：{step} {person.name}，案件 {case.case_number}",
        details={"case_number": case.case_number, **(details or {})},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    return value


def add_letter(
    session: Session,
    case: TransferCase,
    txn: TransactionRef,
    kind: TransferLetterKind,
    issued_here: bool,
    letter_date: date,
    data: Any,
) -> None:
    """Keep a letter; for one issued here ``data`` is the result itself, so the stored content
    is every printed field (the transaction by its serial)."""
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        content = {
            f.name: _jsonable(getattr(data, f.name))
            for f in dataclasses.fields(data)
            if f.name != "transaction"
        } | {"serial": txn.serial}
    else:
        content = dict(data)
    # Append-only and not read back in the act: written with Core.
    session.connection().execute(
        _INSERT_LETTER,
        {
            "case_id": case.id,
            "kind": kind,
            "issued_here": issued_here,
            "letter_date": letter_date,
            "content": content,
            "transaction_id": txn.id,
        },
    )


_INSERT_LETTER = insert(table_of(TransferLetter))


def transfer_step(
    txn: TransactionRef, step: str, case: TransferCase, person: Person
) -> TransferStep:
    return TransferStep(
        transaction=transaction_info(txn),
        step=step,
        case_id=case.id,
        case_number=case.case_number,
        direction=case.direction,
        direction_label=case.direction.label,
        person_id=person.id,
        person_name=person.name,
        id_number=person.id_number,
        stage=case.stage,
        stage_label=case.stage.label,
        stage_started_on=case.stage_started_on,
        due_on=case.due_on,
        actual_months=case.actual_months,
        deemed_months=case.deemed_months,
        balance_fen=case.balance_fen,
    )


def _cases_query() -> Select[TransferCase, str, str]:
    return select(TransferCase, Person.name, Person.id_number).join(
        Person, Person.id == TransferCase.person_id
    )


def _views(
    session: Session, query: Select[TransferCase, str, str], today: date
) -> list[TransferCaseView]:
    return [
        TransferCaseView(
            id=case.id,
            case_number=case.case_number,
            direction=case.direction,
            direction_label=case.direction.label,
            person_id=case.person_id,
            person_name=name,
            masked_id_number=mask_identity_number(id_number),
            insurance_type=case.insurance_type,
            insurance_type_label=case.insurance_type.label,
            other_agency_name=case.other_agency_name,
            other_region_code=case.other_region_code,
            rule_set=case.rule_set,
            rule_set_label=case.rule_set.label,
            stage=case.stage,
            stage_label=case.stage.label,
            opened_on=case.opened_on,
            stage_started_on=case.stage_started_on,
            due_on=case.due_on,
            overdue=not case.stage.is_final and is_overdue(case.due_on, today),
            completed_on=case.completed_on,
            actual_months=case.actual_months,
            deemed_months=case.deemed_months,
            balance_fen=case.balance_fen,
        )
        for case, name, id_number in session.execute(query)
    ]
