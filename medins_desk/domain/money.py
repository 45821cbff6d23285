"""Amounts of money (金额): stored as integer fen (分), shown and typed as yuan (元).

One place converts both ways, exactly: no float ever touches an amount.
"""

from __future__ import annotations

import re

from medins_desk.errors import ValidationError

__all__ = ["amount_in_words", "format_yuan", "parse_yuan"]

_YUAN = re.compile(r"(\d+)(?:\.(\d{1,2}))?")
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def format_yuan(fen: int, *, grouping: bool = False, unit: bool = False) -> str:
    """12345 -> "123.45" ("1,234.56 元" with ``grouping`` and ``unit``)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    text = f"{sign}{whole:,}.{cents:02d}" if grouping else f"{sign}{whole}.{cents:02d}"
    return f"{text} 元" if unit else text


def amount_in_words(fen: int) -> str:
    """The amount in capitals (大写金额) as payment documents write it, by the 会计基础工作规范:
    12345607 -> "人民币壹拾贰万叁仟肆佰伍拾陆元零柒分"; 1050 -> "人民币壹拾元伍角整".

    One 零 stands for a run of zeros inside the number, 整 ends an amount without 分, and the
    tens are written 壹拾 so that nothing can be put in front.
    (cn2an writes these too, but loads ruamel.yaml and data files at import and omits 整
    after 角.)
    """
    if fen < 0:
        raise ValueError("大写金额不能为负数")
    whole, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    words = _yuan_in_words(whole) + "元" if whole else ""
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif fen_digit and whole:
        words += "零"
    if fen_digit:
        words += _DIGITS[fen_digit] + "分"
    else:
        words = (words or "零元") + "整"
    return "人民币" + words


def _yuan_in_words(whole: int) -> str:
    groups: list[int] = []
    while whole:
        whole, group = divmod(whole, 10_000)
        groups.append(group)
    if len(groups) > len(_GROUPS):
        raise ValueError("金额过大，无法写成大写")
    words, zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            zero = bool(words)
            continue
        for place in range(3, -1, -1):
            digit = group // 10**place % 10
            if not digit:
                zero = bool(words)
                continue
            if zero:
                words += "零"
                zero = False
            words += _DIGITS[digit] + _PLACES[place]
        words += _GROUPS[index]
    return words


def parse_yuan(text: str, *, field: str, what: str) -> int:
    """A non-negative amount typed in yuan ("1,234.5", "１２３") as fen; empty means 0."""
    compact = "".join(text.split()).replace(",", "").replace("，", "").rstrip("元")
    compact = compact.translate({code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)})
    compact = compact.replace("．", ".")
    if not compact:
        return 0
    match = _YUAN.fullmatch(compact)
    if match is None:
        raise ValidationError(
            field, f"{what}应为金额（元，最多两位小数），输入为「{text.strip()}」"
        )
    whole, cents = match.group(1), (match.group(2) or "").ljust(2, "0")
    return int(whole) * 100 + int(cents)
