"""Benchmark: a card application receipt (text, Code128, QR, embedded CJK subset) and a
2,000-transaction ledger PDF.

- the first voucher in a fresh process, font registration included (measured in a child
  process started from here, so nothing is warm); imports are reported apart;
- then the median of many vouchers, interleaved with a bare ReportLab canvas script drawing the
  same strings, the same Code128 bars and QR modules with the same font: the layout code may
  cost at most 2x that;
- the ledger PDF of 2,000 transactions.

    python tests/bench/vouchers.py [--rounds N]     (exit 1 when a target is missed)
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta

FIRST_MS, MEDIAN_MS, RATIO, LEDGER_S = 300.0, 25.0, 2.0, 5.0


def _receipt():  # type: ignore[no-untyped-def]
    from medins_desk.domain.business import BusinessKind, TransactionStatus
    from medins_desk.domain.card import CardApplicationKind
    from medins_desk.services.card_application import CardApplicationReceipt
    from medins_desk.services.transactions import TransactionInfo

    txn = TransactionInfo(
        serial="1101052026111800100042", kind=BusinessKind.CARD_APPLICATION,
        business_day=date(2026, 11, 18), created_at=datetime(2026, 11, 18, 10, 5, 0),
        hall_code="110105", counter_no="001", clerk_username="clerk1", clerk_name="李秀英",
        fee_fen=2000, summary="补领社会保障卡 王建国", status=TransactionStatus.NORMAL,
        training=False,
    )  # fmt: skip
    return CardApplicationReceipt(
        transaction=txn, application_id=1, card_id=1, kind=CardApplicationKind.REISSUE,
        kind_label=CardApplicationKind.REISSUE.label, replacement_reason=None,
        replacement_reason_label=None, instant=False, person_name="王建国",
        id_number="11010519491231002X", sex_label="男", representative=None, fee_fen=2000,
        expected_pickup_date=date(2026, 12, 9), card_number=None, card_expiry_date=None,
        manual_personalisation=False, old_card_number="A00000019",
    )  # fmt: skip


def _letterhead():  # type: ignore[no-untyped-def]
    from medins_desk.settings import Settings
    from printing.documents import Letterhead

    return Letterhead.from_settings(Settings(database_url="sqlite://"))


def first_voucher_child() -> None:
    """Run in a fresh process: import, then time the first voucher (fonts load inside)."""
    start = time.perf_counter()
    from printing.documents import render

    imported = time.perf_counter()
    receipt, letterhead = _receipt(), _letterhead()
    begin = time.perf_counter()
    render(receipt, letterhead)
    done = time.perf_counter()
    print(f"{(done - begin) * 1000:.1f} {(imported - start) * 1000:.1f}")


def bare_voucher(strings: list[str], serial: str, payload: str) -> bytes:
    """The same strings, bars and modules on a bare canvas: no layout, no font fallback. Like
    the voucher, it embeds two faces: the title in 黑体, the rest in 宋体."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from printing.codes import _dark_runs, code128_modules, qr_matrix
    from printing.fonts import MAIN, song_face

    body = song_face().name
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1, initialFontName=MAIN)
    y = 700.0
    for index, text in enumerate(strings):
        canvas.setFont(MAIN if index == 0 else body, 10)
        canvas.drawString(60, y, text)
        canvas.rect(55, y - 5, 240, 18)
        y -= 20
    path = canvas.beginPath()
    modules = code128_modules(serial)
    for start, length in _dark_runs(modules):
        path.rect(50 + start * 1.1, 780, length * 1.1, 34)
    matrix = qr_matrix(payload)
    for r, row in enumerate(matrix):
        for start, length in _dark_runs(row):
            path.rect(470 + start * 2, 810 - r * 2, length * 2, 2)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _ledger(rows: int):  # type: ignore[no-untyped-def]
    from medins_desk.domain.business import BusinessKind, TransactionStatus
    from medins_desk.services.ledger import Ledger, LedgerRow, LedgerTotal

    kinds = list(BusinessKind)
    start = datetime(2026, 11, 18, 8, 30)
    lines = tuple(
        LedgerRow(
            serial=f"110105202611180{i % 3 + 1:02d}{i:05d}",
            created_at=start + timedelta(seconds=13 * i),
            kind=kinds[i % len(kinds)],
            person_name="张三丰",
            id_number="110105********002X",
            counter_no=f"{i % 3 + 1:03d}",
            clerk_username=f"clerk{i % 3 + 1}",
            clerk_name="李秀英",
            fee_fen=2000 if i % 7 == 0 else 0,
            status=TransactionStatus.VOID if i % 97 == 0 else TransactionStatus.NORMAL,
            void_reason="录入错误" if i % 97 == 0 else None,
            summary="补领社会保障卡 张三丰",
        )
        for i in range(rows)
    )
    total = LedgerTotal("total", "合计", rows, 0)
    return Ledger(
        hall_code="110105", business_day=date(2026, 11, 18), full_ids=False, rows=lines,
        by_kind=tuple(LedgerTotal(k.value, k.label, 1, 0) for k in kinds),
        by_clerk=(total,), by_counter=(total,), total=total, void_count=rows // 97,
        closed=False, closed_by_name=None, closed_at=None,
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--first-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_child:
        first_voucher_child()
        return 0

    firsts, imports = [], []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, __file__, "--first-child"], capture_output=True, text=True, check=True
        ).stdout.split()
        firsts.append(float(out[0]))
        imports.append(float(out[1]))
    first = statistics.median(firsts)

    from printing.documents import payload_for, render
    from printing.ledger_pdf import ledger_pdf

    receipt, letterhead = _receipt(), _letterhead()
    render(receipt, letterhead)  # warm
    strings = [
        "社会保障卡申领受理回执", letterhead.hall_name, "申领信息", "姓名", receipt.person_name,
        "性别", "男", "社会保障号码", "110105********002X", "申领类型", "补领", "原卡号",
        "A00000019", "收费金额", "20.00 元", "预计领卡日期", "2026年12月09日", "经办人", "李秀英",
        "受理窗口", "001 号窗口", "办理时间", "2026-11-18 10:05:00", "温馨提示",
        "1. 请于 2026年12月09日 后，凭本回执及本人有效身份证件到本大厅领取社会保障卡；",
        "2. 制卡期间可凭业务流水号到任一窗口查询制卡进度。", "申请人（代办人）签字：",
        "经办人签字：", letterhead.agency_name, "扫描二维码可核验凭证真伪", "第 1 页 共 1 页",
    ]  # fmt: skip
    serial, payload = receipt.transaction.serial, payload_for(receipt.transaction, letterhead)
    bare_voucher(strings, serial, payload)
    ours, bare = [], []
    for _ in range(args.rounds):  # interleaved: both meet the same machine noise
        t = time.perf_counter()
        render(receipt, letterhead)
        ours.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        bare_voucher(strings, serial, payload)
        bare.append((time.perf_counter() - t) * 1000)
    median, bare_median = statistics.median(ours), statistics.median(bare)
    ratio = median / bare_median

    ledger = _ledger(2000)
    t = time.perf_counter()
    pdf = ledger_pdf(ledger, letterhead)
    ledger_s = time.perf_counter() - t

    apart = statistics.median(imports)
    checks = [
        (f"first voucher in a process (fonts included; imports {apart:.0f} ms apart)",
         f"{first:.0f} ms", f"< {FIRST_MS:.0f} ms", first < FIRST_MS),
        ("voucher median", f"{median:.1f} ms (bare ReportLab {bare_median:.1f} ms)",
         f"< {MEDIAN_MS:.0f} ms", median < MEDIAN_MS),
        ("voucher / bare ReportLab", f"{ratio:.2f}x", f"<= {RATIO:.1f}x", ratio <= RATIO),
        ("ledger PDF, 2,000 transactions", f"{ledger_s:.2f} s ({len(pdf) // 1024} KB)",
         f"< {LEDGER_S:.0f} s", ledger_s < LEDGER_S),
    ]  # fmt: skip
    for name, value, target, ok in checks:
        print(f"{'ok  ' if ok else 'MISS'} {name}: {value}  (target {target})")
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
