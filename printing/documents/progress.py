"""办理进度告知单: the citizen's open matters and what comes next, as the counter read them."""

from __future__ import annotations

from medins_desk.domain.identity import mask_identity_number
from medins_desk.services.progress import ProgressNotice
from medins_desk.services.vouchers import DocumentKind
from printing.documents import fields
from printing.documents.frame import Frame, Letterhead, a4_document
from printing.documents.registry import document
from printing.sheet import Block, Heading, Paragraph, Signatures, Spacer, Table, fields_table


@document(ProgressNotice, DocumentKind.PROGRESS_NOTICE)
def progress_notice(notice: ProgressNotice, letterhead: Letterhead) -> bytes:
    """办理进度告知单: each open matter with its stage, since when, and the next step."""
    txn = notice.transaction
    pairs = [
        ("姓名", notice.person_name),
        ("社会保障号码", mask_identity_number(notice.id_number)),
        ("在办事项", f"{len(notice.matters)} 项"),
        *fields.transaction(txn),
    ]
    blocks: list[Block] = [fields_table(pairs), Heading("办理进度")]
    if notice.matters:
        blocks.append(
            Table(
                rows=[
                    (m.business, m.stage, m.since.isoformat(), m.next_step, m.serial)
                    for m in notice.matters
                ],
                widths=(0.19, 0.14, 0.14, 0.29, 0.24),
                header=("业务", "当前环节", "起始日期", "下一步", "受理流水号"),
            )
        )
    else:
        blocks.append(Paragraph("截至查询时间，本人在本经办机构没有正在办理的事项。", boxed=True))
    blocks += [
        Paragraph(
            "本告知单所列为查询时的办理进度，仅供参考；各事项办结后以相应凭证为准。"
            "如有疑问，请持本告知单到经办窗口咨询。",
            boxed=False,
        ),
        Spacer(10),
        Signatures(["经办人签字"]),
    ]
    return a4_document(Frame("办理进度告知单", txn, letterhead), blocks)
