"""Coverage transfer (基本医疗保险关系转移接续): stages, letters and working-day deadlines.

Two rule sets, chosen by the ``transfer_rules`` setting:

- ``2021``: 医保办发〔2021〕43号. The transfer-out office produces the 信息表 and remits the
  personal account within 10 working days; the transfer-in office completes within 5.
- ``2016``: 人社部发〔2009〕191号 with the 2016 规程 (paper letters). The transfer-in office
  sends the 联系函 within 15 working days of accepting; the transfer-out office answers within
  15; the transfer-in office completes within 15.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from medins_desk.domain.enrollment import EnrollmentStatus
from medins_desk.domain.policy import Policy
from medins_desk.domain.workdays import add_working_days
from medins_desk.errors import BusinessRuleError

__all__ = [
    "DEADLINE_WORKING_DAYS",
    "TRANSFER_NEXT_STAGE",
    "TransferDirection",
    "TransferLetterKind",
    "TransferRuleSet",
    "TransferStage",
    "add_months",
    "check_transfer_out_allowed",
    "first_stage",
    "gap_is_bridgeable",
    "is_overdue",
    "next_transfer_stage",
    "stage_deadline",
]


class TransferRuleSet(StrEnum):
    R2021 = "2021"
    R2016 = "2016"

    @property
    def label(self) -> str:
        if self is TransferRuleSet.R2021:
            return "医保办发〔2021〕43号"
        return "人社部发〔2009〕191号（2016 规程）"


class TransferDirection(StrEnum):
    OUT = "out"
    IN = "in"

    @property
    def label(self) -> str:
        return "转出" if self is TransferDirection.OUT else "转入"


class TransferStage(StrEnum):
    # Transfer out: the person has taken the 参保凭证 to the new region.
    OUT_CERTIFICATE_ISSUED = "out_certificate_issued"
    # The new region's 联系函 is here: produce the 信息表 and remit the account.
    OUT_LETTER_RECEIVED = "out_letter_received"
    # 联系函 sent: waiting for the origin's 信息表 and funds.
    IN_LETTER_SENT = "in_letter_sent"
    # 信息表 received: record the years and balance and complete.
    IN_INFO_RECEIVED = "in_info_received"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]

    @property
    def is_final(self) -> bool:
        return self in (TransferStage.COMPLETED, TransferStage.CANCELLED)


_STAGE_LABELS = {
    TransferStage.OUT_CERTIFICATE_ISSUED: "参保凭证已开具",
    TransferStage.OUT_LETTER_RECEIVED: "联系函已收到",
    TransferStage.IN_LETTER_SENT: "联系函已发出",
    TransferStage.IN_INFO_RECEIVED: "信息表已收到",
    TransferStage.COMPLETED: "办结",
    TransferStage.CANCELLED: "已撤销",
}

_R = TransferRuleSet
_T = TransferStage
# Working days allowed for the stage's next step, counted from the day the stage began.
# IN_LETTER_SENT waits on the origin office: its deadline is the origin's duty, shown so the
# counter knows when to chase. Stages absent here have no deadline.
DEADLINE_WORKING_DAYS: Mapping[tuple[TransferRuleSet, TransferStage], int] = MappingProxyType(
    {
        (_R.R2021, _T.OUT_LETTER_RECEIVED): 10,
        (_R.R2021, _T.IN_LETTER_SENT): 10,
        (_R.R2021, _T.IN_INFO_RECEIVED): 5,
        (_R.R2016, _T.OUT_LETTER_RECEIVED): 15,
        (_R.R2016, _T.IN_LETTER_SENT): 15,
        (_R.R2016, _T.IN_INFO_RECEIVED): 15,
    }
)


def stage_deadline(
    rules: TransferRuleSet, stage: TransferStage, stage_started: date
) -> date | None:
    """The last day for the step that ends ``stage``, or None when the stage has no deadline."""
    days = DEADLINE_WORKING_DAYS.get((TransferRuleSet(rules), stage))
    if days is None:
        return None
    return add_working_days(stage_started, days)


def is_overdue(due: date | None, today: date) -> bool:
    """Overdue from the day after the deadline; cases without a deadline never are."""
    return due is not None and today > due


TRANSFER_NEXT_STAGE: Mapping[tuple[TransferDirection, TransferStage], TransferStage] = (
    MappingProxyType(
        {
            (TransferDirection.OUT, _T.OUT_CERTIFICATE_ISSUED): _T.OUT_LETTER_RECEIVED,
            (TransferDirection.OUT, _T.OUT_LETTER_RECEIVED): _T.COMPLETED,
            (TransferDirection.IN, _T.IN_LETTER_SENT): _T.IN_INFO_RECEIVED,
            (TransferDirection.IN, _T.IN_INFO_RECEIVED): _T.COMPLETED,
        }
    )
)


class TransferAction(StrEnum):
    """The counter's act that ends a stage (下一步), one per open stage."""

    RECORD_CONTACT_LETTER = "record_contact_letter"
    ISSUE_INFO_FORM = "issue_info_form"
    RECORD_INFO_FORM = "record_info_form"
    COMPLETE_TRANSFER_IN = "complete_transfer_in"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    TransferAction.RECORD_CONTACT_LETTER: "登记联系函",
    TransferAction.ISSUE_INFO_FORM: "出具信息表并划转个人账户",
    TransferAction.RECORD_INFO_FORM: "登记信息表及划转资金",
    TransferAction.COMPLETE_TRANSFER_IN: "转入办结（记入缴费年限及个人账户）",
}

NEXT_ACTION: Mapping[TransferStage, TransferAction] = MappingProxyType(
    {
        _T.OUT_CERTIFICATE_ISSUED: TransferAction.RECORD_CONTACT_LETTER,
        _T.OUT_LETTER_RECEIVED: TransferAction.ISSUE_INFO_FORM,
        _T.IN_LETTER_SENT: TransferAction.RECORD_INFO_FORM,
        _T.IN_INFO_RECEIVED: TransferAction.COMPLETE_TRANSFER_IN,
    }
)


def next_action(stage: TransferStage) -> TransferAction | None:
    """What the counter does next in a case at ``stage`` (None: it waits, or the case is over)."""
    return NEXT_ACTION.get(TransferStage(stage))


def check_next_action(stage: TransferStage, action: TransferAction, *, case: str) -> None:
    """``action`` must be the next act of a case at ``stage``; ``case`` names it in the message."""
    if next_action(stage) is not TransferAction(action):
        raise BusinessRuleError(
            f"{case} 当前环节为「{TransferStage(stage).label}」，不能办理「{action.label}」"
        )


def first_stage(direction: TransferDirection, rules: TransferRuleSet) -> TransferStage:
    """Where a new case starts. A transfer in is accepted with its 联系函 printed at once, under
    either rule set, so the 2016 rules' 15 working days for sending it are met on the day."""
    TransferRuleSet(rules)  # an unknown rule set is a settings error, not a silent default
    if TransferDirection(direction) is TransferDirection.OUT:
        return _T.OUT_CERTIFICATE_ISSUED
    return _T.IN_LETTER_SENT


def next_transfer_stage(direction: TransferDirection, stage: TransferStage) -> TransferStage:
    direction, stage = TransferDirection(direction), TransferStage(stage)
    target = TRANSFER_NEXT_STAGE.get((direction, stage))
    if target is None:
        raise BusinessRuleError(
            f"{direction.label}案件当前环节为「{stage.label}」，不能进入下一环节"
        )
    return target


def check_transfer_out_allowed(status: EnrollmentStatus) -> None:
    """The enrollment here must be suspended before the 参保凭证 is issued."""
    if status is not EnrollmentStatus.SUSPENDED:
        raise BusinessRuleError(f"参保状态为「{status.label}」，须先暂停本地参保才能办理转出")


class TransferLetterKind(StrEnum):
    CERTIFICATE = "certificate"
    CONTACT_LETTER = "contact_letter"
    INFO_FORM = "info_form"

    @property
    def label(self) -> str:
        return _LETTER_LABELS[self]

    # Shadows str.title() on purpose: the form's title reads like ``label``.
    @property
    def title(self) -> str:  # type: ignore[override]
        """The form's full title, printed as its heading."""
        return _LETTER_TITLES[self]


_LETTER_LABELS = {
    TransferLetterKind.CERTIFICATE: "参保凭证",
    TransferLetterKind.CONTACT_LETTER: "联系函",
    TransferLetterKind.INFO_FORM: "信息表",
}
_LETTER_TITLES = {
    TransferLetterKind.CERTIFICATE: "基本医疗保险参保凭证",
    TransferLetterKind.CONTACT_LETTER: "基本医疗保险关系转移接续联系函",
    TransferLetterKind.INFO_FORM: "参保人员基本医疗保险类型变更信息表",
}


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day (31 Jan + 1 -> 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def gap_is_bridgeable(previous_end: date, new_start: date, policy: Policy) -> bool:
    """Whether a break in coverage is short enough (default 3 months) to be paid up with
    benefits continuous. ``previous_end`` is the last covered day."""
    gap_start = previous_end + timedelta(days=1)
    if new_start <= gap_start:
        return True
    return new_start <= add_months(gap_start, policy.transfer_gap_months)
