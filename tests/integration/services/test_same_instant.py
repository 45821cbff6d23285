"""Two counters, one citizen, the same instant: exactly one act wins, the other is told which.

Each counter acts in its own thread with its own session (its own connection), released together
by a barrier. The loser's message names the winner's counter (窗口) and 业务流水号; exactly one
transaction row stands per race and the audit chain verifies afterwards. On PostgreSQL the order
of a void and a day close is also forced both ways (the first holds its commit until the second
waits on a lock), and a real deadlock is shown to be retried.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import errors as pg_errors
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.card import CardApplicationKind, CardState
from medins_desk.domain.contributions import months_between
from medins_desk.domain.correction import CorrectionField, CorrectionState, SupportingDocument
from medins_desk.domain.medical_filing import FilingKind
from medins_desk.errors import BusinessRuleError, UserFacingError
from medins_desk.services.audit import verify_audit_chain
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.context import Actor
from medins_desk.services.correction import (
    approve_correction,
    reject_correction,
    submit_correction,
)
from medins_desk.services.day_close import DayCloseReceipt, close_day
from medins_desk.services.loss_report import report_loss
from medins_desk.services.medical_filing import file_for_care_elsewhere
from medins_desk.services.retirement import retire
from medins_desk.services.void import VoidReceipt, void_transaction
from medins_desk.store.faults import is_transient_conflict
from medins_desk.store.models import (
    Card,
    DayClose,
    LossReport,
    MedicalFiling,
    Person,
    RetirementCase,
    Transaction,
)
from tests.helpers.people import put_on_record, register
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk

PHOTO = valid_photo()
DOCS = (SupportingDocument.HOUSEHOLD_REGISTER, SupportingDocument.ID_CARD)
Act = Callable[[Session], Any]


def _race(desk: Desk, *acts: Act) -> list[Any]:
    """Run each act in its own thread and session, all released at once by a barrier; each
    act's result, or the error it raised."""
    barrier = threading.Barrier(len(acts))

    def run(act: Act) -> Any:
        with desk.session() as session:
            barrier.wait(timeout=30)
            try:
                return act(session)
            except UserFacingError as refused:  # a rule broken, or an overlap at its field
                return refused

    with ThreadPoolExecutor(len(acts)) as pool:
        return list(pool.map(run, acts))


def _one_winner(outcomes: list[Any]) -> tuple[Any, UserFacingError]:
    refused = [o for o in outcomes if isinstance(o, UserFacingError)]
    done = [o for o in outcomes if not isinstance(o, UserFacingError)]
    assert (len(done), len(refused)) == (1, 1), outcomes
    return done[0], refused[0]


def _names_the_winner(refused: UserFacingError, winner: Any) -> None:
    txn = winner.transaction
    assert f"在 {txn.counter_no} 号窗口" in refused.message
    assert f"业务流水号 {txn.serial}" in refused.message


def _transactions(desk: Desk, kind: BusinessKind) -> int:
    with desk.session() as session:
        return (
            session.scalar(select(func.count(Transaction.id)).where(Transaction.kind == kind)) or 0
        )


def _chain_verifies(desk: Desk) -> None:
    with desk.session() as session:
        verdict = verify_audit_chain(session)
    assert verdict.ok, verdict.describe()


def _active_card(desk: Desk) -> int:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = register(session, clerk).person.id
        return apply_for_card(
            session, clerk, person_id=person_id, kind=CardApplicationKind.FIRST, photo=PHOTO,
            instant=True,
        ).card_id  # fmt: skip


def _counters(desk: Desk, *names: str) -> list[Actor]:
    return [desk.at_counter(name, f"{n:03d}") for n, name in enumerate(names, start=2)]


# --- 挂失 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("formal", [False, True], ids=["temporary", "formal"])
def test_two_counters_report_one_card_lost(any_desk: Desk, formal: bool) -> None:
    card_id = _active_card(any_desk)
    left, right = _counters(any_desk, "clerk", "clerk2")
    outcomes = _race(
        any_desk,
        lambda session: report_loss(session, left, card_id=card_id, formal=formal),
        lambda session: report_loss(session, right, card_id=card_id, formal=formal),
    )
    winner, refused = _one_winner(outcomes)
    _names_the_winner(refused, winner)
    assert "无需重复办理" in refused.message
    kind = BusinessKind.LOSS_FORMAL if formal else BusinessKind.LOSS_TEMPORARY
    assert _transactions(any_desk, kind) == 1
    with any_desk.session() as session:
        assert session.scalar(select(func.count(LossReport.id))) == 1
    _chain_verifies(any_desk)


# --- 申领 -------------------------------------------------------------------------------------


def test_two_counters_apply_for_a_first_card_for_one_person(any_desk: Desk) -> None:
    with any_desk.session() as session:
        person_id = register(session, any_desk.actor("clerk")).person.id
    left, right = _counters(any_desk, "clerk", "clerk2")

    def apply(actor: Actor) -> Act:
        return lambda session: apply_for_card(
            session, actor, person_id=person_id, kind=CardApplicationKind.FIRST, photo=PHOTO
        )

    winner, refused = _one_winner(_race(any_desk, apply(left), apply(right)))
    _names_the_winner(refused, winner)
    assert "「申领受理」" in refused.message and "首次申领" in refused.message
    assert _transactions(any_desk, BusinessKind.CARD_APPLICATION) == 1
    with any_desk.session() as session:
        cards = session.scalars(select(Card.state).where(Card.person_id == person_id)).all()
    assert cards == [CardState.ACCEPTED]
    _chain_verifies(any_desk)


def test_two_counters_reissue_one_lost_card(any_desk: Desk) -> None:
    card_id = _active_card(any_desk)
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        report_loss(session, clerk, card_id=card_id, formal=True)
        person_id = session.get_one(Card, card_id).person_id
    left, right = _counters(any_desk, "clerk", "clerk2")

    def reissue(actor: Actor) -> Act:
        return lambda session: apply_for_card(
            session, actor, person_id=person_id, kind=CardApplicationKind.REISSUE, photo=PHOTO
        )

    winner, refused = _one_winner(_race(any_desk, reissue(left), reissue(right)))
    _names_the_winner(refused, winner)
    assert "补领" in refused.message
    with any_desk.session() as session:
        states = session.scalars(
            select(Card.state).where(Card.person_id == person_id).order_by(Card.id)
        ).all()
    assert states == [CardState.CANCELLED, CardState.ACCEPTED]
    _chain_verifies(any_desk)


# --- 异地就医备案 -------------------------------------------------------------------------------


def test_two_counters_file_one_person_for_two_places_at_once(any_desk: Desk) -> None:
    with any_desk.session() as session:
        person_id = register(session, any_desk.actor("clerk")).person.id
    left, right = _counters(any_desk, "clerk", "clerk2")

    def file(actor: Actor, destination: str) -> Act:
        return lambda session: file_for_care_elsewhere(
            session, actor, person_id=person_id, kind=FilingKind.LONG_TERM_RESIDENCE,
            destination_code=destination, starts_on=date(2026, 11, 18),
        )  # fmt: skip

    winner, refused = _one_winner(_race(any_desk, file(left, "510500"), file(right, "440300")))
    txn = winner.transaction
    assert "重叠" in refused.message and winner.destination in refused.message
    assert f"业务流水号 {txn.serial}，{txn.counter_no} 号窗口" in refused.message
    assert _transactions(any_desk, BusinessKind.MEDICAL_FILING) == 1
    with any_desk.session() as session:
        assert session.scalar(select(func.count(MedicalFiling.id))) == 1
    _chain_verifies(any_desk)


# --- 在职转退休 ---------------------------------------------------------------------------------


def test_two_counters_retire_one_person_at_once(any_desk: Desk) -> None:
    with any_desk.session() as session:
        person_id = register(session, any_desk.actor("clerk"), birth=date(1966, 10, 8)).person.id
        put_on_record(session, person_id, months_between(date(1996, 1, 1), date(2026, 10, 1)))
        session.commit()
    left, right = _counters(any_desk, "clerk", "clerk2")

    def retirement(actor: Actor) -> Act:
        return lambda session: retire(
            session, actor, person_id=person_id, retirement_date=date(2026, 10, 8)
        )

    winner, refused = _one_winner(_race(any_desk, retirement(left), retirement(right)))
    _names_the_winner(refused, winner)
    assert "不能重复办理" in refused.message
    assert _transactions(any_desk, BusinessKind.RETIREMENT) == 1
    with any_desk.session() as session:
        assert session.scalar(select(func.count(RetirementCase.id))) == 1
    _chain_verifies(any_desk)


# --- 复核 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("second", ["approve", "reject"])
def test_two_supervisors_review_one_correction(any_desk: Desk, second: str) -> None:
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        person_id = register(session, clerk).person.id
        submitted = submit_correction(
            session, clerk, person_id=person_id, changes={CorrectionField.NAME: "张四"},
            reason="户口簿姓名已变更", documents=DOCS,
        )  # fmt: skip
    request_id = submitted.requests[0].id
    left, right = _counters(any_desk, "super", "super2")
    other: Act = (
        (lambda session: approve_correction(session, right, request_id=request_id))
        if second == "approve"
        else (
            lambda session: reject_correction(
                session, right, request_id=request_id, reason="材料不符"
            )
        )
    )
    outcomes = _race(
        any_desk,
        lambda session: approve_correction(session, left, request_id=request_id),
        other,
    )
    winner, refused = _one_winner(outcomes)
    _names_the_winner(refused, winner)
    assert f"更正申请 {request_id} " in refused.message and "不能再复核" in refused.message
    assert _transactions(any_desk, BusinessKind.CORRECTION_REVIEW) == 1
    with any_desk.session() as session:
        name = session.get_one(Person, person_id).name
    [request] = winner.requests
    assert name == ("张四" if request.state is CorrectionState.APPLIED else "张三")
    _chain_verifies(any_desk)


# --- 作废 against 日结 ------------------------------------------------------------------------


def _registration(desk: Desk) -> str:
    with desk.session() as session:
        return register(session, desk.actor("clerk")).transaction.serial


def _void(actor: Actor, serial: str) -> Act:
    return lambda session: void_transaction(session, actor, serial=serial, reason="录入错误")


def _close(actor: Actor, day: date) -> Act:
    return lambda session: close_day(session, actor, day=day)


def _settled_one_way(desk: Desk, serial: str, void: Any, close: Any) -> None:
    """The void and the close happened one after the other: a void first is counted by the
    close; a close first refuses the void, naming who closed the day."""
    assert isinstance(close, DayCloseReceipt)
    with desk.session() as session:
        status = session.scalar(select(Transaction.status).where(Transaction.serial == serial))
        assert session.scalar(select(func.count(DayClose.id))) == 1
    if isinstance(void, VoidReceipt):
        assert (status, close.void_count, close.transaction_count) == (TransactionStatus.VOID, 1, 0)
    else:
        assert isinstance(void, BusinessRuleError), void
        assert "已日结" in void.message and close.closed_by_name in void.message
        assert (status, close.void_count, close.transaction_count) == (
            TransactionStatus.NORMAL, 0, 1,
        )  # fmt: skip
    _chain_verifies(desk)


def test_a_void_racing_the_day_close(any_desk: Desk) -> None:
    serial = _registration(any_desk)
    voider, closer = _counters(any_desk, "super", "super2")
    void, close = _race(any_desk, _void(voider, serial), _close(closer, any_desk.clock().date()))
    _settled_one_way(any_desk, serial, void, close)


def _await_a_waiter(desk: Desk) -> None:
    """Until another connection waits for a lock (the other act queued behind this one)."""
    with desk.store.engine.connect() as watcher:
        for _attempt in range(3000):
            waiting = watcher.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted"))
            if waiting:
                return
            watcher.execute(text("SELECT pg_sleep(0.01)"))
    raise AssertionError("the other act never queued for a lock")


def _first_then(
    desk: Desk, first: Act, then: Act, *, hold_at: str = "before_commit"
) -> tuple[Any, Any]:
    """``first`` stops at its session's ``hold_at`` event (once) and lets ``then`` start, and
    goes on when ``then`` waits for one of its locks."""
    started = threading.Event()

    def run_first() -> Any:
        with desk.session() as session:

            def hold(*_args: object) -> None:
                if not started.is_set():
                    started.set()
                    _await_a_waiter(desk)

            event.listen(session, hold_at, hold)
            return first(session)

    def run_then() -> Any:
        assert started.wait(timeout=30)
        with desk.session() as session:
            try:
                return then(session)
            except BusinessRuleError as refused:
                return refused

    with ThreadPoolExecutor(2) as pool:
        earlier, later = pool.submit(run_first), pool.submit(run_then)
        return earlier.result(timeout=60), later.result(timeout=60)


def test_a_close_under_way_refuses_the_void_that_waited(pg_desk: Desk) -> None:
    serial = _registration(pg_desk)
    voider, closer = _counters(pg_desk, "super", "super2")
    close, void = _first_then(
        pg_desk, _close(closer, pg_desk.clock().date()), _void(voider, serial)
    )
    assert isinstance(void, BusinessRuleError)
    _settled_one_way(pg_desk, serial, void, close)


def test_a_void_under_way_is_counted_by_the_close_that_waited(pg_desk: Desk) -> None:
    serial = _registration(pg_desk)
    voider, closer = _counters(pg_desk, "super", "super2")
    void, close = _first_then(
        pg_desk, _void(voider, serial), _close(closer, pg_desk.clock().date())
    )
    assert isinstance(void, VoidReceipt)
    _settled_one_way(pg_desk, serial, void, close)


# --- deadlocks and stale snapshots are run again ------------------------------------------------


def test_a_report_racing_the_day_close_is_told_the_day_is_closed(
    pg_desk: Desk,
) -> None:
    """A loss report that settles a lapsed 临时挂失 races a day close. This was a deadlock while
    each act locked the audit chain's head as it went (the report held the head and waited for
    the day, the close held the day and waited for the head); the chain is now appended at the
    commit, so the report just waits for the close and is told the day is closed (not "the
    store is busy")."""
    card_id = _active_card(pg_desk)
    with pg_desk.session() as session:
        report_loss(session, pg_desk.actor("clerk"), card_id=card_id, formal=False)
    pg_desk.clock.advance(days=6)  # the report lapsed; the next look settles it
    clerk, closer = _counters(pg_desk, "clerk2", "super")
    closed, refused = _first_then(
        pg_desk,
        _close(closer, pg_desk.clock().date()),
        lambda session: report_loss(session, clerk, card_id=card_id, formal=True),
        hold_at="before_flush",  # the close holds the day, not yet the audit chain's head
    )
    assert isinstance(closed, DayCloseReceipt)
    assert isinstance(refused, BusinessRuleError) and "已日结" in refused.message
    assert _transactions(pg_desk, BusinessKind.LOSS_FORMAL) == 0
    _chain_verifies(pg_desk)


@pytest.fixture
def wal_file(tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, sqlite3.Connection]]:
    file = tmp_path / "two.db"
    first = sqlite3.connect(file, isolation_level=None)
    first.execute("PRAGMA journal_mode=WAL")
    first.execute("CREATE TABLE t (n INTEGER)")
    second = sqlite3.connect(file, isolation_level=None)
    yield first, second
    first.close()
    second.close()


def test_an_overtaken_sqlite_snapshot_is_a_conflict_but_a_timed_out_lock_is_not(
    wal_file: tuple[sqlite3.Connection, sqlite3.Connection],
) -> None:
    first, second = wal_file
    first.execute("BEGIN")
    first.execute("SELECT count(*) FROM t").fetchall()  # a snapshot
    second.execute("INSERT INTO t VALUES (1)")  # another writer commits after it
    with pytest.raises(sqlite3.OperationalError) as overtaken:
        first.execute("INSERT INTO t VALUES (2)")
    first.execute("ROLLBACK")
    assert is_transient_conflict(overtaken.value)
    second.execute("PRAGMA busy_timeout=0")
    first.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError) as busy:
        second.execute("BEGIN IMMEDIATE")
    first.execute("ROLLBACK")
    assert not is_transient_conflict(busy.value)


def test_postgres_deadlocks_and_serialization_failures_are_conflicts() -> None:
    assert is_transient_conflict(pg_errors.DeadlockDetected())
    assert is_transient_conflict(pg_errors.SerializationFailure())
    assert not is_transient_conflict(pg_errors.LockNotAvailable())
    assert not is_transient_conflict(psycopg.OperationalError("server closed the connection"))
