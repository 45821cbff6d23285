"""Append-only, hash-chained audit log (审计日志) and its verification.

Each entry stores the SHA-256 of the previous entry and of its own canonical content; the single
``audit_head`` row names the last entry and is locked while appending, so counters writing at once
still build one chain. Editing, inserting or deleting any row behind the app's back breaks a link
that :func:`verify_audit_chain` reports.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, event, insert, select, update
from sqlalchemy.orm import Session

from medins_desk.store.models import AuditEntry, AuditHead, table_of

GENESIS_HASH = "0" * 64


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def canonical_json(data: Mapping[str, Any]) -> str:
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default
    )


def entry_hash(entry: AuditEntry) -> str:
    """The SHA-256 an entry's content and its predecessor's hash make (its own hash aside)."""
    return _chain_hash(
        seq=entry.seq,
        at=entry.at,
        user_id=entry.user_id,
        username=entry.username,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        details=entry.details,
        prev_hash=entry.prev_hash,
    )


def _chain_hash(
    *,
    seq: int,
    at: datetime,
    user_id: int | None,
    username: str,
    action: str,
    entity: str,
    entity_id: str,
    details: str,
    prev_hash: str,
) -> str:
    content = canonical_json(
        {
            "seq": seq,
            "at": at.isoformat(timespec="seconds"),
            "user_id": user_id,
            "username": username,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "details": details,
            "prev": prev_hash,
        }
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


# Compiled once (see services.context): the chain's three statements run in every business act.
# The entry is written with Core, not as an ORM object: nothing reads it back in the act.
_head = table_of(AuditHead)
_LOCK_HEAD = select(_head.c.last_seq, _head.c.last_hash).where(_head.c.id == 1).with_for_update()
_INSERT_ENTRY = insert(table_of(AuditEntry))
_MOVE_HEAD = (
    update(_head)
    .where(_head.c.id == 1)
    .values(last_seq=bindparam("new_seq"), last_hash=bindparam("new_hash"))
)


_PENDING = "medins_audit_pending"  # session.info: the entries the transaction will append


@dataclass(frozen=True)
class _Pending:
    at: datetime
    user_id: int | None
    username: str
    action: str
    entity: str
    entity_id: str
    details: str


def append_audit(
    session: Session,
    *,
    at: datetime,
    user_id: int | None,
    username: str,
    action: str,
    entity: str,
    entity_id: str | int,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Add one entry to the chain inside the caller's transaction.

    The entry is chained when the transaction commits (:func:`_chain_pending`): the head row is
    locked there, among the commit's last statements, so counters queue on it for that moment
    only, not for the whole act (under load the hall's writes queued behind it)."""
    entry = _Pending(
        at.replace(microsecond=0), user_id, username, action, entity, str(entity_id),
        canonical_json(details or {}),
    )  # fmt: skip
    session.info.setdefault(_PENDING, []).append(entry)


@event.listens_for(Session, "before_commit")
def _chain_pending(session: Session) -> None:
    """Append the transaction's entries to the chain: the head is locked (``SELECT ... FOR
    UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already holds the write lock), so
    counters committing at once build one chain in commit order.

    The act's own changes are flushed first (the commit would flush them after this hook): the
    head is then the last lock the act takes and is held for its three statements and the
    commit only, and a counter holding it never waits for a row another counter holds while
    queueing for the head."""
    if not session.info.get(_PENDING):
        return
    session.flush()
    pending: list[_Pending] = session.info.pop(_PENDING, [])
    connection = session.connection()
    last_seq, last_hash = connection.execute(_LOCK_HEAD).one()
    seq, prev = int(last_seq), str(last_hash)
    for entry in pending:
        seq += 1
        digest = _chain_hash(
            seq=seq, at=entry.at, user_id=entry.user_id, username=entry.username,
            action=entry.action, entity=entry.entity, entity_id=entry.entity_id,
            details=entry.details, prev_hash=prev,
        )  # fmt: skip
        connection.execute(
            _INSERT_ENTRY,
            {
                "seq": seq, "at": entry.at, "user_id": entry.user_id,
                "username": entry.username, "action": entry.action, "entity": entry.entity,
                "entity_id": entry.entity_id, "details": entry.details, "prev_hash": prev,
                "hash": digest,
            },
        )  # fmt: skip
        prev = digest
    connection.execute(_MOVE_HEAD, {"new_seq": seq, "new_hash": prev})


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    """A rolled-back act leaves nothing in the chain."""
    session.info.pop(_PENDING, None)


@dataclass(frozen=True)
class AuditVerdict:
    """Result of verifying the chain: ``ok``, the number of entries, and the first break."""

    ok: bool
    entries: int
    broken_seq: int | None = None
    reason: str = ""

    def describe(self) -> str:
        if self.ok:
            return f"审计日志完整：共 {self.entries} 条，哈希链校验通过"
        return f"审计日志被篡改：第 {self.broken_seq} 条，{self.reason}"


def verify_audit_chain(session: Session, *, batch: int = 5000) -> AuditVerdict:
    """Walk the chain in order and name the first entry that was edited, inserted or removed."""
    head = session.get(AuditHead, 1)
    if head is None:
        return AuditVerdict(False, 0, 0, "审计链头记录缺失")
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    query = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    for entry in session.execute(query).scalars():
        if entry.seq != expected_seq:
            reason = (
                f"缺少第 {expected_seq} 条（已被删除）"
                if entry.seq > expected_seq
                else "序号重复或顺序错乱（疑似插入）"
            )
            return AuditVerdict(False, count, expected_seq, reason)
        if entry.prev_hash != expected_prev:
            return AuditVerdict(False, count, entry.seq, "前一条哈希不符（前面的记录被删除或插入）")
        if entry_hash(entry) != entry.hash:
            return AuditVerdict(False, count, entry.seq, "内容与哈希不符（记录被修改）")
        expected_prev = entry.hash
        expected_seq += 1
        count += 1
    if head.last_seq != count or head.last_hash != expected_prev:
        return AuditVerdict(
            False,
            count,
            count + 1 if head.last_seq > count else head.last_seq,
            "链尾与链头记录不符（末尾记录被删除或链头被改动）",
        )
    return AuditVerdict(True, count)
