"""Database fixtures: a private throwaway PostgreSQL cluster per test session, a database per test.

``postgres_server`` (session) starts a cluster of its own, the product's private cluster
(``medins_desk.hall.cluster``, which ``hall loadtest`` also starts) with durability off, and
stops it at the end. When ``MEDINS_TEST_POSTGRES_URL`` is set (an existing server's admin URL, e.g.
``postgresql://postgres:secret@127.0.0.1:5432/postgres``) that server is used instead.

``postgres_url`` (function) creates a fresh database for one test and returns its SQLAlchemy URL
(``postgresql+psycopg://...``); the database is dropped afterwards. ``sqlite_url`` is the SQLite
counterpart: a database file in the test's own ``tmp_path``.

Missing server binaries fail the tests that need them (never a skip): ``make test`` installs them.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import URL, make_url

from medins_desk.errors import ServerStartFailed
from medins_desk.hall import cluster
from medins_desk.hall.cluster import find_bindir

ENV_URL = "MEDINS_TEST_POSTGRES_URL"
# Durability off: a test's cluster is thrown away, its commits need not wait for the disk.
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}

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


class PrivateCluster(cluster.PrivateCluster):
    """The product's private cluster (``medins_desk.hall.cluster``) with durability off unless
    ``settings`` say otherwise (a primary with a synchronous standby: an acknowledged commit must
    survive it); a cluster that cannot start fails the test with the reason and the server's log.
    """

    def start(self, *, password: str | None = None, settings: dict[str, str] | None = None) -> None:
        try:
            super().start(password=password, settings=settings or FAST_SETTINGS)
        except ServerStartFailed as error:
            pytest.fail(f"{error.message}:\n{error.detail}", pytrace=False)

    def hot_standby(self, *, settings: dict[str, str] | None = None) -> PrivateCluster:
        try:
            standby = super().hot_standby(settings=settings)
        except ServerStartFailed as error:
            pytest.fail(f"{error.message}:\n{error.detail}", pytrace=False)
        assert isinstance(standby, PrivateCluster)
        return standby

    def promote(self) -> None:
        try:
            super().promote()
        except ServerStartFailed as error:
            pytest.fail(f"{error.message}:\n{error.detail}", pytrace=False)

    def resume(self) -> None:
        try:
            super().resume()
        except ServerStartFailed as error:
            pytest.fail(f"{error.message}:\n{error.detail}", pytrace=False)

    @classmethod
    def create(cls, bindir: Path) -> PrivateCluster:
        try:
            made = super().create(bindir)
        except ServerStartFailed as error:
            pytest.fail(f"{error.message} (run `make test`: it installs postgresql)", pytrace=False)
        assert isinstance(made, PrivateCluster)
        return made


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
            f"PostgreSQL server binaries (initdb, pg_ctl) not found in {cluster.BIN_GLOBS} "
            "nor on PATH. "
            "Run the tests with `make test`: it installs the Debian package postgresql "
            f"(or set {ENV_URL} to an existing server's admin URL).",
            pytrace=False,
        )
    PrivateCluster.remove_abandoned(bindir)
    server = PrivateCluster.create(bindir)
    try:
        server.start()
        yield PostgresServer(admin_url=server.url(), db_prefix="test_")
    finally:
        server.stop()


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
