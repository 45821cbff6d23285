"""Alembic migrations: the same revisions serve SQLite counters and PostgreSQL halls."""
