"""Every document as a person sees it: rendered by pdftoppm, codes read by zbarimg, text read
by pdftotext, fonts listed by pdffonts. A PNG of each is kept in tests/artifacts/printing/."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from medins_desk.domain.benefits import RefundState
from medins_desk.domain.card import RepresentativeRole
from medins_desk.domain.enrollment import format_months
from medins_desk.domain.identity import mask_identity_number
from medins_desk.services.card_application import CardApplicationReceipt
from medins_desk.services.card_rewrite import CardRewriteReceipt
from medins_desk.services.cards import CardHandoverReceipt, RepresentativeView
from medins_desk.services.certificate import InsuranceCertificate
from medins_desk.services.correction import CorrectionReceipt
from medins_desk.services.enrollment import EnrollmentChangeReceipt, EnrollmentReceipt
from medins_desk.services.inheritance import InheritanceDecision, InheritancePledge
from medins_desk.services.loss_report import LossReceipt
from medins_desk.services.medical_filing import FilingReceipt
from medins_desk.services.progress import ProgressNotice
from medins_desk.services.refund import RefundReceipt
from medins_desk.services.retirement import RetirementReceipt
from medins_desk.services.transfer.transfer_in import ContactLetter
from medins_desk.services.transfer.transfer_out import InfoForm, TransferCertificate
from medins_desk.services.vouchers import DocumentKind, VoucherSource, voucher_source
from printing.documents import payload_for, render, yuan
from printing.documents.fields import payment
from tests.helpers import pdfs
from tests.integration.printing.conftest import BIRTH_CERTIFICATE, DemoHall

pytestmark = pytest.mark.usefixtures("pdf_tools")


def _source(hall: DemoHall, serial: str) -> VoucherSource:
    with hall.store.sessions() as session:
        return voucher_source(session, hall.actor, serial=serial)


def _day(value: date) -> str:
    return f"{value:%Y年%m月%d日}"


def _expected(source: VoucherSource) -> list[str]:
    """The fields a reader must find on the document."""
    txn = source.transaction
    common = (
        [txn.serial, f"{txn.counter_no} 号窗口"]
        if not isinstance(
            source, TransferCertificate | ContactLetter | InfoForm | InsuranceCertificate
        )
        else [txn.serial]
    )
    if isinstance(source, CardApplicationReceipt):
        fields = [
            source.person_name, mask_identity_number(source.id_number), source.kind_label,
            yuan(source.fee_fen), _day(source.expected_pickup_date), txn.clerk_name,
            f"{txn.created_at:%Y-%m-%d %H:%M:%S}", source.sex_label,
        ]  # fmt: skip
        if source.representative:
            fields += [source.representative.name, source.representative.masked_id_number]
        return common + fields
    if isinstance(source, CardHandoverReceipt | EnrollmentReceipt | EnrollmentChangeReceipt
                  | RefundReceipt):  # fmt: skip
        return common + _enrollment_expected(source)
    if isinstance(source, LossReceipt):
        return [
            *common, source.kind_label, source.card_number or "—", source.person_name,
            mask_identity_number(source.id_number), source.state_before_label,
            source.state_after_label, txn.clerk_name, "发卡银行",
        ]  # fmt: skip
    if isinstance(source, FilingReceipt):
        until = _day(source.valid_until) if source.valid_until else "长期有效"
        return [
            *common, source.person_name, mask_identity_number(source.id_number), txn.clerk_name,
            source.kind_label, f"{source.province_name}（{source.province_code}）",
            f"{source.city_name}（{source.city_code}）", _day(source.starts_on), until,
            *source.materials, "持社会保障卡直接结算",
        ]  # fmt: skip
    if isinstance(source, CorrectionReceipt):
        fields = [source.person_name, source.id_number, txn.clerk_name]
        for request in source.requests:
            fields += [request.class_label, request.state_label]
            for row in request.rows:
                fields += [row.label, row.before or "（空）", row.after or "（空）"]
            fields += list(request.documents)
            if request.reviewed_by_name:
                fields.append(request.reviewed_by_name)
        return common + fields + ["参保人签字", "经办人签字"]
    if isinstance(source, CardRewriteReceipt):
        return [
            *common, "社会保障卡信息改写回执", source.person_name, source.card_number,
            mask_identity_number(source.id_number), source.region_before, source.region_after,
            txn.clerk_name, "持卡人签字",
        ]  # fmt: skip
    if isinstance(source, ProgressNotice):
        return [
            *common, "办理进度告知单", source.person_name, mask_identity_number(source.id_number),
            txn.clerk_name, "当前环节", "下一步",
            *(field for m in source.matters for field in (m.stage, m.since.isoformat(), m.serial)),
        ]  # fmt: skip
    if isinstance(source, InheritancePledge | InheritanceDecision):
        return common + _inheritance_expected(source)
    if isinstance(source, InsuranceCertificate):
        return common + _certificate_expected(source)
    if isinstance(source, RetirementReceipt):
        return common + _retirement_expected(source)
    agency = [source.agency_name, source.agency_address, source.agency_phone, source.case_number]
    person = [source.name, source.id_number, source.sex_label, source.insurance_type_name]
    if isinstance(source, TransferCertificate):
        return common + agency + person + [
            yuan(source.balance_fen), f"{source.actual_months} 个月", source.destination_agency,
            "第一联", "经办机构盖章",
        ]  # fmt: skip
    if isinstance(source, ContactLetter):
        deadline = [_day(source.deadline)] if source.deadline else []
        return common + agency + person + deadline + [
            source.to_agency, yuan(source.origin_balance_fen), "经办机构盖章",
        ]  # fmt: skip
    return common + agency + person + [
        payment(source.transferred_balance_fen), source.to_agency, _day(source.contact_letter_date),
        "经办机构盖章",
    ]  # fmt: skip


def _enrollment_expected(
    source: CardHandoverReceipt | EnrollmentReceipt | EnrollmentChangeReceipt | RefundReceipt,
) -> list[str]:
    txn = source.transaction
    fields = [source.person_name, mask_identity_number(source.id_number), txn.clerk_name]
    if isinstance(source, CardHandoverReceipt):
        return [
            *fields, source.card_number, _day(source.issue_date), _day(source.expiry_date),
            "本人已领取上述社会保障卡，卡面信息核对无误", "领卡人签字：", "日期：",
        ]  # fmt: skip
    if isinstance(source, EnrollmentChangeReceipt):
        return [
            *fields, source.insurance_type_label, source.status_before_label,
            source.status_after_label, _day(source.effective), source.reason, "参保状态变更回执",
        ]  # fmt: skip
    if isinstance(source, RefundReceipt):
        return [
            *fields, source.category_label, source.reason_label, source.state_label,
            _day(source.benefit_start), *source.materials, "退费",
        ]  # fmt: skip
    fields += [source.id_kind_label, source.sex_label, _day(source.birth_date)]
    if source.guardian_name and source.guardian_id_number:
        fields += [source.guardian_name, mask_identity_number(source.guardian_id_number)]
    facts = source.enrollment
    if facts is not None:
        fields += [
            f"{facts.insurance_type_label}参保登记回执", facts.category_label,
            _day(facts.benefit_start), facts.benefit_rule, *facts.materials,
        ]  # fmt: skip
        if facts.missing_materials:
            fields += ["一次性告知", *facts.missing_materials]
    return fields


def _inheritance_expected(source: InheritancePledge | InheritanceDecision) -> list[str]:
    """Both are kept and paid from: the numbers and the bank account in full."""
    pledge = source.pledge if isinstance(source, InheritanceDecision) else source
    fields = [
        pledge.person_name, pledge.id_number, _day(pledge.death_date), pledge.death_proof_label,
        pledge.heir_name, pledge.heir_id_number, pledge.heir_relation_label, pledge.bank_name,
        pledge.bank_account, payment(pledge.balance_fen), source.transaction.clerk_name,
    ]  # fmt: skip
    if pledge.card_number:
        fields.append(f"{pledge.card_number}（已注销）")
    if isinstance(source, InheritanceDecision):
        return [*fields, source.reviewer_name, source.state_label, "最终支付指令",
                "个人账户余额继承支付通知", pledge.transaction.serial]  # fmt: skip
    return [*fields, "申领医保个人账户余额承诺书", "其他继承人签字", *pledge.materials]


def _certificate_expected(source: InsuranceCertificate) -> list[str]:
    fields = [source.title, source.name, source.id_number, source.purpose or "—", "经办机构盖章"]
    for period in source.periods:
        fields += [period.insurance, period.region_code, _day(period.start), period.status]
    c = source.contributions
    if c is not None and c.total:
        fields += [format_months(c.total), f"{c.first} 至 {c.last}", "缴费月份"]
        fields += [str(y.year) for y in c.years]
    return fields


def _retirement_expected(source: RetirementReceipt) -> list[str]:
    fields = [
        "职工医保在职转退休审核回执", source.person_name, mask_identity_number(source.id_number),
        _day(source.retirement_date), source.outcome_label, "累计缴费年限", "本地实际缴费",
        f"{source.total} 个月", f"{source.required_total} 个月", f"{source.local} 个月",
    ]  # fmt: skip
    if source.benefit_start is not None:
        fields += [_day(source.benefit_start), source.benefit_rule_label or ""]
    if source.payment is not None:
        fields += [payment(source.payment.total_fen), f"{source.payment.years} 年"]
    if source.deemed_from:
        fields.append(f"{source.deemed_from} 至 {source.deemed_to}")
    return fields


def _flat(text: str) -> str:
    """pdftotext breaks lines inside wrapped cells; fields are compared without whitespace."""
    return "".join(text.split())


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_document_reads_right(demo_hall: DemoHall, kind: DocumentKind) -> None:
    base = DocumentKind.CARD_RECEIPT if kind is DocumentKind.CARD_RECEIPT_80MM else kind
    serial = demo_hall.serials[base]
    source = _source(demo_hall, serial)
    pdf = render(source, demo_hall.letterhead, receipt_80mm=kind is DocumentKind.CARD_RECEIPT_80MM)

    png = pdfs.render_png(pdf, dpi=150, keep_as=kind.value)
    symbols = pdfs.decode(png)
    payload = payload_for(source.transaction, demo_hall.letterhead)
    assert f"CODE-128:{serial}" in symbols
    assert f"QR-Code:{payload}" in symbols

    text = _flat(pdfs.text(pdf))
    missing = [field for field in _expected(source) if _flat(field) not in text]
    assert not missing, f"not on the {kind.label}: {missing}"

    fonts = pdfs.fonts(pdf)
    assert fonts and all(f["emb"] == "yes" and f["sub"] == "yes" for f in fonts), fonts
    # 黑体 title and headings, 宋体 body: the hierarchy of a government form.
    names = " ".join(f["name"] for f in fonts)
    assert "WenQuanYiMicroHei" in names and "UMingCN" in names, fonts


def test_the_contribution_certificate_ticks_every_month_on_record(demo_hall: DemoHall) -> None:
    source = _source(demo_hall, demo_hall.serials[DocumentKind.INSURANCE_CERTIFICATE])
    assert isinstance(source, InsuranceCertificate) and source.contributions is not None
    assert source.contributions.total > 0
    pdf = render(source, demo_hall.letterhead)
    text = pdfs.text(pdf)
    # One tick per month on record, and the one of the tables' heading on each page.
    tables = -(-len(source.contributions.years) // 10)
    assert text.count("√") == source.contributions.total + tables
    assert pdfs.page_count(pdf) >= 1 + len(source.contributions.years) // 20


def test_only_titles_and_headings_are_bold(demo_hall: DemoHall) -> None:
    source = _source(demo_hall, demo_hall.serials[DocumentKind.CORRECTION_CONFIRMATION])
    assert isinstance(source, CorrectionReceipt)
    modes = pdfs.text_render_modes(render(source, demo_hall.letterhead))
    assert modes["参保信息变更确认单"] == {2} and modes["参保人信息"] == {2}
    # Body text after a heading: a heading's stroke once leaked into everything drawn after it.
    for body in ("姓名", source.person_name, "参保人签字：", source.requests[0].rows[0].label):
        assert modes[body] == {0}, (body, modes[body])


def test_the_same_result_gives_the_same_bytes(demo_hall: DemoHall) -> None:
    source = _source(demo_hall, demo_hall.serials[DocumentKind.LOSS_RECEIPT])
    assert render(source, demo_hall.letterhead) == render(source, demo_hall.letterhead)


def test_a_name_with_an_extension_b_character_prints(demo_hall: DemoHall) -> None:
    source = _source(demo_hall, demo_hall.rare_serial)
    assert isinstance(source, CardApplicationReceipt) and source.person_name == "王𠮷"
    pdf = render(source, demo_hall.letterhead)
    pdfs.render_png(pdf, keep_as="card_receipt_rare_character")
    assert "王𠮷" in pdfs.text(pdf)
    embedded = {f["name"].split("+")[-1]: f for f in pdfs.fonts(pdf)}
    assert embedded["HanaMinB"]["emb"] == "yes" and embedded["HanaMinB"]["sub"] == "yes"
    assert "由制卡中心人工制卡" in _flat(pdfs.text(pdf))


def test_the_transfer_certificate_has_three_parts(demo_hall: DemoHall) -> None:
    source = _source(demo_hall, demo_hall.serials[DocumentKind.TRANSFER_CERTIFICATE])
    pdf = render(source, demo_hall.letterhead)
    assert pdfs.page_count(pdf) == 3
    text = _flat(pdfs.text(pdf))
    for part in ("第一联", "第二联", "第三联", "第1页共3页", "第3页共3页"):
        assert part in text


def test_training_documents_are_watermarked(demo_hall: DemoHall) -> None:
    import dataclasses

    source: Any = _source(demo_hall, demo_hall.serials[DocumentKind.LOSS_RECEIPT])
    training = dataclasses.replace(
        source, transaction=dataclasses.replace(source.transaction, training=True)
    )
    pdf = render(training, demo_hall.letterhead)
    pdfs.render_png(pdf, keep_as="loss_receipt_training")
    assert "【培训业务，凭证无效】" in pdfs.text(pdf)
    assert "培训业务" not in pdfs.text(render(source, demo_hall.letterhead))


def test_the_demo_secret_is_said_on_the_voucher(demo_hall: DemoHall) -> None:
    source = _source(demo_hall, demo_hall.serials[DocumentKind.LOSS_RECEIPT])
    assert "演示密钥" in pdfs.text(render(source, demo_hall.letterhead))
    import dataclasses

    real = dataclasses.replace(demo_hall.letterhead, secret="hall-own", demo_secret=False)
    assert "演示密钥" not in pdfs.text(render(source, real))


def test_the_ledger_pdf(demo_hall: DemoHall) -> None:
    from medins_desk.services.ledger import daily_ledger
    from printing.ledger_pdf import ledger_pdf

    with demo_hall.store.sessions() as session:
        ledger = daily_ledger(session, demo_hall.actor, day=datetime(2026, 11, 18).date())
    pdf = ledger_pdf(ledger, demo_hall.letterhead)
    pdfs.render_png(pdf, keep_as="ledger")
    count = pdfs.page_count(pdf)
    text = _flat(pdfs.text(pdf))
    assert f"第1页共{count}页" in text and f"第{count}页共{count}页" in text
    assert "复核员/主管签字" in text and "未日结" in text
    for row in ledger.rows:
        assert row.serial in text
        if row.id_number:
            assert "*" in row.id_number and _flat(row.id_number) in text
    assert ledger.void_count and "作废：" in text
    for total in (*ledger.by_kind, *ledger.by_clerk, *ledger.by_counter):
        assert _flat(total.label) in text
    assert [f for f in pdfs.fonts(pdf) if f["emb"] != "yes"] == []
    # A long summary is cut with "…" inside its cell, never over the table's right rule.
    from printing.ledger_pdf import COLUMNS, MARGIN
    from printing.sheet import mm

    table_right = MARGIN + sum(width for _, width in COLUMNS) * mm
    pieces = pdfs.text_pieces(pdf)
    assert any(piece.text.endswith("…") for piece in pieces)
    widest = max(pieces, key=lambda piece: piece.right)
    assert widest.right <= table_right, widest


# ---------------------------------------------------------------------------------------------
# 参保登记 and its acts (issue 13): what each voucher must say, with its codes decoded


def _read(hall: DemoHall, serial: str, keep_as: str) -> tuple[Any, str]:
    """The voucher of ``serial`` as a person sees it: both codes decoded, the text flattened."""
    source = _source(hall, serial)
    pdf = render(source, hall.letterhead)
    symbols = pdfs.decode(pdfs.render_png(pdf, keep_as=keep_as))
    assert f"CODE-128:{serial}" in symbols, symbols
    assert f"QR-Code:{payload_for(source.transaction, hall.letterhead)}" in symbols, symbols
    text = _flat(pdfs.text(pdf))
    assert source.id_number not in text, "a receipt the citizen takes home shows the number masked"
    assert mask_identity_number(source.id_number) in text
    return source, text


def test_a_newborn_enrolled_on_the_birth_certificate(demo_hall: DemoHall) -> None:
    source, text = _read(demo_hall, demo_hall.acts["newborn"], "enrollment_receipt_newborn")
    assert isinstance(source, EnrollmentReceipt) and source.enrollment is not None
    facts = source.enrollment
    assert source.id_number == BIRTH_CERTIFICATE and source.id_kind_label == "出生医学证明"
    assert "城乡居民医保参保登记回执" in text and "出生医学证明编号" in text
    assert source.guardian_name and source.guardian_id_number
    assert source.guardian_name in text and source.guardian_id_number not in text
    assert mask_identity_number(source.guardian_id_number) in text
    # Covered from birth, and the rule that says so.
    assert f"待遇享受起始日{_day(source.birth_date)}" in text and _flat(facts.benefit_rule) in text
    assert "连续享受" in text and "此前发生的医疗费用" not in text
    # 一次性告知: the start has passed, so no date to bring them by.
    assert "一次性告知" in text and "请尽快携带到本大厅任一窗口补齐" in text
    assert all(_flat(m) in text for m in facts.missing_materials)
    assert "监护人签字：" in text


def test_a_resident_is_told_what_to_bring_by_the_benefit_start(demo_hall: DemoHall) -> None:
    source, text = _read(demo_hall, demo_hall.acts["resident"], "enrollment_receipt_resident")
    assert isinstance(source, EnrollmentReceipt) and source.enrollment is not None
    facts = source.enrollment
    assert facts.benefit_start == date(2027, 1, 1) and facts.missing_materials
    assert "在集中缴费期" in text and "外地户籍" in text
    assert "请于2027年01月01日前携带到本大厅任一窗口补齐" in text
    assert all(_flat(m) in text for m in facts.missing_materials)
    assert "待遇享受起始日为2027年01月01日，此前发生的医疗费用" in text
    assert "参保人（代办人）签字：" in text


def test_an_employee_going_on_as_an_individual(demo_hall: DemoHall) -> None:
    source, text = _read(demo_hall, demo_hall.acts["continuation"], "enrollment_receipt_employee")
    assert isinstance(source, EnrollmentReceipt) and source.enrollment is not None
    assert "职工医保参保登记回执" in text and "职工医保（离职后个人续保）" in text
    assert "原参保截止日期2026年11月17日" in text and "待遇连续享受" in text
    assert "一次性告知" not in text  # everything was brought


def test_suspend_and_resume_print_their_receipts(demo_hall: DemoHall) -> None:
    suspended, text = _read(demo_hall, demo_hall.acts["suspend"], "enrollment_change_suspend")
    assert isinstance(suspended, EnrollmentChangeReceipt)
    assert "参保状态变更回执（暂停参保）" in text and "参保缴费→暂停" in text
    assert "最后参保日2026年11月17日" in text and _flat(suspended.reason) in text
    resumed, text = _read(demo_hall, demo_hall.acts["resume"], "enrollment_change_resume")
    assert isinstance(resumed, EnrollmentChangeReceipt)
    assert "参保状态变更回执（恢复参保）" in text and "暂停→参保缴费" in text
    assert "生效日期2026年12月01日" in text and "最后参保日" not in text


def test_a_refund_request_and_its_review(demo_hall: DemoHall) -> None:
    import dataclasses

    request, text = _read(demo_hall, demo_hall.acts["refund_request"], "refund_request")
    assert isinstance(request, RefundReceipt) and request.missing_materials
    assert "城乡居民医保退费申请回执" in text and "待复核" in text
    assert "请于2027年01月01日前携带到本大厅任一窗口补齐，逾期不能退费" in text
    assert all(_flat(m) in text for m in request.missing_materials)
    review, text = _read(demo_hall, demo_hall.acts["refund_review"], "refund_review")
    assert isinstance(review, RefundReceipt) and review.reviewer_name and review.review_comment
    assert "城乡居民医保退费复核结果通知" in text and "已核准退费" in text and "准予退费" in text
    assert review.reviewer_name in text and _flat(review.review_comment) in text
    assert "一次性告知" not in text  # approved: nothing more to bring
    rejected = dataclasses.replace(review, state=RefundState.REJECTED, state_label="已驳回")
    text = _flat(pdfs.text(render(rejected, demo_hall.letterhead)))
    assert "不予退费" in text and "一次性告知" in text


def test_the_card_handover_has_the_line_where_the_collector_signs(demo_hall: DemoHall) -> None:
    import dataclasses

    serial = demo_hall.serials[DocumentKind.CARD_HANDOVER]
    source, text = _read(demo_hall, serial, "card_handover_self")
    assert isinstance(source, CardHandoverReceipt) and source.representative is None
    assert "社会保障卡领取凭证" in text and "本人领取" in text
    assert "本人已领取上述社会保障卡，卡面信息核对无误。领卡人签字：" in text
    agent = RepresentativeView(
        role=RepresentativeRole.AGENT, role_label="代办人", name="刘德明",
        masked_id_number="110105********0031", relation="同事", phone="13800138000",
    )  # fmt: skip
    text = _flat(pdfs.text(render(dataclasses.replace(source, representative=agent),
                                  demo_hall.letterhead)))  # fmt: skip
    assert "代办人代领" in text and "刘德明" in text and "110105********0031" in text
    assert "本人受参保人委托代为领取上述社会保障卡" in text and "代领人签字：" in text
