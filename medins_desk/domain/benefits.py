"""参保类别 and 待遇享受起始日: who enrolls how, what they bring, and when their benefits begin.

One place for the rules a counter applies at 参保登记 (the seeds, 001 #27 #32 #33 #57):

- 城乡居民 pay in the collection period (by default September to December) for the next year and
  are covered from its first day; one who pays outside it is a new enrollee, covered 180 days
  after paying (新参保人员等待期).
- 新生儿 paid for within 3 months of birth are covered from birth; later, the new-enrollee wait.
- Employees who leave an employer and go on as individuals (续保, and 灵活就业 enrolling on
  their own) are covered without a break if they enroll within 90 days of the last covered day
  and make up the gap; otherwise after 6 full months of contributions.

The numbers are regional and live in :class:`~medins_desk.domain.policy.Policy`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from medins_desk.domain.enrollment import InsuranceType, benefit_period_start
from medins_desk.domain.identity import age_on
from medins_desk.domain.policy import Policy
from medins_desk.domain.transfer import add_months
from medins_desk.errors import BusinessRuleError, ValidationError

__all__ = [
    "BIRTH_CERTIFICATE_NUMBER",
    "BenefitStart",
    "EnrollmentCategory",
    "HouseholdKind",
    "RefundReason",
    "RefundState",
    "benefit_start_for",
    "check_category_fits",
    "check_refund_allowed",
    "employee_individual_benefit_start",
    "in_collection_period",
    "materials_for",
    "missing_materials",
    "newborn_benefit_start",
    "parse_birth_certificate_number",
    "resident_benefit_start",
]


class EnrollmentCategory(StrEnum):
    """参保类别 as the counter registers them."""

    RESIDENT_CHILD = "resident_child"
    RESIDENT_STUDENT = "resident_student"
    RESIDENT_ELDERLY = "resident_elderly"
    RESIDENT_OTHER = "resident_other"
    NEWBORN = "newborn"
    FLEXIBLE_EMPLOYMENT = "flexible_employment"
    EMPLOYEE_CONTINUATION = "employee_continuation"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]

    @property
    def insurance_type(self) -> InsuranceType:
        if self in (
            EnrollmentCategory.FLEXIBLE_EMPLOYMENT,
            EnrollmentCategory.EMPLOYEE_CONTINUATION,
        ):
            return InsuranceType.EMPLOYEE
        return InsuranceType.RESIDENT


_CATEGORY_LABELS = {
    EnrollmentCategory.RESIDENT_CHILD: "城乡居民（少年儿童）",
    EnrollmentCategory.RESIDENT_STUDENT: "城乡居民（在校学生）",
    EnrollmentCategory.RESIDENT_ELDERLY: "城乡居民（老年居民）",
    EnrollmentCategory.RESIDENT_OTHER: "城乡居民（其他居民）",
    EnrollmentCategory.NEWBORN: "城乡居民（新生儿）",
    EnrollmentCategory.FLEXIBLE_EMPLOYMENT: "职工医保（灵活就业人员）",
    EnrollmentCategory.EMPLOYEE_CONTINUATION: "职工医保（离职后个人续保）",
}

# 一次性告知: what each category brings to the counter, printed when something is missing.
_MATERIALS: dict[EnrollmentCategory, tuple[str, ...]] = {
    EnrollmentCategory.RESIDENT_CHILD: (
        "居民户口簿或居民身份证", "监护人居民身份证", "参保缴费登记表",
    ),
    EnrollmentCategory.RESIDENT_STUDENT: (
        "居民身份证或户口簿", "学生证或学校出具的在校证明", "参保缴费登记表",
    ),
    EnrollmentCategory.RESIDENT_ELDERLY: ("居民身份证或户口簿", "参保缴费登记表"),
    EnrollmentCategory.RESIDENT_OTHER: (
        "居民身份证或户口簿", "非本地户籍的：居住证", "参保缴费登记表",
    ),
    EnrollmentCategory.NEWBORN: (
        "出生医学证明", "监护人居民身份证", "居民户口簿（已落户的）", "参保缴费登记表",
    ),
    EnrollmentCategory.FLEXIBLE_EMPLOYMENT: (
        "居民身份证原件",
        "非本地户籍的：居住证（暂住证）或租房合同等在本地工作生活的证明",
    ),
    EnrollmentCategory.EMPLOYEE_CONTINUATION: (
        "居民身份证或社会保障卡", "解除（终止）劳动关系证明",
    ),
}  # fmt: skip


def materials_for(category: EnrollmentCategory) -> tuple[str, ...]:
    """一次性告知: the materials ``category`` enrolls with."""
    return _MATERIALS[category]


# Materials only a citizen whose 户口 is elsewhere brings (居住证 and the like).
_NON_LOCAL_ONLY = "非本地户籍的："


def missing_materials(
    category: EnrollmentCategory, received: tuple[str, ...], household: HouseholdKind | None
) -> tuple[str, ...]:
    """一次性告知: what ``category`` still needs beyond ``received``. A citizen of local 户籍
    is never told to bring a 居住证; when the 户籍 is not known, the item stays, as worded."""
    return tuple(
        m
        for m in _MATERIALS[category]
        if m not in received
        and not (household is HouseholdKind.LOCAL and m.startswith(_NON_LOCAL_ONLY))
    )


@dataclass(frozen=True)
class BenefitStart:
    """When benefits begin (待遇享受起始日), and the rule that says so, in the clerk's words (it
    is shown before the clerk confirms and printed on the 回执)."""

    starts_on: date
    rule: str
    continuous: bool = False  # no break after earlier coverage


def in_collection_period(day: date, policy: Policy) -> bool:
    """Whether ``day`` falls in the residents' collection period (集中缴费期) for the next year."""
    return (
        policy.resident_collection_start_month <= day.month <= policy.resident_collection_end_month
    )


def _new_enrollee(paid_on: date, policy: Policy, why: str) -> BenefitStart:
    days = policy.resident_waiting_days
    return BenefitStart(
        paid_on + timedelta(days=days),
        f"{why}，按新参保人员享受待遇：自缴费之日（{paid_on:%Y-%m-%d}）起满 {days} 天",
    )


def resident_benefit_start(paid_on: date, policy: Policy) -> BenefitStart:
    """城乡居民: covered from the next benefit year if paid in the collection period, else after
    the new-enrollee wait."""
    if in_collection_period(paid_on, policy):
        start = benefit_period_start(paid_on.year + 1, policy)
        return BenefitStart(
            start,
            f"在集中缴费期（{policy.resident_collection_start_month}月至"
            f"{policy.resident_collection_end_month}月）内缴费，自 {start:%Y-%m-%d} 起享受次年待遇",
        )
    return _new_enrollee(paid_on, policy, "未在集中缴费期内缴费")


def newborn_benefit_start(birth: date, paid_on: date, policy: Policy) -> BenefitStart:
    """新生儿: covered from birth when paid for within the months after birth (default 3)."""
    if paid_on < birth:
        raise ValidationError("paid_on", "缴费日期不能早于出生日期")
    months = policy.newborn_enrollment_months
    deadline = add_months(birth, months)
    if paid_on <= deadline:
        return BenefitStart(
            birth,
            f"出生之日起 {months} 个月内（至 {deadline:%Y-%m-%d}）参保缴费，自出生之日起享受待遇",
            continuous=True,
        )
    return _new_enrollee(paid_on, policy, f"出生已超过 {months} 个月（{deadline:%Y-%m-%d} 后）")


def employee_individual_benefit_start(
    paid_on: date, *, last_covered: date | None, gap_made_up: bool, policy: Policy
) -> BenefitStart:
    """职工医保 as an individual (离职后续保, 灵活就业): without a break when enrolled within the
    days after the last covered day (default 90) with the gap's contributions made up; else once
    the waiting months (default 6) have been paid in full. ``last_covered`` is None for someone
    never insured as an employee."""
    days, months = policy.employee_continuation_days, policy.employee_waiting_months
    waited = add_months(paid_on, months)
    wait_rule = f"足额缴费满 {months} 个月后（{waited:%Y-%m-%d} 起）享受待遇"
    if last_covered is None:
        return BenefitStart(waited, f"首次以个人身份参加职工医保，{wait_rule}")
    gap = (paid_on - last_covered).days
    if gap <= days and gap_made_up:
        return BenefitStart(
            last_covered + timedelta(days=1),
            f"原参保截至 {last_covered:%Y-%m-%d}，{days} 日内（第 {max(gap, 0)} 日）续保"
            "并补缴断保期间费用，待遇连续享受",
            continuous=True,
        )
    if gap <= days:
        why = f"{days} 日内续保但未补缴断保期间费用"
    else:
        why = f"原参保截至 {last_covered:%Y-%m-%d}，已超过 {days} 日（第 {gap} 日）"
    return BenefitStart(waited, f"{why}，{wait_rule}")


BIRTH_CERTIFICATE_NUMBER = re.compile(r"[A-Z][0-9]{9}")


def parse_birth_certificate_number(text: str) -> str:
    """出生医学证明编号: one letter and nine digits (a lower-case letter is accepted)."""
    number = text.strip().replace(" ", "").upper()
    if not BIRTH_CERTIFICATE_NUMBER.fullmatch(number):
        raise ValidationError(
            "birth_certificate_number",
            "出生医学证明编号应为 1 个字母加 9 位数字（如 P510123456），"
            f"当前为「{text.strip()[:20]}」",
        )
    return number


class HouseholdKind(StrEnum):
    """户籍类别: where the citizen's 户口 is registered, relative to this region."""

    LOCAL = "local"
    NON_LOCAL = "non_local"

    @property
    def label(self) -> str:
        return "本地户籍" if self is HouseholdKind.LOCAL else "外地户籍"


ADULT_AGE = 18
ELDERLY_AGE = 60


def check_category_fits(category: EnrollmentCategory, birth: date, today: date) -> None:
    """The category must fit the person's age: a newborn is under one, a child under 18, an
    elderly resident 60 or more; the working-age categories are for adults."""
    if birth > today:
        raise ValidationError("birth_date", f"出生日期 {birth:%Y-%m-%d} 晚于今天，请核对")
    age = age_on(birth, today)
    wrong = {
        EnrollmentCategory.NEWBORN: age >= 1,
        EnrollmentCategory.RESIDENT_CHILD: age >= ADULT_AGE,
        EnrollmentCategory.RESIDENT_ELDERLY: age < ELDERLY_AGE,
        EnrollmentCategory.FLEXIBLE_EMPLOYMENT: age < ADULT_AGE - 2,
        EnrollmentCategory.EMPLOYEE_CONTINUATION: age < ADULT_AGE - 2,
    }.get(category, False)
    if wrong:
        raise ValidationError(
            "category", f"参保人现年 {age} 周岁，不符合「{category.label}」的年龄条件，请改选类别"
        )


def benefit_start_for(
    category: EnrollmentCategory,
    *,
    paid_on: date,
    birth: date,
    last_covered: date | None,
    gap_made_up: bool,
    policy: Policy,
) -> BenefitStart:
    """The one dispatch from a category to its benefit-start rule."""
    if category is EnrollmentCategory.NEWBORN:
        return newborn_benefit_start(birth, paid_on, policy)
    if category.insurance_type is InsuranceType.RESIDENT:
        return resident_benefit_start(paid_on, policy)
    if category is EnrollmentCategory.EMPLOYEE_CONTINUATION and last_covered is None:
        raise ValidationError(
            "last_covered", "离职后续保须填写原单位参保截止日期（解除劳动关系证明所载）"
        )
    if last_covered is not None and last_covered >= paid_on:
        raise ValidationError(
            "last_covered", f"原参保截止日期 {last_covered:%Y-%m-%d} 应早于本次缴费日期"
        )
    return employee_individual_benefit_start(
        paid_on, last_covered=last_covered, gap_made_up=gap_made_up, policy=policy
    )


class RefundReason(StrEnum):
    """退费原因 (001 #31): a resident who paid for a year that has not begun."""

    MOVED_AWAY = "moved_away"
    SETTLED_ABROAD = "settled_abroad"
    DECEASED = "deceased"
    EMPLOYED = "employed"

    @property
    def label(self) -> str:
        return _REFUND_LABELS[self][0]

    @property
    def materials(self) -> tuple[str, ...]:
        """一次性告知 for the refund."""
        return _REFUND_LABELS[self][1]


_REFUND_LABELS: dict[RefundReason, tuple[str, tuple[str, ...]]] = {
    RefundReason.MOVED_AWAY: (
        "户口迁出本统筹区", ("居民户口簿（迁出证明）", "参保人居民身份证", "本人银行账户"),
    ),
    RefundReason.SETTLED_ABROAD: (
        "出国（境）定居", ("定居国外证明或注销户口证明", "参保人居民身份证", "本人银行账户"),
    ),
    RefundReason.DECEASED: (
        "参保人死亡", ("死亡证明或注销户口证明", "代办人居民身份证", "继承人银行账户"),
    ),
    RefundReason.EMPLOYED: (
        "就业参加职工医保", ("职工医保参保证明", "参保人居民身份证", "本人银行账户"),
    ),
}  # fmt: skip


class RefundState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"pending": "待复核", "approved": "已核准退费", "rejected": "已驳回"}[self.value]


def check_refund_allowed(benefit_start: date, today: date) -> None:
    """A resident's contribution is refunded only before its benefits begin: from then on the
    person may have drawn on it (001 #31)."""
    if today >= benefit_start:
        raise BusinessRuleError(
            f"该笔参保的待遇享受期已于 {benefit_start:%Y-%m-%d} 开始，按规定不能退费；"
            "参保状态可在下一待遇年度开始前办理变更"
        )
