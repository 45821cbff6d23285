"""异地就医备案回执 (of a filing, a change or a cancel): where (province and city, names and
codes) and from when, until when, the card settles directly; the kind and the materials
received. The identity number is masked."""

from __future__ import annotations

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.identity import mask_identity_number
from medins_desk.services.medical_filing import FilingReceipt
from medins_desk.services.vouchers import DocumentKind
from printing.documents import fields
from printing.documents.frame import Frame, Letterhead, a4_document
from printing.documents.registry import document
from printing.sheet import Block, Heading, Paragraph, Signatures, Spacer, fields_table

_TITLES = {
    BusinessKind.MEDICAL_FILING: "异地就医备案回执",
    BusinessKind.MEDICAL_FILING_CHANGE: "异地就医备案变更回执",
    BusinessKind.MEDICAL_FILING_CANCEL: "取消异地就医备案回执",
}


@document(FilingReceipt, DocumentKind.MEDICAL_FILING_RECEIPT)
def medical_filing_receipt(receipt: FilingReceipt, letterhead: Letterhead) -> bytes:
    """备案回执: the filing as the act left it, and what the citizen does with it."""
    txn = receipt.transaction
    person = [
        ("姓名", receipt.person_name),
        ("社会保障号码", mask_identity_number(receipt.id_number)),
        ("险种", receipt.insurance_type_label),
        ("参保地行政区划", receipt.insured_region_code),
    ]
    filing = [
        ("备案类型", receipt.kind_label),
        ("就医地（省）", f"{receipt.province_name}（{receipt.province_code}）"),
        ("就医地（市）", f"{receipt.city_name}（{receipt.city_code}）"),
        ("备案开始日期", fields.day(receipt.starts_on)),
        ("有效期至", fields.day(receipt.valid_until) if receipt.valid_until else "长期有效"),
        ("已收材料", "、".join(receipt.materials) or "无"),
    ]
    if receipt.replaced is not None:
        old = receipt.replaced
        ended = f"{fields.day(old.starts_on)} 起至 {fields.day(old.last_day)} 止"
        filing.append(("原备案", f"{old.destination}，{ended}（{old.serial}）"))
    if receipt.ends_from is not None:
        filing.append(("取消生效日期", fields.day(receipt.ends_from)))
        filing.append(("取消原因", receipt.reason or "—"))
    blocks: list[Block] = [
        Heading("参保人信息"),
        fields_table(person),
        Heading("备案信息"),
        fields_table(filing),
        Paragraph(_notice(receipt), boxed=True),
    ]
    if receipt.missing_materials and receipt.ends_from is None:
        lines = ["一次性告知：您本次备案尚缺下列材料，请尽快补交到本大厅任一窗口："]
        lines += [f"{n}. {m}" for n, m in enumerate(receipt.missing_materials, start=1)]
        blocks.append(Paragraph("\n".join(lines), boxed=True))
    blocks += [
        Heading("经办信息"),
        fields_table(fields.transaction(txn)),
        Spacer(10),
        Signatures(["参保人（代办人）签字", "经办人签字"]),
    ]
    return a4_document(Frame(_TITLES[receipt.act], txn, letterhead), blocks)


def _notice(receipt: FilingReceipt) -> str:
    where = receipt.destination
    if receipt.ends_from is not None:
        return (
            f"自 {fields.day(receipt.ends_from)} 起，您在{where}就医不再直接结算；"
            "此前已发生的就医费用按原备案结算。"
        )
    until = (
        f"至 {fields.day(receipt.valid_until)} 止"
        if receipt.valid_until
        else "长期有效，至变更或取消备案时止"
    )
    return (
        f"自 {fields.day(receipt.starts_on)} 起（{until}），您可在{where}的跨省（省内）异地就医"
        "联网结算定点医药机构持社会保障卡直接结算。就医时请选择联网定点医药机构，"
        "入院登记与出院结算时出示社会保障卡（先备案、选定点、持卡就医）。"
    )
