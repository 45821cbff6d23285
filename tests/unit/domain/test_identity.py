"""Identity numbers (GB 11643-1999 and the permits sharing its layout), credit codes, passports."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from medins_desk.domain.identity import (
    CREDIT_CODE_ALPHABET,
    DocumentType,
    IdentityKind,
    IdentityNumber,
    Sex,
    age_on,
    area_name,
    check_character,
    check_identity_agrees,
    convert_15_to_18,
    document_type_for,
    identity_notices,
    mask_identity_number,
    normalise_identity_text,
    parse_birth_date,
    parse_credit_code,
    parse_day,
    parse_identity_number,
    parse_passport,
)
from medins_desk.errors import ValidationError

TODAY = date(2026, 11, 22)
STANDARD_EXAMPLE = "11010519491231002X"  # GB 11643-1999's own example


def with_check(first17: str) -> str:
    return first17 + check_character(first17)


# --- the standard's example and input normalisation -------------------------------------------


def test_standard_example_parses_with_everything_it_encodes() -> None:
    number = parse_identity_number(STANDARD_EXAMPLE, today=TODAY)
    assert number == IdentityNumber(
        number=STANDARD_EXAMPLE,
        kind=IdentityKind.RESIDENT,
        birth_date=date(1949, 12, 31),
        sex=Sex.FEMALE,
        area_code="110105",
    )
    assert str(number) == STANDARD_EXAMPLE


def test_check_character_matches_the_standard_and_stdnum() -> None:
    assert check_character("11010519491231002") == "X"
    assert ric.is_valid(STANDARD_EXAMPLE)
    assert check_character("36042619910101007") == "1"  # stdnum's doctest number


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",  # citizens need not type an upper-case X
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits from a Chinese IME
        "１１０１０５１９４９１２３１００２ｘ",
        " 110105 19491231 002X ",
        "110105\u300019491231\u3000002X",  # ideographic space
        "1101 0519 4912 3100 2X\n",
        "\u200b11010519491231002X\ufeff",  # invisible characters pasted from a web page
    ],
)
def test_typed_variants_are_accepted(typed: str) -> None:
    assert parse_identity_number(typed, today=TODAY).number == STANDARD_EXAMPLE


def test_normalise_identity_text() -> None:
    assert normalise_identity_text(" １２３ｘ\u3000x ") == "123XX"
    assert normalise_identity_text("") == ""


# --- rejections --------------------------------------------------------------------------------


def test_wrong_check_character_names_the_expected_one() -> None:
    with pytest.raises(ValidationError) as raised:
        parse_identity_number("110105194912310023", today=TODAY)
    assert raised.value.field == "identity_number"
    assert raised.value.message == "社会保障号码校验位错误：应为 X，输入为 3"


def test_field_name_is_passed_through() -> None:
    with pytest.raises(ValidationError) as raised:
        parse_identity_number("123", field="agent_identity_number", today=TODAY)
    assert raised.value.field == "agent_identity_number"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "不能为空"),
        ("   ", "不能为空"),
        ("1101051949123100", "应为18位"),
        ("1101051949123100211", "应为18位"),
        ("11010519491231A02X", "第 15 位「A」不是数字"),
        ("1101051949123100２Y", "最后一位只能是数字或 X"),
        ("11010519490231002X", "19490231 不是有效日期"),
        ("11010519491331002X", "不是有效日期"),
        ("11010518991231002X", "早于 1900 年"),
        ("11010A491231002", "15位旧号码只能包含数字"),
        ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "不是数字"),  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_rejections_name_the_reason(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_identity_number(text, today=TODAY)
    assert fragment in raised.value.message


def test_future_birth_date_is_rejected() -> None:
    number = with_check("11010520261123001")
    with pytest.raises(ValidationError, match="晚于今天"):
        parse_identity_number(number, today=TODAY)
    # ... and accepted once that day has come.
    assert parse_identity_number(number, today=date(2026, 11, 23)).birth_date == date(2026, 11, 23)


def test_birth_date_today_is_accepted() -> None:
    number = with_check("11010520261122001")
    assert parse_identity_number(number, today=TODAY).birth_date == TODAY


# --- legacy 15-digit numbers -------------------------------------------------------------------


def test_convert_15_to_18() -> None:
    assert convert_15_to_18("110105491231002") == STANDARD_EXAMPLE


def test_15_digit_number_is_parsed_as_its_18_character_form() -> None:
    number = parse_identity_number("110105491231002", today=TODAY)
    assert number.number == STANDARD_EXAMPLE
    assert number.legacy15 == "110105491231002"


def test_convert_15_to_18_rejects_other_lengths() -> None:
    with pytest.raises(ValidationError, match="15位"):
        convert_15_to_18("11010549123100")


def test_legacy15_only_for_residents_born_in_the_1900s() -> None:
    assert parse_identity_number(with_check("11010520000101001"), today=TODAY).legacy15 is None
    assert parse_identity_number(with_check("81000019900101001"), today=TODAY).legacy15 is None
    assert parse_identity_number(with_check("11010519000101001"), today=TODAY).legacy15 == (
        "110105000101001"
    )


# --- permits sharing the layout ----------------------------------------------------------------


def test_hong_kong_macao_taiwan_permits_are_accepted() -> None:
    for area in ("810000", "820000", "830000"):
        number = parse_identity_number(with_check(area + "19900101002"), today=TODAY)
        assert number.kind is IdentityKind.HMT_PERMIT
        assert number.sex is Sex.FEMALE
        assert identity_notices(number) == []
        assert document_type_for(number.kind) is DocumentType.HMT_PERMIT


def test_foreigner_permanent_residence_id_is_accepted() -> None:
    # 2023 layout: 9, province 11, country 840, birth date, sequence, check character.
    number = parse_identity_number(with_check("91184019800101001"), today=TODAY)
    assert number.kind is IdentityKind.FOREIGN_PERMANENT
    assert number.birth_date == date(1980, 1, 1)
    assert number.sex is Sex.MALE
    assert identity_notices(number) == []
    assert number.legacy15 is None


def test_foreigner_id_with_wrong_check_character_is_rejected() -> None:
    good = with_check("91184019800101001")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位错误"):
        parse_identity_number(bad, today=TODAY)


def test_kind_labels() -> None:
    assert IdentityKind.RESIDENT.label == "居民身份证"
    assert IdentityKind.HMT_PERMIT.label == "港澳台居民居住证"
    assert IdentityKind.FOREIGN_PERMANENT.label == "外国人永久居留身份证"
    assert DocumentType.PASSPORT.label == "护照"
    assert not DocumentType.PASSPORT.has_identity_number


# --- area codes: a warning, never a refusal ----------------------------------------------------


def test_unknown_area_is_a_notice_not_an_error() -> None:
    number = parse_identity_number(with_check("11019919800101001"), today=TODAY)
    notices = identity_notices(number)
    assert [n.code for n in notices] == ["unknown_area"]
    assert "110199" in notices[0].message
    assert notices[0].field == "identity_number"


def test_known_and_historical_areas_give_no_notice() -> None:
    assert identity_notices(parse_identity_number(STANDARD_EXAMPLE, today=TODAY)) == []
    # 江干区 (330104) was abolished in 2021; people keep their numbers.
    historical = parse_identity_number(with_check("33010420050101001"), today=TODAY)
    assert identity_notices(historical) == []


def test_area_name() -> None:
    assert area_name("110105") == "北京市朝阳区"
    assert area_name("440305") == "广东省南山区"
    assert area_name("110000") == "北京市"
    assert area_name("810000") == "香港特别行政区"
    assert area_name("830000") == "台湾地区"
    assert area_name("110199") is None
    assert area_name("abc") is None


# --- form agreement ----------------------------------------------------------------------------


def test_form_must_agree_with_the_number() -> None:
    number = parse_identity_number(STANDARD_EXAMPLE, today=TODAY)
    check_identity_agrees(number, birth_date=date(1949, 12, 31), sex=Sex.FEMALE)
    check_identity_agrees(number, birth_date=None, sex=None)
    with pytest.raises(ValidationError) as raised:
        check_identity_agrees(number, birth_date=date(1949, 12, 30), sex=None)
    assert raised.value.field == "birth_date"
    with pytest.raises(ValidationError) as raised:
        check_identity_agrees(number, birth_date=None, sex=Sex.MALE)
    assert raised.value.field == "sex"
    assert "不一致" in raised.value.message


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("1", Sex.MALE),
        ("男", Sex.MALE),
        ("M", Sex.MALE),
        ("m", Sex.MALE),
        ("2", Sex.FEMALE),
        ("女", Sex.FEMALE),
        ("F", Sex.FEMALE),
        (" 女 ", Sex.FEMALE),
        ("２", Sex.FEMALE),
    ],
)
def test_sex_parse(text: str, sex: Sex) -> None:
    assert Sex.parse(text) is sex


def test_sex_parse_rejects_other_values() -> None:
    with pytest.raises(ValidationError) as raised:
        Sex.parse("9")
    assert raised.value.field == "sex"
    assert Sex.MALE.label == "男" and Sex.FEMALE.label == "女"
    assert Sex.MALE.value == "1"


# --- birth dates and ages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1990-01-31",
        "19900131",
        "1990/1/31",
        "1990.01.31",
        "1990年1月31日",
        "１９９０-０１-３１",
    ],
)
def test_parse_birth_date_formats(text: str) -> None:
    assert parse_birth_date(text, today=TODAY) == date(1990, 1, 31)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "不能为空"),
        ("1990-02-30", "不是有效日期"),
        ("2030-01-01", "晚于今天"),
        ("1899-12-31", "早于 1900"),
        ("31/01/1990", "格式不正确"),
    ],
)
def test_parse_birth_date_rejections(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment) as raised:
        parse_birth_date(text, today=TODAY)
    assert raised.value.field == "birth_date"


def test_any_day_parses_without_the_birth_range_and_names_its_field() -> None:
    assert parse_day("2030年1月1日", field="paid_on") == date(2030, 1, 1)
    with pytest.raises(ValidationError, match="原参保截止日期「2026-2-30」不是有效日期") as raised:
        parse_day("2026-2-30", field="last_covered", what="原参保截止日期")
    assert raised.value.field == "last_covered"


def test_age_on() -> None:
    assert age_on(date(2010, 11, 22), TODAY) == 16
    assert age_on(date(2010, 11, 23), TODAY) == 15
    assert age_on(date(2008, 2, 29), date(2025, 2, 28)) == 16
    assert age_on(date(2008, 2, 29), date(2025, 3, 1)) == 17


# --- masking -----------------------------------------------------------------------------------


def test_mask_shows_first_6_and_last_4() -> None:
    assert mask_identity_number(STANDARD_EXAMPLE) == "110105********002X"
    assert mask_identity_number("110105491231002") == "110105*****1002"
    assert parse_identity_number(STANDARD_EXAMPLE, today=TODAY).masked == "110105********002X"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("", ""),
        ("1", "*"),
        ("1234", "1**4"),
        ("12345678", "12****78"),
        ("13800138000", "13*******00"),
    ],
)
def test_mask_short_strings_hide_most(text: str, masked: str) -> None:
    assert mask_identity_number(text) == masked


# --- credit codes ------------------------------------------------------------------------------


def test_credit_code_valid_example() -> None:
    # stdnum's example; the check character is L (91110000600037341B fails).
    assert uscc.is_valid("91110000600037341L")
    assert parse_credit_code("91110000600037341L") == "91110000600037341L"
    assert parse_credit_code(" 9111 0000 6000 3734 1l ") == "91110000600037341L"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "不能为空"),
        ("9111000060003734", "应为18位"),
        ("91110000600037341B", "校验位错误：应为 L，输入为 B"),
        ("91110000600O37341L", "不使用字母 I、O、Z、S、V，第 12 位为「O」"),
        ("9111000060003734IL", "第 17 位为「I」"),
        ("91110000600037341S", "第 18 位为「S」"),
        ("9111000060003734#L", "不是数字或大写字母"),
    ],
)
def test_credit_code_rejections(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_credit_code(text)
    assert raised.value.field == "credit_code"
    assert fragment in raised.value.message


# --- passports ---------------------------------------------------------------------------------


def test_passport_is_normalised() -> None:
    assert parse_passport(" e1234 5678 ", "usa") == ("E12345678", "USA")


@pytest.mark.parametrize(
    ("number", "country", "field"),
    [
        ("", "USA", "passport_number"),
        ("E12", "USA", "passport_number"),
        ("E12-345678", "USA", "passport_number"),
        ("E12345678", "US", "country"),
    ],
)
def test_passport_rejections(number: str, country: str, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_passport(number, country)
    assert raised.value.field == field


# --- properties --------------------------------------------------------------------------------

areas = st.sampled_from(["110105", "310104", "440305", "510107", "650102", "110199", "810000"])
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")


@st.composite
def valid_numbers(draw: st.DrawFn) -> str:
    first17 = draw(areas) + draw(birth_dates).strftime("%Y%m%d") + draw(sequences)
    return with_check(first17)


@given(areas, birth_dates, sequences)
def test_any_valid_number_round_trips(area: str, birth: date, sequence: str) -> None:
    first17 = area + birth.strftime("%Y%m%d") + sequence
    number = parse_identity_number(first17 + check_character(first17), today=TODAY)
    assert number.number == first17 + check_character(first17)
    assert number.birth_date == birth
    assert number.area_code == area
    assert number.sex is (Sex.MALE if int(sequence) % 2 else Sex.FEMALE)
    assert parse_identity_number(number.number.lower(), today=TODAY) == number


@given(valid_numbers(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_character_corruption_is_rejected(number: str, index: int, char: str) -> None:
    assume(number[index] != char)
    corrupted = number[:index] + char + number[index + 1 :]
    with pytest.raises(ValidationError):
        parse_identity_number(corrupted, today=TODAY)


@given(st.text())
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalise_identity_text(text)
    assert normalise_identity_text(once) == once


@given(st.text())
def test_parse_raises_only_validation_error(text: str) -> None:
    try:
        number = parse_identity_number(text, today=TODAY)
    except ValidationError:
        return
    assert len(number.number) == 18


@given(st.text(alphabet="0123456789Xx \u3000１２３", max_size=20))
def test_parse_raises_only_validation_error_on_near_numbers(text: str) -> None:
    with contextlib.suppress(ValidationError):
        parse_identity_number(text, today=TODAY)


@given(
    st.sampled_from(["110105", "310104", "440305", "510107"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    sequences,
)
def test_15_to_18_conversion_is_inverted_by_legacy15(area: str, birth: date, seq: str) -> None:
    legacy = area + birth.strftime("%y%m%d") + seq
    number = parse_identity_number(convert_15_to_18(legacy), today=TODAY)
    assert number.legacy15 == legacy
    assert number.birth_date == birth


@given(st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17))
def test_any_credit_code_with_its_check_character_round_trips(first17: str) -> None:
    code = first17 + uscc.calc_check_digit(first17)
    assert parse_credit_code(code) == code
    assert parse_credit_code(code.lower()) == code


@given(
    st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17),
    st.integers(min_value=0, max_value=17),
    st.sampled_from(CREDIT_CODE_ALPHABET),
)
def test_any_single_credit_code_corruption_is_rejected(first17: str, index: int, char: str) -> None:
    code = first17 + uscc.calc_check_digit(first17)
    assume(code[index] != char)
    with pytest.raises(ValidationError):
        parse_credit_code(code[:index] + char + code[index + 1 :])


@given(st.text())
def test_credit_code_raises_only_validation_error(text: str) -> None:
    try:
        code = parse_credit_code(text)
    except ValidationError:
        return
    assert len(code) == 18
