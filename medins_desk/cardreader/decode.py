"""Decoding what the chip returns: one TLV per record, BCD dates and codes, GBK names.

Anything that does not follow the layout raises :class:`MalformedRecord`; nothing here guesses.
"""

from __future__ import annotations

import re
from datetime import date

from medins_desk.cardreader.errors import MalformedRecord
from medins_desk.cardreader.layout import Encoding, ItemSpec

__all__ = ["atr_historical_bytes", "decode_bcd", "decode_record", "split_tlv"]

_PADDING = b"\x00\x20"
_CARD_NUMBER = re.compile(r"[0-9A-Z]{9}")
_SSN = re.compile(r"[0-9]{17}[0-9X]")
_DIGIT = re.compile(r"[0-9]")
_VERSION = re.compile(r"[0-9A-Za-z.]{1,4}")


def split_tlv(spec: ItemSpec, data: bytes) -> bytes:
    """The value of the single TLV a record holds, checked against the layout."""
    if len(data) < 2:
        raise MalformedRecord(spec.where, f"应答只有 {len(data)} 字节")
    tag, length, value = data[0], data[1], data[2:]
    if tag != spec.tag:
        raise MalformedRecord(spec.where, f"标签应为 {spec.tag:02X}，卡内为 {tag:02X}")
    if length != len(value):
        raise MalformedRecord(spec.where, f"长度字节为 {length}，实际数据 {len(value)} 字节")
    if length > spec.size or (spec.fixed and length != spec.size):
        raise MalformedRecord(spec.where, f"长度应为 {spec.size} 字节，卡内为 {length} 字节")
    return value


def decode_bcd(value: bytes, *, where: str) -> str:
    """Packed BCD digits; trailing F nibbles (filler) are dropped, any other non-digit refused."""
    text = value.hex().upper().rstrip("F")
    if not text or not text.isdigit():
        raise MalformedRecord(where, f"BCD 编码错误（{value.hex().upper()}）")
    return text


def _decode_date(value: bytes, where: str) -> date:
    text = decode_bcd(value, where=where)
    if len(text) != 8:
        raise MalformedRecord(where, f"日期应为8位数字，卡内为「{text}」")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise MalformedRecord(where, f"日期「{text}」不存在") from None


def _decode_ascii(spec: ItemSpec, value: bytes) -> str:
    try:
        text = value.rstrip(_PADDING).decode("ascii")
    except UnicodeDecodeError:
        raise MalformedRecord(spec.where, "含有非 ASCII 字符") from None
    pattern = {
        "card_number": _CARD_NUMBER,
        "ssn": _SSN,
        "sex": _DIGIT,
        "card_type": _DIGIT,
        "spec_version": _VERSION,
    }.get(spec.key)
    if pattern is not None and not pattern.fullmatch(text):
        raise MalformedRecord(spec.where, f"内容「{text}」不符合格式")
    return text


def _decode_gbk(spec: ItemSpec, value: bytes) -> str:
    raw = value.rstrip(_PADDING)
    try:
        text = raw.decode("gbk")
    except UnicodeDecodeError:
        raise MalformedRecord(spec.where, "不是有效的 GBK 编码") from None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        raise MalformedRecord(spec.where, "含有控制字符")
    return text


def decode_record(spec: ItemSpec, data: bytes) -> str | date:
    """The item a READ RECORD answer (data without the status word) holds."""
    value = split_tlv(spec, data)
    match spec.encoding:
        case Encoding.HEX:
            return value.hex().upper()
        case Encoding.ASCII:
            return _decode_ascii(spec, value)
        case Encoding.GBK:
            return _decode_gbk(spec, value)
        case Encoding.BCD_DATE:
            return _decode_date(value, spec.where)
        case Encoding.BCD:
            return decode_bcd(value, where=spec.where)
    raise AssertionError(spec.encoding)  # pragma: no cover


def atr_historical_bytes(atr: bytes) -> bytes:
    """The historical bytes of an ATR (ISO 7816-3), as iReadCardBas reports them."""
    if len(atr) < 2:
        return b""
    count = atr[1] & 0x0F
    position, indicator = 1, atr[1]
    while True:
        position += bin(indicator & 0xF0).count("1")
        if not indicator & 0x80 or position >= len(atr):
            break
        indicator = atr[position]
    start = position + 1
    return atr[start : start + count]
