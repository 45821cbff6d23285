"""The forms of a transfer of basic medical insurance (医保关系转移接续) between agencies: the
参保凭证 the origin issues, the 联系函 the destination sends back, and the 信息表 that goes with
the account balance. They show the identity number in full, as forms between agencies must."""

from __future__ import annotations

from medins_desk.services.transfer.transfer_in import ContactLetter
from medins_desk.services.transfer.transfer_out import InfoForm, TransferCertificate
from medins_desk.services.vouchers import DocumentKind
from printing.documents import fields
from printing.documents.frame import Frame, Letterhead, a4_document
from printing.documents.registry import document
from printing.sheet import Block, Heading, Paragraph, SealArea, fields_table

CERTIFICATE_PARTS = ("第一联：交转入地经办机构", "第二联：转出地经办机构存档", "第三联：参保人留存")


@document(TransferCertificate, DocumentKind.TRANSFER_CERTIFICATE)
def transfer_certificate(cert: TransferCertificate, letterhead: Letterhead) -> bytes:
    """《基本医疗保险参保凭证》: three copies (联), one page each."""
    pairs = [
        ("姓名", cert.name),
        ("性别", cert.sex_label),
        ("社会保障号码", cert.id_number),
        ("险种类型", cert.insurance_type_name),
        ("参保起止时间", fields.periods(cert.enrollment_periods)),
        ("实际缴费月数", fields.months(cert.actual_months)),
        ("视同缴费月数", fields.months(cert.deemed_months)),
        ("个人账户余额", fields.yuan(cert.balance_fen)),
        ("转往经办机构", f"{cert.destination_agency}（行政区划 {cert.destination_region}）"),
        ("转移接续编号", cert.case_number),
        ("开具日期", fields.day(cert.issue_date)),
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
        SealArea(cert.agency_name, fields.day(cert.issue_date)),
    ]
    frame = Frame("基本医疗保险参保凭证", cert.transaction, letterhead, CERTIFICATE_PARTS)
    return a4_document(frame, blocks, copies=3)


@document(ContactLetter, DocumentKind.CONTACT_LETTER)
def contact_letter(letter: ContactLetter, letterhead: Letterhead) -> bytes:
    """《基本医疗保险关系转移接续联系函》 to the origin agency."""
    body = (
        f"参保人员 {letter.name}（社会保障号码 {letter.id_number}）已于 "
        f"{fields.day(letter.local_start_date)} 在我地参加{letter.insurance_type_name}，"
        f"持贵机构 {fields.day(letter.origin_certificate_date)} 开具的《基本医疗保险参保凭证》"
        "申请转移接续基本医疗保险关系。经审核，符合转移接续条件。"
        f"请按{letter.rule_set_label}的规定"
        + (f"，于 {fields.day(letter.deadline)} 前" if letter.deadline else "")
        + "出具《参保人员基本医疗保险类型变更信息表》并划转个人账户余额。"
    )
    pairs = [
        ("姓名", letter.name),
        ("性别", letter.sex_label),
        ("社会保障号码", letter.id_number),
        ("本地险种", letter.insurance_type_name),
        ("原参保时间", fields.periods(letter.origin_periods)),
        ("实际缴费月数", fields.months(letter.origin_actual_months)),
        ("视同缴费月数", fields.months(letter.origin_deemed_months)),
        ("个人账户余额", fields.yuan(letter.origin_balance_fen)),
        ("中断期", "不超过 3 个月，可补缴接续" if letter.gap_bridgeable else "超过 3 个月"),
        ("转移接续编号", letter.case_number),
        ("办理时限", fields.day(letter.deadline) if letter.deadline else "—"),
        ("发函日期", fields.day(letter.issue_date)),
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
        SealArea(letter.agency_name, fields.day(letter.issue_date)),
    ]
    return a4_document(
        Frame("基本医疗保险关系转移接续联系函", letter.transaction, letterhead), blocks
    )


@document(InfoForm, DocumentKind.INFO_FORM)
def info_form(form: InfoForm, letterhead: Letterhead) -> bytes:
    """《参保人员基本医疗保险类型变更信息表》 sent with the account balance."""
    pairs = [
        ("姓名", form.name),
        ("性别", form.sex_label),
        ("社会保障号码", form.id_number),
        ("险种类型", form.insurance_type_name),
        ("参保起止时间", fields.periods(form.enrollment_periods)),
        ("实际缴费月数", fields.months(form.actual_months)),
        ("视同缴费月数", fields.months(form.deemed_months)),
        ("划转个人账户金额", fields.payment(form.transferred_balance_fen)),
        ("转入地经办机构", f"{form.to_agency}（行政区划 {form.to_region}）"),
        ("联系函编号", form.contact_letter_number or "—"),
        ("联系函日期", fields.day(form.contact_letter_date)),
        ("转移接续编号", form.case_number),
        ("出具日期", fields.day(form.issue_date)),
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
        SealArea(form.agency_name, fields.day(form.issue_date)),
    ]
    frame = Frame("参保人员基本医疗保险类型变更信息表", form.transaction, letterhead)
    return a4_document(frame, blocks)
