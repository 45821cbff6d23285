"""Coverage transfer: stages, deadlines under both rule sets, letters, gaps."""

from __future__ import annotations

from datetime import date

import pytest

from medins_desk.domain.enrollment import EnrollmentStatus
from medins_desk.domain.policy import Policy
from medins_desk.domain.transfer import (
    DEADLINE_WORKING_DAYS,
    TRANSFER_NEXT_STAGE,
    TransferAction,
    TransferDirection,
    TransferLetterKind,
    TransferRuleSet,
    TransferStage,
    add_months,
    check_next_action,
    check_transfer_out_allowed,
    first_stage,
    gap_is_bridgeable,
    is_overdue,
    next_action,
    next_transfer_stage,
    stage_deadline,
)
from medins_desk.errors import BusinessRuleError

R21 = TransferRuleSet.R2021
R16 = TransferRuleSet.R2016
T = TransferStage
START = date(2026, 9, 24)  # a Thursday before Mid-autumn and National Day 2026


def test_rule_set_values_match_the_setting() -> None:
    assert TransferRuleSet(Policy().transfer_rules) is R21
    assert TransferRuleSet("2016") is R16
    assert "43号" in R21.label


@pytest.mark.parametrize(
    ("rules", "stage", "due"),
    [
        # 09-28, 29, 30, 10-08, 09, 10 (adjusted Saturday), 12, 13, 14, 15
        (R21, T.OUT_LETTER_RECEIVED, date(2026, 10, 15)),
        (R21, T.IN_LETTER_SENT, date(2026, 10, 15)),
        (R21, T.IN_INFO_RECEIVED, date(2026, 10, 9)),
        (R16, T.OUT_LETTER_RECEIVED, date(2026, 10, 22)),
        (R16, T.IN_LETTER_SENT, date(2026, 10, 22)),
        (R16, T.IN_INFO_RECEIVED, date(2026, 10, 22)),
    ],
)
def test_deadlines_in_working_days(rules: TransferRuleSet, stage: TransferStage, due: date) -> None:
    assert stage_deadline(rules, stage, START) == due


def test_deadline_table() -> None:
    assert DEADLINE_WORKING_DAYS[(R21, T.OUT_LETTER_RECEIVED)] == 10
    assert DEADLINE_WORKING_DAYS[(R21, T.IN_INFO_RECEIVED)] == 5
    assert all(days == 15 for (rules, _), days in DEADLINE_WORKING_DAYS.items() if rules is R16)


@pytest.mark.parametrize("rules", [R21, R16])
@pytest.mark.parametrize("stage", [T.OUT_CERTIFICATE_ISSUED, T.COMPLETED, T.CANCELLED])
def test_stages_without_deadline(rules: TransferRuleSet, stage: TransferStage) -> None:
    assert stage_deadline(rules, stage, START) is None


def test_plain_setting_string_is_accepted() -> None:
    assert stage_deadline("2021", T.IN_INFO_RECEIVED, START) == date(2026, 10, 9)  # type: ignore[arg-type]


def test_overdue() -> None:
    due = date(2026, 10, 15)
    assert not is_overdue(due, date(2026, 10, 15))
    assert is_overdue(due, date(2026, 10, 16))
    assert not is_overdue(None, date(2030, 1, 1))


def test_stage_flow() -> None:
    assert first_stage(TransferDirection.OUT, R21) is T.OUT_CERTIFICATE_ISSUED
    assert first_stage(TransferDirection.IN, R21) is T.IN_LETTER_SENT
    assert first_stage(TransferDirection.IN, R16) is T.IN_LETTER_SENT
    assert next_transfer_stage(TransferDirection.OUT, T.OUT_CERTIFICATE_ISSUED) is (
        T.OUT_LETTER_RECEIVED
    )
    assert next_transfer_stage(TransferDirection.OUT, T.OUT_LETTER_RECEIVED) is T.COMPLETED
    assert next_transfer_stage(TransferDirection.IN, T.IN_LETTER_SENT) is T.IN_INFO_RECEIVED
    assert next_transfer_stage(TransferDirection.IN, T.IN_INFO_RECEIVED) is T.COMPLETED
    for stage in (T.COMPLETED, T.CANCELLED, T.IN_LETTER_SENT):
        with pytest.raises(BusinessRuleError):
            next_transfer_stage(TransferDirection.OUT, stage)


def test_transfer_out_needs_a_suspended_enrollment() -> None:
    check_transfer_out_allowed(EnrollmentStatus.SUSPENDED)
    with pytest.raises(BusinessRuleError, match="须先暂停"):
        check_transfer_out_allowed(EnrollmentStatus.ACTIVE)


def test_labels_and_titles() -> None:
    assert TransferDirection.OUT.label == "转出" and TransferDirection.IN.label == "转入"
    assert T.OUT_CERTIFICATE_ISSUED.label == "参保凭证已开具"
    assert T.COMPLETED.label == "办结"
    assert all(stage.label for stage in TransferStage)
    assert TransferLetterKind.CERTIFICATE.label == "参保凭证"
    assert TransferLetterKind.CERTIFICATE.title == "基本医疗保险参保凭证"
    assert TransferLetterKind.CONTACT_LETTER.title == "基本医疗保险关系转移接续联系函"
    assert TransferLetterKind.INFO_FORM.title == "参保人员基本医疗保险类型变更信息表"


def test_add_months() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("previous_end", "new_start", "bridgeable"),
    [
        (date(2026, 1, 31), date(2026, 2, 1), True),  # no gap
        (date(2026, 1, 31), date(2026, 1, 15), True),  # overlap
        (date(2026, 1, 31), date(2026, 5, 1), True),  # February-April: 3 months
        (date(2026, 1, 31), date(2026, 5, 2), False),
        (date(2024, 2, 29), date(2024, 6, 1), True),  # March-May
        (date(2024, 2, 29), date(2024, 6, 2), False),
        (date(2026, 1, 15), date(2026, 4, 16), True),
        (date(2026, 1, 15), date(2026, 4, 17), False),
    ],
)
def test_gap_is_bridgeable(previous_end: date, new_start: date, bridgeable: bool) -> None:
    assert gap_is_bridgeable(previous_end, new_start, Policy()) is bridgeable


def test_gap_limit_is_a_setting() -> None:
    assert not gap_is_bridgeable(date(2026, 1, 31), date(2026, 3, 1), Policy(transfer_gap_months=0))
    assert gap_is_bridgeable(date(2026, 1, 31), date(2026, 2, 1), Policy(transfer_gap_months=0))
    assert gap_is_bridgeable(date(2026, 1, 31), date(2026, 7, 1), Policy(transfer_gap_months=5))


def test_every_stage_the_counter_moves_on_has_exactly_one_next_act() -> None:
    movable = {stage for _direction, stage in TRANSFER_NEXT_STAGE}
    assert {stage for stage in T if next_action(stage) is not None} == movable
    assert next_action(T.COMPLETED) is None and next_action(T.CANCELLED) is None


def test_an_act_out_of_turn_names_the_case_and_its_stage() -> None:
    check_next_action(T.IN_LETTER_SENT, TransferAction.RECORD_INFO_FORM, case="转入案件 X1")
    with pytest.raises(BusinessRuleError) as raised:
        check_next_action(T.IN_LETTER_SENT, TransferAction.COMPLETE_TRANSFER_IN, case="转入案件 X1")
    assert raised.value.message == (
        "转入案件 X1 当前环节为「联系函已发出」，不能办理「转入办结（记入缴费年限及个人账户）」"
    )
