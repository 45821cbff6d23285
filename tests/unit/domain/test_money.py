"""金额: fen <-> yuan, exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medins_desk.domain.money import amount_in_words, format_yuan, parse_yuan
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


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (0, "人民币零元整"),
        (5, "人民币伍分"),
        (50, "人民币伍角整"),  # 整 after 角 as after 元; never after 分
        (1_000, "人民币壹拾元整"),  # 壹拾: nothing can be written in front
        (100_500, "人民币壹仟零伍元整"),
        (123_456, "人民币壹仟贰佰叁拾肆元伍角陆分"),
        (12_345_607, "人民币壹拾贰万叁仟肆佰伍拾陆元零柒分"),  # 元 then 零 before a lone 分
        (100_000_100, "人民币壹佰万零壹元整"),  # one 零 for a run of zeros
        (10_001_000_000, "人民币壹亿零壹万元整"),  # across the 万 group
        (10_000_000_000, "人民币壹亿元整"),
    ],
)
def test_amounts_in_capitals_follow_the_accounting_rules(fen: int, words: str) -> None:
    assert amount_in_words(fen) == words


def test_a_negative_amount_has_no_capitals() -> None:
    with pytest.raises(ValueError, match="负数"):
        amount_in_words(-1)


@given(st.integers(min_value=0, max_value=10**14 - 1))
def test_capitals_never_double_a_zero_and_end_as_the_rules_say(fen: int) -> None:
    words = amount_in_words(fen).removeprefix("人民币")
    assert set(words) <= set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    assert "零零" not in words and not words.startswith("零" if fen >= 100 else "零零")
    assert words.endswith("整") == (fen % 10 == 0)
    assert ("元" in words) == (fen >= 100 or fen == 0)
