"""What the application needs from a card reader, whatever implements it (读卡器接口).

``medins_desk.cardreader.pcsc.PcscCardReader`` is the real one; a GUI test may put a fake behind
the same protocol. Events come from :meth:`CardReader.next_events`, called in the card thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from medins_desk.cardreader.data import CardData
from medins_desk.cardreader.layout import RegionRecord
from medins_desk.cardreader.protocol import CardAuthenticator, PinPrompt, RegionRewrite

__all__ = ["CardReader", "EventKind", "ReaderEvent", "ReaderState"]


class EventKind(StrEnum):
    READER_ADDED = "reader_added"
    READER_REMOVED = "reader_removed"
    CARD_INSERTED = "card_inserted"
    CARD_REMOVED = "card_removed"
    SERVICE_LOST = "service_lost"  # pcscd stopped: the watcher keeps trying
    SERVICE_RESTORED = "service_restored"


@dataclass(frozen=True)
class ReaderEvent:
    kind: EventKind
    reader: str = ""
    atr: bytes = b""


@dataclass(frozen=True)
class ReaderState:
    """A reader as the diagnostics page lists it."""

    name: str
    card_present: bool
    atr: bytes
    in_use: bool


class CardReader(Protocol):
    def reader_states(self) -> list[ReaderState]: ...

    def read(
        self,
        reader: str | None = None,
        *,
        pin_prompt: PinPrompt | None = None,
        authenticator: CardAuthenticator | None = None,
        today: date | None = None,
    ) -> CardData: ...

    def rewrite_region(
        self,
        reader: str | None = None,
        *,
        id_number: str,
        region: str,
        layout: RegionRecord,
        authenticator: CardAuthenticator | None,
    ) -> RegionRewrite: ...

    def next_events(self, timeout_s: float) -> list[ReaderEvent]: ...

    def cancel(self) -> None: ...
