"""The counter's state for one run of the app: settings, the store, the signed-in clerk, workers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from medins_desk.errors import StoreError
from medins_desk.settings import Settings
from ui.serving import ServedPerson
from ui.tasks import Done, Failed, TaskRunner

if TYPE_CHECKING:  # SQLAlchemy loads in the worker that opens the store, not before the dialog
    from sqlalchemy.orm import Session

    from medins_desk.services.context import Actor, Counter
    from medins_desk.store import Store

T = TypeVar("T")


@dataclass(frozen=True)
class StoreOpened:
    store: Store
    has_users: bool


class AppContext(QObject):
    """What every view-model shares: runs service calls in workers as the signed-in actor."""

    signed_in = Signal(object)  # Actor
    acted = Signal(str)  # the serial of a business act just done (ui.views.base.ViewModel.act)
    notice = Signal(str)  # a line for the status bar, in the clerk's words
    retry_ms = 5_000

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.runner = TaskRunner(self)
        self.store: Store | None = None
        self.actor: Actor | None = None
        self.served = ServedPerson(self)
        # Whatever act is done, the served citizen's page is read again (one place, not a
        # refresh call in every view).
        self.acted.connect(self.served.refresh)
        # After a store fault that waiting may cure, the store is asked every retry_ms until it
        # answers; the status bar says so meanwhile (pooled connections are checked before use,
        # so the next act goes through without restarting the app).
        self._store_watch = QTimer(self)
        self._store_watch.setSingleShot(True)
        self._store_watch.timeout.connect(self._probe_store)

    @cached_property
    def counter(self) -> Counter:
        from medins_desk.services.context import Counter

        return Counter.from_settings(self.settings)

    def open_store(self, *, done: Done, failed: Failed) -> None:
        """Open the database in a worker (upgrading an older schema where the settings allow);
        ``done(StoreOpened)`` on success, ``failed`` with a StoreError kind otherwise."""
        url, migrate = self.settings.database_url, self.settings.upgrade_on_start

        def work() -> StoreOpened:
            from medins_desk.services.users import has_users
            from medins_desk.store import open_store

            store = open_store(url, migrate=migrate)
            try:
                with store.sessions() as session:
                    return StoreOpened(store, has_users(session))
            except Exception as error:
                store.dispose()
                raise store.translate(error) from error

        def opened(result: StoreOpened) -> None:
            self.store = result.store
            done(result)

        self.runner.submit(work, done=opened, failed=failed)

    def set_actor(self, actor: Actor) -> None:
        self.actor = actor
        self.signed_in.emit(actor)

    def call(
        self,
        service: Callable[..., T],
        *,
        done: Callable[[T], None] | None = None,
        failed: Failed | None = None,
        asker: QObject | None = None,
        **kwargs: Any,
    ) -> None:
        """Call ``service(session, actor, **kwargs)`` in a worker, in its own session; the
        answer is dropped if ``asker`` is deleted first (see TaskRunner.submit)."""
        store, actor = self.require_store(), self.require_actor()

        def work() -> T:
            try:
                with store.sessions() as session:
                    return service(session, actor, **kwargs)
            except Exception as error:
                translated = store.translate(error)
                if translated is error:
                    raise
                raise translated from error

        self.runner.submit(work, done=done, failed=self._announcing(failed), asker=asker)

    def with_session(
        self,
        fn: Callable[[Session], T],
        *,
        done: Callable[[T], None] | None = None,
        failed: Failed | None = None,
    ) -> None:
        """Run ``fn(session)`` in a worker: for the calls made before anyone is signed in."""
        store = self.require_store()

        def work() -> T:
            try:
                with store.sessions() as session:
                    return fn(session)
            except Exception as error:
                translated = store.translate(error)
                if translated is error:
                    raise
                raise translated from error

        self.runner.submit(work, done=done, failed=self._announcing(failed))

    def _announcing(self, failed: Failed | None) -> Failed:
        """``failed``, after a store fault is put in the status bar as well (the view shows it
        where the clerk was working; the status bar says it whichever view is on screen)."""

        def handle(error: BaseException) -> None:
            if isinstance(error, StoreError):
                self._store_unavailable(error)
            (failed or self.runner.unexpected)(error)

        return handle

    def _store_unavailable(self, error: StoreError) -> None:
        text = error.message.replace("\n", " ")
        if error.retry:
            seconds = self.retry_ms // 1000
            text += self.tr("（每 {seconds} 秒自动重试）").format(seconds=seconds)
            if not self._store_watch.isActive():
                self._store_watch.start(self.retry_ms)
        self.notice.emit(text)

    def _probe_store(self) -> None:
        store = self.store
        if store is None:
            return

        def answered(_none: None) -> None:
            self.notice.emit(self.tr("数据库已恢复连接，可以继续办理业务"))

        def still_down(error: BaseException) -> None:
            if isinstance(error, StoreError):
                self._store_unavailable(error)
            else:
                self.runner.unexpected(error)

        self.runner.submit(store.ping, done=answered, failed=still_down)

    def require_store(self) -> Store:
        if self.store is None:
            raise RuntimeError("the store is not open yet")  # a bug: views wait for it
        return self.store

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise RuntimeError("nobody is signed in")  # a bug: views exist after sign-in
        return self.actor

    def close(self) -> None:
        self.runner.wait()
        # After the workers (a failed one restarts it): a timer left running on an object
        # Python later frees (possibly from a worker thread's garbage collection) fires into
        # freed memory, and a closed context must not probe its store.
        self._store_watch.stop()
        if self.store is not None:
            self.store.dispose()
