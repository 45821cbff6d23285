"""A hall's two PostgreSQL roles (issue 14 §5): the owner migrates, the counters' application role
does business and may only add to the audit log, so the log is tamper-proof on the server and not
only tamper-evident. The roles are made here on the test run's server, as README's
"A hall on PostgreSQL" says, and the grants are the ones ``medins-desk db grants`` prints.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import update

from medins_desk.domain.policy import Policy
from medins_desk.domain.roles import Role
from medins_desk.errors import StoreForbidden, StoreTooOld
from medins_desk.services.audit import verify_audit_chain
from medins_desk.services.context import Counter
from medins_desk.store import open_store
from medins_desk.store.engine import create_store_engine
from medins_desk.store.migrate import current_revision
from medins_desk.store.models import AuditEntry
from tests.helpers.cli import Cli
from tests.helpers.hall import OLD_REVISION, Hall
from tests.helpers.people import register
from tests.helpers.store import HALL, Desk, FakeClock

DAMAGED_OR_OTHER_VERSION, NOT_WRITABLE = 4, 5


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def test_the_app_role_does_business_and_may_only_append_to_the_audit_log(
    hall: Hall, cli: Cli, password_hash: str
) -> None:
    hall.upgrade(cli)
    hall.grant(cli)
    # At head, the app role opens the store without trying DDL it may not run.
    store = open_store(hall.url(hall.app))
    try:
        clock = FakeClock(datetime(2026, 11, 18, 9, 30))
        desk = Desk(store, clock, Counter(HALL, "001", Policy()), {}, password_hash)
        clerk = desk.add_user("clerk", Role.CLERK)
        with desk.session() as session:
            for n in range(1, 4):
                register(session, clerk, birth=date(1980, 5, n), sequence=n)
        with desk.session() as session:
            before = verify_audit_chain(session)
        assert before.ok and before.entries >= 3, before
        # Through the store: the refusal is a store fault with its Chinese lines.
        with pytest.raises(Exception) as refused, store.engine.begin() as connection:
            connection.execute(update(AuditEntry).values(username="super"))
        fault = store.translate(refused.value)
        assert isinstance(fault, StoreForbidden)
        assert f"拒绝了账号 {hall.app} 的这一操作（数据库账号无权限）" in fault.message
        assert "db grants" in fault.message
    finally:
        store.dispose()
    # Straight at the server, as someone holding the counters' password would try.
    with hall.connect(hall.app) as app:
        for statement in (
            "UPDATE audit_entries SET username = 'super' WHERE seq = 1",
            "DELETE FROM audit_entries WHERE seq = 2",
            "TRUNCATE audit_entries",
            "DELETE FROM audit_head",
            "INSERT INTO audit_head (id, last_seq, last_hash) VALUES (2, 0, '')",
            "ALTER TABLE audit_entries DISABLE TRIGGER ALL",
            "DROP TABLE audit_entries",
            "CREATE TABLE audit_copy (seq bigint)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
    done = cli.run("--db", hall.url(hall.app), "audit", "verify", db=False)
    assert done.returncode == 0, done.stderr
    assert f"共 {before.entries} 条，哈希链校验通过" in done.stdout


def test_the_grants_cover_every_table_and_sequence_the_app_inserts_with(
    hall: Hall, cli: Cli
) -> None:
    hall.upgrade(cli)
    hall.grant(cli)
    with hall.connect() as admin:
        tables = {
            str(name): str(privileges)
            for name, privileges in admin.execute(
                "SELECT c.relname, concat_ws(',',"
                " CASE WHEN has_table_privilege(%(app)s, c.oid, 'SELECT') THEN 'SELECT' END,"
                " CASE WHEN has_table_privilege(%(app)s, c.oid, 'INSERT') THEN 'INSERT' END,"
                " CASE WHEN has_table_privilege(%(app)s, c.oid, 'UPDATE') THEN 'UPDATE' END,"
                " CASE WHEN has_table_privilege(%(app)s, c.oid, 'DELETE') THEN 'DELETE' END,"
                " CASE WHEN has_table_privilege(%(app)s, c.oid, 'TRUNCATE') THEN 'TRUNCATE' END)"
                " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind = 'r'",
                {"app": hall.app},
            )
        }
        sequences = {
            str(name): bool(usable)
            for name, usable in admin.execute(
                "SELECT c.relname, has_sequence_privilege(%(app)s, c.oid, 'USAGE')"
                " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind = 'S'",
                {"app": hall.app},
            )
        }
        owners = {
            str(owner)
            for (owner,) in admin.execute(
                "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
            )
        }
    read_write = "SELECT,INSERT,UPDATE,DELETE"
    assert tables.pop("alembic_version") == "SELECT"
    assert tables.pop("audit_entries") == "SELECT,INSERT"
    assert tables.pop("audit_head") == "SELECT,UPDATE"
    assert tables and set(tables.values()) == {read_write}, tables
    # Every sequence but the head's (its one row comes with the migration) is usable.
    assert {name for name, usable in sequences.items() if not usable} == {"audit_head_id_seq"}
    assert owners == {hall.owner}


def test_an_old_schema_the_app_role_may_not_migrate_names_the_owner(hall: Hall, cli: Cli) -> None:
    hall.upgrade_to_old_schema()
    done = cli.run("--db", hall.url(hall.app), "status", db=False)
    assert done.returncode == DAMAGED_OR_OTHER_VERSION, done.stderr
    assert "Traceback" not in done.stderr
    assert f"数据库版本 {OLD_REVISION}" in done.stderr
    assert f"数据库账号 {hall.app}无权升级" in done.stderr
    assert "请信息科以数据库属主账号运行 medins-desk db upgrade" in done.stderr
    engine = create_store_engine(hall.url(hall.owner))
    try:
        assert current_revision(engine) == OLD_REVISION
    finally:
        engine.dispose()


def test_an_empty_database_the_app_role_may_not_create_names_the_owner(hall: Hall) -> None:
    with pytest.raises(StoreTooOld) as refused:
        open_store(hall.url(hall.app))
    assert f"尚未建表，数据库账号 {hall.app}无权建表" in refused.value.message
    assert "以数据库属主账号运行 medins-desk db upgrade" in refused.value.message
    with hall.connect() as admin:
        tables = admin.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert tables.fetchone() == (0,)


def test_forgotten_grants_are_named(hall: Hall, cli: Cli) -> None:
    hall.upgrade(cli)
    done = cli.run("--db", hall.url(hall.app), "status", db=False)
    assert done.returncode == NOT_WRITABLE, done.stderr
    assert "Traceback" not in done.stderr
    assert f"拒绝了账号 {hall.app} 的这一操作（数据库账号无权限）" in done.stderr
    assert "medins-desk db grants" in done.stderr
    log = (cli.tmp_path / "log" / "medins-desk.log").read_text(encoding="utf-8")
    assert "permission denied" in log


def test_grants_are_for_postgresql_only(cli: Cli) -> None:
    done = cli.run("db", "grants", "--role", "medins_app")
    assert done.returncode == 2, done.stderr
    assert "单窗口的 SQLite 数据库，没有数据库账号" in done.stderr


def test_db_grants_names_the_role_and_database_as_given(cli: Cli) -> None:
    url = "postgresql+psycopg://medins_owner@db-host/Medins Hall"
    done = cli.run("--db", url, "db", "grants", "--role", "Counter App", db=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "BEGIN;" and lines[-1] == "COMMIT;"
    assert 'GRANT CONNECT ON DATABASE "Medins Hall" TO "Counter App";' in lines
    assert 'GRANT SELECT, INSERT ON TABLE audit_entries TO "Counter App";' in lines
    assert not any("TRUNCATE" in line for line in lines)


def test_a_restored_store_needs_its_grants_again_and_then_serves(
    hall: Hall, cli: Cli, tmp_path: Path
) -> None:
    """README's restore, step by step on PostgreSQL: the owner backs up and restores; the new
    schema carries no privileges, so the counters' role is refused by name until the owner runs
    what ``db grants`` prints; then the counters work again."""
    hall.upgrade(cli)
    hall.grant(cli)
    owner, app = hall.url(hall.owner), hall.url(hall.app)
    assert cli.run("--db", app, "status", db=False).returncode == 0
    archive = tmp_path / "hall.dump"
    done = cli.run("--db", owner, "db", "backup", "--out", str(archive), db=False)
    assert done.returncode == 0, done.stderr
    done = cli.run("--db", owner, "db", "restore", str(archive), "--force", db=False)
    assert done.returncode == 0, done.stderr

    refused = cli.run("--db", app, "status", db=False)
    assert refused.returncode == NOT_WRITABLE, refused.stderr
    assert "medins-desk db grants" in refused.stderr
    hall.grant(cli)
    assert cli.run("--db", app, "status", db=False).returncode == 0
    checked = cli.run("--db", owner, "db", "check", db=False)
    assert checked.returncode == 0, checked.stderr
