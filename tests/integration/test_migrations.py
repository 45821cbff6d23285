"""The alembic revisions build exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from medins_desk.store import open_store
from medins_desk.store.engine import create_store_engine
from medins_desk.store.migrate import alembic_config, current_revision, head_revision, upgrade
from medins_desk.store.models import AuditHead, Base, Enrollment, Person


def _assert_no_drift(url: str) -> None:
    store = open_store(url)
    try:
        assert current_revision(store.engine) == head_revision()
        with store.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        with store.sessions() as session:
            head = session.scalars(select(AuditHead)).one()
        assert (head.id, head.last_seq, head.last_hash) == (1, 0, "0" * 64)
        # Upgrading an up-to-date store is a no-op.
        open_store(url).dispose()
    finally:
        store.dispose()


def test_migrations_match_the_models_on_sqlite(sqlite_url: str) -> None:
    _assert_no_drift(sqlite_url)


def test_migrations_match_the_models_on_postgresql(postgres_url: str) -> None:
    _assert_no_drift(postgres_url)


def test_sqlite_store_runs_wal_with_foreign_keys(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    finally:
        store.dispose()


def _upgrade_a_store_in_use(url: str) -> None:
    """A store a hall has used at 0002 (people, and enrollments that point at them) reaches
    head with every row kept: 0003 rebuilds ``persons`` on SQLite while others reference it."""
    engine = create_store_engine(url)
    try:
        upgrade(engine, "0002_voucher_printed_at")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO persons (id, id_number, id_kind, name, name_initials, sex,"
                    " birth_date, created_at, updated_at) VALUES (7, '110101199003070014',"
                    " 'resident', '张喆', 'ZZ', '1', '1990-03-07', '2026-01-05 09:00:00',"
                    " '2026-01-05 09:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO enrollments (person_id, insurance_type, status, region_code,"
                    " start_date, actual_months, deemed_months, account_balance_fen, updated_at)"
                    " VALUES (7, 'resident', 'active', '110101', '2020-01-01', 70, 0, 0,"
                    " '2026-01-05 09:00:00')"
                )
            )
        upgrade(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
    store = open_store(url)
    try:
        with store.sessions() as session:
            person = session.scalars(select(Person)).one()
            enrollment = session.scalars(select(Enrollment)).one()
        assert (person.id, person.name, person.guardian_id) == (7, "张喆", None)
        assert (enrollment.person_id, enrollment.category) == (7, None)
        with store.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_store_in_use_upgrades_with_its_rows(
    backend: str, request: pytest.FixtureRequest
) -> None:
    _upgrade_a_store_in_use(request.getfixturevalue(f"{backend}_url"))


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_the_inheritance_table_goes_down_and_up_again(
    backend: str, request: pytest.FixtureRequest
) -> None:
    """0006_account_inheritance adds one table and nothing else: its downgrade removes it."""
    engine = create_store_engine(request.getfixturevalue(f"{backend}_url"))
    try:
        upgrade(engine, "0006_account_inheritance")
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0005_medical_filings")
        assert "account_inheritances" not in inspect(engine).get_table_names()
        upgrade(engine, "0006_account_inheritance")
        assert "account_inheritances" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
