"""Hostile input: every parser of outside data ends in a value or in the project's own error with
a Chinese message, never another exception. Texts mix scripts, control and format characters,
full-width forms and unpaired surrogates (a broken IME or a scanner in the wrong mode).

Cases Hypothesis found stay below as ``@example``s.
"""

from __future__ import annotations

import io
import re
import struct
import tomllib
import zlib
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from PIL import Image

from medins_desk.domain.benefits import parse_birth_certificate_number
from medins_desk.domain.card import parse_card_number
from medins_desk.domain.contact import (
    parse_address,
    parse_bank_card,
    parse_ethnicity,
    parse_mobile,
    parse_postcode,
)
from medins_desk.domain.contributions import month_index, parse_purpose
from medins_desk.domain.enrollment import parse_region_code
from medins_desk.domain.identity import (
    parse_birth_date,
    parse_credit_code,
    parse_day,
    parse_identity_number,
    parse_passport,
)
from medins_desk.domain.money import parse_yuan
from medins_desk.domain.names import normalise_name
from medins_desk.domain.photo import check_photo, fit_photo
from medins_desk.domain.policy import Policy
from medins_desk.domain.retirement import parse_deemed_period
from medins_desk.domain.voucher import sign_voucher_payload, verify_voucher_payload
from medins_desk.errors import UserFacingError, ValidationError
from medins_desk.settings import load_settings

_CJK = re.compile(r"[\u4e00-\u9fff]")

# Characters a counter really meets beside ordinary text.
_NASTY = st.sampled_from(
    [
        "\ud800", "\udfff",  # unpaired surrogates
        "\x00", "\x1b", "\x7f", "\u0085",  # controls
        "\u200b", "\u200d", "\u202e", "\ufeff", "\u00ad",  # format characters
        "１", "Ｘ", "ｘ", "－", "　", "．", "，",  # full-width forms
        "〇", "𠮷", "·", "•", "\U0010fffd", "\ufffd",
        "X", "x", "0", "9", "|",
    ]
)  # fmt: skip
HOSTILE_TEXT = st.text(st.one_of(st.characters(), _NASTY), max_size=40)


def _value_or_own_error(parse: Callable[[], object]) -> None:
    try:
        parse()
    except UserFacingError as error:
        assert _CJK.search(error.message), error.message


TEXT_PARSERS: dict[str, Callable[[str], object]] = {
    "identity number": lambda t: parse_identity_number(t, today=date(2026, 12, 4)),
    "name": normalise_name,
    "birth date": lambda t: parse_birth_date(t, today=date(2026, 12, 4)),
    "day": lambda t: parse_day(t, field="last_covered"),
    "birth certificate": parse_birth_certificate_number,
    "card number": parse_card_number,
    "mobile": parse_mobile,
    "postcode": parse_postcode,
    "address": parse_address,
    "ethnicity": parse_ethnicity,
    "bank card": parse_bank_card,
    "credit code": parse_credit_code,
    "passport": lambda t: parse_passport(t, t[:3]),
    "region code": parse_region_code,
    "amount": lambda t: parse_yuan(t, field="fee", what="金额"),
    "voucher QR": lambda t: verify_voucher_payload("hall-secret", t),
    "certificate purpose": parse_purpose,
    "contribution month": month_index,
    "deemed months from": lambda t: parse_deemed_period(
        t, "1996-12", birth=date(1966, 8, 20), retirement_date=date(2026, 8, 31)
    ),
    "deemed months to": lambda t: parse_deemed_period(
        "1990-01", t, birth=date(1966, 8, 20), retirement_date=date(2026, 8, 31)
    ),
}


@pytest.mark.parametrize("parse", TEXT_PARSERS.values(), ids=TEXT_PARSERS.keys())
@given(text=HOSTILE_TEXT)
@example(text="\ud800110105198001010011")
@example(text="1101051980010100１\u200bX")
@example(text="MDV1|\ud800|110105|loss_formal|00")
@example(text="99999999999999999999999.99")
def test_any_text_gives_a_value_or_a_chinese_message(
    parse: Callable[[str], object], text: str
) -> None:
    _value_or_own_error(lambda: parse(text))


SIGNED = sign_voucher_payload(
    "hall-secret", serial="1101052026120400100001", hall_code="110105", kind="loss_formal"
)  # type: ignore[arg-type]


@given(position=st.integers(0, len(SIGNED) - 1), char=st.one_of(st.characters(), _NASTY))
@example(position=47, char="\x80")  # a non-ASCII check code crashed compare_digest
def test_a_mutated_voucher_qr_is_refused_in_chinese(position: int, char: str) -> None:
    mutated = SIGNED[:position] + char + SIGNED[position + 1 :]
    _value_or_own_error(lambda: verify_voucher_payload("hall-secret", mutated))


# Settings files: a hall's IT writes them by hand.
_TOML_VALUES = st.one_of(
    st.integers(-(2**70), 2**70), st.booleans(), HOSTILE_TEXT, st.floats(allow_nan=True),
    st.lists(st.integers(), max_size=3), st.dates(),
)  # fmt: skip
_SETTING_KEYS = st.sampled_from(
    ["database_url", "hall_code", "counter_no", "language", "training", "hall_secret",
     "has_card_printer", "photo_folder", "unknown_key", "policy", "agency"]
)  # fmt: skip
_POLICY_KEYS = st.sampled_from(
    ["temporary_loss_days", "fee_reissue_fen", "benefit_year_start_day", "transfer_rules",
     "resident_collection_start_month", "retirement_years_men", "retirement_local_years",
     "retirement_monthly_payment_fen", "nonsense"]
)  # fmt: skip


def _toml_char(ch: str) -> str:
    if ch.isprintable() and ch not in '"\\':
        return ch
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + "".join(_toml_char(ch) for ch in value) + '"'
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


@given(
    top=st.dictionaries(_SETTING_KEYS, _TOML_VALUES, max_size=4),
    policy=st.dictionaries(_POLICY_KEYS, _TOML_VALUES, max_size=3),
    agency=st.dictionaries(st.sampled_from(["name", "region_code", "mystery"]), _TOML_VALUES,
                           max_size=2),
)  # fmt: skip
def test_any_settings_file_loads_or_is_refused_in_chinese(
    tmp_path_factory: pytest.TempPathFactory,
    top: dict[str, Any],
    policy: dict[str, Any],
    agency: dict[str, Any],
) -> None:
    lines = [f"{key} = {_toml_value(value)}" for key, value in top.items()]
    for table, values in (("policy", policy), ("agency", agency)):
        if values and table not in top:
            lines.append(f"[{table}]")
            lines += [f"{key} = {_toml_value(value)}" for key, value in values.items()]
    path = tmp_path_factory.mktemp("settings") / "settings.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    _value_or_own_error(lambda: load_settings(path, environ={}))


@given(content=st.binary(max_size=200))
@example(content=b"\xff\xfehall_code = 1")
@example(content=b'hall_code = "\xe4\xb8"')
def test_a_settings_file_of_any_bytes_loads_or_is_refused_in_chinese(
    tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    path = tmp_path_factory.mktemp("settings") / "settings.toml"
    path.write_bytes(content)
    _value_or_own_error(lambda: load_settings(path, environ={}))


def test_toml_strings_are_written_as_toml_reads_them() -> None:
    """The strategy above writes what it means (else it would test nothing); a surrogate has
    no place in a UTF-8 file, so TOML refuses its escape and the file is refused in Chinese."""
    text = '测试\x00"|\U0010fffd'
    assert tomllib.loads(f"k = {_toml_value(text)}")["k"] == text


# Photos: imported from a camera, a phone or a citizen's USB stick.
def _image(mode: str, size: tuple[int, int], fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color=0).save(out, fmt)
    return out.getvalue()


_PHOTOS = [
    _image("RGB", (358, 441), "JPEG"),
    _image("CMYK", (358, 441), "JPEG"),
    _image("L", (100, 300), "PNG"),
    _image("P", (358, 441), "GIF"),
    _image("1", (20, 20), "BMP"),
    _image("RGBA", (400, 500), "PNG"),
    _image("I;16", (40, 40), "PNG"),
]


@pytest.mark.parametrize("operation", [check_photo, fit_photo], ids=["check", "fit"])
@given(photo=st.sampled_from(_PHOTOS), cut=st.integers(0, 4000), noise=st.binary(max_size=64))
def test_any_truncated_or_damaged_photo_gives_a_value_or_a_chinese_message(
    operation: Callable[[bytes, Policy], object], photo: bytes, cut: int, noise: bytes
) -> None:
    damaged = photo[: len(photo) - cut] + noise if cut else photo
    _value_or_own_error(lambda: operation(damaged, Policy()))


def _png_bomb(width: int, height: int) -> bytes:
    """A grey PNG of ``width`` x ``height`` black pixels, compressed a row at a time: a few
    hundred KB that decode to ``width * height`` bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    packer = zlib.compressobj(9)
    row = b"\0" * (width + 1)  # filter byte, then the pixels
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


# 9,000 x 9,000 passes Pillow's own bomb limit and meets ours; 20,000 x 20,000 meets Pillow's.
BOMBS = [_png_bomb(9_000, 9_000), _png_bomb(20_000, 20_000)]


@pytest.mark.parametrize("bomb", BOMBS, ids=["81 MP", "400 MP"])
def test_a_decompression_bomb_is_refused_from_its_header(bomb: bytes) -> None:
    assert len(bomb) < 1_000_000
    problems = check_photo(bomb, Policy())
    assert [p.code for p in problems] == ["too_many_pixels"]
    assert "百万像素" in problems[0].message
    with pytest.raises(ValidationError) as caught:
        fit_photo(bomb, Policy())
    assert caught.value.field == "photo"


def test_the_bomb_is_a_real_image_pillow_can_read() -> None:
    """The crafted file is what it claims (a smaller one decodes to black pixels)."""
    small = Image.open(io.BytesIO(_png_bomb(30, 20)))
    small.load()
    assert (small.size, small.mode, small.getextrema()) == ((30, 20), "L", (0, 0))
