"""A private, throwaway PostgreSQL cluster (临时数据库服务器) for a load test or a test run.

``initdb`` into a temporary folder, then ``pg_ctl start`` on a free loopback port, with the
newest server binaries found in ``/usr/lib/postgresql/<N>/bin`` (Debian),
``C:/Program Files/PostgreSQL/<N>/bin`` (Windows) or on PATH. As root, both run as the
``postgres`` user through ``runuser`` (initdb refuses to run as root). The cluster's superuser
is ``postgres``; without a password it trusts local connections. ``stop`` ends the server and
removes the folder; ``remove_abandoned`` cleans up after runs that were killed.

A cluster started with :data:`SYNCHRONOUS_PRIMARY` is a hall's primary: ``hot_standby`` makes
its streaming hot standby (备库) with PostgreSQL's own tools (``pg_basebackup -R`` through a
replication slot), and ``promote`` makes the standby the primary when the primary is gone, as
the README's "A standby server" tells a hall's IT to do.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy.engine import URL

from medins_desk.errors import ServerStartFailed

BIN_GLOBS = ("/usr/lib/postgresql/*/bin", "C:/Program Files/PostgreSQL/*/bin")
SERVER_OS_USER = "postgres"  # runs initdb and the server when we run as root
SUPERUSER = "postgres"  # the cluster's superuser, whoever starts it
# The standby's name: its application_name towards the primary (which synchronous_standby_names
# lists) and its replication slot's.
STANDBY_NAME = "medins_standby"
# A primary whose every commit waits until the standby has it: an act the clerk was told is done
# survives the primary's loss. remote_apply (the standby has also replayed it) rather than on
# (flushed): the failover test pauses the standby's replay to hold commits in flight.
SYNCHRONOUS_PRIMARY = {
    "synchronous_standby_names": STANDBY_NAME,
    "synchronous_commit": "remote_apply",
}
_TMP_PREFIX = "medins-pg-"
_OWNER_FILE = "owner.pid"


def find_bindir() -> Path | None:
    """The folder of the newest PostgreSQL server binaries (initdb and pg_ctl), or None."""
    found: list[tuple[int, Path]] = []
    for pattern in BIN_GLOBS:
        anchor = Path(pattern).anchor
        for candidate in Path(anchor).glob(pattern[len(anchor) :]):
            match = re.search(r"PostgreSQL[/\\](\d+)[^/\\]*[/\\]bin$", str(candidate), re.I)
            if match and _has_server(candidate):
                found.append((int(match[1]), candidate))
    if found:
        return max(found)[1]
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl and Path(initdb).parent == Path(pg_ctl).parent:
        return Path(initdb).parent
    return None


def _has_server(folder: Path) -> bool:
    return any((folder / f"initdb{ext}").is_file() for ext in ("", ".exe")) and any(
        (folder / f"pg_ctl{ext}").is_file() for ext in ("", ".exe")
    )


def require_bindir() -> Path:
    """:func:`find_bindir`, or :class:`ServerStartFailed` saying what to install."""
    bindir = find_bindir()
    if bindir is None:
        raise ServerStartFailed(
            "本机找不到 PostgreSQL 服务器程序（initdb、pg_ctl）。请安装 PostgreSQL 服务器"
            "（Debian：apt-get install postgresql），或用 --db 指定一个已有的数据库。"
        )
    return bindir


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
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


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _server_user_ids() -> tuple[int, int]:
    import pwd  # POSIX only: a root run exists only there

    try:
        entry = pwd.getpwnam(SERVER_OS_USER)
    except KeyError:
        raise ServerStartFailed(
            f"以 root 运行时数据库服务器须以系统用户 {SERVER_OS_USER} 运行，但该用户不存在；"
            "请安装 PostgreSQL 服务器（Debian：apt-get install postgresql），或换普通用户运行。"
        ) from None
    return entry.pw_uid, entry.pw_gid


class PrivateCluster:
    """A throwaway cluster in a temporary folder; the server runs until ``stop()``."""

    def __init__(self, bindir: Path, base: Path) -> None:
        self.bindir = bindir
        self.base = base
        self.as_root = _running_as_root()
        self.data = base / "data"
        self.sockdir = base / "sock"
        self.logfile = base / "server.log"
        self.port: int | None = None
        self._options = ""

    @classmethod
    def create(cls, bindir: Path) -> PrivateCluster:
        """A new empty folder for a cluster, writable by the user the server will run as."""
        cluster = cls(bindir, Path(tempfile.mkdtemp(prefix=_TMP_PREFIX)))
        (cluster.base / _OWNER_FILE).write_text(f"{os.getpid()}\n")
        cluster.sockdir.mkdir()
        if cluster.as_root:
            try:
                uid, gid = _server_user_ids()
            except ServerStartFailed:
                cluster.remove()
                raise
            for path in (cluster.base, cluster.sockdir):
                os.chown(path, uid, gid)
        return cluster

    def url(self, database: str = "postgres", *, password: str | None = None) -> URL:
        """The SQLAlchemy URL of ``database`` on this cluster, as its superuser."""
        return URL.create(
            "postgresql+psycopg",
            username=SUPERUSER,
            password=password,
            host="127.0.0.1",
            port=self.port,
            database=database,
        )

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

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def start(self, *, password: str | None = None, settings: dict[str, str] | None = None) -> None:
        """initdb and start; with ``password`` the superuser needs it (scram-sha-256 over TCP).
        ``settings`` are server parameters (``-c name=value``), e.g. ``fsync=off`` for tests."""
        auth = ["-A", "trust"]
        if password is not None:
            pwfile = self.base / "pwfile"
            pwfile.write_text(password + "\n")
            if self.as_root:
                os.chown(pwfile, *_server_user_ids())
            auth = ["-A", "scram-sha-256", f"--pwfile={pwfile}"]
        initdb = self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, *auth, "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        if initdb.returncode != 0:
            raise ServerStartFailed(
                "临时数据库服务器初始化失败（initdb）", detail=initdb.stdout + initdb.stderr
            )
        self._start_on_free_port(settings)

    def hot_standby(self, *, settings: dict[str, str] | None = None) -> PrivateCluster:
        """备库: a new cluster streaming from this one, started and in hot standby.

        ``pg_basebackup -R`` copies this cluster through a new replication slot
        (:data:`STANDBY_NAME`, so the primary keeps the WAL the standby has not received) and
        writes ``primary_conninfo`` with that application_name and ``standby.signal``. This
        cluster must be running and trust local connections (no password)."""
        standby = type(self).create(self.bindir)
        source = f"host=127.0.0.1 port={self.port} user={SUPERUSER} application_name={STANDBY_NAME}"
        copied = standby._run(
            "pg_basebackup", "-D", str(standby.data), "-d", source, "-R", "-C", "-S", STANDBY_NAME,
            "-X", "stream", "-c", "fast", "--no-sync",
        )  # fmt: skip
        if copied.returncode != 0:
            standby.remove()
            raise ServerStartFailed(
                "备库的基础备份未能完成（pg_basebackup）", detail=copied.stdout + copied.stderr
            )
        try:
            standby._start_on_free_port(settings)
        except ServerStartFailed:
            standby.remove()
            raise
        return standby

    def promote(self) -> None:
        """提升备库: this standby ends recovery and becomes the primary (``pg_ctl promote``)."""
        promoted = self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "promote")
        if promoted.returncode != 0:
            raise ServerStartFailed(
                "备库未能提升为主库（pg_ctl promote）",
                detail=f"{promoted.stdout}\n{promoted.stderr}\nserver log:\n{self.log_tail()}",
            )

    def _start_on_free_port(self, settings: dict[str, str] | None) -> None:
        self._options = " ".join(f"-c {name}={value}" for name, value in (settings or {}).items())
        for _attempt in range(3):
            self.port = free_port()
            started = self._pg_ctl_start()
            if started.returncode == 0:
                return
            # Another process may have taken the port between the probe and the server's bind.
            if "could not bind" not in self.log_tail():
                break
        raise ServerStartFailed(
            "临时数据库服务器未能启动（pg_ctl start）",
            detail=f"{started.stdout}\n{started.stderr}\nserver log:\n{self.log_tail()}",
        )

    def _pg_ctl_start(self) -> subprocess.CompletedProcess[str]:
        options = (
            f"-p {self.port} -k {shlex.quote(str(self.sockdir))} -c listen_addresses=127.0.0.1 "
            + self._options
        )
        return self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-w", "-t", "60",
            "-o", options, "start",
        )  # fmt: skip

    def stop(self) -> None:
        self.halt()
        self.remove()

    def halt(self, mode: str = "immediate") -> None:
        """Stop the server and keep the cluster (``resume`` starts it again on the same port).
        ``immediate`` is a crash (commits not yet flushed are lost where ``synchronous_commit``
        is off); ``fast`` is how ``pg_ctl restart`` stops, everything committed kept."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def resume(self) -> None:
        started = self._pg_ctl_start()
        if started.returncode != 0:
            raise ServerStartFailed(
                "临时数据库服务器未能重新启动（pg_ctl start）", detail=self.log_tail()
            )

    def remove(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)

    @classmethod
    def remove_abandoned(cls, bindir: Path) -> None:
        """Stops and removes clusters left behind by runs that were killed."""
        for base in Path(tempfile.gettempdir()).glob(f"{_TMP_PREFIX}*"):
            with contextlib.suppress(OSError, ValueError):
                owner = base / _OWNER_FILE
                if owner.exists():
                    if _pid_alive(int(owner.read_text())):
                        continue
                elif time.time() - base.stat().st_mtime < 600:
                    continue  # a run that is starting right now
                cls(bindir, base).stop()
