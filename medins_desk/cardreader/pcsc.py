"""PC/SC access through pyscard: the only module that imports ``smartcard``.

Everything here runs in one thread, the card thread (asserted); only :meth:`cancel` may be
called from another to end a wait. Driver return codes are translated at this boundary into
the reader errors, and when a code does not say what happened (drivers differ) the reader's
state is looked at again: service gone, reader gone, card gone, or a transmission error.

Insertion and removal come from ``SCardGetStatusChange`` on every reader plus the PnP
pseudo-reader, so they are seen as soon as pcscd sees them; readers are re-listed on every
cycle, and a lost PC/SC context (pcscd restarted, the last reader unplugged) is established
again rather than ending the watch.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from smartcard import scard

from medins_desk.cardreader.data import CardData
from medins_desk.cardreader.errors import (
    CardReaderError,
    CardRemovedDuringRead,
    NoCard,
    NoReader,
    PcscServiceUnavailable,
    ReaderRemovedDuringRead,
    TransmissionError,
)
from medins_desk.cardreader.layout import RegionRecord
from medins_desk.cardreader.protocol import (
    CardAuthenticator,
    PinPrompt,
    RegionRewrite,
    read_card,
    rewrite_region,
)
from medins_desk.cardreader.reader import EventKind, ReaderEvent, ReaderState

_T = TypeVar("_T")

__all__ = ["PcscCardReader"]

log = logging.getLogger(__name__)

PNP_READER = "\\\\?PnP?\\Notification"
_SERVICE_GONE = frozenset(
    {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_E_INVALID_HANDLE}
)
_READER_GONE = frozenset(
    {
        scard.SCARD_E_NO_READERS_AVAILABLE,
        scard.SCARD_E_UNKNOWN_READER,
        scard.SCARD_E_READER_UNAVAILABLE,
    }
)
_CARD_GONE = frozenset({scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_REMOVED_CARD})
_SETTLE_S = 1.0  # how long to wait for pcscd to notice a removal after a failed transmit


def _code(hresult: int) -> str:
    return f"{scard.SCardGetErrorMessage(hresult)}（0x{hresult & 0xFFFFFFFF:08X}）"


class PcscCardReader:
    """读卡器 on the PC/SC service: made and used in the card thread, :meth:`close` at the end."""

    def __init__(self) -> None:
        self._context: int | None = None
        self._owner: threading.Thread | None = None
        self._known: dict[str, int] = {}  # reader -> last event state seen by the watcher
        self._service_up: bool | None = None
        self._cancelled = False  # set by cancel() from another thread: the wait ends early

    # -- context ---------------------------------------------------------------------------

    def _check_thread(self) -> None:
        current = threading.current_thread()
        if self._owner is None:
            self._owner = current
        assert self._owner is current, "pyscard is used from the card thread only"

    def _ensure_context(self) -> int:
        if self._context is None:
            hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if hresult != scard.SCARD_S_SUCCESS:
                raise PcscServiceUnavailable()
            self._context = context
        return self._context

    def _drop_context(self) -> None:
        if self._context is not None:
            scard.SCardReleaseContext(self._context)
            self._context = None

    def close(self) -> None:
        self._drop_context()

    def cancel(self) -> None:
        """End a wait in :meth:`next_events` or :meth:`wait_for_card` (any thread)."""
        self._cancelled = True
        context = self._context
        if context is not None:
            scard.SCardCancel(context)

    def _list_readers(self) -> list[str]:
        """Reader names; a stale context (pcscd restarted) is established again once."""
        for _attempt in range(2):
            context = self._ensure_context()
            hresult, readers = scard.SCardListReaders(context, [])
            if hresult == scard.SCARD_S_SUCCESS:
                return list(readers)
            if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
                return []
            self._drop_context()
            if hresult not in _SERVICE_GONE:
                raise TransmissionError(f"列出读卡器失败：{_code(hresult)}")
        raise PcscServiceUnavailable()

    def readers(self) -> list[str]:
        """读卡器列表: the readers PC/SC knows now."""
        self._check_thread()
        return self._list_readers()

    def _states(self, readers: list[str], timeout_ms: int = 0) -> dict[str, tuple[int, bytes]]:
        if not readers:
            return {}
        context = self._ensure_context()
        query = [(name, scard.SCARD_STATE_UNAWARE) for name in readers]
        hresult, states = scard.SCardGetStatusChange(context, timeout_ms, query)
        if hresult in _SERVICE_GONE:
            self._drop_context()
            raise PcscServiceUnavailable()
        if hresult != scard.SCARD_S_SUCCESS:
            raise TransmissionError(f"查询读卡器状态失败：{_code(hresult)}")
        return {name: (state, bytes(atr)) for name, state, atr in states}

    # -- readers and cards -------------------------------------------------------------------

    def reader_states(self) -> list[ReaderState]:
        self._check_thread()
        states = self._states(self._list_readers())
        return [
            ReaderState(
                name,
                bool(state & scard.SCARD_STATE_PRESENT),
                atr if state & scard.SCARD_STATE_PRESENT else b"",
                bool(state & (scard.SCARD_STATE_INUSE | scard.SCARD_STATE_EXCLUSIVE)),
            )
            for name, (state, atr) in states.items()
        ]

    def choose_reader(self, configured: str | None = None) -> str:
        """The configured reader, else the first with a card (NoReader / NoCard otherwise)."""
        states = self.reader_states()
        if configured:
            for state in states:
                if state.name == configured:
                    return configured
            raise NoReader(f"未找到设置的读卡器「{configured}」：请检查读卡器连接或设置")
        if not states:
            raise NoReader()
        for state in states:
            if state.card_present:
                return state.name
        raise NoCard()

    def wait_for_card(self, reader: str | None = None, *, timeout_s: float) -> str:
        """Block until a card is in ``reader`` (or any reader); its name, or NoReader/NoCard."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                return self.choose_reader(reader)
            except (NoCard, NoReader):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise
            self.next_events(min(remaining, 1.0))

    def read(
        self,
        reader: str | None = None,
        *,
        pin_prompt: PinPrompt | None = None,
        authenticator: CardAuthenticator | None = None,
        today: date | None = None,
    ) -> CardData:
        """读卡 inside one PC/SC transaction: exclusive access first, shared if refused."""
        return self._in_transaction(
            reader,
            lambda channel, atr: read_card(
                channel,
                atr=atr,
                today=today or date.today(),
                pin_prompt=pin_prompt,
                authenticator=authenticator,
            ),
        )

    def rewrite_region(
        self,
        reader: str | None = None,
        *,
        id_number: str,
        region: str,
        layout: RegionRecord,
        authenticator: CardAuthenticator | None,
    ) -> RegionRewrite:
        """改写参保地 inside one PC/SC transaction (see protocol.rewrite_region)."""
        return self._in_transaction(
            reader,
            lambda channel, _atr: rewrite_region(
                channel,
                id_number=id_number,
                region=region,
                layout=layout,
                authenticator=authenticator,
            ),
        )

    def _in_transaction(self, reader: str | None, work: Callable[[_Channel, bytes], _T]) -> _T:
        self._check_thread()
        name = reader or self.choose_reader()
        handle, protocol = self._connect(name)
        try:
            hresult = scard.SCardBeginTransaction(handle)
            if hresult != scard.SCARD_S_SUCCESS:
                raise self._failure(hresult, name, during_read=False)
            try:
                hresult, _reader, _state, _protocol, atr = scard.SCardStatus(handle)
                if hresult != scard.SCARD_S_SUCCESS:
                    raise self._failure(hresult, name, during_read=False)
                return work(_Channel(self, handle, protocol, name), bytes(atr))
            finally:
                scard.SCardEndTransaction(handle, scard.SCARD_LEAVE_CARD)
        finally:
            # A reset closes an authenticated or PIN-verified session: no other program finds
            # EF06 open or the card writable.
            scard.SCardDisconnect(handle, scard.SCARD_RESET_CARD)

    def _connect(self, name: str) -> tuple[int, int]:
        context = self._ensure_context()
        protocols = scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
        for share in (scard.SCARD_SHARE_EXCLUSIVE, scard.SCARD_SHARE_SHARED):
            hresult, handle, protocol = scard.SCardConnect(context, name, share, protocols)
            if hresult == scard.SCARD_S_SUCCESS:
                return handle, protocol
            if hresult != scard.SCARD_E_SHARING_VIOLATION:
                break
        if hresult == scard.SCARD_E_SHARING_VIOLATION:
            raise TransmissionError("读卡器正被其他程序独占使用：请关闭其他读卡程序后重试")
        if hresult == scard.SCARD_W_UNRESPONSIVE_CARD:
            raise TransmissionError("卡片无应答：请检查卡是否插反、芯片是否脏污或损坏")
        raise self._failure(hresult, name, during_read=False)

    def _failure(self, hresult: int, reader: str, *, during_read: bool) -> CardReaderError:
        """The reader error a failed call means, looking at the reader again when unsure
        (``hresult`` 0: the driver answered nothing, as vpcd does for a pulled card)."""
        log.debug("PC/SC call failed on %s: %s", reader, _code(hresult))
        if hresult in _SERVICE_GONE:
            self._drop_context()
        gone = self._what_is_gone(reader, hresult)
        if gone == "service":
            return PcscServiceUnavailable()
        if gone == "reader":
            return ReaderRemovedDuringRead() if during_read else NoReader()
        if gone == "card":
            return CardRemovedDuringRead() if during_read else NoCard()
        if hresult == scard.SCARD_S_SUCCESS:
            return TransmissionError("卡片应答不完整（少于2字节），请重新插卡再试")
        return TransmissionError(f"与卡通信失败：{_code(hresult)}，请重新插卡再试")

    def _what_is_gone(self, reader: str, hresult: int) -> str | None:
        try:
            if reader not in self._list_readers():
                return "reader"
            if hresult in _READER_GONE:
                return "reader"
            if hresult in _CARD_GONE:
                return "card"
            # pcscd notices a pulled card at its next poll: give it that long.
            state, _atr = self._states([reader])[reader]
            if state & scard.SCARD_STATE_PRESENT:
                context = self._ensure_context()
                query = [(reader, state & ~scard.SCARD_STATE_CHANGED)]
                scard.SCardGetStatusChange(context, int(_SETTLE_S * 1000), query)
                state, _atr = self._states([reader])[reader]
            if not state & scard.SCARD_STATE_PRESENT:
                return "card"
        except PcscServiceUnavailable:
            return "service"
        except CardReaderError:
            return None
        return None

    # -- watching ---------------------------------------------------------------------------

    def next_events(self, timeout_s: float) -> list[ReaderEvent]:
        """What changed since the last call, waiting up to ``timeout_s`` for something to.

        The first call reports the readers present and the cards already in them.
        """
        self._check_thread()
        self._cancelled = False
        deadline = time.monotonic() + max(timeout_s, 0.0)
        while True:
            events = self._watch_cycle(deadline)
            if events or self._cancelled or time.monotonic() >= deadline:
                return events

    def _watch_cycle(self, deadline: float) -> list[ReaderEvent]:
        events: list[ReaderEvent] = []
        try:
            readers = self._list_readers()
        except PcscServiceUnavailable:
            if self._service_up is not False:
                self._service_up = False
                events = [ReaderEvent(EventKind.READER_REMOVED, r) for r in self._known]
                self._known.clear()
                return [*events, ReaderEvent(EventKind.SERVICE_LOST)]
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))  # waiting for pcscd
            return []
        if self._service_up is False:
            events.append(ReaderEvent(EventKind.SERVICE_RESTORED))
        self._service_up = True
        for name in [r for r in self._known if r not in readers]:
            del self._known[name]
            events.append(ReaderEvent(EventKind.READER_REMOVED, name))
        for name in readers:
            if name not in self._known:
                self._known[name] = scard.SCARD_STATE_EMPTY
                events.append(ReaderEvent(EventKind.READER_ADDED, name))
        if events:
            # Report new readers at once; their cards show on the next (immediate) cycle.
            return events + self._card_changes(0)
        remaining_ms = int(max(0.0, deadline - time.monotonic()) * 1000)
        return self._card_changes(remaining_ms)

    def _card_changes(self, timeout_ms: int) -> list[ReaderEvent]:
        context = self._ensure_context()
        query = [(name, state) for name, state in self._known.items()]
        query.append((PNP_READER, len(self._known) << 16))
        hresult, states = scard.SCardGetStatusChange(context, timeout_ms, query)
        if hresult in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED):
            return []
        if hresult in _SERVICE_GONE:
            self._drop_context()
            return []  # the next cycle reports it
        if hresult == scard.SCARD_E_UNKNOWN_READER:
            return []  # a reader went away between listing and waiting: re-list
        if hresult != scard.SCARD_S_SUCCESS:
            log.warning("SCardGetStatusChange: %s", _code(hresult))
            return []
        events: list[ReaderEvent] = []
        for name, state, atr in states:
            if name == PNP_READER or name not in self._known:
                continue
            before = self._known[name]
            self._known[name] = state & ~scard.SCARD_STATE_CHANGED
            was, now = (
                bool(before & scard.SCARD_STATE_PRESENT),
                bool(state & scard.SCARD_STATE_PRESENT),
            )
            # The high word counts insertions and removals: a quick swap shows only there.
            swapped = was and now and (before >> 16) != (state >> 16) and (before >> 16) != 0
            if was and (not now or swapped):
                events.append(ReaderEvent(EventKind.CARD_REMOVED, name))
            if now and (not was or swapped):
                events.append(ReaderEvent(EventKind.CARD_INSERTED, name, bytes(atr)))
        return events


class _Channel:
    """APDUs to a connected card; a failed transmit becomes the reader error it means."""

    def __init__(self, owner: PcscCardReader, handle: int, protocol: int, reader: str) -> None:
        self._owner = owner
        self._handle = handle
        self._reader = reader
        self._pci = (
            scard.SCARD_PCI_T0 if protocol == scard.SCARD_PROTOCOL_T0 else scard.SCARD_PCI_T1
        )

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        hresult, response = scard.SCardTransmit(self._handle, self._pci, list(apdu))
        if hresult != scard.SCARD_S_SUCCESS:
            raise self._owner._failure(hresult, self._reader, during_read=True)
        if len(response) < 2:
            raise self._owner._failure(hresult, self._reader, during_read=True)
        return bytes(response[:-2]), (response[-2] << 8) | response[-1]
