"""The vouchers and letters, each a function from a service result to PDF bytes (A4 portrait,
except the 80 mm receipt-printer variant of the card application receipt).

Every voucher carries the serial as Code128 and a QR code with the signed payload
(:mod:`medins_desk.domain.voucher`); training transactions are watermarked 培训 and voided ones
作废. The same result always gives the same bytes: the archive and a test can compare them.
Receipts the citizen takes home show the identity number masked; the forms that go between
agencies (参保凭证, 联系函, 信息表) and the signed 变更确认单 show it in full, as they must.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.pagesizes import A4 as _A4
from reportlab.pdfgen.canvas import Canvas

from medins_desk.domain.business import TransactionStatus
from medins_desk.domain.identity import mask_identity_number
from medins_desk.domain.money import format_yuan
from medins_desk.domain.voucher import sign_voucher_payload
from medins_desk.services.card_application import CardApplicationReceipt
from medins_desk.services.cards import RepresentativeView
from medins_desk.services.correction import CorrectionReceipt
from medins_desk.services.loss_report import LossAct, LossReceipt
from medins_desk.services.transactions import TransactionInfo
from medins_desk.services.transfer import ContactLetter, InfoForm, TransferCertificate
from medins_desk.services.vouchers import DocumentKind, VoucherSource
from medins_desk.settings import Settings
from printing import fonts
from printing.codes import draw_code128, draw_qr
from printing.sheet import (
    BODY_SIZE,
    SMALL_SIZE,
    TITLE_SIZE,
    Block,
    Heading,
    Paragraph,
    SealArea,
    Signatures,
    Spacer,
    Table,
    draw_text,
    fields_table,
    mm,
    new_canvas,
    paginate,
    render_pages,
    watermark,
)

A4: tuple[float, float] = _A4
MARGIN = 18 * mm
HEADER = 46 * mm
FOOTER = 16 * mm
RECEIPT_WIDTH = 80 * mm


@dataclass(frozen=True)
class Letterhead:
    """What every document says about where it comes from, and the key that signs it."""

    hall_name: str
    agency_name: str
    agency_address: str
    agency_phone: str
    secret: str
    demo_secret: bool

    @classmethod
    def from_settings(cls, settings: Settings) -> Letterhead:
        agency = settings.agency
        return cls(
            hall_name=settings.hall_name,
            agency_name=agency.name,
            agency_address=agency.address,
            agency_phone=agency.phone,
            secret=settings.hall_secret,
            demo_secret=settings.demo_secret,
        )


def payload_for(txn: TransactionInfo, letterhead: Letterhead) -> str:
    """The QR payload of a voucher of ``txn``."""
    return sign_voucher_payload(
        letterhead.secret, serial=txn.serial, hall_code=txn.hall_code, kind=txn.kind
    )


def yuan(fen: int) -> str:
    """Amounts as forms print them: grouped, with the unit."""
    return format_yuan(fen, grouping=True, unit=True)


def _day(value: date | None) -> str:
    return f"{value:%Y年%m月%d日}" if value else "—"


def _time(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}"


def _months(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{months} 个月（{years} 年 {rest} 个月）" if years else f"{months} 个月"


def _periods(periods: Sequence[tuple[date, date | None]]) -> str:
    return (
        "；".join(
            f"{start:%Y.%m.%d}—{end:%Y.%m.%d}" if end else f"{start:%Y.%m.%d}—至今"
            for start, end in periods
        )
        or "—"
    )


def _representative(view: RepresentativeView | None) -> list[tuple[str, str]]:
    if view is None:
        return []
    return [
        (view.role_label, f"{view.name}（{view.relation}）"),
        (f"{view.role_label}证件号", view.masked_id_number),
        (f"{view.role_label}电话", view.phone),
    ]


def _transaction_fields(txn: TransactionInfo) -> list[tuple[str, str]]:
    return [
        ("经办人", txn.clerk_name),
        ("受理窗口", f"{txn.counter_no} 号窗口"),
        ("办理时间", _time(txn.created_at)),
    ]


# ---------------------------------------------------------------------------------------------
# The A4 frame: header with codes, footer with page numbers


@dataclass(frozen=True)
class _Frame:
    title: str
    txn: TransactionInfo
    letterhead: Letterhead
    parts: Sequence[str] = ()  # 联 names of a multi-part form, one per copy

    def decorate(self, canvas: Canvas, number: int, count: int) -> None:
        width, height = A4
        txn = self.txn
        if txn.training:
            watermark(canvas, "培训")
        if txn.status is TransactionStatus.VOID:
            watermark(canvas, "作废")
        top = height - MARGIN
        draw_code128(
            canvas, txn.serial, x=MARGIN - 4 * mm, y=top - 12 * mm, width=78 * mm, height=12 * mm
        )
        draw_text(canvas, MARGIN, top - 16 * mm, f"业务流水号 {txn.serial}", SMALL_SIZE)
        qr = 25 * mm
        draw_qr(
            canvas, payload_for(txn, self.letterhead), x=width - MARGIN - qr, y=top - qr, size=qr
        )
        draw_text(
            canvas, width / 2, top - 31 * mm, self.title, TITLE_SIZE, align="center", bold=True
        )
        sub = f"{self.letterhead.hall_name}    {txn.kind_label}"
        if self.parts:
            sub += f"    {self.parts[(number - 1) % len(self.parts)]}"
        if txn.training:
            sub += "    【培训业务，凭证无效】"
        draw_text(canvas, width / 2, top - 38 * mm, sub, BODY_SIZE - 1, align="center")
        # Footer: who issued it, how to check it, which page.
        lh = self.letterhead
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, MARGIN + 9 * mm, width - MARGIN, MARGIN + 9 * mm)
        draw_text(
            canvas, MARGIN, MARGIN + 5 * mm,
            f"{lh.agency_name}  地址：{lh.agency_address}  电话：{lh.agency_phone}", SMALL_SIZE,
        )  # fmt: skip
        check = "扫描二维码可核验凭证真伪"
        if lh.demo_secret:
            check += "（演示密钥签发，仅供培训演示，不作正式凭证）"
        draw_text(canvas, MARGIN, MARGIN + 1 * mm, check, SMALL_SIZE)
        draw_text(
            canvas, width - MARGIN, MARGIN + 1 * mm, f"第 {number} 页 共 {count} 页", SMALL_SIZE,
            align="right",
        )  # fmt: skip


def _a4(frame: _Frame, blocks: Sequence[Block], *, copies: int = 1) -> bytes:
    width, height = A4
    inner = width - 2 * MARGIN
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, A4, f"{frame.title} {frame.txn.serial}")
    pages = paginate(
        blocks,
        width=inner,
        first_top=height - MARGIN - HEADER,
        top=height - MARGIN - HEADER,
        bottom=MARGIN + FOOTER,
    )
    render_pages(canvas, pages * copies, x=MARGIN, width=inner, decorate=frame.decorate)
    canvas.save()
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Documents


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
    pairs += _representative(receipt.representative)
    if receipt.card_number:
        pairs += [("卡号", receipt.card_number), ("卡有效期至", _day(receipt.card_expiry_date))]
    pairs += [
        ("收费金额", yuan(receipt.fee_fen)),
        ("预计领卡日期", _day(receipt.expected_pickup_date)),
        *_transaction_fields(txn),
    ]
    blocks: list[Block] = [Heading("申领信息"), fields_table(pairs), Heading("温馨提示")]
    blocks.append(Paragraph(_card_notice(receipt), boxed=True))
    blocks += [Spacer(10), Signatures(["申请人（代办人）签字", "经办人签字"])]
    return _a4(_Frame("社会保障卡申领受理回执", txn, letterhead), blocks)


def _kind_text(receipt: CardApplicationReceipt) -> str:
    return receipt.kind_label + ("（即时制卡）" if receipt.instant else "")


def _card_notice(receipt: CardApplicationReceipt) -> str:
    lines = []
    if receipt.instant:
        lines.append("社会保障卡已即时制发，请当场核对卡面信息，并妥善保管。")
    else:
        lines.append(
            f"1. 请于 {_day(receipt.expected_pickup_date)} 后，凭本回执及本人有效身份证件"
            "到本大厅领取社会保障卡；代领须同时出示代领人有效身份证件。"
        )
        lines.append("2. 制卡期间可凭业务流水号到任一窗口查询制卡进度。")
    if receipt.manual_personalisation:
        lines.append(
            "3. 姓名中含有卡片字库以外的字，将由制卡中心人工制卡，姓名以身份证件为准，"
            "领卡时间可能延后。"
        )
    return "\n".join(lines)


def card_application_receipt_80mm(receipt: CardApplicationReceipt, letterhead: Letterhead) -> bytes:
    """社会保障卡申领受理回执 for an 80 mm receipt printer (page as long as its content)."""
    txn = receipt.transaction
    lines: list[tuple[str, float, str]] = [  # (text, size, align)
        (letterhead.hall_name, BODY_SIZE, "center"),
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
        (f"收费：{yuan(receipt.fee_fen)}", SMALL_SIZE, "left"),
        (f"预计领卡：{_day(receipt.expected_pickup_date)}", SMALL_SIZE, "left"),
        (f"经办：{txn.clerk_name}  {txn.counter_no} 号窗口", SMALL_SIZE, "left"),
        (f"时间：{_time(txn.created_at)}", SMALL_SIZE, "left"),
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
        pairs.append(("临时挂失有效期至", _time(receipt.expires_at)))
    pairs += _representative(receipt.representative)
    pairs += _transaction_fields(txn)
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
    return _a4(_Frame(title, txn, letterhead), blocks)


def correction_confirmation(receipt: CorrectionReceipt, letterhead: Letterhead) -> bytes:
    """参保信息变更确认单: before/after per field, documents seen, the approving supervisor."""
    txn = receipt.transaction
    pairs = [
        ("姓名", receipt.person_name),
        ("社会保障号码", receipt.id_number),
        *_transaction_fields(txn),
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
    return _a4(_Frame("参保信息变更确认单", txn, letterhead), blocks)


def _review_text(name: str | None, at: datetime | None, notice: str) -> str:
    if name and at:
        return f"复核人 {name}，{_time(at)}"
    return notice or "无需复核（即时生效）"


CERTIFICATE_PARTS = ("第一联：交转入地经办机构", "第二联：转出地经办机构存档", "第三联：参保人留存")


def transfer_certificate(cert: TransferCertificate, letterhead: Letterhead) -> bytes:
    """《基本医疗保险参保凭证》: three copies (联), one page each."""
    pairs = [
        ("姓名", cert.name),
        ("性别", cert.sex_label),
        ("社会保障号码", cert.id_number),
        ("险种类型", cert.insurance_type_name),
        ("参保起止时间", _periods(cert.enrollment_periods)),
        ("实际缴费月数", _months(cert.actual_months)),
        ("视同缴费月数", _months(cert.deemed_months)),
        ("个人账户余额", yuan(cert.balance_fen)),
        ("转往经办机构", f"{cert.destination_agency}（行政区划 {cert.destination_region}）"),
        ("转移接续编号", cert.case_number),
        ("开具日期", _day(cert.issue_date)),
    ]
    agency = [
        ("开具机构", cert.agency_name),
        ("机构地址", cert.agency_address),
        ("联系电话", cert.agency_phone),
        ("行政区划", cert.agency_region),
    ]
    blocks: list[Block] = [
        Heading("参保人员信息"),
        fields_table(pairs),
        Heading("开具机构"),
        fields_table(agency),
        Paragraph(
            "参保人员到新就业地或户籍地参保后，持本凭证向转入地经办机构申请转移接续；"
            "转入地经办机构凭本凭证向本机构发出联系函。"
        ),
        SealArea(cert.agency_name, _day(cert.issue_date)),
    ]
    frame = _Frame("基本医疗保险参保凭证", cert.transaction, letterhead, CERTIFICATE_PARTS)
    return _a4(frame, blocks, copies=3)


def contact_letter(letter: ContactLetter, letterhead: Letterhead) -> bytes:
    """《基本医疗保险关系转移接续联系函》 to the origin agency."""
    body = (
        f"参保人员 {letter.name}（社会保障号码 {letter.id_number}）已于 "
        f"{_day(letter.local_start_date)} 在我地参加{letter.insurance_type_name}，"
        f"持贵机构 {_day(letter.origin_certificate_date)} 开具的《基本医疗保险参保凭证》"
        "申请转移接续基本医疗保险关系。经审核，符合转移接续条件。"
        f"请按{letter.rule_set_label}的规定"
        + (f"，于 {_day(letter.deadline)} 前" if letter.deadline else "")
        + "出具《参保人员基本医疗保险类型变更信息表》并划转个人账户余额。"
    )
    pairs = [
        ("姓名", letter.name),
        ("性别", letter.sex_label),
        ("社会保障号码", letter.id_number),
        ("本地险种", letter.insurance_type_name),
        ("原参保时间", _periods(letter.origin_periods)),
        ("实际缴费月数", _months(letter.origin_actual_months)),
        ("视同缴费月数", _months(letter.origin_deemed_months)),
        ("个人账户余额", yuan(letter.origin_balance_fen)),
        ("中断期", "不超过 3 个月，可补缴接续" if letter.gap_bridgeable else "超过 3 个月"),
        ("转移接续编号", letter.case_number),
        ("办理时限", _day(letter.deadline) if letter.deadline else "—"),
        ("发函日期", _day(letter.issue_date)),
    ]
    agency = [
        ("转入地经办机构", letter.agency_name),
        ("地址", letter.agency_address),
        ("联系电话", letter.agency_phone),
        ("行政区划", letter.agency_region),
    ]
    blocks: list[Block] = [
        Paragraph(f"{letter.to_agency}（行政区划 {letter.to_region}）："),
        Paragraph("　　" + body),
        Heading("参保人员信息"),
        fields_table(pairs),
        Heading("联系方式"),
        fields_table(agency),
        SealArea(letter.agency_name, _day(letter.issue_date)),
    ]
    return _a4(_Frame("基本医疗保险关系转移接续联系函", letter.transaction, letterhead), blocks)


def info_form(form: InfoForm, letterhead: Letterhead) -> bytes:
    """《参保人员基本医疗保险类型变更信息表》 sent with the account balance."""
    pairs = [
        ("姓名", form.name),
        ("性别", form.sex_label),
        ("社会保障号码", form.id_number),
        ("险种类型", form.insurance_type_name),
        ("参保起止时间", _periods(form.enrollment_periods)),
        ("实际缴费月数", _months(form.actual_months)),
        ("视同缴费月数", _months(form.deemed_months)),
        ("划转个人账户金额", yuan(form.transferred_balance_fen)),
        ("转入地经办机构", f"{form.to_agency}（行政区划 {form.to_region}）"),
        ("联系函编号", form.contact_letter_number or "—"),
        ("联系函日期", _day(form.contact_letter_date)),
        ("转移接续编号", form.case_number),
        ("出具日期", _day(form.issue_date)),
    ]
    agency = [
        ("转出地经办机构", form.agency_name),
        ("地址", form.agency_address),
        ("联系电话", form.agency_phone),
        ("行政区划", form.agency_region),
    ]
    blocks: list[Block] = [
        Heading("参保人员信息"),
        fields_table(pairs),
        Heading("转出地经办机构"),
        fields_table(agency),
        Paragraph("个人账户余额已按上表金额划转，请转入地经办机构收到后及时办结。"),
        SealArea(form.agency_name, _day(form.issue_date)),
    ]
    frame = _Frame("参保人员基本医疗保险类型变更信息表", form.transaction, letterhead)
    return _a4(frame, blocks)


def document_kind(source: VoucherSource, *, receipt_80mm: bool = False) -> DocumentKind:
    """Which document a service result is printed as."""
    if isinstance(source, CardApplicationReceipt):
        return DocumentKind.CARD_RECEIPT_80MM if receipt_80mm else DocumentKind.CARD_RECEIPT
    if isinstance(source, LossReceipt):
        return DocumentKind.LOSS_RECEIPT
    if isinstance(source, CorrectionReceipt):
        return DocumentKind.CORRECTION_CONFIRMATION
    if isinstance(source, TransferCertificate):
        return DocumentKind.TRANSFER_CERTIFICATE
    if isinstance(source, ContactLetter):
        return DocumentKind.CONTACT_LETTER
    return DocumentKind.INFO_FORM


def render(source: VoucherSource, letterhead: Letterhead, *, receipt_80mm: bool = False) -> bytes:
    """The PDF of any voucher source."""
    fonts.main_face()  # fail on a missing font before drawing anything
    if isinstance(source, CardApplicationReceipt):
        if receipt_80mm:
            return card_application_receipt_80mm(source, letterhead)
        return card_application_receipt(source, letterhead)
    if isinstance(source, LossReceipt):
        return loss_receipt(source, letterhead)
    if isinstance(source, CorrectionReceipt):
        return correction_confirmation(source, letterhead)
    if isinstance(source, TransferCertificate):
        return transfer_certificate(source, letterhead)
    if isinstance(source, ContactLetter):
        return contact_letter(source, letterhead)
    return info_form(source, letterhead)
