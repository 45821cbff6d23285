"""医保关系转入 (transfer in): the origin's 参保凭证, the 联系函, the 信息表 and completion.

The counter records the origin's 参保凭证 and sends the 《基本医疗保险关系转移接续联系函》; the
origin's 信息表 and funds arrive; the years and balance are added to the local enrollment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.contact import parse_organisation_name
from medins_desk.domain.enrollment import EnrollmentStatus, InsuranceType
from medins_desk.domain.identity import Sex
from medins_desk.domain.money import format_yuan
from medins_desk.domain.roles import Permission
from medins_desk.domain.transfer import (
    TransferAction,
    TransferDirection,
    TransferLetterKind,
    TransferRuleSet,
    first_stage,
    gap_is_bridgeable,
)
from medins_desk.errors import BusinessRuleError, ValidationError
from medins_desk.services.context import Actor, service
from medins_desk.services.contributions import add_origin_months
from medins_desk.services.enrollment import require_current_enrollment
from medins_desk.services.persons import load_person
from medins_desk.services.transactions import TransactionInfo, record_transaction, transaction_info
from medins_desk.services.transfer.cases import (
    TransferStep,
    add_letter,
    advance,
    check_letter_date,
    check_not_future,
    ensure_no_open_case,
    load_case,
    open_case,
    other_region,
    record_step,
    require_action,
    transfer_step,
)
from medins_desk.store.models import TransferCase

MAX_ORIGIN_PERIODS = 50

ClosedPeriod = tuple[date, date]


# ---------------------------------------------------------------------------------------------
# Results


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


# ---------------------------------------------------------------------------------------------
# Acts


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
    region = other_region(origin_region, actor, field="origin_region")
    today = actor.today()
    check_not_future(certificate_date, today, field="certificate_date", what="参保凭证开具日期")
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
    ensure_no_open_case(session, person)

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
    case = open_case(
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
    add_letter(
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
    add_letter(session, case, txn, TransferLetterKind.CONTACT_LETTER, True, today, letter)
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
    case = load_case(session, case_id)
    step = require_action(case, TransferAction.RECORD_INFO_FORM)
    check_letter_date(received_on, case, actor.today(), field="received_on", what="收到日期")
    person = load_person(session, case.person_id)
    txn = record_step(
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
    advance(case, received_on)
    content = {
        "from_agency": case.other_agency_name,
        "received_on": received_on.isoformat(),
        "actual_months": actual_months,
        "deemed_months": deemed_months,
        "balance_fen": balance_fen,
    }
    add_letter(session, case, txn, TransferLetterKind.INFO_FORM, False, received_on, content)
    return transfer_step(txn, step, case, person)


@service(Permission.SERVE)
def complete_transfer_in(session: Session, actor: Actor, *, case_id: int) -> TransferStep:
    """转入办结: the transferred years and balance are added to the local enrollment."""
    case = load_case(session, case_id)
    step = require_action(case, TransferAction.COMPLETE_TRANSFER_IN)
    person = load_person(session, case.person_id)
    enrollment = require_current_enrollment(session, person)
    # Set by record_info_form, the only way into IN_INFO_RECEIVED.
    actual = case.actual_months or 0
    deemed = case.deemed_months or 0
    balance = case.balance_fen or 0
    txn = record_step(
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
    advance(case, actor.today())
    return transfer_step(txn, step, case, person)


# ---------------------------------------------------------------------------------------------
# Helpers


def _check_amount(value: int, *, field: str, what: str) -> None:
    # bool is an int subclass: True is a form mistake, not 1 month.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(field, f"{what}应为整数，输入为「{value!r}」")
    if value < 0:
        raise ValidationError(field, f"{what}不能为负数，输入为 {value}")


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


def origin_periods(case: TransferCase) -> list[ClosedPeriod]:
    """The periods of the origin's 参保凭证 recorded when the transfer-in was accepted."""
    for letter in case.letters:
        if letter.kind is TransferLetterKind.CERTIFICATE and not letter.issued_here:
            return [
                (date.fromisoformat(start), date.fromisoformat(end))
                for start, end in letter.content.get("periods", [])
            ]
    return []
