"""The database fixtures give real, separate databases: PostgreSQL per test and SQLite files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.helpers.postgres import ENV_URL, PostgresServer

# Databases seen by test_each_test_gets_a_fresh_database, in the order its runs happened.
_seen_databases: list[str] = []


def test_the_url_reaches_a_real_postgresql_server_through_psycopg(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        assert engine.dialect.name == "postgresql"
        assert engine.dialect.driver == "psycopg"
        with engine.connect() as conn:
            version = conn.execute(text("select version()")).scalar_one()
            version_num = int(conn.execute(text("show server_version_num")).scalar_one())
            encoding = conn.execute(text("show server_encoding")).scalar_one()
            database = conn.execute(text("select current_database()")).scalar_one()
    finally:
        engine.dispose()
    assert "PostgreSQL" in version
    assert version_num >= 150000
    assert encoding == "UTF8"
    assert postgres_url.endswith(f"/{database}")


def test_chinese_text_round_trips(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("create table person (name text not null)"))
            conn.execute(text("insert into person values (:name)"), {"name": "张三丰𠮷"})
            assert conn.execute(text("select name from person")).scalar_one() == "张三丰𠮷"
            assert conn.execute(text("select length(name) from person")).scalar_one() == 4
    finally:
        engine.dispose()


@pytest.mark.skipif(bool(os.environ.get(ENV_URL)), reason="settings of the private cluster only")
def test_the_private_cluster_runs_on_loopback_without_durability(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            settings = {
                name: conn.execute(text(f"show {name}")).scalar_one()
                for name in ("fsync", "synchronous_commit", "full_page_writes", "listen_addresses")
            }
    finally:
        engine.dispose()
    assert settings == {
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "listen_addresses": "127.0.0.1",
    }


@pytest.mark.parametrize("run", ["first", "second"])
def test_each_test_gets_a_fresh_database(
    run: str, postgres_url: str, postgres_server: PostgresServer
) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            database = conn.execute(text("select current_database()")).scalar_one()
            # Empty although the earlier run left a table in its own database.
            assert inspect(conn).get_table_names() == []
            conn.execute(text("create table marker (run text)"))
            conn.execute(text("insert into marker values (:run)"), {"run": run})
    finally:
        engine.dispose()

    assert database not in _seen_databases
    with postgres_server.connect_admin() as admin:
        existing = {row[0] for row in admin.execute("select datname from pg_database")}
    assert database in existing
    # The databases of earlier tests were dropped when those tests ended.
    assert existing.isdisjoint(_seen_databases)
    _seen_databases.append(database)


def test_sqlite_url_is_a_file_in_the_tests_tmp_path(sqlite_url: str, tmp_path: Path) -> None:
    engine = create_engine(sqlite_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("create table person (name text)"))
            conn.execute(text("insert into person values ('李四')"))
    finally:
        engine.dispose()
    assert engine.dialect.name == "sqlite"
    assert (tmp_path / "medins.db").is_file()
    reopened = create_engine(sqlite_url)
    try:
        with reopened.connect() as conn:
            assert conn.execute(text("select name from person")).scalar_one() == "李四"
    finally:
        reopened.dispose()
