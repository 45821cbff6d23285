"""医保关系转出 (transfer out): the 参保凭证, the new region's 联系函, the 信息表.

The suspended person takes the 《基本医疗保险参保凭证》 to the new region; that region's 联系函
arrives; the counter issues the 《参保人员基本医疗保险类型变更信息表》 and remits the personal
account, which ends the enrollment here.
"""

from __future__ import annotations

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
    check_transfer_out_allowed,
    first_stage,
)
from medins_desk.errors import BusinessRuleError, ValidationError
from medins_desk.services.context import Actor, service
from medins_desk.services.enrollment import require_current_enrollment
from medins_desk.services.persons import load_person
from medins_desk.services.transactions import TransactionInfo, record_transaction, transaction_info
from medins_desk.services.transfer.cases import (
    TransferStep,
    add_letter,
    advance,
    check_letter_date,
    ensure_no_open_case,
    load_case,
    open_case,
    other_region,
    record_step,
    require_action,
    transfer_step,
)
from medins_desk.store.models import Person, TransferCase, TransferLetter

MAX_LETTER_NUMBER_LENGTH = 40

Period = tuple[date, date | None]  # an open period has no end yet


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


# ---------------------------------------------------------------------------------------------
# Acts


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
    region = other_region(destination_region, actor, field="destination_region")
    person = load_person(session, person_id)
    enrollment = require_current_enrollment(session, person)
    check_transfer_out_allowed(enrollment.status)
    ensure_no_open_case(session, person)

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
    case = open_case(
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
    add_letter(session, case, txn, TransferLetterKind.CERTIFICATE, True, today, certificate)
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
    case = load_case(session, case_id)
    step = require_action(case, TransferAction.RECORD_CONTACT_LETTER)
    today = actor.today()
    check_letter_date(letter_date, case, today, field="letter_date", what="联系函日期")
    person = load_person(session, case.person_id)
    txn = record_step(session, actor, case, person, f"{step}（{agency_name}）")
    advance(case, today)
    content = {
        "from_agency": agency_name,
        "letter_number": number,
        "letter_date": letter_date.isoformat(),
        "received_on": today.isoformat(),
    }
    add_letter(session, case, txn, TransferLetterKind.CONTACT_LETTER, False, letter_date, content)
    return transfer_step(txn, step, case, person)


@service(Permission.SERVE)
def issue_info_form(session: Session, actor: Actor, *, case_id: int) -> InfoForm:
    """出具信息表并划转个人账户: the balance leaves with the person and the enrollment here ends."""
    case = load_case(session, case_id)
    step = require_action(case, TransferAction.ISSUE_INFO_FORM)
    person = load_person(session, case.person_id)
    enrollment = require_current_enrollment(session, person)
    check_transfer_out_allowed(enrollment.status)
    letter = _received_contact_letter(case)
    today = actor.today()

    balance = enrollment.account_balance_fen
    txn = record_step(
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
    advance(case, today)
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
    add_letter(session, case, txn, TransferLetterKind.INFO_FORM, True, today, form)
    return form


# ---------------------------------------------------------------------------------------------
# Helpers


def _letter_number(text: str) -> str:
    number = " ".join(text.split())
    if len(number) > MAX_LETTER_NUMBER_LENGTH:
        raise ValidationError(
            "letter_number", f"联系函编号不能超过 {MAX_LETTER_NUMBER_LENGTH} 个字符"
        )
    if any(not ch.isprintable() for ch in number):
        raise ValidationError("letter_number", "联系函编号不能包含控制字符")
    return number


def _received_contact_letter(case: TransferCase) -> TransferLetter:
    for letter in case.letters:
        if letter.kind is TransferLetterKind.CONTACT_LETTER and not letter.issued_here:
            return letter
    # OUT_LETTER_RECEIVED is reached only by recording the letter.
    raise BusinessRuleError(f"案件 {case.case_number} 没有登记联系函")


def _periods(session: Session, person: Person) -> tuple[Period, ...]:
    """The person's enrollment periods here, in order."""
    session.refresh(person, ["enrollments"])
    return tuple((e.start_date, e.end_date) for e in person.enrollments)
