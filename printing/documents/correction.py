"""参保信息变更确认单: each field before and after, the documents seen, who approved it."""

from __future__ import annotations

from datetime import datetime

from medins_desk.services.correction import CorrectionReceipt
from medins_desk.services.vouchers import DocumentKind
from printing.documents import fields
from printing.documents.frame import Frame, Letterhead, a4_document
from printing.documents.registry import document
from printing.sheet import (
    BODY_SIZE,
    Block,
    Heading,
    Paragraph,
    Signatures,
    Spacer,
    Table,
    fields_table,
)


@document(CorrectionReceipt, DocumentKind.CORRECTION_CONFIRMATION)
def correction_confirmation(receipt: CorrectionReceipt, letterhead: Letterhead) -> bytes:
    """参保信息变更确认单: before/after per field, documents seen, the approving supervisor."""
    txn = receipt.transaction
    pairs = [
        ("姓名", receipt.person_name),
        ("社会保障号码", receipt.id_number),
        *fields.transaction(txn),
    ]
    blocks: list[Block] = [Heading("参保人信息"), fields_table(pairs)]
    reviewers: list[str] = []
    for request in receipt.requests:
        blocks.append(Heading(f"{request.class_label}（{request.state_label}）"))
        rows = [[row.label, row.before or "（空）", row.after or "（空）"] for row in request.rows]
        blocks.append(
            Table(
                rows,
                [0.2, 0.4, 0.4],
                header=["变更项目", "变更前", "变更后"],
                shaded=frozenset({0}),
            )
        )
        review = _review_text(request.reviewed_by_name, request.reviewed_at, request.notice)
        details = [
            ("变更原因", request.reason),
            ("提交材料", "、".join(request.documents) or "无"),
            ("复核", review),
        ]
        if request.review_comment:
            details.append(("复核意见", request.review_comment))
        blocks.append(fields_table(details, columns=1))
        if request.reviewed_by_name:
            reviewers.append(request.reviewed_by_name)
    blocks.append(
        Paragraph("本人确认以上变更内容真实、准确，所提交材料与原件一致。", size=BODY_SIZE)
    )
    labels = ["参保人签字", "经办人签字"]
    if any(r.correction_class.value == "identity" for r in receipt.requests):
        labels.append("复核人签字")
    blocks += [Spacer(6), Signatures(labels)]
    return a4_document(Frame("参保信息变更确认单", txn, letterhead), blocks)


def _review_text(name: str | None, at: datetime | None, notice: str) -> str:
    if name and at:
        return f"复核人 {name}，{fields.timestamp(at)}"
    return notice or "无需复核（即时生效）"
