"""Hostile cards through the real pcscd and vpcd: a card that answers garbage, truncated or
mutated records, wrong lengths and endless 61xx/6Cxx loops. A read returns data or the reader's
own error with a Chinese message; it never hangs and never raises anything else.

Every answer keeps at least its two status bytes: vpcd cannot carry a shorter one (pcscd then
waits for ever in SCardTransmit, as no real reader driver does), so no answer here is shorter;
the reader refuses one where pyscard hands it over."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from medins_desk.cardreader import CardReaderError
from medins_desk.cardreader.pcsc import PcscCardReader
from medins_desk.cardreader.virtual import VirtualCard, demo_profile_dir, load_profile
from medins_desk.errors import UserFacingError
from tests.helpers.pcsc import READER, PcscStack

TODAY = date(2026, 11, 18)
_CJK = re.compile(r"[\u4e00-\u9fff]")
PROFILE = load_profile(demo_profile_dir() / "ordinary.toml")


class MutatingCard(VirtualCard):
    """The demo card, except that the ``at``-th answer is replaced (``None``: left alone),
    truncated to ``keep`` bytes, or has ``flip`` XORed into one byte."""

    def __init__(self, at: int, replace: bytes | None, keep: int | None, flip: int) -> None:
        super().__init__(PROFILE)
        self.at, self.replace, self.keep, self.flip = at, replace, keep, flip
        self.count = 0

    def respond(self, apdu: bytes) -> bytes:
        answer = super().respond(apdu)
        self.count += 1
        if self.count != self.at:
            return answer
        if self.replace is not None:
            return self.replace
        if self.keep is not None:
            return answer[: self.keep]
        if answer:
            index = self.flip % len(answer)
            answer = (
                answer[:index] + bytes([answer[index] ^ (self.flip >> 8 | 1)]) + answer[index + 1 :]
            )
        return answer


class LoopingCard(VirtualCard):
    """A card that answers every command with the same status word, for ever."""

    def __init__(self, sw: bytes) -> None:
        super().__init__(PROFILE)
        self.sw = sw

    def respond(self, apdu: bytes) -> bytes:
        return self.sw


@pytest.fixture
def reader() -> Iterator[PcscCardReader]:
    reader = PcscCardReader()
    yield reader
    reader.close()


def _read_or_own_error(pcsc_stack: PcscStack, reader: PcscCardReader, card: VirtualCard) -> None:
    vpcd = pcsc_stack.insert(card)
    try:
        reader.read(READER, pin_prompt=lambda _tries: PROFILE.pin, today=TODAY)
    except UserFacingError as error:
        assert _CJK.search(error.message), error.message
    finally:
        pcsc_stack.remove(vpcd)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    at=st.integers(1, 16),
    replace=st.one_of(st.none(), st.binary(min_size=2, max_size=40)),
    keep=st.one_of(st.none(), st.integers(2, 40)),
    flip=st.integers(0, 0xFFFF),
)
@example(at=3, replace=b"\x90\x00", keep=None, flip=0)  # success with no data
@example(at=5, replace=b"\x6c\x00", keep=None, flip=0)  # asks for Le 0
@example(at=5, replace=None, keep=3, flip=0)  # a record cut inside its TLV
def test_a_mutated_answer_through_pcscd_reads_or_fails_in_chinese(
    pcsc_stack: PcscStack,
    reader: PcscCardReader,
    at: int,
    replace: bytes | None,
    keep: int | None,
    flip: int,
) -> None:
    _read_or_own_error(pcsc_stack, reader, MutatingCard(at, replace, keep, flip))


@pytest.mark.parametrize("sw", [b"\x61\x10", b"\x6c\x20", b"\x61\x00", b"\x6c\x00"])
def test_an_endless_status_loop_ends_in_a_reader_error(
    pcsc_stack: PcscStack, reader: PcscCardReader, sw: bytes
) -> None:
    vpcd = pcsc_stack.insert(LoopingCard(sw))
    try:
        with pytest.raises(CardReaderError) as caught:
            reader.read(READER, today=TODAY)
    finally:
        pcsc_stack.remove(vpcd)
    assert _CJK.search(caught.value.message)
    assert vpcd.apdus < 40  # bounded, not for ever
