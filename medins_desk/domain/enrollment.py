"""Enrollment (参保登记): insurance types, status, contribution periods and the benefit year."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from medins_desk.domain.contact import DebitHolderRelation
from medins_desk.domain.policy import Policy
from medins_desk.errors import BusinessRuleError, ValidationError

__all__ = [
    "EnrollmentStatus",
    "InsuranceType",
    "benefit_period_start",
    "benefit_period_started",
    "check_debit_holder_details",
    "check_enrollment_change_allowed",
    "format_months",
    "parse_region_code",
]


class InsuranceType(StrEnum):
    EMPLOYEE = "employee"
    RESIDENT = "resident"

    @property
    def label(self) -> str:
        return "职工医保" if self is InsuranceType.EMPLOYEE else "城乡居民医保"

    @property
    def full_name(self) -> str:
        """The name printed on 参保凭证 and 信息表."""
        if self is InsuranceType.EMPLOYEE:
            return "职工基本医疗保险"
        return "城乡居民基本医疗保险"


class EnrollmentStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    EnrollmentStatus.ACTIVE: "参保缴费",
    EnrollmentStatus.SUSPENDED: "暂停",
    EnrollmentStatus.TERMINATED: "终止",
}


def format_months(months: int) -> str:
    """Contribution time as printed on vouchers: 147 -> "12年3个月", 144 -> "12年", 5 -> "5个月"."""
    if months < 0:
        raise ValueError(f"months must not be negative: {months}")
    years, rest = divmod(months, 12)
    if years and rest:
        return f"{years}年{rest}个月"
    if years:
        return f"{years}年"
    return f"{rest}个月"


def benefit_period_start(year: int, policy: Policy) -> date:
    """First day of the benefit period (待遇享受期) of insurance year ``year``."""
    return date(year, policy.benefit_year_start_month, policy.benefit_year_start_day)


def benefit_period_started(year: int, today: date, policy: Policy) -> bool:
    return today >= benefit_period_start(year, policy)


def check_enrollment_change_allowed(year: int, today: date, policy: Policy) -> None:
    """Once a year's benefit period has begun, that year's enrollment is fixed: no refund or
    change, since the person may already have drawn benefits on it."""
    if benefit_period_started(year, today, policy):
        start = benefit_period_start(year, policy)
        raise BusinessRuleError(
            f"{year} 年度医保待遇享受期已于 {start.isoformat()} 开始，"
            "不能再办理该年度的退费或参保变更"
        )


_REGION_CODE = re.compile(r"[0-9]{6}")


def parse_region_code(text: str, *, field: str = "region_code") -> str:
    """The 6-digit insured region code (参保地/统筹区划代码)."""
    code = "".join(text.split())
    if not _REGION_CODE.fullmatch(code):
        raise ValidationError(field, f"参保地区划代码应为6位数字，输入为「{text.strip()}」")
    return code


def check_debit_holder_details(
    relation: DebitHolderRelation,
    *,
    name: str | None,
    sex: str | None,
    phone: str | None,
    address: str | None,
    postcode: str | None,
) -> None:
    """When the bank debit account belongs to a relative, their particulars are required."""
    if relation is DebitHolderRelation.SELF:
        return
    required = (
        ("debit_holder_name", "姓名", name),
        ("debit_holder_sex", "性别", sex),
        ("debit_holder_phone", "联系电话", phone),
        ("debit_holder_address", "联系地址", address),
        ("debit_holder_postcode", "邮政编码", postcode),
    )
    for field, label, value in required:
        if value is None or not value.strip():
            raise ValidationError(
                field, f"扣款账户持有人不是参保人本人（{relation.label}），须填写持有人的{label}"
            )
