"""Reading virtual cards through the real pcscd and vpcd driver (no mock of PC/SC)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest

from medins_desk.cardreader import (
    CardRemovedDuringRead,
    EventKind,
    NoCard,
    NoReader,
    PcscServiceUnavailable,
    PinBlocked,
    PinWrong,
    UnknownCard,
)
from medins_desk.cardreader.pcsc import PcscCardReader
from medins_desk.cardreader.virtual import VirtualCard, demo_profile_dir, load_profile
from tests.helpers.pcsc import DEMO_PROFILES, READER, PcscStack

TODAY = date(2026, 11, 18)


@pytest.fixture
def reader() -> Iterator[PcscCardReader]:
    reader = PcscCardReader()
    yield reader
    reader.close()


@pytest.mark.parametrize("name", DEMO_PROFILES)
def test_reads_each_demo_profile(pcsc_stack: PcscStack, reader: PcscCardReader, name: str) -> None:
    profile = load_profile(demo_profile_dir() / f"{name}.toml")
    pcsc_stack.insert(name)
    data = reader.read(READER, pin_prompt=lambda _tries: profile.pin, today=TODAY)
    assert data.card_number == profile.card_number
    assert data.card_id_code == profile.card_id_code
    assert data.issue_date == profile.issue_date and data.expiry_date == profile.expiry_date
    assert data.expired == (profile.expiry_date < TODAY)
    assert data.notices == ()
    if profile.psam_only:
        assert not data.ef06_available and data.ssn is None and data.name is None
        assert data.ef06_refusal
        return
    assert data.ef06_available
    assert (data.ssn, data.sex, data.birth_date) == (profile.ssn, profile.sex, profile.birth_date)
    assert data.name == profile.chip_name  # a rare character reads as the chip's stand-in
    assert data.apdu_count == (16 if profile.ef06_needs_pin else 14)


def test_expired_card_is_read_and_flagged(pcsc_stack: PcscStack, reader: PcscCardReader) -> None:
    pcsc_stack.insert("expired")
    data = reader.read(READER, today=TODAY)
    assert data.expired and data.name == "王秀英"


def test_pin_right_wrong_blocked(pcsc_stack: PcscStack, reader: PcscCardReader) -> None:
    pcsc_stack.insert("pin")
    assert reader.read(READER, pin_prompt=lambda _t: "123456", today=TODAY).name == "欧阳娜娜"
    with pytest.raises(PinWrong, match="还可尝试 2 次") as wrong:
        reader.read(READER, pin_prompt=lambda _t: "000000", today=TODAY)
    assert wrong.value.tries_left == 2
    with pytest.raises(PinWrong, match="还可尝试 1 次"):
        reader.read(READER, pin_prompt=lambda _t: "000000", today=TODAY)
    with pytest.raises(PinBlocked, match="密码已锁定"):
        reader.read(READER, pin_prompt=lambda _t: "000000", today=TODAY)
    with pytest.raises(PinBlocked):  # the right PIN no longer helps
        reader.read(READER, pin_prompt=lambda _t: "123456", today=TODAY)


def test_no_pin_yields_ef05_only(pcsc_stack: PcscStack, reader: PcscCardReader) -> None:
    pcsc_stack.insert("pin")
    data = reader.read(READER, pin_prompt=lambda _t: None, today=TODAY)
    assert data.card_number == "X00000051" and not data.ef06_available and data.name is None


def test_t0_style_card_without_sfi(pcsc_stack: PcscStack, reader: PcscCardReader) -> None:
    profile = load_profile(demo_profile_dir() / "ordinary.toml")
    quirky = VirtualCard(
        profile.__class__(**{**profile.__dict__, "sfi": False, "get_response": True})
    )
    pcsc_stack.insert(quirky)
    data = reader.read(READER, today=TODAY)
    assert data.name == "张伟" and data.card_number == "X00000019"
    assert data.apdu_count > 14  # SELECT by FID and GET RESPONSE cost extra APDUs


def test_card_removed_mid_read(pcsc_stack: PcscStack, reader: PcscCardReader) -> None:
    pcsc_stack.insert("ordinary", drop_at_apdu=5)
    with pytest.raises(CardRemovedDuringRead, match="读卡过程中卡被拔出"):
        reader.read(READER, today=TODAY)


def test_unknown_card(pcsc_stack: PcscStack, reader: PcscCardReader) -> None:
    class BankCard(VirtualCard):
        def respond(self, apdu: bytes) -> bytes:
            return b"\x6a\x82"  # no social security environment

    pcsc_stack.insert(BankCard(load_profile(demo_profile_dir() / "ordinary.toml")))
    with pytest.raises(UnknownCard, match="不是社会保障卡"):
        reader.read(READER, today=TODAY)


def test_no_card(pcsc_stack: PcscStack, reader: PcscCardReader) -> None:
    with pytest.raises(NoCard, match="没有卡"):
        reader.read(today=TODAY)
    with pytest.raises(NoCard):
        reader.read(READER, today=TODAY)


def test_no_reader(pcsc_stack: PcscStack, reader: PcscCardReader) -> None:
    pcsc_stack.restart(readers=False)
    with pytest.raises(NoReader, match="未检测到读卡器"):
        reader.read(today=TODAY)
    with pytest.raises(NoReader, match="未找到设置的读卡器"):
        reader.choose_reader(READER)


def test_pcscd_not_running(pcsc_stack: PcscStack, reader: PcscCardReader) -> None:
    pcsc_stack.restart()
    pcsc_stack.stop()
    with pytest.raises(PcscServiceUnavailable, match="智能卡服务未运行"):
        reader.read(today=TODAY)


def test_insertion_and_removal_events(pcsc_stack: PcscStack, reader: PcscCardReader) -> None:
    first = reader.next_events(0.5)
    assert {e.kind for e in first} == {EventKind.READER_ADDED}
    card = pcsc_stack.insert("ordinary")  # returns once pcscd reports the card
    started = time.monotonic()
    events = reader.next_events(2.0)
    assert time.monotonic() - started < 0.2
    assert [(e.kind, e.reader) for e in events] == [(EventKind.CARD_INSERTED, READER)]
    assert events[0].atr.hex().upper().startswith("3BD6")
    assert reader.read(events[0].reader, today=TODAY).name == "张伟"
    pcsc_stack.remove(card)
    started = time.monotonic()
    events = reader.next_events(2.0)
    assert time.monotonic() - started < 0.2
    assert [e.kind for e in events] == [EventKind.CARD_REMOVED]
    assert reader.next_events(0.1) == []


def test_watcher_survives_pcscd_restart(pcsc_stack: PcscStack, reader: PcscCardReader) -> None:
    reader.next_events(0.2)
    pcsc_stack.restart(readers=False)
    kinds = [e.kind for e in reader.next_events(2.0)]
    assert EventKind.READER_REMOVED in kinds or EventKind.SERVICE_LOST in kinds
    pcsc_stack.restart(readers=True)
    seen: list[EventKind] = []
    deadline = time.monotonic() + 5
    while EventKind.READER_ADDED not in seen and time.monotonic() < deadline:
        seen += [e.kind for e in reader.next_events(1.0)]
    assert EventKind.READER_ADDED in seen
    pcsc_stack.insert("minor")
    assert reader.read(READER, today=TODAY).name == "李小雨"
