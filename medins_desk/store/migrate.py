"""Run the alembic migrations programmatically (``medins-desk db upgrade``; the app on start)."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from medins_desk.errors import StoreDamaged

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the store to ``revision`` in one transaction.

    On SQLite a batch migration rebuilds a table that others point at (``persons``), which its
    foreign keys refuse row by row; as SQLite's ALTER TABLE guide says, they are switched off
    for the migration (a pragma outside any transaction) and every key is checked before the
    commit instead.
    """
    config = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite:
                    _check_foreign_keys(connection)
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        table, rowid, parent, _ = broken[0]
        raise StoreDamaged(
            f"数据库升级后有 {len(broken)} 行引用不存在的记录（如 {table} 第 {rowid} 行引用 "
            f"{parent}），升级已撤销：请联系运维人员检查数据库",
            detail=repr(broken[:20]),
        )


def current_revision(bind: Engine | Connection) -> str | None:
    """The store's schema revision (``alembic_version``), None for an empty store."""
    if isinstance(bind, Connection):
        return MigrationContext.configure(bind).get_current_revision()
    with bind.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@functools.cache
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@functools.cache
def known_revisions() -> frozenset[str]:
    """Every revision this program's migrations know; a store at any other was migrated by a
    newer release."""
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(revision.revision for revision in script.walk_revisions())


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def autogenerate_revision(message: str, *, rev_id: str | None = None) -> None:
    """For maintainers: write a new revision from the difference between the models and a
    scratch SQLite database brought to head (``python -m medins_desk.store.migrate "message"``)."""
    import tempfile

    from sqlalchemy import create_engine

    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{scratch}/scratch.db")
        upgrade(engine)
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        engine.dispose()


if __name__ == "__main__":
    import sys

    autogenerate_revision(" ".join(sys.argv[1:]) or "schema change")
