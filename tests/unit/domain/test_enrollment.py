"""Enrollment values: insurance types, status, contribution months, the benefit year."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medins_desk.domain.contact import DebitHolderRelation
from medins_desk.domain.enrollment import (
    EnrollmentStatus,
    InsuranceType,
    benefit_period_started,
    check_debit_holder_details,
    check_enrollment_change_allowed,
    format_months,
    parse_region_code,
)
from medins_desk.domain.policy import Policy
from medins_desk.errors import BusinessRuleError, ValidationError


def test_labels() -> None:
    assert InsuranceType.EMPLOYEE.label == "职工医保"
    assert InsuranceType.RESIDENT.label == "城乡居民医保"
    assert InsuranceType.EMPLOYEE.full_name == "职工基本医疗保险"
    assert InsuranceType.RESIDENT.full_name == "城乡居民基本医疗保险"
    assert [s.label for s in EnrollmentStatus] == ["参保缴费", "暂停", "终止"]


@pytest.mark.parametrize(
    ("months", "text"), [(0, "0个月"), (5, "5个月"), (12, "1年"), (147, "12年3个月"), (144, "12年")]
)
def test_format_months(months: int, text: str) -> None:
    assert format_months(months) == text


def test_format_months_rejects_negative() -> None:
    with pytest.raises(ValueError):
        format_months(-1)


@given(st.integers(min_value=0, max_value=1200))
def test_format_months_reads_back(months: int) -> None:
    text = format_months(months)
    years = int(text.split("年")[0]) if "年" in text else 0
    rest = int(text.split("年")[-1].removesuffix("个月") or 0)
    assert years * 12 + rest == months


def test_benefit_period_default_starts_on_1_january() -> None:
    policy = Policy()
    assert not benefit_period_started(2027, date(2026, 12, 31), policy)
    assert benefit_period_started(2027, date(2027, 1, 1), policy)
    check_enrollment_change_allowed(2027, date(2026, 12, 31), policy)
    with pytest.raises(BusinessRuleError, match="2027 年度医保待遇享受期已于 2027-01-01 开始"):
        check_enrollment_change_allowed(2027, date(2027, 1, 1), policy)


def test_benefit_period_start_is_a_setting() -> None:
    policy = Policy(benefit_year_start_month=3, benefit_year_start_day=1)
    assert not benefit_period_started(2027, date(2027, 2, 28), policy)
    check_enrollment_change_allowed(2027, date(2027, 2, 28), policy)
    with pytest.raises(BusinessRuleError):
        check_enrollment_change_allowed(2027, date(2027, 3, 1), policy)


def test_region_code() -> None:
    assert parse_region_code(" 110105 ") == "110105"
    with pytest.raises(ValidationError) as raised:
        parse_region_code("11010")
    assert raised.value.field == "region_code"


def test_debit_holder_details_required_for_a_relative() -> None:
    check_debit_holder_details(
        DebitHolderRelation.SELF, name=None, sex=None, phone=None, address=None, postcode=None
    )
    details = {
        "name": "李四",
        "sex": "1",
        "phone": "13800138000",
        "address": "北京市",
        "postcode": "100000",
    }
    check_debit_holder_details(DebitHolderRelation.SPOUSE, **details)
    for missing in details:
        with pytest.raises(ValidationError) as raised:
            check_debit_holder_details(DebitHolderRelation.PARENT, **(details | {missing: " "}))
        assert raised.value.field == f"debit_holder_{missing}"
