"""异地就医备案 (001 #29: 先备案、选定点、持卡就医): file an enrolled citizen for care in another
pooling region, change the filing (变更备案) or cancel it (取消备案).

Each act is one 业务流水 with its 备案回执. A change ends the old filing the day before the new
one begins and files the new one naming it; a cancel ends the filing from a date. Rows are ended,
never rewritten, so the history of where the card settled stays. The person's enrollment row is
locked for the act, so two counters cannot file overlapping filings for one person at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.enrollment import EnrollmentStatus
from medins_desk.domain.medical_filing import (
    FilingKind,
    FilingPeriod,
    FilingState,
    check_cancel_date,
    check_change_date,
    check_destination,
    check_filing_start,
    check_materials,
    check_no_overlap,
    filing_last_day,
    filing_valid_until,
    materials_for,
)
from medins_desk.domain.regions import destination, parse_destination
from medins_desk.domain.roles import Permission
from medins_desk.errors import BusinessRuleError, NotFound, ValidationError
from medins_desk.services.context import Actor, service
from medins_desk.services.enrollment import current_enrollment
from medins_desk.services.persons import FilingLine, filing_line, load_person
from medins_desk.services.transactions import (
    TransactionInfo,
    TransactionRef,
    record_transaction,
    transaction_info,
)
from medins_desk.store.models import Enrollment, MedicalFiling, Person, Transaction

__all__ = [
    "FilingReceipt",
    "cancel_filing",
    "change_filing",
    "file_for_care_elsewhere",
    "filing_receipt",
    "person_filings",
]

MAX_REASON_LENGTH = 100


@dataclass(frozen=True)
class FilingReceipt:
    """备案回执 of a filing, a change or a cancel: where and from when (until when) the card
    settles directly, the kind and the materials received."""

    transaction: TransactionInfo
    act: BusinessKind
    filing_id: int
    person_name: str
    id_number: str
    insurance_type_label: str
    insured_region_code: str
    kind: FilingKind
    kind_label: str
    province_code: str
    province_name: str
    city_code: str
    city_name: str
    destination: str  # 四川省泸州市（510500）, as named on the day of filing
    starts_on: date
    valid_until: date | None  # None: long-term, until changed or cancelled
    ends_from: date | None  # a cancel: the first day the card no longer settles there
    materials: tuple[str, ...]
    missing_materials: tuple[str, ...]
    reason: str | None  # why a filing was cancelled
    replaced: FilingLine | None  # a change: the filing it ended


def _filable_enrollment(session: Session, person: Person) -> Enrollment:
    """The enrollment a filing rests on, locked for the act: active (参保缴费) only."""
    enrollment = current_enrollment(session, person.id, lock=True)
    if enrollment is None or enrollment.status is not EnrollmentStatus.ACTIVE:
        state = "没有参保记录" if enrollment is None else f"参保状态为「{enrollment.status.label}」"
        raise BusinessRuleError(
            f"参保人 {person.name} {state}，须处于参保缴费状态才能办理异地就医备案"
        )
    return enrollment


def _periods(session: Session, person_id: int) -> list[FilingPeriod]:
    rows = session.execute(
        select(MedicalFiling, Transaction.serial, Transaction.counter_no)
        .join(Transaction, Transaction.id == MedicalFiling.transaction_id)
        .where(MedicalFiling.person_id == person_id)
        .order_by(MedicalFiling.starts_on, MedicalFiling.id)
    )
    return [_period(filing, serial, counter) for filing, serial, counter in rows]


def _period(filing: MedicalFiling, serial: str, counter_no: str) -> FilingPeriod:
    return FilingPeriod(
        serial=serial,
        counter_no=counter_no,
        kind=filing.kind,
        destination=f"{filing.destination_name}（{filing.destination_code}）",
        starts_on=filing.starts_on,
        last_day=filing_last_day(filing.valid_until, filing.last_day),
    )


def _new_filing(
    session: Session,
    actor: Actor,
    *,
    person: Person,
    enrollment: Enrollment,
    kind: FilingKind,
    destination_code: str,
    starts_on: date,
    materials: tuple[str, ...],
) -> tuple[MedicalFiling, str]:
    """A filing checked against every rule, not yet tied to its transaction."""
    region = parse_destination(destination_code)
    check_destination(region, insured_region_code=enrollment.region_code)
    check_filing_start(starts_on, enrolled_from=enrollment.start_date)
    received = check_materials(kind, materials)
    valid_until = filing_valid_until(kind, starts_on, actor.policy)
    check_no_overlap(_periods(session, person.id), starts_on, valid_until)
    filing = MedicalFiling(
        person_id=person.id,
        enrollment_id=enrollment.id,
        kind=kind,
        destination_code=region.code,
        destination_name=region.full_name,
        starts_on=starts_on,
        valid_until=valid_until,
        state=FilingState.ACTIVE,
        materials=list(received),
        created_at=actor.now(),
    )
    until = f"至 {valid_until:%Y-%m-%d}" if valid_until else "长期"
    return filing, f"{kind.label}，{region.full_name}，{starts_on:%Y-%m-%d} 起{until}"


@service(Permission.SERVE)
def file_for_care_elsewhere(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    kind: FilingKind,
    destination_code: str,
    starts_on: date,
    materials: tuple[str, ...] = (),
) -> FilingReceipt:
    """异地就医备案: ``destination_code`` is the 就医地's GB/T 2260 code (a district's or county's
    code names its city)."""
    person = load_person(session, person_id)
    enrollment = _filable_enrollment(session, person)
    filing, described = _new_filing(
        session, actor, person=person, enrollment=enrollment, kind=FilingKind(kind),
        destination_code=destination_code, starts_on=starts_on, materials=materials,
    )  # fmt: skip
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.MEDICAL_FILING,
        person_id=person.id,
        summary=f"异地就医备案 {person.name}：{described}",
        details={"destination_code": filing.destination_code, "kind": filing.kind.value},
    )
    filing.transaction_id = txn.id
    session.add(filing)
    session.flush()
    return filing_receipt(session, txn)


def _live_filing(
    session: Session, filing_id: int, today: date
) -> tuple[MedicalFiling, Person, Enrollment]:
    """The filing to change or cancel, read again once the person's enrollment is locked."""
    filing = session.get(MedicalFiling, filing_id)
    if filing is None:
        raise NotFound(f"异地就医备案 {filing_id} 不存在")
    person = load_person(session, filing.person_id)
    enrollment = _filable_enrollment(session, person)
    session.refresh(filing)
    if filing.state is not FilingState.ACTIVE:
        raise BusinessRuleError(f"该异地就医备案{filing.state.label}，不能再变更或取消")
    last = filing_last_day(filing.valid_until, filing.last_day)
    if last is not None and last < today:
        raise BusinessRuleError(
            f"该异地就医备案已于 {last:%Y-%m-%d} 到期，无需变更或取消；请重新办理备案"
        )
    return filing, person, enrollment


def _serial_of(session: Session, filing: MedicalFiling) -> tuple[str, str]:
    txn = session.get_one(Transaction, filing.transaction_id)
    return txn.serial, txn.counter_no


@service(Permission.SERVE)
def change_filing(
    session: Session,
    actor: Actor,
    *,
    filing_id: int,
    kind: FilingKind,
    destination_code: str,
    starts_on: date,
    materials: tuple[str, ...] = (),
) -> FilingReceipt:
    """变更备案: from ``starts_on`` (today or later) the new kind and destination; the old filing
    ends the day before and stays on record."""
    today = actor.today()
    old, person, enrollment = _live_filing(session, filing_id, today)
    check_change_date(starts_on, _period(old, *_serial_of(session, old)), today)
    old.last_day = starts_on - timedelta(days=1)
    old.state = FilingState.CHANGED
    session.flush()
    new, described = _new_filing(
        session, actor, person=person, enrollment=enrollment, kind=FilingKind(kind),
        destination_code=destination_code, starts_on=starts_on, materials=materials,
    )  # fmt: skip
    old.end_reason = f"变更为：{described}"[:MAX_REASON_LENGTH]
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.MEDICAL_FILING_CHANGE,
        person_id=person.id,
        summary=f"异地就医备案变更 {person.name}：{described}",
        details={"replaced_filing_id": old.id, "destination_code": new.destination_code},
    )
    old.ended_transaction_id = txn.id
    new.transaction_id = txn.id
    new.replaces_id = old.id
    session.add(new)
    session.flush()
    return filing_receipt(session, txn)


@service(Permission.SERVE)
def cancel_filing(
    session: Session, actor: Actor, *, filing_id: int, ends_from: date, reason: str
) -> FilingReceipt:
    """取消备案: from ``ends_from`` (today or later) the card no longer settles directly there."""
    text = " ".join(reason.split())
    if not text:
        raise ValidationError("reason", "请填写取消备案的原因")
    if len(text) > MAX_REASON_LENGTH:
        raise ValidationError("reason", f"取消原因不能超过 {MAX_REASON_LENGTH} 个字符")
    today = actor.today()
    filing, person, _enrollment = _live_filing(session, filing_id, today)
    check_cancel_date(ends_from, _period(filing, *_serial_of(session, filing)), today)
    filing.last_day = ends_from - timedelta(days=1)
    filing.state = FilingState.CANCELLED
    filing.end_reason = text
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.MEDICAL_FILING_CANCEL,
        person_id=person.id,
        summary=f"取消异地就医备案 {person.name}：{filing.destination_name}，"
        f"{ends_from:%Y-%m-%d} 起不再直接结算（{text}）",
        details={"filing_id": filing.id, "ends_from": ends_from.isoformat(), "reason": text},
    )
    filing.ended_transaction_id = txn.id
    session.flush()
    return filing_receipt(session, txn)


@service(Permission.LOOK_UP)
def person_filings(session: Session, actor: Actor, *, person_id: int) -> list[FilingLine]:
    """The person's filings, the newest first: the live ones and their history."""
    rows = session.execute(
        select(MedicalFiling, Transaction.serial)
        .join(Transaction, Transaction.id == MedicalFiling.transaction_id)
        .where(MedicalFiling.person_id == person_id)
        .order_by(MedicalFiling.starts_on.desc(), MedicalFiling.id.desc())
    )
    today = actor.today()
    return [filing_line(filing, serial, today) for filing, serial in rows]


def filing_receipt(session: Session, txn: TransactionRef) -> FilingReceipt:
    """The 备案回执 of a filing, change or cancel transaction, from the store: the filing as the
    act left it (a later change or cancel does not alter an earlier receipt)."""
    act = transaction_info(txn).kind
    column = (
        MedicalFiling.ended_transaction_id
        if act is BusinessKind.MEDICAL_FILING_CANCEL
        else MedicalFiling.transaction_id
    )
    filing = session.scalar(select(MedicalFiling).where(column == txn.id))
    if filing is None:
        raise NotFound(f"业务 {txn.serial} 的异地就医备案不存在")
    person = session.get_one(Person, filing.person_id)
    enrollment = session.get_one(Enrollment, filing.enrollment_id)
    region = destination(filing.destination_code)
    province_code = region.province_code if region else filing.destination_code[:2] + "0000"
    province_name = region.province_name if region else ""
    city_name = filing.destination_name.removeprefix(province_name) or filing.destination_name
    replaced = None
    if filing.replaces_id is not None:
        old = session.get_one(MedicalFiling, filing.replaces_id)
        serial, _counter = _serial_of(session, old)
        replaced = filing_line(old, serial, transaction_info(txn).business_day)
    cancel = act is BusinessKind.MEDICAL_FILING_CANCEL
    return FilingReceipt(
        transaction=transaction_info(txn),
        act=act,
        filing_id=filing.id,
        person_name=person.name,
        id_number=person.id_number,
        insurance_type_label=enrollment.insurance_type.label,
        insured_region_code=enrollment.region_code,
        kind=filing.kind,
        kind_label=filing.kind.label,
        province_code=province_code,
        province_name=province_name or filing.destination_name,
        city_code=filing.destination_code,
        city_name=city_name,
        destination=f"{filing.destination_name}（{filing.destination_code}）",
        starts_on=filing.starts_on,
        valid_until=filing.valid_until,
        ends_from=filing.last_day + timedelta(days=1) if cancel and filing.last_day else None,
        materials=tuple(filing.materials),
        missing_materials=tuple(m for m in materials_for(filing.kind) if m not in filing.materials),
        reason=filing.end_reason if cancel else None,
        replaced=replaced,
    )
