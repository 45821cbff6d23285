"""A hall's URL naming a primary and its standby, in each of libpq's and SQLAlchemy's forms, and
the messages that name both servers (issue 14 §6). The failover itself is
``integration/test_failover.py``, on real clusters."""

from __future__ import annotations

import psycopg
import pytest

from medins_desk.errors import StoreUnreachable
from medins_desk.store.backup.postgres import _conninfo
from medins_desk.store.faults import StoreLocation, classify, store_url

PAIR = "数据库服务器 db-1:5432、db-2:5433 上的数据库 medins"


@pytest.mark.parametrize(
    "url",
    [
        # SQLAlchemy's documented forms
        "postgresql+psycopg://app:pw@/medins?host=db-1:5432&host=db-2:5433"
        "&target_session_attrs=read-write",
        "postgresql+psycopg://app:pw@/medins?host=db-1,db-2&port=5432,5433"
        "&target_session_attrs=read-write",
        # libpq's, which SQLAlchemy alone would misread or refuse
        "postgresql+psycopg://app:pw@/medins?host=db-1:5432,db-2:5433"
        "&target_session_attrs=read-write",
        "postgresql+psycopg://app:pw@db-1:5432,db-2:5433/medins?target_session_attrs=read-write",
    ],
)
def test_every_form_of_a_primary_and_its_standby_names_both(url: str) -> None:
    location = StoreLocation.of(url)
    assert location.named == PAIR
    assert str(location) == "PostgreSQL db-1:5432,db-2:5433/medins"
    assert location.username == "app" and location.several
    # What the driver gets, and the backup tools: both hosts, in order, with the session rule.
    _args, params = store_url(url).get_dialect()().create_connect_args(store_url(url))
    assert (params["host"], params["port"]) == ("db-1,db-2", "5432,5433")
    assert params["target_session_attrs"] == "read-write" and params["password"] == "pw"
    conninfo = _conninfo(url)
    assert "host=db-1,db-2" in conninfo and "port=5432,5433" in conninfo
    assert "target_session_attrs=read-write" in conninfo and "pw" not in conninfo


def test_a_one_server_url_is_read_as_before() -> None:
    url = "postgresql+psycopg://app:p%40ss@db-1:5432/medins?sslmode=verify-full"
    assert store_url(url) == store_url(store_url(url))
    assert store_url(url).render_as_string(hide_password=False) == url
    assert StoreLocation.of(url).named == "数据库服务器 db-1:5432 上的数据库 medins"
    assert not StoreLocation.of(url).several


PAIR_URL = "postgresql+psycopg://app:pw@db-1:5432,db-2:5433/medins?target_session_attrs=read-write"

# psycopg's text when it tried both: the primary refused, the standby only reads.
NO_PRIMARY = (
    'connection failed: connection to server at "10.0.0.2", port 5433 failed: session is '
    "read-only\nMultiple connection attempts failed. All failures were:\n- host: 'db-1', port: "
    "'5432', hostaddr: '10.0.0.1': connection failed: connection to server at \"10.0.0.1\", port "
    "5432 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP "
    "connections?\n- host: 'db-2', port: '5433', hostaddr: '10.0.0.2': connection failed: "
    'connection to server at "10.0.0.2", port 5433 failed: session is read-only'
)


def test_no_writable_server_is_told_as_such_not_as_a_refusal() -> None:
    fault = classify(psycopg.OperationalError(NO_PRIMARY), StoreLocation.of(PAIR_URL))
    assert isinstance(fault, StoreUnreachable) and fault.retry
    assert "数据库服务器 db-1:5432、db-2:5433 中没有可写入的主库" in fault.message
    assert "提升为主库" in fault.message
    assert "session is read-only" in fault.detail  # for the log


def test_a_connection_lost_at_the_commit_leaves_the_outcome_unknown() -> None:
    lost = psycopg.OperationalError("consuming input failed: server closed the connection")
    where = StoreLocation.of(PAIR_URL)
    at_commit = classify(lost, where, at_commit=True)
    assert at_commit is not None and at_commit.retry
    assert "在提交时中断" in at_commit.message and "尚不确定" in at_commit.message
    assert "不会重复办理" in at_commit.message
    before = classify(lost, where)
    assert before is not None and "本次操作未完成" in before.message
