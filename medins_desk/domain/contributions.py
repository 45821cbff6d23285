"""缴费月份: the months a person's contributions are on record for, and their totals as the
参保证明 / 缴费证明 prints them.

A month is kept as its ``YYYY-MM`` text (sorts as it reads) and counted as an index,
``year * 12 + month - 1``. A month paid here is 本地缴费; a month the origin agency's 信息表 brought
with a transfer is 转入; 视同缴费 is working time before the contribution system began, which
counts as paid. A month on record twice (paid in two places, 重复缴费) counts once in the total.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from medins_desk.errors import ValidationError

__all__ = [
    "MAX_PURPOSE_LENGTH",
    "CertificateScope",
    "ContributionSource",
    "ContributionSummary",
    "YearMonths",
    "format_month",
    "month_index",
    "month_of",
    "months_between",
    "origin_months",
    "parse_purpose",
    "summarize_contributions",
]

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


class ContributionSource(StrEnum):
    LOCAL = "local"
    TRANSFERRED = "transferred"
    DEEMED = "deemed"

    @property
    def label(self) -> str:
        return _SOURCE_LABELS[self]


_SOURCE_LABELS = {
    ContributionSource.LOCAL: "本地缴费",
    ContributionSource.TRANSFERRED: "转入",
    ContributionSource.DEEMED: "视同缴费",
}


def month_of(day: date) -> str:
    """The ``YYYY-MM`` month ``day`` falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def month_index(text: str) -> int:
    """``2024-03`` -> 2024 * 12 + 2; a ValidationError for anything else."""
    found = _MONTH.fullmatch(text)
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise ValidationError("month", f"缴费月份应为「年-月」（如 2024-03），输入为「{text}」")
    return int(found.group(1)) * 12 + int(found.group(2)) - 1


def format_month(index: int) -> str:
    year, month = divmod(index, 12)
    return f"{year:04d}-{month + 1:02d}"


def months_between(start: date, end: date) -> list[str]:
    """The calendar months from ``start``'s to ``end``'s, both included (none when ``end`` is
    before ``start``)."""
    first = start.year * 12 + start.month - 1
    last = end.year * 12 + end.month - 1
    return [format_month(i) for i in range(first, last + 1)]


def origin_months(
    periods: Sequence[tuple[date, date]], actual: int, deemed: int
) -> tuple[list[str], list[str]]:
    """What a completed transfer-in puts on record from the origin (转出地), as (transferred,
    deemed) months.

    The 信息表 gives counts and the 参保凭证 the periods. The transferred months are the last
    ``actual`` months of the periods (a count smaller than the periods' months means months
    unpaid in them; the latest are the ones certainly paid before the move); a count larger than
    the periods can hold is cut to them. The ``deemed`` months end the month before the first
    period begins: 视同缴费 is the time before contributions began."""
    within = sorted({m for start, end in periods for m in months_between(start, end)})
    transferred = within[len(within) - min(actual, len(within)) :]
    if not periods or deemed <= 0:
        return transferred, []
    first = min(start for start, _ in periods)
    before = first.year * 12 + first.month - 1
    return transferred, [format_month(i) for i in range(before - deemed, before)]


@dataclass(frozen=True)
class YearMonths:
    """One line of the certificate's month table: the months of ``year`` on record."""

    year: int
    months: tuple[int, ...]  # 1..12, in order

    @property
    def count(self) -> int:
        return len(self.months)


@dataclass(frozen=True)
class ContributionSummary:
    """The totals a certificate prints (累计缴费, of which local, transferred and deemed)."""

    total: int  # distinct months
    local: int
    transferred: int
    deemed: int
    first: str | None
    last: str | None
    continuous: int  # the unbroken run of months that ends with the last one (连续缴费)
    interrupted: int  # months missing between the first and the last (断缴)
    years: tuple[YearMonths, ...]


def summarize_contributions(
    months: Iterable[tuple[str, ContributionSource]],
) -> ContributionSummary:
    """The totals of ``months`` (``YYYY-MM``, source) rows, in any order."""
    by_source = dict.fromkeys(ContributionSource, 0)
    indices: set[int] = set()
    for text, source in months:
        indices.add(month_index(text))
        by_source[ContributionSource(source)] += 1
    if not indices:
        return ContributionSummary(0, 0, 0, 0, None, None, 0, 0, ())
    ordered = sorted(indices)
    first, last = ordered[0], ordered[-1]
    continuous = 1
    while last - continuous in indices:
        continuous += 1
    years: dict[int, list[int]] = {}
    for index in ordered:
        year, month = divmod(index, 12)
        years.setdefault(year, []).append(month + 1)
    return ContributionSummary(
        total=len(ordered),
        local=by_source[ContributionSource.LOCAL],
        transferred=by_source[ContributionSource.TRANSFERRED],
        deemed=by_source[ContributionSource.DEEMED],
        first=format_month(first),
        last=format_month(last),
        continuous=continuous,
        interrupted=last - first + 1 - len(ordered),
        years=tuple(YearMonths(year, tuple(m)) for year, m in years.items()),
    )


class CertificateScope(StrEnum):
    """What a certificate proves: the enrollment periods alone, or with the months paid."""

    ENROLLMENT = "enrollment"
    CONTRIBUTION = "contribution"

    @property
    def label(self) -> str:
        if self is CertificateScope.ENROLLMENT:
            return "参保证明"
        return "参保缴费证明"


MAX_PURPOSE_LENGTH = 30


def parse_purpose(text: str) -> str:
    """用途 (e.g. 购房, 子女入学): optional, one line of at most 30 characters."""
    purpose = " ".join(text.split())
    if len(purpose) > MAX_PURPOSE_LENGTH:
        raise ValidationError(
            "purpose", f"用途不能超过 {MAX_PURPOSE_LENGTH} 个字（现为 {len(purpose)} 字）"
        )
    return purpose
