"""参保证明 and 参保缴费证明: the enrollment periods, and for the latter the months paid, year by
year, with their totals. The identity number is printed in full: the paper goes to a bank, an
employer or a school that must know whom it is about, and its QR lets them verify it."""

from __future__ import annotations

from medins_desk.domain.contributions import ContributionSummary, YearMonths
from medins_desk.domain.enrollment import format_months
from medins_desk.services.certificate import InsuranceCertificate
from medins_desk.services.vouchers import DocumentKind
from printing.documents import fields
from printing.documents.frame import Frame, Letterhead, a4_document
from printing.documents.registry import document
from printing.sheet import SMALL_SIZE, Block, Heading, Paragraph, SealArea, Table, fields_table

YEARS_PER_TABLE = 10  # a table is never split: one per decade keeps each on a page
PAID = "√"


@document(InsuranceCertificate, DocumentKind.INSURANCE_CERTIFICATE)
def insurance_certificate(cert: InsuranceCertificate, letterhead: Letterhead) -> bytes:
    """《参保证明》/《参保缴费证明》, one or more A4 pages."""
    person = [
        ("姓名", cert.name),
        ("性别", cert.sex_label),
        ("社会保障号码", cert.id_number),
        ("证明用途", cert.purpose or "—"),
    ]
    periods = Table(
        rows=[
            [
                p.insurance,
                p.region_code,
                fields.day(p.start),
                fields.day(p.end) if p.end else "至今",
                p.status,
            ]
            for p in cert.periods
        ],
        widths=[0.32, 0.14, 0.19, 0.19, 0.16],
        header=["险种（参保类别）", "参保地区划", "参保起始日期", "参保终止日期", "参保状态"],
    )
    blocks: list[Block] = [
        Paragraph(
            f"　　兹证明 {cert.name}（社会保障号码 {cert.id_number}）的基本医疗保险参保"
            + ("缴费" if cert.contributions is not None else "")
            + f"情况如下（截至 {fields.day(cert.issue_date)}）。"
        ),
        Heading("参保人员信息"),
        fields_table(person),
        Heading("参保记录"),
        periods,
    ]
    if cert.contributions is not None:
        blocks += _contributions(cert.contributions)
    blocks += [
        Paragraph(
            "本证明所列为开具之日本系统记载的参保"
            + ("缴费" if cert.contributions is not None else "")
            + "信息。扫描右上角二维码可向本机构核验本证明的真伪及是否已作废。"
        ),
        SealArea(cert.agency_name, fields.day(cert.issue_date)),
    ]
    return a4_document(Frame(cert.title, cert.transaction, letterhead), blocks)


def _contributions(c: ContributionSummary) -> list[Block]:
    if not c.total:
        return [Heading("缴费情况"), Paragraph("本系统无该参保人的缴费月份记录。")]
    totals = [
        ("累计缴费", format_months(c.total)),
        ("其中本地缴费", format_months(c.local) if c.local else "—"),
        ("转入", format_months(c.transferred) if c.transferred else "—"),
        ("视同缴费", format_months(c.deemed) if c.deemed else "—"),
        ("缴费起止月份", f"{c.first} 至 {c.last}"),
        ("末段连续缴费", format_months(c.continuous)),
        ("中断月数", f"{c.interrupted} 个月" if c.interrupted else "无"),
    ]
    blocks: list[Block] = [Heading("缴费情况"), fields_table(totals)]
    for start in range(0, len(c.years), YEARS_PER_TABLE):
        chunk = c.years[start : start + YEARS_PER_TABLE]
        heading = f"缴费月份（{PAID} 为有缴费记录的月份）"
        if start:
            heading += "（续）"
        blocks += [Heading(heading), _month_table(chunk)]
    return blocks


def _month_table(years: tuple[YearMonths, ...]) -> Table:
    header = ["年度", *(f"{m}月" for m in range(1, 13)), "月数"]
    rows = [
        [str(y.year), *(PAID if m in y.months else "" for m in range(1, 13)), str(y.count)]
        for y in years
    ]
    return Table(rows=rows, widths=[0.1] + [0.07] * 12 + [0.06], header=header, size=SMALL_SIZE)
