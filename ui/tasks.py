"""Workers: the one place that runs database, card, printing and export work off the GUI thread.

A view-model hands :meth:`TaskRunner.submit` a plain function; the function runs on the runner's
thread pool and its result (or the exception it raised) comes back to the GUI thread through a
queued signal, where the callbacks run. The GUI thread never waits on I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives in the GUI thread; a signal emitted from a worker is delivered there (queued)."""

    finished = Signal(object, object)  # result, error


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as error:  # reported to the GUI thread, never lost in a worker
            self._relay.finished.emit(None, error)
            return
        self._relay.finished.emit(result, None)


class TaskRunner(QObject):
    """Runs functions on a thread pool and calls back on the GUI thread.

    ``max_threads=1`` gives a serial runner: tasks run in order on one thread, which is what a
    thread-bound resource (the card reader, a search's held connection) needs.
    """

    def __init__(self, parent: QObject | None = None, *, max_threads: int | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        if max_threads is not None:
            self._pool.setMaxThreadCount(max_threads)
        self._relays: set[_Relay] = set()
        self.unexpected: Failed = _log_unexpected

    def submit(
        self,
        fn: Callable[[], Any],
        *,
        done: Done | None = None,
        failed: Failed | None = None,
        asker: QObject | None = None,
    ) -> None:
        """Run ``fn`` in a worker; then ``done(result)`` or ``failed(error)`` on the GUI thread.

        Without ``failed`` an error goes to :attr:`unexpected` (the application's error dialog).
        An ``asker`` (the view-model waiting for the answer) deleted meanwhile, with its window,
        gets nothing: the answer has nowhere to go.
        """
        relay = _Relay()
        self._relays.add(relay)

        @Slot(object, object)
        def finish(result: Any, error: BaseException | None) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            if asker is not None and not shiboken6.isValid(asker):
                return
            if error is None:
                if done is not None:
                    done(result)
            elif failed is not None:
                failed(error)
            else:
                self.unexpected(error)

        relay.finished.connect(finish)
        self._pool.start(_Task(fn, relay))

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for running tasks (at shutdown and in tests only: it blocks the caller)."""
        return self._pool.waitForDone(msecs)


def _log_unexpected(error: BaseException) -> None:
    log.error("unhandled error in a worker", exc_info=error)
