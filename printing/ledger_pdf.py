"""日结台账 PDF (A4 landscape: eleven columns do not fit a portrait page legibly).

Totals per business, clerk and counter first, then every transaction in serial order with the
identity number masked (unless the supervisor asked for full numbers, which the service audits),
voided ones marked; "第 N 页 共 M 页" on each page, the supervisor's close signature at the end.
Rows have a fixed height, so the page count is known before drawing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from medins_desk.domain.business import TransactionStatus
from medins_desk.services.ledger import Ledger, LedgerRow, LedgerTotal
from printing.documents import Letterhead, yuan
from printing.sheet import (
    BODY_SIZE,
    GREY,
    LINE,
    SMALL_SIZE,
    TITLE_SIZE,
    clip,
    draw_text,
    mm,
    new_canvas,
)

PAGE: tuple[float, float] = landscape(A4)
MARGIN = 14 * mm
ROW = 5.6 * mm
HEAD_TOP = 24 * mm  # from the top margin to the first table row
FOOT = 12 * mm
SIGN = 30 * mm  # the close signature area on the last page
# (heading, width in mm); the widths add up to the inner width of the landscape page.
COLUMNS: Sequence[tuple[str, float]] = (
    ("序号", 11), ("业务流水号", 44), ("办理时间", 17), ("业务类型", 26), ("姓名", 22),
    ("社会保障号码", 38), ("窗口", 11), ("经办人", 18), ("金额（元）", 20), ("状态", 14),
    ("作废原因/摘要", 48.0),
)  # fmt: skip


def _rows_per_page(first: bool, totals_height: float) -> int:
    height = PAGE[1] - 2 * MARGIN - HEAD_TOP - FOOT - (totals_height if first else 0)
    return max(1, int(height // ROW) - 1)  # one row for the column headings


def _totals_height(ledger: Ledger) -> float:
    lines = max(len(ledger.by_kind), len(ledger.by_clerk), len(ledger.by_counter)) + 2
    return lines * ROW + 8 * mm


def ledger_pdf(ledger: Ledger, letterhead: Letterhead) -> bytes:
    """The day's ledger as PDF bytes."""
    totals_h = _totals_height(ledger)
    rows = ledger.rows
    pages: list[tuple[int, int]] = []  # (first row, end row) per page
    start, first = 0, True
    while start < len(rows) or not pages:
        end = min(len(rows), start + _rows_per_page(first, totals_h))
        pages.append((start, end))
        start, first = end, False
    last_used = HEAD_TOP + FOOT + ROW * (pages[-1][1] - pages[-1][0] + 1)
    if len(pages) == 1:
        last_used += totals_h
    if PAGE[1] - 2 * MARGIN - last_used < SIGN:
        pages.append((len(rows), len(rows)))  # the signature gets a page of its own
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, PAGE, f"日结台账 {ledger.hall_code} {ledger.business_day:%Y-%m-%d}")
    for number, (begin, end) in enumerate(pages, start=1):
        y = _page_head(canvas, ledger, letterhead, number, len(pages))
        if number == 1:
            y = _totals(canvas, ledger, y)
        if end > begin or number == 1:
            y = _table(canvas, rows, begin, end, y)
        if number == len(pages):
            _signature(canvas, ledger, y)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _page_head(canvas: Canvas, ledger: Ledger, lh: Letterhead, number: int, count: int) -> float:
    width, height = PAGE
    top = height - MARGIN
    draw_text(canvas, width / 2, top - 8 * mm, "日结台账", TITLE_SIZE, align="center", bold=True)
    status = (
        f"已日结（{ledger.closed_by_name}，{ledger.closed_at:%Y-%m-%d %H:%M}）"
        if ledger.closed and ledger.closed_at
        else "未日结"
    )
    ids = "完整证件号码（已记入审计日志）" if ledger.full_ids else "证件号码已脱敏"
    info = (
        f"{lh.hall_name}（{ledger.hall_code}）  业务日期：{ledger.business_day:%Y年%m月%d日}  "
        f"{status}  {ids}"
    )
    draw_text(canvas, MARGIN, top - 16 * mm, info, SMALL_SIZE + 1)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, MARGIN + 6 * mm, width - MARGIN, MARGIN + 6 * mm)
    draw_text(canvas, MARGIN, MARGIN + 2 * mm, lh.agency_name, SMALL_SIZE)
    draw_text(
        canvas, width - MARGIN, MARGIN + 2 * mm, f"第 {number} 页 共 {count} 页", SMALL_SIZE,
        align="right",
    )  # fmt: skip
    return top - HEAD_TOP


def _totals(canvas: Canvas, ledger: Ledger, y: float) -> float:
    inner = PAGE[0] - 2 * MARGIN
    col = inner / 3
    sections: list[tuple[str, Sequence[LedgerTotal]]] = [
        ("按业务类型", ledger.by_kind),
        ("按经办人", ledger.by_clerk),
        ("按窗口", ledger.by_counter),
    ]
    for index, (title, totals) in enumerate(sections):
        x = MARGIN + index * col
        lines = [
            (title, "笔数", "金额"),
            *((t.label, str(t.count), yuan(t.fee_fen)) for t in totals),
        ]
        _grid(canvas, x, y, [col * 0.5 - 4, col * 0.2, col * 0.3 - 4], lines, header=True)
    bottom = y - (max(len(s[1]) for s in sections) + 1) * ROW
    summary = (
        f"合计：正常业务 {ledger.total.count} 笔，收费 {yuan(ledger.total.fee_fen)}；"
        f"作废 {ledger.void_count} 笔（不计入合计）"
    )
    draw_text(canvas, MARGIN, bottom - 5 * mm, summary, BODY_SIZE, bold=True)
    return y - _totals_height(ledger)


def _grid(
    canvas: Canvas,
    x: float,
    y: float,
    widths: Sequence[float],
    lines: Sequence[Sequence[str]],
    *,
    header: bool,
    size: float = SMALL_SIZE,
) -> None:
    canvas.setLineWidth(LINE)
    total = sum(widths)
    if header:
        canvas.setFillGray(GREY)
        canvas.rect(x, y - ROW, total, ROW, stroke=0, fill=1)
        canvas.setFillGray(0)
    for index, line in enumerate(lines):
        top = y - index * ROW
        left = x
        for text, w in zip(line, widths, strict=True):
            canvas.rect(left, top - ROW, w, ROW, stroke=1, fill=0)
            bold = header and index == 0
            shown = text if bold else clip(text, size, w - 3 * mm)
            draw_text(canvas, left + 1.5 * mm, top - ROW + 1.7 * mm, shown, size, bold=bold)
            left += w


def _cells(index: int, row: LedgerRow) -> list[str]:
    void = row.status is TransactionStatus.VOID
    note = f"作废：{row.void_reason or ''}" if void else row.summary
    return [
        str(index),
        row.serial,
        f"{row.created_at:%H:%M:%S}",
        row.kind.label,
        row.person_name or "—",
        row.id_number or "—",
        row.counter_no,
        row.clerk_name,
        yuan(row.fee_fen).removesuffix(" 元"),
        row.status.label,
        note,
    ]


def _table(canvas: Canvas, rows: Sequence[LedgerRow], begin: int, end: int, y: float) -> float:
    widths = [w * mm for _, w in COLUMNS]
    lines = [[name for name, _ in COLUMNS]]
    lines += [_cells(i + 1, rows[i]) for i in range(begin, end)]
    _grid(canvas, MARGIN, y, widths, lines, header=True)
    # Voided lines struck through, as a clerk would on paper.
    canvas.setLineWidth(0.5)
    for offset, i in enumerate(range(begin, end), start=1):
        if rows[i].status is TransactionStatus.VOID:
            mid = y - offset * ROW - ROW / 2
            canvas.line(MARGIN, mid, MARGIN + sum(widths[:-1]), mid)
    return y - len(lines) * ROW


def _signature(canvas: Canvas, ledger: Ledger, y: float) -> None:
    y -= 12 * mm
    closer = ledger.closed_by_name or ""
    when = f"{ledger.closed_at:%Y-%m-%d %H:%M}" if ledger.closed_at else ""
    draw_text(canvas, MARGIN, y, f"日结人：{closer}", BODY_SIZE)
    draw_text(canvas, MARGIN + 70 * mm, y, f"日结时间：{when}", BODY_SIZE)
    draw_text(canvas, MARGIN + 150 * mm, y, "复核员/主管签字：", BODY_SIZE)
    canvas.setLineWidth(LINE)
    canvas.line(MARGIN + 185 * mm, y - 1.5, PAGE[0] - MARGIN, y - 1.5)
    draw_text(canvas, MARGIN + 150 * mm, y - 9 * mm, "日期：      年    月    日", BODY_SIZE)
