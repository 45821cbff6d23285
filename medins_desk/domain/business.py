"""Kinds of business transaction (业务类型) as they appear in the 业务流水 and the daily ledger."""

from __future__ import annotations

from enum import StrEnum


class BusinessKind(StrEnum):
    PERSON_REGISTRATION = "person_registration"
    CARD_APPLICATION = "card_application"
    CARD_HANDOVER = "card_handover"
    LOSS_TEMPORARY = "loss_temporary"
    LOSS_FORMAL = "loss_formal"
    LOSS_UNFREEZE = "loss_unfreeze"
    CORRECTION = "correction"
    CORRECTION_REVIEW = "correction_review"
    ENROLLMENT = "enrollment"
    ENROLLMENT_CHANGE = "enrollment_change"
    REFUND_REQUEST = "refund_request"
    REFUND_REVIEW = "refund_review"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    PROGRESS_NOTICE = "progress_notice"
    CARD_REWRITE = "card_rewrite"
    MEDICAL_FILING = "medical_filing"
    MEDICAL_FILING_CHANGE = "medical_filing_change"
    MEDICAL_FILING_CANCEL = "medical_filing_cancel"
    INHERITANCE_REQUEST = "inheritance_request"
    INHERITANCE_REVIEW = "inheritance_review"
    CERTIFICATE = "certificate"
    RETIREMENT = "retirement"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS: dict[BusinessKind, str] = {
    BusinessKind.PERSON_REGISTRATION: "参保登记",
    BusinessKind.CARD_APPLICATION: "社保卡申领",
    BusinessKind.CARD_HANDOVER: "社保卡领取",
    BusinessKind.LOSS_TEMPORARY: "临时挂失",
    BusinessKind.LOSS_FORMAL: "正式挂失",
    BusinessKind.LOSS_UNFREEZE: "解挂",
    BusinessKind.CORRECTION: "参保信息变更",
    BusinessKind.CORRECTION_REVIEW: "信息变更复核",
    BusinessKind.ENROLLMENT: "险种参保登记",
    BusinessKind.ENROLLMENT_CHANGE: "参保状态变更",
    BusinessKind.REFUND_REQUEST: "居民医保退费申请",
    BusinessKind.REFUND_REVIEW: "退费复核",
    BusinessKind.TRANSFER_OUT: "医保关系转出",
    BusinessKind.TRANSFER_IN: "医保关系转入",
    BusinessKind.PROGRESS_NOTICE: "办理进度告知",
    BusinessKind.CARD_REWRITE: "社保卡信息改写",
    BusinessKind.MEDICAL_FILING: "异地就医备案",
    BusinessKind.MEDICAL_FILING_CHANGE: "异地就医备案变更",
    BusinessKind.MEDICAL_FILING_CANCEL: "取消异地就医备案",
    BusinessKind.INHERITANCE_REQUEST: "个人账户余额继承申请",
    BusinessKind.INHERITANCE_REVIEW: "个人账户继承复核",
    BusinessKind.CERTIFICATE: "参保缴费证明开具",
    BusinessKind.RETIREMENT: "职工医保在职转退休",
}


class TransactionStatus(StrEnum):
    NORMAL = "normal"
    VOID = "void"

    @property
    def label(self) -> str:
        return "正常" if self is TransactionStatus.NORMAL else "已作废"


def format_serial(hall_code: str, day_yyyymmdd: str, counter_no: str, seq: int) -> str:
    """业务流水号: hall code (6) + date (8) + counter (3) + sequence (5)."""
    return f"{hall_code}{day_yyyymmdd}{counter_no}{seq:05d}"


SERIAL_LENGTH = 22


def is_serial(text: str) -> bool:
    """Whether ``text`` has the shape of a 业务流水号 (22 ASCII digits)."""
    return len(text) == SERIAL_LENGTH and text.isascii() and text.isdigit()


MAX_DAILY_SEQUENCE = 99_999
