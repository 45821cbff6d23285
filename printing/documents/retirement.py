"""职工医保在职转退休审核回执: the 缴费年限清算 (累计, 本地实际, 转入, 视同 against the thresholds),
the outcome, the benefit start or, short of the years, the option chosen with its months and
amount (a 趸缴 is a payment notice; a 延迟退休登记 the yearly payment). The identity number is
masked: the receipt goes home with the citizen."""

from __future__ import annotations

from medins_desk.domain.identity import mask_identity_number
from medins_desk.domain.retirement import ACTUAL_FROM, RetirementOutcome
from medins_desk.services.retirement import RetirementReceipt
from medins_desk.services.vouchers import DocumentKind
from printing.documents import fields
from printing.documents.frame import Frame, Letterhead, a4_document
from printing.documents.registry import document
from printing.sheet import Block, Heading, Paragraph, Signatures, Spacer, Table, fields_table

TITLE = "职工医保在职转退休审核回执"


@document(RetirementReceipt, DocumentKind.RETIREMENT_RECEIPT)
def retirement_receipt(receipt: RetirementReceipt, letterhead: Letterhead) -> bytes:
    txn = receipt.transaction
    person = [
        ("姓名", receipt.person_name),
        ("性别", receipt.sex_label),
        ("社会保障号码", mask_identity_number(receipt.id_number)),
        ("出生日期", fields.day(receipt.birth_date)),
        ("参保地行政区划", receipt.region_code),
        ("退休日期", fields.day(receipt.retirement_date)),
    ]
    deemed = (
        f"{receipt.deemed_from} 至 {receipt.deemed_to}"
        if receipt.deemed_from and receipt.deemed_to
        else "无"
    )
    counts = Table(
        rows=[
            ["累计缴费年限", fields.months(receipt.total), fields.months(receipt.required_total),
             _met(receipt.total, receipt.required_total)],
            [f"其中本地实际缴费（{ACTUAL_FROM} 起）", fields.months(receipt.local),
             fields.months(receipt.required_local), _met(receipt.local, receipt.required_local)],
            ["其中转入（计入累计）", fields.months(receipt.transferred), "—", "—"],
            ["其中视同缴费", fields.months(receipt.deemed), "—", "—"],
            ["其中其他缴费", fields.months(receipt.other), "—", "—"],
        ],
        widths=[0.3, 0.28, 0.28, 0.14],
        header=["项目", "已有年限", "应达年限", "是否达到"],
    )  # fmt: skip
    outcome = [("办理结果", receipt.outcome_label)]
    if receipt.outcome.retires:
        outcome += [
            (
                "退休时参保状态",
                "处于享受职工医保待遇状态" if receipt.covered else "未处于享受待遇状态",
            ),
            ("待遇享受规则", receipt.benefit_rule_label or "—"),
            ("退休待遇起始日期", fields.day(receipt.benefit_start)),
        ]
    if receipt.payment is not None:
        outcome.append(("缴费年限差额", fields.months(receipt.shortfall)))
    blocks: list[Block] = [
        Heading("参保人信息"),
        fields_table(person),
        Heading("缴费年限清算"),
        counts,
        Paragraph(f"本次确认的视同缴费期间（退休审批表）：{deemed}"),
        Heading("办理结果"),
        fields_table(outcome),
    ]
    if receipt.payment is not None:
        blocks += _payment(receipt)
    blocks += [
        Paragraph(_notice(receipt), boxed=True),
        Heading("经办信息"),
        fields_table(fields.transaction(txn)),
        Spacer(10),
        Signatures(["参保人（代办人）签字", "经办人签字"]),
    ]
    return a4_document(Frame(TITLE, txn, letterhead), blocks)


def _met(have: int, need: int) -> str:
    return "达到" if have >= need else f"差 {need - have} 个月"


def _payment(receipt: RetirementReceipt) -> list[Block]:
    payment = receipt.payment
    assert payment is not None
    if receipt.outcome is RetirementOutcome.LUMP_SUM:
        rows = [
            ("趸缴月数", fields.months(payment.months)),
            ("月缴费额", fields.yuan(payment.monthly_fen)),
            ("趸缴金额合计", fields.payment(payment.total_fen)),
        ]
        return [Heading("一次性趸缴缴费通知"), fields_table(rows)]
    rows = [
        ("尚需缴费月数", fields.months(payment.months)),
        ("逐年缴纳年数", f"{payment.years} 年"),
        ("每年缴费额", fields.yuan(payment.yearly_fen)),
        ("月缴费额", fields.yuan(payment.monthly_fen)),
        ("缴费合计", fields.payment(payment.total_fen)),
    ]
    return [Heading("延迟退休登记（逐年缴纳）"), fields_table(rows)]


def _notice(receipt: RetirementReceipt) -> str:
    if receipt.outcome is RetirementOutcome.DEFERRED:
        return (
            "您的职工医保缴费年限尚未达到规定年限，已办理延迟退休登记。请按上列金额逐年缴纳，"
            "缴满后持本回执到参保地医保窗口再次办理在职转退休；缴满前不享受退休人员职工医保待遇。"
        )
    start = fields.day(receipt.benefit_start)
    if receipt.outcome is RetirementOutcome.LUMP_SUM:
        return (
            f"请按一次性趸缴缴费通知足额缴纳后妥善保存缴费凭据。自 {start} 起享受退休人员"
            "职工医保待遇，退休后不再缴纳基本医疗保险费。"
        )
    return (
        f"您已办理职工医保在职转退休，自 {start} 起享受退休人员职工医保待遇，"
        "不再缴纳基本医疗保险费。"
    )
