"""Personal names (姓名): normalisation, the card chip's GBK limit, pinyin initials for search.

A name is stored and printed exactly as the citizen's document shows it. A character outside GBK
(生僻字, CJK Extension B and up) is valid; it only means the card must be personalised by hand.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from medins_desk.errors import ValidationError

__all__ = [
    "GBK_EXTENSION_BYTES",
    "GBK_NAME_BYTES",
    "MAX_NAME_LENGTH",
    "MIDDLE_DOT",
    "fits_gbk",
    "gbk_byte_length",
    "gbk_encodable",
    "load_pinyin",
    "name_initials",
    "needs_manual_personalisation",
    "normalise_name",
]

MIDDLE_DOT = "\u00b7"
MAX_NAME_LENGTH = 30
GBK_NAME_BYTES = 30  # EF06 record 02 (姓名)
GBK_EXTENSION_BYTES = 20  # EF06 record 03 (姓名扩展), on 2.0/3.0 cards

# Look-alike dots typed by IMEs or pasted from documents: bullet, katakana middle dot (full and
# half width), full-width full stop, hyphenation point.
_DOT_VARIANTS = {ord(ch): MIDDLE_DOT for ch in ("\u2022", "\u30fb", "\uff65", "\uff0e", "\u2027")}
# Typographic apostrophes and hyphens in pasted foreign names; full-width Latin letters typed
# with a Chinese IME in full-width mode.
_SEPARATOR_VARIANTS = {ord("\u2019"): "'", ord("\u2010"): "-", ord("\u2011"): "-"} | {
    code: chr(code - 0xFEE0) for code in (*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
_LATIN_SEPARATORS = frozenset(" -'")
_IDEOGRAPHIC_ZERO = "\u3007"  # 〇 is category Nl but is written in names as a Han character


def normalise_name(text: str, *, field: str = "name") -> str:
    """Normalise and check a name; raise ``ValidationError`` naming the reason."""
    name = text.strip()
    if not name:
        raise ValidationError(field, "姓名不能为空")
    if not _has_compatibility_ideograph(name):
        # NFC would map CJK compatibility ideographs to other code points: never change those.
        name = unicodedata.normalize("NFC", name)
    name = name.translate(_DOT_VARIANTS).translate(_SEPARATOR_VARIANTS)
    name = " ".join(name.split())
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            field, f"姓名不能超过 {MAX_NAME_LENGTH} 个字符，输入为 {len(name)} 个"
        )
    _check_characters(name, field)
    return name


def _has_compatibility_ideograph(text: str) -> bool:
    return any(0xF900 <= ord(ch) <= 0xFAFF or 0x2F800 <= ord(ch) <= 0x2FA1F for ch in text)


def _is_letter(ch: str) -> bool:
    if len(ch) != 1:
        return False
    if ch == _IDEOGRAPHIC_ZERO:
        return True
    category = unicodedata.category(ch)
    if category.startswith("L"):
        return True
    # Planes 2 and 3 hold only CJK ideographs; Python's Unicode tables may predate the newest
    # extensions (H, I), which were added largely for personal names.
    code = ord(ch)
    return category == "Cn" and 0x20000 <= code <= 0x3FFFD and (code & 0xFFFF) < 0xFFFE


def _is_mark(ch: str) -> bool:
    # Combining accents and ideographic variation selectors (异体字 in names) follow a letter.
    return len(ch) == 1 and unicodedata.category(ch).startswith("M")


def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def _check_characters(name: str, field: str) -> None:
    letters = [ch for ch in name if _is_letter(ch)]
    latin_script = bool(letters) and all(_is_latin(ch) for ch in letters)
    previous = ""
    for index, ch in enumerate(name):
        following = name[index + 1] if index + 1 < len(name) else ""
        if _is_letter(ch):
            pass
        elif _is_mark(ch):
            if not (previous and (_is_letter(previous) or _is_mark(previous))):
                raise ValidationError(field, f"姓名中的字符 U+{ord(ch):04X} 前面缺少文字")
        elif ch == MIDDLE_DOT:
            if not previous or not following:
                raise ValidationError(field, "姓名中的间隔号「·」不能在开头或结尾")
            if previous == MIDDLE_DOT or following == MIDDLE_DOT:
                raise ValidationError(field, "姓名中的间隔号「·」不能连续出现")
            if previous in _LATIN_SEPARATORS or following in _LATIN_SEPARATORS:
                raise ValidationError(field, "姓名中的间隔号「·」两侧应为文字")
        elif ch in _LATIN_SEPARATORS:
            shown = "空格" if ch == " " else f"「{ch}」"
            if not latin_script:
                raise ValidationError(
                    field, f"姓名不能包含{shown}（只有外文姓名的各部分之间可以有）"
                )
            if not (_is_letter(previous) or _is_mark(previous)) or not _is_letter(following):
                raise ValidationError(field, f"姓名中的{shown}只能出现在两个字母之间，且只能有一个")
        else:
            raise ValidationError(field, _character_problem(ch))
        previous = ch


def _character_problem(ch: str) -> str:
    category = unicodedata.category(ch)
    if category.startswith("N"):
        return f"姓名不能包含数字「{ch}」"
    if category.startswith("S"):
        return f"姓名不能包含符号或表情「{ch}」"
    if category.startswith("P"):
        return f"姓名不能包含标点符号「{ch}」（间隔号请用「·」）"
    return f"姓名包含不可见或无法识别的字符 U+{ord(ch):04X}"


def gbk_encodable(name: str) -> bool:
    return gbk_byte_length(name) is not None


def gbk_byte_length(name: str) -> int | None:
    """Bytes the name takes on the chip, or None when a character is outside GBK."""
    try:
        return len(name.encode("gbk"))
    except UnicodeEncodeError:
        return None


def fits_gbk(name: str) -> bool:
    """True when the name encodes in GBK and fits the chip's 30-byte 姓名 record by itself."""
    length = gbk_byte_length(name)
    return length is not None and length <= GBK_NAME_BYTES


def needs_manual_personalisation(name: str) -> bool:
    """The card bureau must personalise the card by hand: a character outside GBK, or a name
    longer than 姓名 plus 姓名扩展 (30 + 20 bytes) can hold."""
    length = gbk_byte_length(name)
    return length is None or length > GBK_NAME_BYTES + GBK_EXTENSION_BYTES


# Surnames read differently from the character's everyday reading (单 shan, 曾 zeng, 区 ou ...).
_SURNAME_INITIALS: dict[str, str] = {
    "单": "s",
    "曾": "z",
    "解": "x",
    "仇": "q",
    "查": "z",
    "区": "o",
    "乐": "y",
    "覃": "q",
    "繁": "p",
    "翟": "z",
    "秘": "b",
    "召": "s",
    "种": "c",
    "句": "g",
    "隗": "w",
    "宓": "f",
    "员": "y",
}
_COMPOUND_SURNAME_INITIALS: dict[str, str] = {
    "尉迟": "yc",
    "万俟": "mq",
    "单于": "cy",
    "澹台": "tt",
}


def name_initials(name: str) -> str:
    """Lower-case pinyin initials for search as a clerk types (张三 -> zs, 欧阳娜娜 -> oynn).

    Latin letters are kept (lower-cased, accents dropped); dots, spaces and characters without
    a known reading are dropped.
    """
    head = ""
    rest = name
    if name[:2] in _COMPOUND_SURNAME_INITIALS:
        head, rest = _COMPOUND_SURNAME_INITIALS[name[:2]], name[2:]
    elif name[:1] in _SURNAME_INITIALS:
        head, rest = _SURNAME_INITIALS[name[:1]], name[1:]
    return head + "".join(_initial(ch) for ch in rest)


def load_pinyin() -> None:
    """Load pypinyin's tables now: a long-running program (the counter, in a worker after
    sign-in) calls it so the first name typed at the counter does not wait for them."""
    from pypinyin import Style, lazy_pinyin

    lazy_pinyin("三", style=Style.FIRST_LETTER)


@lru_cache(maxsize=65536)
def _initial(ch: str) -> str:
    # Cached per character: a million-person seed repeats a few thousand characters.
    if ch.isascii():
        return ch.lower() if ch.isalpha() else ""
    if _is_latin(ch):
        base = unicodedata.normalize("NFKD", ch)[0]
        return base.lower() if base.isascii() and base.isalpha() else ""
    if not _is_letter(ch):
        return ""
    # Imported here: pypinyin's phrase table takes a fifth of a second to load, which every
    # console command would pay for a function only registration and search need.
    from pypinyin import Style, lazy_pinyin

    reading = lazy_pinyin(ch, style=Style.FIRST_LETTER)
    first = reading[0][:1] if reading else ""
    return first.lower() if first.isascii() and first.isalpha() else ""
