"""Demo acts of 异地就医备案: filings of earlier days, then today a change (the worker posted on
to another city), a referral (异地转诊) and a cancel (home again)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from medins_desk.domain.medical_filing import FilingKind, materials_for
from medins_desk.services.demo.day import demo_act
from medins_desk.services.medical_filing import (
    cancel_filing,
    change_filing,
    file_for_care_elsewhere,
    person_filings,
)
from medins_desk.services.persons import FilingLine, PersonDetail, get_person

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay

SHENZHEN, GUANGZHOU, SANYA, SHANGHAI = "440300", "440100", "460200", "310000"


def _from(day: DemoDay, person_id: int) -> date:
    """The day a filing made now begins: today, or the enrollment's start if later (a
    stand-in enrolled today, when the population is small)."""
    person: PersonDetail = day.call("clerk1", get_person, person_id=person_id)
    return max([day.clock().date(), *(e.start_date for e in person.enrollments)])


def _live_filing(day: DemoDay, person_id: int) -> int:
    lines: list[FilingLine] = day.call("clerk1", person_filings, person_id=person_id)
    return next(line.id for line in lines if line.live)


@demo_act(cast=("posted_away", "wintering"))
def filed_weeks_ago(day: DemoDay) -> None:
    """Business of earlier days: a worker posted to 深圳 and a resident who winters in 三亚."""
    with day.at(day.back_then(15)):
        day.act(
            "clerk1", file_for_care_elsewhere, person_id=day.cast["posted_away"],
            kind=FilingKind.WORK_ELSEWHERE, destination_code=SHENZHEN,
            starts_on=_from(day, day.cast["posted_away"]),
            materials=materials_for(FilingKind.WORK_ELSEWHERE),
        )  # fmt: skip
        day.act(
            "clerk2", file_for_care_elsewhere, person_id=day.cast["wintering"],
            kind=FilingKind.LONG_TERM_RESIDENCE, destination_code=SANYA,
            starts_on=_from(day, day.cast["wintering"]),
            materials=materials_for(FilingKind.LONG_TERM_RESIDENCE)[:2],
        )  # fmt: skip


@demo_act(cast=("referred",))
def filings_today(day: DemoDay) -> None:
    """The worker is posted on to 广州 from today; a patient is referred to 上海 for surgery;
    the resident is home from 三亚 and cancels."""
    posted = day.cast["posted_away"]
    day.act(
        "clerk2", change_filing, filing_id=_live_filing(day, posted),
        kind=FilingKind.WORK_ELSEWHERE, destination_code=GUANGZHOU, starts_on=day.today,
        materials=materials_for(FilingKind.WORK_ELSEWHERE),
    )  # fmt: skip
    day.act(
        "clerk3", file_for_care_elsewhere, person_id=day.cast["referred"],
        kind=FilingKind.REFERRAL, destination_code=SHANGHAI, starts_on=day.today,
        materials=materials_for(FilingKind.REFERRAL),
    )  # fmt: skip
    day.act(
        "clerk1", cancel_filing, filing_id=_live_filing(day, day.cast["wintering"]),
        ends_from=day.today, reason="已回参保地长期居住",
    )  # fmt: skip
