"""参保登记回执, 参保状态变更回执 (暂停/恢复参保) and the 城乡居民医保退费 receipts: the
category and the benefit start with the rule that set it, the materials taken in, and the
一次性告知 of the ones still to bring. Identity numbers are masked, a 出生医学证明 number too."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from medins_desk.domain.benefits import RefundState
from medins_desk.domain.enrollment import EnrollmentStatus
from medins_desk.domain.identity import IdentityKind, mask_identity_number
from medins_desk.services.enrollment import (
    EnrolledFacts,
    EnrollmentChangeReceipt,
    EnrollmentReceipt,
)
from medins_desk.services.refund import RefundReceipt
from medins_desk.services.vouchers import DocumentKind
from printing.documents import fields
from printing.documents.frame import Frame, Letterhead, a4_document
from printing.documents.registry import document
from printing.sheet import Block, Heading, Paragraph, Signatures, Spacer, fields_table


@document(EnrollmentReceipt, DocumentKind.ENROLLMENT_RECEIPT)
def enrollment_receipt(receipt: EnrollmentReceipt, letterhead: Letterhead) -> bytes:
    """参保登记回执: the person, and the enrollment with its benefit start when there is one."""
    txn = receipt.transaction
    on_birth_certificate = receipt.id_kind_label == IdentityKind.BIRTH_CERTIFICATE.label
    pairs = [
        ("姓名", receipt.person_name),
        ("性别", receipt.sex_label),
        ("出生日期", fields.day(receipt.birth_date)),
        ("证件类型", receipt.id_kind_label),
        (
            "出生医学证明编号" if on_birth_certificate else "社会保障号码",
            mask_identity_number(receipt.id_number),
        ),
    ]
    if receipt.household_label:
        pairs.append(("户籍类别", receipt.household_label))
    if receipt.guardian_name:
        pairs.append(("监护人", receipt.guardian_name))
        if receipt.guardian_id_number:
            pairs.append(("监护人证件号", mask_identity_number(receipt.guardian_id_number)))
    blocks: list[Block] = [Heading("参保人信息"), fields_table(pairs)]
    facts = receipt.enrollment
    title = "参保登记回执"
    if facts is not None:
        title = f"{facts.insurance_type_label}参保登记回执"
        shown = receipt.id_number if on_birth_certificate else None
        blocks += [Heading("参保信息"), fields_table(_enrolled(facts, shown))]
        if facts.missing_materials:
            deadline = _before(facts.benefit_start, txn.created_at.date())
            blocks += [Heading("一次性告知"), _missing(facts.missing_materials, deadline)]
        waiting = (
            ""
            if facts.continuous
            else f"待遇享受起始日为 {fields.day(facts.benefit_start)}，"
            "此前发生的医疗费用，基本医疗保险基金不予支付。"
        )
        blocks.append(Paragraph(f"{waiting}请核对以上信息，如有不符请当场提出。"))
    blocks += [Heading("经办信息"), fields_table(fields.transaction(txn))]
    signer = "监护人签字" if receipt.guardian_name else "参保人（代办人）签字"
    blocks += [Spacer(10), Signatures([signer, "经办人签字"])]
    return a4_document(Frame(title, txn, letterhead), blocks)


def _enrolled(facts: EnrolledFacts, shown_number: str | None) -> list[tuple[str, str]]:
    """The enrollment's fields; ``shown_number`` is the number already printed as the person's."""
    pairs = [
        ("参保类别", facts.category_label),
        ("险种", facts.insurance_type_label),
        ("参保地行政区划", facts.region_code),
        ("缴费日期", fields.day(facts.paid_on)),
    ]
    if facts.birth_certificate_number and facts.birth_certificate_number != shown_number:
        pairs.append(("出生医学证明编号", mask_identity_number(facts.birth_certificate_number)))
    if facts.last_covered:
        pairs.append(("原参保截止日期", fields.day(facts.last_covered)))
    pairs += [
        ("待遇享受起始日", fields.day(facts.benefit_start)),
        ("待遇衔接", "连续享受" if facts.continuous else "按起始日享受"),
        ("核定依据", facts.benefit_rule),
        ("已收材料", _listed(facts.materials)),
    ]
    return pairs


def _listed(materials: Sequence[str]) -> str:
    return "、".join(materials) or "无"


def _before(deadline: date, today: date) -> date | None:
    """The day the missing materials are asked for by: ``deadline`` while it is still ahead."""
    return deadline if deadline > today else None


def _missing(materials: Sequence[str], deadline: date | None, consequence: str = "") -> Paragraph:
    """一次性告知, boxed: everything still to bring, told once and all at once."""
    when = f"请于 {fields.day(deadline)} 前" if deadline else "请尽快"
    lines = [f"您办理本业务尚缺下列材料，{when}携带到本大厅任一窗口补齐{consequence}："]
    lines += [f"{number}. {material}" for number, material in enumerate(materials, start=1)]
    return Paragraph("\n".join(lines), boxed=True)


@document(EnrollmentChangeReceipt, DocumentKind.ENROLLMENT_CHANGE_RECEIPT)
def enrollment_change_receipt(receipt: EnrollmentChangeReceipt, letterhead: Letterhead) -> bytes:
    """参保状态变更回执: 暂停参保 or 恢复参保, the day it takes effect and the last covered day."""
    txn = receipt.transaction
    act = _change_act(receipt)
    pairs = [
        ("姓名", receipt.person_name),
        ("社会保障号码", mask_identity_number(receipt.id_number)),
        ("险种", receipt.insurance_type_label),
        ("变更类型", act),
        ("参保状态", f"{receipt.status_before_label} → {receipt.status_after_label}"),
        ("生效日期", fields.day(receipt.effective)),
    ]
    if receipt.last_covered_day:
        pairs.append(("最后参保日", fields.day(receipt.last_covered_day)))
    pairs += [("变更原因", receipt.reason), *fields.transaction(txn)]
    blocks: list[Block] = [
        Heading("变更信息"),
        fields_table(pairs),
        Paragraph(_change_notice(receipt), boxed=True),
        Spacer(10),
        Signatures(["参保人（代办人）签字", "经办人签字"]),
    ]
    return a4_document(Frame(f"参保状态变更回执（{act}）", txn, letterhead), blocks)


def _change_act(receipt: EnrollmentChangeReceipt) -> str:
    if receipt.status_after is EnrollmentStatus.SUSPENDED:
        return "暂停参保"
    if receipt.status_before is EnrollmentStatus.SUSPENDED:
        return "恢复参保"
    return "参保状态变更"


def _change_notice(receipt: EnrollmentChangeReceipt) -> str:
    effective = fields.day(receipt.effective)
    if receipt.status_after is EnrollmentStatus.SUSPENDED:
        last = (
            f"，{fields.day(receipt.last_covered_day)} 为最后参保日"
            if receipt.last_covered_day
            else ""
        )
        return (
            f"自 {effective} 起暂停参保{last}；暂停期间发生的医疗费用，基本医疗保险基金不予支付。"
            "需转移医保关系的，请凭本回执办理转出；恢复参保请携带有效身份证件到窗口办理。"
        )
    return f"自 {effective} 起恢复参保缴费（{receipt.insurance_type_label}），请按时足额缴费。"


@document(RefundReceipt, DocumentKind.REFUND_RECEIPT)
def refund_receipt(receipt: RefundReceipt, letterhead: Letterhead) -> bytes:
    """居民医保退费申请回执, or the 退费复核结果通知 printed from the same fields."""
    txn = receipt.transaction
    reviewed = receipt.state is not RefundState.PENDING
    pairs = [
        ("姓名", receipt.person_name),
        ("社会保障号码", mask_identity_number(receipt.id_number)),
        ("参保类别", receipt.category_label),
        ("待遇享受起始日", fields.day(receipt.benefit_start)),
        ("退费原因", receipt.reason_label),
    ]
    if receipt.note:
        pairs.append(("情况说明", receipt.note))
    pairs += [
        ("申请编号", str(receipt.request_id)),
        ("申请时间", fields.timestamp(receipt.submitted_at)),
        ("办理状态", receipt.state_label),
        ("已收材料", _listed(receipt.materials)),
    ]
    blocks: list[Block] = [Heading("退费申请"), fields_table(pairs)]
    if reviewed:
        review = [
            ("复核结果", receipt.state_label),
            ("复核人", receipt.reviewer_name or "—"),
            ("复核时间", fields.timestamp(receipt.reviewed_at) if receipt.reviewed_at else "—"),
            ("复核意见", receipt.review_comment or "—"),
        ]
        blocks += [Heading("复核结果"), fields_table(review), Paragraph(_verdict(receipt))]
    else:
        blocks.append(
            Paragraph(
                "退费申请已受理，须经复核人员复核后办理；复核结果可凭业务流水号到窗口查询。"
                f"待遇享受期开始（{fields.day(receipt.benefit_start)}）后不能退费。"
            )
        )
    if receipt.missing_materials and receipt.state is not RefundState.APPROVED:
        deadline = _before(receipt.benefit_start, txn.created_at.date())
        blocks += [
            Heading("一次性告知"),
            _missing(receipt.missing_materials, deadline, "，逾期不能退费" if deadline else ""),
        ]
    blocks += [Heading("经办信息"), fields_table(fields.transaction(txn))]
    signers = (
        ["申请人（代办人）签收", "复核人签字"]
        if reviewed
        else ["申请人（代办人）签字", "经办人签字"]
    )
    blocks += [Spacer(10), Signatures(signers)]
    title = "城乡居民医保退费复核结果通知" if reviewed else "城乡居民医保退费申请回执"
    return a4_document(Frame(title, txn, letterhead), blocks)


def _verdict(receipt: RefundReceipt) -> str:
    if receipt.state is RefundState.APPROVED:
        return (
            "经复核，准予退费。该笔城乡居民医保参保登记同时终止，"
            f"不享受 {fields.day(receipt.benefit_start)} 起的医保待遇。"
        )
    return "经复核，不予退费，原因见复核意见；参保状态不变。补齐材料后可重新申请。"
