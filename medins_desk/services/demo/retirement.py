"""Demo acts of 职工医保在职转退休: a man retired at 60 five weeks ago, his months paid here since
1997 and his working years before confirmed on the 退休审批表 as 视同缴费, qualifies and his
benefits go on without a break; a woman retired at 50 last month, with years brought from
Nanjing, is short of 25 years and registers a deferral (延迟退休登记) to pay year by year.

Their months stand in for what the collection system loads (as the bulk population's do)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import insert

from medins_desk.domain.contributions import ContributionSource, months_between
from medins_desk.domain.enrollment import InsuranceType
from medins_desk.domain.retirement import RetirementOutcome
from medins_desk.services.demo.day import demo_act
from medins_desk.services.retirement import retire
from medins_desk.store.models import ContributionMonth

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay

NANJING = "320102"


def _years_before(day: date, years: int) -> date:
    return date(day.year - years, day.month, min(day.day, 28))


def _on_record(
    day: DemoDay, person_id: int, start: date, end: date, source: ContributionSource, region: str
) -> None:
    with day.sessions() as session:
        session.execute(
            insert(ContributionMonth),
            [
                {
                    "person_id": person_id, "month": month,
                    "insurance_type": InsuranceType.EMPLOYEE, "region_code": region,
                    "source": source, "base_fen": None, "amount_fen": None,
                    "transfer_case_id": None,
                }
                for month in months_between(start, end)
            ],
        )  # fmt: skip
        session.commit()


@demo_act()
def retirements(day: DemoDay) -> None:
    """Two retirees after their pension 退休审批: one qualified, one short."""
    retired = day.today - timedelta(days=35)
    birth = _years_before(retired, 60)
    man = day.register(
        "clerk2", name="赵永福", birth=birth, male=True, insurance=InsuranceType.EMPLOYEE
    )
    _on_record(day, man, date(1997, 1, 1), retired, ContributionSource.LOCAL, day.region)
    day.act(
        "clerk2",
        retire,
        person_id=man,
        retirement_date=retired,
        deemed_from=f"{birth.year + 20}-07",
        deemed_to="1996-12",
    )
    retired = day.today - timedelta(days=20)
    woman = day.register(
        "clerk2",
        name="孙丽华",
        birth=_years_before(retired, 50),
        male=False,
        insurance=InsuranceType.EMPLOYEE,
    )
    _on_record(day, woman, date(2005, 1, 1), date(2011, 12, 1), ContributionSource.TRANSFERRED,
               NANJING)  # fmt: skip
    _on_record(day, woman, date(2012, 3, 1), retired, ContributionSource.LOCAL, day.region)
    day.act(
        "clerk2",
        retire,
        person_id=woman,
        retirement_date=retired,
        option=RetirementOutcome.DEFERRED,
    )
