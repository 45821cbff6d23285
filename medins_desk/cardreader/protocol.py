"""The 社会保障卡 read: SELECT SSSE, EF05 and EF06 records, the PIN, over any APDU channel; and
the one write the counter makes, the insuring region after a move (改写参保地).

Records are read by short file identifier (one APDU each); a card that refuses SFI reads gets
SELECT EF by FID (P1 02, then 00) and reads of the current file. 61xx is fetched with GET
RESPONSE, 6Cxx repeated with the card's Le. Every failure raises: a partial read never returns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from medins_desk.cardreader.data import CardData, build_card_data
from medins_desk.cardreader.decode import decode_record
from medins_desk.cardreader.errors import (
    CardMismatch,
    MalformedRecord,
    PinBlocked,
    PinWrong,
    SecurityModuleRequired,
    TransmissionError,
    UnknownCard,
    WriteNotVerified,
)
from medins_desk.cardreader.layout import (
    EF05_ITEMS,
    EF06_ITEMS,
    SW_OK,
    ItemSpec,
    RegionRecord,
    get_response,
    read_record,
    select_ef,
    select_ssse,
    update_record,
    verify_pin,
)
from medins_desk.errors import ValidationError

__all__ = [
    "CardAuthenticator",
    "CardChannel",
    "PinPrompt",
    "RegionRewrite",
    "read_card",
    "rewrite_region",
]

log = logging.getLogger(__name__)

SW_SECURITY = 0x6982  # security status not satisfied
SW_PIN_BLOCKED = 0x6983
SW_NO_RECORD = 0x6A83
# Answers of a card that does not know the SSSE (or any such application).
_NOT_SSSE = frozenset({0x6A82, 0x6A81, 0x6A86, 0x6A87, 0x6D00, 0x6E00, 0x6999, 0x6A88})
# Answers of a card that will not read by short file identifier.
_NO_SFI = frozenset({0x6A82, 0x6A86, 0x6981, 0x6A81, 0x6B00, 0x6D00})
_MAX_CHAIN = 16  # GET RESPONSE rounds for one record; a real record needs one at most

# Called with the tries left when the card said so (None the first time); None cancels.
PinPrompt = Callable[[int | None], str | None]


class CardChannel(Protocol):
    """An open connection to the card: one APDU in, (data, status word) out."""

    def transmit(self, apdu: bytes) -> tuple[bytes, int]: ...


class CardAuthenticator(Protocol):
    """安全模块认证: a hall's PSAM or HSM opening EF06 of 3rd-generation cards (RKSSSE key)."""

    def authenticate(self, channel: CardChannel, *, card_id_code: str) -> bool: ...


class _Session:
    """One read: counts APDUs and remembers how each file is addressed."""

    def __init__(self, channel: CardChannel) -> None:
        self.channel = channel
        self.apdus = 0
        self.pin_verified = False
        self._by_fid: set[bytes] = set()  # files read through SELECT (the card refused SFI)
        self._selected: bytes | None = None

    def send(self, apdu: bytes) -> tuple[bytes, int]:
        self.apdus += 1
        return self.channel.transmit(apdu)

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """A counted channel for a :class:`CardAuthenticator`."""
        return self.send(apdu)

    def exchange(self, apdu: bytes) -> tuple[bytes, int]:
        data, sw = self.send(apdu)
        if sw >> 8 == 0x6C:  # wrong Le (T=0): repeat with the length the card asks for
            data, sw = self.send(apdu[:4] + bytes([sw & 0xFF]))
        rounds = 0
        while sw >> 8 == 0x61:  # more data waiting: GET RESPONSE
            rounds += 1
            if rounds > _MAX_CHAIN:
                raise TransmissionError("卡片应答数据过长（GET RESPONSE 次数超限），请重新插卡")
            more, sw = self.send(get_response(sw & 0xFF))
            data += more
        return data, sw

    def select_file(self, fid: bytes) -> None:
        for p1 in (0x02, 0x00):  # some cards want P1 = 00
            _, sw = self.send(select_ef(fid, p1=p1))
            if sw == SW_OK or sw >> 8 == 0x61:
                self._by_fid.add(fid)
                self._selected = fid
                return
        raise TransmissionError(f"无法选择卡内文件 {fid.hex().upper()}（状态字 {sw:04X}）")

    def read(self, spec: ItemSpec) -> tuple[bytes, int]:
        le = spec.size + 2
        if spec.file not in self._by_fid:
            data, sw = self.exchange(read_record(spec.record, sfi=spec.sfi, le=le))
            if sw not in _NO_SFI:
                return data, sw
            log.debug("card refused SFI read of %s (%04X): selecting by FID", spec.where, sw)
        if self._selected != spec.file:
            self.select_file(spec.file)
        return self.exchange(read_record(spec.record, sfi=None, le=le))


def _item(session: _Session, spec: ItemSpec, data: bytes, sw: int) -> Any:
    if sw == SW_OK:
        return decode_record(spec, data)
    if sw == SW_NO_RECORD:
        if spec.optional:
            return None
        raise MalformedRecord(spec.where, "卡内没有此记录")
    raise TransmissionError(f"读取{spec.where}失败（状态字 {sw:04X}）")


def _check_pin(pin: str) -> str:
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        raise ValidationError("pin", "社会保障卡密码应为4-12位数字")
    return pin


def _unlock_holder_file(
    session: _Session,
    *,
    card_id_code: str,
    pin_prompt: PinPrompt | None,
    authenticator: CardAuthenticator | None,
) -> str | None:
    """Open EF06 after 6982; None when open, else why the holder items stay unread."""
    if authenticator is not None and authenticator.authenticate(session, card_id_code=card_id_code):
        return None
    if pin_prompt is None:
        return "卡片要求安全模块认证或持卡人密码，未读取持卡人信息"
    pin = pin_prompt(None)
    if pin is None:
        return "未输入持卡人密码，未读取持卡人信息"
    _, sw = session.send(verify_pin(_check_pin(pin)))
    if sw == SW_OK:
        session.pin_verified = True
        return None
    if sw >> 4 == 0x63C:
        tries = sw & 0x0F
        raise PinBlocked() if tries == 0 else PinWrong(tries)
    if sw == SW_PIN_BLOCKED:
        raise PinBlocked()
    return f"此卡不接受持卡人密码（状态字 {sw:04X}），需要安全模块认证，未读取持卡人信息"


def _select_ssse(session: _Session) -> None:
    _, sw = session.send(select_ssse())
    if sw in _NOT_SSSE:
        raise UnknownCard()
    if sw != SW_OK and sw >> 8 != 0x61:  # 61xx: FCI waiting, which nothing here needs
        raise TransmissionError(f"选择社会保障应用失败（状态字 {sw:04X}）")


def read_card(
    channel: CardChannel,
    *,
    atr: bytes,
    today: date,
    pin_prompt: PinPrompt | None = None,
    authenticator: CardAuthenticator | None = None,
) -> CardData:
    """读卡: the EF05 items, and the EF06 items when the card (or its PIN) allows."""
    session = _Session(channel)
    _select_ssse(session)
    items: dict[str, Any] = {}
    for spec in EF05_ITEMS:
        items[spec.key] = _item(session, spec, *session.read(spec))
    refusal: str | None = None
    first, *rest = EF06_ITEMS
    data, sw = session.read(first)
    if sw == SW_SECURITY:
        refusal = _unlock_holder_file(
            session,
            card_id_code=items["card_id_code"],
            pin_prompt=pin_prompt,
            authenticator=authenticator,
        )
        if refusal is None:
            data, sw = session.read(first)
    if refusal is None:
        holder = {first.key: _item(session, first, data, sw)}
        for spec in rest:
            value = _item(session, spec, *session.read(spec))
            if value is not None:
                holder[spec.key] = value
        items.update(holder)
    return build_card_data(
        items, atr=atr, today=today, ef06_refusal=refusal, apdu_count=session.apdus
    )


@dataclass(frozen=True)
class RegionRewrite:
    """改写参保地: the card, and its insuring region before and as read back after the write."""

    card_id_code: str
    card_number: str
    ssn: str
    region_before: str
    region_after: str
    written: bool  # False: the card held the region already (an earlier write had landed)


def rewrite_region(
    channel: CardChannel,
    *,
    id_number: str,
    region: str,
    layout: RegionRecord,
    authenticator: CardAuthenticator | None,
) -> RegionRewrite:
    """Write ``region`` to the card of the citizen ``id_number`` and read it back.

    The card must be theirs (EF06 社会保障号码) before anything is written; the write is one
    UPDATE RECORD, so a card pulled out leaves the old region or the new one, never half; the
    read-back decides, and a card that already holds ``region`` is reported, not written."""
    session = _Session(channel)
    _select_ssse(session)
    card: dict[str, Any] = {}
    for spec in EF05_ITEMS:
        if spec.key in ("card_id_code", "card_number"):
            card[spec.key] = _item(session, spec, *session.read(spec))
    if authenticator is None or not authenticator.authenticate(
        session, card_id_code=card["card_id_code"]
    ):
        raise SecurityModuleRequired()
    ssn = _item(session, EF06_ITEMS[0], *session.read(EF06_ITEMS[0]))
    if ssn != id_number:
        raise CardMismatch(ssn, id_number)
    before = _item(session, layout.spec, *session.read(layout.spec)) or ""
    written = before != region
    if written:
        session.select_file(layout.file)
        _, sw = session.send(update_record(layout.record, layout.tlv(region)))
        if sw == SW_SECURITY:
            raise SecurityModuleRequired()
        if sw != SW_OK:
            raise TransmissionError(f"改写卡片失败（状态字 {sw:04X}）：卡片未改写")
    after = _item(session, layout.spec, *session.read(layout.spec)) or ""
    if after != region:
        raise WriteNotVerified(after, region)
    return RegionRewrite(card["card_id_code"], card["card_number"], ssn, before, after, written)
