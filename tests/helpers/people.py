"""Valid synthetic identity numbers and people for tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import insert
from sqlalchemy.orm import Session

from medins_desk.domain.contributions import ContributionSource
from medins_desk.domain.enrollment import InsuranceType
from medins_desk.domain.identity import check_character
from medins_desk.services.context import Actor
from medins_desk.services.persons import EnrollmentInput, PersonRegistered, register_person
from medins_desk.store.models import ContributionMonth


def make_id(birth: date, *, area: str = "110105", sequence: int = 1, male: bool = True) -> str:
    """An 18-character number with a correct check character (sequence parity gives the sex)."""
    seq = sequence * 2 + (1 if male else 0) if sequence < 500 else sequence
    first17 = f"{area}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + check_character(first17)


def register(
    session: Session,
    actor: Actor,
    *,
    name: str = "张三",
    birth: date = date(1980, 5, 17),
    sequence: int = 1,
    male: bool = True,
    enrolled: bool = True,
    **extra: object,
) -> PersonRegistered:
    enrollment = (
        EnrollmentInput(InsuranceType.EMPLOYEE, date(2005, 7, 1), "110105", actual_months=180)
        if enrolled
        else None
    )
    return register_person(
        session,
        actor,
        id_number=make_id(birth, sequence=sequence, male=male),
        name=name,
        enrollment=enrollment,
        **extra,  # type: ignore[arg-type]
    )


def put_on_record(
    session: Session,
    person_id: int,
    months: Iterable[str],
    *,
    source: ContributionSource = ContributionSource.LOCAL,
    region: str = "110105",
) -> None:
    """职工医保 months the collection system put on record (the store's loader does the same)."""
    session.execute(
        insert(ContributionMonth),
        [
            {
                "person_id": person_id, "month": month, "insurance_type": InsuranceType.EMPLOYEE,
                "region_code": region, "source": source, "base_fen": None, "amount_fen": None,
                "transfer_case_id": None,
            }
            for month in months
        ],
    )  # fmt: skip
