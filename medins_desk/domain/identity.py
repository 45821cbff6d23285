"""Identity numbers (社会保障号码 = 公民身份号码), credit codes and identity documents.

GB 11643-1999 numbers, the Hong Kong/Macao/Taiwan residence permit and the 2023 foreigner permanent
residence ID all share the 18-character layout and the ISO 7064 MOD 11-2 check character, so one
parser serves them; ``IdentityNumber.kind`` tells them apart. python-stdnum supplies the check
character and the division-code table; only what it lacks is written here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric, uscc

from medins_desk.errors import Notice, ValidationError

__all__ = [
    "DocumentType",
    "IdentityKind",
    "IdentityNumber",
    "Sex",
    "age_on",
    "area_name",
    "check_character",
    "check_identity_agrees",
    "convert_15_to_18",
    "document_type_for",
    "identity_notices",
    "mask_identity_number",
    "normalise_identity_text",
    "parse_birth_date",
    "parse_credit_code",
    "parse_identity_number",
    "parse_passport",
]

EARLIEST_BIRTH_YEAR = 1900
HMT_AREA_CODES: dict[str, str] = {
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
    "830000": "台湾地区",
}
FOREIGN_PERMANENT_PREFIX = "9"
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_FORBIDDEN = "IOZSV"
_DIGITS = frozenset("0123456789")


class Sex(StrEnum):
    """性别, coded as in GB/T 2261.1 (and on the card chip)."""

    MALE = "1"
    FEMALE = "2"

    @property
    def label(self) -> str:
        return "男" if self is Sex.MALE else "女"

    @classmethod
    def parse(cls, text: str, *, field: str = "sex") -> Sex:
        """Accept the code, the Chinese word or the M/F letter a foreign document uses."""
        key = _fold(text).strip().upper()
        sex = _SEX_WORDS.get(key)
        if sex is None:
            raise ValidationError(field, f"性别只能是“男”或“女”（代码 1 或 2），输入为「{text}」")
        return sex


_SEX_WORDS: dict[str, Sex] = {
    "1": Sex.MALE,
    "男": Sex.MALE,
    "男性": Sex.MALE,
    "M": Sex.MALE,
    "MALE": Sex.MALE,
    "2": Sex.FEMALE,
    "女": Sex.FEMALE,
    "女性": Sex.FEMALE,
    "F": Sex.FEMALE,
    "FEMALE": Sex.FEMALE,
}


class IdentityKind(StrEnum):
    """Which document issued an 18-character identity number."""

    RESIDENT = "resident"
    HMT_PERMIT = "hmt_permit"
    FOREIGN_PERMANENT = "foreign_permanent"
    # A newborn enrolled before the 户口 is registered: the number is the 出生医学证明's, until the
    # identity number is added through a correction (four eyes).
    BIRTH_CERTIFICATE = "birth_certificate"

    @property
    def label(self) -> str:
        return _IDENTITY_KIND_LABELS[self]


_IDENTITY_KIND_LABELS = {
    IdentityKind.RESIDENT: "居民身份证",
    IdentityKind.HMT_PERMIT: "港澳台居民居住证",
    IdentityKind.FOREIGN_PERMANENT: "外国人永久居留身份证",
    IdentityKind.BIRTH_CERTIFICATE: "出生医学证明",
}


class DocumentType(StrEnum):
    """Identity document presented at enrollment (证件类型)."""

    RESIDENT_ID = "resident_id"
    HMT_PERMIT = "hmt_permit"
    FOREIGN_PERMANENT = "foreign_permanent"
    PASSPORT = "passport"
    BIRTH_CERTIFICATE = "birth_certificate"

    @property
    def label(self) -> str:
        return _DOCUMENT_TYPE_LABELS[self]

    @property
    def has_identity_number(self) -> bool:
        """Passports and birth certificates carry no GB 11643-style number."""
        return self not in (DocumentType.PASSPORT, DocumentType.BIRTH_CERTIFICATE)


_DOCUMENT_TYPE_LABELS = {
    DocumentType.RESIDENT_ID: "居民身份证",
    DocumentType.HMT_PERMIT: "港澳台居民居住证",
    DocumentType.FOREIGN_PERMANENT: "外国人永久居留身份证",
    DocumentType.PASSPORT: "护照",
    DocumentType.BIRTH_CERTIFICATE: "出生医学证明",
}


def document_type_for(kind: IdentityKind) -> DocumentType:
    return {
        IdentityKind.RESIDENT: DocumentType.RESIDENT_ID,
        IdentityKind.HMT_PERMIT: DocumentType.HMT_PERMIT,
        IdentityKind.FOREIGN_PERMANENT: DocumentType.FOREIGN_PERMANENT,
        IdentityKind.BIRTH_CERTIFICATE: DocumentType.BIRTH_CERTIFICATE,
    }[kind]


@dataclass(frozen=True)
class IdentityNumber:
    """A checked 18-character identity number and what it encodes."""

    number: str
    kind: IdentityKind
    birth_date: date
    sex: Sex
    area_code: str

    def __str__(self) -> str:
        return self.number

    @property
    def legacy15(self) -> str | None:
        """The pre-1999 15-digit form, kept as a search alias; only residents born 19xx had one."""
        if self.kind is not IdentityKind.RESIDENT or self.birth_date.year // 100 != 19:
            return None
        return self.number[:6] + self.number[8:17]

    @property
    def masked(self) -> str:
        return mask_identity_number(self.number)


# Full-width ASCII (U+FF01..U+FF5E) typed with a Chinese IME folds to ASCII; letters upper-cased.
_NORMALISE_TABLE: dict[int, str] = {
    code: chr(code - 0xFEE0).upper() for code in range(0xFF01, 0xFF5F)
} | {code: chr(code).upper() for code in range(ord("a"), ord("z") + 1)}


def normalise_identity_text(text: str) -> str:
    """Remove all whitespace (U+3000 included) and invisible format characters, fold full-width
    characters to ASCII and upper-case letters, so ``x`` typed by a citizen becomes ``X``."""
    if text.isascii():  # the usual case, and format characters are never ASCII
        return "".join(text.split()).translate(_NORMALISE_TABLE)
    kept = "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")
    return kept.translate(_NORMALISE_TABLE)


def _fold(text: str) -> str:
    return text.translate(_NORMALISE_TABLE)


def _is_digits(text: str) -> bool:
    # str.isdigit() accepts Arabic-Indic and superscript digits; only ASCII is valid here.
    return all(ch in _DIGITS for ch in text)


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not _is_digits(first17):
        raise ValidationError("identity_number", f"计算校验位需要17位数字，输入为「{first17}」")
    # stdnum expects the number with a (any) check character appended.
    return str(ric.calc_check_digit(first17 + "0"))


def convert_15_to_18(number15: str) -> str:
    """Upgrade a legacy 15-digit number (YYMMDD in 19YY) to its 18-character form."""
    text = normalise_identity_text(number15)
    if len(text) != 15 or not _is_digits(text):
        raise ValidationError("identity_number", f"15位旧号码应为15位数字，输入为「{number15}」")
    first17 = text[:6] + "19" + text[6:]
    return first17 + check_character(first17)


def parse_identity_number(
    text: str, *, field: str = "identity_number", today: date | None = None
) -> IdentityNumber:
    """Check and normalise an identity number typed, scanned or read from a card.

    An unknown area code is not an error here (see ``identity_notices``).
    """
    number = normalise_identity_text(text)
    if not number:
        raise ValidationError(field, "社会保障号码不能为空")
    if len(number) == 15:
        if not _is_digits(number):
            position, char = _first_non_digit(number)
            raise ValidationError(field, f"15位旧号码只能包含数字，第 {position} 位为「{char}」")
        number = convert_15_to_18(number)
    if len(number) != 18:
        raise ValidationError(
            field, f"社会保障号码应为18位（或15位旧号码），输入为 {len(number)} 位"
        )
    if not _is_digits(number[:17]):
        position, char = _first_non_digit(number[:17])
        raise ValidationError(field, f"社会保障号码第 {position} 位「{char}」不是数字")
    if number[17] not in _DIGITS and number[17] != "X":
        raise ValidationError(field, f"社会保障号码最后一位只能是数字或 X，输入为「{number[17]}」")
    birth = _birth_date_from(number[6:14], field=field, today=today)
    expected = check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(
            field, f"社会保障号码校验位错误：应为 {expected}，输入为 {number[17]}"
        )
    return IdentityNumber(
        number=number,
        kind=_kind_of(number),
        birth_date=birth,
        sex=Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE,
        area_code=number[:6],
    )


def _first_non_digit(text: str) -> tuple[int, str]:
    for index, char in enumerate(text, start=1):
        if char not in _DIGITS:
            return index, char
    raise AssertionError("no non-digit")  # pragma: no cover - callers checked first


def _kind_of(number: str) -> IdentityKind:
    if number.startswith(FOREIGN_PERMANENT_PREFIX):
        return IdentityKind.FOREIGN_PERMANENT
    if number[:6] in HMT_AREA_CODES:
        return IdentityKind.HMT_PERMIT
    return IdentityKind.RESIDENT


def _birth_date_from(yyyymmdd: str, *, field: str, today: date | None) -> date:
    try:
        birth = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        raise ValidationError(field, f"社会保障号码中的出生日期 {yyyymmdd} 不是有效日期") from None
    _check_birth_range(birth, field=field, today=today, what="社会保障号码中的出生日期")
    return birth


def _check_birth_range(birth: date, *, field: str, today: date | None, what: str) -> None:
    today = today or date.today()
    if birth > today:
        raise ValidationError(field, f"{what} {birth.isoformat()} 晚于今天（{today.isoformat()}）")
    if birth.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            field, f"{what} {birth.isoformat()} 早于 {EARLIEST_BIRTH_YEAR} 年，请核对"
        )


_DATE_PATTERNS = (
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),
    re.compile(r"([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?"),
)


def parse_day(text: str, *, field: str, what: str = "日期", example: str = "2026-08-31") -> date:
    """Read a day as clerks type it: 2026-08-31, 20260831, 2026/8/31, 2026年8月31日 (full-width
    digits too). ``what`` names the field in the message."""
    folded = "".join(_fold(text).split())
    if not folded:
        raise ValidationError(field, f"{what}不能为空")
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(folded)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise ValidationError(field, f"{what}「{text}」不是有效日期") from None
    raise ValidationError(field, f"{what}「{text}」格式不正确，应为 年-月-日，如 {example}")


def parse_birth_date(text: str, *, field: str = "birth_date", today: date | None = None) -> date:
    """A birth date (see :func:`parse_day`), not after today and not absurdly early."""
    birth = parse_day(text, field=field, what="出生日期", example="1990-01-31")
    _check_birth_range(birth, field=field, today=today, what="出生日期")
    return birth


def age_on(birth_date: date, day: date) -> int:
    """Age in full years (周岁) on ``day``; someone born on 29 February turns a year older on
    1 March in common years."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


@lru_cache(maxsize=8192)
def _area_info(area_code: str) -> dict[str, str]:
    if len(area_code) != 6 or not _is_digits(area_code):
        return {}
    results = numdb.get("cn/loc").info(area_code)
    return {key: value for _part, props in results for key, value in props.items()}


def _current_name(names: str) -> str:
    # stdnum lists a code's names over time, e.g. "[1983-1989]南头区办事处,[1990-]南山区".
    latest = names.split(",")[-1]
    return latest.split("]", 1)[1] if latest.startswith("[") else latest


def area_name(area_code: str) -> str | None:
    """The division's name (current or historical), or None when the table lacks the code."""
    if area_code in HMT_AREA_CODES:
        return HMT_AREA_CODES[area_code]
    info = _area_info(area_code)
    if "county" not in info:
        return None
    county = _current_name(info["county"])
    province = info.get("province", "")
    if area_code.endswith("0000") or county.startswith(province):
        return county
    return province + county


def identity_notices(number: IdentityNumber) -> list[Notice]:
    """Warnings the clerk confirms; a citizen is never refused because a table is out of date."""
    if number.kind is not IdentityKind.RESIDENT:
        # HMT codes are fixed (830000 is missing from stdnum's table); a foreigner ID's digits
        # 2-3 are a province, 4-6 a country code.
        return []
    if "county" in _area_info(number.area_code):
        return []
    return [
        Notice(
            code="unknown_area",
            message=(
                f"社会保障号码的地区代码 {number.area_code} 不在行政区划代码表中，"
                "请与证件核对（新设区划可能尚未收录）"
            ),
            field="identity_number",
        )
    ]


def check_identity_agrees(
    number: IdentityNumber, *, birth_date: date | None, sex: Sex | None
) -> None:
    """A form's birth date and sex must match what the number encodes: an error, not a warning."""
    if birth_date is not None and birth_date != number.birth_date:
        raise ValidationError(
            "birth_date",
            f"出生日期 {birth_date.isoformat()} 与社会保障号码中的出生日期 "
            f"{number.birth_date.isoformat()} 不一致",
        )
    if sex is not None and sex != number.sex:
        raise ValidationError(
            "sex", f"性别「{sex.label}」与社会保障号码中的性别「{number.sex.label}」不一致"
        )


def mask_identity_number(number: str) -> str:
    """Show the first 6 and last 4 characters of a 15- or 18-character number (lists, ledgers,
    exports); shorter strings keep a quarter at each end so most of the value stays hidden."""
    text = number.strip()
    length = len(text)
    head, tail = (6, 4) if length >= 15 else (length // 4, length // 4)
    return text[:head] + "*" * (length - head - tail) + text[length - tail :]


def parse_credit_code(text: str, *, field: str = "credit_code") -> str:
    """统一社会信用代码 (GB 32100-2015), normalised to upper case."""
    code = normalise_identity_text(text).replace("-", "")
    if not code:
        raise ValidationError(field, "统一社会信用代码不能为空")
    if len(code) != 18:
        raise ValidationError(field, f"统一社会信用代码应为18位，输入为 {len(code)} 位")
    for position, char in enumerate(code, start=1):
        if char in _CREDIT_CODE_FORBIDDEN:
            raise ValidationError(
                field,
                f"统一社会信用代码不使用字母 I、O、Z、S、V，第 {position} 位为「{char}」",
            )
        if char not in CREDIT_CODE_ALPHABET:
            raise ValidationError(
                field, f"统一社会信用代码第 {position} 位「{char}」不是数字或大写字母"
            )
    expected = str(uscc.calc_check_digit(code[:17]))
    if code[17] != expected:
        raise ValidationError(
            field, f"统一社会信用代码校验位错误：应为 {expected}，输入为 {code[17]}"
        )
    return code


_PASSPORT_NUMBER = re.compile(r"[0-9A-Z]{5,20}")
_COUNTRY_CODE = re.compile(r"[A-Z]{3}")


def parse_passport(
    number: str,
    country: str,
    *,
    field: str = "passport_number",
    country_field: str = "country",
) -> tuple[str, str]:
    """A passport number (no check character exists) and its ISO 3166 alpha-3 country."""
    normalised = normalise_identity_text(number)
    if not normalised:
        raise ValidationError(field, "护照号码不能为空")
    if not _PASSPORT_NUMBER.fullmatch(normalised):
        raise ValidationError(field, f"护照号码应为5至20位字母或数字，输入为「{number.strip()}」")
    country_code = normalise_identity_text(country)
    if not _COUNTRY_CODE.fullmatch(country_code):
        raise ValidationError(
            country_field,
            f"国籍代码应为3位字母（ISO 3166，如 USA、JPN），输入为「{country.strip()}」",
        )
    return normalised, country_code
