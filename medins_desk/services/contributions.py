"""缴费月份 on record: a person's totals, and the months a completed transfer-in brings.

Months paid here are loaded from the collection system (the demo seed stands in for it); the
counter itself adds only what a 信息表 brought, when the transfer-in is completed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from medins_desk.domain.contributions import (
    ContributionSource,
    ContributionSummary,
    origin_months,
    summarize_contributions,
)
from medins_desk.store.models import ContributionMonth, TransferCase, table_of

__all__ = ["add_origin_months", "contribution_summary"]

_months = table_of(ContributionMonth)


def contribution_summary(session: Session, person_id: int) -> ContributionSummary:
    """The totals of the person's months on record (every insurance type and region)."""
    rows = session.execute(
        select(_months.c.month, _months.c.source).where(_months.c.person_id == person_id)
    )
    return summarize_contributions((month, source) for month, source in rows)


def add_origin_months(
    session: Session, case: TransferCase, periods: Sequence[tuple[date, date]]
) -> int:
    """Put on record the months the 信息表 of ``case`` brought (see ``origin_months``); a month
    already on record for the origin region is kept as it is. Returns the months added."""
    transferred, deemed = origin_months(periods, case.actual_months or 0, case.deemed_months or 0)
    known = set(
        session.scalars(
            select(_months.c.month).where(
                _months.c.person_id == case.person_id,
                _months.c.insurance_type == case.insurance_type,
                _months.c.region_code == case.other_region_code,
            )
        )
    )
    rows = [
        {
            "person_id": case.person_id,
            "month": month,
            "insurance_type": case.insurance_type,
            "region_code": case.other_region_code,
            "source": source,
            "base_fen": None,
            "amount_fen": None,
            "transfer_case_id": case.id,
        }
        for months, source in (
            (transferred, ContributionSource.TRANSFERRED),
            (deemed, ContributionSource.DEEMED),
        )
        for month in months
        if month not in known
    ]
    if rows:
        session.execute(insert(_months), rows)
    return len(rows)
