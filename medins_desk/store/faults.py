"""Known failures of the store, told apart once: the driver's error becomes a :class:`StoreError`.

:func:`classify` is the only place that reads the drivers' errors: sqlite3's error codes
(``sqlite_errorcode``), PostgreSQL's SQLSTATE for errors the server sent, and libpq's own text for
a connection that never got as far as the server (libpq gives those no SQLSTATE). Each kind has one
or two Chinese lines: what failed, where (the file, or host:port and database) and what to do. The
driver's text is kept in ``detail`` for the log.

A hall with a standby names both servers in one URL (libpq's multi-host connection with
``target_session_attrs=read-write``, see :func:`store_url`): the messages then name them all.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from sqlalchemy import exc
from sqlalchemy.engine import URL, make_url

from medins_desk.errors import (
    StoreDamaged,
    StoreError,
    StoreForbidden,
    StoreFull,
    StoreLocked,
    StoreReadOnly,
    StoreUnreachable,
)

# How long a connection to PostgreSQL may take before it counts as unreachable (seconds); a URL's
# own ``connect_timeout`` wins.
POSTGRES_CONNECT_TIMEOUT_S = 10
# How long a SQLite writer waits for another program's lock before it gives up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 10_000

_IT = "，或联系信息科"


def store_url(url: str | URL) -> URL:
    """The store's URL as SQLAlchemy reads it, with libpq's ways of naming several servers (a
    primary and its standby) turned into SQLAlchemy's ``?host=h1:p1&host=h2:p2``: the libpq URI's
    ``postgresql://u@h1:p1,h2:p2/db`` and ``?host=h1:p1,h2:p2`` (which SQLAlchemy would pass on
    as one host name). ``host=h1,h2&port=p1,p2`` SQLAlchemy reads as it is. Raises ValueError or
    SQLAlchemy's ArgumentError for a URL that is not one."""
    if isinstance(url, URL):
        return _one_host_per_item(url)
    parts = urlsplit(url)
    who, at, hosts = parts.netloc.rpartition("@")
    if "," not in hosts:
        return _one_host_per_item(make_url(url))
    query = "&".join(
        filter(None, [urlencode([("host", host) for host in hosts.split(",")]), parts.query])
    )
    return make_url(urlunsplit(parts._replace(netloc=who + at, query=query)))


def _one_host_per_item(url: URL) -> URL:
    listed = url.query.get("host")
    if isinstance(listed, str) and "," in listed and ":" in listed and "port" not in url.query:
        return url.update_query_dict({"host": listed.split(",")})
    return url


def _servers(url: URL) -> tuple[tuple[str, int], ...]:
    """(host, port) of each server ``url`` names, in the order libpq tries them."""
    listed = url.query.get("host")
    if listed is None:
        return ((url.host or "localhost", url.port or 5432),)
    tokens = listed.split(",") if isinstance(listed, str) else list(listed)
    ports_listed = url.query.get("port", "")
    ports = ports_listed.split(",") if isinstance(ports_listed, str) else list(ports_listed)
    servers = []
    for index, token in enumerate(tokens):
        host, _colon, port = token.partition(":")
        if not port and index < len(ports):
            port = ports[index]
        servers.append((host or "localhost", int(port) if port.isdigit() else url.port or 5432))
    return tuple(servers)


@dataclass(frozen=True)
class StoreLocation:
    """Where the store is, as a clerk or IT person names it; never the password."""

    backend: str  # "sqlite" or "postgresql"
    database: str  # the file, or the database's name
    servers: tuple[tuple[str, int], ...] = ()  # (host, port): one, or a primary and its standby
    username: str = ""
    connect_timeout_s: int = POSTGRES_CONNECT_TIMEOUT_S

    @classmethod
    def of(cls, url: str | URL) -> StoreLocation:
        parsed = store_url(url)
        backend = parsed.get_backend_name()
        if backend == "sqlite":
            return cls("sqlite", parsed.database or ":memory:")
        timeout = str(parsed.query.get("connect_timeout", ""))
        return cls(
            backend,
            parsed.database or "",
            _servers(parsed),
            parsed.username or "",
            int(timeout) if timeout.isdigit() else POSTGRES_CONNECT_TIMEOUT_S,
        )

    @property
    def sqlite(self) -> bool:
        return self.backend == "sqlite"

    @property
    def host(self) -> str:
        return "、".join(dict.fromkeys(host for host, _port in self.servers))

    @property
    def server(self) -> str:
        """host:port, or each server's, in a Chinese sentence (A、B)."""
        return "、".join(f"{host}:{port}" for host, port in self.servers)

    @property
    def several(self) -> bool:
        """The URL names several servers (a primary and its standby)."""
        return len(self.servers) > 1

    def __str__(self) -> str:
        if self.sqlite:
            return f"SQLite {self.database}"
        servers = ",".join(f"{host}:{port}" for host, port in self.servers)
        return f"PostgreSQL {servers}/{self.database}"

    @property
    def named(self) -> str:
        """The store in a Chinese sentence: 数据库文件 X, or 数据库服务器 host:port 上的数据库 D."""
        if self.sqlite:
            return f"数据库文件 {self.database}"
        return f"数据库服务器 {self.server} 上的数据库 {self.database}"


def classify(
    error: BaseException, where: StoreLocation | None, *, at_commit: bool = False
) -> StoreError | None:
    """The store fault ``error`` is, or None when it is not one (a bug, or a business conflict).
    ``at_commit``: the error came from the COMMIT, so a lost connection leaves the act's outcome
    unknown (the server may have committed it)."""
    driver: BaseException = error
    if isinstance(error, exc.DBAPIError) and error.orig is not None:
        driver = error.orig
    fault: StoreError | None = None
    if isinstance(driver, sqlite3.Error):
        fault = _sqlite_fault(driver, where)
    elif _is_psycopg_error(driver):
        fault = _postgres_fault(driver, where, at_commit=at_commit)
    elif isinstance(driver, OSError):
        fault = _os_fault(driver, where)
    elif isinstance(error, exc.OperationalError | exc.InterfaceError | exc.DisconnectionError):
        fault = StoreUnreachable(_unreachable(where, "连接失败"))
    if fault is not None and not fault.detail:
        fault.detail = f"{type(driver).__name__}: {str(driver).strip()}"
    return fault


# SQLSTATE of the conflicts PostgreSQL resolves by aborting one of two transactions so that the
# other goes on: the aborted one succeeds when run again.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected


def is_transient_conflict(error: BaseException) -> bool:
    """Whether running the whole transaction again may succeed: PostgreSQL aborted it as the
    loser of a serialization failure or a deadlock, or SQLite's snapshot was overtaken by another
    writer (SQLITE_BUSY_SNAPSHOT, which comes at once). A plain SQLite busy is not one: it comes
    after the busy timeout, SQLite's own wait, and is told to the clerk as such."""
    driver = error.orig if isinstance(error, exc.DBAPIError) and error.orig else error
    if isinstance(driver, sqlite3.Error):
        return getattr(driver, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY_SNAPSHOT
    return _is_psycopg_error(driver) and getattr(driver, "sqlstate", None) in _RETRYABLE_SQLSTATES


def _is_psycopg_error(error: BaseException) -> bool:
    # psycopg is loaded only for a PostgreSQL store; a SQLite counter never imports it.
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(error, psycopg.Error)


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_fault(error: sqlite3.Error, where: StoreLocation | None) -> StoreError | None:
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    file = where.database if where is not None else "（未知）"
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreLocked(
            f"数据库文件 {file} 被其他程序占用，"
            f"等待 {SQLITE_BUSY_TIMEOUT_MS // 1000} 秒仍未释放。\n"
            "请关闭正在使用此文件的其他程序（另一个 medins-desk、数据库工具或备份程序）后重试。"
        )
    if primary == sqlite3.SQLITE_READONLY:
        return _read_only(file)
    if primary == sqlite3.SQLITE_FULL:
        return _full(file)
    if primary == sqlite3.SQLITE_NOTADB:
        return StoreDamaged(
            f"文件 {file} 不是数据库文件（可能是其他文件被当成了数据库，或文件头已损坏）。\n"
            "请检查设置中的数据库路径；不要删除或覆盖此文件，联系信息科从备份恢复。"
        )
    if primary == sqlite3.SQLITE_CORRUPT:
        return damaged(file)
    if primary == sqlite3.SQLITE_CANTOPEN:
        folder = Path(file).parent
        if folder.is_dir() and not os.access(folder, os.W_OK):
            return _read_only(file)
        return StoreUnreachable(
            f"无法打开数据库文件 {file}（文件夹不存在、无权访问或是网络盘已断开）。\n"
            f"请检查设置中的数据库路径{_IT}。"
        )
    if primary == sqlite3.SQLITE_IOERR:
        if _no_room(file):
            return _full(file)
        return StoreUnreachable(
            f"读写数据库文件 {file} 时发生输入输出错误（磁盘或网络盘故障）。\n"
            f"数据未保存；请检查磁盘{_IT}。"
        )
    return None


def damaged(file: str, finding: str = "") -> StoreDamaged:
    found = f"（{finding}）" if finding else ""
    return StoreDamaged(
        f"数据库文件 {file} 已损坏{found}。\n"
        "请停止在本窗口办理业务，联系信息科从备份恢复；不要删除此文件。"
    )


def _read_only(file: str) -> StoreReadOnly:
    return StoreReadOnly(
        f"数据库文件 {file} 只读，无法写入（文件或所在文件夹没有写权限，或磁盘为只读）。\n"
        f"数据未保存；请让信息科恢复写权限后重试。"
    )


def _full(file: str) -> StoreFull:
    return StoreFull(f"数据库文件 {file} 所在的磁盘已满，数据未保存。\n请清理磁盘空间后重试{_IT}。")


def _no_room(file: str) -> bool:
    try:
        return shutil.disk_usage(Path(file).parent).free < 1024 * 1024
    except OSError:
        return False


def _os_fault(error: OSError, where: StoreLocation | None) -> StoreError | None:
    """The store's folder could not be made (before SQLite ever ran)."""
    file = where.database if where is not None else str(error.filename or "")
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _read_only(file)
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return _full(file)
    return None


# --- PostgreSQL -------------------------------------------------------------------------------

# SQLSTATE of errors the server sent (PostgreSQL's Appendix A), by the fault they are.
_LOST = "lost"
_AUTH = "auth"
_NO_DATABASE = "no-database"
_BUSY = "busy"
_STARTING = "starting"
_TOO_MANY = "too-many"
_NO_PRIMARY = "no-primary"
_SQLSTATES = {
    "28000": _AUTH,  # invalid_authorization_specification
    "28P01": _AUTH,  # invalid_password
    "3D000": _NO_DATABASE,  # invalid_catalog_name
    "57P01": _LOST,  # admin_shutdown
    "57P02": _LOST,  # crash_shutdown
    "57P03": _STARTING,  # cannot_connect_now
    "53300": _TOO_MANY,  # too_many_connections
    "55P03": _BUSY,  # lock_not_available
    "40P01": _BUSY,  # deadlock_detected
    "40001": _BUSY,  # serialization_failure
}

# libpq's own text for a connection that failed before the server said anything: libpq gives
# these no SQLSTATE, so they are recognised by its (English, stable since 9.x) wording.
_LIBPQ = (
    # Before "connection refused": a multi-host URL's failure lists every server it tried, the
    # primary refusing and the standby only readable (target_session_attrs=read-write).
    ("session is read-only", _NO_PRIMARY),
    ("server is in hot standby mode", _NO_PRIMARY),
    ("password authentication failed", _AUTH),
    ("no pg_hba.conf entry", _AUTH),
    ("authentication failed", _AUTH),
    ("fe_sendauth: no password supplied", _AUTH),
    ('role "', _AUTH),  # role "x" does not exist
    ('database "', _NO_DATABASE),  # database "x" does not exist
    ("could not translate host name", "host"),
    ("failed to resolve host", "host"),
    ("name or service not known", "host"),
    ("connection refused", "refused"),
    ("timeout expired", "timeout"),
    ("timed out", "timeout"),
    ("ssl", "tls"),
    ("certificate", "tls"),
    ("the database system is starting up", _STARTING),
    ("the database system is shutting down", _LOST),
    ("too many clients", _TOO_MANY),
    ("server closed the connection", _LOST),
    ("terminating connection", _LOST),
    ("connection is lost", _LOST),
    ("connection is closed", _LOST),
    ("consuming input failed", _LOST),
)


def _postgres_fault(
    error: BaseException, where: StoreLocation | None, *, at_commit: bool
) -> StoreError | None:
    sqlstate: str | None = getattr(error, "sqlstate", None)
    text = str(error).lower()
    kind: str | None = None
    if sqlstate:
        kind = _SQLSTATES.get(sqlstate)
        if kind is None:
            return _postgres_state_fault(sqlstate, where)
    else:
        kind = next((found for needle, found in _LIBPQ if needle in text), "other")
    server = where.server if where is not None else "（未知）"
    waited = where.connect_timeout_s if where is not None else POSTGRES_CONNECT_TIMEOUT_S
    database = where.database if where is not None else ""
    user = where.username if where is not None else ""
    match kind:
        case "refused":
            return StoreUnreachable(
                f"无法连接数据库服务器 {server}："
                "服务器拒绝连接（数据库服务未运行，或地址、端口不对）。\n"
                f"请确认数据库服务器已启动、设置中的数据库地址正确{_IT}。"
            )
        case "host":
            host = where.host if where is not None else ""
            return StoreUnreachable(
                f"无法连接数据库服务器 {server}：找不到主机 {host}（主机名无法解析）。\n"
                f"请检查设置中的数据库地址和本机的网络、DNS{_IT}。"
            )
        case "timeout":
            return StoreUnreachable(
                f"连接数据库服务器 {server} 超时（{waited} 秒内没有应答）。\n"
                f"请检查网络和防火墙后重试{_IT}。"
            )
        case "tls":
            return StoreUnreachable(
                f"与数据库服务器 {server} 的加密连接（SSL/TLS）未能建立。\n"
                "请核对设置中数据库地址的 sslmode、sslrootcert（大厅的 CA 证书）、主机名"
                f"与服务器的 SSL 配置{_IT}。"
            )
        case "auth":
            who = f"用户 {user} " if user else "本窗口"
            return StoreUnreachable(
                f"数据库服务器 {server} 拒绝了{who}的登录"
                "（密码错误、用户不存在或未获准从本机连接）。\n"
                f"请核对设置中数据库地址里的用户名和密码{_IT}。"
            )
        case "no-database":
            return StoreUnreachable(
                f"数据库服务器 {server} 上没有名为 {database} 的数据库。\n"
                f"请核对设置中的数据库名，或请信息科先建库（见 README「A hall on PostgreSQL」）。"
            )
        case "starting":
            return StoreUnreachable(
                f"数据库服务器 {server} 正在启动或恢复，暂不接受连接。\n请稍后重试。"
            )
        case "too-many":
            return StoreUnreachable(
                f"数据库服务器 {server} 的连接数已满。\n"
                "请稍后重试，或请信息科调大 max_connections。"
            )
        case "no-primary":
            return StoreUnreachable(
                f"数据库服务器 {server} 中没有可写入的主库（主库已停止或无法连接，"
                "备库只读、尚未提升为主库），本次操作未完成。\n"
                "请稍后重试；主库故障时请信息科将备库提升为主库，之后本窗口自动恢复，无需重启。"
            )
        case "lost" if at_commit:
            return StoreUnreachable(
                f"与数据库服务器 {server} 的连接在提交时中断，本次业务是否已办理成功尚不确定。\n"
                "请不要改动表单，待数据库恢复后再次提交：已办理的会显示其业务流水号，不会重复办理。"
            )
        case "lost":
            return StoreUnreachable(
                f"与数据库服务器 {server} 的连接中断（服务器已停止或网络断开），本次操作未完成。\n"
                f"请确认服务器与网络正常后重试{_IT}。"
            )
        case "busy":
            return StoreLocked(
                f"{where.named if where else '数据库'} 上的记录正被其他窗口占用（锁等待或冲突）。\n"
                "本次操作未完成，请稍后重试。"
            )
    return StoreUnreachable(_unreachable(where, "连接失败，原因见日志"))


def forbidden(where: StoreLocation | None) -> StoreForbidden:
    """The account may not do this (SQLSTATE 42501, or no schema it may use): the grants."""
    named = where.named if where is not None else "数据库"
    who = f"账号 {where.username} " if where is not None and where.username else "本窗口"
    return StoreForbidden(
        f"{named} 拒绝了{who}的这一操作（数据库账号无权限），"
        "本次操作未完成。\n请信息科以数据库属主账号执行 medins-desk db grants 列出的授权"
        "（见 README「A hall on PostgreSQL」）。"
    )


def _postgres_state_fault(sqlstate: str, where: StoreLocation | None) -> StoreError | None:
    named = where.named if where is not None else "数据库"
    server = where.server if where is not None else ""
    if sqlstate.startswith("08"):  # connection_exception
        return StoreUnreachable(_unreachable(where, "连接异常"))
    if sqlstate == "53100":  # disk_full
        return StoreFull(
            f"数据库服务器 {server} 的磁盘已满，数据未保存。\n请联系信息科清理服务器磁盘后重试。"
        )
    if sqlstate == "42501":  # insufficient_privilege
        return forbidden(where)
    if sqlstate == "25006":  # read_only_sql_transaction: a standby, or a read-only default
        return StoreReadOnly(
            f"{named} 只读（连到了只读的备库，或数据库被设为只读），数据未保存。\n"
            f"请核对设置中的数据库地址（应为主库）{_IT}。"
        )
    if sqlstate in ("XX001", "XX002"):  # data_corrupted, index_corrupted
        return StoreDamaged(
            f"{named} 的数据页或索引已损坏。\n请停止办理业务，联系信息科修复或从备份恢复。"
        )
    return None


def _unreachable(where: StoreLocation | None, reason: str) -> str:
    place = where.named if where is not None else "数据库"
    return f"无法使用{place}：{reason}。\n请检查设置中的数据库地址和网络{_IT}。"
