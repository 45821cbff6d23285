"""Every glyph on every document is a real glyph: no .notdef (a box on paper, 豆腐块) and an
outline for every character but a space, read from MuPDF's trace and the embedded font
programs. pdftotext cannot see a box: it reads the ToUnicode map.

Each registered document kind is rendered from a demo result with texts that stress the fonts;
a kind registered without a stress sample here fails until it has one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from medins_desk.domain.benefits import RefundState
from medins_desk.domain.business import TransactionStatus
from medins_desk.domain.card import RepresentativeRole
from medins_desk.domain.contributions import ContributionSummary, YearMonths
from medins_desk.domain.medical_filing import FilingKind
from medins_desk.domain.retirement import BenefitRule, RetirementOutcome, shortfall_payment
from medins_desk.services.cards import RepresentativeView
from medins_desk.services.ledger import daily_ledger
from medins_desk.services.persons import FilingLine
from medins_desk.services.progress import Matter
from medins_desk.services.transactions import TransactionInfo
from medins_desk.services.vouchers import DocumentKind, VoucherSource, voucher_source
from printing.documents import LAYOUTS, Letterhead, render
from printing.ledger_pdf import ledger_pdf
from printing.reprint import stamp_reprint
from tests.helpers import pdfs
from tests.integration.printing.conftest import DemoHall

pytestmark = pytest.mark.usefixtures("pdf_tools")

DOT_NAME = "阿依古丽·买买提"  # the middle dot of a minority name
EXT_B_NAME = "王𠮷"  # CJK Extension B
BEYOND_GB2312 = ("张喆", "李堃", "王玥", "陈珺")  # common in names given since 1990
PUNCTUATION = "（），、。：；！？“”‘’《》「」【】〔〕…—·〇￥～"
ADDRESS = (  # 60 characters
    "新疆维吾尔自治区乌鲁木齐市天山区解放北路〇〇二号院（东门）"
    "“一站式”服务大厅三楼【医保窗口】——请取号后在休息区等候叫号"
)
PERIODS = ((date(1999, 7, 1), date(2011, 6, 30)), (date(2011, 7, 1), None))
LETTERHEAD = Letterhead(
    hall_name="天山区社会保险服务大厅·综合窗口（二〇二六—示范）",
    agency_name="乌鲁木齐市天山区医疗保障事业管理局〔二〇二六〕",
    agency_address=ADDRESS,
    agency_phone="０９９１－８８６６２０１４",
    secret="glyph-test",
    demo_secret=True,
)


def _transaction(txn: TransactionInfo) -> TransactionInfo:
    # Training and void: both watermarks, and the 【培训】 line.
    return dataclasses.replace(
        txn, clerk_name=BEYOND_GB2312[2], training=True, status=TransactionStatus.VOID
    )


def _representative() -> RepresentativeView:
    return RepresentativeView(
        role=RepresentativeRole.GUARDIAN, role_label="监护人", name=DOT_NAME,
        masked_id_number="650102********0015", relation="母亲", phone="13999120014",
    )  # fmt: skip


def _card(source: Any) -> Any:
    return dataclasses.replace(
        source, person_name=EXT_B_NAME, representative=_representative(),
        replacement_reason_label=f"损坏——芯片失效{PUNCTUATION}", old_card_number="650100D15600000X",
        manual_personalisation=True, instant=False,
    )  # fmt: skip


def _loss(source: Any) -> Any:
    return dataclasses.replace(
        source, person_name=BEYOND_GB2312[0], representative=_representative(),
        bank_notice=f"请于二〇二六年内到发卡银行办理金融功能挂失——{PUNCTUATION}",
    )  # fmt: skip


def _correction(source: Any) -> Any:
    request = dataclasses.replace(
        source.requests[0],
        rows=tuple(
            dataclasses.replace(row, before=BEYOND_GB2312[1], after=DOT_NAME)
            for row in source.requests[0].rows
        ),
        reason=f"户籍登记有误——以公安机关证明为准{PUNCTUATION}",
        reviewed_by_name=BEYOND_GB2312[3],
        reviewed_at=datetime(2026, 11, 18, 10, 0),
        review_comment=f"经核对《居民户口簿》无误{PUNCTUATION}",
    )
    return dataclasses.replace(source, person_name=EXT_B_NAME, requests=(request,))


def _transfer_fields(name: str) -> dict[str, Any]:
    return {
        "name": name, "agency_name": LETTERHEAD.agency_name, "agency_address": ADDRESS,
        "agency_phone": LETTERHEAD.agency_phone,
    }  # fmt: skip


def _certificate(source: Any) -> Any:
    return dataclasses.replace(
        source, **_transfer_fields(DOT_NAME), enrollment_periods=PERIODS,
        destination_agency=f"喀什地区医疗保障局（{PUNCTUATION}）",
    )  # fmt: skip


def _contact_letter(source: Any) -> Any:
    return dataclasses.replace(
        source, **_transfer_fields(EXT_B_NAME), origin_periods=PERIODS[:1],
        to_agency=f"伊犁哈萨克自治州医疗保障局（{PUNCTUATION}）",
    )  # fmt: skip


def _info_form(source: Any) -> Any:
    return dataclasses.replace(
        source, **_transfer_fields(BEYOND_GB2312[0]), enrollment_periods=PERIODS,
        to_agency=f"和田地区医疗保障局（{PUNCTUATION}）",
    )  # fmt: skip


def _handover(source: Any) -> Any:
    return dataclasses.replace(
        source, person_name=BEYOND_GB2312[0], representative=_representative()
    )


MATERIALS = (f"居民户口簿（迁出证明）{PUNCTUATION}", f"非本地户籍的：居住证——{ADDRESS}")


def _enrollment(source: Any) -> Any:
    facts = dataclasses.replace(
        source.enrollment, category_label=f"城乡居民（新生儿）〔{PUNCTUATION}〕",
        benefit_rule=f"出生之日起 3 个月内（至 2026-12-30）参保缴费——{PUNCTUATION}",
        materials=MATERIALS, missing_materials=(*MATERIALS, "监护人居民身份证"),
        birth_certificate_number="P510123456", last_covered=date(2026, 8, 31),
    )  # fmt: skip
    return dataclasses.replace(
        source, person_name=EXT_B_NAME, guardian_name=DOT_NAME,
        household_label=f"外地户籍（{ADDRESS}）", enrollment=facts,
    )  # fmt: skip


def _enrollment_change(source: Any) -> Any:
    return dataclasses.replace(
        source, person_name=BEYOND_GB2312[3], reason=f"到外地就业——转移医保关系{PUNCTUATION}"
    )


def _refund(source: Any) -> Any:
    # The review's result, rejected: the verdict and the 一次性告知 both print.
    return dataclasses.replace(
        source, person_name=DOT_NAME, note=f"户口迁往喀什——{PUNCTUATION}",
        materials=MATERIALS[:1], missing_materials=MATERIALS, state=RefundState.REJECTED,
        state_label="已驳回", reviewer_name=BEYOND_GB2312[1],
        reviewed_at=datetime(2026, 11, 18, 15, 0), review_comment=f"缺迁出证明〔{PUNCTUATION}〕",
    )  # fmt: skip


def _progress(source: Any) -> Any:
    matter = Matter(
        business=f"医保关系转入（{LETTERHEAD.agency_name}）",
        stage="联系函已发出",
        since=date(2026, 11, 2),
        serial="11010520261102001" + "00007",
        next_step=f"等待转出地回传信息表——{PUNCTUATION}",
    )
    return dataclasses.replace(source, person_name=EXT_B_NAME, matters=(matter, matter))


def _rewrite(source: Any) -> Any:
    return dataclasses.replace(
        source, person_name=DOT_NAME, region_before_name=f"〇〇——{PUNCTUATION}",
        region_after_name=LETTERHEAD.agency_name,
    )  # fmt: skip


def _medical_filing(source: Any) -> Any:
    # Every row at once: the replaced filing of a change and the cancel's date and reason.
    replaced = FilingLine(
        id=1, kind=FilingKind.WORK_ELSEWHERE, destination=f"喀什地区（{PUNCTUATION}）",
        starts_on=date(2025, 3, 1), last_day=date(2026, 11, 17), state_label="已变更",
        live=False, serial=source.transaction.serial,
    )  # fmt: skip
    return dataclasses.replace(
        source, person_name=EXT_B_NAME, province_name="新疆维吾尔自治区",
        city_name="伊犁哈萨克自治州", materials=MATERIALS, missing_materials=MATERIALS,
        replaced=replaced, ends_from=date(2026, 12, 1), reason=f"回参保地居住——{PUNCTUATION}",
    )  # fmt: skip


def _pledge(source: Any) -> Any:
    # A guardian for a minor heir, every material missing: both print.
    return dataclasses.replace(
        source, person_name=EXT_B_NAME, heir_name=DOT_NAME, guardian=_representative(),
        death_proof_label=f"户口注销证明〔{PUNCTUATION}〕", bank_name=LETTERHEAD.agency_name,
        enrollment_label=f"职工医保（参保终止——{PUNCTUATION}）",
        materials=MATERIALS[:1], missing_materials=MATERIALS,
    )  # fmt: skip


def _decision(source: Any) -> Any:
    return dataclasses.replace(
        source, person_name=EXT_B_NAME, pledge=_pledge(source.pledge),
        submitted_by_name=BEYOND_GB2312[0], reviewer_name=BEYOND_GB2312[1],
        review_comment=f"亲属关系证明与户口簿一致——{PUNCTUATION}",
    )  # fmt: skip


def _insurance_certificate(source: Any) -> Any:
    # Four decades of months: the month tables run over a page.
    periods = tuple(
        dataclasses.replace(
            source.periods[0], insurance=f"职工医保（灵活就业人员）{PUNCTUATION}", status=status
        )
        for status in ("已转入本地", "参保缴费", "暂停", "终止")
    )
    years = tuple(YearMonths(year, tuple(range(1, 13))) for year in range(1985, 2027))
    contributions = ContributionSummary(
        total=504, local=300, transferred=180, deemed=24, first="1985-01", last="2026-12",
        continuous=504, interrupted=0, years=years,
    )  # fmt: skip
    return dataclasses.replace(
        source, name=DOT_NAME, purpose=f"购房贷款〔{PUNCTUATION[:12]}〕", periods=periods,
        contributions=contributions, agency_name=LETTERHEAD.agency_name,
    )  # fmt: skip


def _retirement(source: Any) -> Any:
    # A lump sum: the benefit lines and the payment notice print together, amounts grouped.
    return dataclasses.replace(
        source, person_name=DOT_NAME, outcome=RetirementOutcome.LUMP_SUM,
        outcome_label=f"{RetirementOutcome.LUMP_SUM.label}〔{PUNCTUATION[:10]}〕",
        benefit_rule_label=BenefitRule.NEXT_MONTH.label, benefit_start=date(2026, 12, 1),
        shortfall=119, payment=shortfall_payment(119, 9_999_999), deemed_from="1982-08",
        deemed_to="1996-12", covered=True,
    )  # fmt: skip


# A new document kind fails test_every_document_kind_draws_only_real_glyphs until it is here.
STRESSED: dict[DocumentKind, Callable[[Any], Any]] = {
    DocumentKind.CARD_RECEIPT: _card,
    DocumentKind.CARD_RECEIPT_80MM: _card,
    DocumentKind.LOSS_RECEIPT: _loss,
    DocumentKind.CORRECTION_CONFIRMATION: _correction,
    DocumentKind.TRANSFER_CERTIFICATE: _certificate,
    DocumentKind.CONTACT_LETTER: _contact_letter,
    DocumentKind.INFO_FORM: _info_form,
    DocumentKind.CARD_HANDOVER: _handover,
    DocumentKind.ENROLLMENT_RECEIPT: _enrollment,
    DocumentKind.ENROLLMENT_CHANGE_RECEIPT: _enrollment_change,
    DocumentKind.REFUND_RECEIPT: _refund,
    DocumentKind.PROGRESS_NOTICE: _progress,
    DocumentKind.CARD_REWRITE_RECEIPT: _rewrite,
    DocumentKind.MEDICAL_FILING_RECEIPT: _medical_filing,
    DocumentKind.INHERITANCE_PLEDGE: _pledge,
    DocumentKind.INHERITANCE_DECISION: _decision,
    DocumentKind.INSURANCE_CERTIFICATE: _insurance_certificate,
    DocumentKind.RETIREMENT_RECEIPT: _retirement,
}


def _stressed(hall: DemoHall, kind: DocumentKind) -> VoucherSource:
    layout = LAYOUTS[kind]
    serial = next(
        serial
        for known, serial in hall.serials.items()
        if LAYOUTS[known].source_type is layout.source_type
    )
    with hall.store.sessions() as session:
        source = voucher_source(session, hall.actor, serial=serial)
    assert kind in STRESSED, f"{kind}: a registered document kind without a stress sample"
    stressed = STRESSED[kind](source)
    result: VoucherSource = dataclasses.replace(
        stressed, transaction=_transaction(stressed.transaction)
    )
    return result


def _assert_real_glyphs(pdf: bytes, what: str) -> None:
    faults = pdfs.glyph_faults(pdf)
    assert not faults, f"{what}: {faults}"
    assert pdfs.drawn_glyphs(pdf), f"{what}: no text traced"


def test_every_document_kind_is_registered() -> None:
    assert set(LAYOUTS) == set(DocumentKind)


@pytest.mark.parametrize("kind", list(LAYOUTS))
def test_every_document_kind_draws_only_real_glyphs(
    demo_hall: DemoHall, kind: DocumentKind
) -> None:
    source = _stressed(demo_hall, kind)
    pdf = render(source, LETTERHEAD, receipt_80mm=LAYOUTS[kind].receipt_80mm)
    pdfs.render_png(pdf, keep_as=f"glyphs_{kind.value}")
    _assert_real_glyphs(pdf, kind.label)
    assert not pdfs.text_off_the_page(pdf), f"{kind.label}: text past the paper's edge"
    name = getattr(source, "person_name", None) or getattr(source, "name", "")
    assert name in "".join(pdfs.text(pdf).split()), "the stress did not reach the paper"
    # The 补打 stamp is laid over the same pages.
    reprint = stamp_reprint(pdf, datetime(2026, 11, 19, 9, 0))
    _assert_real_glyphs(reprint, f"{kind.label}（补打）")


def test_the_ledger_draws_only_real_glyphs(demo_hall: DemoHall) -> None:
    with demo_hall.store.sessions() as session:
        ledger = daily_ledger(session, demo_hall.actor, day=date(2026, 11, 18))
    names = (DOT_NAME, EXT_B_NAME, *BEYOND_GB2312)
    rows = tuple(
        dataclasses.replace(
            row, person_name=names[index % len(names)], clerk_name=BEYOND_GB2312[index % 4],
            summary=f"{ADDRESS}{PUNCTUATION}", void_reason=f"录入有误——{PUNCTUATION}",
        )
        for index, row in enumerate(ledger.rows)
    )  # fmt: skip
    clerks = tuple(
        dataclasses.replace(total, label=BEYOND_GB2312[index % 4])
        for index, total in enumerate(ledger.by_clerk)
    )
    stressed = dataclasses.replace(ledger, rows=rows, by_clerk=clerks, closed_by_name=DOT_NAME)
    pdf = ledger_pdf(stressed, LETTERHEAD)
    pdfs.render_png(pdf, keep_as="glyphs_ledger")
    _assert_real_glyphs(pdf, "日结台账")
