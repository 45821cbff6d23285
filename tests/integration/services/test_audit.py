"""审计日志 (DESIGN §9): append-only and hash-chained; verification finds any edited, removed or
inserted entry, including a forger who recomputes the hash of what they changed."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from medins_desk.services.audit import GENESIS_HASH, entry_hash, verify_audit_chain
from medins_desk.store.models import AuditEntry, AuditHead
from tests.helpers.people import register
from tests.helpers.store import Desk


def _entries(session: Session) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def _busy(desk: Desk) -> int:
    """A few business acts; the number of audit entries they wrote."""
    with desk.session() as session:
        for n in range(1, 5):
            register(session, desk.actor("clerk"), birth=date(1980, 5, n), sequence=n)
        return len(_entries(session))


def test_each_entry_stores_the_previous_hash_and_its_own(any_desk: Desk) -> None:
    count = _busy(any_desk)
    with any_desk.session() as session:
        entries = _entries(session)
        head = session.get(AuditHead, 1)
        verdict = verify_audit_chain(session)
    assert verdict.ok and verdict.entries == count >= 4
    assert [e.seq for e in entries] == list(range(1, count + 1))
    assert entries[0].prev_hash == GENESIS_HASH
    for before, entry in itertools.pairwise(entries):
        assert entry.prev_hash == before.hash
    assert head is not None and (head.last_seq, head.last_hash) == (count, entries[-1].hash)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("at", datetime(2026, 11, 18, 9, 31)),
        ("user_id", None),
        ("username", "super"),
        ("action", "login"),
        ("entity", "person"),
        ("entity_id", "0"),
        ("details", "{}"),
        ("prev_hash", "f" * 64),
        ("hash", "e" * 64),
    ],
)
def test_an_edit_of_any_column_is_found(desk: Desk, column: str, value: Any) -> None:
    _busy(desk)
    with desk.session() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 2).values({column: value}))
        session.commit()
        verdict = verify_audit_chain(session)
    assert not verdict.ok
    assert verdict.broken_seq == 2
    assert "第 2 条" in verdict.describe()


def _forge_middle(session: Session) -> int:
    entry = _entries(session)[1]
    entry.details = '{"forged":true}'
    entry.hash = entry_hash(entry)
    return 3  # the next entry no longer links to it


def _forge_last(session: Session) -> int:
    entry = _entries(session)[-1]
    entry.username = "super"
    entry.hash = entry_hash(entry)
    return entry.seq  # the chain head still names the old hash


def _delete_first(session: Session) -> int:
    session.execute(delete(AuditEntry).where(AuditEntry.seq == 1))
    return 1


@pytest.mark.parametrize(
    "tamper", [_forge_middle, _forge_last, _delete_first], ids=["middle", "last", "first"]
)
def test_a_forger_who_recomputes_the_hash_is_still_found(
    desk: Desk, tamper: Callable[[Session], int]
) -> None:
    _busy(desk)
    with desk.session() as session:
        broken = tamper(session)
        session.commit()
        verdict = verify_audit_chain(session)
    assert not verdict.ok
    assert verdict.broken_seq == broken
