"""办理进度查询: where a citizen's card, transfer, correction or refund stands, and the
办理进度告知单 the counter prints for them.

A matter is open while its business has a step still to come: a card not yet handed over, a
transfer case not completed, a correction or refund waiting for its review. Each is read from the
business's own rows, so the panel and the notice say what the store says and nothing is kept
twice. The notice is an act of its own (a serial, the ledger, the audit chain): its QR lets the
citizen show it elsewhere, and its reprint is the matters as they stood when it was printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.benefits import RefundState
from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.card import CardState
from medins_desk.domain.correction import CorrectionState
from medins_desk.domain.roles import Permission
from medins_desk.domain.transfer import TransferDirection, TransferStage
from medins_desk.services.context import Actor, service
from medins_desk.services.persons import load_person
from medins_desk.services.transactions import (
    TransactionInfo,
    TransactionRef,
    record_transaction,
    transaction_details,
    transaction_info,
)
from medins_desk.store.models import (
    Card,
    CardApplication,
    CorrectionRequest,
    RefundRequest,
    Transaction,
    TransferCase,
    TransferLetter,
)

__all__ = ["Matter", "ProgressNotice", "issue_progress_notice", "open_matters", "progress_notice"]


@dataclass(frozen=True)
class Matter:
    """在办事项: one open matter of the citizen's at its current stage."""

    business: str  # 社保卡申领（补领）, 医保关系转入 ...
    stage: str  # 制卡中, 联系函已发出 ...
    since: date  # the day the matter reached this stage
    serial: str  # the act that opened it
    next_step: str  # what comes next, and by when where a deadline applies

    def as_details(self) -> dict[str, str]:
        return {
            "business": self.business,
            "stage": self.stage,
            "since": self.since.isoformat(),
            "serial": self.serial,
            "next_step": self.next_step,
        }

    @classmethod
    def from_details(cls, values: dict[str, Any]) -> Matter:
        return cls(
            business=str(values["business"]),
            stage=str(values["stage"]),
            since=date.fromisoformat(str(values["since"])),
            serial=str(values["serial"]),
            next_step=str(values["next_step"]),
        )


@dataclass(frozen=True)
class ProgressNotice:
    """办理进度告知单."""

    transaction: TransactionInfo
    person_name: str
    id_number: str
    matters: tuple[Matter, ...]


_CARD_NEXT = {
    CardState.ACCEPTED: "申请已受理，待送制卡机构制卡",
    CardState.IN_PRODUCTION: "制卡中，预计 {pickup} 起可到受理网点领取",
    CardState.READY: "卡片已到网点，请持本人有效身份证件领取；代领须同时出示代领人身份证件",
}
_TRANSFER_NEXT = {
    TransferStage.OUT_CERTIFICATE_ISSUED: (
        "请持参保凭证到新参保地经办机构申请转入；新参保地发来联系函后，本地办理转出"
    ),
    TransferStage.OUT_LETTER_RECEIVED: "本地出具信息表并划转个人账户余额",
    TransferStage.IN_LETTER_SENT: "等待转出地经办机构回传信息表并划转个人账户余额",
    TransferStage.IN_INFO_RECEIVED: "本地核对信息表与到账资金后办结",
}


@service(Permission.LOOK_UP)
def open_matters(session: Session, actor: Actor, *, person_id: int) -> list[Matter]:
    """办理进度: the person's open matters, oldest first."""
    load_person(session, person_id)
    return _open_matters(session, person_id, actor.today())


def _open_matters(session: Session, person_id: int, today: date) -> list[Matter]:
    matters = [
        *_card_matters(session, person_id),
        *_transfer_matters(session, person_id, today),
        *_review_matters(session, person_id),
    ]
    return sorted(matters, key=lambda m: (m.since, m.serial))


def _card_matters(session: Session, person_id: int) -> list[Matter]:
    rows = session.execute(
        select(Card.state, Card.state_changed_at, CardApplication, Transaction.serial)
        .join(CardApplication, CardApplication.card_id == Card.id)
        .join(Transaction, Transaction.id == CardApplication.transaction_id)
        .where(
            Card.person_id == person_id,
            Card.state.in_(list(_CARD_NEXT)),
            Transaction.status == TransactionStatus.NORMAL,
        )
    )
    return [
        Matter(
            business=f"社保卡申领（{application.kind.label}）",
            stage=CardState(state).label,
            since=changed_at.date(),
            serial=serial,
            next_step=_CARD_NEXT[CardState(state)].format(
                pickup=f"{application.expected_pickup_date:%Y-%m-%d}"
            ),
        )
        for state, changed_at, application, serial in rows
    ]


def _transfer_matters(session: Session, person_id: int, today: date) -> list[Matter]:
    opening = (
        select(Transaction.serial)
        .join(TransferLetter, TransferLetter.transaction_id == Transaction.id)
        .where(TransferLetter.case_id == TransferCase.id)
        .order_by(TransferLetter.id)
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(TransferCase, opening).where(
            TransferCase.person_id == person_id,
            TransferCase.stage.not_in([TransferStage.COMPLETED, TransferStage.CANCELLED]),
        )
    )
    matters = []
    for case, serial in rows:
        direction = (
            BusinessKind.TRANSFER_OUT
            if case.direction is TransferDirection.OUT
            else BusinessKind.TRANSFER_IN
        )
        due = ""
        if case.due_on is not None:
            late = "已超过期限" if case.due_on < today else "期限"
            due = f"，{late} {case.due_on:%Y-%m-%d}"
        matters.append(
            Matter(
                business=f"{direction.label}（{case.other_agency_name}）",
                stage=case.stage.label,
                since=case.stage_started_on,
                serial=serial or case.case_number,
                next_step=_TRANSFER_NEXT[case.stage] + due,
            )
        )
    return matters


def _review_matters(session: Session, person_id: int) -> list[Matter]:
    corrections = session.execute(
        select(CorrectionRequest.submitted_at, Transaction.serial)
        .join(Transaction, Transaction.id == CorrectionRequest.transaction_id)
        .where(
            CorrectionRequest.person_id == person_id,
            CorrectionRequest.state == CorrectionState.PENDING,
        )
    )
    refunds = session.execute(
        select(RefundRequest.submitted_at, Transaction.serial)
        .join(Transaction, Transaction.id == RefundRequest.transaction_id)
        .where(RefundRequest.person_id == person_id, RefundRequest.state == RefundState.PENDING)
    )
    return [
        *(
            Matter(
                BusinessKind.CORRECTION.label,
                CorrectionState.PENDING.label,
                at.date(),
                serial,
                "由复核员核对证明材料，复核通过后生效",
            )
            for at, serial in corrections
        ),
        *(
            Matter(
                BusinessKind.REFUND_REQUEST.label,
                RefundState.PENDING.label,
                at.date(),
                serial,
                "复核通过后退费至登记的银行账户",
            )
            for at, serial in refunds
        ),
    ]


@service(Permission.SERVE)
def issue_progress_notice(session: Session, actor: Actor, *, person_id: int) -> ProgressNotice:
    """打印办理进度告知单: the open matters as they stand now, as an act with its serial."""
    person = load_person(session, person_id)
    matters = tuple(_open_matters(session, person_id, actor.today()))
    count = f"在办 {len(matters)} 项" if matters else "无在办事项"
    summary = f"办理进度告知 {person.name}：{count}"
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.PROGRESS_NOTICE,
        person_id=person.id,
        summary=summary,
        details={
            "name": person.name,
            "id_number": person.id_number,
            "matters": [m.as_details() for m in matters],
        },
    )
    return ProgressNotice(transaction_info(txn), person.name, person.id_number, matters)


def progress_notice(session: Session, txn: TransactionRef) -> ProgressNotice:
    """办理进度告知单 from the store, for a reprint: the person and the matters as they were
    when it was printed (a later correction of the name does not change the paper)."""
    details = transaction_details(session, txn)
    matters = tuple(Matter.from_details(m) for m in details.get("matters", []))
    return ProgressNotice(
        transaction_info(txn), str(details["name"]), str(details["id_number"]), matters
    )
