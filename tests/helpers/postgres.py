"""Database fixtures: a private throwaway PostgreSQL cluster per test session, a database per test.

``postgres_server`` (session) starts a cluster of its own with the newest server binaries found in
``/usr/lib/postgresql/*/bin`` (or on PATH): ``initdb`` into a temporary folder, then
``pg_ctl start`` on a free loopback port with durability off, and ``pg_ctl -m immediate stop`` at
the end. As root, both run as the ``postgres`` user through ``runuser`` (initdb refuses to run as
root). When ``MEDINS_TEST_POSTGRES_URL`` is set (an existing server's admin URL, e.g.
``postgresql://postgres:secret@127.0.0.1:5432/postgres``) that server is used instead.

``postgres_url`` (function) creates a fresh database for one test and returns its SQLAlchemy URL
(``postgresql+psycopg://...``); the database is dropped afterwards. ``sqlite_url`` is the SQLite
counterpart: a database file in the test's own ``tmp_path``.

Missing server binaries fail the tests that need them (never a skip): ``make test`` installs them.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import URL, make_url

ENV_URL = "MEDINS_TEST_POSTGRES_URL"
BIN_GLOB = "/usr/lib/postgresql/*/bin"
SERVER_OS_USER = "postgres"  # runs initdb and the server when the tests run as root
SUPERUSER = "postgres"  # the cluster's superuser, whoever runs the tests
_TMP_PREFIX = "medins-pg-"
_OWNER_FILE = "owner.pid"

_db_numbers = itertools.count(1)


@dataclass(frozen=True)
class PostgresServer:
    """A running server that tests may create databases in."""

    admin_url: URL  # the maintenance database, driver psycopg
    db_prefix: str  # names of the databases created for tests start with this

    def url_for(self, dbname: str) -> str:
        """SQLAlchemy URL (password included) of database ``dbname`` on this server."""
        return self.admin_url.set(database=dbname).render_as_string(hide_password=False)

    def connect_admin(self) -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit psycopg connection to the maintenance database."""
        url = self.admin_url
        params: dict[str, str | int | None] = {
            "host": url.host,
            "port": url.port,
            "user": url.username,
            "password": url.password,
            "dbname": url.database,
            "connect_timeout": 10,
        }
        present = {key: value for key, value in params.items() if value is not None}
        return psycopg.connect(make_conninfo("", **present), autocommit=True)


def find_bindir() -> Path | None:
    """The folder of the newest PostgreSQL server binaries (initdb and pg_ctl), or None."""
    found: list[tuple[int, Path]] = []
    for candidate in Path("/").glob(BIN_GLOB.lstrip("/")):
        match = re.search(r"/postgresql/(\d+)[^/]*/bin$", str(candidate))
        if match and (candidate / "initdb").is_file() and (candidate / "pg_ctl").is_file():
            found.append((int(match[1]), candidate))
    if found:
        return max(found)[1]
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl and Path(initdb).parent == Path(pg_ctl).parent:
        return Path(initdb).parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class PrivateCluster:
    """A throwaway cluster in a temporary folder; the server runs until ``stop()``."""

    def __init__(self, bindir: Path, base: Path) -> None:
        self.bindir = bindir
        self.base = base
        self.as_root = os.geteuid() == 0
        self.data = base / "data"
        self.sockdir = base / "sock"
        self.logfile = base / "server.log"
        self.port: int | None = None

    @classmethod
    def create(cls, bindir: Path) -> PrivateCluster:
        """A new empty folder for a cluster, writable by the user the server will run as."""
        cluster = cls(bindir, Path(tempfile.mkdtemp(prefix=_TMP_PREFIX)))
        (cluster.base / _OWNER_FILE).write_text(f"{os.getpid()}\n")
        cluster.sockdir.mkdir()
        if cluster.as_root:
            try:
                entry = pwd.getpwnam(SERVER_OS_USER)
            except KeyError:
                cluster.remove()
                pytest.fail(
                    f"the tests run as root, so the cluster must run as user {SERVER_OS_USER!r}, "
                    "which does not exist: run `make test` (it installs the Debian package "
                    "postgresql, which creates that user)",
                    pytrace=False,
                )
            for path in (cluster.base, cluster.sockdir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        return cluster

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", SERVER_OS_USER, "--", *cmd]
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        return subprocess.run(
            cmd,
            cwd=self.base,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def start(self, *, password: str | None = None) -> None:
        """initdb and start; with ``password`` the superuser needs it (scram-sha-256 over TCP)."""
        auth = ["-A", "trust"]
        if password is not None:
            pwfile = self.base / "pwfile"
            pwfile.write_text(password + "\n")
            if self.as_root:
                entry = pwd.getpwnam(SERVER_OS_USER)
                os.chown(pwfile, entry.pw_uid, entry.pw_gid)
            auth = ["-A", "scram-sha-256", f"--pwfile={pwfile}"]
        initdb = self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, *auth, "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        if initdb.returncode != 0:
            pytest.fail(f"initdb failed:\n{initdb.stdout}\n{initdb.stderr}", pytrace=False)
        for _attempt in range(3):
            port = _free_port()
            options = (
                f"-p {port} -k {shlex.quote(str(self.sockdir))} -c listen_addresses=127.0.0.1"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            started = self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-w", "-t", "60",
                "-o", options, "start",
            )  # fmt: skip
            if started.returncode == 0:
                self.port = port
                return
            # Another process may have taken the port between the probe and the server's bind.
            if "could not bind" not in self._log_tail():
                break
        pytest.fail(
            f"pg_ctl start failed:\n{started.stdout}\n{started.stderr}\n"
            f"server log:\n{self._log_tail()}",
            pytrace=False,
        )

    def stop(self) -> None:
        self.halt()
        self.remove()

    def halt(self, mode: str = "immediate") -> None:
        """Stop the server and keep the cluster (``resume`` starts it again on the same port).
        ``immediate`` is a crash (commits not yet flushed are lost: ``synchronous_commit`` is
        off); ``fast`` is how ``pg_ctl restart`` stops, everything committed kept."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def resume(self) -> None:
        options = (
            f"-p {self.port} -k {shlex.quote(str(self.sockdir))} -c listen_addresses=127.0.0.1"
            " -c fsync=off"
        )
        started = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-w", "-t", "60",
            "-o", options, "start",
        )  # fmt: skip
        if started.returncode != 0:
            pytest.fail(f"pg_ctl start failed:\n{self._log_tail()}", pytrace=False)

    def remove(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)

    @classmethod
    def remove_abandoned(cls, bindir: Path) -> None:
        """Stops and removes clusters left behind by test runs that were killed."""
        for base in Path(tempfile.gettempdir()).glob(f"{_TMP_PREFIX}*"):
            with contextlib.suppress(OSError, ValueError):
                owner = base / _OWNER_FILE
                if owner.exists():
                    if _pid_alive(int(owner.read_text())):
                        continue
                elif time.time() - base.stat().st_mtime < 600:
                    continue  # a run that is starting right now
                cls(bindir, base).stop()


def _external_server(value: str) -> PostgresServer:
    url = make_url(value)
    if url.get_backend_name() != "postgresql":
        pytest.fail(f"{ENV_URL} must be a postgresql:// URL, not {url.drivername}", pytrace=False)
    url = url.set(drivername="postgresql+psycopg", database=url.database or "postgres")
    # Another run may use the same server at the same time: keep our database names apart.
    return PostgresServer(admin_url=url, db_prefix=f"test_{os.getpid()}_")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The PostgreSQL server of this test run (private cluster, or ``MEDINS_TEST_POSTGRES_URL``)."""
    external = os.environ.get(ENV_URL)
    if external:
        yield _external_server(external)
        return
    bindir = find_bindir()
    if bindir is None:
        pytest.fail(
            f"PostgreSQL server binaries (initdb, pg_ctl) not found in {BIN_GLOB} nor on PATH. "
            "Run the tests with `make test`: it installs the Debian package postgresql "
            f"(or set {ENV_URL} to an existing server's admin URL).",
            pytrace=False,
        )
    PrivateCluster.remove_abandoned(bindir)
    cluster = PrivateCluster.create(bindir)
    try:
        cluster.start()
        assert cluster.port is not None
        yield PostgresServer(
            admin_url=URL.create(
                "postgresql+psycopg",
                username=SUPERUSER,
                host="127.0.0.1",
                port=cluster.port,
                database="postgres",
            ),
            db_prefix="test_",
        )
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """URL of a new, empty PostgreSQL database for this test alone (dropped afterwards)."""
    name = f"{postgres_server.db_prefix}{next(_db_numbers)}"
    with postgres_server.connect_admin() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield postgres_server.url_for(name)
    finally:
        with postgres_server.connect_admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a SQLite database file (not created yet) in this test's ``tmp_path``."""
    return f"sqlite+pysqlite:///{tmp_path / 'medins.db'}"
