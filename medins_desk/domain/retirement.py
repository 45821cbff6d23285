"""职工医保在职转退休 (001 #58, #28): at retirement, the 职工医保 months a person has against the
region's thresholds, when the retiree's benefits start, and what a shortfall costs.

- 累计缴费年限 (all the 职工医保 months on record, counted once however many places paid a
  month: paid here, brought by a transfer, 视同缴费) at least ``Policy.retirement_years_men``
  (30) or ``retirement_years_women`` (25) years; of them 本地实际缴费 (paid here, in this
  region's pooling area, from 1997-01 on) at least ``retirement_local_years`` (10). Years
  elsewhere brought by a transfer count toward the total only (as 视同缴费 counts); working time
  before 1997 confirmed on the 退休审批表 is 视同缴费; interruptions add up (累计).
- A shortfall is the larger of the two gaps (a local month paid also counts toward the total).
  The citizen chooses 一次性趸缴 (the months at ``retirement_monthly_payment_fen`` each, paid
  now) or 延迟退休登记 (the months paid year by year, 12 months a year, and the act done again
  once paid up).
- Benefits: covered (享受职工医保状态) on the retirement date and the act within
  ``retirement_continuity_months`` (3) of it: they continue without a break, from the retirement
  date; covered but later: from the first day of the month after the act (次月); not covered on
  the retirement date: ``retirement_uncovered_wait_months`` (12) after the act.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from medins_desk.domain.contributions import (
    ContributionSource,
    format_month,
    month_index,
    month_of,
)
from medins_desk.domain.identity import Sex
from medins_desk.domain.policy import Policy
from medins_desk.domain.regions import pooling_region_code
from medins_desk.domain.transfer import add_months
from medins_desk.errors import ValidationError

__all__ = [
    "ACTUAL_FROM",
    "DEEMED_UNTIL",
    "WORKING_AGE",
    "BenefitRule",
    "RetirementAssessment",
    "RetirementMonths",
    "RetirementOutcome",
    "ShortfallPayment",
    "assess_retirement",
    "benefit_start",
    "check_deemed_not_on_record",
    "check_retirement_date",
    "check_years_add_up",
    "count_retirement_months",
    "parse_deemed_period",
    "required_months",
    "shortfall_payment",
]

ACTUAL_FROM = "1997-01"  # 实际缴费年限 count from 1997-01-01 (001 #28)
DEEMED_UNTIL = "1996-12"  # 视同缴费: working time up to 1996-12-31
WORKING_AGE = 16  # no working time, paid or deemed, before the 16th birthday


class RetirementOutcome(StrEnum):
    """The act's outcome (办理结果)."""

    QUALIFIED = "qualified"
    LUMP_SUM = "lump_sum"
    DEFERRED = "deferred"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]

    @property
    def retires(self) -> bool:
        """The person is a retiree from this act on (a deferral waits for the years)."""
        return self is not RetirementOutcome.DEFERRED


_OUTCOME_LABELS = {
    RetirementOutcome.QUALIFIED: "符合条件，办理在职转退休",
    RetirementOutcome.LUMP_SUM: "一次性趸缴后办理在职转退休",
    RetirementOutcome.DEFERRED: "延迟退休登记（逐年缴纳）",
}


class BenefitRule(StrEnum):
    """Which continuity rule set the benefit start."""

    CONTINUOUS = "continuous"
    NEXT_MONTH = "next_month"
    WAITING = "waiting"

    @property
    def label(self) -> str:
        return _RULE_LABELS[self]


_RULE_LABELS = {
    BenefitRule.CONTINUOUS: "退休时处于享受待遇状态且按时办理，待遇连续享受",
    BenefitRule.NEXT_MONTH: "退休时处于享受待遇状态但超期办理，自办理次月起享受",
    BenefitRule.WAITING: "退休时未处于享受待遇状态，办理后等待期满起享受",
}


def required_months(sex: Sex, policy: Policy) -> tuple[int, int]:
    """(累计, 本地实际) months the region asks of a man or a woman."""
    years = policy.retirement_years_men if sex is Sex.MALE else policy.retirement_years_women
    return years * 12, policy.retirement_local_years * 12


@dataclass(frozen=True)
class RetirementMonths:
    """The 职工医保 months counted at retirement."""

    total: int  # distinct months, every source and region
    local: int  # 本地实际缴费: paid in this pooling region from 1997-01
    transferred: int  # brought by transfers (counted in the total only)
    deemed: int  # 视同缴费: on record and confirmed at this act
    other: int  # paid here before 1997 or in another region without a transfer: total only


def count_retirement_months(
    rows: Iterable[tuple[str, ContributionSource, str]],
    *,
    region_code: str,
    deemed: Sequence[str] = (),
) -> RetirementMonths:
    """Count ``rows`` (month, source, region code) of 职工医保 and the ``deemed`` months
    confirmed now. A month on record twice counts once in the total; each part counts the
    month once too (a month paid here and brought by a transfer is local)."""
    pooling = pooling_region_code(region_code)
    first_actual = month_index(ACTUAL_FROM)
    parts: dict[int, str] = {}
    rank = {"local": 0, "transferred": 1, "deemed": 2, "other": 3}
    for text, source, region in rows:
        index = month_index(text)
        what = ContributionSource(source).value
        if what == "local" and (index < first_actual or pooling_region_code(region) != pooling):
            what = "other"
        if index not in parts or rank[what] < rank[parts[index]]:
            parts[index] = what
    for text in deemed:
        parts.setdefault(month_index(text), "deemed")
    counts = dict.fromkeys(rank, 0)
    for what in parts.values():
        counts[what] += 1
    return RetirementMonths(
        total=len(parts),
        local=counts["local"],
        transferred=counts["transferred"],
        deemed=counts["deemed"],
        other=counts["other"],
    )


def benefit_start(
    retirement_date: date, act_day: date, *, covered: bool, policy: Policy
) -> tuple[BenefitRule, date]:
    """When the retiree's benefits start (001 #58), and by which rule."""
    if not covered:
        return BenefitRule.WAITING, add_months(act_day, policy.retirement_uncovered_wait_months)
    if act_day <= add_months(retirement_date, policy.retirement_continuity_months):
        return BenefitRule.CONTINUOUS, retirement_date
    following = add_months(act_day.replace(day=1), 1)
    return BenefitRule.NEXT_MONTH, following


@dataclass(frozen=True)
class ShortfallPayment:
    """What a shortfall costs: all at once (趸缴), or 12 months a year (逐年缴纳)."""

    months: int
    monthly_fen: int
    total_fen: int
    years: int  # 延迟退休登记: the years of payment (the last one may be shorter)
    yearly_fen: int  # a full year's payment


def shortfall_payment(months: int, monthly: int) -> ShortfallPayment:
    """``months`` short at ``monthly`` fen a month (``Policy.retirement_monthly_payment_fen``)."""
    return ShortfallPayment(
        months=months,
        monthly_fen=monthly,
        total_fen=months * monthly,
        years=-(-months // 12),
        yearly_fen=12 * monthly if months >= 12 else months * monthly,
    )


@dataclass(frozen=True)
class RetirementAssessment:
    """缴费年限清算: the counts against the thresholds and what follows."""

    retirement_date: date
    act_day: date
    sex: Sex
    required_total: int
    required_local: int
    months: RetirementMonths
    covered: bool  # 退休时处于享受职工医保状态
    benefit_rule: BenefitRule
    benefit_start: date  # if retired today (qualified or after a lump sum)
    payment: ShortfallPayment | None  # None: no shortfall

    @property
    def total_short(self) -> int:
        return max(0, self.required_total - self.months.total)

    @property
    def local_short(self) -> int:
        return max(0, self.required_local - self.months.local)

    @property
    def shortfall(self) -> int:
        """Months still to pay: a month paid here counts toward both thresholds."""
        return max(self.total_short, self.local_short)

    @property
    def qualified(self) -> bool:
        return self.shortfall == 0


def assess_retirement(
    months: RetirementMonths,
    *,
    sex: Sex,
    retirement_date: date,
    act_day: date,
    covered: bool,
    policy: Policy,
) -> RetirementAssessment:
    total, local = required_months(sex, policy)
    rule, start = benefit_start(retirement_date, act_day, covered=covered, policy=policy)
    short = max(0, total - months.total, local - months.local)
    return RetirementAssessment(
        retirement_date=retirement_date,
        act_day=act_day,
        sex=sex,
        required_total=total,
        required_local=local,
        months=months,
        covered=covered,
        benefit_rule=rule,
        benefit_start=start,
        payment=shortfall_payment(short, policy.retirement_monthly_payment_fen) if short else None,
    )


def _birthday(birth: date, age: int) -> date:
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:  # born on 29 February: the birthday is 1 March in a common year
        return date(birth.year + age, 3, 1)


def check_retirement_date(
    retirement_date: date,
    *,
    birth: date,
    today: date,
    first_month: str | None,
    policy: Policy,
) -> None:
    """退休日期 (from the pension 退休审批): not in the future, not before the earliest legal
    retirement age (``Policy.retirement_min_age``), not before the first month on record."""
    field = "retirement_date"
    if retirement_date > today:
        raise ValidationError(
            field,
            f"退休日期 {retirement_date:%Y-%m-%d} 晚于今天；请在退休审批的退休日期之后办理",
        )
    earliest = _birthday(birth, policy.retirement_min_age)
    if retirement_date < earliest:
        raise ValidationError(
            field,
            f"退休日期 {retirement_date:%Y-%m-%d} 时参保人未满 {policy.retirement_min_age} 周岁"
            f"（出生于 {birth:%Y-%m-%d}，最早 {earliest:%Y-%m-%d}）；请核对退休审批表",
        )
    if first_month is not None and month_of(retirement_date) < first_month:
        raise ValidationError(
            field,
            f"退休日期 {retirement_date:%Y-%m-%d} 早于第一个缴费月份 {first_month}；"
            "请核对退休审批表",
        )


def parse_deemed_period(first: str, last: str, *, birth: date, retirement_date: date) -> list[str]:
    """视同缴费 months confirmed from the 退休审批表, as typed (``YYYY-MM`` to ``YYYY-MM``; both
    empty: none). Before 1997 only, from the month of the 16th birthday on."""
    first, last = first.strip(), last.strip()
    if not first and not last:
        return []
    if not first:
        raise ValidationError("deemed_from", "请填写视同缴费的起始月份（或将起止月份都留空）")
    if not last:
        raise ValidationError("deemed_to", "请填写视同缴费的截止月份（或将起止月份都留空）")
    start = _deemed_month(first, "deemed_from", "起始")
    end = _deemed_month(last, "deemed_to", "截止")
    if end > month_index(DEEMED_UNTIL):
        raise ValidationError(
            "deemed_to",
            f"视同缴费截止月份 {last} 晚于 {DEEMED_UNTIL}；1997 年起的年限须有实际缴费记录",
        )
    if end < start:
        raise ValidationError("deemed_to", f"视同缴费截止月份 {last} 早于起始月份 {first}")
    sixteen = _birthday(birth, WORKING_AGE)
    if start < month_index(month_of(sixteen)):
        raise ValidationError(
            "deemed_from",
            f"视同缴费起始月份 {first} 早于参保人年满 {WORKING_AGE} 周岁的 {sixteen:%Y-%m}"
            f"（出生于 {birth:%Y-%m-%d}）",
        )
    if end > month_index(month_of(retirement_date)):
        raise ValidationError("deemed_to", f"视同缴费截止月份 {last} 晚于退休日期")
    return [format_month(i) for i in range(start, end + 1)]


def _deemed_month(text: str, field: str, what: str) -> int:
    try:
        return month_index(text)
    except ValidationError:
        raise ValidationError(
            field, f"视同缴费{what}月份应为「年-月」（如 1990-07），输入为「{text}」"
        ) from None


def check_deemed_not_on_record(deemed: Sequence[str], on_record: Iterable[str]) -> None:
    """A confirmed deemed month must not be on record already (paid, brought or deemed)."""
    known = set(on_record)
    clash = sorted(m for m in deemed if m in known)
    if clash:
        more = f"等 {len(clash)} 个月" if len(clash) > 1 else ""
        raise ValidationError(
            "deemed_from",
            f"视同缴费期间与已有缴费记录重叠（{clash[0]}{more}）；重叠的月份不能再计视同缴费",
        )


def check_years_add_up(
    months_through: int, *, birth: date, retirement_date: date, field: str
) -> None:
    """The months up to the retirement month cannot be more than the months from the 16th
    birthday to the retirement date: a record that says so does not add up."""
    sixteen = _birthday(birth, WORKING_AGE)
    window = max(0, month_index(month_of(retirement_date)) - month_index(month_of(sixteen)) + 1)
    if months_through > window:
        raise ValidationError(
            field,
            f"缴费年限对不上：截至退休月份共 {_years(months_through)}，而年满 {WORKING_AGE} 周岁"
            f"（{sixteen:%Y-%m}）至退休日期只有 {_years(window)}；请核对视同缴费年限和缴费记录",
        )


def _years(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years} 年 {rest} 个月" if rest else f"{years} 年"
