"""在职转退休 rules at their boundaries: the thresholds, the local years, the continuity rule,
the shortfall and its payment, and the input a retirement is refused for."""

from __future__ import annotations

from datetime import date

import pytest

from medins_desk.domain.contributions import ContributionSource, format_month, month_index
from medins_desk.domain.identity import Sex
from medins_desk.domain.policy import Policy
from medins_desk.domain.retirement import (
    BenefitRule,
    RetirementMonths,
    RetirementOutcome,
    assess_retirement,
    benefit_start,
    check_deemed_not_on_record,
    check_retirement_date,
    check_years_add_up,
    count_retirement_months,
    parse_deemed_period,
    required_months,
    shortfall_payment,
)
from medins_desk.errors import ValidationError

POLICY = Policy()
HERE = "510502"  # 泸州市江阳区: its pooling region is 510500
LOCAL, IN, DEEMED = (
    ContributionSource.LOCAL,
    ContributionSource.TRANSFERRED,
    ContributionSource.DEEMED,
)
RETIRED = date(2026, 8, 31)
TODAY = date(2026, 11, 18)


def run(first: str, count: int) -> list[str]:
    start = month_index(first)
    return [format_month(i) for i in range(start, start + count)]


def months(total: int, local: int) -> RetirementMonths:
    return RetirementMonths(total=total, local=local, transferred=total - local, deemed=0, other=0)


def test_the_thresholds_are_the_policys_by_sex() -> None:
    assert required_months(Sex.MALE, POLICY) == (360, 120)
    assert required_months(Sex.FEMALE, POLICY) == (300, 120)
    policy = Policy(retirement_years_men=25, retirement_years_women=20, retirement_local_years=15)
    assert required_months(Sex.MALE, policy) == (300, 180)


@pytest.mark.parametrize(
    ("sex", "total", "qualified"),
    [
        (Sex.MALE, 360, True),  # exactly 30 years
        (Sex.MALE, 359, False),  # 29 years 11 months
        (Sex.FEMALE, 300, True),  # exactly 25 years
        (Sex.FEMALE, 299, False),  # 24 years 11 months
    ],
)
def test_the_total_years_boundary(sex: Sex, total: int, qualified: bool) -> None:
    result = assess_retirement(
        months(total, 200), sex=sex, retirement_date=RETIRED, act_day=TODAY, covered=True,
        policy=POLICY,
    )  # fmt: skip
    assert result.qualified is qualified
    assert result.shortfall == (0 if qualified else 1)
    assert (result.payment is None) is qualified


@pytest.mark.parametrize(("local", "short"), [(120, 0), (119, 1), (0, 120)])
def test_the_local_years_boundary_even_with_the_total_met(local: int, short: int) -> None:
    result = assess_retirement(
        months(400, local), sex=Sex.MALE, retirement_date=RETIRED, act_day=TODAY, covered=True,
        policy=POLICY,
    )  # fmt: skip
    assert result.local_short == short and result.total_short == 0
    assert result.shortfall == short


def test_the_shortfall_is_the_larger_gap_since_local_months_count_in_the_total() -> None:
    # 350 in all, 100 local: 10 short of the total, 20 of the local years; paying 20 here
    # makes 370 and 120.
    result = assess_retirement(
        months(350, 100), sex=Sex.MALE, retirement_date=RETIRED, act_day=TODAY, covered=True,
        policy=POLICY,
    )  # fmt: skip
    assert (result.total_short, result.local_short, result.shortfall) == (10, 20, 20)
    assert result.payment is not None and result.payment.total_fen == 20 * 50_000


def test_transferred_and_deemed_months_count_in_the_total_not_as_local() -> None:
    rows = [(m, LOCAL, HERE) for m in run("2015-01", 120)]
    rows += [(m, IN, "320102") for m in run("2000-01", 60)]
    rows += [(m, DEEMED, "320102") for m in run("1990-01", 24)]
    counted = count_retirement_months(rows, region_code=HERE, deemed=run("1992-01", 12))
    assert counted == RetirementMonths(total=216, local=120, transferred=60, deemed=36, other=0)


def test_a_month_on_record_twice_counts_once_and_as_local() -> None:
    rows = [("2020-01", IN, "320102"), ("2020-01", LOCAL, "510503"), ("2020-02", IN, "320102")]
    counted = count_retirement_months(rows, region_code=HERE)
    assert (counted.total, counted.local, counted.transferred) == (2, 1, 1)


def test_local_months_before_1997_or_in_another_region_are_not_actual_years() -> None:
    rows = [("1996-12", LOCAL, HERE), ("1997-01", LOCAL, HERE), ("2010-05", LOCAL, "320102")]
    counted = count_retirement_months(rows, region_code=HERE)
    assert (counted.total, counted.local, counted.other) == (3, 1, 2)


def test_benefits_continue_within_three_months_while_covered() -> None:
    retired = date(2026, 5, 31)
    # The boundary day: three months after the retirement date (clamped to 31 Aug).
    assert benefit_start(retired, date(2026, 8, 31), covered=True, policy=POLICY) == (
        BenefitRule.CONTINUOUS,
        retired,
    )
    assert benefit_start(retired, retired, covered=True, policy=POLICY)[0] is BenefitRule.CONTINUOUS


def test_benefits_start_the_month_after_a_late_act_while_covered() -> None:
    retired = date(2026, 5, 31)
    assert benefit_start(retired, date(2026, 9, 1), covered=True, policy=POLICY) == (
        BenefitRule.NEXT_MONTH,
        date(2026, 10, 1),
    )
    assert benefit_start(retired, date(2026, 12, 31), covered=True, policy=POLICY) == (
        BenefitRule.NEXT_MONTH,
        date(2027, 1, 1),
    )


def test_not_covered_at_retirement_waits_twelve_months_even_within_three() -> None:
    retired = date(2026, 5, 31)
    for act in (date(2026, 6, 15), date(2026, 11, 18)):
        rule, start = benefit_start(retired, act, covered=False, policy=POLICY)
        assert rule is BenefitRule.WAITING
        assert start == act.replace(year=act.year + 1)


def test_the_continuity_months_and_the_wait_are_settings() -> None:
    policy = Policy(retirement_continuity_months=1, retirement_uncovered_wait_months=6)
    retired = date(2026, 5, 15)
    assert benefit_start(retired, date(2026, 6, 15), covered=True, policy=policy)[0] is (
        BenefitRule.CONTINUOUS
    )
    assert benefit_start(retired, date(2026, 6, 16), covered=True, policy=policy)[0] is (
        BenefitRule.NEXT_MONTH
    )
    assert benefit_start(retired, date(2026, 6, 16), covered=False, policy=policy)[1] == date(
        2026, 12, 16
    )


def test_the_shortfall_payment_at_once_or_year_by_year() -> None:
    lump = shortfall_payment(25, 50_000)
    assert (lump.months, lump.total_fen, lump.years, lump.yearly_fen) == (25, 1_250_000, 3, 600_000)
    assert shortfall_payment(12, 50_000).years == 1
    small = shortfall_payment(5, 40_000)
    assert (small.years, small.yearly_fen, small.total_fen) == (1, 200_000, 200_000)


def test_only_a_deferral_leaves_the_person_working() -> None:
    assert RetirementOutcome.QUALIFIED.retires and RetirementOutcome.LUMP_SUM.retires
    assert not RetirementOutcome.DEFERRED.retires


BIRTH = date(1966, 8, 20)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 11, 19), "晚于今天"),
        (date(2016, 8, 19), "未满 50 周岁"),
        (date(2001, 1, 1), "未满 50 周岁"),
    ],
)
def test_a_retirement_date_is_refused(day: date, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as refused:
        check_retirement_date(day, birth=BIRTH, today=TODAY, first_month=None, policy=POLICY)
    assert refused.value.field == "retirement_date"


def test_the_earliest_retirement_date_and_today_are_accepted() -> None:
    for day in (date(2016, 8, 20), TODAY):
        check_retirement_date(day, birth=BIRTH, today=TODAY, first_month=None, policy=POLICY)


def test_a_retirement_before_the_first_month_on_record_is_refused() -> None:
    with pytest.raises(ValidationError, match="早于第一个缴费月份 2020-01"):
        check_retirement_date(
            date(2019, 12, 31), birth=date(1960, 1, 1), today=TODAY, first_month="2020-01",
            policy=POLICY,
        )  # fmt: skip
    check_retirement_date(
        date(2020, 1, 1), birth=date(1960, 1, 1), today=TODAY, first_month="2020-01", policy=POLICY
    )


def test_a_deemed_period_is_the_months_between_both_included() -> None:
    assert parse_deemed_period("", " ", birth=BIRTH, retirement_date=RETIRED) == []
    got = parse_deemed_period(" 1990-11 ", "1996-12", birth=BIRTH, retirement_date=RETIRED)
    assert got[0] == "1990-11" and got[-1] == "1996-12" and len(got) == 74
    # From the month of the 16th birthday (1982-08).
    assert parse_deemed_period("1982-08", "1982-08", birth=BIRTH, retirement_date=RETIRED) == [
        "1982-08"
    ]


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        ("1990-01", "", "deemed_to", "请填写视同缴费的截止月份"),
        ("", "1990-01", "deemed_from", "请填写视同缴费的起始月份"),
        ("1990/01", "1991-01", "deemed_from", "起始月份应为「年-月」"),
        ("1990-01", "1997-01", "deemed_to", "晚于 1996-12"),
        ("1995-01", "1994-12", "deemed_to", "早于起始月份"),
        ("1982-07", "1990-01", "deemed_from", "早于参保人年满 16 周岁的 1982-08"),
    ],
)
def test_a_deemed_period_is_refused_at_its_field(
    first: str, last: str, field: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as refused:
        parse_deemed_period(first, last, birth=BIRTH, retirement_date=RETIRED)
    assert refused.value.field == field


def test_deemed_months_on_record_already_are_refused() -> None:
    check_deemed_not_on_record(["1996-11", "1996-12"], ["1997-01"])
    with pytest.raises(ValidationError, match=r"重叠（1996-11等 2 个月）") as refused:
        check_deemed_not_on_record(["1996-10", "1996-11", "1996-12"], ["1996-12", "1996-11"])
    assert refused.value.field == "deemed_from"


def test_years_that_do_not_add_up_are_refused() -> None:
    # 16 on 1982-08-20; retired 2026-08-31: 1982-08..2026-08 is 44 years 1 month.
    check_years_add_up(44 * 12 + 1, birth=BIRTH, retirement_date=RETIRED, field="deemed_from")
    with pytest.raises(ValidationError, match="缴费年限对不上") as refused:
        check_years_add_up(44 * 12 + 2, birth=BIRTH, retirement_date=RETIRED, field="deemed_from")
    assert refused.value.field == "deemed_from"
    assert "44 年 2 个月" in refused.value.message and "44 年 1 个月" in refused.value.message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("retirement_years_men", 0),
        ("retirement_years_women", 46),
        ("retirement_local_years", -1),
        ("retirement_min_age", 39),
        ("retirement_continuity_months", 25),
        ("retirement_uncovered_wait_months", 37),
        ("retirement_monthly_payment_fen", 0),
    ],
)
def test_the_retirement_settings_are_bounded(name: str, value: int) -> None:
    with pytest.raises(ValidationError) as refused:
        Policy(**{name: value})  # type: ignore[arg-type]
    assert refused.value.field == name


def test_local_years_cannot_exceed_a_threshold() -> None:
    with pytest.raises(ValidationError, match="不能大于退休缴费年限 20") as refused:
        Policy(retirement_years_women=20, retirement_local_years=21)
    assert refused.value.field == "retirement_local_years"
