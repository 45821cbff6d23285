"""The alembic revisions build exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from medins_desk.store import open_store
from medins_desk.store.migrate import current_revision, head_revision
from medins_desk.store.models import AuditHead, Base


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
