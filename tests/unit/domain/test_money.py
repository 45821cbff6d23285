"""金额: fen <-> yuan, exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medins_desk.domain.money import format_yuan, parse_yuan
from medins_desk.errors import ValidationError


@pytest.mark.parametrize(
    ("fen", "plain", "printed"),
    [(0, "0.00", "0.00 元"), (5, "0.05", "0.05 元"), (123456789, "1234567.89", "1,234,567.89 元"),
     (-2000, "-20.00", "-20.00 元")],
)  # fmt: skip
def test_format(fen: int, plain: str, printed: str) -> None:
    assert format_yuan(fen) == plain
    assert format_yuan(fen, grouping=True, unit=True) == printed


@pytest.mark.parametrize(
    ("text", "fen"),
    [("", 0), ("12", 1200), ("12.5", 1250), ("1,234.56", 123456), ("１２３．４ 元", 12340),
     (" 0.07 ", 7)],
)  # fmt: skip
def test_parse(text: str, fen: int) -> None:
    assert parse_yuan(text, field="balance_fen", what="余额") == fen


@pytest.mark.parametrize("text", ["十二元", "1.234", "-5", "1e3", "12.3.4"])
def test_parse_refuses_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_yuan(text, field="balance_fen", what="个人账户余额")
    assert caught.value.field == "balance_fen" and "个人账户余额" in caught.value.message


@given(st.integers(min_value=0, max_value=10**12))
def test_round_trip(fen: int) -> None:
    assert parse_yuan(format_yuan(fen, grouping=True, unit=True), field="f", what="金额") == fen
