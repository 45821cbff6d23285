"""Performance benchmark of medins-desk on a SQLite counter store (``make bench``).

    make bench                              1,000,000 persons in a fresh temporary store
    make bench ARGS="--quick"               100,000 persons: a smoke run
    make bench ARGS="--db /tmp/m.db"        seed that file once, reuse it afterwards
    make bench ARGS="--persons 200000"      a smaller store
    make bench ARGS="--acts 100"            each business act timed 100 times (50)
    make bench ARGS="--acts-only"           the business acts alone
    make bench ARGS="--no-fail"             print the figures, exit 0 even when a target is missed

Every figure is compared with its target, and the look-ups also with a bare baseline measured in
the same run on the same file and index (a stdlib ``sqlite3`` query), so a slower machine moves
both sides. Each business act (register, apply, report loss, correct, transfer out and in, void)
is called through its service and compared with a bare replay of the very statements it sent,
with the ``sqlite3`` module, on a twin of the store, and with the same replay through SQLAlchemy's
own ``Connection`` on a second twin (the library's floor: what the statements cost through
SQLAlchemy before any ORM, statement building or business rule); the acts' table is printed in
Markdown for the README. Times come from ``time.perf_counter_ns`` after a warm-up. The exit status
is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select

from medins_desk.domain.business import BusinessKind, TransactionStatus, format_serial
from medins_desk.domain.card import CardApplicationKind
from medins_desk.domain.correction import CorrectionField
from medins_desk.domain.enrollment import InsuranceType
from medins_desk.domain.policy import Policy
from medins_desk.services.context import Actor, Counter
from medins_desk.services.demo import demo_photo, seed_demo
from medins_desk.services.demo.day import fresh_identity_number
from medins_desk.services.persons import (
    EnrollmentInput,
    PersonHit,
    PersonLookup,
    register_person,
    search_persons,
)
from medins_desk.store import Store, open_store
from medins_desk.store.engine import SQLITE_BUSY_TIMEOUT_MS
from medins_desk.store.models import Person, Transaction, User

HALL = "110105"
FULL_PERSONS = 1_000_000
QUICK_PERSONS = 100_000
SEED_SECONDS_PER_MILLION = 180.0
LOOKUP_P99_MS = 2.0
LOOKUP_RATIO = 3.0
INITIALS_P99_MS = 50.0
APPLY_MEDIAN_MS = 20.0
ACT_RATIO = 4.0
ACT_ROUNDS = 50
ACT_WARM_UP = 10
LEDGER_ROWS = 100_000
LEDGER_DAY = date(2025, 6, 30)  # a past Monday: the export reads a closed-off day
CSV_SECONDS = 2.0
XLSX_SECONDS = 8.0
LOOKUPS = 2000
WARM_UP = 200


# ---------------------------------------------------------------------------------------------
# Figures


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    rank = min(len(ordered), max(1, math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


@dataclass
class Figure:
    label: str
    samples_ms: list[float]
    target: str
    ok: bool
    extra: str = ""

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p99(self) -> float:
        return percentile(self.samples_ms, 0.99)

    def line(self) -> str:
        if self.samples_ms and self.p50 >= 1000:
            times = f"p50 {self.p50 / 1000:7.2f} s   p99 {self.p99 / 1000:7.2f} s "
        else:
            digits = 3 if self.p99 < 1 else 2
            times = f"p50 {self.p50:7.{digits}f} ms  p99 {self.p99:7.{digits}f} ms"
        extra = f"  {self.extra}" if self.extra else ""
        verdict = "OK" if self.ok else "MISSED"
        return f"{self.label:<28}{times}{extra}  target {self.target}  {verdict}"


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        print(figure.line(), flush=True)

    @property
    def missed(self) -> list[Figure]:
        return [f for f in self.figures if not f.ok]


def timed(calls: Iterator[Callable[[], object]], warm_up: int) -> list[float]:
    """Milliseconds of each call after the first ``warm_up`` calls."""
    samples = []
    for index, call in enumerate(calls):
        start = time.perf_counter_ns()
        call()
        elapsed = time.perf_counter_ns() - start
        if index >= warm_up:
            samples.append(elapsed / 1e6)
    return samples


# ---------------------------------------------------------------------------------------------
# The store


def actor_for(store: Store, username: str, counter: Counter) -> Actor:
    with store.sessions() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return Actor(user.id, user.username, user.display_name, user.role, counter)


def person_count(store: Store) -> int:
    with store.sessions() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


def seed(store: Store, persons: int, counter: Counter, report: Report) -> None:
    start = time.perf_counter_ns()
    summary = seed_demo(
        store.sessions, persons=persons, counter=counter, random_seed=20261122, if_empty=False,
        progress=lambda text: print(f"  {text}", file=sys.stderr, flush=True),
    )  # fmt: skip
    total_ms = (time.perf_counter_ns() - start) / 1e6
    limit_s = SEED_SECONDS_PER_MILLION * persons / FULL_PERSONS
    rate = persons / (total_ms / 1000)
    report.add(
        Figure(
            f"seed {persons:,} persons",
            [total_ms],
            f"<{limit_s:.0f}s" + ("" if persons == FULL_PERSONS else " (180 s per million)"),
            total_ms / 1000 < limit_s,
            f"{rate:,.0f} persons/s, bulk {summary.seconds:.1f} s, "
            f"today's business {len(summary.transactions)} transactions",
        )
    )


def sample_values(
    raw: sqlite3.Connection, column: str, table: str, count: int, seed: int
) -> list[str]:
    """Values of ``column`` from random rows (the rows' ids are random, not the first ones)."""
    (high,) = raw.execute(f"SELECT max(id) FROM {table}").fetchone()
    rng = random.Random(seed)
    values: list[str] = []
    while len(values) < count:
        ids = ",".join(str(rng.randint(1, high)) for _ in range(count))
        query = f"SELECT {column} FROM {table} WHERE id IN ({ids}) AND {column} IS NOT NULL"
        values.extend(row[0] for row in raw.execute(query))
    rng.shuffle(values)
    return values[:count]


@contextmanager
def captured_sql(store: Store) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)


def query_plan(
    store: Store, raw: sqlite3.Connection, call: Callable[[], object], table: str
) -> str:
    """How SQLite runs the service's statement on ``table``: proof the look-up uses an index."""
    with captured_sql(store) as statements:
        call()
    for statement, parameters in statements:
        if f"FROM {table}" in statement and "users" not in statement:
            rows = raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
            return "; ".join(row[-1] for row in rows)
    return "(statement not seen)"


# ---------------------------------------------------------------------------------------------
# The benchmarks


def paired(
    values: Sequence[str], service: Callable[[str], object], bare: Callable[[str], object]
) -> tuple[list[float], list[float]]:
    """Milliseconds of the service and of the bare query on the same values, interleaved (the
    order alternating) so that both sides meet the same machine noise; the first WARM_UP pairs
    are not kept."""
    service_ms: list[float] = []
    bare_ms: list[float] = []
    for index, value in enumerate(values):
        sides = ((service, service_ms), (bare, bare_ms))
        for call, samples in sides if index % 2 else reversed(sides):
            start = time.perf_counter_ns()
            call(value)
            elapsed = time.perf_counter_ns() - start
            if index >= WARM_UP:
                samples.append(elapsed / 1e6)
    return service_ms, bare_ms


def lookups(store: Store, raw: sqlite3.Connection, clerk: Actor, report: Report) -> None:
    def search(text: str) -> list[PersonHit]:
        with store.sessions() as session:
            return search_persons(session, clerk, text=text)

    def raw_query(sql: str) -> Callable[[str], object]:
        return lambda value: raw.execute(sql, (value,)).fetchall()

    # The bare side fetches what a hit line shows (the person and the live card) on the same
    # indexes; the person row alone is printed too, for reference.
    person_and_card = (
        "SELECT p.id, p.name, p.id_number, p.sex, p.birth_date, c.card_number FROM persons p "
        "LEFT JOIN cards c ON c.person_id = p.id AND c.state != 'cancelled' WHERE "
    )
    by_number = person_and_card + "p.id_number = ? ORDER BY p.id, c.id"
    by_card = (
        person_and_card + "p.id IN (SELECT person_id FROM cards WHERE card_number = ?) "
        "ORDER BY p.id, c.id"
    )
    person_only = "SELECT id, id_number, name, sex, birth_date FROM persons WHERE "
    with PersonLookup(store.sessions, clerk) as lookup:
        for label, column, table, bare_sql, reference_sql in (
            ("lookup by id number", "id_number", "persons", by_number,
             person_only + "id_number = ?"),
            ("lookup by card number", "card_number", "cards", by_card,
             person_only + "id IN (SELECT person_id FROM cards WHERE card_number = ?)"),
        ):  # fmt: skip
            values = sample_values(raw, column, table, LOOKUPS + WARM_UP, len(label))
            hits = lookup.find(values[0])
            assert len(hits) == 1 and hits == search(values[0]), f"{label} found {hits!r}"
            print(f"  plan: {query_plan(store, raw, partial(search, values[0]), 'persons')}")
            service, bare = paired(values, lookup.find, raw_query(bare_sql))
            _, reference = paired(values, lookup.find, raw_query(reference_sql))
            session_path = timed((partial(search, v) for v in values[:600]), 100)
            report.add(lookup_figure(label, service, bare, reference, session_path))

    page = search("zs")
    assert len(page) == 20, f"initials search found {len(page)}"
    bare_page = (
        "SELECT id, id_number, name, sex, birth_date FROM persons WHERE name_initials >= ? "
        "AND name_initials < 'zt' ORDER BY name_initials, id LIMIT 20"
    )
    service, bare = paired(["zs"] * (300 + WARM_UP), search, raw_query(bare_page))
    report.add(
        Figure(
            'initials search "zs" (20)',
            service,
            f"p99<{INITIALS_P99_MS:.0f}ms",
            percentile(service, 0.99) < INITIALS_P99_MS,
            f"raw sqlite3 p99 {percentile(bare, 0.99):.2f} ms",
        )
    )


def lookup_figure(
    label: str,
    service: list[float],
    bare: list[float],
    reference: list[float],
    session_path: list[float],
) -> Figure:
    p99, raw_p99 = percentile(service, 0.99), percentile(bare, 0.99)
    ratio = p99 / raw_p99
    return Figure(
        label,
        service,
        f"p99<{LOOKUP_P99_MS:.0f}ms, ratio<{LOOKUP_RATIO:.0f}x",
        p99 < LOOKUP_P99_MS and ratio < LOOKUP_RATIO,
        f"bare sqlite3 p50 {statistics.median(bare):.3f} ms p99 {raw_p99:.3f} ms"
        f"  ratio p99 {ratio:.1f}x p50 {statistics.median(service) / statistics.median(bare):.1f}x"
        f"  (person row alone p99 {percentile(reference, 0.99):.3f} ms;"
        f" search_persons in a session p99 {percentile(session_path, 0.99):.2f} ms)",
    )


# Business acts, each against a bare replay of its own SQL


@dataclass
class Captured:
    """The statements one service call sent to SQLite, as the driver received them, with the
    transaction boundaries (BEGIN IMMEDIATE is a statement; COMMIT/ROLLBACK are events)."""

    steps: list[tuple[str, Any, bool]] = field(default_factory=list)

    @property
    def statements(self) -> int:
        return sum(1 for sql, _, _ in self.steps if sql not in ("COMMIT", "ROLLBACK"))

    @property
    def transactions(self) -> int:
        return sum(1 for sql, _, _ in self.steps if sql.startswith("BEGIN"))


class Replay:
    """Every service call of the act benchmark runs on the store with its SQL captured; the same
    statements with the same parameters are then replayed with the ``sqlite3`` module on a twin
    of the store (a backup taken before the first act, so both files hold the same rows and the
    replayed INSERTs and UPDATEs meet the same indexes and constraints). The replay is the bare
    baseline: the act's own reads and writes, in its own transaction, without the ORM, the
    validation or the Python around them."""

    def __init__(self, store: Store, twin: sqlite3.Connection, floor: Store) -> None:
        self.store = store
        self.twin = twin
        self.floor_store = floor
        self.captured: Captured | None = None
        event.listen(store.engine, "before_cursor_execute", self._statement)
        event.listen(store.engine, "commit", self._commit)
        event.listen(store.engine, "rollback", self._rollback)

    def close(self) -> None:
        event.remove(self.store.engine, "before_cursor_execute", self._statement)
        event.remove(self.store.engine, "commit", self._commit)
        event.remove(self.store.engine, "rollback", self._rollback)

    def _statement(
        self, _conn: Any, _cursor: Any, sql: str, parameters: Any, _context: Any, many: bool
    ) -> None:
        if self.captured is not None:
            self.captured.steps.append((sql, parameters, many))

    def _commit(self, _conn: Any) -> None:
        if self.captured is not None:
            self.captured.steps.append(("COMMIT", (), False))

    def _rollback(self, _conn: Any) -> None:
        # SQLAlchemy also "rolls back" a connection going back to the pool outside a transaction;
        # only a rollback inside a transaction the capture saw begin is replayed.
        if self.captured is not None and self._open():
            self.captured.steps.append(("ROLLBACK", (), False))

    def _open(self) -> bool:
        assert self.captured is not None
        for sql, _, _ in reversed(self.captured.steps):
            if sql in ("COMMIT", "ROLLBACK"):
                return False
            if sql.startswith("BEGIN"):
                return True
        return False

    def service(self, call: Callable[[], object]) -> tuple[object, Captured]:
        self.captured = Captured()
        try:
            result = call()
        finally:
            captured, self.captured = self.captured, None
        return result, captured

    def bare(self, captured: Captured) -> None:
        execute = self.twin.execute
        for sql, parameters, many in captured.steps:
            if many:
                self.twin.executemany(sql, parameters)
            else:
                execute(sql, parameters).fetchall()

    def floor(self, captured: Captured) -> None:
        """The same statements through SQLAlchemy's ``Connection`` on the second twin, as driver
        SQL: no ORM, no statement building, no rule. The engine begins its transactions as the
        app's does (``BEGIN IMMEDIATE``), so the captured BEGIN is left to it."""
        with self.floor_store.engine.connect() as connection:
            for sql, parameters, many in captured.steps:
                if sql.startswith("BEGIN"):
                    connection.begin()
                elif sql == "COMMIT":
                    connection.commit()
                elif sql == "ROLLBACK":
                    connection.rollback()
                elif many:
                    connection.exec_driver_sql(sql, list(parameters))
                else:
                    result = connection.exec_driver_sql(sql, tuple(parameters))
                    if result.returns_rows:
                        result.fetchall()


def copy_store(path: Path, copy_path: Path) -> sqlite3.Connection:
    """A copy of the store at ``path`` (SQLite's online backup, WAL included), left open."""
    source = sqlite3.connect(path)
    copy = sqlite3.connect(copy_path, isolation_level=None)
    try:
        source.backup(copy)
    finally:
        source.close()
    return copy


def twin_of(path: Path, twin_path: Path) -> sqlite3.Connection:
    """A copy of the store at ``path``, opened with the pragmas the app's engine sets on every
    connection."""
    twin = copy_store(path, twin_path)
    for pragma in (
        "journal_mode=WAL",
        "foreign_keys=ON",
        f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
        "synchronous=NORMAL",
    ):
        twin.execute(f"PRAGMA {pragma}").fetchall()
    return twin


@dataclass
class ActRun:
    """One business act's samples: the service call and its bare replay, interleaved."""

    label: str
    service_ms: list[float] = field(default_factory=list)
    bare_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    statements: int = 0
    transactions: int = 0

    @property
    def ratio(self) -> float:
        return statistics.median(self.service_ms) / statistics.median(self.bare_ms)

    @property
    def floor_ratio(self) -> float:
        """SQLAlchemy's own share: its floor against bare ``sqlite3``."""
        return statistics.median(self.floor_ms) / statistics.median(self.bare_ms)


def act_samples(
    replay: Replay, label: str, calls: Sequence[Callable[[], object]], warm_up: int
) -> tuple[ActRun, list[object]]:
    """Each call through the service, then its SQL replayed bare and through SQLAlchemy's floor
    (in alternating order): the three sides meet the same machine noise."""
    run = ActRun(label)
    results = []
    for index, call in enumerate(calls):
        start = time.perf_counter_ns()
        result, captured = replay.service(call)
        service_ns = time.perf_counter_ns() - start
        replays = [(replay.bare, run.bare_ms), (replay.floor, run.floor_ms)]
        for side, samples in replays if index % 2 else reversed(replays):
            start = time.perf_counter_ns()
            side(captured)
            if index >= warm_up:
                samples.append((time.perf_counter_ns() - start) / 1e6)
        results.append(result)
        run.statements, run.transactions = captured.statements, captured.transactions
        if index >= warm_up:
            run.service_ms.append(service_ns / 1e6)
    return run, results


def untimed(replay: Replay, calls: Sequence[Callable[[], object]]) -> list[object]:
    """Preparation through the services (not timed), replayed on the twin to keep it a twin."""
    results = []
    for call in calls:
        result, captured = replay.service(call)
        replay.bare(captured)
        replay.floor(captured)
        results.append(result)
    return results


def act_figure(run: ActRun, extra_target: str = "", extra_ok: bool = True) -> Figure:
    median = statistics.median(run.service_ms)
    bare = statistics.median(run.bare_ms)
    ratio = median / bare
    return Figure(
        run.label,
        run.service_ms,
        f"<={ACT_RATIO:.0f}x bare" + (f", {extra_target}" if extra_target else ""),
        ratio <= ACT_RATIO and extra_ok,
        f"bare median {bare:.2f} ms  ratio {ratio:.1f}x  "
        f"SQLAlchemy floor {statistics.median(run.floor_ms):.2f} ms ({run.floor_ratio:.1f}x)  "
        f"({run.statements} statements in {run.transactions} transaction"
        f"{'s' if run.transactions != 1 else ''})",
    )


def pick(raw: sqlite3.Connection, sql: str, count: int, taken: set[int], seed: int) -> list[int]:
    """``count`` distinct ids from ``sql`` (one id column), at random, none taken before."""
    rng = random.Random(seed)
    ids = [row[0] for row in raw.execute(sql)]
    rng.shuffle(ids)
    chosen = [i for i in ids if i not in taken][:count]
    if len(chosen) < count:
        raise SystemExit(f"the store has only {len(chosen)} of {count} people for: {sql}")
    taken.update(chosen)
    return chosen


def business_acts(
    store: Store, path: Path, scratch: Path, counter: Counter, report: Report, rounds: int
) -> list[ActRun]:
    """Each business act through the service function its view calls, ``rounds`` + warm-up
    times on the seeded store, against the same statements replayed bare on a twin."""
    from medins_desk.services.card_application import apply_for_card
    from medins_desk.services.correction import submit_correction
    from medins_desk.services.enrollment import suspend_enrollment
    from medins_desk.services.loss_report import report_loss
    from medins_desk.services.transfer.transfer_in import start_transfer_in
    from medins_desk.services.transfer.transfer_out import start_transfer_out
    from medins_desk.services.void import void_transaction

    clerk = actor_for(store, "clerk1", counter)
    supervisor = actor_for(store, "super1", counter)
    count = rounds + ACT_WARM_UP
    today = clerk.today()
    rng = random.Random(6)
    raw = sqlite3.connect(path)
    try:
        # People for each act, picked before anything is timed and never twice. A random
        # sample of the store's ids keeps the candidate queries short on a million persons.
        high = raw.execute("SELECT max(id) FROM persons").fetchone()[0]
        sample = ",".join(str(rng.randint(1, high)) for _ in range(count * 60))
        taken: set[int] = set()
        active_cards = pick(
            raw,
            f"SELECT c.id FROM cards c WHERE c.state = 'active' AND c.person_id IN ({sample})",
            count,
            set(),
            1,
        )
        open_case = (
            "SELECT person_id FROM transfer_cases WHERE stage NOT IN ('completed', 'cancelled')"
        )
        enrolled = (
            "SELECT e.person_id FROM enrollments e WHERE e.status = 'active' "
            f"AND e.end_date IS NULL AND e.person_id IN ({sample}) "
            f"AND e.person_id NOT IN ({open_case}) AND e.start_date < '{today.isoformat()}'"
        )
        correcting = pick(raw, enrolled, count, taken, 2)
        leaving = pick(raw, enrolled + " AND e.insurance_type = 'employee'", count, taken, 3)
        arriving = pick(raw, enrolled, count, taken, 4)
        starts = dict(
            raw.execute(
                "SELECT person_id, start_date FROM enrollments WHERE person_id IN "
                f"({','.join(map(str, arriving))})"
            ).fetchall()
        )
    finally:
        raw.close()

    twin = twin_of(path, scratch / "twin.db")
    copy_store(path, scratch / "floor.db").close()
    floor = open_store(f"sqlite+pysqlite:///{scratch / 'floor.db'}")
    replay = Replay(store, twin, floor)
    runs: list[ActRun] = []

    def through(actor: Actor, fn: Callable[..., object], **kwargs: Any) -> Callable[[], object]:
        def call() -> object:
            with store.sessions() as session:
                return fn(session, actor, **kwargs)

        return call

    try:
        with store.sessions() as session:
            numbers = [
                fresh_identity_number(
                    session,
                    rng,
                    birth=date(1985, 1, 1) + timedelta(days=i * 37),
                    male=i % 2 == 1,
                    area=HALL,
                )
                for i in range(count)
            ]
        run, registered = act_samples(
            replay,
            "register_person",
            [
                through(
                    clerk,
                    register_person,
                    id_number=number,
                    name=f"测试{'甲乙丙丁戊己庚辛壬癸'[i % 10]}",
                    enrollment=EnrollmentInput(InsuranceType.RESIDENT, date(2010, 1, 1), HALL),
                    acknowledged=frozenset({"possible_duplicate"}),
                    duplicate_reason="基准测试中的同名参保人",
                )
                for i, number in enumerate(numbers)
            ],
            ACT_WARM_UP,
        )
        runs.append(run)
        report.add(act_figure(run))

        photo = demo_photo(clerk.policy)
        run, _ = act_samples(
            replay,
            "apply_for_card",
            [
                through(
                    clerk,
                    apply_for_card,
                    person_id=r.person.id,  # type: ignore[attr-defined]
                    kind=CardApplicationKind.FIRST,
                    photo=photo,
                )
                for r in registered
            ],
            ACT_WARM_UP,
        )
        runs.append(run)
        median = statistics.median(run.service_ms)
        report.add(act_figure(run, f"median<{APPLY_MEDIAN_MS:.0f}ms", median < APPLY_MEDIAN_MS))

        run, _ = act_samples(
            replay,
            "report_loss (temporary)",
            [through(clerk, report_loss, card_id=c, formal=False) for c in active_cards],
            ACT_WARM_UP,
        )
        runs.append(run)
        report.add(act_figure(run))

        run, corrected = act_samples(
            replay,
            "submit_correction (phone)",
            [
                through(
                    clerk,
                    submit_correction,
                    person_id=p,
                    changes={CorrectionField.PHONE: f"139{i:08d}"},
                    reason="本人更换手机号码",
                )
                for i, p in enumerate(correcting)
            ],
            ACT_WARM_UP,
        )
        runs.append(run)
        report.add(act_figure(run))

        untimed(
            replay,
            [
                through(
                    clerk,
                    suspend_enrollment,
                    person_id=p,
                    effective=today,
                    reason="到外地就业，转移医保关系",
                )
                for p in leaving
            ],
        )
        run, _ = act_samples(
            replay,
            "start_transfer_out",
            [
                through(
                    clerk,
                    start_transfer_out,
                    person_id=p,
                    destination_agency="上海市医疗保障局",
                    destination_region="310104",
                )
                for p in leaving
            ],
            ACT_WARM_UP,
        )
        runs.append(run)
        report.add(act_figure(run))

        def transfer_in(person_id: int) -> Callable[[], object]:
            origin_end = date.fromisoformat(starts[person_id]) - timedelta(days=1)
            origin_start = date(origin_end.year - 5, origin_end.month, 1)
            return through(
                clerk,
                start_transfer_in,
                person_id=person_id,
                origin_agency="四川省成都市医疗保障局",
                origin_region="510107",
                certificate_date=origin_end,
                origin_periods=[(origin_start, origin_end)],
                origin_actual_months=60,
                origin_deemed_months=0,
                origin_balance_fen=123_456,
            )

        run, _ = act_samples(
            replay, "start_transfer_in", [transfer_in(p) for p in arriving], ACT_WARM_UP
        )
        runs.append(run)
        report.add(act_figure(run))

        run, _ = act_samples(
            replay,
            "void_transaction",
            [
                through(
                    supervisor,
                    void_transaction,
                    serial=receipt.transaction.serial,  # type: ignore[attr-defined]
                    reason="手机号码录入错误",
                )
                for receipt in corrected
            ],
            ACT_WARM_UP,
        )
        runs.append(run)
        report.add(act_figure(run))
    finally:
        replay.close()
        twin.close()
        floor.dispose()
    return runs


def act_table(runs: Sequence[ActRun], persons: int) -> str:
    """The acts as a Markdown table for the README, headed by the machine and the date."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    lines = [
        f"{date.today().isoformat()}, {os.cpu_count()} CPUs ({cpu}), {platform.system()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{persons:,} persons, median of {len(runs[0].service_ms) if runs else 0} calls:",
        "",
        "| act | median | bare sqlite3 median | SQLAlchemy floor | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines.append(
            f"| `{run.label}` | {statistics.median(run.service_ms):.1f} ms "
            f"| {statistics.median(run.bare_ms):.2f} ms ({run.statements} statements) "
            f"| {statistics.median(run.floor_ms):.2f} ms ({run.floor_ratio:.1f}x) "
            f"| {run.ratio:.1f}x | <= {ACT_RATIO:.0f}x |"
        )
    return "\n".join(lines)


def ledger_rows(store: Store, clerk_ids: Sequence[int]) -> int:
    """100,000 transactions on a past day, inserted in bulk once per store."""
    with store.engine.connect() as connection:
        present = connection.scalar(
            select(func.count())
            .select_from(Transaction)
            .where(Transaction.business_day == LEDGER_DAY)
        )
        if present:
            return int(present or 0)
        (high,) = connection.execute(select(func.max(Person.id))).one()
        rng = random.Random(4)
        kinds = list(BusinessKind)
        counters = 20
        per_counter = LEDGER_ROWS // counters
        rows = []
        start = datetime.combine(LEDGER_DAY, datetime.min.time()) + timedelta(hours=8, minutes=30)
        for counter in range(1, counters + 1):
            counter_no = f"{counter:03d}"
            for seq in range(1, per_counter + 1):
                kind = rng.choice(kinds)
                rows.append(
                    {
                        "serial": format_serial(HALL, f"{LEDGER_DAY:%Y%m%d}", counter_no, seq),
                        "hall_code": HALL,
                        "counter_no": counter_no,
                        "business_day": LEDGER_DAY,
                        "seq": seq,
                        "kind": kind,
                        "person_id": rng.randint(1, high),
                        "clerk_id": clerk_ids[counter % len(clerk_ids)],
                        "created_at": start + timedelta(seconds=seq * 6),
                        "fee_fen": 2000
                        if kind is BusinessKind.CARD_APPLICATION and seq % 4 == 0
                        else 0,
                        "summary": f"{kind.label}（基准测试）",
                        "status": TransactionStatus.VOID
                        if seq % 97 == 0
                        else TransactionStatus.NORMAL,
                        "training": False,
                        "void_reason": "录入错误" if seq % 97 == 0 else None,
                    }
                )
        for offset in range(0, len(rows), 20_000):
            connection.execute(insert(Transaction), rows[offset : offset + 20_000])
        connection.commit()
        return len(rows)


def ledger_exports(
    store: Store, raw: sqlite3.Connection, supervisor: Actor, report: Report
) -> None:
    from medins_desk.services.ledger import export_ledger

    clerk_ids = [
        actor_for(store, name, supervisor.counter).user_id
        for name in ("clerk1", "clerk2", "clerk3")
    ]
    rows = ledger_rows(store, clerk_ids)
    with tempfile.TemporaryDirectory(prefix="medins-bench-") as folder:
        for fmt, runs, limit in (("csv", 5, CSV_SECONDS), ("xlsx", 3, XLSX_SECONDS)):
            out = Path(folder) / f"ledger.{fmt}"

            def export(fmt: str = fmt, out: Path = out) -> Callable[[], object]:
                def call() -> object:
                    with store.sessions() as session:
                        return export_ledger(
                            session, supervisor, day=LEDGER_DAY, fmt=fmt, full_ids=False, out=out
                        )

                return call

            samples = timed((export() for _ in range(runs + 1)), 1)
            extra = f"{rows:,} rows, {out.stat().st_size / 1e6:.1f} MB"
            bare_export = bare_csv_export if fmt == "csv" else bare_xlsx_export
            bare = timed((bare_export(raw, Path(folder) / f"raw.{fmt}") for _ in range(3)), 1)
            bare_s = statistics.median(bare) / 1000
            extra += (
                f"  bare sqlite3+{'csv' if fmt == 'csv' else 'xlsxwriter'} median {bare_s:.2f} s"
                f"  ratio {statistics.median(samples) / 1000 / bare_s:.1f}x"
            )
            report.add(
                Figure(
                    f"ledger export {fmt.upper()} 100k",
                    samples,
                    f"median<{limit:.0f}s",
                    statistics.median(samples) / 1000 < limit,
                    extra,
                )
            )


_BARE_LEDGER_SQL = (
    "SELECT t.serial, t.created_at, t.kind, p.name, p.id_number, t.counter_no, "
    "u.display_name, t.fee_fen, t.status, t.void_reason, t.summary FROM transactions t "
    "JOIN users u ON u.id = t.clerk_id LEFT JOIN persons p ON p.id = t.person_id "
    "WHERE t.hall_code = ? AND t.business_day = ? ORDER BY t.serial"
)


def bare_csv_export(raw: sqlite3.Connection, out: Path) -> Callable[[], object]:
    """The floor for a CSV export: the same joined rows written with csv.writer, nothing else."""

    def call() -> object:
        rows = raw.execute(_BARE_LEDGER_SQL, (HALL, LEDGER_DAY.isoformat()))
        with out.open("w", encoding="utf-8-sig", newline="") as stream:
            csv.writer(stream).writerows(rows)
        return None

    return call


def bare_xlsx_export(raw: sqlite3.Connection, out: Path) -> Callable[[], object]:
    """The floor for an XLSX export: the same rows as they come, one write_row each."""
    import xlsxwriter

    def call() -> object:
        workbook = xlsxwriter.Workbook(str(out), {"constant_memory": True})
        sheet = workbook.add_worksheet()
        rows = raw.execute(_BARE_LEDGER_SQL, (HALL, LEDGER_DAY.isoformat()))
        for index, row in enumerate(rows):
            sheet.write_row(index, 0, row)
        workbook.close()
        return None

    return call


# ---------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--persons", type=int, default=FULL_PERSONS, help="persons to seed (1,000,000)"
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_PERSONS:,} persons: a smoke run"
    )
    parser.add_argument(
        "--db", type=Path, help="SQLite file: seeded when new or empty, reused otherwise"
    )
    parser.add_argument(
        "--acts", type=int, default=ACT_ROUNDS, help=f"timed calls per business act ({ACT_ROUNDS})"
    )
    parser.add_argument(
        "--acts-only", action="store_true", help="only the business acts (no look-ups, exports)"
    )
    parser.add_argument(
        "--no-fail", action="store_true", help="exit 0 even when a target is missed"
    )
    args = parser.parse_args(argv)
    persons = QUICK_PERSONS if args.quick else args.persons

    with tempfile.TemporaryDirectory(prefix="medins-bench-") as scratch:
        path = args.db.resolve() if args.db else Path(scratch) / "bench.db"
        print(
            f"medins-desk bench: {persons:,} persons, {path}\n"
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{os.cpu_count()} CPUs, {platform.machine()}",
            flush=True,
        )
        store = open_store(f"sqlite+pysqlite:///{path}")
        counter = Counter(HALL, "001", Policy())
        report = Report()
        try:
            present = person_count(store)
            if present:
                print(f"reusing {path}: {present:,} persons already there (seeding not measured)")
            else:
                seed(store, persons, counter, report)
            if not args.acts_only:
                raw = sqlite3.connect(path, isolation_level=None)
                try:
                    lookups(store, raw, actor_for(store, "clerk1", counter), report)
                    ledger_exports(store, raw, actor_for(store, "super1", counter), report)
                finally:
                    raw.close()
            stored = person_count(store)
            runs = business_acts(store, path, Path(scratch), counter, report, args.acts)
        finally:
            store.dispose()
    print("\n" + act_table(runs, stored))

    missed = report.missed
    if missed:
        print(f"\n{len(missed)} target(s) missed: " + ", ".join(f.label for f in missed))
        return 0 if args.no_fail else 1
    print("\nall targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
