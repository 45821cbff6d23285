"""Regional policy values (地区政策参数).

Fees, day counts and limits differ between regions; DESIGN.md gives the defaults. The rest of the
domain takes a ``Policy`` instead of reading literals, so an admin can change a region's rules.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

from medins_desk.errors import ValidationError

TRANSFER_RULE_SETS = frozenset({"2021", "2016"})

# A non-leap year: a benefit year cannot start on 29 February, which most years lack.
_NON_LEAP_YEAR = 2023


@dataclass(frozen=True)
class Policy:
    """One region's settings; every value has DESIGN.md's default."""

    temporary_loss_days: int = 5
    formal_loss_reversible: bool = False
    fee_first_card_fen: int = 0
    fee_reissue_fen: int = 2000
    # Charged for a replacement unless the card is faulty or the holder's data changed.
    fee_replacement_fen: int = 2000
    # Many regions also renew an expired card free of charge; DESIGN.md's default charges it.
    expired_replacement_free: bool = False
    card_production_working_days: int = 15
    guardian_age: int = 16
    photo_min_bytes: int = 9 * 1024
    photo_max_bytes: int = 40 * 1024
    transfer_rules: str = "2021"
    transfer_gap_months: int = 3
    benefit_year_start_month: int = 1
    benefit_year_start_day: int = 1
    # 参保登记 (medins_desk.domain.benefits): residents' collection period, the new enrollee's
    # wait, a newborn's months, an employee's days to go on as an individual and months to wait.
    resident_collection_start_month: int = 9
    resident_collection_end_month: int = 12
    resident_waiting_days: int = 180
    newborn_enrollment_months: int = 3
    employee_continuation_days: int = 90
    employee_waiting_months: int = 6
    # 异地就医备案 (medins_desk.domain.medical_filing): how long a temporary filing (异地转诊,
    # 临时外出就医) lasts. The seeds (001 #29 #51) name no period; 6 months is the default.
    temporary_filing_months: int = 6
    # 职工医保在职转退休 (medins_desk.domain.retirement, 001 #58 #28): 累计缴费年限 for men and
    # women, of them 本地实际缴费年限; the earliest legal retirement age; the months after the
    # retirement date within which benefits continue, and the wait of a person not covered on
    # it. The monthly amount of a shortfall (趸缴 or 逐年缴纳) is the region's 基数 × 费率; the
    # seeds name none, 500 yuan is an assumed default each region sets.
    retirement_years_men: int = 30
    retirement_years_women: int = 25
    retirement_local_years: int = 10
    retirement_min_age: int = 50
    retirement_continuity_months: int = 3
    retirement_uncovered_wait_months: int = 12
    retirement_monthly_payment_fen: int = 50_000

    def __post_init__(self) -> None:
        _check_range("temporary_loss_days", "临时挂失天数", self.temporary_loss_days, 1, 30)
        for name, label in (
            ("fee_first_card_fen", "首次申领费用"),
            ("fee_reissue_fen", "补领费用"),
            ("fee_replacement_fen", "换领费用"),
        ):
            _check_range(name, label, getattr(self, name), 0, None)
        _check_range(
            "card_production_working_days",
            "制卡工作日数",
            self.card_production_working_days,
            0,
            365,
        )
        _check_range("guardian_age", "需监护人的年龄", self.guardian_age, 0, 25)
        _check_range("photo_min_bytes", "照片最小字节数", self.photo_min_bytes, 0, None)
        _check_range("photo_max_bytes", "照片最大字节数", self.photo_max_bytes, 1, None)
        if self.photo_min_bytes > self.photo_max_bytes:
            raise ValidationError(
                "photo_min_bytes",
                f"照片最小字节数 {self.photo_min_bytes} 大于最大字节数 {self.photo_max_bytes}",
            )
        if self.transfer_rules not in TRANSFER_RULE_SETS:
            raise ValidationError(
                "transfer_rules",
                f"转移接续规则只能是 2021 或 2016，设置为「{self.transfer_rules}」",
            )
        _check_range("transfer_gap_months", "可补缴的断缴月数", self.transfer_gap_months, 0, 24)
        _check_range(
            "benefit_year_start_month", "待遇年度起始月", self.benefit_year_start_month, 1, 12
        )
        for name, label in (
            ("resident_collection_start_month", "居民集中缴费期起始月"),
            ("resident_collection_end_month", "居民集中缴费期截止月"),
        ):
            _check_range(name, label, getattr(self, name), 1, 12)
        if self.resident_collection_start_month > self.resident_collection_end_month:
            raise ValidationError(
                "resident_collection_start_month", "居民集中缴费期的起始月不能晚于截止月"
            )
        _check_range("resident_waiting_days", "新参保等待天数", self.resident_waiting_days, 0, 366)
        _check_range(
            "newborn_enrollment_months", "新生儿参保月数", self.newborn_enrollment_months, 0, 12
        )
        _check_range(
            "employee_continuation_days", "离职续保天数", self.employee_continuation_days, 0, 366
        )
        _check_range("employee_waiting_months", "职工等待月数", self.employee_waiting_months, 0, 24)
        _check_range(
            "temporary_filing_months", "临时备案有效月数", self.temporary_filing_months, 1, 24
        )
        self._check_retirement()
        last_day = calendar.monthrange(_NON_LEAP_YEAR, self.benefit_year_start_month)[1]
        _check_range(
            "benefit_year_start_day", "待遇年度起始日", self.benefit_year_start_day, 1, last_day
        )

    def _check_retirement(self) -> None:
        for name, label in (
            ("retirement_years_men", "男职工退休缴费年限"),
            ("retirement_years_women", "女职工退休缴费年限"),
        ):
            _check_range(name, label, getattr(self, name), 1, 45)
        _check_range(
            "retirement_local_years", "本地实际缴费年限", self.retirement_local_years, 0, 45
        )
        shortest = min(self.retirement_years_men, self.retirement_years_women)
        if self.retirement_local_years > shortest:
            raise ValidationError(
                "retirement_local_years",
                f"本地实际缴费年限 {self.retirement_local_years} 不能大于退休缴费年限 {shortest}",
            )
        _check_range("retirement_min_age", "最低退休年龄", self.retirement_min_age, 40, 70)
        _check_range(
            "retirement_continuity_months",
            "退休待遇连续办理月数",
            self.retirement_continuity_months,
            0,
            24,
        )
        _check_range(
            "retirement_uncovered_wait_months",
            "退休未参保等待月数",
            self.retirement_uncovered_wait_months,
            0,
            36,
        )
        _check_range(
            "retirement_monthly_payment_fen",
            "补缴月缴费额",
            self.retirement_monthly_payment_fen,
            1,
            10_000_000,
        )


def _check_range(field: str, label: str, value: object, low: int, high: int | None) -> None:
    # bool is an int subclass; a True fee is a settings mistake, not 1 fen.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(field, f"{label}应为整数，设置为「{value!r}」")
    if value < low or (high is not None and value > high):
        if high is None:
            raise ValidationError(field, f"{label}不能小于 {low}，设置为 {value}")
        raise ValidationError(field, f"{label}应在 {low} 至 {high} 之间，设置为 {value}")
