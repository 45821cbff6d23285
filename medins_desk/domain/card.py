"""Social security card (社会保障卡) lifecycle, fees, card numbers and who may apply.

The state machine is one table, ``CARD_TRANSITIONS``; services ask ``next_card_state`` and never
decide a transition themselves.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from medins_desk.domain.identity import age_on, normalise_identity_text
from medins_desk.domain.policy import Policy
from medins_desk.domain.workdays import add_working_days
from medins_desk.errors import BusinessRuleError, Notice, ValidationError

__all__ = [
    "CARD_NUMBER_ALPHABET",
    "CARD_TRANSITIONS",
    "CARD_VALIDITY_YEARS",
    "LIVE_CARD_STATES",
    "POLICY_GATED_TRANSITIONS",
    "CardApplicationKind",
    "CardEvent",
    "CardState",
    "ReplacementReason",
    "RepresentativeRole",
    "allowed_card_events",
    "card_expiry_date",
    "card_fee_fen",
    "card_number_check_character",
    "expected_pickup_date",
    "guardian_required",
    "next_card_state",
    "parse_card_number",
    "required_old_card_state",
    "temporary_loss_expiry",
]


class CardState(StrEnum):
    ACCEPTED = "accepted"
    IN_PRODUCTION = "in_production"
    READY = "ready"
    ACTIVE = "active"
    TEMP_LOST = "temp_lost"
    FORMAL_LOST = "formal_lost"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    CardState.ACCEPTED: "申领受理",
    CardState.IN_PRODUCTION: "制卡中",
    CardState.READY: "待领取",
    CardState.ACTIVE: "正常",
    CardState.TEMP_LOST: "临时挂失",
    CardState.FORMAL_LOST: "正式挂失",
    CardState.CANCELLED: "注销",
}

# A person holds at most one card in these states at any time.
LIVE_CARD_STATES: frozenset[CardState] = frozenset(CardState) - {CardState.CANCELLED}


class CardEvent(StrEnum):
    START_PRODUCTION = "start_production"
    PRODUCED = "produced"
    HAND_OVER = "hand_over"
    ISSUE_INSTANTLY = "issue_instantly"
    REPORT_TEMPORARY_LOSS = "report_temporary_loss"
    TEMPORARY_LOSS_EXPIRED = "temporary_loss_expired"
    REPORT_FORMAL_LOSS = "report_formal_loss"
    UNFREEZE = "unfreeze"
    SUPERSEDE = "supersede"
    CANCEL = "cancel"

    @property
    def label(self) -> str:
        return _EVENT_LABELS[self]


_EVENT_LABELS = {
    CardEvent.START_PRODUCTION: "制卡",
    CardEvent.PRODUCED: "制卡完成",
    CardEvent.HAND_OVER: "领卡",
    CardEvent.ISSUE_INSTANTLY: "即时制卡",
    CardEvent.REPORT_TEMPORARY_LOSS: "临时挂失",
    CardEvent.TEMPORARY_LOSS_EXPIRED: "临时挂失到期",
    CardEvent.REPORT_FORMAL_LOSS: "正式挂失",
    CardEvent.UNFREEZE: "解挂",
    CardEvent.SUPERSEDE: "补领/换领",
    CardEvent.CANCEL: "注销",
}

_S = CardState
_E = CardEvent
CARD_TRANSITIONS: Mapping[tuple[CardState, CardEvent], CardState] = MappingProxyType(
    {
        (_S.ACCEPTED, _E.START_PRODUCTION): _S.IN_PRODUCTION,
        (_S.IN_PRODUCTION, _E.PRODUCED): _S.READY,
        (_S.READY, _E.HAND_OVER): _S.ACTIVE,
        (_S.ACCEPTED, _E.ISSUE_INSTANTLY): _S.ACTIVE,
        (_S.ACTIVE, _E.REPORT_TEMPORARY_LOSS): _S.TEMP_LOST,
        (_S.TEMP_LOST, _E.TEMPORARY_LOSS_EXPIRED): _S.ACTIVE,
        (_S.ACTIVE, _E.REPORT_FORMAL_LOSS): _S.FORMAL_LOST,
        (_S.TEMP_LOST, _E.REPORT_FORMAL_LOSS): _S.FORMAL_LOST,
        (_S.TEMP_LOST, _E.UNFREEZE): _S.ACTIVE,
        # Only where the region allows it (``formal_loss_reversible``): see POLICY_GATED.
        (_S.FORMAL_LOST, _E.UNFREEZE): _S.ACTIVE,
        # 补领 supersedes a formally lost card; 换领 supersedes the active card handed back.
        (_S.FORMAL_LOST, _E.SUPERSEDE): _S.CANCELLED,
        (_S.ACTIVE, _E.SUPERSEDE): _S.CANCELLED,
        # 注销 (death, emigration) from any live state.
        **{(state, _E.CANCEL): _S.CANCELLED for state in LIVE_CARD_STATES},
    }
)

# Transitions in the table that only ``formal_loss_reversible`` permits.
POLICY_GATED_TRANSITIONS: frozenset[tuple[CardState, CardEvent]] = frozenset(
    {(_S.FORMAL_LOST, _E.UNFREEZE)}
)


def next_card_state(
    state: CardState, event: CardEvent, *, formal_loss_reversible: bool = False
) -> CardState:
    """The state after ``event``; ``BusinessRuleError`` when the card's state does not allow it."""
    state, event = CardState(state), CardEvent(event)  # values read back from the store
    target = CARD_TRANSITIONS.get((state, event))
    if target is None:
        raise BusinessRuleError(f"卡片当前状态为「{state.label}」，不能办理「{event.label}」")
    if (state, event) in POLICY_GATED_TRANSITIONS and not formal_loss_reversible:
        raise BusinessRuleError(
            f"卡片当前状态为「{state.label}」，不能办理「{event.label}」：本地区正式挂失后不可解挂"
        )
    return target


def allowed_card_events(
    state: CardState, *, formal_loss_reversible: bool = False
) -> list[CardEvent]:
    """Events the card's state allows, in declaration order (for enabling buttons)."""
    return [
        event
        for event in CardEvent
        if (state, event) in CARD_TRANSITIONS
        and (formal_loss_reversible or (state, event) not in POLICY_GATED_TRANSITIONS)
    ]


class CardApplicationKind(StrEnum):
    FIRST = "first"
    REISSUE = "reissue"
    REPLACEMENT = "replacement"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    CardApplicationKind.FIRST: "首次申领",
    CardApplicationKind.REISSUE: "补领",
    CardApplicationKind.REPLACEMENT: "换领",
}


class ReplacementReason(StrEnum):
    FAULTY = "faulty"
    DATA_CHANGED = "data_changed"
    EXPIRED = "expired"
    DAMAGED = "damaged"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]

    def free_of_charge(self, policy: Policy) -> bool:
        """The holder is not at fault: a faulty card or changed personal data; an expired card
        where the region renews it free (``expired_replacement_free``)."""
        if self is ReplacementReason.EXPIRED:
            return policy.expired_replacement_free
        return self in _FREE_REPLACEMENT_REASONS


_REASON_LABELS = {
    ReplacementReason.FAULTY: "卡片故障",
    ReplacementReason.DATA_CHANGED: "个人信息变更",
    ReplacementReason.EXPIRED: "有效期满",
    ReplacementReason.DAMAGED: "人为损坏",
    ReplacementReason.OTHER: "其他",
}
_FREE_REPLACEMENT_REASONS = frozenset({ReplacementReason.FAULTY, ReplacementReason.DATA_CHANGED})


def card_fee_fen(
    kind: CardApplicationKind, reason: ReplacementReason | None, policy: Policy
) -> int:
    """The fee in fen (分) recorded on the transaction and in the ledger."""
    if kind is CardApplicationKind.FIRST:
        return policy.fee_first_card_fen
    if kind is CardApplicationKind.REISSUE:
        return policy.fee_reissue_fen
    # Without a stated reason the holder-at-fault fee applies.
    free = reason is not None and reason.free_of_charge(policy)
    return 0 if free else policy.fee_replacement_fen


def required_old_card_state(kind: CardApplicationKind) -> CardState | None:
    """补领 needs the old card formally lost; 换领 needs it active (and handed back)."""
    return {
        CardApplicationKind.FIRST: None,
        CardApplicationKind.REISSUE: CardState.FORMAL_LOST,
        CardApplicationKind.REPLACEMENT: CardState.ACTIVE,
    }[kind]


class RepresentativeRole(StrEnum):
    AGENT = "agent"
    GUARDIAN = "guardian"

    @property
    def label(self) -> str:
        return "代办人" if self is RepresentativeRole.AGENT else "监护人"


CARD_VALIDITY_YEARS = 10


def card_expiry_date(issued: date) -> date:
    """卡有效期: ten years from issue; a card issued on 29 February expires on 28 February."""
    if issued.month == 2 and issued.day == 29:
        return date(issued.year + CARD_VALIDITY_YEARS, 2, 28)
    return issued.replace(year=issued.year + CARD_VALIDITY_YEARS)


def guardian_required(birth_date: date, today: date, policy: Policy) -> bool:
    """Applicants younger than ``guardian_age`` (default 16) apply through a guardian."""
    return age_on(birth_date, today) < policy.guardian_age


CARD_NUMBER_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CARD_ID_CODE_MIDDLE = "D156000005"
_REGION_CODE = re.compile(r"[0-9]{6}")
_CARD_NUMBER_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def card_number_check_character(first8: str) -> str:
    """The 卡号 check character (DESIGN §10): 0-9 and A-Z (10-35), weights 3 7 9 10 5 8 4 2."""
    if len(first8) != 8 or any(ch not in CARD_NUMBER_ALPHABET for ch in first8):
        raise ValidationError(
            "card_number", f"计算卡号校验位需要8位数字或大写字母，输入为「{first8}」"
        )
    total = sum(
        CARD_NUMBER_ALPHABET.index(ch) * weight
        for ch, weight in zip(first8, _CARD_NUMBER_WEIGHTS, strict=True)
    )
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def parse_card_number(text: str, *, field: str = "card_number") -> tuple[str, list[Notice]]:
    """A 9-character card number; a failed check character is a warning (real cards fail it)."""
    number = normalise_identity_text(text)
    if not number:
        raise ValidationError(field, "社会保障卡卡号不能为空")
    if len(number) != 9 or any(ch not in CARD_NUMBER_ALPHABET for ch in number):
        raise ValidationError(
            field, f"社会保障卡卡号应为9位数字或大写字母，输入为「{text.strip()}」"
        )
    expected = card_number_check_character(number[:8])
    notices: list[Notice] = []
    if number[8] != expected:
        notices.append(
            Notice(
                code="card_check",
                message=(
                    f"卡号 {number} 校验位不符（应为 {expected}，实为 {number[8]}），请核对卡号"
                ),
                field=field,
            )
        )
    return number, notices


def temporary_loss_expiry(reported_at: datetime, policy: Policy) -> datetime:
    """When a temporary loss report lapses and the card returns to 正常."""
    return reported_at + timedelta(days=policy.temporary_loss_days)


def expected_pickup_date(accepted_on: date, policy: Policy) -> date:
    """The pick-up date printed on the application voucher (预计领卡日期)."""
    return add_working_days(accepted_on, policy.card_production_working_days)


def check_region_code(region_code: str) -> None:
    if not _REGION_CODE.fullmatch(region_code):
        raise ValidationError("region_code", f"发卡地区代码应为6位数字，当前为「{region_code}」")


def card_id_code(region_code: str, card_number: str) -> str:
    """The 32-hex 卡识别码: issuing region (6), D156000005, then the 卡号 read as a base-36
    number in 16 hex digits (one code per number)."""
    check_region_code(region_code)
    if len(card_number) != 9 or any(ch not in CARD_NUMBER_ALPHABET for ch in card_number):
        raise ValidationError(
            "card_number", f"社会保障卡卡号应为9位数字或大写字母，输入为「{card_number}」"
        )
    return f"{region_code}{_CARD_ID_CODE_MIDDLE}{int(card_number, 36):016X}"
