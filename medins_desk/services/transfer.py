"""基本医疗保险关系转移接续: transfer of coverage out of and into this region (DESIGN §7).

Transfer out: the suspended person takes the 《基本医疗保险参保凭证》 to the new region; that
region's 联系函 arrives; the counter issues the 《参保人员基本医疗保险类型变更信息表》 and remits
the personal account, which ends the enrollment here. Transfer in: the counter records the origin's
参保凭证 and sends the 《基本医疗保险关系转移接续联系函》; the origin's 信息表 and funds arrive;
the years and balance are added to the local enrollment.

Each step is one business transaction (业务流水); each letter issued or received is kept as a
``TransferLetter`` whose ``content`` holds exactly the data printed, so a reprint needs nothing
else. A case keeps the rule set (2021/2016) it was opened under; deadlines are Chinese working
days counted by ``stage_deadline``.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, insert, select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.contact import parse_organisation_name
from medins_desk.domain.enrollment import EnrollmentStatus, InsuranceType, parse_region_code
from medins_desk.domain.identity import Sex, mask_identity_number
from medins_desk.domain.money import format_yuan
from medins_desk.domain.roles import Permission
from medins_desk.domain.transfer import (
    TransferAction,
    TransferDirection,
    TransferLetterKind,
    TransferRuleSet,
    TransferStage,
    check_next_action,
    check_transfer_out_allowed,
    first_stage,
    gap_is_bridgeable,
    is_overdue,
    next_transfer_stage,
    stage_deadline,
)
from medins_desk.errors import BusinessRuleError, NotFound, ValidationError
from medins_desk.services.context import Actor, service
from medins_desk.services.contributions import add_origin_months
from medins_desk.services.enrollment import require_current_enrollment
from medins_desk.services.persons import load_person
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

MAX_LETTER_NUMBER_LENGTH = 40
MAX_ORIGIN_PERIODS = 50

Period = tuple[date, date | None]  # an open period has no end yet
ClosedPeriod = tuple[date, date]


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class TransferCertificate:
    """《基本医疗保险参保凭证》, a three-part form: to the new office, archive, to the person."""

    transaction: TransactionInfo
    case_id: int
    case_number: str
    person_id: int
    name: str
    id_number: str
    sex: Sex
    sex_label: str
    insurance_type: InsuranceType
    insurance_type_name: str
    enrollment_periods: tuple[Period, ...]
    actual_months: int
    deemed_months: int
    balance_fen: int
    destination_agency: str
    destination_region: str
    agency_name: str
    agency_address: str
    agency_phone: str
    agency_region: str
    issue_date: date


@dataclass(frozen=True)
class ContactLetter:
    """《基本医疗保险关系转移接续联系函》 to the origin agency; ``deadline`` is the day by which
    the origin should answer with the 信息表 and funds."""

    transaction: TransactionInfo
    case_id: int
    case_number: str
    to_agency: str
    to_region: str
    person_id: int
    name: str
    id_number: str
    sex: Sex
    sex_label: str
    insurance_type: InsuranceType
    insurance_type_name: str
    local_start_date: date
    origin_certificate_date: date
    origin_periods: tuple[ClosedPeriod, ...]
    origin_actual_months: int
    origin_deemed_months: int
    origin_balance_fen: int
    gap_bridgeable: bool
    agency_name: str
    agency_address: str
    agency_phone: str
    agency_region: str
    issue_date: date
    deadline: date | None
    rule_set: TransferRuleSet
    rule_set_label: str


@dataclass(frozen=True)
class InfoForm:
    """《参保人员基本医疗保险类型变更信息表》 and the account transfer it records."""

    transaction: TransactionInfo
    case_id: int
    case_number: str
    person_id: int
    name: str
    id_number: str
    sex: Sex
    sex_label: str
    insurance_type: InsuranceType
    insurance_type_name: str
    enrollment_periods: tuple[Period, ...]
    actual_months: int
    deemed_months: int
    transferred_balance_fen: int
    to_agency: str
    to_region: str
    contact_letter_number: str
    contact_letter_date: date
    agency_name: str
    agency_address: str
    agency_phone: str
    agency_region: str
    issue_date: date


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
# Transfer out (转出)


@service(Permission.SERVE)
def start_transfer_out(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    destination_agency: str,
    destination_region: str,
) -> TransferCertificate:
    """转出申请: open the case and issue the 参保凭证; the enrollment must be suspended first."""
    agency_name = parse_organisation_name(
        destination_agency, field="destination_agency", what="转入地经办机构名称"
    )
    region = _other_region(destination_region, actor, field="destination_region")
    person = load_person(session, person_id)
    enrollment = require_current_enrollment(session, person)
    check_transfer_out_allowed(enrollment.status)
    _ensure_no_open_case(session, person)

    rules = TransferRuleSet(actor.policy.transfer_rules)
    today = actor.today()
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.TRANSFER_OUT,
        person_id=person.id,
        summary=f"医保关系转出：开具参保凭证 {person.name}，转往 {agency_name}",
        details={"destination_agency": agency_name, "destination_region": region},
    )
    case = _open_case(
        session,
        actor,
        txn,
        person,
        enrollment,
        direction=TransferDirection.OUT,
        stage=first_stage(TransferDirection.OUT, rules),
        rules=rules,
        other_agency=agency_name,
        other_region=region,
    )
    agency = actor.counter.agency
    certificate = TransferCertificate(
        transaction=transaction_info(txn),
        case_id=case.id,
        case_number=case.case_number,
        person_id=person.id,
        name=person.name,
        id_number=person.id_number,
        sex=Sex(person.sex),
        sex_label=Sex(person.sex).label,
        insurance_type=enrollment.insurance_type,
        insurance_type_name=enrollment.insurance_type.full_name,
        enrollment_periods=_periods(session, person),
        actual_months=enrollment.actual_months,
        deemed_months=enrollment.deemed_months,
        balance_fen=enrollment.account_balance_fen,
        destination_agency=agency_name,
        destination_region=region,
        agency_name=agency.name,
        agency_address=agency.address,
        agency_phone=agency.phone,
        agency_region=agency.region_code,
        issue_date=today,
    )
    _add_letter(session, case, txn, TransferLetterKind.CERTIFICATE, True, today, certificate)
    return certificate


@service(Permission.SERVE)
def record_contact_letter(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    letter_date: date,
    from_agency: str,
    letter_number: str = "",
) -> TransferStep:
    """收到转入地联系函: the 信息表 and the remittance are due within the rule set's deadline,
    counted from today (the day the letter is received)."""
    agency_name = parse_organisation_name(from_agency, field="from_agency", what="来函经办机构名称")
    number = _letter_number(letter_number)
    case = _load_case(session, case_id)
    step = _require_action(case, TransferAction.RECORD_CONTACT_LETTER)
    today = actor.today()
    _check_letter_date(letter_date, case, today, field="letter_date", what="联系函日期")
    person = load_person(session, case.person_id)
    txn = _record_step(session, actor, case, person, f"{step}（{agency_name}）")
    _advance(case, today)
    content = {
        "from_agency": agency_name,
        "letter_number": number,
        "letter_date": letter_date.isoformat(),
        "received_on": today.isoformat(),
    }
    _add_letter(session, case, txn, TransferLetterKind.CONTACT_LETTER, False, letter_date, content)
    return _step(txn, step, case, person)


@service(Permission.SERVE)
def issue_info_form(session: Session, actor: Actor, *, case_id: int) -> InfoForm:
    """出具信息表并划转个人账户: the balance leaves with the person and the enrollment here ends."""
    case = _load_case(session, case_id)
    step = _require_action(case, TransferAction.ISSUE_INFO_FORM)
    person = load_person(session, case.person_id)
    enrollment = require_current_enrollment(session, person)
    check_transfer_out_allowed(enrollment.status)
    letter = _received_contact_letter(case)
    today = actor.today()

    balance = enrollment.account_balance_fen
    txn = _record_step(
        session,
        actor,
        case,
        person,
        f"{step}（{format_yuan(balance, unit=True)}）",
        details={"enrollment_id": enrollment.id, "balance_fen": balance},
    )
    enrollment.account_balance_fen = 0
    enrollment.status = EnrollmentStatus.TERMINATED
    # A suspension already set the last covered day; otherwise coverage ends today.
    enrollment.end_date = enrollment.end_date or today
    enrollment.updated_at = actor.now()
    case.actual_months = enrollment.actual_months
    case.deemed_months = enrollment.deemed_months
    case.balance_fen = balance
    _advance(case, today)
    session.flush()

    agency = actor.counter.agency
    form = InfoForm(
        transaction=transaction_info(txn),
        case_id=case.id,
        case_number=case.case_number,
        person_id=person.id,
        name=person.name,
        id_number=person.id_number,
        sex=Sex(person.sex),
        sex_label=Sex(person.sex).label,
        insurance_type=enrollment.insurance_type,
        insurance_type_name=enrollment.insurance_type.full_name,
        enrollment_periods=_periods(session, person),
        actual_months=enrollment.actual_months,
        deemed_months=enrollment.deemed_months,
        transferred_balance_fen=balance,
        to_agency=str(letter.content["from_agency"]),
        to_region=case.other_region_code,
        contact_letter_number=str(letter.content["letter_number"]),
        contact_letter_date=letter.letter_date,
        agency_name=agency.name,
        agency_address=agency.address,
        agency_phone=agency.phone,
        agency_region=agency.region_code,
        issue_date=today,
    )
    _add_letter(session, case, txn, TransferLetterKind.INFO_FORM, True, today, form)
    return form


# ---------------------------------------------------------------------------------------------
# Transfer in (转入)


@service(Permission.SERVE)
def start_transfer_in(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    origin_agency: str,
    origin_region: str,
    certificate_date: date,
    origin_periods: Sequence[ClosedPeriod],
    origin_actual_months: int,
    origin_deemed_months: int,
    origin_balance_fen: int,
) -> ContactLetter:
    """转入申请: record the origin's 参保凭证 and issue the 联系函 to the origin agency at once
    (under the 2016 rules too, so the 15-day sending deadline is met on acceptance)."""
    agency_name = parse_organisation_name(
        origin_agency, field="origin_agency", what="转出地经办机构名称"
    )
    region = _other_region(origin_region, actor, field="origin_region")
    today = actor.today()
    _check_not_future(certificate_date, today, field="certificate_date", what="参保凭证开具日期")
    periods = _origin_periods(origin_periods, certificate_date)
    _check_amount(origin_actual_months, field="origin_actual_months", what="实际缴费月数")
    _check_amount(origin_deemed_months, field="origin_deemed_months", what="视同缴费月数")
    _check_amount(origin_balance_fen, field="origin_balance_fen", what="个人账户余额")
    person = load_person(session, person_id)
    enrollment = require_current_enrollment(session, person)
    if enrollment.status is not EnrollmentStatus.ACTIVE:
        raise BusinessRuleError(
            f"本地参保状态为「{enrollment.status.label}」，须先在本地参保缴费才能办理转入"
        )
    _ensure_no_open_case(session, person)

    rules = TransferRuleSet(actor.policy.transfer_rules)
    stage = first_stage(TransferDirection.IN, rules)
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.TRANSFER_IN,
        person_id=person.id,
        summary=f"医保关系转入：受理并发出联系函 {person.name}，致 {agency_name}",
        details={"origin_agency": agency_name, "origin_region": region},
    )
    case = _open_case(
        session,
        actor,
        txn,
        person,
        enrollment,
        direction=TransferDirection.IN,
        stage=stage,
        rules=rules,
        other_agency=agency_name,
        other_region=region,
    )
    certificate = {
        "from_agency": agency_name,
        "from_region": region,
        "certificate_date": certificate_date.isoformat(),
        "periods": [[start.isoformat(), end.isoformat()] for start, end in periods],
        "actual_months": origin_actual_months,
        "deemed_months": origin_deemed_months,
        "balance_fen": origin_balance_fen,
    }
    _add_letter(
        session, case, txn, TransferLetterKind.CERTIFICATE, False, certificate_date, certificate
    )
    agency = actor.counter.agency
    letter = ContactLetter(
        transaction=transaction_info(txn),
        case_id=case.id,
        case_number=case.case_number,
        to_agency=agency_name,
        to_region=region,
        person_id=person.id,
        name=person.name,
        id_number=person.id_number,
        sex=Sex(person.sex),
        sex_label=Sex(person.sex).label,
        insurance_type=enrollment.insurance_type,
        insurance_type_name=enrollment.insurance_type.full_name,
        local_start_date=enrollment.start_date,
        origin_certificate_date=certificate_date,
        origin_periods=tuple(periods),
        origin_actual_months=origin_actual_months,
        origin_deemed_months=origin_deemed_months,
        origin_balance_fen=origin_balance_fen,
        gap_bridgeable=gap_is_bridgeable(periods[-1][1], enrollment.start_date, actor.policy),
        agency_name=agency.name,
        agency_address=agency.address,
        agency_phone=agency.phone,
        agency_region=agency.region_code,
        issue_date=today,
        deadline=case.due_on,
        rule_set=rules,
        rule_set_label=rules.label,
    )
    _add_letter(session, case, txn, TransferLetterKind.CONTACT_LETTER, True, today, letter)
    return letter


@service(Permission.SERVE)
def record_info_form(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    received_on: date,
    actual_months: int,
    deemed_months: int,
    balance_fen: int,
) -> TransferStep:
    """收到转出地信息表及划转资金: completion is due within the rule set's deadline from
    ``received_on``."""
    _check_amount(actual_months, field="actual_months", what="实际缴费月数")
    _check_amount(deemed_months, field="deemed_months", what="视同缴费月数")
    _check_amount(balance_fen, field="balance_fen", what="划转金额")
    case = _load_case(session, case_id)
    step = _require_action(case, TransferAction.RECORD_INFO_FORM)
    _check_letter_date(received_on, case, actor.today(), field="received_on", what="收到日期")
    person = load_person(session, case.person_id)
    txn = _record_step(
        session,
        actor,
        case,
        person,
        f"{step}（{format_yuan(balance_fen, unit=True)}）",
        details={
            "actual_months": actual_months,
            "deemed_months": deemed_months,
            "balance_fen": balance_fen,
        },
    )
    case.actual_months = actual_months
    case.deemed_months = deemed_months
    case.balance_fen = balance_fen
    _advance(case, received_on)
    content = {
        "from_agency": case.other_agency_name,
        "received_on": received_on.isoformat(),
        "actual_months": actual_months,
        "deemed_months": deemed_months,
        "balance_fen": balance_fen,
    }
    _add_letter(session, case, txn, TransferLetterKind.INFO_FORM, False, received_on, content)
    return _step(txn, step, case, person)


@service(Permission.SERVE)
def complete_transfer_in(session: Session, actor: Actor, *, case_id: int) -> TransferStep:
    """转入办结: the transferred years and balance are added to the local enrollment."""
    case = _load_case(session, case_id)
    step = _require_action(case, TransferAction.COMPLETE_TRANSFER_IN)
    person = load_person(session, case.person_id)
    enrollment = require_current_enrollment(session, person)
    # Set by record_info_form, the only way into IN_INFO_RECEIVED.
    actual = case.actual_months or 0
    deemed = case.deemed_months or 0
    balance = case.balance_fen or 0
    txn = _record_step(
        session,
        actor,
        case,
        person,
        step,
        details={"enrollment_id": enrollment.id, "balance_fen": balance},
    )
    enrollment.actual_months += actual
    enrollment.deemed_months += deemed
    enrollment.account_balance_fen += balance
    enrollment.updated_at = actor.now()
    add_origin_months(session, case, origin_periods(case))
    _advance(case, actor.today())
    return _step(txn, step, case, person)


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


def _other_region(text: str, actor: Actor, *, field: str) -> str:
    region = parse_region_code(text, field=field)
    if region == actor.counter.agency.region_code:
        raise ValidationError(
            field, f"区划代码 {region} 是本经办机构所在统筹区，同一统筹区内无需办理转移接续"
        )
    return region


def _check_not_future(day: date, today: date, *, field: str, what: str) -> None:
    if day > today:
        raise ValidationError(
            field, f"{what} {day.isoformat()} 晚于今天（{today.isoformat()}），请核对"
        )


def _check_letter_date(
    day: date, case: TransferCase, today: date, *, field: str, what: str
) -> None:
    """A letter answering this case cannot predate the case itself."""
    _check_not_future(day, today, field=field, what=what)
    if day < case.opened_on:
        raise ValidationError(
            field,
            f"{what} {day.isoformat()} 早于本案件受理日期 {case.opened_on.isoformat()}，请核对",
        )


def _check_amount(value: int, *, field: str, what: str) -> None:
    # bool is an int subclass: True is a form mistake, not 1 month.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(field, f"{what}应为整数，输入为「{value!r}」")
    if value < 0:
        raise ValidationError(field, f"{what}不能为负数，输入为 {value}")


def _letter_number(text: str) -> str:
    number = " ".join(text.split())
    if len(number) > MAX_LETTER_NUMBER_LENGTH:
        raise ValidationError(
            "letter_number", f"联系函编号不能超过 {MAX_LETTER_NUMBER_LENGTH} 个字符"
        )
    if any(not ch.isprintable() for ch in number):
        raise ValidationError("letter_number", "联系函编号不能包含控制字符")
    return number


def _origin_periods(periods: Sequence[ClosedPeriod], certificate_date: date) -> list[ClosedPeriod]:
    """The origin's enrollment periods, in order; each within itself and before the certificate,
    none overlapping another."""
    if not periods:
        raise ValidationError("origin_periods", "请填写参保凭证上的参保起止时间")
    if len(periods) > MAX_ORIGIN_PERIODS:
        raise ValidationError("origin_periods", f"参保起止时间不能超过 {MAX_ORIGIN_PERIODS} 段")
    ordered = sorted((start, end) for start, end in periods)
    previous_end: date | None = None
    for start, end in ordered:
        if start > end:
            raise ValidationError(
                "origin_periods", f"参保时间段 {start.isoformat()} 至 {end.isoformat()} 起止颠倒"
            )
        if end > certificate_date:
            raise ValidationError(
                "origin_periods",
                f"参保时间段截止于 {end.isoformat()}，晚于参保凭证开具日期 "
                f"{certificate_date.isoformat()}",
            )
        if previous_end is not None and start <= previous_end:
            raise ValidationError(
                "origin_periods", f"参保时间段 {start.isoformat()} 起与前一段重叠"
            )
        previous_end = end
    return list(ordered)


def _ensure_no_open_case(session: Session, person: Person) -> None:
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


def _open_case(
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


def _load_case(session: Session, case_id: int) -> TransferCase:
    """The case, locked against a second counter taking the same step."""
    case = session.scalar(select(TransferCase).where(TransferCase.id == case_id).with_for_update())
    if case is None:
        raise NotFound(f"转移接续案件（编号 {case_id}）不存在")
    return case


def _require_action(case: TransferCase, action: TransferAction) -> str:
    """The case must be waiting for ``action``; its label names the step in the record."""
    check_next_action(case.stage, action, case=f"{case.direction.label}案件 {case.case_number}")
    return action.label


def _advance(case: TransferCase, started_on: date) -> None:
    """Move the case to its next stage, which started on ``started_on``."""
    stage = next_transfer_stage(case.direction, case.stage)
    case.stage = stage
    case.stage_started_on = started_on
    case.due_on = stage_deadline(case.rule_set, stage, started_on)
    if stage is TransferStage.COMPLETED:
        case.completed_on = started_on


def _record_step(
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


def _received_contact_letter(case: TransferCase) -> TransferLetter:
    for letter in case.letters:
        if letter.kind is TransferLetterKind.CONTACT_LETTER and not letter.issued_here:
            return letter
    # OUT_LETTER_RECEIVED is reached only by recording the letter.
    raise BusinessRuleError(f"案件 {case.case_number} 没有登记联系函")


def origin_periods(case: TransferCase) -> list[ClosedPeriod]:
    """The periods of the origin's 参保凭证 recorded when the transfer-in was accepted."""
    for letter in case.letters:
        if letter.kind is TransferLetterKind.CERTIFICATE and not letter.issued_here:
            return [
                (date.fromisoformat(start), date.fromisoformat(end))
                for start, end in letter.content.get("periods", [])
            ]
    return []


def _periods(session: Session, person: Person) -> tuple[Period, ...]:
    """The person's enrollment periods here, in order."""
    session.refresh(person, ["enrollments"])
    return tuple((e.start_date, e.end_date) for e in person.enrollments)


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    return value


def _add_letter(
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


def _step(txn: TransactionRef, step: str, case: TransferCase, person: Person) -> TransferStep:
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
