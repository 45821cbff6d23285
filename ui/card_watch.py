"""读卡: the card reader watched on its own thread; the GUI hears of cards through signals.

pyscard is used from this one thread only (the reader checks it). A card inserted anywhere is
read at once and handed to the main window, which opens the person and flags a lost card; a card
that wants its PIN asks through :attr:`CardWatch.pin_wanted`, answered by :meth:`provide_pin`.
The one write the counter makes (改写参保地) is handed to the same thread by
:meth:`CardWatch.rewrite_region` and answered by :attr:`rewritten` or :attr:`rewrite_failed`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject, Signal

from medins_desk.cardreader import (
    CardAuthenticator,
    CardData,
    CardReader,
    CardReaderError,
    EventKind,
)
from medins_desk.cardreader.layout import RegionRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _RegionJob:
    id_number: str
    region: str
    layout: RegionRecord
    authenticator: CardAuthenticator | None


class CardWatch(QObject):
    status = Signal(str)  # for the status bar: 无读卡器 / 等待插卡 / 已插卡 / 读卡服务未运行
    card_read = Signal(object)  # CardData
    failed = Signal(str)  # a read that went wrong, in Chinese
    pin_wanted = Signal(object)  # tries left (int | None)
    rewritten = Signal(object)  # RegionRewrite: written and read back
    rewrite_failed = Signal(str)  # nothing to record: why, in Chinese

    def __init__(self, today: date, reader: str = "", parent: QObject | None = None) -> None:
        """``reader``: the counter's configured reader; empty: any reader a card goes into."""
        super().__init__(parent)
        self._today = today
        self._only = reader
        self._stop = threading.Event()
        self._pin_answer = threading.Event()
        self._pin: str | None = None
        self._reader: CardReader | None = None
        self._job: _RegionJob | None = None
        self._job_lock = threading.Lock()
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

    def rewrite_region(
        self,
        *,
        id_number: str,
        region: str,
        layout: RegionRecord,
        authenticator: CardAuthenticator | None,
    ) -> None:
        """改写参保地 of the card in the reader now, on the card thread (any thread may ask)."""
        with self._job_lock:
            self._job = _RegionJob(id_number, region, layout, authenticator)
        reader = self._reader
        if reader is not None:
            reader.cancel()  # the watch's wait ends and the job runs at once

    def _take_job(self) -> _RegionJob | None:
        with self._job_lock:
            job, self._job = self._job, None
        return job

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
                job = self._take_job()
                if job is not None:
                    self._rewrite(reader, job)
                    continue
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

    def _rewrite(self, reader: CardReader, job: _RegionJob) -> None:
        self.status.emit(self.tr("读卡器：正在改写卡片"))
        try:
            done = reader.rewrite_region(
                self._only or None,
                id_number=job.id_number,
                region=job.region,
                layout=job.layout,
                authenticator=job.authenticator,
            )
        except CardReaderError as error:
            self.rewrite_failed.emit(error.message)
            self.status.emit(self.tr("读卡器：改写未完成"))
            return
        self.status.emit(self.tr("读卡器：已插卡"))
        self.rewritten.emit(done)
