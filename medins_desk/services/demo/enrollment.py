"""Demo acts of 参保登记 and 参保状态变更: a newborn registered on the 出生医学证明 with a parent
as guardian, a new enrollee who waits, a 灵活就业 enrollee from another province, employees who
left their employers going on as individuals (续保) within and after the 90 days, and one back
at work (恢复参保)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from medins_desk.domain.benefits import (
    EnrollmentCategory,
    HouseholdKind,
    in_collection_period,
    materials_for,
)
from medins_desk.domain.enrollment import InsuranceType
from medins_desk.domain.identity import Sex
from medins_desk.services.demo.day import (
    demo_act,
    fresh_birth_certificate_number,
    fresh_identity_number,
)
from medins_desk.services.demo.population import AREAS, child_name
from medins_desk.services.enrollment import (
    EnrollmentRequest,
    enroll_person,
    register_and_enroll,
    resume_enrollment,
    suspend_enrollment,
)
from medins_desk.services.persons import Registration
from medins_desk.store.models import Person

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay

# Employees their employers reported gone (单位减员) some working days before today: the part
# they play today, how long ago, who they are and why.
_LEFT = (
    ("left_long_ago", 90, "马晓东", date(1983, 7, 12), True, "13651207784", "与单位解除劳动合同"),
    ("left_recently", 40, "林雅琴", date(1990, 2, 25), False, "18610472395", "劳动合同期满终止"),
    ("on_leave", 20, "郭立新", date(1978, 10, 3), True, "13522098716", "停薪留职，单位暂停缴费"),
)

# Where a 灵活就业 enrollee's 户口 is: the first of these not in the hall's province.
_HOMETOWNS = ("410105", "510107")


@demo_act()
def left_employers(day: DemoDay) -> None:
    """Business of earlier days: employers reported three employees gone, their enrollments
    suspended from that day. Two go on as individuals today (``continuations``), one within
    90 days of the last covered day and one after; the third is back at work (``back_to_work``).
    """
    for part, working_days, name, birth, male, phone, reason in _LEFT:
        with day.at(day.back_then(working_days)):
            person_id = day.register(
                "clerk1",
                name=name,
                birth=birth,
                male=male,
                insurance=InsuranceType.EMPLOYEE,
                phone=phone,
            )
            day.act(
                "clerk1",
                suspend_enrollment,
                person_id=person_id,
                effective=day.clock().date(),
                reason=reason,
            )
        day.cast[part] = person_id


@demo_act(cast=("new_parent",))
def newborn(day: DemoDay) -> None:
    """A baby of six weeks, registered on the 出生医学证明 before the 户口 is, a parent as
    guardian: paid for within three months of birth, covered from birth. The 户口簿 is still to
    come, so the 回执 tells what is missing (一次性告知)."""
    _register_baby(
        day,
        "clerk2",
        day.cast["new_parent"],
        born=day.today - timedelta(days=41),
        materials=("出生医学证明", "监护人居民身份证", "参保缴费登记表"),
    )


@demo_act()
def continuations(day: DemoDay) -> None:
    """离职后个人续保, the suspended employee enrollment closed by it: within 90 days of the last
    covered day with the gap made up, covered without a break; after 90 days, covered once six
    months are paid."""
    category = EnrollmentCategory.EMPLOYEE_CONTINUATION
    for username, part, gap_made_up in (
        ("clerk1", "left_recently", True),
        ("clerk3", "left_long_ago", False),
    ):
        day.act(
            username,
            enroll_person,
            person_id=day.cast[part],
            request=EnrollmentRequest(
                category=category,
                paid_on=day.today,
                materials=materials_for(category),
                gap_made_up=gap_made_up,
            ),
        )


@demo_act()
def flexible_employment(day: DemoDay) -> None:
    """灵活就业 with a 户口 in another province and a 居住证 here: insured as an individual for
    the first time, covered once six months are paid."""
    home, hometown, _ = next(a for a in AREAS if a[0] in _HOMETOWNS and a[0][:2] != day.region[:2])
    _, city, postcode = _hall_area(day)
    birth = date(1993, 8, 6)
    with day.sessions() as session:
        number = fresh_identity_number(session, day.rng, birth=birth, male=False, area=home)
    category = EnrollmentCategory.FLEXIBLE_EMPLOYMENT
    day.act(
        "clerk3",
        register_and_enroll,
        registration=Registration(
            id_number=number,
            name="孙晓燕",
            phone="15838216470",
            address=f"{city}建设路{day.rng.randint(1, 200)}号院{day.rng.randint(1, 12)}号楼",
            postcode=postcode,
            household_kind=HouseholdKind.NON_LOCAL,
            household_address=f"{hometown}文化路{day.rng.randint(1, 99)}号",
        ),
        request=EnrollmentRequest(
            category=category, paid_on=day.today, materials=materials_for(category)
        ),
    )


@demo_act()
def back_to_work(day: DemoDay) -> None:
    """恢复参保: back at the employer after leave, contributions paid again from today."""
    day.act(
        "clerk3",
        resume_enrollment,
        person_id=day.cast["on_leave"],
        effective=day.today,
        reason="停薪留职期满回原单位，单位恢复缴费",
    )


@demo_act(cast=("late_parent",))
def late_enrollee(day: DemoDay) -> None:
    """A new enrollee's wait (新参保人员等待期): outside the collection period an adult resident
    who pays now is covered 180 days later. In it (September to December) whoever pays is
    covered from 1 January, so the wait is shown by a baby whose parents come five months after
    the birth, past the newborn's three months."""
    if in_collection_period(day.today, day.actors["clerk1"].policy):
        _register_baby(
            day,
            "clerk1",
            day.cast["late_parent"],
            born=day.today - timedelta(days=152),
            materials=materials_for(EnrollmentCategory.NEWBORN),
        )
        return
    code, city, postcode = _hall_area(day)
    birth = date(1969, 4, 17)
    with day.sessions() as session:
        number = fresh_identity_number(session, day.rng, birth=birth, male=True, area=code)
    day.act(
        "clerk1",
        register_and_enroll,
        registration=Registration(
            id_number=number,
            name="徐国栋",
            phone="13910583627",
            address=f"{city}幸福里{day.rng.randint(1, 60)}号",
            postcode=postcode,
            household_kind=HouseholdKind.LOCAL,
        ),
        request=EnrollmentRequest(
            category=EnrollmentCategory.RESIDENT_OTHER,
            paid_on=day.today,
            materials=("居民身份证或户口簿", "参保缴费登记表"),
        ),
    )


def _register_baby(
    day: DemoDay, username: str, parent_id: int, *, born: date, materials: tuple[str, ...]
) -> None:
    """A newborn registered on the 出生医学证明 and enrolled, the parent as guardian, reachable
    at the parent's phone and address."""
    with day.sessions() as session:
        parent = session.get_one(Person, parent_id)
        number = fresh_birth_certificate_number(session, day.rng, area=day.region)
        parent_name, ethnicity = parent.name, parent.ethnicity
        phone, address, postcode = parent.phone, parent.address, parent.postcode
    male = day.rng.random() < 0.5
    day.act(
        username,
        register_and_enroll,
        registration=Registration(
            id_number="",
            name=child_name(day.rng, parent_name, male=male),
            sex=(Sex.MALE if male else Sex.FEMALE).value,
            birth_date=born,
            ethnicity=ethnicity,
            phone=phone,
            address=address,
            postcode=postcode,
            birth_certificate_number=number,
        ),
        request=EnrollmentRequest(
            category=EnrollmentCategory.NEWBORN,
            paid_on=day.today,
            materials=materials,
            guardian_id=parent_id,
        ),
    )


def _hall_area(day: DemoDay) -> tuple[str, str, str]:
    """The hall's area (code, city and district, postcode), or Beijing's Chaoyang district."""
    return next((a for a in AREAS if a[0] == day.region), AREAS[2])
