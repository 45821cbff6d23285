"""The chip layout of the 社会保障卡 (DESIGN.md §10): names, files, records and APDUs.

Shared by the reader and the virtual card, so both speak exactly the same layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = [
    "EF05",
    "EF05_ITEMS",
    "EF06",
    "EF06_ITEMS",
    "SSSE_NAME",
    "SW_OK",
    "Encoding",
    "ItemSpec",
    "RegionRecord",
    "external_authenticate",
    "get_challenge",
    "get_response",
    "read_record",
    "select_ef",
    "select_ssse",
    "update_record",
    "verify_pin",
]

# "sx1.sh." + 社会保障 in GBK: the social security environment (DDF1).
SSSE_NAME = b"sx1.sh." + "社会保障".encode("gbk")
EF05 = b"\xef\x05"
EF06 = b"\xef\x06"
SW_OK = 0x9000


class Encoding(Enum):
    HEX = "hex"  # binary, shown as upper-case hex
    ASCII = "ascii"
    GBK = "gbk"  # padded with 00 or 20
    BCD_DATE = "bcd_date"  # YYYYMMDD
    BCD = "bcd"  # digits, trailing F nibbles trimmed


@dataclass(frozen=True)
class ItemSpec:
    """One record of EF05/EF06: one TLV of ``size`` bytes at most (exactly, when ``fixed``)."""

    key: str
    label: str
    file: bytes
    sfi: int
    record: int
    tag: int
    size: int
    encoding: Encoding
    fixed: bool = True
    optional: bool = False  # 6A83 (no such record) is an answer, not an error

    @property
    def where(self) -> str:
        return f"EF{self.file.hex().upper()[2:]} 记录 {self.record:02d} {self.label}"


# Record 04 (初始化机构编号) is left out: nothing the counter shows needs it, so no APDU is spent.
EF05_ITEMS = (
    ItemSpec("card_id_code", "卡识别码", EF05, 0x05, 1, 0x01, 16, Encoding.HEX),
    ItemSpec("card_type", "卡类别", EF05, 0x05, 2, 0x02, 1, Encoding.ASCII),
    ItemSpec("spec_version", "规范版本", EF05, 0x05, 3, 0x03, 4, Encoding.ASCII),
    ItemSpec("issue_date", "发卡日期", EF05, 0x05, 5, 0x05, 4, Encoding.BCD_DATE),
    ItemSpec("expiry_date", "卡有效期", EF05, 0x05, 6, 0x06, 4, Encoding.BCD_DATE),
    ItemSpec("card_number", "卡号", EF05, 0x05, 7, 0x07, 9, Encoding.ASCII),
)
EF06_ITEMS = (
    ItemSpec("ssn", "社会保障号码", EF06, 0x06, 1, 0x08, 18, Encoding.ASCII),
    ItemSpec("name", "姓名", EF06, 0x06, 2, 0x09, 30, Encoding.GBK, fixed=False),
    ItemSpec(
        "name_extension", "姓名扩展", EF06, 0x06, 3, 0x4E, 20, Encoding.GBK, False, optional=True
    ),
    ItemSpec("sex", "性别", EF06, 0x06, 4, 0x0A, 1, Encoding.ASCII),
    ItemSpec("ethnicity", "民族", EF06, 0x06, 5, 0x0B, 1, Encoding.BCD),
    ItemSpec("birthplace", "出生地", EF06, 0x06, 6, 0x0C, 3, Encoding.BCD),
    ItemSpec("birth_date", "出生日期", EF06, 0x06, 7, 0x0D, 4, Encoding.BCD_DATE),
)


@dataclass(frozen=True)
class RegionRecord:
    """Where the card keeps the insuring region (参保地统筹区编码, 6 digits as 3 bytes BCD).

    Provinces differ, so a hall sets it (settings ``card_region_file``/``_record``/``_tag``); the
    default is the layout of the training cards, not a national standard."""

    file: bytes = b"\xef\x07"
    record: int = 1
    tag: int = 0x2F

    @property
    def spec(self) -> ItemSpec:
        return ItemSpec(
            "insured_region", "参保地统筹区编码", self.file, self.file[1] & 0x1F, self.record,
            self.tag, 3, Encoding.BCD,
        )  # fmt: skip

    def tlv(self, region: str) -> bytes:
        return bytes([self.tag, 3]) + bytes.fromhex(region)


def select_ssse() -> bytes:
    return bytes([0x00, 0xA4, 0x04, 0x00, len(SSSE_NAME)]) + SSSE_NAME


def select_ef(fid: bytes, *, p1: int = 0x02) -> bytes:
    return bytes([0x00, 0xA4, p1, 0x00, len(fid)]) + fid


def read_record(record: int, *, sfi: int | None, le: int) -> bytes:
    """READ RECORD by short file identifier, or (sfi None) of the selected EF."""
    p2 = ((sfi << 3) if sfi is not None else 0) | 0x04
    return bytes([0x00, 0xB2, record, p2, le & 0xFF])


def update_record(record: int, data: bytes) -> bytes:
    """UPDATE RECORD of the selected EF (the whole record: its TLV)."""
    return bytes([0x00, 0xDC, record, 0x04, len(data)]) + data


def get_challenge() -> bytes:
    return bytes([0x00, 0x84, 0x00, 0x00, 0x08])


def external_authenticate(cryptogram: bytes) -> bytes:
    return bytes([0x00, 0x82, 0x00, 0x0A, len(cryptogram)]) + cryptogram


def get_response(le: int) -> bytes:
    return bytes([0x00, 0xC0, 0x00, 0x00, le & 0xFF])


def verify_pin(pin: str) -> bytes:
    """VERIFY with the PIN as packed BCD (an odd digit count is padded with F)."""
    digits = pin + ("F" if len(pin) % 2 else "")
    packed = bytes.fromhex(digits)
    return bytes([0x00, 0x20, 0x00, 0x00, len(packed)]) + packed
