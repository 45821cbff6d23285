"""并发冲突: two counters, one citizen, the same instant.

Two counters acting on one record at once queue on a lock (the card, the person, the correction
request, the hall's business day); the second then reads the record as the first left it and is
refused with a message naming the act that came first: when, at which counter (窗口), by whom,
and its 业务流水号, so the clerk looks it up (查询业务流水) instead of doing it again. A deadlock
between the two is settled by the database and the loser runs again (see ``service``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medins_desk.store.models import Transaction


def done_at(txn: Transaction, act: str) -> str:
    """「已于 <time> 在 <counter> 号窗口由<clerk>办理<act>（业务流水号 <serial>）」: where another
    counter did ``act`` first."""
    return (
        f"已于 {txn.created_at:%Y-%m-%d %H:%M} 在 {txn.counter_no} 号窗口由"
        f"{txn.clerk.display_name}办理{act}（业务流水号 {txn.serial}）"
    )


def hold_business_day(
    session: Session, hall_code: str, day: date, *, closing: bool = False
) -> None:
    """Hold the hall's business day (营业日) until this transaction ends: shared by every act
    and void of the day, exclusive for the day close (日结). A close thus waits for the acts
    under way and counts them; an act that comes during a close waits, then finds the day
    closed. On SQLite each write transaction holds the whole file (``BEGIN IMMEDIATE``) already.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    lock = func.pg_advisory_xact_lock if closing else func.pg_advisory_xact_lock_shared
    key = func.hashtextextended(f"business day {hall_code} {day:%Y%m%d}", 0)
    session.execute(select(lock(key)))
