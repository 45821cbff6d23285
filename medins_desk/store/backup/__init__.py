"""备份与恢复: a whole store copied to one file while the counters work, and put back from it.

A SQLite store is copied by SQLite's online backup API (:mod:`.sqlite`), a PostgreSQL store by
``pg_dump -Fc`` of the server's own major version (:mod:`.postgres`); either way the file is
written beside its target and renamed into place, so a failed backup leaves no half file.

A restore refuses to overwrite a store with newer data: one holding a business transaction
(业务流水) or an audit entry after the backup's last ones, or whose audit chain's head is beyond,
or other than, the backup's (:class:`StoreMark`). ``force`` overrides that, and nothing else.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, inspect

from medins_desk.errors import (
    BackupInvalid,
    BackupUnwritable,
    RestoreRefused,
    StoreTooNew,
    ValidationError,
)
from medins_desk.store import SQLITE_HEADER
from medins_desk.store.faults import StoreLocation
from medins_desk.store.migrate import head_revision, known_revisions

log = logging.getLogger(__name__)

PG_DUMP_HEADER = b"PGDMP"


@dataclass(frozen=True)
class StoreMark:
    """备份点: how far a store's records go, to tell whether a store is newer than a backup."""

    revision: str | None  # the schema's alembic revision; None for an empty store
    last_transaction_id: int = 0  # the newest 业务流水 (0: none)
    last_serial: str = ""
    last_audit_seq: int = 0  # the newest audit entry (审计日志)
    audit_head_seq: int = 0  # the chain's head row
    audit_head_hash: str = ""

    def newer_in(self, target: StoreMark) -> str:
        """What ``target`` holds beyond this (the backup's) mark, in Chinese; "" when nothing."""
        if target.last_transaction_id > self.last_transaction_id:
            return (
                f"有备份之后的业务流水（最新 {target.last_serial}，备份中最新为 "
                f"{self.last_serial or '无'}）"
            )
        if target.last_audit_seq > self.last_audit_seq:
            return (
                f"有备份之后的审计日志（共 {target.last_audit_seq} 条，备份中 "
                f"{self.last_audit_seq} 条）"
            )
        if target.audit_head_seq > self.audit_head_seq:
            return f"审计链头在第 {target.audit_head_seq} 条，超出备份的第 {self.audit_head_seq} 条"
        if target.audit_head_seq == self.audit_head_seq and (
            target.audit_head_hash != self.audit_head_hash
        ):
            return "审计链与备份的不同（不是由此备份而来的数据）"
        return ""

    def describe(self) -> str:
        last = f"，最新流水 {self.last_serial}" if self.last_serial else ""
        return f"版本 {self.revision or '空库'}，审计日志 {self.last_audit_seq} 条{last}"


def read_mark(connection: Connection) -> StoreMark:
    """The mark of the store behind ``connection`` (raw SQL: any schema revision will do)."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" not in tables:
        return StoreMark(None)

    def scalar(sql: str) -> object:
        return connection.exec_driver_sql(sql).scalar()

    revision = scalar("SELECT version_num FROM alembic_version")
    last = connection.exec_driver_sql(
        "SELECT id, serial FROM transactions ORDER BY id DESC LIMIT 1"
    ).first()
    head = connection.exec_driver_sql(
        "SELECT last_seq, last_hash FROM audit_head WHERE id = 1"
    ).first()
    return StoreMark(
        revision=str(revision) if revision is not None else None,
        last_transaction_id=int(last[0]) if last else 0,
        last_serial=str(last[1]) if last else "",
        last_audit_seq=int(str(scalar("SELECT coalesce(max(seq), 0) FROM audit_entries"))),
        audit_head_seq=int(head[0]) if head else 0,
        audit_head_hash=str(head[1]) if head else "",
    )


def check_revision(mark: StoreMark, file: Path) -> None:
    """A backup that a newer release wrote cannot be restored by this program."""
    if mark.revision is not None and mark.revision not in known_revisions():
        raise StoreTooNew(
            f"备份文件 {file} 由新版本的程序写出（数据库版本 {mark.revision}，本程序最高支持 "
            f"{head_revision()}）。\n请用与写出它的版本相同或更新的 medins-desk 恢复。",
            found=mark.revision,
            expected=head_revision(),
        )


@dataclass(frozen=True)
class Backup:
    """A backup written (``back_up``) or restored (``restore``): the file and its mark."""

    file: Path
    location: StoreLocation
    mark: StoreMark

    def describe_written(self) -> str:
        size = self.file.stat().st_size
        return (
            f"已备份 {self.location} 到 {self.file}"
            f"（{size / 1_048_576:.1f} MB；{self.mark.describe()}）"
        )

    def describe_restored(self) -> str:
        return f"已从 {self.file} 恢复 {self.location}（{self.mark.describe()}）"


def back_up(url: str, out: Path) -> Backup:
    """备份: the whole store at ``url`` into ``out``, consistent while counters keep working."""
    from medins_desk.store.backup import postgres, sqlite

    location = StoreLocation.of(url)
    module = sqlite if location.sqlite else postgres
    with written_beside(out) as part:
        mark = module.back_up(url, location, part)
    log.info("backed up %s to %s: %s", location, out, mark)
    return Backup(out, location, mark)


def restore(url: str, file: Path, *, force: bool = False) -> Backup:
    """恢复: the store at ``url`` becomes the backup ``file``; refused (:class:`RestoreRefused`)
    when the store holds newer data than the backup, unless ``force``."""
    from medins_desk.store.backup import postgres, sqlite

    location = StoreLocation.of(url)
    kind = backup_kind(file)
    if kind != location.backend:
        raise BackupInvalid(
            f"备份文件 {file} 是 {_BACKENDS[kind]} 的备份，不能恢复到 {location}。\n"
            "请核对备份文件，或用 --db 指定相应的数据库。"
        )
    module = sqlite if location.sqlite else postgres
    mark = module.restore(url, location, file, force=force)
    log.info("restored %s from %s (%s)%s", location, file, mark, " with --force" * force)
    return Backup(file, location, mark)


_BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def backup_kind(file: Path) -> str:
    """ "sqlite" or "postgresql", from the file's first bytes; other files are refused."""
    try:
        with file.open("rb") as stream:
            head = stream.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise ValidationError("backup", f"备份文件 {file} 不存在。\n请核对文件路径。") from None
    except OSError as error:
        raise BackupInvalid(
            f"无法读取备份文件 {file}：{error.strerror or error}", detail=str(error)
        ) from error
    if head == SQLITE_HEADER:
        return "sqlite"
    if head.startswith(PG_DUMP_HEADER):
        return "postgresql"
    raise BackupInvalid(
        f"文件 {file} 不是 medins-desk 的备份（既不是 SQLite 数据库，也不是 pg_dump -Fc 的文件）。"
    )


def refuse_newer(mark: StoreMark, target: StoreMark | None, location: StoreLocation) -> None:
    """Without ``--force``: a target with data the backup lacks is not overwritten. ``target``
    None: the target could not be read (damaged), so nobody can tell."""
    if target is None:
        raise RestoreRefused(
            f"{location.named} 已损坏，无法判断其中是否有比备份更新的数据。\n"
            "请先把它复制留存，再加 --force 恢复。"
        )
    newer = mark.newer_in(target)
    if newer:
        raise RestoreRefused(
            f"{location.named} 中的数据比备份新：{newer}。\n"
            "恢复会丢失这些数据；确需恢复时加 --force（先用 medins-desk db backup 留存现状）。"
        )


@contextmanager
def written_beside(out: Path) -> Iterator[Path]:
    """A temporary file beside ``out`` that becomes ``out`` when the block succeeds (and is
    removed when it fails)."""
    folder = out.parent
    if not folder.is_dir():
        raise BackupUnwritable(f"备份文件夹 {folder} 不存在。\n请先建立该文件夹，或换一个位置。")
    try:
        handle, name = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".part")
        os.close(handle)
    except OSError as error:
        raise unwritable(folder, error) from error
    part = Path(name)
    try:
        yield part
        try:
            os.replace(part, out)
        except OSError as error:
            raise unwritable(folder, error) from error
    finally:
        part.unlink(missing_ok=True)


def unwritable(folder: Path, error: OSError) -> BackupUnwritable:
    import errno

    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        why = "磁盘已满"
    else:
        why = error.strerror or str(error)
    return BackupUnwritable(
        f"无法在 {folder} 写入备份（{why}）。\n请检查该文件夹的写权限和磁盘空间，或换一个位置。",
        detail=str(error),
    )
