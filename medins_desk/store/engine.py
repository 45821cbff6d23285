"""Engine and session setup for SQLite (one counter) and PostgreSQL (a hall).

SQLite gets WAL, foreign keys and a busy timeout, and every transaction starts with
``BEGIN IMMEDIATE`` so two writers queue on the lock instead of failing on upgrade. PostgreSQL gets
a bounded connect timeout. Driver errors are translated here (:func:`translate_error`, through
:mod:`medins_desk.store.faults`) into the :class:`~medins_desk.errors.StoreError` kinds.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from medins_desk.errors import SHOWN_TO_USER, BusinessRuleError, MedinsError
from medins_desk.store.faults import (
    POSTGRES_CONNECT_TIMEOUT_S,
    SQLITE_BUSY_TIMEOUT_MS,
    StoreLocation,
    classify,
    store_url,
)

log = logging.getLogger(__name__)

__all__ = [
    "SQLITE_BUSY_TIMEOUT_MS",
    "create_store_engine",
    "describe_url",
    "make_session_factory",
    "translate_error",
]


def create_store_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url`` with the pragmas and pool settings this app relies on.

    Making the SQLite file's folder may fail (read-only disk): that is translated like any other
    store fault."""
    parsed = store_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise translate_error(error, StoreLocation.of(parsed)) from error
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = POSTGRES_CONNECT_TIMEOUT_S
    # Pooled connections are pinged before use: after a failover those to the old primary are
    # dropped there and the next one goes, by the URL's target_session_attrs, to the new one.
    return create_engine(
        parsed,
        echo=echo,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
        connect_args=connect_args,
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's implicit BEGIN is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # Services return plain values, so objects never need reloading after commit.
    return sessionmaker(engine, expire_on_commit=False)


def describe_url(url: str | URL) -> str:
    """Where the store is, for the status bar and logs, without the password."""
    return str(StoreLocation.of(url))


def translate_error(
    error: BaseException,
    where: StoreLocation | Engine | Connection | None = None,
    *,
    at_commit: bool = False,
) -> BaseException:
    """A driver error as the MedinsError a clerk can act on; other errors unchanged.

    ``where`` (the store's location, or its engine) names the file or server in the message;
    ``at_commit``: the error came from the COMMIT (see :func:`classify`)."""
    if isinstance(error, MedinsError):
        return error
    if isinstance(error, exc.IntegrityError):
        return BusinessRuleError(
            "记录与已保存的数据冲突（可能另一窗口刚刚办理了同一业务），请刷新后重试"
        )
    location = (
        StoreLocation.of(where.engine.url) if isinstance(where, Engine | Connection) else where
    )
    fault = classify(error, location, at_commit=at_commit)
    if fault is not None:
        # Told to the user by whoever catches it; the console shows the traceback only with -v.
        log.warning(
            "store fault at %s: %s", location, fault.detail, exc_info=error, extra=SHOWN_TO_USER
        )
        return fault
    if isinstance(error, exc.SQLAlchemyError):
        log.error("unexpected database error", exc_info=error)
    return error
