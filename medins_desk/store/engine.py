"""Engine and session setup for SQLite (one counter) and PostgreSQL (a hall).

SQLite gets WAL, foreign keys and a busy timeout, and every transaction starts with
``BEGIN IMMEDIATE`` so two writers queue on the lock instead of failing on upgrade. Driver errors
are translated here into :class:`~medins_desk.errors.StorageError` with a Chinese message.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from medins_desk.errors import BusinessRuleError, MedinsError, StorageError

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000


def create_store_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url`` with the pragmas and pool settings this app relies on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=5)


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


def describe_url(url: str) -> str:
    """Where the store is, for the status bar and logs, without the password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite {parsed.database}"
    return f"PostgreSQL {parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"


def translate_error(error: BaseException) -> BaseException:
    """A driver error as the MedinsError a clerk can act on; other errors unchanged."""
    if isinstance(error, MedinsError) or not isinstance(error, exc.SQLAlchemyError):
        return error
    text = str(getattr(error, "orig", error)).lower()
    if isinstance(error, exc.IntegrityError):
        return BusinessRuleError(
            "记录与已保存的数据冲突（可能另一窗口刚刚办理了同一业务），请刷新后重试"
        )
    if "locked" in text or "busy" in text:
        return StorageError("数据库正忙（其他窗口正在写入），请稍后重试")
    if "disk" in text and ("full" in text or "space" in text):
        return StorageError("磁盘空间不足，数据未保存，请联系管理员")
    if "readonly" in text or "read-only" in text:
        return StorageError("数据库文件只读，数据未保存，请联系管理员")
    if isinstance(error, exc.OperationalError | exc.InterfaceError):
        return StorageError("无法连接数据库，数据未保存，请检查网络或联系管理员")
    log.error("unexpected database error", exc_info=error)
    return error
