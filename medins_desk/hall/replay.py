"""The bare baseline of a load run: an act's own SQL replayed with psycopg, no ORM.

A :class:`Recorder` sees every statement the counter's psycopg connections receive (their
cursor class records it, so the person look-up's raw cursor is seen as well as the sessions')
and the commits and rollbacks of its engine. :func:`replay` sends the same statements with the
same parameters in one psycopg transaction to a twin of the store: a copy taken before the run
(``CREATE DATABASE ... TEMPLATE``), whose foreign keys are dropped because the replayed rows
point at rows the twin never got (the ids the live store gave). The twin thus checks a little
less than the store does, which favours the baseline.
"""

from __future__ import annotations

import time
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy import Engine, event
from sqlalchemy.engine import URL, make_url

COMMIT, ROLLBACK = "COMMIT", "ROLLBACK"
Step = tuple[str, Any, bool]  # SQL, parameters, executemany


class Recorder:
    """The statements one act sent, when asked to record (``start``/``stop``)."""

    def __init__(self, engine: Engine) -> None:
        self.steps: list[Step] | None = None
        recorder = self

        class RecordingCursor(psycopg.Cursor[Any]):
            def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
                if recorder.steps is not None:
                    recorder.steps.append((query, params, False))
                return super().execute(query, params, **kwargs)

            def executemany(self, query: Any, params_seq: Any, **kwargs: Any) -> None:
                if recorder.steps is not None:
                    params_seq = list(params_seq)
                    recorder.steps.append((query, params_seq, True))
                super().executemany(query, params_seq, **kwargs)

        def connected(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.cursor_factory = RecordingCursor

        event.listen(engine, "connect", connected)
        event.listen(engine, "commit", lambda _conn: self._boundary(COMMIT))
        event.listen(engine, "rollback", lambda _conn: self._boundary(ROLLBACK))
        engine.dispose()  # connections made before this are not recorded: drop them

    def _boundary(self, step: str) -> None:
        # SQLAlchemy also "rolls back" a connection going back to the pool outside a
        # transaction: only the end of a transaction that sent statements is kept.
        if self.steps and self.steps[-1][0] not in (COMMIT, ROLLBACK):
            self.steps.append((step, None, False))

    def start(self) -> None:
        self.steps = []

    def stop(self) -> list[Step]:
        steps, self.steps = self.steps or [], None
        return steps


def connect(url: str) -> psycopg.Connection[Any]:
    """A psycopg connection (not autocommit, as the app's) to the database at ``url``."""
    return psycopg.connect(conninfo(make_url(url)))


def conninfo(url: URL) -> str:
    params = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
        "connect_timeout": 10,
        **{key: str(value) for key, value in url.query.items()},
    }
    return make_conninfo("", **{key: value for key, value in params.items() if value is not None})


def replay(connection: psycopg.Connection[Any], steps: list[Step]) -> float:
    """Send ``steps`` as they were sent, in one transaction; milliseconds taken."""
    started = time.perf_counter_ns()
    with connection.cursor() as cursor:
        for sql, params, many in steps:
            if sql == COMMIT:
                connection.commit()
            elif sql == ROLLBACK:
                connection.rollback()
            elif many:
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
                if cursor.pgresult is not None and cursor.description is not None:
                    cursor.fetchall()
    if connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        connection.commit()  # a look-up alone: the autocommit statement's own end
    return (time.perf_counter_ns() - started) / 1e6
