"""The store: SQLAlchemy models, engine setup and migrations, opened with :func:`open_store`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from medins_desk.errors import (
    SHOWN_TO_USER,
    StoreDamaged,
    StoreError,
    StoreForbidden,
    StoreTooNew,
    StoreTooOld,
    StoreUnreachable,
    ValidationError,
)
from medins_desk.store.engine import create_store_engine, make_session_factory, translate_error
from medins_desk.store.faults import StoreLocation, classify, damaged, forbidden
from medins_desk.store.migrate import current_revision, head_revision, known_revisions, upgrade

log = logging.getLogger(__name__)

# The first 16 bytes of every SQLite 3 database file.
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Store:
    engine: Engine
    sessions: sessionmaker[Session]
    description: str
    location: StoreLocation

    def dispose(self) -> None:
        self.engine.dispose()

    def ping(self) -> None:
        """One round trip (``SELECT 1``); a failure is raised as the store fault it is."""
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except Exception as error:
            translated = self.translate(error)
            if translated is error:
                raise
            raise translated from error

    def translate(self, error: BaseException) -> BaseException:
        """A driver error met while using this store, as the fault it is (see translate_error)."""
        return translate_error(error, self.location)


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Open the database at ``url`` and make sure this program may use it.

    A store migrated by a newer release is refused (:class:`StoreTooNew`), whatever ``migrate``
    says. An empty store gets the schema. An older schema is brought to the newest revision when
    ``migrate`` is true, else refused (:class:`StoreTooOld`, run ``medins-desk db upgrade``). A
    file that is not a database, or whose schema pages are damaged, is :class:`StoreDamaged`;
    every other failure is one of the :class:`StoreError` kinds, never a driver's exception.
    """
    location = StoreLocation.of(url)
    if location.sqlite:
        _check_sqlite_header(location)
    engine = create_store_engine(url)
    try:
        _bring_to_head(engine, location, migrate=migrate)
    except BaseException as error:
        engine.dispose()
        translated = translate_error(error, location)
        if translated is error:
            raise
        raise translated from error
    return Store(engine, make_session_factory(engine), str(location), location)


def _check_sqlite_header(location: StoreLocation) -> None:
    """A file that exists and is not empty must start as every SQLite database does: SQLite itself
    only notices a foreign file at the first read of the schema, after the pragmas."""
    file = Path(location.database)
    try:
        with file.open("rb") as stream:
            head = stream.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as error:
        raise translate_error(error, location) from error
    if head and head != SQLITE_HEADER:
        raise StoreDamaged(
            f"文件 {file} 不是数据库文件（可能是其他文件被当成了数据库）。\n"
            "请检查设置中的数据库路径；不要删除或覆盖此文件，联系信息科。",
            detail=f"header {head[:16]!r}",
        )


def _bring_to_head(engine: Engine, location: StoreLocation, *, migrate: bool) -> None:
    head = head_revision()
    with engine.connect() as connection:
        if _no_usable_schema(connection):
            raise forbidden(location)
        found = current_revision(connection)
        foreign = not found and _has_tables(connection)
    if found == head:
        return
    if found is not None and found not in known_revisions():
        raise StoreTooNew(
            f"{location.named} 已被新版本的程序升级"
            f"（数据库版本 {found}，本程序最高支持 {head}）。\n"
            "请把本窗口的 medins-desk 更新到与大厅其他窗口相同的新版本；本程序不会改动此数据库。",
            found=found,
            expected=head,
        )
    if foreign:
        raise damaged_or_foreign(location)
    if found is not None and not migrate:
        raise StoreTooOld(
            f"{location.named} 的版本较旧（数据库版本 {found}，本程序需要 {head}）。\n"
            "请运行 medins-desk db upgrade 升级数据库（升级前先备份），或联系信息科。",
            found=found,
            expected=head,
        )
    log.info("upgrading %s from %s to %s", location, found or "(empty)", head)
    try:
        upgrade(engine)
    except SQLAlchemyError as error:
        if isinstance(classify(error, location), StoreForbidden):
            raise _may_not_upgrade(location, found, head) from error
        raise


def _no_usable_schema(connection: Connection) -> bool:
    """PostgreSQL: the account may use no schema on its search path (a restore makes the schema
    anew without the grants), so it would see an empty store that it may not fill."""
    if connection.dialect.name != "postgresql":
        return False
    return connection.exec_driver_sql("SELECT current_schema()").scalar() is None


def _may_not_upgrade(location: StoreLocation, found: str | None, head: str | None) -> StoreTooOld:
    """The schema needs DDL that the account may not run: a hall's application role, which owns
    no table (see store.grants). The migration was one transaction, so nothing changed."""
    who = f"数据库账号 {location.username}" if location.username else "本窗口的数据库账号"
    state = (
        f"尚未建表，{who}无权建表"
        if found is None
        else f"的版本较旧（数据库版本 {found}，本程序需要 {head}），{who}无权升级"
    )
    return StoreTooOld(
        f"{location.named} {state}。\n"
        "请信息科以数据库属主账号运行 medins-desk db upgrade（升级前先备份），"
        "见 README「A hall on PostgreSQL」。",
        found=found,
        expected=head,
    )


def _has_tables(connection: Connection) -> bool:
    return bool(inspect(connection).get_table_names())


def damaged_or_foreign(location: StoreLocation) -> StoreError:
    """A database with tables but no schema revision: another program's database."""
    return StoreDamaged(
        f"{location.named} 中已有其他程序的数据表，不是本程序的数据库。\n"
        "请检查设置中的数据库地址；本程序不会改动此数据库。"
    )


def check_integrity(url: str) -> str:
    """``PRAGMA quick_check`` of a SQLite store, whatever its schema version (a full read of every
    page: seconds on a large store, so only on demand, ``medins-desk db check``); what was found,
    in Chinese. Raises :class:`StoreDamaged` with SQLite's first findings when the check fails."""
    location = StoreLocation.of(url)
    if not location.sqlite:
        return f"{location}：PostgreSQL 的数据页由服务器自行校验，无需检查"
    if not Path(location.database).is_file():
        raise StoreUnreachable(
            f"数据库文件 {location.database} 不存在。\n请检查设置中的数据库路径。"
        )
    _check_sqlite_header(location)
    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            rows = [str(row[0]) for row in connection.exec_driver_sql("PRAGMA quick_check(20)")]
    except SQLAlchemyError as error:
        fault = translate_error(error, location)
        if isinstance(fault, StoreDamaged):  # a page so broken the check cannot read past it
            fault = damaged(location.database, "完整性检查读到损坏的数据页，无法继续")
            fault.detail = str(getattr(error, "orig", error))
            log.warning("quick_check of %s: %s", location, fault.detail, extra=SHOWN_TO_USER)
        raise fault from error
    finally:
        engine.dispose()
    if rows == ["ok"]:
        return f"{location}：完整性检查通过"
    fault = damaged(location.database, f"完整性检查发现 {len(rows)} 处问题")
    fault.detail = "\n".join(rows)
    log.warning("quick_check of %s: %s", location, fault.detail, extra=SHOWN_TO_USER)
    raise fault


def check_database(url: str) -> str:
    """测试连接: reach the database at ``url`` without changing anything; what was found, in
    Chinese. An SQLite file that does not exist yet is not created (it is, at the next start)."""
    try:
        location = StoreLocation.of(url)
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise ValidationError("database_url", f"数据库地址格式错误：{error}") from error
    where = str(location)
    if location.sqlite:
        file = Path(location.database)
        if not file.parent.is_dir():
            raise ValidationError("database_url", f"{where}：所在文件夹不存在")
        if not file.exists():
            return f"{where}：文件尚不存在，下次启动时新建"
        _check_sqlite_header(location)
    try:
        engine = create_store_engine(url)
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise ValidationError("database_url", f"数据库地址格式错误：{error}") from error
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
    except SQLAlchemyError as error:
        translated = translate_error(error, location)
        if isinstance(translated, StoreError):
            raise translated from error
        raise StoreUnreachable(f"{where}：无法连接", detail=str(error)) from error
    finally:
        engine.dispose()
    head = head_revision()
    if revision is None:
        state = "空库，启动时自动建表"
    elif revision == head:
        state = f"已建库，版本 {revision}"
    elif revision not in known_revisions():
        state = f"数据库版本 {revision} 比本程序新（{head}），请先更新本程序"
    else:
        state = f"数据库版本 {revision}，启动时升级到 {head}"
    return f"已连接 {where}（{state}）"
