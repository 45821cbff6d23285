"""Benchmark: from the insertion event to a decoded CardData on pcscd + vpcd.

Compared, interleaved in the same run, with a bare pyscard script sending the same APDUs
(connect, transaction, the APDUs the reader sent, disconnect) on the same card. Needs pcscd
running with the vpcd driver (installer/dev-setup.sh bench-card starts it). Exit 1 on a miss.

    python tests/bench/cardread.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date

from smartcard import scard

from medins_desk.cardreader.pcsc import PcscCardReader
from medins_desk.cardreader.protocol import read_card
from medins_desk.cardreader.virtual import VirtualCard, VpcdCard, demo_profile_dir, load_profile

READER = "Virtual PCD 00 00"
TARGET_MS, TARGET_RATIO = 60.0, 1.5


class _Recorder:
    def __init__(self, card: VirtualCard) -> None:
        self.card, self.sent = card, []  # type: ignore[var-annotated]

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.sent.append(apdu)
        answer = self.card.respond(apdu)
        return answer[:-2], int.from_bytes(answer[-2:], "big")


def bare_read(context: int, apdus: list[bytes]) -> None:
    protocols = scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
    hresult, handle, protocol = scard.SCardConnect(
        context, READER, scard.SCARD_SHARE_EXCLUSIVE, protocols
    )
    assert hresult == 0, scard.SCardGetErrorMessage(hresult)
    scard.SCardBeginTransaction(handle)
    pci = scard.SCARD_PCI_T1 if protocol == scard.SCARD_PROTOCOL_T1 else scard.SCARD_PCI_T0
    for apdu in apdus:
        hresult, response = scard.SCardTransmit(handle, pci, list(apdu))
        assert hresult == 0 and response[-2:] == [0x90, 0x00]
    scard.SCardEndTransaction(handle, scard.SCARD_LEAVE_CARD)
    scard.SCardDisconnect(handle, scard.SCARD_RESET_CARD)


def wait_inserted(context: int, known: int) -> int:
    while True:
        hresult, states = scard.SCardGetStatusChange(context, 5000, [(READER, known)])
        assert hresult == 0, scard.SCardGetErrorMessage(hresult)
        state = states[0][1]
        if state & scard.SCARD_STATE_PRESENT:
            return state & ~scard.SCARD_STATE_CHANGED
        known = state & ~scard.SCARD_STATE_CHANGED


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    profile = load_profile(demo_profile_dir() / "ordinary.toml")
    recorder = _Recorder(VirtualCard(profile))
    read_card(recorder, atr=profile.atr, today=date.today())
    apdus = list(recorder.sent)
    reader = PcscCardReader()
    reader.next_events(0.2)
    _, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    ours: list[float] = []
    bare: list[float] = []
    for _round in range(args.rounds):
        for side in ("ours", "bare"):
            card = VpcdCard(VirtualCard(profile))
            card.insert()
            if side == "ours":
                events = reader.next_events(5.0)  # returns on the insertion event
                start = time.perf_counter()
                assert events and events[-1].kind == "card_inserted", events
                data = reader.read(events[-1].reader)
                ours.append((time.perf_counter() - start) * 1000)
                assert data.name == profile.chip_name
            else:
                wait_inserted(context, scard.SCARD_STATE_EMPTY)
                start = time.perf_counter()
                bare_read(context, apdus)
                bare.append((time.perf_counter() - start) * 1000)
            card.remove()
            if side == "ours":
                while not any(e.kind == "card_removed" for e in reader.next_events(5.0)):
                    pass
            else:
                known = scard.SCARD_STATE_PRESENT
                while True:
                    _, states = scard.SCardGetStatusChange(context, 5000, [(READER, known)])
                    if states[0][1] & scard.SCARD_STATE_EMPTY:
                        break
                    known = states[0][1] & ~scard.SCARD_STATE_CHANGED
    ours_ms, bare_ms = statistics.median(ours), statistics.median(bare)
    ratio = ours_ms / bare_ms
    print(f"APDUs in a full read: {len(apdus)}")
    print(f"insertion event -> CardData: median {ours_ms:.2f} ms (target < {TARGET_MS:.0f} ms)")
    print(f"bare pyscard, same APDUs:    median {bare_ms:.2f} ms")
    print(f"ratio: {ratio:.2f}x (target <= {TARGET_RATIO}x), {args.rounds} rounds each")
    return 0 if ours_ms < TARGET_MS and ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
