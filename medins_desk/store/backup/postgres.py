"""备份与恢复 of a hall's PostgreSQL store with ``pg_dump -Fc``, ``pg_restore`` and ``psql``.

The tools must be of the server's major version (an older ``pg_dump`` refuses a newer server, a
newer one writes archives an older ``pg_restore`` cannot read): they are looked up on PATH, in
Debian's ``/usr/lib/postgresql/<N>/bin`` and in Windows' ``C:/Program Files/PostgreSQL/<N>/bin``.
``pg_dump`` reads one snapshot, so the backup is consistent while counters work.

A restore is one transaction: ``psql --single-transaction`` drops the ``public`` schema, makes it
again and runs the archive's script (``pg_restore -f -``) into it, so the store becomes exactly
the backup, tables a newer release added included, or stays as it was. Counters still connected
make it wait at most ``lock_timeout`` (10 s), then it gives up: stop them first.

The password never appears on a command line (``PGPASSWORD``); the tools' own text is kept in
``detail`` for the log.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import URL

from medins_desk.errors import (
    BackupInvalid,
    BackupToolMissing,
    StoreError,
    StoreLocked,
)
from medins_desk.store.backup import StoreMark, check_revision, read_mark, refuse_newer
from medins_desk.store.engine import create_store_engine, translate_error
from medins_desk.store.faults import (
    POSTGRES_CONNECT_TIMEOUT_S,
    SQLITE_BUSY_TIMEOUT_MS,
    StoreLocation,
    store_url,
)

log = logging.getLogger(__name__)

# Tables whose rows make a store's mark (see StoreMark), read from an archive.
_MARK_TABLES = ("alembic_version", "transactions", "audit_entries", "audit_head")


def back_up(url: str, location: StoreLocation, part: Path) -> StoreMark:
    major = _server_major(url, location)
    pg_dump = find_tool("pg_dump", major)
    _run(
        [pg_dump, "--format=custom", f"--lock-wait-timeout={SQLITE_BUSY_TIMEOUT_MS}",
         f"--file={part}", f"--dbname={_conninfo(url)}"],
        url, location,
    )  # fmt: skip
    return _archive_mark(find_tool("pg_restore", major), part)


def restore(url: str, location: StoreLocation, file: Path, *, force: bool) -> StoreMark:
    major = _server_major(url, location)
    pg_restore, psql = find_tool("pg_restore", major), find_tool("psql", major)
    mark = _archive_mark(pg_restore, file)
    check_revision(mark, file)
    if not force:
        refuse_newer(mark, _live_mark(url, location), location)
    with tempfile.TemporaryFile() as restore_errors:
        script = subprocess.Popen(
            [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(file)],
            stdout=subprocess.PIPE, stderr=restore_errors,
        )  # fmt: skip
        assert script.stdout is not None
        with script.stdout:
            loader = subprocess.Popen(
                [psql, "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
                 "--command=DROP SCHEMA public CASCADE", "--command=CREATE SCHEMA public",
                 "--file=-", f"--dbname={_conninfo(url)}"],
                stdin=script.stdout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                env=_environment(store_url(url)),
            )  # fmt: skip
        _, errors = loader.communicate()
        script.wait()
        restore_errors.seek(0)
        archive_errors = restore_errors.read().decode(errors="replace")
    # psql first: when it stops (a counter holds a lock), pg_restore dies writing to its pipe,
    # and the archive is not to blame (it was read whole by _archive_mark above).
    if loader.returncode != 0:
        raise _tool_failed("psql", errors.decode(errors="replace"), location)
    if script.returncode != 0:
        raise _not_an_archive(file, archive_errors)
    return mark


def find_tool(name: str, major: int) -> str:
    """``name`` (pg_dump, pg_restore, psql) of PostgreSQL ``major``: on PATH or in the usual
    folders; :class:`BackupToolMissing` when this computer has none."""
    for folder in _tool_folders(major):
        found = shutil.which(name, path=str(folder))
        if found and tool_major(found) == major:
            return found
    raise BackupToolMissing(
        f"本机找不到与数据库服务器同为 PostgreSQL {major} 版的 {name}。\n"
        f"请安装 PostgreSQL {major} 的客户端工具"
        f"（Debian：apt-get install postgresql-client-{major}；"
        f"Windows：PostgreSQL {major} 安装包中的 Command Line Tools），或在装有它们的电脑上执行。"
    )


def _tool_folders(major: int) -> Iterator[Path]:
    yield Path(f"/usr/lib/postgresql/{major}/bin")
    yield Path(f"C:/Program Files/PostgreSQL/{major}/bin")
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if entry:
            yield Path(entry)


def tool_major(executable: str) -> int | None:
    """The major version a PostgreSQL tool says it is (``pg_dump (PostgreSQL) 15.18``)."""
    try:
        done = subprocess.run(
            [executable, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return None
    found = re.search(r"\(PostgreSQL\) (\d+)", done.stdout)
    return int(found[1]) if found else None


def _server_major(url: str, location: StoreLocation) -> int:
    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            number = connection.exec_driver_sql("SHOW server_version_num").scalar()
    except Exception as error:
        raise translate_error(error, location) from error
    finally:
        engine.dispose()
    return int(str(number)) // 10000


def _live_mark(url: str, location: StoreLocation) -> StoreMark:
    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            return read_mark(connection)
    except Exception as error:
        raise translate_error(error, location) from error
    finally:
        engine.dispose()


def _conninfo(url: str) -> str:
    """libpq's connection string for ``url``, without the password (see :func:`_environment`):
    the one the engine's dialect makes, so a primary and its standby (host=h1,h2 port=p1,p2
    target_session_attrs=read-write) reach the tools as they reach the counters."""
    parsed = store_url(url)
    _args, params = parsed.get_dialect()().create_connect_args(parsed)
    params.pop("password", None)
    params.setdefault("connect_timeout", POSTGRES_CONNECT_TIMEOUT_S)
    return make_conninfo("", **params)


def _environment(url: URL) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    # Counters still at work hold locks the restore's DROP waits for: not for ever.
    env["PGOPTIONS"] = f"-c lock_timeout={SQLITE_BUSY_TIMEOUT_MS}"
    return env


def _run(command: list[str], url: str, location: StoreLocation) -> None:
    done = subprocess.run(
        command,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=_environment(store_url(url)),
        check=False,
    )
    if done.returncode != 0:
        raise _tool_failed(Path(command[0]).name, done.stderr.decode(errors="replace"), location)


def _tool_failed(tool: str, errors: str, location: StoreLocation) -> StoreError:
    errors = errors.strip()
    log.warning("%s failed: %s", tool, errors)
    if "lock" in errors and ("timeout" in errors or "could not obtain" in errors):
        return StoreLocked(
            f"{location.named} 正被其他窗口使用，{tool} 等待 "
            f"{SQLITE_BUSY_TIMEOUT_MS // 1000} 秒仍拿不到锁。\n"
            "恢复前请先关闭大厅所有窗口的 medins-desk；备份可稍后重试。",
            detail=errors,
        )
    return StoreError(
        f"{tool} 未能完成（{location}）：{_first_line(errors)}\n"
        "请检查数据库服务器与网络，详情见日志；或联系信息科。",
        detail=errors,
    )


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else "（无输出）"


def _archive_mark(pg_restore: str, file: Path) -> StoreMark:
    """The mark of a ``pg_dump -Fc`` archive, from the rows of its mark tables (which
    ``pg_restore`` prints as COPY blocks); a file it cannot read is :class:`BackupInvalid`."""
    command = [pg_restore, "--data-only", "--file=-"]
    command += [f"--table={table}" for table in _MARK_TABLES]
    reader = subprocess.Popen(
        [*command, str(file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert reader.stdout is not None
    tables = _copy_rows(reader.stdout)
    revision, last_id, last_serial, last_seq, head_seq, head_hash = None, 0, "", 0, 0, ""
    for table, row in tables:
        if table == "alembic_version":
            revision = row["version_num"]
        elif table == "transactions" and int(row["id"]) > last_id:
            last_id, last_serial = int(row["id"]), row["serial"]
        elif table == "audit_entries":
            last_seq = max(last_seq, int(row["seq"]))
        elif table == "audit_head":
            head_seq, head_hash = int(row["last_seq"]), row["last_hash"]
    _, errors = reader.communicate()
    if reader.returncode != 0:
        raise _not_an_archive(file, errors)
    return StoreMark(revision, last_id, last_serial, last_seq, head_seq, head_hash)


def _copy_rows(lines: Iterable[str]) -> Iterator[tuple[str, dict[str, str]]]:
    """(table, row) of each row in the COPY ... FROM stdin blocks of a SQL script; only plain
    columns are needed (numbers, serials, hashes), so COPY's escapes are left as they are."""
    header = re.compile(r"^COPY (?:\w+\.)?(\w+) \(([^)]*)\) FROM stdin;$")
    table, columns = "", []
    for line in lines:
        line = line.rstrip("\n")
        if not table:
            found = header.match(line)
            if found:
                table, columns = found[1], [c.strip().strip('"') for c in found[2].split(",")]
            continue
        if line == "\\.":
            table = ""
            continue
        yield table, dict(zip(columns, line.split("\t"), strict=False))


def _not_an_archive(file: Path, errors: str) -> BackupInvalid:
    return BackupInvalid(
        f"备份文件 {file} 无法读取（已损坏，或不是完整的 pg_dump 备份）：{_first_line(errors)}\n"
        "请换用另一份备份。",
        detail=errors,
    )
