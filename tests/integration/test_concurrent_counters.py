"""Counters writing at once: serials unique and gapless per counter and day, one audit chain."""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import select

from medins_desk.services.audit import verify_audit_chain
from medins_desk.store.models import Transaction
from tests.helpers.people import register
from tests.helpers.store import Desk

COUNTERS = ("001", "002", "003", "004")
PER_COUNTER = 15


def _serve(desk: Desk, counter_no: str) -> list[str]:
    actor = desk.at_counter("clerk", counter_no)
    serials = []
    with desk.session() as session:
        for n in range(PER_COUNTER):
            index = COUNTERS.index(counter_no) * PER_COUNTER + n
            result = register(
                session,
                actor,
                name="并发测试",
                birth=date(1970 + index % 50, 1 + index % 12, 1 + index % 28),
                sequence=index,
            )
            serials.append(result.transaction.serial)
    return serials


def test_concurrent_counters_get_gapless_serials(any_desk: Desk) -> None:
    with ThreadPoolExecutor(len(COUNTERS)) as pool:
        results = list(pool.map(lambda c: _serve(any_desk, c), COUNTERS))
    with any_desk.session() as session:
        rows = session.execute(
            select(Transaction.counter_no, Transaction.seq, Transaction.serial)
        ).all()
        verdict = verify_audit_chain(session)
    by_counter: dict[str, list[int]] = defaultdict(list)
    for counter_no, seq, serial in rows:
        by_counter[counter_no].append(seq)
        assert serial == f"11010520261118{counter_no}{seq:05d}"
    assert {c: sorted(s) for c, s in by_counter.items()} == {
        c: list(range(1, PER_COUNTER + 1)) for c in COUNTERS
    }
    assert len({s for serials in results for s in serials}) == len(COUNTERS) * PER_COUNTER
    assert verdict.ok, verdict.describe()
    assert verdict.entries >= len(COUNTERS) * PER_COUNTER
