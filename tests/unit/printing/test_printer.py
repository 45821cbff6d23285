"""The Windows print path's decisions, which are plain functions: what the spooler's status
bits and the shell's error codes tell the clerk, and how spooled PDFs are kept for the reader
application that prints them after print_pdf returns. (CUPS is tested against a real queue in
tests/integration/printing.)"""

from __future__ import annotations

import os
from pathlib import Path

from printing.printer import (
    SPOOL_KEEP_S,
    spool_file,
    windows_shell_error,
    windows_status_problem,
)

OFFLINE, PAPER_OUT, PAPER_JAM, PAUSED = 0x80, 0x10, 0x08, 0x01
PRINTING, WARMING_UP = 0x400, 0x10000  # busy, not a problem


def test_a_ready_or_busy_printer_has_no_problem() -> None:
    assert windows_status_problem("柜台A4", 0) is None
    assert windows_status_problem("柜台A4", PRINTING | WARMING_UP) is None


def test_each_stopping_state_is_named_in_chinese_and_the_voucher_is_safe() -> None:
    assert windows_status_problem("柜台A4", PAPER_OUT) == (
        "打印机「柜台A4」缺纸，请检查打印机；凭证已存档，可稍后补打"
    )
    both = windows_status_problem("柜台A4", OFFLINE | PAPER_JAM | PRINTING)
    assert both == "打印机「柜台A4」脱机、卡纸，请检查打印机；凭证已存档，可稍后补打"
    assert "已暂停" in (windows_status_problem("票据机", PAUSED) or "")


def test_no_pdf_reader_for_printto_says_what_to_install() -> None:
    for code in (31, 1155):  # SE_ERR_NOASSOC, ERROR_NO_ASSOCIATION
        assert "请安装 PDF 阅读器" in windows_shell_error(code, "No application is associated")
    unknown = windows_shell_error(1223, "The operation was canceled by the user.")
    assert unknown.startswith("无法打印：系统错误 1223") and unknown.endswith("可稍后补打")


def test_a_spooled_pdf_outlives_the_call_and_old_ones_are_removed(tmp_path: Path) -> None:
    old = spool_file(b"%PDF old", folder=tmp_path, title="1101052026111800100001 挂失回执")
    day_ago = old.stat().st_mtime - SPOOL_KEEP_S - 60
    os.utime(old, (day_ago, day_ago))
    recent = spool_file(b"%PDF recent", folder=tmp_path, title="x")
    new = spool_file(b"%PDF new", folder=tmp_path, title="1101052026111800100002 回执/../..")
    assert not old.exists()
    assert recent.read_bytes() == b"%PDF recent" and new.read_bytes() == b"%PDF new"
    # The title becomes a safe file name inside the spool folder, whatever it holds.
    assert new.parent == tmp_path and new.name.startswith("1101052026111800100002_")
