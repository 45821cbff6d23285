"""Chinese working days (工作日) for deadlines: statutory holidays and adjusted working days (调休).

The chinese-calendar package holds the State Council's published schedule, one year at a time.
For a year it has no data for (the schedule is published each November), the count falls back to
Monday-Friday; ``calendar_covers`` lets callers show that a deadline is only an estimate.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

__all__ = [
    "add_working_days",
    "calendar_covers",
    "calendar_covers_range",
    "is_working_day",
    "working_days_between",
]

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def calendar_covers(year: int) -> bool:
    """Whether the official holiday schedule for ``year`` is known."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def calendar_covers_range(start: date, end: date) -> bool:
    """Whether every year from ``start`` to ``end`` uses the official schedule (no estimate)."""
    low, high = min(start, end), max(start, end)
    return all(calendar_covers(year) for year in range(low.year, high.year + 1))


@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    if calendar_covers(day.year):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The deadline: the day on which ``days`` working days after ``start`` have passed.

    ``start`` itself is not counted (the day of acceptance or receipt), so 0 gives ``start``.
    """
    if days < 0:
        raise ValueError(f"days must not be negative: {days}")
    day = start
    remaining = days
    while remaining:
        day += _ONE_DAY
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier.

    The inverse of ``add_working_days``: ``working_days_between(s, add_working_days(s, n)) == n``.
    """
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += _ONE_DAY
        count += is_working_day(day)
    return count
