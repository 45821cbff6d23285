"""Every document as a person sees it: rendered by pdftoppm, codes read by zbarimg, text read
by pdftotext, fonts listed by pdffonts. A PNG of each is kept in tests/artifacts/printing/."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from medins_desk.domain.identity import mask_identity_number
from medins_desk.services.card_application import CardApplicationReceipt
from medins_desk.services.correction import CorrectionReceipt
from medins_desk.services.loss_report import LossReceipt
from medins_desk.services.transfer import ContactLetter, InfoForm, TransferCertificate
from medins_desk.services.vouchers import DocumentKind, VoucherSource, voucher_source
from printing.documents import payload_for, render, yuan
from tests.helpers import pdfs
from tests.integration.printing.conftest import DemoHall

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
        if not isinstance(source, TransferCertificate | ContactLetter | InfoForm)
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
    if isinstance(source, LossReceipt):
        return [
            *common, source.kind_label, source.card_number or "—", source.person_name,
            mask_identity_number(source.id_number), source.state_before_label,
            source.state_after_label, txn.clerk_name, "发卡银行",
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
        yuan(source.transferred_balance_fen), source.to_agency, _day(source.contact_letter_date),
        "经办机构盖章",
    ]  # fmt: skip


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
