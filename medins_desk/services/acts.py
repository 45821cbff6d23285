"""业务查询 by 业务流水号: what a counter shows when a voucher's serial is scanned (its Code128):
the act, whose it is, and whether a supervisor may void it now."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.business import is_serial
from medins_desk.domain.roles import Permission, may
from medins_desk.errors import BusinessRuleError, NotFound, ValidationError
from medins_desk.services.context import Actor, service
from medins_desk.services.transactions import TransactionInfo, transaction_info
from medins_desk.services.void import ensure_voidable
from medins_desk.store.models import Transaction


@dataclass(frozen=True)
class ActFound:
    """A business act found by its serial (按业务流水号查到的业务)."""

    act: TransactionInfo
    person_id: int | None
    person_name: str | None
    void_refusal: str | None  # why it cannot be voided now; None: a supervisor may void it


@service(Permission.LOOK_UP)
def find_act(session: Session, actor: Actor, *, serial: str) -> ActFound:
    """业务查询: the act with this 业务流水号 (22 digits, as the voucher's Code128 reads)."""
    text = serial.strip()
    if not is_serial(text):
        raise ValidationError("serial", f"「{text[:40]}」不是业务流水号（应为 22 位数字）")
    txn = session.scalar(select(Transaction).where(Transaction.serial == text))
    if txn is None:
        raise NotFound(f"本库中没有业务流水号为 {text} 的业务")
    refusal: str | None = None
    if not may(actor.role, Permission.VOID):
        refusal = "作废须由复核员或主管办理"
    else:
        try:
            ensure_voidable(session, actor, txn)
        except BusinessRuleError as error:
            refusal = error.message
    person = txn.person
    return ActFound(
        act=transaction_info(txn),
        person_id=person.id if person is not None else None,
        person_name=person.name if person is not None else None,
        void_refusal=refusal,
    )
