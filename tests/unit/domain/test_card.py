"""Card lifecycle table, fees, card numbers, guardians and loss expiry."""

from __future__ import annotations

import contextlib
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medins_desk.domain.card import (
    CARD_NUMBER_ALPHABET,
    CARD_TRANSITIONS,
    LIVE_CARD_STATES,
    CardApplicationKind,
    CardEvent,
    CardState,
    ReplacementReason,
    RepresentativeRole,
    allowed_card_events,
    card_expiry_date,
    card_fee_fen,
    card_number_check_character,
    expected_pickup_date,
    guardian_required,
    next_card_state,
    parse_card_number,
    required_old_card_state,
    temporary_loss_expiry,
)
from medins_desk.domain.policy import Policy
from medins_desk.errors import BusinessRuleError, ValidationError

S = CardState
E = CardEvent

# The lifecycle of DESIGN §5, written out independently of the module's table.
ALLOWED = {
    (S.ACCEPTED, E.START_PRODUCTION): S.IN_PRODUCTION,
    (S.IN_PRODUCTION, E.PRODUCED): S.READY,
    (S.READY, E.HAND_OVER): S.ACTIVE,
    (S.ACCEPTED, E.ISSUE_INSTANTLY): S.ACTIVE,
    (S.ACTIVE, E.REPORT_TEMPORARY_LOSS): S.TEMP_LOST,
    (S.TEMP_LOST, E.TEMPORARY_LOSS_EXPIRED): S.ACTIVE,
    (S.ACTIVE, E.REPORT_FORMAL_LOSS): S.FORMAL_LOST,
    (S.TEMP_LOST, E.REPORT_FORMAL_LOSS): S.FORMAL_LOST,
    (S.TEMP_LOST, E.UNFREEZE): S.ACTIVE,
    (S.FORMAL_LOST, E.SUPERSEDE): S.CANCELLED,
    (S.ACTIVE, E.SUPERSEDE): S.CANCELLED,
    (S.ACCEPTED, E.CANCEL): S.CANCELLED,
    (S.IN_PRODUCTION, E.CANCEL): S.CANCELLED,
    (S.READY, E.CANCEL): S.CANCELLED,
    (S.ACTIVE, E.CANCEL): S.CANCELLED,
    (S.TEMP_LOST, E.CANCEL): S.CANCELLED,
    (S.FORMAL_LOST, E.CANCEL): S.CANCELLED,
}
REVERSIBLE_ONLY = {(S.FORMAL_LOST, E.UNFREEZE): S.ACTIVE}
FORBIDDEN = [
    (state, event)
    for state in CardState
    for event in CardEvent
    if (state, event) not in ALLOWED and (state, event) not in REVERSIBLE_ONLY
]


@pytest.mark.parametrize(("state", "event"), list(ALLOWED))
def test_every_allowed_transition(state: CardState, event: CardEvent) -> None:
    assert next_card_state(state, event) is ALLOWED[(state, event)]
    assert next_card_state(state, event, formal_loss_reversible=True) is ALLOWED[(state, event)]


@pytest.mark.parametrize(("state", "event"), FORBIDDEN)
def test_every_other_transition_is_refused(state: CardState, event: CardEvent) -> None:
    with pytest.raises(BusinessRuleError) as raised:
        next_card_state(state, event, formal_loss_reversible=True)
    assert raised.value.message == f"卡片当前状态为「{state.label}」，不能办理「{event.label}」"


def test_the_table_is_exactly_the_lifecycle() -> None:
    assert dict(CARD_TRANSITIONS) == ALLOWED | REVERSIBLE_ONLY


def test_formal_loss_is_final_unless_the_region_allows_unfreezing() -> None:
    with pytest.raises(BusinessRuleError, match="卡片当前状态为「正式挂失」，不能办理「解挂」"):
        next_card_state(S.FORMAL_LOST, E.UNFREEZE)
    assert next_card_state(S.FORMAL_LOST, E.UNFREEZE, formal_loss_reversible=True) is S.ACTIVE


def test_nothing_leaves_cancelled() -> None:
    for event in CardEvent:
        with pytest.raises(BusinessRuleError, match="「注销」"):
            next_card_state(S.CANCELLED, event, formal_loss_reversible=True)


def test_plain_strings_from_the_store_are_accepted() -> None:
    assert next_card_state("active", "report_temporary_loss") is S.TEMP_LOST  # type: ignore[arg-type]


def test_allowed_card_events() -> None:
    assert allowed_card_events(S.FORMAL_LOST) == [E.SUPERSEDE, E.CANCEL]
    assert allowed_card_events(S.FORMAL_LOST, formal_loss_reversible=True) == [
        E.UNFREEZE,
        E.SUPERSEDE,
        E.CANCEL,
    ]
    assert allowed_card_events(S.CANCELLED) == []


def test_live_states() -> None:
    assert frozenset(CardState) - {S.CANCELLED} == LIVE_CARD_STATES


def test_labels() -> None:
    assert [s.label for s in CardState] == [
        "申领受理",
        "制卡中",
        "待领取",
        "正常",
        "临时挂失",
        "正式挂失",
        "注销",
    ]
    assert all(e.label for e in CardEvent)
    assert E.UNFREEZE.label == "解挂"
    assert [k.label for k in CardApplicationKind] == ["首次申领", "补领", "换领"]
    assert ReplacementReason.FAULTY.label == "卡片故障"
    assert RepresentativeRole.AGENT.label == "代办人"
    assert RepresentativeRole.GUARDIAN.label == "监护人"


# --- fees --------------------------------------------------------------------------------------

POLICY = Policy(fee_first_card_fen=0, fee_reissue_fen=2000, fee_replacement_fen=1500)


@pytest.mark.parametrize(
    ("kind", "reason", "fee"),
    [
        (CardApplicationKind.FIRST, None, 0),
        (CardApplicationKind.REISSUE, None, 2000),
        (CardApplicationKind.REPLACEMENT, ReplacementReason.FAULTY, 0),
        (CardApplicationKind.REPLACEMENT, ReplacementReason.DATA_CHANGED, 0),
        (CardApplicationKind.REPLACEMENT, ReplacementReason.EXPIRED, 1500),
        (CardApplicationKind.REPLACEMENT, ReplacementReason.DAMAGED, 1500),
        (CardApplicationKind.REPLACEMENT, ReplacementReason.OTHER, 1500),
        (CardApplicationKind.REPLACEMENT, None, 1500),
    ],
)
def test_card_fee(kind: CardApplicationKind, reason: ReplacementReason | None, fee: int) -> None:
    assert card_fee_fen(kind, reason, POLICY) == fee


def test_an_expired_card_is_renewed_free_where_the_region_says_so() -> None:
    policy = Policy(fee_replacement_fen=1500, expired_replacement_free=True)
    assert card_fee_fen(CardApplicationKind.REPLACEMENT, ReplacementReason.EXPIRED, policy) == 0
    assert card_fee_fen(CardApplicationKind.REPLACEMENT, ReplacementReason.DAMAGED, policy) == 1500


def test_fees_come_from_the_policy() -> None:
    policy = Policy(fee_first_card_fen=500, fee_reissue_fen=3500)
    assert card_fee_fen(CardApplicationKind.FIRST, None, policy) == 500
    assert card_fee_fen(CardApplicationKind.REISSUE, None, policy) == 3500
    assert card_fee_fen(CardApplicationKind.REISSUE, None, Policy()) == 2000


def test_required_old_card_state() -> None:
    assert required_old_card_state(CardApplicationKind.FIRST) is None
    assert required_old_card_state(CardApplicationKind.REISSUE) is S.FORMAL_LOST
    assert required_old_card_state(CardApplicationKind.REPLACEMENT) is S.ACTIVE


# --- guardians ---------------------------------------------------------------------------------


def test_guardian_required_under_16() -> None:
    today = date(2026, 11, 22)
    assert guardian_required(date(2010, 11, 23), today, Policy())  # 15 until tomorrow
    assert not guardian_required(date(2010, 11, 22), today, Policy())  # 16 today
    assert guardian_required(date(2010, 11, 22), today, Policy(guardian_age=18))


# --- card numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first8", "check"),
    [
        ("X0000001", "9"),  # DESIGN §10's example X00000019: 33*3 + 1*2 = 101, 101 % 11 = 2
        ("00000000", "0"),  # r = 11 -> 0
        ("40000000", "X"),  # 4*3 = 12, 12 % 11 = 1, r = 10 -> X
        ("12345678", "8"),  # 3+14+27+40+25+48+28+16 = 201, 201 % 11 = 3
        ("ABC12345", "1"),  # 30+77+108+10+10+24+16+10 = 285, 285 % 11 = 10
    ],
)
def test_card_number_check_character(first8: str, check: str) -> None:
    assert card_number_check_character(first8) == check


def test_card_number_check_character_rejects_bad_input() -> None:
    for bad in ("X000000", "x0000001", "X000000!"):
        with pytest.raises(ValidationError):
            card_number_check_character(bad)


def test_parse_card_number() -> None:
    assert parse_card_number(" x0000001 9 ") == ("X00000019", [])
    value, notices = parse_card_number("X00000018")
    assert value == "X00000018"
    assert [n.code for n in notices] == ["card_check"]
    assert "应为 9" in notices[0].message


@pytest.mark.parametrize("typed", ["", "X0000001", "X000000199", "X0000001#"])
def test_parse_card_number_rejections(typed: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_card_number(typed)
    assert raised.value.field == "card_number"


@given(st.text(alphabet=CARD_NUMBER_ALPHABET, min_size=8, max_size=8))
def test_card_number_with_its_check_character_has_no_notice(first8: str) -> None:
    number = first8 + card_number_check_character(first8)
    assert parse_card_number(number) == (number, [])


@given(st.text())
def test_parse_card_number_raises_only_validation_error(text: str) -> None:
    with contextlib.suppress(ValidationError):
        parse_card_number(text)


# --- dates -------------------------------------------------------------------------------------


def test_temporary_loss_expiry() -> None:
    reported = datetime(2026, 11, 22, 9, 30)
    assert temporary_loss_expiry(reported, Policy()) == datetime(2026, 11, 27, 9, 30)
    assert temporary_loss_expiry(reported, Policy(temporary_loss_days=10)) == datetime(
        2026, 12, 2, 9, 30
    )


def test_expected_pickup_date_counts_working_days() -> None:
    # 15 working days after 2026-09-24 across Mid-autumn and National Day.
    assert expected_pickup_date(date(2026, 9, 24), Policy()) == date(2026, 10, 22)


def test_a_card_is_valid_ten_years_and_a_leap_day_issue_expires_on_28_february() -> None:
    assert card_expiry_date(date(2021, 6, 1)) == date(2031, 6, 1)
    assert card_expiry_date(date(2024, 2, 29)) == date(2034, 2, 28)
