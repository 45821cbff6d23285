"""Demo acts of 城乡居民医保退费: a resident who paid before her benefits began and then took a
job asks for the contribution back; the supervisor approves it (复核)."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from typing import TYPE_CHECKING

from medins_desk.domain.benefits import (
    EnrollmentCategory,
    HouseholdKind,
    RefundReason,
    resident_benefit_start,
)
from medins_desk.services.demo.day import demo_act, fresh_identity_number
from medins_desk.services.enrollment import EnrollmentRequest, register_and_enroll
from medins_desk.services.persons import Registration
from medins_desk.services.refund import request_refund, review_refund

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay


@demo_act()
def paid_for_next_year(day: DemoDay) -> None:
    """Business of earlier days: a young resident registered and paid two weeks ago; in the
    collection period that is for next year, outside it a new enrollee's wait. Either way her
    benefits have not begun, so she may ask for the money back today (``took_a_job``)."""
    birth = date(2001, 5, 9)
    earlier = day.back_then(10)
    benefit = resident_benefit_start(earlier.date(), day.actors["clerk2"].policy)
    # Early in a benefit year, what was paid for it in the collection period is in use and
    # cannot be refunded: she paid this morning instead, a new enrollee who waits.
    with day.at(earlier) if benefit.starts_on > day.today else nullcontext():
        with day.sessions() as session:
            number = fresh_identity_number(
                session, day.rng, birth=birth, male=False, area=day.region
            )
        receipt = day.act(
            "clerk2",
            register_and_enroll,
            registration=Registration(
                id_number=number,
                name="何静怡",
                phone="13720196458",
                household_kind=HouseholdKind.LOCAL,
            ),
            request=EnrollmentRequest(
                category=EnrollmentCategory.RESIDENT_OTHER,
                paid_on=day.clock().date(),
                materials=("居民身份证或户口簿", "参保缴费登记表"),
            ),
        )
    day.cast["refunded"] = receipt.person_id


@demo_act()
def took_a_job(day: DemoDay) -> None:
    """退费: she has been taken on by an employer, who insures her; the supervisor approves."""
    reason = RefundReason.EMPLOYED
    receipt = day.act(
        "clerk2",
        request_refund,
        person_id=day.cast["refunded"],
        reason=reason,
        materials=reason.materials,
        note="已被单位录用，由单位参加职工医保",
    )
    day.act(
        "super1",
        review_refund,
        request_id=receipt.request_id,
        approve=True,
        comment="材料齐全，待遇享受期未开始，同意退费",
    )
