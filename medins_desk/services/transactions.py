"""业务流水: serial numbers, the transaction record every business act writes, and its look-up
by serial (查询业务流水).

The serial is hall (6) + date (8) + counter (3) + sequence (5). The sequence comes from an upsert on
``serial_counters`` inside the business transaction itself: a failed act rolls its number back, so
numbers are gapless per counter and day, and the row lock keeps concurrent counters apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Insert, bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from medins_desk.domain.business import (
    MAX_DAILY_SEQUENCE,
    BusinessKind,
    TransactionStatus,
    format_serial,
)
from medins_desk.domain.roles import Permission
from medins_desk.errors import BusinessRuleError, NotFound
from medins_desk.services.audit import append_audit
from medins_desk.services.conflicts import hold_business_day
from medins_desk.services.context import SUBMISSION_ID, Actor, service
from medins_desk.store.models import (
    AuditEntry,
    DayClose,
    SerialCounter,
    Transaction,
    User,
    table_of,
)


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


@dataclass(frozen=True)
class RecordedTransaction:
    """The 业务流水 row an act has just written, with what its voucher prints: the values the act
    wrote, not a re-read of them."""

    id: int
    person_id: int | None
    info: TransactionInfo

    @property
    def serial(self) -> str:
        return self.info.serial


# A transaction as an act has just recorded it, or as it is read back for a reprint.
TransactionRef = Transaction | RecordedTransaction


def transaction_info(txn: TransactionRef) -> TransactionInfo:
    if isinstance(txn, RecordedTransaction):
        return txn.info
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


# Compiled once (see services.context): every business act runs these.
_day_closes = table_of(DayClose)
_users = table_of(User)
_DAY_CLOSED = (
    select(_day_closes.c.closed_at, _users.c.display_name)
    .join(_users, _users.c.id == _day_closes.c.closed_by)
    .where(
        _day_closes.c.hall_code == bindparam("hall_code"),
        _day_closes.c.business_day == bindparam("business_day"),
    )
)
_INSERT_TRANSACTION = insert(table_of(Transaction))
_serial_counters = table_of(SerialCounter)


def _bump_statement(dialect: str) -> Insert:
    """``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``: one round trip takes the next number."""
    upsert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = _serial_counters
    return (  # type: ignore[no-any-return]
        upsert(table)
        .values(
            hall_code=bindparam("hall_code"),
            counter_no=bindparam("counter_no"),
            business_day=bindparam("business_day"),
            last_seq=1,
        )
        .on_conflict_do_update(
            index_elements=[table.c.hall_code, table.c.counter_no, table.c.business_day],
            set_={"last_seq": table.c.last_seq + 1},
        )
        .returning(table.c.last_seq)
    )


_BUMP = {dialect: _bump_statement(dialect) for dialect in ("postgresql", "sqlite")}


class DayClosed(NamedTuple):
    """A business day's close (日结): when, and by whom."""

    closed_at: datetime
    closed_by_name: str


def day_closed(session: Session, hall_code: str, day: date) -> DayClosed | None:
    """The day's close, or None while the day is open (every act asks: one compiled read)."""
    params = {"hall_code": hall_code, "business_day": day}
    row = session.connection().execute(_DAY_CLOSED, params).first()
    return DayClosed(row.closed_at, row.display_name) if row is not None else None


def ensure_day_open(session: Session, hall_code: str, day: date) -> None:
    """Refuse an act on a closed day (日结); the day is held open until the act ends."""
    hold_business_day(session, hall_code, day)
    closed = day_closed(session, hall_code, day)
    if closed is not None:
        raise BusinessRuleError(
            f"{day:%Y年%m月%d日} 已日结（{closed.closed_by_name}于 "
            f"{closed.closed_at:%Y-%m-%d %H:%M} 办理日结），当日业务只读，不能再办理或修改；"
            "请次日办理"
        )


def next_sequence(session: Session, hall_code: str, counter_no: str, day: date) -> int:
    connection = session.connection()
    statement = _BUMP[connection.dialect.name]
    params = {"hall_code": hall_code, "counter_no": counter_no, "business_day": day}
    seq = int(connection.execute(statement, params).scalar_one())
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
) -> RecordedTransaction:
    """Write the 业务流水 row with a fresh serial, and its audit entry.

    Both rows are append-only and nothing in the act reads them back, so they are written with
    Core statements; the voucher's part is built from the values written."""
    now = actor.now()
    day = now.date()
    counter = actor.counter
    ensure_day_open(session, counter.hall_code, day)
    seq = next_sequence(session, counter.hall_code, counter.counter_no, day)
    serial = format_serial(counter.hall_code, f"{day:%Y%m%d}", counter.counter_no, seq)
    row = {
        "serial": serial,
        "hall_code": counter.hall_code,
        "counter_no": counter.counter_no,
        "business_day": day,
        "seq": seq,
        "kind": kind,
        "person_id": person_id,
        "clerk_id": actor.user_id,
        "created_at": now,
        "fee_fen": fee_fen,
        "summary": summary[:200],
        "status": TransactionStatus.NORMAL,
        "training": counter.training,
        "voided_by": None,
        "voided_at": None,
        "void_reason": None,
        # The clerk's submission names the act's first transaction only (an act may record two).
        "submission_id": session.info.pop(SUBMISSION_ID, None),
    }
    key = session.connection().execute(_INSERT_TRANSACTION, row).inserted_primary_key
    assert key is not None
    append_audit(
        session,
        at=now,
        user_id=actor.user_id,
        username=actor.username,
        action=kind.value,
        entity="transaction",
        entity_id=serial,
        details={"person_id": person_id, "fee_fen": fee_fen, "summary": summary, **(details or {})},
    )
    info = TransactionInfo(
        serial=serial,
        kind=kind,
        business_day=day,
        created_at=now,
        hall_code=counter.hall_code,
        counter_no=counter.counter_no,
        clerk_username=actor.username,
        clerk_name=actor.display_name,
        fee_fen=fee_fen,
        summary=summary[:200],
        status=TransactionStatus.NORMAL,
        training=counter.training,
    )
    return RecordedTransaction(int(key[0]), person_id, info)


def transaction_details(session: Session, txn: TransactionRef) -> dict[str, Any]:
    """The details recorded with ``txn`` (they live in its audit entry)."""
    text = session.scalar(
        select(AuditEntry.details)
        .where(AuditEntry.entity == "transaction", AuditEntry.entity_id == txn.serial)
        .order_by(AuditEntry.seq)
    )
    details = json.loads(text) if text else {}
    return details if isinstance(details, dict) else {}


_BY_SERIAL = select(Transaction).where(Transaction.serial == bindparam("serial"))
_BY_SERIAL_LOCKED = _BY_SERIAL.with_for_update().execution_options(populate_existing=True)


def transaction_by_serial(session: Session, serial: str, *, lock: bool = False) -> Transaction:
    """The transaction with this serial, or NotFound; ``lock`` holds its row (a void does)."""
    text = serial.strip()
    txn = session.scalar(_BY_SERIAL_LOCKED if lock else _BY_SERIAL, {"serial": text})
    if txn is None:
        raise NotFound(f"未找到业务流水号为「{text[:40]}」的业务")
    return txn


@service(Permission.LOOK_UP)
def find_transaction(session: Session, actor: Actor, *, serial: str) -> TransactionInfo:
    """查询业务流水 by serial (reprints, checking a voucher brought from another counter)."""
    return transaction_info(transaction_by_serial(session, serial))
