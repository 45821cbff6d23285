"""Corrections: field classes, the review state machine, documents, approver, new values."""

from __future__ import annotations

import pytest
from stdnum import luhn

from medins_desk.domain.correction import (
    CORRECTION_TRANSITIONS,
    CorrectionAction,
    CorrectionClass,
    CorrectionField,
    CorrectionState,
    SupportingDocument,
    check_approver,
    check_documents,
    check_rejection_reason,
    next_correction_state,
    validate_field_value,
)
from medins_desk.errors import BusinessRuleError, ValidationError

S = CorrectionState
A = CorrectionAction

REVIEWED = {
    (S.DRAFT, A.SUBMIT): S.PENDING,
    (S.PENDING, A.APPROVE): S.APPROVED,
    (S.APPROVED, A.APPLY): S.APPLIED,
    (S.PENDING, A.REJECT): S.REJECTED,
    (S.DRAFT, A.CANCEL): S.CANCELLED,
    (S.PENDING, A.CANCEL): S.CANCELLED,
}
IMMEDIATE_ONLY = {(S.DRAFT, A.APPLY): S.APPLIED}


def test_field_classes_and_labels() -> None:
    immediate = {f for f in CorrectionField if f.correction_class is CorrectionClass.IMMEDIATE}
    assert immediate == {
        CorrectionField.PHONE,
        CorrectionField.ADDRESS,
        CorrectionField.POSTCODE,
        CorrectionField.BANK_ACCOUNT,
    }
    assert [f.label for f in CorrectionField] == [
        "联系电话",
        "联系地址",
        "邮政编码",
        "银行扣款账户",
        "姓名",
        "社会保障号码",
        "性别",
        "出生日期",
        "民族",
    ]
    assert [d.label for d in SupportingDocument] == [
        "户口簿",
        "居民身份证",
        "公安机关证明",
        "出生医学证明",
        "结婚证",
        "其他证明材料",
    ]
    assert [s.label for s in CorrectionState] == [
        "草稿",
        "待复核",
        "已通过",
        "已生效",
        "已驳回",
        "已撤销",
    ]


@pytest.mark.parametrize(("state", "action"), list(REVIEWED))
def test_review_transitions(state: CorrectionState, action: CorrectionAction) -> None:
    assert next_correction_state(state, action) is REVIEWED[(state, action)]
    assert (
        next_correction_state(state, action, correction_class=CorrectionClass.IMMEDIATE)
        is REVIEWED[(state, action)]
    )


def test_table_is_exactly_the_lifecycle() -> None:
    assert dict(CORRECTION_TRANSITIONS) == REVIEWED | IMMEDIATE_ONLY


def test_immediate_changes_apply_from_draft_but_identity_changes_cannot() -> None:
    assert (
        next_correction_state(S.DRAFT, A.APPLY, correction_class=CorrectionClass.IMMEDIATE)
        is S.APPLIED
    )
    with pytest.raises(BusinessRuleError, match="须经复核"):
        next_correction_state(S.DRAFT, A.APPLY)
    with pytest.raises(BusinessRuleError):
        next_correction_state(S.DRAFT, A.APPLY, correction_class=CorrectionClass.IDENTITY)


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (state, action)
        for state in CorrectionState
        for action in CorrectionAction
        if (state, action) not in REVIEWED and (state, action) not in IMMEDIATE_ONLY
    ],
)
def test_other_transitions_are_refused(state: CorrectionState, action: CorrectionAction) -> None:
    with pytest.raises(BusinessRuleError) as raised:
        next_correction_state(state, action, correction_class=CorrectionClass.IMMEDIATE)
    assert f"「{state.label}」" in raised.value.message


def test_final_states() -> None:
    assert {s for s in CorrectionState if s.is_final} == {S.APPLIED, S.REJECTED, S.CANCELLED}


def test_identity_fields_need_documents() -> None:
    check_documents([CorrectionField.PHONE], [])
    check_documents([CorrectionField.NAME], [SupportingDocument.HOUSEHOLD_REGISTER])
    with pytest.raises(ValidationError) as raised:
        check_documents([CorrectionField.PHONE, CorrectionField.NAME, CorrectionField.SEX], [])
    assert raised.value.field == "documents"
    assert "姓名、性别" in raised.value.message


def test_approver_is_never_the_submitter() -> None:
    check_approver(submitted_by=1, approver=2)
    with pytest.raises(BusinessRuleError, match="复核人不能是申请人本人"):
        check_approver(submitted_by=7, approver=7)


def test_rejection_keeps_a_reason() -> None:
    assert check_rejection_reason(" 证明材料不清晰 ") == "证明材料不清晰"
    with pytest.raises(ValidationError) as raised:
        check_rejection_reason("  ")
    assert raised.value.field == "reason"


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        (CorrectionField.PHONE, "+86 138 0013 8000", "13800138000"),
        (CorrectionField.ADDRESS, " 北京市朝阳区 ", "北京市朝阳区"),
        (CorrectionField.POSTCODE, "100 000", "100000"),
        (CorrectionField.NAME, "阿依古丽\u2022买买提", "阿依古丽·买买提"),
        (CorrectionField.IDENTITY_NUMBER, "110105491231002", "11010519491231002X"),
        (CorrectionField.SEX, "女", "2"),
        (CorrectionField.BIRTH_DATE, "1949年12月31日", "1949-12-31"),
        (CorrectionField.ETHNICITY, "汉", "01"),
    ],
)
def test_validate_field_value(field: CorrectionField, typed: str, stored: str) -> None:
    assert validate_field_value(field, typed) == (stored, [])


def test_validate_field_value_passes_notices_on() -> None:
    number = "622202020011234567"
    broken = number + str((int(luhn.calc_check_digit(number)) + 1) % 10)
    value, notices = validate_field_value(CorrectionField.BANK_ACCOUNT, broken)
    assert value == broken and [n.code for n in notices] == ["bank_luhn"]

    _value, notices = validate_field_value(CorrectionField.IDENTITY_NUMBER, "110199198001010016")
    assert [n.code for n in notices] == ["unknown_area"]

    value, notices = validate_field_value(CorrectionField.NAME, "\U00020bb7野家")
    assert value == "\U00020bb7野家" and [n.code for n in notices] == ["name_manual_card"]


def test_validate_field_value_names_the_field() -> None:
    with pytest.raises(ValidationError) as raised:
        validate_field_value(CorrectionField.SEX, "X")
    assert raised.value.field == "sex"
    with pytest.raises(ValidationError) as raised:
        validate_field_value(CorrectionField.BIRTH_DATE, "1990-13-01")
    assert raised.value.field == "birth_date"
