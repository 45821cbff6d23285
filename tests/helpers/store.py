"""Fixtures for service tests: a real store (SQLite file, or PostgreSQL), users and a clock."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.policy import Policy
from medins_desk.domain.roles import Role
from medins_desk.services.context import Actor, Counter
from medins_desk.services.ledger import LedgerRow, daily_ledger
from medins_desk.store import Store, open_store
from medins_desk.store.models import AuditEntry, User

PASSWORD = "Counter2026"
HALL = "110105"


class FakeClock:
    """The counter's wall clock, set and moved by the test."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        self.current = moment


@pytest.fixture(scope="session")
def password_hash() -> str:
    return PasswordHasher().hash(PASSWORD)


@pytest.fixture
def clock() -> FakeClock:
    # A Wednesday in an ordinary working week.
    return FakeClock(datetime(2026, 11, 18, 9, 30, 0))


@dataclass
class Desk:
    """A store with signed-in people at counters, for one test."""

    store: Store
    clock: FakeClock
    counter: Counter
    users: dict[str, Actor]
    password_hash: str

    def session(self) -> Session:
        return self.store.sessions()

    def actor(self, username: str) -> Actor:
        return self.users[username]

    def add_user(self, username: str, role: Role, *, counter: Counter | None = None) -> Actor:
        with self.store.sessions() as session:
            user = User(
                username=username,
                display_name=f"测试{username}",
                role=role,
                password_hash=self.password_hash,
                active=True,
                failed_attempts=0,
                created_at=self.clock(),
            )
            session.add(user)
            session.commit()
            actor = Actor(
                user.id, username, user.display_name, role, counter or self.counter, self.clock
            )
        self.users[username] = actor
        return actor

    def at_counter(self, username: str, counter_no: str) -> Actor:
        base = self.users[username]
        counter = dataclasses.replace(base.counter, counter_no=counter_no)
        return Actor(base.user_id, base.username, base.display_name, base.role, counter, self.clock)


def desk_on(url: str, clock: FakeClock, password_hash: str, policy: Policy) -> Iterator[Desk]:
    """A desk on the store at ``url`` with its five users; the store is closed after."""
    store = open_store(url)
    counter = Counter(HALL, "001", policy, has_card_printer=True)
    desk = Desk(store, clock, counter, {}, password_hash)
    desk.add_user("clerk", Role.CLERK)
    desk.add_user("clerk2", Role.CLERK)
    desk.add_user("super", Role.SUPERVISOR)
    desk.add_user("super2", Role.SUPERVISOR)
    desk.add_user("admin", Role.ADMIN)
    try:
        yield desk
    finally:
        store.dispose()


@pytest.fixture
def policy() -> Policy:
    return Policy()


@pytest.fixture
def desk(sqlite_url: str, clock: FakeClock, password_hash: str, policy: Policy) -> Iterator[Desk]:
    """A fresh SQLite store with clerk, clerk2, super, super2 and admin."""
    yield from desk_on(sqlite_url, clock, password_hash, policy)


@pytest.fixture
def pg_desk(
    postgres_url: str, clock: FakeClock, password_hash: str, policy: Policy
) -> Iterator[Desk]:
    """The same on a fresh PostgreSQL database."""
    yield from desk_on(postgres_url, clock, password_hash, policy)


@pytest.fixture(params=["sqlite", "postgres"])
def any_desk(request: pytest.FixtureRequest) -> Desk:
    """Run the test once on SQLite and once on PostgreSQL."""
    name = "desk" if request.param == "sqlite" else "pg_desk"
    desk: Desk = request.getfixturevalue(name)
    return desk


def ledger_line(session: Session, supervisor: Actor, serial: str) -> LedgerRow:
    """The line of ``serial`` in today's daily ledger (日结台账)."""
    ledger = daily_ledger(session, supervisor, day=supervisor.today())
    (line,) = [row for row in ledger.rows if row.serial == serial]
    return line


def transaction_audit(session: Session, serial: str) -> list[str]:
    """The audit entries of the transaction ``serial``, in order (the act, then e.g. its void)."""
    return list(
        session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "transaction", AuditEntry.entity_id == serial)
            .order_by(AuditEntry.seq)
        )
    )
