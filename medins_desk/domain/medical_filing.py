"""异地就医备案: filing a citizen for care outside the insuring region (001 #29: 先备案、选定点、
持卡就医), so that the card settles directly (直接结算) at networked hospitals of the destination.

- The kind (备案类型) decides the validity: 异地转诊 and 临时外出就医 are temporary and expire
  after ``Policy.temporary_filing_months`` (the seeds name no period; 6 months by default); the
  long-term kinds (异地长期居住, 常驻异地工作, 异地安置退休) last until changed or cancelled.
- The destination is a pooling region (统筹区) of the GB/T 2260 table other than the insuring one
  (:mod:`medins_desk.domain.regions`).
- A person has one filing for any day: a filing whose days meet those of another is refused, the
  other named. A change (变更备案) ends the old filing the day before the new one begins; a cancel
  (取消备案) ends it from a date. Neither reaches back before today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from medins_desk.domain.policy import Policy
from medins_desk.domain.regions import Region, pooling_region_code
from medins_desk.domain.transfer import add_months
from medins_desk.errors import ValidationError

__all__ = [
    "FilingKind",
    "FilingPeriod",
    "FilingState",
    "check_cancel_date",
    "check_change_date",
    "check_destination",
    "check_filing_start",
    "check_materials",
    "check_no_overlap",
    "filing_last_day",
    "filing_valid_until",
    "materials_for",
]


class FilingKind(StrEnum):
    """备案类型 (备案人员类别)."""

    LONG_TERM_RESIDENCE = "long_term_residence"
    WORK_ELSEWHERE = "work_elsewhere"
    RETIRED_ELSEWHERE = "retired_elsewhere"
    REFERRAL = "referral"
    TEMPORARY_VISIT = "temporary_visit"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def temporary(self) -> bool:
        """临时外出就医人员 (转诊 and 临时外出): the filing expires; long-term ones do not."""
        return self in (FilingKind.REFERRAL, FilingKind.TEMPORARY_VISIT)


_KIND_LABELS = {
    FilingKind.LONG_TERM_RESIDENCE: "异地长期居住",
    FilingKind.WORK_ELSEWHERE: "常驻异地工作",
    FilingKind.RETIRED_ELSEWHERE: "异地安置退休",
    FilingKind.REFERRAL: "异地转诊",
    FilingKind.TEMPORARY_VISIT: "临时外出就医",
}

# 一次性告知: what each kind files with (the card or identity card, the form, and the proof of
# why the care is elsewhere; a 个人承诺书 stands in for a proof the citizen cannot get).
_MATERIALS: dict[FilingKind, tuple[str, ...]] = {
    FilingKind.LONG_TERM_RESIDENCE: (
        "居民身份证或社会保障卡", "异地就医备案登记表",
        "异地居住证明（居住证或户口簿）或个人承诺书",
    ),
    FilingKind.WORK_ELSEWHERE: (
        "居民身份证或社会保障卡", "异地就医备案登记表",
        "用人单位派驻异地工作证明或个人承诺书",
    ),
    FilingKind.RETIRED_ELSEWHERE: (
        "居民身份证或社会保障卡", "异地就医备案登记表",
        "异地安置证明（户口簿或居住证）或个人承诺书",
    ),
    FilingKind.REFERRAL: (
        "居民身份证或社会保障卡", "异地就医备案登记表",
        "参保地定点医疗机构出具的转诊转院证明",
    ),
    FilingKind.TEMPORARY_VISIT: ("居民身份证或社会保障卡", "异地就医备案登记表"),
}  # fmt: skip


def materials_for(kind: FilingKind) -> tuple[str, ...]:
    """一次性告知: the materials ``kind`` files with."""
    return _MATERIALS[kind]


def check_materials(kind: FilingKind, received: tuple[str, ...]) -> tuple[str, ...]:
    """The materials received, in the kind's order; one the kind does not use is refused."""
    unknown = [m for m in received if m not in _MATERIALS[kind]]
    if unknown:
        raise ValidationError("materials", f"「{unknown[0]}」不是「{kind.label}」备案的材料")
    return tuple(m for m in _MATERIALS[kind] if m in received)


class FilingState(StrEnum):
    """备案状态 as recorded; an expired temporary filing stays ACTIVE (its end is its date)."""

    ACTIVE = "active"
    CHANGED = "changed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"active": "有效", "changed": "已变更", "cancelled": "已取消"}[self.value]


def filing_valid_until(kind: FilingKind, starts_on: date, policy: Policy) -> date | None:
    """有效期至 (the last day): a temporary kind's months from the start; None, long-term."""
    if not kind.temporary:
        return None
    return add_months(starts_on, policy.temporary_filing_months) - timedelta(days=1)


def filing_last_day(valid_until: date | None, last_day: date | None) -> date | None:
    """The filing's last day as it stands: its validity's end, or the day before a change or a
    cancel took effect, whichever comes first; None: until changed."""
    ends = [day for day in (valid_until, last_day) if day is not None]
    return min(ends) if ends else None


@dataclass(frozen=True)
class FilingPeriod:
    """A filing's days as they stand: from ``starts_on`` to ``last_day`` (None: open), with what
    names it to the clerk when another filing would meet it."""

    serial: str
    counter_no: str
    kind: FilingKind
    destination: str  # 四川省泸州市（510500）
    starts_on: date
    last_day: date | None

    @property
    def empty(self) -> bool:
        """Ended before it began (changed or cancelled on its first day, or earlier)."""
        return self.last_day is not None and self.last_day < self.starts_on

    def meets(self, starts_on: date, last_day: date | None) -> bool:
        if self.empty:
            return False
        before = last_day is not None and last_day < self.starts_on
        after = self.last_day is not None and starts_on > self.last_day
        return not (before or after)

    def describe(self) -> str:
        until = f"至 {self.last_day:%Y-%m-%d}" if self.last_day else "长期有效"
        return (
            f"「{self.kind.label}」{self.destination}，{self.starts_on:%Y-%m-%d} 起{until}"
            f"（业务流水号 {self.serial}，{self.counter_no} 号窗口办理）"
        )


def check_no_overlap(existing: list[FilingPeriod], starts_on: date, last_day: date | None) -> None:
    """A person has one filing for any day: the first filing the new days meet is named."""
    for period in existing:
        if period.meets(starts_on, last_day):
            raise ValidationError(
                "starts_on",
                f"所选期间与已有的异地就医备案重叠：{period.describe()}；"
                "请办理备案变更或取消原备案后再备案",
            )


def check_filing_start(starts_on: date, *, enrolled_from: date) -> None:
    """A filing begins no earlier than the enrollment it rests on. It may begin before today:
    a citizen already in hospital elsewhere files before discharge (001 #51)."""
    if starts_on < enrolled_from:
        raise ValidationError(
            "starts_on",
            f"备案开始日期 {starts_on:%Y-%m-%d} 早于参保开始日期 {enrolled_from:%Y-%m-%d}",
        )


def check_destination(region: Region, *, insured_region_code: str) -> None:
    """The destination is outside the insuring pooling region: care inside it needs no filing."""
    if region.code == pooling_region_code(insured_region_code):
        raise ValidationError(
            "destination_code",
            f"就医地 {region.full_name}（{region.code}）即参保地统筹区，无需办理异地就医备案",
        )


def _check_not_before_today(day: date, today: date, field: str, what: str) -> None:
    if day < today:
        raise ValidationError(
            field, f"{what}日期 {day:%Y-%m-%d} 早于今天，已发生的就医结算不能追溯改变"
        )


def check_change_date(day: date, period: FilingPeriod, today: date) -> None:
    """变更备案 takes effect from ``day``: not before today, within the filing's days."""
    _check_not_before_today(day, today, "starts_on", "变更生效")
    if day < period.starts_on:
        raise ValidationError(
            "starts_on",
            f"变更生效日期 {day:%Y-%m-%d} 早于原备案开始日期 {period.starts_on:%Y-%m-%d}",
        )
    _check_live_on(day, period, "starts_on")


def check_cancel_date(day: date, period: FilingPeriod, today: date) -> None:
    """取消备案 from ``day`` (the card stops settling there that day): not before today, and
    while the filing still runs."""
    _check_not_before_today(day, today, "ends_from", "取消")
    _check_live_on(day, period, "ends_from")


def _check_live_on(day: date, period: FilingPeriod, field: str) -> None:
    if period.last_day is not None and day > period.last_day:
        raise ValidationError(
            field,
            f"原备案有效期至 {period.last_day:%Y-%m-%d}，{day:%Y-%m-%d} 已不在有效期内，"
            "届时无需变更或取消",
        )
