"""A hall's two PostgreSQL roles on the test run's server, as README's "A hall on PostgreSQL"
sets them up: the owner migrates, the counters' application role does business."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import make_url

from medins_desk.store.engine import create_store_engine
from medins_desk.store.migrate import upgrade
from tests.helpers.cli import Cli
from tests.helpers.postgres import PostgresServer

# A revision older than head, whose tables the later ones add to.
OLD_REVISION = "0002_voucher_printed_at"
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Hall:
    """One test's database, owned by ``owner``; ``app`` is the counters' role."""

    server: PostgresServer
    database: str
    owner: str
    app: str

    def url(self, role: str) -> str:
        url = make_url(self.server.url_for(self.database))
        return url.set(username=role, password="hall-secret").render_as_string(hide_password=False)

    def connect(self, role: str | None = None) -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection to the hall's database, as ``role`` (else the superuser)."""
        url = make_url(self.url(role)) if role else self.server.admin_url
        return psycopg.connect(
            host=url.host, port=url.port, user=url.username, password=url.password,
            dbname=self.database, autocommit=True,
        )  # fmt: skip

    def upgrade(self, cli: Cli) -> None:
        """``db upgrade`` as the owner, which ends by naming the grants to run."""
        done = cli.run("--db", self.url(self.owner), "db", "upgrade", db=False)
        assert done.returncode == 0, done.stderr
        assert "db grants --role" in done.stdout, done.stdout

    def upgrade_to_old_schema(self) -> None:
        """The schema of an earlier release, which the app role may read the version of."""
        engine = create_store_engine(self.url(self.owner))
        try:
            upgrade(engine, OLD_REVISION)
        finally:
            engine.dispose()
        with self.connect(self.owner) as owner:
            owner.execute(
                sql.SQL("GRANT SELECT ON alembic_version TO {}").format(sql.Identifier(self.app))
            )

    def grant(self, cli: Cli) -> None:
        """Run what ``db grants --role app`` prints, as the owner (as IT pipes it into psql)."""
        done = cli.run("--db", self.url(self.owner), "db", "grants", "--role", self.app, db=False)
        assert done.returncode == 0, done.stderr
        with self.connect(self.owner) as connection:
            connection.execute(done.stdout.encode())


@pytest.fixture
def hall(postgres_server: PostgresServer, postgres_url: str) -> Iterator[Hall]:
    """The roles and the database's ownership as README's "A hall on PostgreSQL" sets them up."""
    number = next(_numbers)
    database = make_url(postgres_url).database
    assert database is not None
    hall = Hall(postgres_server, database, f"medins_owner_{number}", f"medins_app_{number}")
    owner, app = sql.Identifier(hall.owner), sql.Identifier(hall.app)
    with postgres_server.connect_admin() as admin:
        for role in (owner, app):
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'hall-secret'").format(role))
        admin.execute(
            sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(database), owner)
        )
    with hall.connect() as admin:
        admin.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        admin.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(owner))
    try:
        yield hall
    finally:
        superuser = sql.Identifier(str(postgres_server.admin_url.username))
        with hall.connect() as admin:
            admin.execute(sql.SQL("REASSIGN OWNED BY {} TO {}").format(owner, superuser))
            admin.execute(sql.SQL("DROP OWNED BY {}, {}").format(owner, app))
        with postgres_server.connect_admin() as admin:
            admin.execute(sql.SQL("DROP ROLE {}, {}").format(owner, app))
