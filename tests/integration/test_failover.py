"""The hall's primary PostgreSQL dies mid-shift and its synchronous standby is promoted: the
counters go on by themselves and lose nothing (issue 14 §6).

Two private clusters as the README's "A standby server" sets them up: the primary names the
standby in ``synchronous_standby_names`` (``synchronous_commit=remote_apply``), the standby is
``pg_basebackup -R`` of it through a replication slot. Four counters (threads, each with its own
store as each counter's app has) register citizens back to back through the real service, on a
URL that names both servers (``target_session_attrs=read-write``). Every act carries its
submission id; after a store fault that may pass, the clerk asks again with the same form and so
the same id, as the counter's form does; what each clerk was told is recorded.

To have acts in flight when the primary dies, the test pauses the standby's replay: a commit then
waits on the primary for the standby (remote_apply), committed there and shipped but not answered,
and the other counters' commits queue behind it. The primary is stopped hard (``pg_ctl stop -m
immediate``), the counters are told the outcome is unknown, then that no server takes writes;
the standby is promoted and the counters go on without a restart. Then: every act a clerk was told
is done is in the promoted store; every act the clerks started is there exactly once, the one whose
answer was lost named by its serial (ActAlreadyDone) when asked again; serials are unique and
gapless per counter and day; ``audit verify`` passes. A counter idle through the failover acts
at the first try after it.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Row, select

from medins_desk.domain.policy import Policy
from medins_desk.errors import ActAlreadyDone, StoreError
from medins_desk.hall.cluster import STANDBY_NAME, SUPERUSER, SYNCHRONOUS_PRIMARY
from medins_desk.services.audit import verify_audit_chain
from medins_desk.services.context import Actor
from medins_desk.store import Store, open_store
from medins_desk.store.models import AuditEntry, SerialCounter, Transaction
from tests.helpers.cli import Cli
from tests.helpers.people import register
from tests.helpers.postgres import PrivateCluster, find_bindir
from tests.helpers.store import FakeClock, desk_on

COUNTERS = 4
ACTS_EACH = 3  # acts each counter has answered before the primary dies, and again after
RETRY_S = 0.1  # how soon the clerk asks again (the app's store watch: every 5 s)
PATIENCE_S = 30.0  # any one wait of the test
DATABASE = "medins"
NO_PRIMARY = "没有可写入的主库"  # the clerk's line while no server takes writes


@dataclass
class Pair:
    primary: PrivateCluster
    standby: PrivateCluster

    def admin(self, server: PrivateCluster) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            f"host=127.0.0.1 port={server.port} user={SUPERUSER} dbname={DATABASE}",
            autocommit=True,
            connect_timeout=10,
        )


@pytest.fixture
def pair() -> Iterator[Pair]:
    """A primary and its synchronous hot standby, the standby streaming and in sync."""
    bindir = find_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL server binaries not found: run `make test`", pytrace=False)
    PrivateCluster.remove_abandoned(bindir)
    primary = PrivateCluster.create(bindir)
    standby: PrivateCluster | None = None
    try:
        primary.start(settings=SYNCHRONOUS_PRIMARY)
        standby = primary.hot_standby()
        with psycopg.connect(
            f"host=127.0.0.1 port={primary.port} user={SUPERUSER}", autocommit=True
        ) as admin:
            _until(
                lambda: (
                    admin.execute(
                        "SELECT sync_state FROM pg_stat_replication WHERE application_name = %s",
                        (STANDBY_NAME,),
                    ).fetchall()
                    == [("sync",)]
                ),
                "the standby is the primary's synchronous standby",
            )
            admin.execute(f"CREATE DATABASE {DATABASE}")
        yield Pair(primary, standby)
    finally:
        primary.stop()
        if standby is not None:
            standby.stop()


def _until(condition: Callable[[], bool], what: str) -> None:
    """Polls what only the server can tell (its activity, its WAL positions), for at most
    PATIENCE_S."""
    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        assert time.monotonic() < deadline, f"waited {PATIENCE_S} s for: {what}"
        time.sleep(0.05)


@dataclass
class Told:
    """What the clerk was told of one act: done with this serial, or, asked again, that it had
    been done (ActAlreadyDone)."""

    submission_id: str
    serial: str
    asked_again: bool


@dataclass
class CounterRun:
    """One counter: its clerk registers citizen after citizen until the test says stop."""

    actor: Actor
    store: Store
    birth: date
    stop: threading.Event
    told: list[Told] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)  # every submission id, once per act
    faults: list[str] = field(default_factory=list)  # what the clerk was shown
    failed: str = ""
    answered: threading.Condition = field(default_factory=threading.Condition)

    def serve(self) -> None:
        try:
            number = 0
            while not self.stop.is_set():
                number += 1
                self._act(number)
        except BaseException:
            self.failed = traceback.format_exc()
        finally:
            self.store.dispose()

    def _act(self, number: int) -> None:
        """One citizen's registration, asked again with the same id until it is answered."""
        submission_id = uuid.uuid4().hex
        self.sent.append(submission_id)
        deadline = time.monotonic() + 2 * PATIENCE_S
        while True:
            try:
                with self.store.sessions() as session:
                    done = register(
                        session, self.actor, name="王玥", birth=self.birth + timedelta(days=number),
                        submission_id=submission_id,
                    )  # fmt: skip
                told = Told(submission_id, done.transaction.serial, asked_again=False)
                break
            except ActAlreadyDone as already:
                told = Told(submission_id, already.serial, asked_again=True)
                break
            except StoreError as fault:
                assert fault.retry, fault.message
                with self.answered:
                    self.faults.append(fault.message)
                    self.answered.notify_all()
                assert time.monotonic() < deadline, f"not answered: {fault.message}"
                time.sleep(RETRY_S)
        with self.answered:
            self.told.append(told)
            self.answered.notify_all()

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        with self.answered:
            if not self.answered.wait_for(lambda: condition() or bool(self.failed), PATIENCE_S):
                pytest.fail(f"counter {self.actor.counter.counter_no}: waited for {what}")
        assert not self.failed, self.failed


def _waiting_commits(pair: Pair) -> tuple[int, int]:
    """The counters' backends on the primary: (waiting for the standby, waiting for a lock)."""
    with pair.admin(pair.primary) as admin:
        rows = admin.execute(
            "SELECT wait_event, wait_event_type FROM pg_stat_activity "
            "WHERE datname = %s AND state = 'active' AND pid <> pg_backend_pid()",
            (DATABASE,),
        ).fetchall()
    return (
        sum(event == "SyncRep" for event, _kind in rows),
        sum(kind == "Lock" for _event, kind in rows),
    )


def _shipped(pair: Pair) -> bool:
    """The standby has received all the WAL the primary has flushed (the waiting commits)."""
    with pair.admin(pair.primary) as primary:
        flushed = primary.execute("SELECT pg_current_wal_flush_lsn()::text").fetchone()
    with pair.admin(pair.standby) as standby:
        row = standby.execute(
            "SELECT pg_last_wal_receive_lsn() >= %s::pg_lsn", (flushed[0] if flushed else None,)
        ).fetchone()
    return bool(row and row[0])


def test_the_counters_go_on_after_the_standby_is_promoted_and_lose_nothing(
    pair: Pair,
    clock: FakeClock,
    password_hash: str,
    policy: Policy,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="medins_desk.store")
    primary, standby = f"127.0.0.1:{pair.primary.port}", f"127.0.0.1:{pair.standby.port}"
    url = (
        f"postgresql+psycopg://{SUPERUSER}@/{DATABASE}"
        f"?host={primary}&host={standby}&target_session_attrs=read-write"
    )
    # IT's commands get the same pair in libpq's own URI form.
    cli = Cli(tmp_path)
    libpq_url = (
        f"postgresql+psycopg://{SUPERUSER}@{primary},{standby}/{DATABASE}"
        "?target_session_attrs=read-write"
    )
    desks = desk_on(url, clock, password_hash, policy)  # the schema and the clerks
    desk = next(desks)
    stop = threading.Event()
    counters = [
        CounterRun(
            desk.at_counter("clerk", f"{number:03d}"),
            open_store(url, migrate=False),
            birth=date(1940 + 15 * number, 1, 1),  # 15 years of ids: never the same person
            stop=stop,
        )
        for number in range(1, COUNTERS + 1)
    ]
    threads = [threading.Thread(target=run.serve, daemon=True) for run in counters]
    try:
        for thread in threads:
            thread.start()
        for run in counters:
            run.wait_for(lambda run=run: len(run.told) >= ACTS_EACH, "acts before the failover")

        # Commits in flight: the primary waits for a standby that does not replay.
        with pair.admin(pair.standby) as admin:
            admin.execute("SELECT pg_wal_replay_pause()")
        waiting = (0, 0)

        def all_waiting() -> bool:
            nonlocal waiting
            waiting = _waiting_commits(pair)
            return waiting[0] >= 1 and sum(waiting) == COUNTERS

        _until(all_waiting, "every counter's commit waits for the standby or behind one that does")
        _until(lambda: _shipped(pair), "the waiting commits reached the standby")
        committed_unanswered = waiting[0]
        told_before = {run.actor.counter.counter_no: len(run.told) for run in counters}
        pair.primary.halt("immediate")

        for run in counters:
            run.wait_for(lambda run=run: any(NO_PRIMARY in f for f in run.faults), NO_PRIMARY)
        meanwhile = cli.run("--db", libpq_url, "status", db=False)
        with pair.admin(pair.standby) as admin:
            admin.execute("SELECT pg_wal_replay_resume()")
        pair.standby.promote()

        for run in counters:
            before = told_before[run.actor.counter.counter_no]
            run.wait_for(lambda r=run, n=before: len(r.told) >= n + ACTS_EACH, "acts after it")
        # A counter idle through it all: its pooled connection to the old primary fails the
        # ping and is dropped, its next act goes to the promoted server at the first try.
        idle = uuid.uuid4().hex
        with desk.session() as session:
            done = register(
                session, desk.at_counter("clerk", "009"), name="李堃", birth=date(1930, 1, 1),
                submission_id=idle,
            )  # fmt: skip
        idle_told = Told(idle, done.transaction.serial, asked_again=False)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=2 * PATIENCE_S)
        desks.close()
    assert not any(thread.is_alive() for thread in threads)
    for run in counters:
        assert not run.failed, run.failed

    # What the clerks were shown, each message naming both servers: at the commit, that the
    # outcome is unknown; then that no server takes writes. The log has the driver's text.
    faults = [fault for run in counters for fault in run.faults]
    assert any("在提交时中断" in fault and "尚不确定" in fault for fault in faults), faults
    assert all(primary in fault and standby in fault for fault in faults), faults
    assert "session is read-only" in caplog.text and "Connection refused" in caplog.text
    # IT's command in that window: the same line, exit 3, no traceback.
    assert meanwhile.returncode == 3, meanwhile.stderr
    assert NO_PRIMARY in meanwhile.stderr and standby in meanwhile.stderr
    assert "Traceback" not in meanwhile.stderr

    # The promoted store: what the clerks were told is there, and nothing else.
    acts, audited, last_numbers = _promoted_store(url, pair)
    told = [told for run in counters for told in run.told] + [idle_told]
    assert {t.submission_id: t.serial for t in told} == {a.submission_id: a.serial for a in acts}
    sent = [submission_id for run in counters for submission_id in run.sent] + [idle]
    assert len(set(sent)) == len(sent) == len(told) == len(acts)
    # An act committed on the primary whose answer was lost is named by its serial when asked
    # again, not done twice; those only queued behind it were rolled back and done when asked
    # again.
    assert sum(t.asked_again for t in told) == committed_unanswered
    serials = [act.serial for act in acts]
    assert len(set(serials)) == len(serials)
    assert set(serials) == audited  # each act with its audit entry
    numbers: dict[tuple[str, date], list[int]] = defaultdict(list)
    for act in acts:
        numbers[(act.counter_no, act.business_day)].append(act.seq)
    assert len(numbers) == COUNTERS + 1
    for key, seqs in numbers.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), (key, sorted(seqs))
    assert {key: len(seqs) for key, seqs in numbers.items()} == last_numbers

    # IT's commands on the pair after the failover: the chain verifies, a backup is taken.
    verified = cli.run("--db", libpq_url, "audit", "verify", db=False)
    assert verified.returncode == 0, verified.stderr
    backup = cli.run("--db", libpq_url, "db", "backup", "--out", str(tmp_path / "b.dump"), db=False)
    assert backup.returncode == 0, backup.stderr


def _promoted_store(url: str, pair: Pair) -> tuple[list[Row[Any]], set[str], dict[Any, int]]:
    """The acts, the serials with an audit entry, and the counters' last numbers, read through
    the pair's URL, which now reaches the promoted standby; the audit chain verifies."""
    store = open_store(url, migrate=False)
    try:
        with store.engine.connect() as connection:
            port = connection.exec_driver_sql("SELECT inet_server_port()").scalar()
        assert port == pair.standby.port
        with store.sessions() as session:
            acts = session.execute(
                select(
                    Transaction.serial, Transaction.submission_id, Transaction.counter_no,
                    Transaction.business_day, Transaction.seq,
                )
            ).all()  # fmt: skip
            audited = set(
                session.scalars(
                    select(AuditEntry.entity_id).where(AuditEntry.entity == "transaction")
                )
            )
            last_numbers = {
                (row.counter_no, row.business_day): row.last_seq
                for row in session.scalars(select(SerialCounter))
            }
            verdict = verify_audit_chain(session)
    finally:
        store.dispose()
    assert verdict.ok, verdict.describe()
    return list(acts), audited, last_numbers
