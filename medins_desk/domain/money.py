"""Amounts of money (金额): stored as integer fen (分), shown and typed as yuan (元).

One place converts both ways, exactly: no float ever touches an amount.
"""

from __future__ import annotations

import re

from medins_desk.errors import ValidationError

__all__ = ["format_yuan", "parse_yuan"]

_YUAN = re.compile(r"(\d+)(?:\.(\d{1,2}))?")


def format_yuan(fen: int, *, grouping: bool = False, unit: bool = False) -> str:
    """12345 -> "123.45" ("1,234.56 元" with ``grouping`` and ``unit``)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    text = f"{sign}{whole:,}.{cents:02d}" if grouping else f"{sign}{whole}.{cents:02d}"
    return f"{text} 元" if unit else text


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
