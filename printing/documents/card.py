"""社会保障卡申领受理回执 (on A4, and on the 80 mm roll of a receipt printer) and the
社会保障卡领取凭证 the citizen signs when the card is handed over."""

from __future__ import annotations

import io

from medins_desk.domain.identity import mask_identity_number
from medins_desk.services.card_application import CardApplicationReceipt
from medins_desk.services.card_rewrite import CardRewriteReceipt
from medins_desk.services.cards import CardHandoverReceipt
from medins_desk.services.vouchers import DocumentKind
from printing.codes import draw_code128, draw_qr
from printing.documents import fields
from printing.documents.frame import Frame, Letterhead, a4_document, payload_for
from printing.documents.registry import document
from printing.sheet import (
    BODY_SIZE,
    SMALL_SIZE,
    Block,
    Heading,
    Paragraph,
    Signatures,
    Spacer,
    clip,
    draw_text,
    fields_table,
    mm,
    new_canvas,
    watermark,
)

RECEIPT_WIDTH = 80 * mm


@document(CardApplicationReceipt, DocumentKind.CARD_RECEIPT)
def card_application_receipt(receipt: CardApplicationReceipt, letterhead: Letterhead) -> bytes:
    """社会保障卡申领受理回执 (A4)."""
    txn = receipt.transaction
    pairs = [
        ("姓名", receipt.person_name),
        ("性别", receipt.sex_label),
        ("社会保障号码", mask_identity_number(receipt.id_number)),
        ("申领类型", _kind_text(receipt)),
    ]
    if receipt.replacement_reason_label:
        pairs.append(("换领原因", receipt.replacement_reason_label))
    if receipt.old_card_number:
        pairs.append(("原卡号", receipt.old_card_number))
    pairs += fields.representative(receipt.representative)
    if receipt.card_number:
        pairs += [
            ("卡号", receipt.card_number),
            ("卡有效期至", fields.day(receipt.card_expiry_date)),
        ]
    pairs += [
        ("收费金额", fields.yuan(receipt.fee_fen)),
        ("预计领卡日期", fields.day(receipt.expected_pickup_date)),
        *fields.transaction(txn),
    ]
    blocks: list[Block] = [Heading("申领信息"), fields_table(pairs), Heading("温馨提示")]
    blocks.append(Paragraph(_card_notice(receipt), boxed=True))
    blocks += [Spacer(10), Signatures(["申请人（代办人）签字", "经办人签字"])]
    return a4_document(Frame("社会保障卡申领受理回执", txn, letterhead), blocks)


def _kind_text(receipt: CardApplicationReceipt) -> str:
    return receipt.kind_label + ("（即时制卡）" if receipt.instant else "")


def _card_notice(receipt: CardApplicationReceipt) -> str:
    lines = []
    if receipt.instant:
        lines.append("社会保障卡已即时制发，请当场核对卡面信息，并妥善保管。")
    else:
        lines.append(
            f"1. 请于 {fields.day(receipt.expected_pickup_date)} 后，凭本回执及本人有效身份证件"
            "到本大厅领取社会保障卡；代领须同时出示代领人有效身份证件。"
        )
        lines.append("2. 制卡期间可凭业务流水号到任一窗口查询制卡进度。")
    if receipt.manual_personalisation:
        lines.append(
            "3. 姓名中含有卡片字库以外的字，将由制卡中心人工制卡，姓名以身份证件为准，"
            "领卡时间可能延后。"
        )
    return "\n".join(lines)


@document(CardHandoverReceipt, DocumentKind.CARD_HANDOVER)
def card_handover_receipt(receipt: CardHandoverReceipt, letterhead: Letterhead) -> bytes:
    """社会保障卡领取凭证: the card handed over, and the line where the collector signs for it."""
    txn = receipt.transaction
    rep = receipt.representative
    pairs = [
        ("姓名", receipt.person_name),
        ("社会保障号码", mask_identity_number(receipt.id_number)),
        ("社会保障卡号", receipt.card_number),
        ("发卡日期", fields.day(receipt.issue_date)),
        ("卡有效期至", fields.day(receipt.expiry_date)),
        ("领取方式", f"{rep.role_label}代领" if rep else "本人领取"),
        *fields.representative(rep),
        *fields.transaction(txn),
    ]
    confirmation = (
        "本人受参保人委托代为领取上述社会保障卡，卡面信息核对无误。"
        if rep
        else "本人已领取上述社会保障卡，卡面信息核对无误。"
    )
    blocks: list[Block] = [
        Heading("领卡信息"),
        fields_table(pairs),
        Heading("温馨提示"),
        Paragraph(
            "社会保障卡请妥善保管，不得转借他人使用；卡片遗失请及时办理挂失。"
            "卡片的金融功能请到发卡银行网点激活，并修改初始密码。",
            boxed=True,
        ),
        Heading("领取确认"),
        Paragraph(confirmation, size=BODY_SIZE),
        Spacer(6),
        Signatures(["代领人签字" if rep else "领卡人签字", "经办人签字"]),
    ]
    return a4_document(Frame("社会保障卡领取凭证", txn, letterhead), blocks)


@document(CardApplicationReceipt, DocumentKind.CARD_RECEIPT_80MM, receipt_80mm=True)
def card_application_receipt_80mm(receipt: CardApplicationReceipt, letterhead: Letterhead) -> bytes:
    """社会保障卡申领受理回执 for an 80 mm receipt printer (page as long as its content)."""
    txn = receipt.transaction
    lines: list[tuple[str, float, str]] = [  # (text, size, align)
        (clip(letterhead.hall_name, BODY_SIZE, RECEIPT_WIDTH - 8 * mm), BODY_SIZE, "center"),
        ("社会保障卡申领受理回执", 12.0, "center"),
        ("", 4.0, "left"),
        (f"流水号：{txn.serial}", SMALL_SIZE, "left"),
        (f"姓名：{receipt.person_name}（{receipt.sex_label}）", BODY_SIZE, "left"),
        (f"证件号：{mask_identity_number(receipt.id_number)}", SMALL_SIZE, "left"),
        (f"申领类型：{_kind_text(receipt)}", SMALL_SIZE, "left"),
    ]
    if receipt.representative:
        rep = receipt.representative
        lines.append((f"{rep.role_label}：{rep.name}（{rep.relation}）", SMALL_SIZE, "left"))
    if receipt.card_number:
        lines.append((f"卡号：{receipt.card_number}", SMALL_SIZE, "left"))
    lines += [
        (f"收费：{fields.yuan(receipt.fee_fen)}", SMALL_SIZE, "left"),
        (f"预计领卡：{fields.day(receipt.expected_pickup_date)}", SMALL_SIZE, "left"),
        (f"经办：{txn.clerk_name}  {txn.counter_no} 号窗口", SMALL_SIZE, "left"),
        (f"时间：{fields.timestamp(txn.created_at)}", SMALL_SIZE, "left"),
    ]
    if txn.training:
        lines.append(("【培训】本凭证为培训业务，无效", SMALL_SIZE, "left"))
    margin = 4 * mm
    code_h, qr = 12 * mm, 30 * mm
    text_h = sum(size * 1.5 for _, size, _ in lines)
    height = margin * 2 + text_h + code_h + 6 * mm + qr + 12 * mm
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (RECEIPT_WIDTH, height), f"社会保障卡申领受理回执 {txn.serial}")
    if txn.training:
        watermark(canvas, "培训", (RECEIPT_WIDTH, height))
    y = height - margin
    for text, size, align in lines:
        y -= size * 1.5
        x = RECEIPT_WIDTH / 2 if align == "center" else margin
        draw_text(canvas, x, y, text, size, align=align, bold=size > BODY_SIZE)
    y -= code_h + 3 * mm
    draw_code128(canvas, txn.serial, x=0, y=y, width=RECEIPT_WIDTH, height=code_h)
    y -= qr + 3 * mm
    draw_qr(canvas, payload_for(txn, letterhead), x=(RECEIPT_WIDTH - qr) / 2, y=y, size=qr)
    note = "扫码核验真伪" + ("（演示密钥）" if letterhead.demo_secret else "")
    draw_text(canvas, RECEIPT_WIDTH / 2, y - 5 * mm, note, SMALL_SIZE, align="center")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@document(CardRewriteReceipt, DocumentKind.CARD_REWRITE_RECEIPT)
def card_rewrite_receipt(receipt: CardRewriteReceipt, letterhead: Letterhead) -> bytes:
    """社会保障卡信息改写回执: the insuring region written to the card and read back."""
    txn = receipt.transaction
    pairs = [
        ("姓名", receipt.person_name),
        ("社会保障号码", mask_identity_number(receipt.id_number)),
        ("社会保障卡号", receipt.card_number),
        ("原参保地", f"{receipt.region_before_name}（{receipt.region_before}）"),
        ("改写后参保地", f"{receipt.region_after_name}（{receipt.region_after}）"),
        *fields.transaction(txn),
    ]
    blocks: list[Block] = [
        Heading("改写信息"),
        fields_table(pairs),
        Paragraph(
            "社会保障卡内参保地信息已改写并读卡核对一致，原卡继续使用，无需重新办理社会保障卡。"
            "卡片金融功能不受影响。",
            boxed=True,
        ),
        Spacer(10),
        Signatures(["持卡人签字", "经办人签字"]),
    ]
    return a4_document(Frame("社会保障卡信息改写回执", txn, letterhead), blocks)
