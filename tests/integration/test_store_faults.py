"""Broken surroundings of the store, met by the real command line (issue 17 §1, §2).

Each case is made real: a PostgreSQL cluster of the test's own that is stopped, that wants a
password, that lacks the database; a host name in the reserved ``.invalid`` domain; random bytes
and a store with damaged pages; stores stamped with a revision newer than the program's and one
left at an older revision; a lock held by another process; a read-only folder and a full disk
(as root, a read-only bind mount and a small tmpfs; as another user, file modes and a file size
limit). The command must end with the Chinese lines and its exit status, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import random
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from medins_desk.store import open_store
from medins_desk.store.engine import create_store_engine
from medins_desk.store.migrate import head_revision, upgrade
from tests.helpers.cli import PASSWORD, Cli
from tests.helpers.disks import fill, small_disk
from tests.helpers.postgres import PrivateCluster, find_bindir

UNREACHABLE, DAMAGED_OR_OTHER_VERSION, NOT_WRITABLE = 3, 4, 5
AS_ROOT = os.geteuid() == 0
OLD_REVISION = "0002_voucher_printed_at"


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def _refused(done: subprocess.CompletedProcess[str], status: int, *lines: str) -> None:
    """Exit ``status``, each of ``lines`` on stderr, and no Python traceback."""
    assert done.returncode == status, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("错误："), done.stderr
    for line in lines:
        assert line in done.stderr, done.stderr
    # One or two lines for the clerk (plus nothing else).
    assert len(done.stderr.strip().splitlines()) <= 2, done.stderr


def _logged(cli: Cli, *needles: str) -> str:
    text = (cli.tmp_path / "log" / "medins-desk.log").read_text(encoding="utf-8")
    for needle in needles:
        assert needle in text, text
    return text


# --- PostgreSQL -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def locked_cluster() -> Iterator[PrivateCluster]:
    """A private cluster of this module whose superuser needs a password, and a database."""
    bindir = find_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL server binaries not found: run `make test`", pytrace=False)
    cluster = PrivateCluster.create(bindir)
    try:
        cluster.start(password=PASSWORD)
        yield cluster
    finally:
        cluster.stop()


def _add_user(cli: Cli, url: str) -> subprocess.CompletedProcess[str]:
    return cli.run(
        "--db", url, "users", "add", "--username", "clerk9", "--name", "张三", "--role", "clerk",
        "--password-stdin", stdin=PASSWORD + "\n", db=False,
    )  # fmt: skip


def _pg_url(cluster: PrivateCluster, *, password: str = PASSWORD, db: str = "postgres") -> str:
    return f"postgresql+psycopg://postgres:{password}@127.0.0.1:{cluster.port}/{db}"


def test_a_stopped_server_is_named_then_the_store_answers_again(
    cli: Cli, locked_cluster: PrivateCluster
) -> None:
    url = _pg_url(locked_cluster)
    assert cli.run("--db", url, "db", "upgrade", db=False).returncode == 0
    locked_cluster.halt()
    try:
        done = cli.run("--db", url, "status", db=False)
    finally:
        locked_cluster.resume()
    _refused(
        done, UNREACHABLE, f"无法连接数据库服务器 127.0.0.1:{locked_cluster.port}", "服务器拒绝连接"
    )
    _logged(cli, "Connection refused", "Traceback")
    again = cli.run("--db", url, "status", db=False)
    assert again.returncode == 0, again.stderr


def test_a_wrong_password_is_named(cli: Cli, locked_cluster: PrivateCluster) -> None:
    done = cli.run("--db", _pg_url(locked_cluster, password="wrong"), "status", db=False)
    _refused(
        done, UNREACHABLE,
        f"数据库服务器 127.0.0.1:{locked_cluster.port} 拒绝了用户 postgres 的登录",
        "用户名和密码",
    )  # fmt: skip
    assert "wrong" not in done.stderr
    assert "wrong" not in _logged(cli, "password authentication failed")


def test_a_missing_database_is_named(cli: Cli, locked_cluster: PrivateCluster) -> None:
    done = cli.run("--db", _pg_url(locked_cluster, db="medins_nosuch"), "status", db=False)
    _refused(done, UNREACHABLE, "上没有名为 medins_nosuch 的数据库")


def test_a_host_that_does_not_resolve_is_named(cli: Cli) -> None:
    url = "postgresql+psycopg://medins:x@db-server.invalid:5432/medins"
    done = _add_user(cli, url)
    _refused(done, UNREACHABLE, "db-server.invalid:5432", "找不到主机 db-server.invalid")


def test_a_server_that_never_answers_times_out_by_the_urls_own_limit(cli: Cli) -> None:
    # A port that completes the TCP handshake and then says nothing, as behind a firewall that
    # swallows the traffic: the kernel accepts into the backlog, nobody reads.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        port = silent.getsockname()[1]
        url = f"postgresql+psycopg://medins:x@127.0.0.1:{port}/medins?connect_timeout=2"
        done = cli.run("--db", url, "status", db=False)
    _refused(done, UNREACHABLE, f"连接数据库服务器 127.0.0.1:{port} 超时（2 秒内没有应答）")
    _logged(cli, "timeout expired")


def test_tls_the_server_does_not_offer_is_named(cli: Cli, locked_cluster: PrivateCluster) -> None:
    done = cli.run("--db", _pg_url(locked_cluster) + "?sslmode=require", "status", db=False)
    _refused(
        done, UNREACHABLE, f"与数据库服务器 127.0.0.1:{locked_cluster.port} 的加密连接（SSL/TLS）"
    )  # fmt: skip
    _logged(cli, "SSL")


def test_verbose_shows_the_traceback(cli: Cli) -> None:
    url = "postgresql+psycopg://medins:x@db-server.invalid:5432/medins"
    done = cli.run("-v", "--db", url, "status", db=False)
    assert done.returncode == UNREACHABLE
    assert "Traceback" in done.stderr and "找不到主机" in done.stderr


# --- SQLite: not a database, damaged ----------------------------------------------------------


def _store_with_a_user(cli: Cli) -> None:
    cli.ok("db", "upgrade")
    assert cli.add_user("clerk1").returncode == 0


def test_a_file_that_is_not_a_database_is_refused_untouched(cli: Cli) -> None:
    content = random.Random(17).randbytes(64 * 1024)
    cli.db_file.write_bytes(content)
    for command in (["status"], ["db", "upgrade"]):
        done = cli.run(*command)
        _refused(done, DAMAGED_OR_OTHER_VERSION, f"文件 {cli.db_file} 不是数据库文件")
    assert cli.db_file.read_bytes() == content


def test_a_store_with_damaged_pages_is_refused_and_db_check_says_so(cli: Cli) -> None:
    _store_with_a_user(cli)
    data = bytearray(cli.db_file.read_bytes())
    page = 4096
    assert len(data) >= 8 * page
    noise = random.Random(4)
    # Page 1 (the header and the schema) stays; every other page is overwritten.
    data[page:] = noise.randbytes(len(data) - page)
    cli.db_file.write_bytes(bytes(data))
    done = cli.run("status")
    _refused(done, DAMAGED_OR_OTHER_VERSION, f"数据库文件 {cli.db_file} 已损坏", "从备份恢复")
    checked = cli.run("db", "check")
    _refused(checked, DAMAGED_OR_OTHER_VERSION, "已损坏")


def test_db_check_passes_an_intact_store(cli: Cli) -> None:
    _store_with_a_user(cli)
    assert "完整性检查通过" in cli.ok("db", "check")


def test_db_check_finds_damage_that_opening_does_not_reach(cli: Cli) -> None:
    _store_with_a_user(cli)
    # The root page of a table no start-up query reads (the layout of the file moves with
    # every migration that rebuilds a table, so the page is looked up, not assumed).
    ((root,),) = cli.sql("SELECT rootpage FROM sqlite_master WHERE name = 'loss_reports'")
    ((page_size,),) = cli.sql("PRAGMA page_size")
    with cli.db_file.open("r+b") as stream:
        stream.seek((int(root) - 1) * int(page_size))
        stream.write(random.Random(9).randbytes(int(page_size)))
    checked = cli.run("db", "check")
    _refused(checked, DAMAGED_OR_OTHER_VERSION, "已损坏（完整性检查读到损坏的数据页")
    _logged(cli, "db check failed", "malformed")


# --- SQLite: versions -------------------------------------------------------------------------


def test_a_store_of_a_newer_release_is_refused_and_left_alone(cli: Cli) -> None:
    _store_with_a_user(cli)
    cli.sql("UPDATE alembic_version SET version_num = '0099_from_a_newer_release'")
    before = cli.db_file.read_bytes()
    for command in (["status"], ["db", "upgrade"], ["audit", "verify"]):
        done = cli.run(*command)
        _refused(
            done, DAMAGED_OR_OTHER_VERSION,
            "已被新版本的程序升级", "0099_from_a_newer_release", str(head_revision()),
            "更新到",
        )  # fmt: skip
    assert cli.db_file.read_bytes() == before


def _store_at_old_revision(cli: Cli) -> None:
    engine = create_store_engine(cli.url)
    try:
        upgrade(engine, OLD_REVISION)
    finally:
        engine.dispose()


def test_an_older_store_is_upgraded_on_start_by_default(cli: Cli) -> None:
    _store_at_old_revision(cli)
    done = cli.run("status")
    assert done.returncode == 0, done.stderr
    assert f"版本 {head_revision()}" in done.stdout


def test_an_older_store_waits_for_db_upgrade_where_the_settings_say_so(cli: Cli) -> None:
    _store_at_old_revision(cli)
    done = cli.run("status", MEDINS_UPGRADE_ON_START="false")
    _refused(
        done, DAMAGED_OR_OTHER_VERSION,
        f"数据库版本 {OLD_REVISION}，本程序需要 {head_revision()}", "medins-desk db upgrade",
    )  # fmt: skip
    assert cli.sql("SELECT version_num FROM alembic_version") == [(OLD_REVISION,)]
    upgraded = cli.run("db", "upgrade", MEDINS_UPGRADE_ON_START="false")
    assert upgraded.returncode == 0, upgraded.stderr
    assert cli.run("status", MEDINS_UPGRADE_ON_START="false").returncode == 0


# --- SQLite: a lock held by another process ---------------------------------------------------

_HOLD_LOCK = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""


@contextlib.contextmanager
def _locked(file: Path) -> Iterator[None]:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(file)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.communicate("", timeout=30)


def test_a_lock_held_by_another_program_is_waited_for_then_named(cli: Cli) -> None:
    _store_with_a_user(cli)
    with _locked(cli.db_file):
        started = time.monotonic()
        done = cli.add_user("clerk2")
        waited = time.monotonic() - started
    _refused(done, UNREACHABLE, f"数据库文件 {cli.db_file} 被其他程序占用", "等待 10 秒仍未释放")
    assert waited >= 9.5
    assert cli.add_user("clerk2").returncode == 0  # released: it goes through


# --- SQLite: read-only, full ------------------------------------------------------------------


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[str]:
    """``folder`` made read-only. As root, file modes stop nothing, so a read-only bind mount of
    the folder over itself; as another user, file modes."""
    if AS_ROOT:
        subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
        try:
            subprocess.run(
                ["mount", "-o", "remount,ro,bind", str(folder)], check=True, capture_output=True
            )
            yield "read-only bind mount"
        finally:
            subprocess.run(["umount", str(folder)], check=True)
        return
    modes = {path: path.stat().st_mode for path in [folder, *folder.iterdir()]}
    for path in modes:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield "file modes"
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def test_a_read_only_store_is_named(cli: Cli) -> None:
    store = cli.tmp_path / "store"
    store.mkdir()
    url = f"sqlite+pysqlite:///{store / 'counter.db'}"
    assert cli.run("--db", url, "db", "upgrade", db=False).returncode == 0
    with _read_only(store):
        done = _add_user(cli, url)
    _refused(done, NOT_WRITABLE, f"数据库文件 {store / 'counter.db'} 只读", "数据未保存")


def test_a_full_disk_is_named_and_nothing_is_saved(cli: Cli) -> None:
    disk = cli.tmp_path / "disk"
    file = disk / "counter.db"
    url = f"sqlite+pysqlite:///{file}"
    if not AS_ROOT:
        pytest.fail("the full disk is a small tmpfs, which needs root", pytrace=False)
    with small_disk(disk, 2048):
        assert cli.run("--db", url, "db", "upgrade", db=False).returncode == 0
        fill(disk)
        done = _add_user(cli, url)
        _refused(done, NOT_WRITABLE, f"数据库文件 {file} 所在的磁盘已满", "数据未保存")
        (disk / "filler").unlink()
        with sqlite3.connect(file) as connection:
            users = connection.execute("SELECT username FROM users").fetchall()
        connection.close()
        assert ("clerk9",) not in users
    _logged(cli, "(OperationalError: ")


# --- the exit statuses of the other kinds -----------------------------------------------------


def test_business_refusal_and_bad_input_have_their_own_statuses(cli: Cli) -> None:
    _store_with_a_user(cli)
    duplicate = cli.add_user("clerk1")  # a ValidationError of the form: bad input
    assert duplicate.returncode == 2 and "已存在" in duplicate.stderr
    usage = cli.run("ledger", "export", "--format", "pdf", "--out", "x")
    assert usage.returncode == 2
    refused = cli.run("voucher", "print", "11010520261118001000099")
    assert refused.returncode == 1, refused.stderr
    assert "Traceback" not in refused.stderr


def test_open_store_in_process_raises_the_fault_not_the_driver_error(tmp_path: Path) -> None:
    file = tmp_path / "junk.db"
    file.write_bytes(b"not a database at all" * 100)
    from medins_desk.errors import StoreDamaged

    with pytest.raises(StoreDamaged, match="不是数据库文件"):
        open_store(f"sqlite+pysqlite:///{file}")
