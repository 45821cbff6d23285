"""Working days from the official holiday schedule, with a visible Monday-Friday fallback."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medins_desk.domain.workdays import (
    add_working_days,
    calendar_covers,
    calendar_covers_range,
    is_working_day,
    working_days_between,
)


def first_uncovered_year() -> int:
    # chinese_calendar 1.11 stops at 2026; a newer release moves this forward.
    year = 2026
    while calendar_covers(year):
        year += 1
    return year


@pytest.mark.parametrize("day", range(1, 8))
def test_national_day_2026_is_a_holiday(day: int) -> None:
    assert not is_working_day(date(2026, 10, day))


def test_adjusted_working_days_2026() -> None:
    # The schedule moves two weekend days to working days around Mid-autumn and National Day.
    assert is_working_day(date(2026, 9, 20))  # Sunday
    assert is_working_day(date(2026, 10, 10))  # Saturday
    assert not is_working_day(date(2026, 10, 11))  # an ordinary Sunday
    assert not is_working_day(date(2026, 9, 25))  # Mid-autumn, a Friday
    assert is_working_day(date(2026, 9, 30))
    assert is_working_day(date(2026, 10, 8))


def test_add_working_days_across_national_day() -> None:
    assert add_working_days(date(2026, 9, 30), 0) == date(2026, 9, 30)
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)  # the adjusted Saturday
    assert add_working_days(date(2026, 9, 30), 4) == date(2026, 10, 12)
    # The start day is not counted even when it is a holiday.
    assert add_working_days(date(2026, 10, 3), 1) == date(2026, 10, 8)


def test_add_working_days_rejects_negative() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 9, 30), -1)


def test_working_days_between() -> None:
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert working_days_between(date(2026, 10, 8), date(2026, 9, 30)) == -1
    assert working_days_between(date(2026, 9, 30), date(2026, 9, 30)) == 0


def test_calendar_coverage_is_visible() -> None:
    assert calendar_covers(2026)
    assert calendar_covers(2004)
    assert not calendar_covers(2003)
    uncovered = first_uncovered_year()
    assert not calendar_covers_range(date(2026, 12, 1), date(uncovered, 1, 10))
    assert calendar_covers_range(date(2025, 12, 1), date(2026, 1, 10))


def test_uncovered_year_falls_back_to_monday_to_friday() -> None:
    year = first_uncovered_year()
    week = [date(year, 10, 4) + timedelta(days=n) for n in range(7)]
    assert [is_working_day(d) for d in week] == [d.weekday() < 5 for d in week]
    # 1 January is a statutory holiday in every covered year, but the fallback cannot know it.
    assert is_working_day(date(year, 1, 1)) == (date(year, 1, 1).weekday() < 5)


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2028, 12, 31))


@settings(deadline=None)
@given(days, st.integers(min_value=0, max_value=40))
def test_add_and_count_are_inverse(start: date, count: int) -> None:
    due = add_working_days(start, count)
    assert working_days_between(start, due) == count
    assert due == start or is_working_day(due)


@settings(deadline=None)
@given(days, days)
def test_count_is_antisymmetric(a: date, b: date) -> None:
    assert working_days_between(a, b) == -working_days_between(b, a)
