"""缴费月份 rules: months, the origin's months a transfer brings, totals, the certificate's 用途."""

from __future__ import annotations

from datetime import date

import pytest

from medins_desk.domain.contributions import (
    CertificateScope,
    ContributionSource,
    format_month,
    month_index,
    month_of,
    months_between,
    origin_months,
    parse_purpose,
    summarize_contributions,
)
from medins_desk.errors import ValidationError

LOCAL, IN, DEEMED = (
    ContributionSource.LOCAL,
    ContributionSource.TRANSFERRED,
    ContributionSource.DEEMED,
)


@pytest.mark.parametrize(
    ("text", "index"), [("2024-01", 2024 * 12), ("2024-12", 2024 * 12 + 11), ("0001-01", 12)]
)
def test_month_index_round_trips(text: str, index: int) -> None:
    assert month_index(text) == index
    assert format_month(index) == text


@pytest.mark.parametrize(
    "text", ["2024-00", "2024-13", "2024-1", "24-01", "2024/01", "２０２４-01"]
)
def test_a_malformed_month_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="缴费月份应为「年-月」"):
        month_index(text)


def test_month_of_a_day() -> None:
    assert month_of(date(2026, 1, 31)) == "2026-01"


def test_months_between_include_both_ends_and_cross_years() -> None:
    assert months_between(date(2025, 11, 30), date(2026, 2, 1)) == [
        "2025-11", "2025-12", "2026-01", "2026-02",
    ]  # fmt: skip
    assert months_between(date(2026, 3, 1), date(2026, 3, 31)) == ["2026-03"]
    assert months_between(date(2026, 3, 1), date(2026, 2, 28)) == []


PERIODS = [(date(2015, 1, 1), date(2015, 12, 31)), (date(2017, 1, 1), date(2017, 6, 30))]


def test_origin_months_take_the_latest_months_of_the_periods() -> None:
    transferred, deemed = origin_months(PERIODS, 18, 0)
    assert transferred == months_between(date(2015, 1, 1), date(2015, 12, 1)) + months_between(
        date(2017, 1, 1), date(2017, 6, 1)
    )
    assert deemed == []
    fewer, _ = origin_months(PERIODS, 17, 0)
    assert fewer[0] == "2015-02" and len(fewer) == 17
    none, _ = origin_months(PERIODS, 0, 0)
    assert none == []


def test_a_count_larger_than_the_periods_is_cut_to_them() -> None:
    transferred, _ = origin_months(PERIODS, 19, 0)
    assert len(transferred) == 18


def test_deemed_months_end_before_the_first_period() -> None:
    _, deemed = origin_months(list(reversed(PERIODS)), 0, 2)
    assert deemed == ["2014-11", "2014-12"]
    assert origin_months(PERIODS, 5, 0)[1] == []
    assert origin_months([], 5, 3) == ([], [])


def test_overlapping_periods_count_a_month_once() -> None:
    periods = [(date(2020, 1, 1), date(2020, 3, 31)), (date(2020, 3, 1), date(2020, 4, 30))]
    assert origin_months(periods, 10, 0)[0] == ["2020-01", "2020-02", "2020-03", "2020-04"]


def test_nothing_on_record() -> None:
    summary = summarize_contributions([])
    assert (summary.total, summary.first, summary.continuous, summary.interrupted) == (
        0,
        None,
        0,
        0,
    )
    assert summary.years == ()


def test_totals_by_source_and_a_month_paid_twice_counts_once() -> None:
    summary = summarize_contributions(
        [("2019-12", DEEMED), ("2020-01", IN), ("2020-01", LOCAL), ("2020-02", LOCAL)]
    )
    assert (summary.total, summary.local, summary.transferred, summary.deemed) == (3, 2, 1, 1)
    assert (summary.first, summary.last) == ("2019-12", "2020-02")
    assert (summary.continuous, summary.interrupted) == (3, 0)
    assert [(y.year, y.months, y.count) for y in summary.years] == [
        (2019, (12,), 1), (2020, (1, 2), 2),
    ]  # fmt: skip


def test_continuous_months_end_with_the_last_and_gaps_are_interrupted() -> None:
    months = ["2023-11", "2023-12", "2024-02", "2024-03", "2024-04", "2023-10"]
    summary = summarize_contributions((m, LOCAL) for m in months)
    assert summary.continuous == 3  # 2024-02..04: January was missed
    assert summary.interrupted == 1
    one = summarize_contributions([("2024-06", LOCAL)])
    assert (one.continuous, one.interrupted) == (1, 0)


def test_purpose_is_one_line_of_at_most_thirty_characters() -> None:
    assert parse_purpose("  子女\n入学 ") == "子女 入学"
    assert parse_purpose("") == ""
    assert parse_purpose("购" * 30) == "购" * 30
    with pytest.raises(ValidationError, match="用途不能超过 30 个字（现为 31 字）") as refused:
        parse_purpose("购" * 31)
    assert refused.value.field == "purpose"


def test_certificate_titles() -> None:
    assert CertificateScope.ENROLLMENT.label == "参保证明"
    assert CertificateScope.CONTRIBUTION.label == "参保缴费证明"
    assert [s.label for s in ContributionSource] == ["本地缴费", "转入", "视同缴费"]
