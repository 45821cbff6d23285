"""读卡: the card reader watched on its own thread; the GUI hears of cards through signals.

pyscard is used from this one thread only (the reader checks it). A card inserted anywhere is
read at once and handed to the main window, which opens the person and flags a lost card; a card
that wants its PIN asks through :attr:`CardWatch.pin_wanted`, answered by :meth:`provide_pin`.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

from PySide6.QtCore import QObject, Signal

from medins_desk.cardreader import CardData, CardReader, CardReaderError, EventKind

log = logging.getLogger(__name__)


class CardWatch(QObject):
    status = Signal(str)  # for the status bar: 无读卡器 / 等待插卡 / 已插卡 / 读卡服务未运行
    card_read = Signal(object)  # CardData
    failed = Signal(str)  # a read that went wrong, in Chinese
    pin_wanted = Signal(object)  # tries left (int | None)

    def __init__(self, today: date, reader: str = "", parent: QObject | None = None) -> None:
        """``reader``: the counter's configured reader; empty: any reader a card goes into."""
        super().__init__(parent)
        self._today = today
        self._only = reader
        self._stop = threading.Event()
        self._pin_answer = threading.Event()
        self._pin: str | None = None
        self._reader: CardReader | None = None
        self._thread = threading.Thread(target=self._run, name="card-reader", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._pin_answer.set()
        reader = self._reader
        if reader is not None:
            reader.cancel()
        self._thread.join(timeout=3)

    def provide_pin(self, pin: str | None) -> None:
        """The clerk's answer to :attr:`pin_wanted` (None: cancelled)."""
        self._pin = pin
        self._pin_answer.set()

    def _ask_pin(self, tries_left: int | None) -> str | None:
        self._pin_answer.clear()
        self.pin_wanted.emit(tries_left)
        self._pin_answer.wait()
        return None if self._stop.is_set() else self._pin

    def _run(self) -> None:
        try:
            from medins_desk.cardreader.pcsc import PcscCardReader
        except ImportError as error:  # pyscard missing: the counter works without a reader
            log.warning("card reader unavailable: %s", error)
            self.status.emit(self.tr("读卡器：不可用"))
            return
        reader = PcscCardReader()
        self._reader = reader
        readers: set[str] = set()
        try:
            while not self._stop.is_set():
                try:
                    events = reader.next_events(0.5)
                except CardReaderError as error:
                    self.status.emit(self.tr("读卡器：{m}").format(m=error.message))
                    self._stop.wait(1.0)
                    continue
                for event in events:
                    if event.kind is EventKind.READER_ADDED:
                        readers.add(event.reader)
                    elif event.kind is EventKind.READER_REMOVED:
                        readers.discard(event.reader)
                    elif event.kind is EventKind.SERVICE_LOST:
                        self.status.emit(self.tr("读卡器：读卡服务未运行"))
                        continue
                    elif event.kind is EventKind.CARD_INSERTED:
                        if not self._only or event.reader == self._only:
                            self._read(reader, event.reader)
                        continue
                    self.status.emit(
                        self.tr("读卡器：等待插卡") if readers else self.tr("读卡器：无读卡器")
                    )
        finally:
            reader.close()

    def _read(self, reader: CardReader, name: str) -> None:
        self.status.emit(self.tr("读卡器：正在读卡"))
        try:
            data: CardData = reader.read(name, pin_prompt=self._ask_pin, today=self._today)
        except CardReaderError as error:
            self.failed.emit(error.message)
            self.status.emit(self.tr("读卡器：读卡失败"))
            return
        self.status.emit(self.tr("读卡器：已插卡"))
        self.card_read.emit(data)
