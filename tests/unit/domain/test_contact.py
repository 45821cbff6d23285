"""Contact data: mobile numbers, postcodes, addresses, bank cards, ethnicity."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from medins_desk.domain.contact import (
    ETHNICITIES,
    DebitHolderRelation,
    parse_address,
    parse_bank_card,
    parse_ethnicity,
    parse_mobile,
    parse_postcode,
)
from medins_desk.errors import ValidationError


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "8613800138000",
        "0086-13800138000",
        "１３８００１３８０００",
        " 13800138000 ",
    ],
)
def test_mobile_variants(typed: str) -> None:
    assert parse_mobile(typed) == "13800138000"


@pytest.mark.parametrize(
    "typed", ["", "12800138000", "1380013800", "138001380001", "010-12345678", "1380013800a"]
)
def test_mobile_rejections(typed: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_mobile(typed)
    assert raised.value.field == "phone"


@pytest.mark.parametrize("number", ["13012345678", "19912345678"])
def test_mobile_prefixes_13_to_19_are_accepted(number: str) -> None:
    assert parse_mobile(number) == number


def test_mobile_keeps_a_number_that_only_looks_prefixed() -> None:
    # 13 digits starting with 86 lose the prefix; an 11-digit number starting with 86 is invalid.
    with pytest.raises(ValidationError):
        parse_mobile("86001380013")


def test_postcode() -> None:
    assert parse_postcode(" 100 000 ") == "100000"
    assert parse_postcode("１０００００") == "100000"
    for bad in ("", "10000", "1000000", "10000a"):
        with pytest.raises(ValidationError, match="6位数字"):
            parse_postcode(bad)


def test_address() -> None:
    assert parse_address("  北京市朝阳区建国路1号 ") == "北京市朝阳区建国路1号"
    assert parse_address("路" * 200) == "路" * 200
    with pytest.raises(ValidationError, match="不能为空"):
        parse_address(" ")
    with pytest.raises(ValidationError, match="不能超过 200 个字符，输入为 201 个"):
        parse_address("路" * 201)
    with pytest.raises(ValidationError, match="换行或控制字符"):
        parse_address("北京市\n朝阳区")
    with pytest.raises(ValidationError, match="换行或控制字符"):
        parse_address("北京市\x00朝阳区")


def test_bank_card_with_luhn() -> None:
    number = "6222020200112345678"
    valid = number[:-1] + luhn.calc_check_digit(number[:-1])
    spaced = " ".join(valid[i : i + 4] for i in range(0, len(valid), 4))
    assert parse_bank_card(spaced) == (valid, [])


@pytest.mark.parametrize("length", [16, 19])
def test_bank_card_lengths_16_and_19_are_accepted(length: int) -> None:
    body = "6" + "2" * (length - 2)
    valid = body + luhn.calc_check_digit(body)
    assert parse_bank_card(valid) == (valid, [])


def test_bank_card_luhn_failure_is_a_notice() -> None:
    number = "622202020011234567"
    valid = number + luhn.calc_check_digit(number)
    broken = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    value, notices = parse_bank_card(broken)
    assert value == broken
    assert [n.code for n in notices] == ["bank_luhn"]
    assert notices[0].field == "bank_account"


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("", "不能为空"),
        ("622202020011234", "16至19位"),
        ("62220202001123456789", "16至19位"),
        ("6222020200112345X", "只能包含数字"),
    ],
)
def test_bank_card_rejections(typed: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        parse_bank_card(typed)


def test_relation_labels() -> None:
    assert [r.label for r in DebitHolderRelation] == ["本人", "配偶", "父母", "子女", "其他"]


def test_ethnicity_table_follows_gb_3304() -> None:
    assert len(ETHNICITIES) == 58
    assert ETHNICITIES["01"] == "汉族"
    assert ETHNICITIES["56"] == "基诺族"
    assert ETHNICITIES["97"] == "其他"
    assert ETHNICITIES["98"] == "外国血统中国籍人士"
    assert list(ETHNICITIES)[:56] == [f"{n:02d}" for n in range(1, 57)]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("01", "01"),
        ("1", "01"),
        ("汉", "01"),
        ("汉族", "01"),
        (" 维吾尔族 ", "05"),
        ("水族", "25"),
        ("土", "30"),
        ("56", "56"),
        ("其他", "97"),
        ("毛难族", "36"),
        ("０２", "02"),
    ],
)
def test_parse_ethnicity(typed: str, code: str) -> None:
    assert parse_ethnicity(typed) == code


@pytest.mark.parametrize("typed", ["", "57", "99", "火星族", "001"])
def test_parse_ethnicity_rejections(typed: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_ethnicity(typed)
    assert raised.value.field == "ethnicity"


@given(st.sampled_from(sorted(ETHNICITIES)))
def test_every_ethnicity_parses_from_code_and_name(code: str) -> None:
    assert parse_ethnicity(code) == code
    assert parse_ethnicity(ETHNICITIES[code]) == code


@given(st.text())
def test_parsers_raise_only_validation_error(text: str) -> None:
    for parse in (parse_mobile, parse_postcode, parse_address, parse_ethnicity):
        with contextlib.suppress(ValidationError):
            parse(text)
    with contextlib.suppress(ValidationError):
        parse_bank_card(text)
