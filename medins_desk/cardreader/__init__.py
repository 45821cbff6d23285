"""Reading the 社会保障卡 through PC/SC (读卡), and the virtual card for tests and training.

Import :mod:`medins_desk.cardreader.pcsc` for the real reader (it loads pyscard); the rest
(layout, decoding, ``CardData``, errors, the virtual card) needs no PC/SC library.
"""

from __future__ import annotations

from medins_desk.cardreader.data import JSON_KEYS, CardData
from medins_desk.cardreader.errors import (
    CardReaderError,
    CardRemovedDuringRead,
    MalformedRecord,
    NoCard,
    NoReader,
    PcscServiceUnavailable,
    PinBlocked,
    PinWrong,
    ReaderRemovedDuringRead,
    TransmissionError,
    UnknownCard,
)
from medins_desk.cardreader.protocol import CardAuthenticator, CardChannel, PinPrompt
from medins_desk.cardreader.reader import CardReader, EventKind, ReaderEvent, ReaderState

__all__ = [
    "JSON_KEYS",
    "CardAuthenticator",
    "CardChannel",
    "CardData",
    "CardReader",
    "CardReaderError",
    "CardRemovedDuringRead",
    "EventKind",
    "MalformedRecord",
    "NoCard",
    "NoReader",
    "PcscServiceUnavailable",
    "PinBlocked",
    "PinPrompt",
    "PinWrong",
    "ReaderEvent",
    "ReaderRemovedDuringRead",
    "ReaderState",
    "TransmissionError",
    "UnknownCard",
]
