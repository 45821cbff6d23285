"""参保证明 and 参保缴费证明: the paper a bank, an employer or a school asks a citizen for.

The certificate lists the person's enrollment periods here and those a completed transfer-in
brought (category, region, from-to, status); the 参保缴费证明 adds the months on record and their
totals. Its QR is the voucher's signed payload, so whoever holds it can have it verified
(``voucher verify``); a voided certificate then verifies as 已作废. What was printed is kept with
the act, so a reprint is the certificate as issued, whatever was added since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.contributions import (
    CertificateScope,
    ContributionSummary,
    YearMonths,
    parse_purpose,
)
from medins_desk.domain.identity import Sex
from medins_desk.domain.roles import Permission
from medins_desk.domain.transfer import TransferDirection, TransferStage
from medins_desk.errors import NotFound, ValidationError
from medins_desk.services.context import Actor, service
from medins_desk.services.contributions import contribution_summary
from medins_desk.services.persons import load_person
from medins_desk.services.transactions import (
    TransactionInfo,
    TransactionRef,
    record_transaction,
    transaction_info,
)
from medins_desk.services.transfer.transfer_in import origin_periods
from medins_desk.store.models import Certificate, Enrollment, Person, TransferCase

__all__ = [
    "CertificatePeriod",
    "InsuranceCertificate",
    "certificate_receipt",
    "issue_certificate",
]


@dataclass(frozen=True)
class CertificatePeriod:
    """A line of the certificate's periods table."""

    insurance: str  # 险种 (category where known)
    region_code: str
    start: date
    end: date | None  # None: to this day
    status: str


@dataclass(frozen=True)
class InsuranceCertificate:
    """参保证明 / 参保缴费证明 as printed."""

    transaction: TransactionInfo
    certificate_id: int
    scope: CertificateScope
    title: str
    person_id: int
    name: str
    id_number: str
    sex_label: str
    purpose: str
    periods: tuple[CertificatePeriod, ...]
    contributions: ContributionSummary | None  # None on a 参保证明
    agency_name: str
    agency_region: str
    issue_date: date


@service(Permission.SERVE)
def issue_certificate(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    scope: CertificateScope,
    purpose: str = "",
) -> InsuranceCertificate:
    """开具参保证明: refused for a person with no enrollment on record."""
    what = CertificateScope(scope)
    use = parse_purpose(purpose)
    person = load_person(session, person_id)
    periods = _periods(session, person)
    if not periods:
        raise ValidationError(
            "person",
            f"参保人 {person.name} 没有参保记录（本地与转入均无），不能开具{what.label}；"
            "请先办理参保登记",
        )
    summary = (
        contribution_summary(session, person.id) if what is CertificateScope.CONTRIBUTION else None
    )
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.CERTIFICATE,
        person_id=person.id,
        summary=f"开具{what.label} {person.name}" + (f"（用途：{use}）" if use else ""),
        details={"scope": what.value, "purpose": use},
    )
    agency = actor.counter.agency
    certificate = InsuranceCertificate(
        transaction=transaction_info(txn),
        certificate_id=0,
        scope=what,
        title=what.label,
        person_id=person.id,
        name=person.name,
        id_number=person.id_number,
        sex_label=Sex(person.sex).label,
        purpose=use,
        periods=periods,
        contributions=summary,
        agency_name=agency.name,
        agency_region=agency.region_code,
        issue_date=actor.today(),
    )
    row = Certificate(
        transaction_id=txn.id, person_id=person.id, scope=what, content=_content(certificate)
    )
    session.add(row)
    session.flush()
    return _revived(txn, row)


def certificate_receipt(session: Session, txn: TransactionRef) -> InsuranceCertificate:
    """The certificate of a transaction, as issued."""
    row = session.scalar(select(Certificate).where(Certificate.transaction_id == txn.id))
    if row is None:
        raise NotFound(f"业务 {txn.serial} 的证明不存在")
    return _revived(txn, row)


def _periods(session: Session, person: Person) -> tuple[CertificatePeriod, ...]:
    """Here and brought by completed transfers-in, in order of their start."""
    lines = [
        CertificatePeriod(
            insurance=e.category.label if e.category else e.insurance_type.label,
            region_code=e.region_code,
            start=e.start_date,
            end=e.end_date,
            status=e.status.label,
        )
        for e in session.scalars(
            select(Enrollment).where(Enrollment.person_id == person.id).order_by(Enrollment.id)
        )
    ]
    cases = session.scalars(
        select(TransferCase).where(
            TransferCase.person_id == person.id,
            TransferCase.direction == TransferDirection.IN,
            TransferCase.stage == TransferStage.COMPLETED,
        )
    )
    for case in cases:
        lines.extend(
            CertificatePeriod(
                insurance=case.insurance_type.label,
                region_code=case.other_region_code,
                start=start,
                end=end,
                status="已转入本地",
            )
            for start, end in origin_periods(case)
        )
    return tuple(sorted(lines, key=lambda line: line.start))


def _content(c: InsuranceCertificate) -> dict[str, Any]:
    """What is kept of a certificate: every printed field but the transaction's."""
    summary = c.contributions
    return {
        "purpose": c.purpose,
        "name": c.name,
        "id_number": c.id_number,
        "sex_label": c.sex_label,
        "periods": [
            [p.insurance, p.region_code, p.start.isoformat(), p.end and p.end.isoformat(), p.status]
            for p in c.periods
        ],
        "contributions": None
        if summary is None
        else {
            "total": summary.total,
            "local": summary.local,
            "transferred": summary.transferred,
            "deemed": summary.deemed,
            "first": summary.first,
            "last": summary.last,
            "continuous": summary.continuous,
            "interrupted": summary.interrupted,
            "years": [[y.year, list(y.months)] for y in summary.years],
        },
        "agency_name": c.agency_name,
        "agency_region": c.agency_region,
        "issue_date": c.issue_date.isoformat(),
    }


def _revived(txn: TransactionRef, row: Certificate) -> InsuranceCertificate:
    content = row.content
    summary = content["contributions"]
    return InsuranceCertificate(
        transaction=transaction_info(txn),
        certificate_id=row.id,
        scope=row.scope,
        title=row.scope.label,
        person_id=row.person_id,
        name=content["name"],
        id_number=content["id_number"],
        sex_label=content["sex_label"],
        purpose=content["purpose"],
        periods=tuple(
            CertificatePeriod(
                insurance=insurance,
                region_code=region,
                start=date.fromisoformat(start),
                end=date.fromisoformat(end) if end else None,
                status=status,
            )
            for insurance, region, start, end, status in content["periods"]
        ),
        contributions=None
        if summary is None
        else ContributionSummary(
            total=summary["total"],
            local=summary["local"],
            transferred=summary["transferred"],
            deemed=summary["deemed"],
            first=summary["first"],
            last=summary["last"],
            continuous=summary["continuous"],
            interrupted=summary["interrupted"],
            years=tuple(YearMonths(year, tuple(months)) for year, months in summary["years"]),
        ),
        agency_name=content["agency_name"],
        agency_region=content["agency_region"],
        issue_date=date.fromisoformat(content["issue_date"]),
    )
