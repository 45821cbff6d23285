"""业务流水: serial numbers and the transaction record every business act writes.

The serial is hall (6) + date (8) + counter (3) + sequence (5). The sequence comes from an upsert on
``serial_counters`` inside the business transaction itself: a failed act rolls its number back, so
numbers are gapless per counter and day, and the row lock keeps concurrent counters apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from medins_desk.domain.business import (
    MAX_DAILY_SEQUENCE,
    BusinessKind,
    TransactionStatus,
    format_serial,
)
from medins_desk.errors import BusinessRuleError
from medins_desk.services.audit import append_audit
from medins_desk.services.conflicts import hold_business_day
from medins_desk.services.context import Actor
from medins_desk.store.models import AuditEntry, DayClose, SerialCounter, Transaction, User


@dataclass(frozen=True)
class TransactionInfo:
    """What every voucher prints about its transaction."""

    serial: str
    kind: BusinessKind
    business_day: date
    created_at: datetime
    hall_code: str
    counter_no: str
    clerk_username: str
    clerk_name: str
    fee_fen: int
    summary: str
    status: TransactionStatus
    training: bool

    @property
    def kind_label(self) -> str:
        return self.kind.label


def transaction_info(txn: Transaction) -> TransactionInfo:
    return TransactionInfo(
        serial=txn.serial,
        kind=txn.kind,
        business_day=txn.business_day,
        created_at=txn.created_at,
        hall_code=txn.hall_code,
        counter_no=txn.counter_no,
        clerk_username=txn.clerk.username,
        clerk_name=txn.clerk.display_name,
        fee_fen=txn.fee_fen,
        summary=txn.summary,
        status=txn.status,
        training=txn.training,
    )


def ensure_day_open(session: Session, hall_code: str, day: date) -> None:
    """Refuse an act on a closed day (日结); the day is held open until the act ends."""
    hold_business_day(session, hall_code, day)
    closed = session.execute(
        select(DayClose.closed_at, User.display_name)
        .join(User, User.id == DayClose.closed_by)
        .where(DayClose.hall_code == hall_code, DayClose.business_day == day)
    ).first()
    if closed is not None:
        closed_at, name = closed
        raise BusinessRuleError(
            f"{day:%Y年%m月%d日} 已日结（{name}于 {closed_at:%Y-%m-%d %H:%M} 办理日结），"
            "当日业务只读，不能再办理或修改；请次日办理"
        )


def next_sequence(session: Session, hall_code: str, counter_no: str, day: date) -> int:
    dialect = session.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = SerialCounter.__table__
    statement = (
        insert(table)
        .values(hall_code=hall_code, counter_no=counter_no, business_day=day, last_seq=1)
        .on_conflict_do_update(
            index_elements=[table.c.hall_code, table.c.counter_no, table.c.business_day],
            set_={"last_seq": table.c.last_seq + 1},
        )
        .returning(table.c.last_seq)
    )
    seq = int(session.execute(statement).scalar_one())
    if seq > MAX_DAILY_SEQUENCE:
        raise BusinessRuleError("本窗口今日业务流水号已用尽（99999 笔），请更换窗口办理")
    return seq


def record_transaction(
    session: Session,
    actor: Actor,
    *,
    kind: BusinessKind,
    person_id: int | None,
    summary: str,
    fee_fen: int = 0,
    details: dict[str, Any] | None = None,
) -> Transaction:
    """Write the 业务流水 row with a fresh serial, and its audit entry."""
    now = actor.now()
    day = now.date()
    counter = actor.counter
    ensure_day_open(session, counter.hall_code, day)
    seq = next_sequence(session, counter.hall_code, counter.counter_no, day)
    txn = Transaction(
        serial=format_serial(counter.hall_code, f"{day:%Y%m%d}", counter.counter_no, seq),
        hall_code=counter.hall_code,
        counter_no=counter.counter_no,
        business_day=day,
        seq=seq,
        kind=kind,
        person_id=person_id,
        clerk_id=actor.user_id,
        created_at=now,
        fee_fen=fee_fen,
        summary=summary[:200],
        status=TransactionStatus.NORMAL,
        training=counter.training,
    )
    session.add(txn)
    session.flush()
    append_audit(
        session,
        at=now,
        user_id=actor.user_id,
        username=actor.username,
        action=kind.value,
        entity="transaction",
        entity_id=txn.serial,
        details={"person_id": person_id, "fee_fen": fee_fen, "summary": summary, **(details or {})},
    )
    return txn


def transaction_details(session: Session, txn: Transaction) -> dict[str, Any]:
    """The details recorded with ``txn`` (they live in its audit entry)."""
    text = session.scalar(
        select(AuditEntry.details)
        .where(AuditEntry.entity == "transaction", AuditEntry.entity_id == txn.serial)
        .order_by(AuditEntry.seq)
    )
    details = json.loads(text) if text else {}
    return details if isinstance(details, dict) else {}
