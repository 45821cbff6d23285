"""凭证存档与补打: the archive of printed vouchers, and what a voucher is drawn from.

``printing`` renders the PDF (the core never imports it) and hands the bytes to
:func:`archive_voucher`, which stores them with their SHA-256 beside the transaction. The archived
bytes are the document: a reprint is those bytes stamped "补打" (see ``printing``), so it cannot
drift from what the citizen was first given. :func:`voucher_source` rebuilds a transaction's
service result from the store, for a voucher never printed before (demo data, a printer that
was down when the business was done).
"""

from __future__ import annotations

import dataclasses
import hashlib
import typing
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.roles import Permission
from medins_desk.domain.voucher import VoucherClaim, verify_voucher_payload
from medins_desk.errors import BusinessRuleError, NotFound
from medins_desk.services.audit import append_audit
from medins_desk.services.card_application import CardApplicationReceipt, card_application_receipt
from medins_desk.services.card_rewrite import CardRewriteReceipt, card_rewrite_receipt
from medins_desk.services.cards import CardHandoverReceipt, card_handover_receipt
from medins_desk.services.certificate import InsuranceCertificate, certificate_receipt
from medins_desk.services.context import Actor, service
from medins_desk.services.correction import CorrectionReceipt, correction_receipt
from medins_desk.services.enrollment import (
    EnrollmentChangeReceipt,
    EnrollmentReceipt,
    enrollment_change_receipt,
    enrollment_receipt,
)
from medins_desk.services.inheritance import (
    InheritanceDecision,
    InheritancePledge,
    inheritance_decision,
    inheritance_pledge,
)
from medins_desk.services.loss_report import (
    LossReceipt,
    loss_receipt,
)
from medins_desk.services.medical_filing import FilingReceipt, filing_receipt
from medins_desk.services.progress import ProgressNotice, progress_notice
from medins_desk.services.refund import RefundReceipt, refund_receipt
from medins_desk.services.retirement import RetirementReceipt, retirement_receipt
from medins_desk.services.transactions import (
    TransactionInfo,
    transaction_details,
    transaction_info,
)
from medins_desk.services.transfer.transfer_in import ContactLetter
from medins_desk.services.transfer.transfer_out import InfoForm, TransferCertificate
from medins_desk.store.models import (
    CorrectionRequest,
    Person,
    Transaction,
    TransferLetter,
    Voucher,
)

__all__ = [
    "ArchivedVoucher",
    "DocumentKind",
    "VoucherCheck",
    "VoucherSource",
    "archive_voucher",
    "archived_voucher",
    "check_voucher",
    "record_printed",
    "record_reprint",
    "voucher_source",
]

VoucherSource = (
    CardApplicationReceipt
    | CardHandoverReceipt
    | EnrollmentReceipt
    | EnrollmentChangeReceipt
    | RefundReceipt
    | InheritancePledge
    | InheritanceDecision
    | LossReceipt
    | CorrectionReceipt
    | TransferCertificate
    | ContactLetter
    | InfoForm
    | ProgressNotice
    | CardRewriteReceipt
    | FilingReceipt
    | InsuranceCertificate
    | RetirementReceipt
)


class DocumentKind(StrEnum):
    """The documents a transaction can have (``vouchers.document_kind``)."""

    CARD_RECEIPT = "card_receipt"
    CARD_RECEIPT_80MM = "card_receipt_80mm"
    CARD_HANDOVER = "card_handover"
    ENROLLMENT_RECEIPT = "enrollment_receipt"
    ENROLLMENT_CHANGE_RECEIPT = "enrollment_change_receipt"
    REFUND_RECEIPT = "refund_receipt"
    INHERITANCE_PLEDGE = "inheritance_pledge"
    INHERITANCE_DECISION = "inheritance_decision"
    LOSS_RECEIPT = "loss_receipt"
    CORRECTION_CONFIRMATION = "correction_confirmation"
    TRANSFER_CERTIFICATE = "transfer_certificate"
    CONTACT_LETTER = "contact_letter"
    INFO_FORM = "info_form"
    PROGRESS_NOTICE = "progress_notice"
    CARD_REWRITE_RECEIPT = "card_rewrite_receipt"
    MEDICAL_FILING_RECEIPT = "medical_filing_receipt"
    INSURANCE_CERTIFICATE = "insurance_certificate"
    RETIREMENT_RECEIPT = "retirement_receipt"

    @property
    def label(self) -> str:
        return _DOCUMENT_LABELS[self]


_DOCUMENT_LABELS = {
    DocumentKind.CARD_RECEIPT: "社会保障卡申领受理回执",
    DocumentKind.CARD_RECEIPT_80MM: "社会保障卡申领受理回执（小票）",
    DocumentKind.CARD_HANDOVER: "社会保障卡领取凭证",
    DocumentKind.ENROLLMENT_RECEIPT: "参保登记回执",
    DocumentKind.ENROLLMENT_CHANGE_RECEIPT: "参保状态变更回执",
    DocumentKind.REFUND_RECEIPT: "居民医保退费申请回执",
    DocumentKind.INHERITANCE_PLEDGE: "申领医保个人账户余额承诺书",
    DocumentKind.INHERITANCE_DECISION: "个人账户余额继承支付通知（复核结果）",
    DocumentKind.LOSS_RECEIPT: "挂失回执",
    DocumentKind.CORRECTION_CONFIRMATION: "参保信息变更确认单",
    DocumentKind.TRANSFER_CERTIFICATE: "基本医疗保险参保凭证",
    DocumentKind.CONTACT_LETTER: "基本医疗保险关系转移接续联系函",
    DocumentKind.INFO_FORM: "参保人员基本医疗保险类型变更信息表",
    DocumentKind.PROGRESS_NOTICE: "办理进度告知单",
    DocumentKind.CARD_REWRITE_RECEIPT: "社会保障卡信息改写回执",
    DocumentKind.MEDICAL_FILING_RECEIPT: "异地就医备案回执",
    DocumentKind.INSURANCE_CERTIFICATE: "参保（缴费）证明",
    DocumentKind.RETIREMENT_RECEIPT: "职工医保在职转退休审核回执",
}


@dataclass(frozen=True)
class ArchivedVoucher:
    """An archived voucher (已存档凭证)."""

    serial: str
    document_kind: DocumentKind
    pdf: bytes
    sha256: str
    created_at: datetime
    training: bool
    printed_at: datetime | None  # the original's first print; None: never printed
    reprinted_at: datetime | None = None  # set by record_reprint: the time printed as 补打

    @property
    def intact(self) -> bool:
        """The bytes still hash to the stored SHA-256 (a damaged archive is never reprinted)."""
        return hashlib.sha256(self.pdf).hexdigest() == self.sha256


def _transaction(session: Session, serial: str) -> Transaction:
    txn = session.scalar(select(Transaction).where(Transaction.serial == serial.strip()))
    if txn is None:
        raise NotFound(f"业务流水号 {serial} 不存在")
    return txn


def _archived(session: Session, txn: Transaction, kind: DocumentKind) -> Voucher | None:
    return session.scalar(
        select(Voucher)
        .where(Voucher.transaction_id == txn.id, Voucher.document_kind == kind.value)
        .order_by(Voucher.id)
    )


def _view(txn: Transaction, row: Voucher, reprinted_at: datetime | None = None) -> ArchivedVoucher:
    return ArchivedVoucher(
        serial=txn.serial,
        document_kind=DocumentKind(row.document_kind),
        pdf=row.pdf,
        sha256=row.sha256,
        created_at=row.created_at,
        training=txn.training,
        printed_at=row.printed_at,
        reprinted_at=reprinted_at,
    )


# Printing an existing transaction's voucher is not a new business act: whoever may look the
# transaction up may archive and reprint it (the console account included); both are audited.
@service(Permission.LOOK_UP)
def archive_voucher(
    session: Session, actor: Actor, *, serial: str, document_kind: DocumentKind, pdf: bytes
) -> ArchivedVoucher:
    """存档: keep the PDF as issued. A document is archived once; the same bytes again are a
    no-op, other bytes are refused (a changed voucher is a 补打 of the archived one)."""
    kind = DocumentKind(document_kind)
    if not pdf.startswith(b"%PDF-"):
        raise BusinessRuleError("凭证内容不是 PDF 文件，未存档")
    txn = _transaction(session, serial)
    digest = hashlib.sha256(pdf).hexdigest()
    existing = _archived(session, txn, kind)
    if existing is not None:
        if existing.sha256 == digest:
            return _view(txn, existing)
        raise BusinessRuleError(
            f"业务 {txn.serial} 的{kind.label}已于 {existing.created_at:%Y-%m-%d %H:%M} 存档，"
            "不能覆盖；如需再次打印请补打"
        )
    row = Voucher(
        transaction_id=txn.id,
        document_kind=kind.value,
        pdf=pdf,
        sha256=digest,
        created_at=actor.now(),
    )
    session.add(row)
    session.flush()
    _audit_voucher(session, actor, "voucher_archive", txn, row, bytes=len(pdf))
    return _view(txn, row)


def _audit_voucher(
    session: Session,
    actor: Actor,
    action: str,
    txn: Transaction,
    row: Voucher,
    *,
    at: datetime | None = None,
    **details: Any,
) -> None:
    append_audit(
        session,
        at=at or row.created_at,
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        entity="voucher",
        entity_id=txn.serial,
        details={"document_kind": row.document_kind, "sha256": row.sha256, **details},
    )


@service(Permission.LOOK_UP)
def archived_voucher(
    session: Session, actor: Actor, *, serial: str, document_kind: DocumentKind
) -> ArchivedVoucher | None:
    """The archived document of a transaction, or None when it was never archived."""
    txn = _transaction(session, serial)
    row = _archived(session, txn, DocumentKind(document_kind))
    return _view(txn, row) if row is not None else None


@service(Permission.LOOK_UP)
def record_printed(
    session: Session, actor: Actor, *, serial: str, document_kind: DocumentKind
) -> ArchivedVoucher:
    """The original came out of the printer: from now on every paper of it is a 补打."""
    kind = DocumentKind(document_kind)
    txn = _transaction(session, serial)
    row = _archived(session, txn, kind)
    if row is None:
        raise NotFound(f"业务 {txn.serial} 没有已存档的{kind.label}")
    if row.printed_at is None:
        row.printed_at = actor.now()
        _audit_voucher(session, actor, "voucher_print", txn, row, at=row.printed_at)
    return _view(txn, row)


@service(Permission.LOOK_UP)
def record_reprint(
    session: Session, actor: Actor, *, serial: str, document_kind: DocumentKind
) -> ArchivedVoucher:
    """补打: the archived voucher with the reprint time, audited; refused when the archive no
    longer matches its SHA-256."""
    kind = DocumentKind(document_kind)
    txn = _transaction(session, serial)
    row = _archived(session, txn, kind)
    if row is None:
        raise NotFound(f"业务 {txn.serial} 没有已存档的{kind.label}，不能补打")
    now = actor.now()
    voucher = _view(txn, row, reprinted_at=now)
    if not voucher.intact:
        raise BusinessRuleError(
            f"业务 {txn.serial} 的存档凭证与存档时的 SHA-256 不符（存档可能被改动），不能补打；"
            "请联系管理员"
        )
    _audit_voucher(session, actor, "voucher_reprint", txn, row, at=now)
    return voucher


# ---------------------------------------------------------------------------------------------
# What a voucher is drawn from


_FILING_KINDS = frozenset(
    {
        BusinessKind.MEDICAL_FILING,
        BusinessKind.MEDICAL_FILING_CHANGE,
        BusinessKind.MEDICAL_FILING_CANCEL,
    }
)


@service(Permission.LOOK_UP)
def voucher_source(session: Session, actor: Actor, *, serial: str) -> VoucherSource:
    """The service result a transaction's voucher is drawn from, rebuilt from the store."""
    txn = _transaction(session, serial)
    kind = BusinessKind(txn.kind)
    if kind is BusinessKind.CARD_APPLICATION:
        return card_application_receipt(session, txn)
    if kind is BusinessKind.CARD_HANDOVER:
        return card_handover_receipt(session, txn)
    if kind in (BusinessKind.PERSON_REGISTRATION, BusinessKind.ENROLLMENT):
        return enrollment_receipt(session, txn)
    if kind is BusinessKind.ENROLLMENT_CHANGE:
        return enrollment_change_receipt(session, txn)
    if kind in (BusinessKind.REFUND_REQUEST, BusinessKind.REFUND_REVIEW):
        return refund_receipt(session, txn)
    if kind is BusinessKind.INHERITANCE_REQUEST:
        return inheritance_pledge(session, txn)
    if kind is BusinessKind.INHERITANCE_REVIEW:
        return inheritance_decision(session, txn)
    if kind in (BusinessKind.LOSS_TEMPORARY, BusinessKind.LOSS_FORMAL, BusinessKind.LOSS_UNFREEZE):
        return loss_receipt(session, txn)
    if kind in _FILING_KINDS:
        return filing_receipt(session, txn)
    if kind in (BusinessKind.CORRECTION, BusinessKind.CORRECTION_REVIEW):
        return _correction_receipt(session, txn)
    if kind is BusinessKind.PROGRESS_NOTICE:
        return progress_notice(session, txn)
    if kind is BusinessKind.CARD_REWRITE:
        return card_rewrite_receipt(session, txn)
    if kind is BusinessKind.CERTIFICATE:
        return certificate_receipt(session, txn)
    if kind is BusinessKind.RETIREMENT:
        return retirement_receipt(session, txn)
    if kind in (BusinessKind.TRANSFER_OUT, BusinessKind.TRANSFER_IN):
        letter = session.scalar(
            select(TransferLetter).where(
                TransferLetter.transaction_id == txn.id, TransferLetter.issued_here.is_(True)
            )
        )
        if letter is not None:
            return _letter(txn, letter)
    raise NotFound(f"业务 {txn.serial}（{kind.label}）没有需要打印的凭证")


def _correction_receipt(session: Session, txn: Transaction) -> CorrectionReceipt:
    requests = list(
        session.scalars(
            select(CorrectionRequest)
            .where(CorrectionRequest.transaction_id == txn.id)
            .order_by(CorrectionRequest.id)
        )
    )
    if not requests:  # a review: its request was submitted under another transaction
        request_id = transaction_details(session, txn).get("request_id")
        request = session.get(CorrectionRequest, request_id) if request_id else None
        if request is None:
            raise NotFound(f"业务 {txn.serial} 的变更申请不存在")
        requests = [request]
    person = session.get_one(Person, requests[0].person_id)
    return correction_receipt(txn, person, requests, session)


_LETTER_TYPES: dict[str, type[TransferCertificate | ContactLetter | InfoForm]] = {
    "certificate": TransferCertificate,
    "contact_letter": ContactLetter,
    "info_form": InfoForm,
}


def _letter(
    txn: Transaction, letter: TransferLetter
) -> TransferCertificate | ContactLetter | InfoForm:
    """A letter issued here: its content holds every printed field (transfer._add_letter)."""
    cls = _LETTER_TYPES[letter.kind.value]
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {"transaction": transaction_info(txn)}
    for f in dataclasses.fields(cls):
        if f.name != "transaction":
            values[f.name] = _revive(hints[f.name], letter.content.get(f.name))
    return cls(**values)


def _revive(hint: Any, value: Any) -> Any:
    """A JSON value back to the type the dataclass field declares."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_revive(args[0], item) for item in value)
        return tuple(_revive(a, item) for a, item in zip(args, value, strict=True))
    if origin is not None and args:  # X | None
        return _revive(args[0], value)
    if hint is date:
        return date.fromisoformat(value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    return value


# ---------------------------------------------------------------------------------------------
# Checking a voucher brought to the counter


@dataclass(frozen=True)
class VoucherCheck:
    """The verdict on a scanned QR payload (凭证核验)."""

    claim: VoucherClaim
    transaction: TransactionInfo | None  # None: genuine, but not in this store

    def describe(self) -> str:
        claim = self.claim
        head = f"凭证真实：业务流水号 {claim.serial}，{claim.kind.label}"
        txn = self.transaction
        if txn is None:
            return f"{head}；本库中没有该业务（可能在其他大厅的数据库）"
        return (
            f"{head}，{txn.created_at:%Y-%m-%d %H:%M}，{txn.counter_no} 号窗口 {txn.clerk_name}，"
            f"状态：{txn.status.label}"
        )


@service(Permission.LOOK_UP)
def check_voucher(session: Session, actor: Actor, *, payload: str, secret: str) -> VoucherCheck:
    """核验凭证: the payload's HMAC with the hall's secret, then the transaction it names."""
    claim = verify_voucher_payload(secret, payload)
    txn = session.scalar(select(Transaction).where(Transaction.serial == claim.serial))
    if txn is None:
        return VoucherCheck(claim, None)
    if BusinessKind(txn.kind) is not claim.kind:
        raise BusinessRuleError(
            f"凭证 {claim.serial} 的业务类型为「{claim.kind.label}」，"
            f"但该流水号登记的是「{txn.kind.label}」：凭证与业务不符"
        )
    return VoucherCheck(claim, transaction_info(txn))
