"""挂失回执: 临时挂失, 正式挂失 and 解挂, with the reminder about the card's bank account."""

from __future__ import annotations

from medins_desk.domain.identity import mask_identity_number
from medins_desk.services.loss_report import LossAct, LossReceipt
from medins_desk.services.vouchers import DocumentKind
from printing.documents import fields
from printing.documents.frame import Frame, Letterhead, a4_document
from printing.documents.registry import document
from printing.sheet import Block, Heading, Paragraph, Signatures, Spacer, fields_table


@document(LossReceipt, DocumentKind.LOSS_RECEIPT)
def loss_receipt(receipt: LossReceipt, letterhead: Letterhead) -> bytes:
    """挂失回执 (临时挂失/正式挂失/解挂), with the bank reminder."""
    txn = receipt.transaction
    pairs = [
        ("业务类型", receipt.kind_label),
        ("社会保障卡号", receipt.card_number or "—"),
        ("姓名", receipt.person_name),
        ("社会保障号码", mask_identity_number(receipt.id_number)),
        ("卡状态", f"{receipt.state_before_label} → {receipt.state_after_label}"),
    ]
    if receipt.act is LossAct.TEMPORARY and receipt.expires_at is not None:
        pairs.append(("临时挂失有效期至", fields.timestamp(receipt.expires_at)))
    pairs += fields.representative(receipt.representative)
    pairs += fields.transaction(txn)
    blocks: list[Block] = [Heading("挂失信息"), fields_table(pairs)]
    if receipt.act is LossAct.TEMPORARY:
        blocks.append(
            Paragraph(
                "临时挂失到期未办理正式挂失的，卡片自动恢复正常状态；"
                "如卡片确已遗失，请在有效期内办理正式挂失并申请补领。",
                boxed=False,
            )
        )
    blocks += [Heading("重要提示：银行金融功能"), Paragraph(receipt.bank_notice, boxed=True)]
    blocks += [Spacer(10), Signatures(["持卡人（代办人）签字", "经办人签字"])]
    title = f"社会保障卡{receipt.kind_label}回执"
    return a4_document(Frame(title, txn, letterhead), blocks)
