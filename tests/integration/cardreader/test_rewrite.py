"""改写参保地 through the real pcscd and vpcd: the write behind the security module, the card
checked to be the citizen's, the read-back, and a card pulled out in the middle."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medins_desk.cardreader import CardRemovedDuringRead
from medins_desk.cardreader.errors import CardMismatch, SecurityModuleRequired
from medins_desk.cardreader.layout import RegionRecord
from medins_desk.cardreader.pcsc import PcscCardReader
from medins_desk.cardreader.security import TrainingKeyAuthenticator, security_module
from medins_desk.cardreader.virtual import VirtualCard, demo_profile_dir, load_profile
from medins_desk.errors import ValidationError
from medins_desk.settings import Settings
from tests.helpers.pcsc import READER, PcscStack

LAYOUT = RegionRecord()
MODULE = TrainingKeyAuthenticator()


@pytest.fixture
def reader() -> Iterator[PcscCardReader]:
    reader = PcscCardReader()
    yield reader
    reader.close()


def _card(name: str = "ordinary") -> VirtualCard:
    return VirtualCard(load_profile(demo_profile_dir() / f"{name}.toml"))


def _region_on(card: VirtualCard) -> str:
    record = card._records[LAYOUT.file, LAYOUT.record]
    return record[2:].hex()


@pytest.mark.parametrize("name", ["ordinary", "psam"])
def test_the_region_is_written_and_read_back(
    pcsc_stack: PcscStack, reader: PcscCardReader, name: str
) -> None:
    card = _card(name)
    before = card.profile.insured_region
    pcsc_stack.insert(card)
    done = reader.rewrite_region(
        READER, id_number=card.profile.ssn, region="510107", layout=LAYOUT, authenticator=MODULE
    )
    assert (done.region_before, done.region_after, done.written) == (before, "510107", True)
    assert (done.card_number, done.card_id_code) == (
        card.profile.card_number,
        card.profile.card_id_code,
    )
    assert _region_on(card) == "510107"
    # Asked again, the card already holds it: reported, nothing written.
    again = reader.rewrite_region(
        READER, id_number=card.profile.ssn, region="510107", layout=LAYOUT, authenticator=MODULE
    )
    assert (again.region_before, again.written) == ("510107", False)


def test_no_security_module_writes_nothing(pcsc_stack: PcscStack, reader: PcscCardReader) -> None:
    card = _card()
    pcsc_stack.insert(card)
    with pytest.raises(SecurityModuleRequired, match="安全模块"):
        reader.rewrite_region(
            READER, id_number=card.profile.ssn, region="510107", layout=LAYOUT, authenticator=None
        )
    assert _region_on(card) == card.profile.insured_region
    with pytest.raises(ValidationError, match="安全模块只能是"):
        Settings(card_security_module="psam-of-another-vendor")
    assert security_module(Settings()) is None


def test_another_persons_card_is_refused_before_any_write(
    pcsc_stack: PcscStack, reader: PcscCardReader
) -> None:
    card = _card()
    pcsc_stack.insert(card)
    with pytest.raises(CardMismatch, match="不是当前参保人") as refused:
        reader.rewrite_region(
            READER, id_number="11010519491231002X", region="510107", layout=LAYOUT,
            authenticator=MODULE,
        )  # fmt: skip
    assert "1101051949" not in refused.value.message  # masked, as on every list
    assert _region_on(card) == card.profile.insured_region


def _apdus_of_a_rewrite(pcsc_stack: PcscStack, reader: PcscCardReader) -> list[bytes]:
    seen: list[bytes] = []
    card = _card()
    vpcd = pcsc_stack.insert(card, on_apdu=lambda _n, apdu: seen.append(apdu))
    reader.rewrite_region(
        READER, id_number=card.profile.ssn, region="510107", layout=LAYOUT, authenticator=MODULE
    )
    pcsc_stack.remove(vpcd)
    return seen


def test_a_card_pulled_at_any_step_is_whole_and_a_retry_completes(
    pcsc_stack: PcscStack, reader: PcscCardReader
) -> None:
    apdus = _apdus_of_a_rewrite(pcsc_stack, reader)
    update = next(i for i, apdu in enumerate(apdus, 1) if apdu[1] == 0xDC)
    for pulled_at in (update - 1, update, update + 1):  # before, at and after the write
        card = _card()
        vpcd = pcsc_stack.insert(card, drop_at_apdu=pulled_at)
        with pytest.raises(CardRemovedDuringRead):
            reader.rewrite_region(
                READER, id_number=card.profile.ssn, region="510107", layout=LAYOUT,
                authenticator=MODULE,
            )  # fmt: skip
        # Never half: the old region or the new one (a write that landed before the pull).
        assert _region_on(card) == ("510107" if pulled_at > update else card.profile.insured_region)
        pcsc_stack.remove(vpcd)
        pcsc_stack.insert(card)  # put back: the retry completes (or finds it done)
        done = reader.rewrite_region(
            READER, id_number=card.profile.ssn, region="510107", layout=LAYOUT,
            authenticator=MODULE,
        )  # fmt: skip
        assert done.region_after == "510107" and done.written == (pulled_at <= update)
        pcsc_stack.remove_all()
