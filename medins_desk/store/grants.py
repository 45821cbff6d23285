"""授权: the privileges of a hall's application role on PostgreSQL (issue 14 §5).

A hall runs with two roles: the owner, who owns the database and its tables and runs
``medins-desk db upgrade``, and the application role the counters connect as, which owns nothing
(so it can change no table's shape) and may read and write the business tables, but no more than
a model's ``info={"app_privileges": (...)}`` says: the audit log only SELECT and INSERT (never
UPDATE, DELETE or TRUNCATE), its head row only SELECT and UPDATE. The statements are made from
the models' tables, so a table a migration adds is granted when IT runs them again after the
upgrade.
"""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql.base import PGDialect

from medins_desk.store.models import Base

# alembic's table of the schema revision: the app reads it at start to refuse an old or new schema.
VERSION_TABLE = "alembic_version"
SCHEMA = "public"
READ_WRITE = ("SELECT", "INSERT", "UPDATE", "DELETE")

_quote = PGDialect().identifier_preparer.quote  # type: ignore[no-untyped-call]


def app_privileges(table: Table) -> tuple[str, ...]:
    """What the application role may do to ``table``: its model's ``app_privileges``, else
    read and write."""
    return tuple(table.info.get("app_privileges", READ_WRITE))


def serial_sequence(table: Table) -> str | None:
    """The sequence PostgreSQL made for the table's SERIAL key (``<table>_<column>_seq``), if any;
    inserting a row takes a number from it, which needs USAGE."""
    column = table.autoincrement_column
    return None if column is None else f"{table.name}_{column.name}_seq"


def application_grants(role: str, *, database: str) -> list[str]:
    """The statements, in order, that give ``role`` exactly what the counters need on
    ``database``; run by the owner. They start by taking back every table and sequence privilege
    the role held, so running them again after an upgrade also drops what the new schema no
    longer allows."""
    who = _quote(role)
    statements = [
        f"GRANT CONNECT ON DATABASE {_quote(database)} TO {who}",
        f"GRANT USAGE ON SCHEMA {SCHEMA} TO {who}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {SCHEMA} FROM {who}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {SCHEMA} FROM {who}",
        f"GRANT SELECT ON TABLE {VERSION_TABLE} TO {who}",
    ]
    tables = Base.metadata.sorted_tables
    for table in tables:
        privileges = ", ".join(app_privileges(table))
        statements.append(f"GRANT {privileges} ON TABLE {_quote(table.name)} TO {who}")
    for table in tables:
        sequence = serial_sequence(table)
        if sequence is not None and "INSERT" in app_privileges(table):
            statements.append(f"GRANT USAGE ON SEQUENCE {_quote(sequence)} TO {who}")
    return statements


def grants_script(role: str, *, database: str) -> str:
    """:func:`application_grants` as one transaction for ``psql``."""
    body = "".join(f"{statement};\n" for statement in application_grants(role, database=database))
    return f"BEGIN;\n{body}COMMIT;\n"
