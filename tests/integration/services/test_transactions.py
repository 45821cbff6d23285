"""业务流水号 (DESIGN §8): hall (6) + date (8) + counter (3) + sequence (5), gapless per counter
and day, never reused, and every business act writes its transaction and its audit entry."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from medins_desk.errors import BusinessRuleError
from medins_desk.store.models import AuditEntry, Person, SerialCounter, Transaction
from tests.helpers.people import register
from tests.helpers.store import Desk

TODAY = date(2026, 11, 18)


def _count(desk: Desk, model: type[object]) -> int:
    with desk.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_sequence_starts_again_each_day_and_per_counter(desk: Desk) -> None:
    with desk.session() as session:
        first = register(session, desk.actor("clerk"), name="张三", sequence=1)
        second = register(session, desk.actor("clerk"), name="李四", sequence=2)
        other = register(session, desk.at_counter("clerk2", "002"), name="王五", sequence=3)
        desk.clock.advance(days=1)
        tomorrow = register(session, desk.actor("clerk"), name="赵六", sequence=4)
    assert first.transaction.serial == "110105" + "20261118" + "001" + "00001"
    assert second.transaction.serial == "110105" + "20261118" + "001" + "00002"
    assert other.transaction.serial == "110105" + "20261118" + "002" + "00001"
    assert tomorrow.transaction.serial == "110105" + "20261119" + "001" + "00001"


def test_the_sequence_stops_at_99999_rather_than_widening_or_wrapping(desk: Desk) -> None:
    with desk.session() as session:
        session.add(
            SerialCounter(hall_code="110105", counter_no="001", business_day=TODAY, last_seq=99_998)
        )
        session.commit()
        last = register(session, desk.actor("clerk"), name="张三", sequence=1)
        with pytest.raises(BusinessRuleError, match="流水号已用尽"):
            register(session, desk.actor("clerk"), name="李四", sequence=2)
        # Nothing of the refused act stays; another counter carries on.
        counter = session.get(SerialCounter, ("110105", "001", TODAY))
        assert counter is not None and counter.last_seq == 99_999
        elsewhere = register(session, desk.at_counter("clerk2", "002"), name="李四", sequence=2)
    assert last.transaction.serial == "11010520261118001" + "99999"
    assert len(last.transaction.serial) == 22
    assert elsewhere.transaction.serial.endswith("00200001")
    assert _count(desk, Person) == 2


def test_every_transaction_has_its_audit_entry(desk: Desk) -> None:
    with desk.session() as session:
        register(session, desk.actor("clerk"), name="张三", sequence=1)
        register(session, desk.actor("clerk2"), name="李四", sequence=2)
        serials = set(session.scalars(select(Transaction.serial)))
        audited = set(
            session.scalars(select(AuditEntry.entity_id).where(AuditEntry.entity == "transaction"))
        )
    assert len(serials) == 2
    assert serials <= audited
