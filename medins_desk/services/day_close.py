"""日结 day close: the hall's day becomes read-only and its ledger final, then 日结备份 (a backup
of the store) when the settings name a backup folder."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from medins_desk.domain.business import TransactionStatus
from medins_desk.domain.roles import Permission
from medins_desk.errors import SHOWN_TO_USER, BusinessRuleError, UserFacingError, ValidationError
from medins_desk.services.audit import append_audit
from medins_desk.services.conflicts import hold_business_day
from medins_desk.services.context import Actor, service
from medins_desk.services.transactions import day_closed
from medins_desk.store.backup.folder import BackupFolder
from medins_desk.store.models import DayClose, Transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DayBackup:
    """The backup the day close wrote (日结备份): ``file``, or why it failed (``failure``, in
    Chinese: the day stays closed all the same)."""

    file: Path | None
    failure: str = ""
    removed: tuple[Path, ...] = ()  # old backups rotated away


@dataclass(frozen=True)
class DayCloseReceipt:
    hall_code: str
    business_day: date
    closed_by_name: str
    closed_at: datetime
    transaction_count: int  # normal transactions; voided ones are not counted
    fee_total_fen: int
    void_count: int
    backup: DayBackup | None = None  # None: no backup folder is set


def day_rows(hall_code: str, day: date) -> tuple[ColumnElement[bool], ...]:
    """The conditions that pick a hall's transactions of one business day (the ledger's too)."""
    return (Transaction.hall_code == hall_code, Transaction.business_day == day)


def close_day_and_back_up(
    session: Session, actor: Actor, *, day: date, backups: BackupFolder | None
) -> DayCloseReceipt:
    """日结 (:func:`close_day`), then, the close committed, 日结备份: a backup of the store into
    ``backups`` (None: the settings want none). A failed backup does not undo the close: the
    receipt says what failed."""
    receipt = close_day(session, actor, day=day)
    if backups is None:
        return receipt
    bind = session.get_bind()
    url = bind.engine.url.render_as_string(hide_password=False)
    try:
        backup, removed = backups.write(url, now=receipt.closed_at)
    except UserFacingError as error:
        log.warning("日结后备份失败：%s", error.message, exc_info=error, extra=SHOWN_TO_USER)
        outcome = DayBackup(None, error.message)
    except Exception as error:  # a bug must not hide that the day is closed
        log.error("日结后备份时发生意外错误", exc_info=error)
        outcome = DayBackup(None, f"发生意外错误（{type(error).__name__}），详情见日志")
    else:
        outcome = DayBackup(backup.file, removed=removed)
    return dataclasses.replace(receipt, backup=outcome)


@service(Permission.CLOSE_DAY)
def close_day(session: Session, actor: Actor, *, day: date) -> DayCloseReceipt:
    """日结: the hall's day becomes read-only and its ledger final."""
    hall = actor.counter.hall_code
    if day > actor.today():
        raise ValidationError("day", f"不能日结未来的日期 {day:%Y-%m-%d}")
    # Acts and voids under way at other counters finish first and are counted; later ones wait
    # for the close and are then refused.
    hold_business_day(session, hall, day, closing=True)
    closed = day_closed(session, hall, day)
    if closed is not None:
        raise BusinessRuleError(
            f"{day:%Y-%m-%d} 已由{closed.closed_by_name}于 {closed.closed_at:%Y-%m-%d %H:%M} 日结，"
            "不能重复日结"
        )
    counts: dict[TransactionStatus, int] = {
        status: count
        for status, count in session.execute(
            select(Transaction.status, func.count(Transaction.id))
            .where(*day_rows(hall, day))
            .group_by(Transaction.status)
        )
    }
    fee_total = session.scalar(
        select(func.coalesce(func.sum(Transaction.fee_fen), 0)).where(
            *day_rows(hall, day), Transaction.status == TransactionStatus.NORMAL
        )
    )
    now = actor.now()
    close = DayClose(
        hall_code=hall,
        business_day=day,
        closed_by=actor.user_id,
        closed_at=now,
        transaction_count=counts.get(TransactionStatus.NORMAL, 0),
        fee_total_fen=int(fee_total or 0),
    )
    session.add(close)
    session.flush()
    void_count = counts.get(TransactionStatus.VOID, 0)
    append_audit(
        session,
        at=now,
        user_id=actor.user_id,
        username=actor.username,
        action="day_close",
        entity="day_close",
        entity_id=f"{hall}-{day:%Y%m%d}",
        details={
            "day": day,
            "transaction_count": close.transaction_count,
            "fee_total_fen": close.fee_total_fen,
            "void_count": void_count,
        },
    )
    return DayCloseReceipt(
        hall, day, actor.display_name, now, close.transaction_count, close.fee_total_fen, void_count
    )
