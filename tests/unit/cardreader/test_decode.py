"""The record decoder and the read protocol, without pcscd: the virtual card is the channel."""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medins_desk.cardreader import MalformedRecord, PinWrong, TransmissionError, UnknownCard
from medins_desk.cardreader.decode import atr_historical_bytes, decode_record
from medins_desk.cardreader.layout import EF05_ITEMS, EF06_ITEMS, ItemSpec
from medins_desk.cardreader.protocol import read_card
from medins_desk.cardreader.virtual import (
    DEFAULT_ATR,
    CardProfile,
    VirtualCard,
    demo_profile_dir,
    load_profile,
)
from medins_desk.domain.identity import Sex

TODAY = date(2026, 11, 18)
SPECS = {spec.key: spec for spec in (*EF05_ITEMS, *EF06_ITEMS)}


def _profile(demo: str = "ordinary", **changes: object) -> CardProfile:
    profile = load_profile(demo_profile_dir() / f"{demo}.toml")
    return dataclasses.replace(profile, **changes)  # type: ignore[arg-type]


class CardChannel:
    """The virtual card's own APDU logic as a channel, with a log of what was sent."""

    def __init__(self, card: VirtualCard) -> None:
        self.card = card
        self.sent: list[bytes] = []

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.sent.append(apdu)
        answer = self.card.respond(apdu)
        return answer[:-2], int.from_bytes(answer[-2:], "big")


def test_decodes_items() -> None:
    assert decode_record(SPECS["issue_date"], bytes.fromhex("050420210601")) == date(2021, 6, 1)
    name = "张伟".encode("gbk").ljust(30, b"\x20")
    assert decode_record(SPECS["name"], bytes([0x09, 30]) + name) == "张伟"
    assert decode_record(SPECS["birthplace"], bytes.fromhex("0C03110105")) == "110105"
    assert decode_record(SPECS["birthplace"], bytes.fromhex("0C031101FF")) == "1101"
    assert decode_record(SPECS["ethnicity"], bytes.fromhex("0B0103")) == "03"
    assert decode_record(SPECS["card_number"], b"\x07\x09M00000019") == "M00000019"


@pytest.mark.parametrize(
    ("key", "data", "reason"),
    [
        ("issue_date", "0503202113", "应为 4 字节"),
        ("issue_date", "050420211340", "不存在"),
        ("issue_date", "0504202A0601", "BCD"),
        ("card_number", "0609M00000019", "标签"),
        ("card_number", "070AM00000019", "长度字节"),
        ("card_number", "0709m00000019", "不符合格式"),
        ("name", "0902FFFF", "GBK"),
    ],
)
def test_malformed_records(key: str, data: str, reason: str) -> None:
    text = key == "card_number"
    raw = bytes.fromhex(data[:4]) + data[4:].encode() if text else bytes.fromhex(data)
    with pytest.raises(MalformedRecord, match=reason):
        decode_record(SPECS[key], raw)


@given(spec=st.sampled_from(list(SPECS.values())), data=st.binary(max_size=64))
def test_random_responses_never_crash(spec: ItemSpec, data: bytes) -> None:
    with contextlib.suppress(MalformedRecord):
        decode_record(spec, data)


@given(spec=st.sampled_from(list(SPECS.values())), cut=st.integers(0, 40), data=st.data())
def test_truncated_records_are_malformed(spec: ItemSpec, cut: int, data: st.DataObject) -> None:
    record = VirtualCard(_profile())._records[spec.file, spec.record]
    cut = data.draw(st.integers(0, len(record) - 1))
    with pytest.raises(MalformedRecord):
        decode_record(spec, record[:cut])


def test_atr_historical_bytes() -> None:
    assert atr_historical_bytes(DEFAULT_ATR).hex() == "805100611030"
    assert atr_historical_bytes(b"") == b""


def test_full_read_sends_fourteen_apdus() -> None:
    channel = CardChannel(VirtualCard(_profile()))
    data = read_card(channel, atr=DEFAULT_ATR, today=TODAY)
    assert data.apdu_count == len(channel.sent) == 14
    assert (data.name, data.sex, data.ethnicity) == ("张伟", Sex.MALE, "汉族")


def test_wrong_le_is_repeated_with_the_cards_length() -> None:
    class ShortLe(CardChannel):
        def transmit(self, apdu: bytes) -> tuple[bytes, int]:
            if apdu[1] == 0xB2 and len(self.sent) == 1:
                apdu = apdu[:4] + b"\x01"  # as if the reader had sent Le 01: the card says 6Cxx
            return super().transmit(apdu)

    channel = ShortLe(VirtualCard(_profile()))
    assert read_card(channel, atr=DEFAULT_ATR, today=TODAY).card_number == "X00000019"
    assert channel.sent[2][4] == 18  # 6C12: repeated with the record's length


def test_get_response_and_select_by_fid() -> None:
    channel = CardChannel(VirtualCard(_profile(sfi=False, get_response=True)))
    data = read_card(channel, atr=DEFAULT_ATR, today=TODAY)
    assert data.ssn == "110105198005170033"
    assert any(apdu[1] == 0xC0 for apdu in channel.sent)
    assert any(apdu[:3] == b"\x00\xa4\x02" for apdu in channel.sent)


def test_disagreements_are_reported_not_hidden() -> None:
    profile = _profile(sex=Sex.FEMALE, birth_date=date(1980, 5, 18), card_number="M00000018")
    data = read_card(CardChannel(VirtualCard(profile)), atr=DEFAULT_ATR, today=TODAY)
    codes = sorted(n.code for n in data.notices)
    assert codes == ["card_check", "card_ssn_disagrees", "card_ssn_disagrees"]
    assert data.sex is Sex.FEMALE  # the card's own value is kept


def test_long_name_uses_the_extension_record() -> None:
    name = "阿卜杜热合曼·买买提依明·艾力江"
    card = VirtualCard(_profile(name=name, chip_name=name))
    data = read_card(CardChannel(card), atr=DEFAULT_ATR, today=TODAY)
    assert data.name == name


def test_errors_of_the_protocol() -> None:
    class Refusing(VirtualCard):
        def respond(self, apdu: bytes) -> bytes:
            return b"\x6a\x82" if apdu[1] == 0xA4 else super().respond(apdu)

    with pytest.raises(UnknownCard):
        read_card(CardChannel(Refusing(_profile())), atr=DEFAULT_ATR, today=TODAY)
    card = VirtualCard(_profile("pin"))
    with pytest.raises(PinWrong) as wrong:
        read_card(CardChannel(card), atr=DEFAULT_ATR, today=TODAY, pin_prompt=lambda _t: "1111")
    assert wrong.value.tries_left == 2 and wrong.value.exit_code == 19

    class Broken(VirtualCard):
        def respond(self, apdu: bytes) -> bytes:
            return b"\x6f\x00" if apdu[1] == 0xB2 else super().respond(apdu)

    with pytest.raises(TransmissionError, match="6F00"):
        read_card(CardChannel(Broken(_profile())), atr=DEFAULT_ATR, today=TODAY)


@given(st.lists(st.binary(max_size=40), min_size=1, max_size=30))
def test_random_card_answers_never_crash_a_read(answers: list[bytes]) -> None:
    """Whatever a (broken) card answers, a read returns data or raises a reader error."""
    from medins_desk.cardreader import CardReaderError
    from medins_desk.errors import ValidationError

    replies = iter(answers)

    class Random:
        def transmit(self, apdu: bytes) -> tuple[bytes, int]:
            answer = next(replies, b"\x90\x00")
            return answer[:-2], int.from_bytes(answer[-2:].rjust(2, b"\x00"), "big")

    with contextlib.suppress(CardReaderError, ValidationError):
        read_card(Random(), atr=DEFAULT_ATR, today=TODAY)
