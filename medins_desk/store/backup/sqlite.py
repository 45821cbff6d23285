"""备份与恢复 of a SQLite store through SQLite's online backup API (``sqlite3.Connection.backup``).

The copy is made in one step under one read transaction, so it is the store as of one moment
while the counters keep writing (WAL lets them). The backup file is switched to a rollback
journal: it is one self-contained file. A restore copies the backup into the live file through
the same API, under SQLite's own locks, so a counter that still has the file open sees the
restored store rather than a file swapped under it.
"""

from __future__ import annotations

import errno
import logging
import shutil
import sqlite3
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from medins_desk.errors import (
    BackupInvalid,
    StoreDamaged,
    StoreLocked,
    StoreUnreachable,
)
from medins_desk.store.backup import (
    StoreMark,
    check_revision,
    read_mark,
    refuse_newer,
    unwritable,
)
from medins_desk.store.faults import SQLITE_BUSY_TIMEOUT_MS, StoreLocation, classify

log = logging.getLogger(__name__)

_TIMEOUT_S = SQLITE_BUSY_TIMEOUT_MS / 1000


def back_up(url: str, location: StoreLocation, part: Path) -> StoreMark:
    source_file = Path(location.database)
    if not source_file.is_file():
        raise StoreUnreachable(f"数据库文件 {source_file} 不存在。\n请检查设置中的数据库路径。")
    try:
        with (
            closing(sqlite3.connect(source_file, timeout=_TIMEOUT_S)) as source,
            closing(sqlite3.connect(part, isolation_level=None)) as copy,
        ):
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            _check_pages(copy, part)
            return _mark(copy)
    except sqlite3.Error as error:
        if _no_room(part.parent):
            raise unwritable(part.parent, OSError(errno.ENOSPC, "disk full")) from error
        raise _fault(error, location) from error


def restore(url: str, location: StoreLocation, file: Path, *, force: bool) -> StoreMark:
    try:
        with closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)) as backup:
            _check_pages(backup, file)
            mark = _mark(backup)
            check_revision(mark, file)
            target = Path(location.database)
            found = _target_mark(target, location)
            if not force:
                refuse_newer(mark, found, location)
            if found is None:
                _move_aside(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(target, timeout=_TIMEOUT_S)) as live:
                backup.backup(live, progress=_deadline(location))
    except (sqlite3.OperationalError, OSError) as error:
        raise _fault(error, location) from error
    except sqlite3.DatabaseError as error:  # the backup file: the live one was read above
        raise BackupInvalid(
            f"备份文件 {file} 已损坏或不是数据库，不能用于恢复。\n请换用另一份备份。",
            detail=str(error),
        ) from error
    return mark


def _mark(connection: sqlite3.Connection) -> StoreMark:
    engine = create_engine("sqlite://", creator=lambda: connection, poolclass=StaticPool)
    with engine.connect() as bound:
        return read_mark(bound)


def _check_pages(connection: sqlite3.Connection, file: Path) -> None:
    rows = [str(row[0]) for row in connection.execute("PRAGMA quick_check(20)")]
    if rows != ["ok"]:
        raise BackupInvalid(
            f"备份文件 {file} 已损坏（完整性检查发现 {len(rows)} 处问题），不能用于恢复。\n"
            "请换用另一份备份。",
            detail="\n".join(rows),
        )


def _target_mark(target: Path, location: StoreLocation) -> StoreMark | None:
    """The live store's mark; None when it is damaged (or not a database at all)."""
    if not target.is_file() or target.stat().st_size == 0:
        return StoreMark(None)
    try:
        with closing(sqlite3.connect(target, timeout=_TIMEOUT_S)) as live:
            rows = [str(row[0]) for row in live.execute("PRAGMA quick_check(1)")]
            return _mark(live) if rows == ["ok"] else None
    except sqlite3.Error as error:
        fault = classify(error, location)
        if isinstance(fault, StoreDamaged):
            return None
        raise (fault or error) from error


def _move_aside(target: Path) -> None:
    """A damaged store is kept, renamed, for whoever looks into the damage."""
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    for name in (target.name, f"{target.name}-wal", f"{target.name}-shm"):
        file = target.with_name(name)
        if file.exists():
            aside = target.with_name(f"{target.name}.损坏-{stamp}{name[len(target.name) :]}")
            file.rename(aside)
            log.warning("损坏的数据库文件已改名为 %s", aside)


def _deadline(location: StoreLocation) -> _Deadline:
    return _Deadline(location, time.monotonic() + _TIMEOUT_S)


class _Deadline:
    """The backup's progress callback: gives up once another program has held the live file
    past the busy timeout (sqlite3 would otherwise retry for ever)."""

    def __init__(self, location: StoreLocation, until: float) -> None:
        self.location = location
        self.until = until

    def __call__(self, status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > self.until:
            raise StoreLocked(
                f"数据库文件 {self.location.database} 被其他程序占用，"
                f"等待 {_TIMEOUT_S:.0f} 秒仍未释放，未恢复。\n"
                "请先关闭所有使用此文件的 medins-desk 窗口和程序，再恢复。"
            )


def _fault(error: BaseException, location: StoreLocation) -> BaseException:
    return classify(error, location) or error


def _no_room(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False
