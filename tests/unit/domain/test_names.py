"""Names: normalisation, the GBK limit of the card chip, pinyin initials."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medins_desk.domain.names import (
    MIDDLE_DOT,
    fits_gbk,
    gbk_byte_length,
    gbk_encodable,
    name_initials,
    needs_manual_personalisation,
    normalise_name,
)
from medins_desk.errors import ValidationError

RARE = "\U00020bb7"  # 𠮷, CJK Extension B, outside GBK


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("张三", "张三"),
        ("  张三\u3000", "张三"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽\u2022买买提", "阿依古丽·买买提"),  # bullet
        ("阿依古丽\u30fb买买提", "阿依古丽·买买提"),  # katakana middle dot
        ("阿依古丽\uff0e买买提", "阿依古丽·买买提"),  # full-width full stop
        ("阿依古丽\u2027买买提", "阿依古丽·买买提"),  # hyphenation point
        ("John   Smith", "John Smith"),
        (" Mary-Jane  O\u2019Brien ", "Mary-Jane O'Brien"),
        ("Zoe\u0308", "Zoë"),  # decomposed accent composed (NFC)
        (RARE + "野家", RARE + "野家"),
        ("王〇", "王〇"),
        ("张A", "张A"),
        ("ＪＯＨＮ\u3000ＳＭＩＴＨ", "JOHN SMITH"),  # full-width IME mode
    ],
)
def test_names_are_normalised(typed: str, stored: str) -> None:
    assert normalise_name(typed) == stored


def test_compatibility_ideographs_are_never_replaced() -> None:
    # NFC would turn U+F900 into U+8C48: the document's character must be kept exactly.
    assert normalise_name("李\uf900") == "李\uf900"


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("", "姓名不能为空"),
        ("\u3000 ", "姓名不能为空"),
        ("张三3", "不能包含数字「3」"),
        ("张三３", "不能包含数字"),
        ("张三\U0001f600", "符号或表情"),
        ("张三!", "标点符号"),
        ("张,三", "标点符号"),
        ("·张三", "开头或结尾"),
        ("张三·", "开头或结尾"),
        ("张··三", "不能连续出现"),
        ("张\u2022·三", "不能连续出现"),
        ("张 三", "只有外文姓名"),
        ("John  -Smith", "两个字母之间"),
        ("John--Smith", "两个字母之间"),
        ("John-", "两个字母之间"),
        ("张\u200b三", "不可见"),
        ("\u0301张", "前面缺少文字"),
        ("\ue000张", "无法识别"),  # private use
    ],
)
def test_bad_names_are_rejected(typed: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as raised:
        normalise_name(typed)
    assert raised.value.field == "name"
    assert fragment in raised.value.message


def test_length_limit_is_30_characters() -> None:
    assert normalise_name("张" * 30) == "张" * 30
    with pytest.raises(ValidationError, match="不能超过 30 个字符，输入为 31 个"):
        normalise_name("张" * 31)
    # Extension B characters are one character each, not two UTF-16 units.
    assert normalise_name(RARE * 30) == RARE * 30


def test_field_is_passed_through() -> None:
    with pytest.raises(ValidationError) as raised:
        normalise_name("", field="guardian_name")
    assert raised.value.field == "guardian_name"


def test_rare_character_is_valid_but_not_gbk() -> None:
    name = normalise_name(RARE + "野家")
    assert not gbk_encodable(name)
    assert not fits_gbk(name)
    assert gbk_byte_length(name) is None
    assert needs_manual_personalisation(name)


def test_gbk_lengths() -> None:
    assert gbk_byte_length("张三") == 4
    assert gbk_byte_length("阿依古丽·买买提") == 16  # the middle dot is A1A4 in GBK
    assert fits_gbk("张三")
    assert fits_gbk("张" * 15)
    assert not fits_gbk("张" * 16)  # 32 bytes: needs the 姓名扩展 record
    assert gbk_encodable("张" * 16)
    assert not needs_manual_personalisation("张" * 25)  # 50 bytes = 30 + 20
    assert needs_manual_personalisation("张" * 26)


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("张三", "zs"),
        ("欧阳娜娜", "oynn"),
        ("阿依古丽·买买提", "ayglmmt"),
        ("John Smith", "johnsmith"),
        ("Zoë Müller", "zoemuller"),
        ("张A", "za"),
        ("单田芳", "stf"),  # surname 单 reads shan
        ("曾国藩", "zgf"),  # surname 曾 reads zeng
        ("区家麟", "ojl"),
        ("尉迟恭", "ycg"),
        (RARE + "野家", "yj"),  # no known reading: dropped
    ],
)
def test_name_initials(name: str, initials: str) -> None:
    assert name_initials(name) == initials


def test_empty_name_has_no_initials() -> None:
    assert name_initials("") == ""


names = st.text(
    alphabet=st.sampled_from(["张", "王", "欧", "阳", "娜", MIDDLE_DOT, "\u2022", " ", "\u3000"]),
    max_size=12,
)


@given(names)
def test_normalisation_is_idempotent(text: str) -> None:
    try:
        once = normalise_name(text)
    except ValidationError:
        return
    assert normalise_name(once) == once


@given(st.text(max_size=40))
def test_normalise_raises_only_validation_error(text: str) -> None:
    try:
        name = normalise_name(text)
    except ValidationError:
        return
    assert 1 <= len(name) <= 30
    assert name == name.strip()
    assert not any(ch.isdigit() for ch in name)
    assert normalise_name(name) == name


@given(st.text(max_size=40))
def test_initials_are_lower_case_ascii(text: str) -> None:
    initials = name_initials(text)
    assert initials == initials.lower()
    assert initials.isascii()
