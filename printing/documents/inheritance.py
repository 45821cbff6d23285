"""个人账户余额继承: the 《申领医保个人账户余额承诺书》 the heir signs when asking, and the
个人账户余额继承支付通知 (or the 复核结果 of a rejection) after the second person's review.

Both are signed forms the agency keeps and pays from: identity numbers and the bank account are
printed in full, as the payment needs them.
"""

from __future__ import annotations

from medins_desk.domain.inheritance import InheritanceState
from medins_desk.services.inheritance import InheritanceDecision, InheritancePledge
from medins_desk.services.vouchers import DocumentKind
from printing.documents import fields
from printing.documents.frame import Frame, Letterhead, a4_document
from printing.documents.registry import document
from printing.sheet import Block, Heading, Paragraph, Signatures, Spacer, fields_table


def _deceased(pledge: InheritancePledge) -> list[tuple[str, str]]:
    pairs = [
        ("死亡参保人", pledge.person_name),
        ("社会保障号码", pledge.id_number),
        ("死亡日期", fields.day(pledge.death_date)),
        ("死亡证明材料", pledge.death_proof_label),
    ]
    if pledge.enrollment_label:
        pairs.append(("参保状态", pledge.enrollment_label))
    if pledge.card_number:
        pairs.append(("社会保障卡", f"{pledge.card_number}（已注销）"))
    return pairs


def _heir(pledge: InheritancePledge) -> list[tuple[str, str]]:
    return [
        ("收款继承人", pledge.heir_name),
        ("继承人证件号", pledge.heir_id_number),
        ("亲属关系", pledge.heir_relation_label),
        ("联系电话", pledge.heir_phone),
        ("开户银行", pledge.bank_name),
        ("银行账号", pledge.bank_account),
        *fields.representative(pledge.guardian),
    ]


def _undertaking(pledge: InheritancePledge) -> str:
    return (
        f"本人 {pledge.heir_name} 系死亡参保人 {pledge.person_name} 的"
        f"{pledge.heir_relation_label}，现申领其医保个人账户余额"
        f" {fields.payment(pledge.balance_fen)}，以结算系统核定数为准，划入上列本人银行账户。"
        "本人承诺：所提供的死亡证明、身份证明、"
        "亲属关系证明等材料真实有效；其他法定继承人已知悉并同意由本人一并领取，"
        "如有其他继承人提出异议或产生纠纷，由本人负责协商解决并承担相应法律责任；"
        "如有虚假，愿退回已领取的全部款项并承担法律责任。"
    )


@document(InheritancePledge, DocumentKind.INHERITANCE_PLEDGE)
def inheritance_pledge(pledge: InheritancePledge, letterhead: Letterhead) -> bytes:
    """《申领医保个人账户余额承诺书》, signed by the heir (and the guardian) at the counter."""
    txn = pledge.transaction
    request = [
        ("申请编号", str(pledge.request_id)),
        ("个人账户余额", fields.yuan(pledge.balance_fen)),
        ("申请时间", fields.timestamp(pledge.submitted_at)),
        ("办理状态", "待复核"),
        ("已收材料", "、".join(pledge.materials) or "无"),
    ]
    blocks: list[Block] = [
        Heading("死亡参保人"),
        fields_table(_deceased(pledge)),
        Heading("继承人及收款账户"),
        fields_table(_heir(pledge)),
        Heading("申请信息"),
        fields_table(request),
        Heading("承诺"),
        Paragraph(_undertaking(pledge), boxed=True),
    ]
    if pledge.missing_materials:
        lines = ["尚缺下列材料，补齐后方可复核支付："]
        lines += [f"{n}. {m}" for n, m in enumerate(pledge.missing_materials, start=1)]
        blocks += [Heading("一次性告知"), Paragraph("\n".join(lines), boxed=True)]
    blocks += [
        Paragraph("本申请须经复核人员复核后方可支付；复核结果可凭业务流水号到窗口查询。"),
        Heading("经办信息"),
        fields_table(fields.transaction(txn)),
        Spacer(10),
    ]
    signers = ["承诺人（继承人）签字并按指印"]
    if pledge.guardian is not None:
        signers.append("监护人签字")
    signers += ["其他继承人签字", "经办人签字"]
    blocks.append(Signatures(signers))
    return a4_document(Frame("申领医保个人账户余额承诺书", txn, letterhead), blocks)


@document(InheritanceDecision, DocumentKind.INHERITANCE_DECISION)
def inheritance_decision(decision: InheritanceDecision, letterhead: Letterhead) -> bytes:
    """个人账户余额继承支付通知 (approved: the payment instruction) or the 个人账户继承复核结果通知
    (rejected)."""
    txn = decision.transaction
    pledge = decision.pledge
    approved = decision.state is InheritanceState.APPROVED
    review = [
        ("申请编号", str(pledge.request_id)),
        ("申请业务流水号", pledge.transaction.serial),
        ("受理人", decision.submitted_by_name),
        ("复核人", decision.reviewer_name),
        ("复核时间", fields.timestamp(decision.reviewed_at)),
        ("复核结果", decision.state_label),
        ("复核意见", decision.review_comment or "—"),
    ]
    blocks: list[Block] = [Heading("死亡参保人"), fields_table(_deceased(pledge))]
    if approved:
        payment = [("支付金额", fields.payment(pledge.balance_fen)), *_heir(pledge)]
        blocks += [Heading("支付信息"), fields_table(payment)]
    blocks += [Heading("复核"), fields_table(review)]
    if approved:
        text = (
            f"经复核，准予将死亡参保人 {pledge.person_name} 的医保个人账户余额 "
            f"{fields.payment(pledge.balance_fen)} 划入继承人 {pledge.heir_name} 的上列银行账户。"
            "本通知为最终支付指令，凭此办理支付；支付后该个人账户清零。"
        )
    else:
        text = "经复核，不予支付，原因见复核意见。死亡登记不变；继承人补齐材料后可重新申请。"
    blocks += [
        Paragraph(text, boxed=True),
        Heading("经办信息"),
        fields_table(fields.transaction(txn)),
    ]
    signers = ["复核人签字", "财务支付经办人签字"] if approved else ["复核人签字", "继承人签收"]
    blocks += [Spacer(10), Signatures(signers)]
    title = "个人账户余额继承支付通知" if approved else "个人账户继承复核结果通知"
    return a4_document(Frame(title, txn, letterhead), blocks)
