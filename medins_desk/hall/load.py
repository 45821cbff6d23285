"""``hall loadtest``: a hall's day at speed, many counters on one PostgreSQL (大厅压力测试).

Without a URL the run starts a private cluster of its own (``cluster``) and throws it away at the
end; with one, the database must hold no citizens yet (the run writes thousands of acts). The
store gets the schema, a clerk for every counter, a supervisor at every fourth, and a bulk
population (as ``demo seed`` makes them); a twin of it is taken for the bare baseline. Then
``counters`` processes (spawned, each its own interpreter and connections) serve at once for
``seconds`` (``counter``), and the store is checked against what they were told: serials
unique and gapless, no act lost or invented, the audit chain whole.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime

import psycopg
from psycopg import sql
from sqlalchemy import func, select
from sqlalchemy.engine import URL, make_url

from medins_desk.domain.roles import Role
from medins_desk.errors import ValidationError
from medins_desk.hall import replay
from medins_desk.hall.cluster import PrivateCluster, require_bindir
from medins_desk.hall.counter import Account, CounterPlan, CounterResult, counter_at, serve
from medins_desk.hall.report import LoadReport, StoreChecks, gaps
from medins_desk.services.audit import verify_audit_chain
from medins_desk.services.context import Actor, Counter
from medins_desk.services.demo.population import load_population
from medins_desk.services.users import console_actor, create_user
from medins_desk.store import Store, open_store
from medins_desk.store.models import Person, Transaction

log = logging.getLogger(__name__)

LOAD_PASSWORD = "Load2026!"  # the run's users: a throwaway store, never a hall's
SUPERVISOR_EVERY = 4  # counters 001, 005, 009 ... have a supervisor too
HOT_PERSONS = 40  # citizens many counters serve, so that acts on one person collide
_SURNAMES = "李王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = ("建国", "秀英", "志强", "丽华", "思远", "海燕", "文博", "春梅")
_DATABASE = "medins_load"
_TWIN_SUFFIX = "_bare"


@dataclass(frozen=True)
class _Load:
    """What the run was asked for."""

    counters: int
    seconds: float
    persons: int
    base: Counter
    seed: int
    pause_ms: float


def run_load_test(
    *,
    counters: int,
    seconds: float,
    url: str | None,
    persons: int,
    base: Counter,
    seed: int,
    pause_ms: float,
    progress: Callable[[str], None],
) -> LoadReport:
    with _server(url, counters, progress) as store_url:
        progress("建立窗口用户与参保人……")
        load = _Load(counters, seconds, persons, base, seed, pause_ms)
        plans, first_txn = _prepare(store_url, load)
        with _twin(store_url) as (twin_url, note):
            plans = [replace(plan, twin_url=twin_url) for plan in plans]
            progress(f"{counters} 个窗口开始办理，{seconds:.0f} 秒……")
            results = _run(plans, seconds)
        progress("核对数据库……")
        checks, server = _check(store_url, results, first_txn)
    return LoadReport.of(
        results, seconds=seconds, pause_ms=pause_ms, persons=persons, server=server,
        checks=checks, bare_note=note,
    )  # fmt: skip


@contextlib.contextmanager
def _server(url: str | None, counters: int, progress: Callable[[str], None]) -> Iterator[str]:
    """The store's URL: the given one, or a database on a private cluster while it runs."""
    if url is not None:
        if make_url(url).get_backend_name() != "postgresql":
            raise ValidationError("db", "压力测试只能在 PostgreSQL 上进行（大厅的多窗口部署）")
        yield url
        return
    bindir = require_bindir()
    PrivateCluster.remove_abandoned(bindir)
    progress(f"启动临时数据库服务器（{bindir}）……")
    cluster = PrivateCluster.create(bindir)
    try:
        # Each counter holds a few connections: its sessions, its look-up, its replay.
        cluster.start(settings={"max_connections": str(max(100, 5 * counters + 20))})
        with _admin(cluster.url()) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(_DATABASE)))
        yield cluster.url(_DATABASE).render_as_string(hide_password=False)
    finally:
        cluster.stop()


def _admin(url: URL) -> psycopg.Connection[tuple[object, ...]]:
    """An autocommit connection to the server's maintenance database."""
    return psycopg.connect(replay.conninfo(url.set(database="postgres")), autocommit=True)


def _prepare(url: str, load: _Load) -> tuple[list[CounterPlan], int]:
    """The store with its schema, users and citizens; each counter's plan, and the id the run's
    first transaction will have."""
    store = open_store(url)
    try:
        return _populate(store, url, load)
    finally:
        store.dispose()


def _populate(store: Store, url: str, load: _Load) -> tuple[list[CounterPlan], int]:
    with store.sessions() as session:
        if session.scalar(select(func.count()).select_from(Person)):
            raise ValidationError(
                "db", "压力测试会写入大量测试业务，只能用于没有参保人的空数据库；请另建一个数据库"
            )
        console = console_actor(session, load.base)
    ids = load_population(
        store.sessions,
        persons=load.persons,
        rng=random.Random(load.seed),
        counter=load.base,
        now=datetime.now(),
        progress=lambda _text: None,
    ).ids
    hot = tuple(random.Random(load.seed).sample(ids, min(HOT_PERSONS, len(ids))))
    plans = []
    for number in range(1, load.counters + 1):
        counter_no = f"{number:03d}"
        supervised = number % SUPERVISOR_EVERY == 1
        plans.append(
            CounterPlan(
                url=url,
                twin_url=None,
                counter=counter_at(load.base, counter_no),
                clerk=_account(store, console, f"load{counter_no}", _name(number), Role.CLERK),
                supervisor=_account(
                    store, console, f"lsup{counter_no}", _name(number + 7), Role.SUPERVISOR
                )
                if supervised
                else None,
                seconds=load.seconds,
                max_acts=int(load.seconds * 1000) + 100,
                pause_ms=load.pause_ms,
                persons=(ids.start, ids.stop - 1),
                hot=hot,
                seed=load.seed + number,
            )
        )
    with store.sessions() as session:
        first_txn = (session.scalar(select(func.max(Transaction.id))) or 0) + 1
    return plans, first_txn


def _name(number: int) -> str:
    """A clerk's name (names hold no digits)."""
    return _SURNAMES[number % len(_SURNAMES)] + _GIVEN[number // len(_SURNAMES) % len(_GIVEN)]


def _account(store: Store, console: Actor, username: str, name: str, role: Role) -> Account:
    with store.sessions() as session:
        info = create_user(
            session,
            console,
            username=username,
            display_name=name,
            role=role,
            password=LOAD_PASSWORD,
        )
    return Account(info.id, info.username, info.display_name, info.role)


@contextlib.contextmanager
def _twin(url: str) -> Iterator[tuple[str | None, str]]:
    """A copy of the store for the bare replay, without foreign keys, dropped afterwards; or
    None and why there is none (a user who may not create databases)."""
    live = make_url(url)
    assert live.database is not None
    twin = live.set(database=live.database + _TWIN_SUFFIX)
    name = sql.Identifier(twin.database or "")
    try:
        with _admin(live) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    name, sql.Identifier(live.database)
                )
            )
        with psycopg.connect(replay.conninfo(twin), autocommit=True) as connection:
            keys = connection.execute(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint "
                "WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
            ).fetchall()
            for table, constraint in keys:
                connection.execute(
                    sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                        sql.Identifier(table), sql.Identifier(constraint)
                    )
                )
    except psycopg.Error as error:
        log.warning("no twin for the bare baseline: %s", error)
        yield None, f"无法建立对照库：{str(error).strip().splitlines()[0]}"
        return
    try:
        yield twin.render_as_string(hide_password=False), ""
    finally:
        with contextlib.suppress(psycopg.Error), _admin(live) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def _run(plans: list[CounterPlan], seconds: float) -> list[CounterResult]:
    """Every counter in its own spawned process, all starting together; their results."""
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(len(plans) + 1)
    answers: multiprocessing.Queue[CounterResult] = context.Queue()
    processes = [
        context.Process(
            target=serve,
            args=(plan, ready, answers),
            daemon=True,
            name=f"counter-{plan.counter.counter_no}",
        )
        for plan in plans
    ]
    for process in processes:
        process.start()
    results: dict[str, CounterResult] = {}
    try:
        with contextlib.suppress(Exception):  # a counter that failed to start broke the barrier
            ready.wait(timeout=300)
        deadline = time.monotonic() + seconds + 120
        while len(results) < len(plans) and time.monotonic() < deadline:
            try:
                result = answers.get(timeout=1)
            except queue.Empty:
                if not any(process.is_alive() for process in processes):
                    break
                continue
            results[result.counter_no] = result
    finally:
        # All answered: they are ending. Otherwise (interrupted, timed out) they are stopped.
        grace = 10 if len(results) == len(plans) else 0
        for process in processes:
            process.join(timeout=grace)
            if process.is_alive():
                process.kill()
                process.join()
    for plan in plans:  # a process that died without answering
        number = plan.counter.counter_no
        results.setdefault(number, CounterResult(number, failed="窗口进程意外退出"))
    return [results[plan.counter.counter_no] for plan in plans]


def _check(url: str, results: list[CounterResult], first_txn: int) -> tuple[StoreChecks, str]:
    """The store against what the counters were told; and which server it is."""
    store = open_store(url, migrate=False)
    try:
        return _checks(store, results, first_txn), _describe(store, url)
    finally:
        store.dispose()


def _checks(store: Store, results: list[CounterResult], first_txn: int) -> StoreChecks:
    told = [serial for result in results for serial in result.serials]
    with store.sessions() as session:
        stored = list(
            session.scalars(select(Transaction.serial).where(Transaction.id >= first_txn))
        )
        duplicates = session.scalar(
            select(func.count() - func.count(Transaction.serial.distinct()))
        )
        per_day = session.execute(
            select(
                Transaction.counter_no,
                Transaction.business_day,
                func.count(),
                func.max(Transaction.seq),
            )
            .group_by(Transaction.counter_no, Transaction.business_day)
            .order_by(Transaction.counter_no, Transaction.business_day)
        ).all()
        missing, places = gaps(per_day)
        verdict = verify_audit_chain(session)
    told_set, stored_set = set(told), set(stored)
    return StoreChecks(
        duplicate_serials=(duplicates or 0) + len(told) - len(told_set),
        serial_gaps=missing,
        gap_places=places,
        lost_acts=len(told_set - stored_set),
        phantom_acts=len(stored_set - told_set),
        audit_ok=verdict.ok,
        audit_text=verdict.describe(),
    )


def _describe(store: Store, url: str) -> str:
    with store.engine.connect() as connection:
        version = connection.exec_driver_sql("SHOW server_version").scalar()
    parsed = make_url(url)
    return f"PostgreSQL {version}, {parsed.host}:{parsed.port}/{parsed.database}"
