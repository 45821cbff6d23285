"""Corrections of a person's data (参保信息变更/更正).

Contact fields and the bank debit account change at once. Identity fields change only with
supporting documents and a second person's approval, never the submitter's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from medins_desk.domain.contact import (
    parse_address,
    parse_bank_card,
    parse_ethnicity,
    parse_mobile,
    parse_postcode,
)
from medins_desk.domain.identity import (
    Sex,
    identity_notices,
    parse_birth_date,
    parse_identity_number,
)
from medins_desk.domain.names import needs_manual_personalisation, normalise_name
from medins_desk.errors import BusinessRuleError, Notice, ValidationError

__all__ = [
    "CORRECTION_TRANSITIONS",
    "IMMEDIATE_ONLY_TRANSITIONS",
    "CorrectionAction",
    "CorrectionClass",
    "CorrectionField",
    "CorrectionState",
    "SupportingDocument",
    "check_approver",
    "check_documents",
    "check_rejection_reason",
    "next_correction_state",
    "validate_field_value",
]


class CorrectionClass(StrEnum):
    IMMEDIATE = "immediate"
    IDENTITY = "identity"

    @property
    def label(self) -> str:
        return "即时生效" if self is CorrectionClass.IMMEDIATE else "身份信息（需复核）"


class CorrectionField(StrEnum):
    PHONE = "phone"
    ADDRESS = "address"
    POSTCODE = "postcode"
    BANK_ACCOUNT = "bank_account"
    NAME = "name"
    IDENTITY_NUMBER = "identity_number"
    SEX = "sex"
    BIRTH_DATE = "birth_date"
    ETHNICITY = "ethnicity"

    @property
    def label(self) -> str:
        return _FIELD_LABELS[self]

    @property
    def correction_class(self) -> CorrectionClass:
        return _FIELD_CLASSES[self]


_FIELD_LABELS = {
    CorrectionField.PHONE: "联系电话",
    CorrectionField.ADDRESS: "联系地址",
    CorrectionField.POSTCODE: "邮政编码",
    CorrectionField.BANK_ACCOUNT: "银行扣款账户",
    CorrectionField.NAME: "姓名",
    CorrectionField.IDENTITY_NUMBER: "社会保障号码",
    CorrectionField.SEX: "性别",
    CorrectionField.BIRTH_DATE: "出生日期",
    CorrectionField.ETHNICITY: "民族",
}
_IMMEDIATE_FIELDS = frozenset(
    {
        CorrectionField.PHONE,
        CorrectionField.ADDRESS,
        CorrectionField.POSTCODE,
        CorrectionField.BANK_ACCOUNT,
    }
)
_FIELD_CLASSES = {
    field: CorrectionClass.IMMEDIATE if field in _IMMEDIATE_FIELDS else CorrectionClass.IDENTITY
    for field in CorrectionField
}


class SupportingDocument(StrEnum):
    HOUSEHOLD_REGISTER = "household_register"
    ID_CARD = "id_card"
    POLICE_CERTIFICATE = "police_certificate"
    BIRTH_CERTIFICATE = "birth_certificate"
    MARRIAGE_CERTIFICATE = "marriage_certificate"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _DOCUMENT_LABELS[self]


_DOCUMENT_LABELS = {
    SupportingDocument.HOUSEHOLD_REGISTER: "户口簿",
    SupportingDocument.ID_CARD: "居民身份证",
    SupportingDocument.POLICE_CERTIFICATE: "公安机关证明",
    SupportingDocument.BIRTH_CERTIFICATE: "出生医学证明",
    SupportingDocument.MARRIAGE_CERTIFICATE: "结婚证",
    SupportingDocument.OTHER: "其他证明材料",
}


class CorrectionState(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    APPROVED = "approved"
    APPLIED = "applied"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def is_final(self) -> bool:
        return self in _FINAL_STATES


_STATE_LABELS = {
    CorrectionState.DRAFT: "草稿",
    CorrectionState.PENDING: "待复核",
    CorrectionState.APPROVED: "已通过",
    CorrectionState.APPLIED: "已生效",
    CorrectionState.REJECTED: "已驳回",
    CorrectionState.CANCELLED: "已撤销",
}
_FINAL_STATES = frozenset(
    {CorrectionState.APPLIED, CorrectionState.REJECTED, CorrectionState.CANCELLED}
)


class CorrectionAction(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    APPLY = "apply"
    REJECT = "reject"
    CANCEL = "cancel"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    CorrectionAction.SUBMIT: "提交复核",
    CorrectionAction.APPROVE: "复核通过",
    CorrectionAction.APPLY: "生效",
    CorrectionAction.REJECT: "驳回",
    CorrectionAction.CANCEL: "撤销",
}

_CS = CorrectionState
_CA = CorrectionAction
CORRECTION_TRANSITIONS: Mapping[tuple[CorrectionState, CorrectionAction], CorrectionState] = (
    MappingProxyType(
        {
            (_CS.DRAFT, _CA.SUBMIT): _CS.PENDING,
            (_CS.PENDING, _CA.APPROVE): _CS.APPROVED,
            (_CS.APPROVED, _CA.APPLY): _CS.APPLIED,
            (_CS.PENDING, _CA.REJECT): _CS.REJECTED,
            (_CS.DRAFT, _CA.CANCEL): _CS.CANCELLED,
            (_CS.PENDING, _CA.CANCEL): _CS.CANCELLED,
            # Contact and bank changes need no review: see IMMEDIATE_ONLY_TRANSITIONS.
            (_CS.DRAFT, _CA.APPLY): _CS.APPLIED,
        }
    )
)

# Transitions in the table open only to the IMMEDIATE class.
IMMEDIATE_ONLY_TRANSITIONS: frozenset[tuple[CorrectionState, CorrectionAction]] = frozenset(
    {(_CS.DRAFT, _CA.APPLY)}
)


def next_correction_state(
    state: CorrectionState,
    action: CorrectionAction,
    *,
    correction_class: CorrectionClass = CorrectionClass.IDENTITY,
) -> CorrectionState:
    """The state after ``action``; ``BusinessRuleError`` when the request's state forbids it.

    The default class is the strict one: a caller that forgets it cannot skip the review.
    """
    state, action = CorrectionState(state), CorrectionAction(action)
    target = CORRECTION_TRANSITIONS.get((state, action))
    if target is None:
        raise BusinessRuleError(f"更正申请当前状态为「{state.label}」，不能「{action.label}」")
    if (state, action) in IMMEDIATE_ONLY_TRANSITIONS and correction_class is not (
        CorrectionClass.IMMEDIATE
    ):
        raise BusinessRuleError("身份信息更正须经复核通过后才能生效")
    return target


def check_documents(
    fields: Iterable[CorrectionField], documents: Iterable[SupportingDocument]
) -> None:
    """Identity fields change only on the strength of at least one supporting document."""
    changed = [CorrectionField(f) for f in fields]
    identity_fields = [f for f in changed if f.correction_class is CorrectionClass.IDENTITY]
    if identity_fields and not list(documents):
        names = "、".join(f.label for f in identity_fields)
        raise ValidationError(
            "documents", f"更正{names}须提供证明材料（户口簿、居民身份证、公安机关证明等）"
        )


def check_approver(*, submitted_by: int, approver: int) -> None:
    if submitted_by == approver:
        raise BusinessRuleError("复核人不能是申请人本人")


def check_rejection_reason(reason: str) -> str:
    """A rejected request keeps its reason for the citizen and the history."""
    text = reason.strip()
    if not text:
        raise ValidationError("reason", "驳回原因不能为空")
    return text


def validate_field_value(
    field: CorrectionField, text: str, *, today: date | None = None
) -> tuple[str, list[Notice]]:
    """Normalise a new value as stored: identity number -> 18 characters, sex -> "1"/"2",
    birth date -> ISO date, ethnicity -> GB 3304 code. ``today`` (the counter's clock) bounds
    birth dates; without it the system date is used."""
    field = CorrectionField(field)
    name = field.value
    if field is CorrectionField.PHONE:
        return parse_mobile(text, field=name), []
    if field is CorrectionField.ADDRESS:
        return parse_address(text, field=name), []
    if field is CorrectionField.POSTCODE:
        return parse_postcode(text, field=name), []
    if field is CorrectionField.BANK_ACCOUNT:
        return parse_bank_card(text, field=name)
    if field is CorrectionField.NAME:
        value = normalise_name(text, field=name)
        notices = []
        if needs_manual_personalisation(value):
            notices.append(
                Notice(
                    code="name_manual_card",
                    message=f"姓名「{value}」含 GBK 以外的字符或过长，补换卡须人工个性化制卡",
                    field=name,
                )
            )
        return value, notices
    if field is CorrectionField.IDENTITY_NUMBER:
        number = parse_identity_number(text, field=name, today=today)
        return number.number, identity_notices(number)
    if field is CorrectionField.SEX:
        return Sex.parse(text, field=name).value, []
    if field is CorrectionField.BIRTH_DATE:
        return parse_birth_date(text, field=name, today=today).isoformat(), []
    return parse_ethnicity(text, field=name), []
