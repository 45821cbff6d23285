"""参保类别 and 待遇享受起始日: each rule at its boundaries (the seeds, 001 #27 #32 #33 #57)."""

from __future__ import annotations

import functools
from datetime import date

import pytest

from medins_desk.domain.benefits import (
    EnrollmentCategory,
    HouseholdKind,
    benefit_start_for,
    check_category_fits,
    check_refund_allowed,
    employee_individual_benefit_start,
    in_collection_period,
    materials_for,
    missing_materials,
    newborn_benefit_start,
    parse_birth_certificate_number,
    resident_benefit_start,
)
from medins_desk.domain.enrollment import InsuranceType
from medins_desk.domain.policy import Policy
from medins_desk.errors import BusinessRuleError, ValidationError

POLICY = Policy()


def test_the_collection_period_is_september_to_december_by_default() -> None:
    assert not in_collection_period(date(2026, 8, 31), POLICY)
    assert in_collection_period(date(2026, 9, 1), POLICY)
    assert in_collection_period(date(2026, 12, 31), POLICY)
    assert not in_collection_period(date(2027, 1, 1), POLICY)


def test_a_resident_paying_on_the_last_day_of_the_period_is_covered_from_new_year() -> None:
    start = resident_benefit_start(date(2026, 12, 31), POLICY)
    assert start.starts_on == date(2027, 1, 1)
    assert "集中缴费期" in start.rule


def test_a_resident_paying_after_the_period_waits_180_days() -> None:
    start = resident_benefit_start(date(2027, 1, 1), POLICY)
    assert start.starts_on == date(2027, 6, 30)  # 1 January + 180 days
    assert "新参保人员" in start.rule and "180 天" in start.rule


def test_region_values_move_the_rules() -> None:
    policy = Policy(
        resident_collection_start_month=10, resident_collection_end_month=11,
        resident_waiting_days=90,
    )  # fmt: skip
    assert resident_benefit_start(date(2026, 9, 30), policy).starts_on == date(2026, 12, 29)
    assert resident_benefit_start(date(2026, 11, 30), policy).starts_on == date(2027, 1, 1)


def test_a_newborn_paid_for_within_three_months_to_the_day_is_covered_from_birth() -> None:
    birth = date(2026, 1, 31)
    inside = newborn_benefit_start(birth, date(2026, 4, 30), POLICY)  # 3 months, clamped
    assert inside.starts_on == birth and inside.continuous
    late = newborn_benefit_start(birth, date(2026, 5, 1), POLICY)
    assert late.starts_on == date(2026, 10, 28) and not late.continuous
    assert "超过 3 个月" in late.rule


def test_a_newborn_cannot_be_paid_for_before_birth() -> None:
    with pytest.raises(ValidationError, match="早于出生日期"):
        newborn_benefit_start(date(2026, 5, 1), date(2026, 4, 30), POLICY)


def test_going_on_as_an_individual_on_day_90_keeps_benefits_continuous() -> None:
    last = date(2026, 3, 31)
    day_90 = employee_individual_benefit_start(
        date(2026, 6, 29), last_covered=last, gap_made_up=True, policy=POLICY
    )
    assert day_90.starts_on == date(2026, 4, 1) and day_90.continuous
    assert "第 90 日" in day_90.rule


def test_day_91_waits_six_full_months() -> None:
    day_91 = employee_individual_benefit_start(
        date(2026, 6, 30), last_covered=date(2026, 3, 31), gap_made_up=True, policy=POLICY
    )
    assert day_91.starts_on == date(2026, 12, 30) and not day_91.continuous
    assert "第 91 日" in day_91.rule and "满 6 个月" in day_91.rule


def test_within_90_days_without_making_up_the_gap_waits_too() -> None:
    start = employee_individual_benefit_start(
        date(2026, 4, 15), last_covered=date(2026, 3, 31), gap_made_up=False, policy=POLICY
    )
    assert start.starts_on == date(2026, 10, 15) and "未补缴" in start.rule


def test_a_first_individual_enrollment_waits_six_months() -> None:
    start = employee_individual_benefit_start(
        date(2026, 8, 31), last_covered=None, gap_made_up=False, policy=POLICY
    )
    assert start.starts_on == date(2027, 2, 28)  # 31 August + 6 months, clamped
    assert "首次" in start.rule


def test_every_category_has_its_insurance_type_label_and_materials() -> None:
    for category in EnrollmentCategory:
        assert category.label and materials_for(category)
    assert EnrollmentCategory.NEWBORN.insurance_type is InsuranceType.RESIDENT
    assert EnrollmentCategory.FLEXIBLE_EMPLOYMENT.insurance_type is InsuranceType.EMPLOYEE
    assert "出生医学证明" in materials_for(EnrollmentCategory.NEWBORN)
    assert any("租房合同" in m for m in materials_for(EnrollmentCategory.FLEXIBLE_EMPLOYMENT))


def test_a_local_resident_is_never_told_to_bring_a_residence_permit() -> None:
    other = EnrollmentCategory.RESIDENT_OTHER
    received = ("居民身份证或户口簿",)
    local = missing_materials(other, received, HouseholdKind.LOCAL)
    assert local == ("参保缴费登记表",)
    permit = "非本地户籍的：居住证"
    assert missing_materials(other, received, HouseholdKind.NON_LOCAL) == (permit, *local)
    assert missing_materials(other, received, None) == (permit, *local)  # 户籍 not given


@pytest.mark.parametrize("typed", ["P510123456", " p510123456 ", "Q 123456789"])
def test_birth_certificate_numbers_are_a_letter_and_nine_digits(typed: str) -> None:
    assert parse_birth_certificate_number(typed) == typed.strip().replace(" ", "").upper()


@pytest.mark.parametrize(
    "typed", ["510123456", "PP10123456", "P51012345", "P5101234567", "中510123456"]
)
def test_other_birth_certificate_numbers_are_refused_at_their_field(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_birth_certificate_number(typed)
    assert refused.value.field == "birth_certificate_number"
    assert "1 个字母加 9 位数字" in refused.value.message


def test_policy_refuses_a_collection_period_that_ends_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="起始月不能晚于截止月"):
        Policy(resident_collection_start_month=12, resident_collection_end_month=9)


def test_a_refund_is_possible_until_the_day_before_the_benefits_begin() -> None:
    check_refund_allowed(date(2027, 1, 1), date(2026, 12, 31))
    with pytest.raises(BusinessRuleError, match="2027-01-01"):
        check_refund_allowed(date(2027, 1, 1), date(2027, 1, 1))


@pytest.mark.parametrize(
    ("category", "birth", "fits"),
    [
        (EnrollmentCategory.NEWBORN, date(2025, 11, 19), True),  # the day before the first birthday
        (EnrollmentCategory.NEWBORN, date(2025, 11, 18), False),
        (EnrollmentCategory.RESIDENT_CHILD, date(2008, 11, 19), True),
        (EnrollmentCategory.RESIDENT_CHILD, date(2008, 11, 18), False),
        (EnrollmentCategory.RESIDENT_ELDERLY, date(1966, 11, 18), True),
        (EnrollmentCategory.RESIDENT_ELDERLY, date(1966, 11, 19), False),
        (EnrollmentCategory.RESIDENT_OTHER, date(1966, 11, 19), True),
    ],
)
def test_a_category_fits_the_age_to_the_day(
    category: EnrollmentCategory, birth: date, fits: bool
) -> None:
    today = date(2026, 11, 18)
    if fits:
        check_category_fits(category, birth, today)
        return
    with pytest.raises(ValidationError) as caught:
        check_category_fits(category, birth, today)
    assert caught.value.field == "category"


def test_a_future_birth_date_is_refused_at_its_field() -> None:
    with pytest.raises(ValidationError) as caught:
        check_category_fits(EnrollmentCategory.NEWBORN, date(2026, 11, 19), date(2026, 11, 18))
    assert caught.value.field == "birth_date"


def test_each_category_takes_its_own_rule() -> None:
    policy = Policy()
    paid, birth = date(2026, 11, 18), date(2026, 10, 1)
    start = functools.partial(
        benefit_start_for, paid_on=paid, birth=birth, gap_made_up=False, policy=policy
    )
    assert start(EnrollmentCategory.NEWBORN, last_covered=None).starts_on == birth
    assert start(EnrollmentCategory.RESIDENT_STUDENT, last_covered=None).starts_on == date(
        2027, 1, 1
    )
    assert start(EnrollmentCategory.FLEXIBLE_EMPLOYMENT, last_covered=None).starts_on == date(
        2027, 5, 18
    )
    with pytest.raises(ValidationError) as caught:
        start(EnrollmentCategory.EMPLOYEE_CONTINUATION, last_covered=None)
    assert caught.value.field == "last_covered"
