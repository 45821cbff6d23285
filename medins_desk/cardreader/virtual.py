"""A virtual 社会保障卡 for tests, demos and clerk training (虚拟社保卡).

``VirtualCard`` answers APDUs from a profile (a TOML file: the card's items, the PIN, whether
EF06 needs it, whether only a security module opens it); ``VpcdCard`` plugs it into pcscd
through the vsmartcard ``vpcd`` driver: a TCP client of 127.0.0.1:35963 (35964 for the second
reader), each message a 2-byte big-endian length and a payload. A 1-byte payload is control
(0 power off, 1 power on, 2 reset, 4 send the ATR); anything else is a command APDU. Closing the
socket is "card removed". The socket is served in its own thread because vpcd polls the ATR.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from medins_desk.cardreader.layout import (
    EF05,
    EF05_ITEMS,
    EF06,
    EF06_ITEMS,
    SSSE_NAME,
    ItemSpec,
    RegionRecord,
)
from medins_desk.cardreader.security import TRAINING_CARD_KEY, training_cryptogram
from medins_desk.domain.card import card_id_code
from medins_desk.domain.identity import Sex, parse_identity_number
from medins_desk.domain.names import GBK_NAME_BYTES, gbk_encodable
from medins_desk.errors import UserFacingError, ValidationError
from medins_desk.resources import resources_dir

__all__ = [
    "DEFAULT_ATR",
    "VPCD_HOST",
    "VPCD_PORT",
    "CardProfile",
    "VirtualCard",
    "VirtualCardError",
    "VpcdCard",
    "demo_profile_dir",
    "find_profile",
    "load_profile",
]

log = logging.getLogger(__name__)

VPCD_HOST = "127.0.0.1"
VPCD_PORT = 35963  # reader "Virtual PCD 00 00"; +1 for "Virtual PCD 00 01"
# A well-formed T=1 ATR; a malformed one makes pcscd's transmits fail (SCARD_E_NOT_TRANSACTED).
DEFAULT_ATR = bytes.fromhex("3BD6180081B1807D1F038051006110308F")


class VirtualCardError(UserFacingError):
    """The virtual card cannot start: a bad profile or no vpcd driver to plug into."""


def demo_profile_dir() -> Path:
    """resources/demo/cards: the demo profiles shipped with the app."""
    return resources_dir() / "demo" / "cards"


def find_profile(text: str) -> Path:
    """A profile file, or the name of a demo profile ("ordinary" -> resources/.../ordinary.toml)."""
    path = Path(text)
    if path.is_file():
        return path
    demo = demo_profile_dir() / f"{text}.toml"
    if demo.is_file():
        return demo
    names = sorted(p.stem for p in demo_profile_dir().glob("*.toml"))
    raise VirtualCardError(f"找不到卡片配置「{text}」；演示卡有：{'、'.join(names)}")


@dataclass(frozen=True)
class CardProfile:
    """What a virtual card holds and how it behaves."""

    description: str
    card_number: str
    card_id_code: str
    card_type: str
    spec_version: str
    issue_date: date
    expiry_date: date
    ssn: str
    name: str  # as the citizen's documents write it
    chip_name: str  # as the chip holds it (GBK): a stand-in for a rare character
    sex: Sex
    ethnicity: str
    birthplace: str
    birth_date: date
    insured_region: str = "110105"  # 参保地统筹区编码, at RegionRecord()'s place
    atr: bytes = DEFAULT_ATR
    pin: str | None = None
    pin_tries: int = 3
    ef06_needs_pin: bool = False
    psam_only: bool = False  # EF06 opens only after security-module authentication
    sfi: bool = True  # False: refuses reads by short file identifier
    get_response: bool = False  # True: answers 61xx and waits for GET RESPONSE, like T=0 cards

    @property
    def rare_character(self) -> bool:
        """The name has a character outside GBK: the chip holds a stand-in (flagged)."""
        return self.chip_name != self.name


def _text(section: dict[str, Any], key: str, default: str | None = None) -> str:
    value = section.get(key, default)
    if value is None:
        raise ValidationError(key, f"卡片配置缺少「{key}」")
    return str(value)


def _day(section: dict[str, Any], key: str, default: date | None = None) -> date:
    value = section.get(key, default)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise ValidationError(key, f"卡片配置的「{key}」应为日期 YYYY-MM-DD")


def profile_from_mapping(data: dict[str, Any]) -> CardProfile:
    card, holder = data.get("card", {}), data.get("holder", {})
    security, quirks = data.get("security", {}), data.get("quirks", {})
    number = _text(card, "card_number")
    region = _text(card, "region", "110105")
    default_code = card_id_code(region, number)  # as for a card issued here
    ssn = _text(holder, "ssn")
    identity = parse_identity_number(ssn, field="ssn")
    name = _text(holder, "name")
    chip_name = _text(holder, "chip_name", name)
    if not gbk_encodable(chip_name):
        raise ValidationError(
            "chip_name", f"姓名「{name}」含 GBK 以外的字（生僻字）：请用 chip_name 写卡内替代字"
        )
    return CardProfile(
        description=str(data.get("description", "")),
        card_number=number,
        card_id_code=_text(card, "card_id_code", default_code).upper(),
        card_type=_text(card, "card_type", "3"),
        spec_version=_text(card, "spec_version", "3.00"),
        issue_date=_day(card, "issue_date"),
        expiry_date=_day(card, "expiry_date"),
        ssn=identity.number if ssn == identity.number else ssn,
        name=name,
        chip_name=chip_name,
        sex=Sex.parse(_text(holder, "sex", identity.sex.value)),
        ethnicity=_text(holder, "ethnicity", "01").zfill(2),
        birthplace=_text(holder, "birthplace", identity.area_code),
        birth_date=_day(holder, "birth_date", identity.birth_date),
        insured_region=_text(card, "insured_region", region),
        atr=bytes.fromhex(_text(data, "atr", DEFAULT_ATR.hex())),
        pin=None if security.get("pin") is None else str(security["pin"]),
        pin_tries=int(security.get("pin_tries", 3)),
        ef06_needs_pin=bool(security.get("ef06_needs_pin", False)),
        psam_only=bool(security.get("psam_only", False)),
        sfi=bool(quirks.get("sfi", True)),
        get_response=bool(quirks.get("get_response", False)),
    )


def load_profile(path: Path) -> CardProfile:
    """Read a TOML profile; a mistake in it is reported with the file's name."""
    try:
        with path.open("rb") as stream:
            data = tomllib.load(stream)
        return profile_from_mapping(data)
    except (OSError, tomllib.TOMLDecodeError, ValueError) as error:
        message = getattr(error, "message", None) or str(error)
        raise VirtualCardError(f"卡片配置 {path} 有误：{message}") from error


def _bcd(digits: str, size: int) -> bytes:
    return bytes.fromhex(digits.ljust(size * 2, "F"))


def _split_name(chip_name: str) -> tuple[bytes, bytes]:
    """姓名 (30 bytes) and 姓名扩展 (the rest), never splitting a double-byte character."""
    head, rest = b"", chip_name
    while rest and len(head + rest[0].encode("gbk")) <= GBK_NAME_BYTES:
        head += rest[0].encode("gbk")
        rest = rest[1:]
    return head, rest.encode("gbk")


def _records(profile: CardProfile) -> dict[tuple[bytes, int], bytes]:
    """Every record as the TLV the chip returns."""
    name, extension = _split_name(profile.chip_name)
    values: dict[str, bytes] = {
        "card_id_code": bytes.fromhex(profile.card_id_code),
        "card_type": profile.card_type.encode("ascii"),
        "spec_version": profile.spec_version.encode("ascii").ljust(4, b"\x00"),
        "issue_date": _bcd(f"{profile.issue_date:%Y%m%d}", 4),
        "expiry_date": _bcd(f"{profile.expiry_date:%Y%m%d}", 4),
        "card_number": profile.card_number.encode("ascii"),
        "ssn": profile.ssn.encode("ascii"),
        "name": name.ljust(30, b"\x00"),
        "name_extension": extension.ljust(20, b"\x00"),
        "sex": profile.sex.value.encode("ascii"),
        "ethnicity": _bcd(profile.ethnicity, 1),
        "birthplace": _bcd(profile.birthplace, 3),
        "birth_date": _bcd(f"{profile.birth_date:%Y%m%d}", 4),
    }
    region = RegionRecord()
    records: dict[tuple[bytes, int], bytes] = {
        (EF05, 4): bytes([0x04, 12]) + bytes(12),  # 初始化机构编号: not read, but present
        (region.file, region.record): region.tlv(profile.insured_region),
    }
    specs: tuple[ItemSpec, ...] = (*EF05_ITEMS, *EF06_ITEMS)
    for spec in specs:
        if spec.key == "name_extension" and profile.spec_version < "2":
            continue  # 1st-generation cards have no 姓名扩展 (6A83)
        value = values[spec.key]
        records[spec.file, spec.record] = bytes([spec.tag, len(value)]) + value
    return records


def _sw(sw: int, data: bytes = b"") -> bytes:
    return data + sw.to_bytes(2, "big")


@dataclass
class VirtualCard:
    """The chip: answers APDUs as the profile says. Not thread-safe; one reader at a time."""

    profile: CardProfile
    tries_left: int = 0
    _records: dict[tuple[bytes, int], bytes] = field(default_factory=dict, repr=False)
    _in_ssse: bool = False
    _current: bytes | None = None
    _pin_ok: bool = False
    _pending: bytes = b""
    _challenge: bytes = b""
    _authenticated: bool = False  # the counter's security module answered the challenge

    def __post_init__(self) -> None:
        self._records = _records(self.profile)
        self.tries_left = self.profile.pin_tries

    def reset(self) -> None:
        """Power cycle or reset: selections and a verified PIN are gone (tries are not)."""
        self._in_ssse, self._current, self._pin_ok, self._pending = False, None, False, b""
        self._challenge, self._authenticated = b"", False

    def respond(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return _sw(0x6700)
        ins, p1, p2 = apdu[1], apdu[2], apdu[3]
        body = apdu[5 : 5 + apdu[4]] if len(apdu) > 5 else b""
        le = apdu[4] if len(apdu) == 5 else None
        if ins != 0xC0:
            self._pending = b""
        if ins == 0xA4:
            return self._select(p1, body)
        if ins == 0xB2:
            return self._read_record(p1, p2, le)
        if ins == 0x20:
            return self._verify(body)
        if ins == 0xC0:
            chunk, self._pending = self._pending[: le or 256], self._pending[le or 256 :]
            return _sw(0x6100 | len(self._pending), chunk) if self._pending else _sw(0x9000, chunk)
        if ins == 0x84:
            self._challenge = secrets.token_bytes(8)
            return _sw(0x9000, self._challenge)
        if ins == 0x82:
            return self._external_authenticate(body)
        if ins == 0xDC:
            return self._update_record(p1, p2, body)
        return _sw(0x6D00)

    def _external_authenticate(self, body: bytes) -> bytes:
        """The training key's answer to the last challenge opens EF06 and the writes."""
        expected = training_cryptogram(TRAINING_CARD_KEY, self._challenge)
        self._challenge = b""
        if not expected or body != expected:
            self._authenticated = False
            return _sw(0x6300)
        self._authenticated = True
        return _sw(0x9000)

    def _update_record(self, record: int, p2: int, body: bytes) -> bytes:
        """UPDATE RECORD of the selected EF: same tag and length as the record it replaces."""
        if not self._in_ssse or self._current is None or p2 != 0x04:
            return _sw(0x6986)
        if not self._authenticated:
            return _sw(0x6982)
        old = self._records.get((self._current, record))
        if old is None:
            return _sw(0x6A83)
        if len(body) != len(old) or body[0] != old[0]:
            return _sw(0x6700)
        self._records[self._current, record] = bytes(body)
        return _sw(0x9000)

    def _select(self, p1: int, body: bytes) -> bytes:
        if p1 == 0x04:
            self._in_ssse = body == SSSE_NAME
            self._current = None
            return _sw(0x9000 if self._in_ssse else 0x6A82)
        if p1 in (0x00, 0x02) and self._in_ssse and body in (EF05, EF06, RegionRecord().file):
            self._current = body
            return _sw(0x9000)
        return _sw(0x6A82)

    def _read_record(self, record: int, p2: int, le: int | None) -> bytes:
        sfi = p2 >> 3
        if not self._in_ssse:
            return _sw(0x6A82)
        if sfi and not self.profile.sfi:
            return _sw(0x6A86)
        region = RegionRecord().file
        file = {0: self._current, 5: EF05, 6: EF06, region[1] & 0x1F: region}.get(sfi)
        if file is None:
            return _sw(0x6986 if sfi == 0 else 0x6A82)
        if (
            file == EF06
            and not self._authenticated
            and (self.profile.psam_only or (self.profile.ef06_needs_pin and not self._pin_ok))
        ):
            return _sw(0x6982)
        data = self._records.get((file, record))
        if data is None:
            return _sw(0x6A83)
        if le and le < len(data):
            return _sw(0x6C00 | len(data))
        if self.profile.get_response:
            self._pending = data
            return _sw(0x6100 | len(data))
        return _sw(0x9000, data)

    def _verify(self, body: bytes) -> bytes:
        if self.profile.psam_only or self.profile.pin is None:
            return _sw(0x6D00)
        if self.tries_left == 0:
            return _sw(0x6983)
        if body.hex().upper().rstrip("F") == self.profile.pin:
            self._pin_ok, self.tries_left = True, self.profile.pin_tries
            return _sw(0x9000)
        self._pin_ok = False
        self.tries_left -= 1
        return _sw(0x63C0 | self.tries_left)


class VpcdCard:
    """The virtual card in a vpcd reader: :meth:`insert`, then :meth:`remove` (or close).

    ``drop_at_apdu`` pulls the card out instead of answering that command APDU (1-based), for
    tests of a removal in the middle of a read.
    """

    def __init__(
        self,
        card: VirtualCard,
        *,
        host: str = VPCD_HOST,
        port: int = VPCD_PORT,
        drop_at_apdu: int | None = None,
        on_apdu: Callable[[int, bytes], None] | None = None,
    ) -> None:
        self.card = card
        self.host, self.port = host, port
        self.drop_at_apdu = drop_at_apdu
        self.on_apdu = on_apdu
        self.apdus = 0
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def inserted(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def insert(self, *, timeout_s: float = 5.0) -> None:
        """Connect to vpcd (retrying while pcscd starts) and serve in a thread."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
                break
            except OSError as error:
                if time.monotonic() >= deadline:
                    raise VirtualCardError(
                        f"无法连接虚拟读卡器驱动 vpcd（{self.host}:{self.port}）：请确认 pcscd "
                        f"已启动且已安装 vsmartcard-vpcd（{error}）"
                    ) from error
                time.sleep(0.1)
        sock.settimeout(None)
        # Without these every APDU waits for a delayed ACK (~40 ms).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket = sock
        self.card.reset()
        self._thread = threading.Thread(target=self._serve, name="vpcd-card", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        """Pull the card out (close the socket) and wait for the serving thread."""
        with self._lock:
            sock, self._socket = self._socket, None
        if sock is not None:
            _close(sock)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def wait(self, timeout_s: float | None = None) -> None:
        """Until the card is removed or vpcd closes the connection."""
        if self._thread is not None:
            self._thread.join(timeout_s)

    def __enter__(self) -> VpcdCard:
        self.insert()
        return self

    def __exit__(self, *_: object) -> None:
        self.remove()

    def _serve(self) -> None:
        sock = self._socket
        assert sock is not None
        try:
            while True:
                payload = _receive(sock)
                if payload is None:
                    return
                if len(payload) == 1:
                    if payload[0] == 4:
                        _send(sock, self.card.profile.atr)
                    elif payload[0] in (0, 2):
                        self.card.reset()
                    continue
                self.apdus += 1
                if self.on_apdu is not None:
                    self.on_apdu(self.apdus, payload)
                if self.drop_at_apdu is not None and self.apdus >= self.drop_at_apdu:
                    log.debug("virtual card pulled out at APDU %d", self.apdus)
                    with self._lock:
                        self._socket = None
                    _close(sock)
                    return
                _send(sock, self.card.respond(payload))
        except OSError:
            return  # closed by remove() or by vpcd


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


_QUICKACK = getattr(socket, "TCP_QUICKACK", None)  # Linux only


def _receive_exact(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        if _QUICKACK is not None:
            sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _receive(sock: socket.socket) -> bytes | None:
    header = _receive_exact(sock, 2)
    if header is None:
        return None
    return _receive_exact(sock, int.from_bytes(header, "big"))


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(len(payload).to_bytes(2, "big") + payload)


def vpcd_port(reader_index: int) -> int:
    """The vpcd port of reader ``Virtual PCD 00 0<index>`` (env MEDINS_VPCD_PORT moves the base)."""
    return int(os.environ.get("MEDINS_VPCD_PORT", VPCD_PORT)) + reader_index
