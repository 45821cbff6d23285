"""Sending a PDF to a system printer: the only platform-specific module of ``printing``.

Linux and macOS print through CUPS ``lp``; Windows is not wired yet and says so. Every failure is
a :class:`PrinterError` with a Chinese message: callers have archived the voucher before
printing, so a failure never loses the business, and 补打 prints it later.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

from medins_desk.errors import UserFacingError

LP_TIMEOUT_S = 30


class PrinterError(UserFacingError):
    """The printer or the print system refused the job (打印失败)."""


@dataclass(frozen=True)
class PrintJob:
    printer: str
    job_id: str  # CUPS "PDF-12"


def print_pdf(pdf: bytes, *, printer: str = "", title: str, media: str = "A4") -> PrintJob:
    """Queue ``pdf`` on ``printer`` (empty: the system default printer)."""
    if sys.platform == "win32":
        raise PrinterError(
            "本版本在 Windows 上尚不能直接打印：请导出 PDF 后打印。凭证已存档，可随时补打"
        )
    return _print_cups(pdf, printer=printer, title=title, media=media)


def list_printers() -> list[str]:
    """The system's printer queues (CUPS ``lpstat -e``); none without CUPS or on Windows."""
    if sys.platform == "win32" or shutil.which("lpstat") is None:
        return []
    result = _run(["lpstat", "-e"])
    if result.returncode != 0:
        return []
    return sorted(result.stdout.decode("utf-8", "replace").split())


def _run(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            args, input=stdin, capture_output=True, timeout=LP_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise PrinterError(
            f"打印系统无响应（{LP_TIMEOUT_S} 秒未返回）；凭证已存档，可稍后补打"
        ) from None


def _detail(result: subprocess.CompletedProcess[bytes]) -> str:
    return (result.stderr or result.stdout).decode("utf-8", "replace").strip()


def _print_cups(pdf: bytes, *, printer: str, title: str, media: str) -> PrintJob:
    if shutil.which("lp") is None or shutil.which("lpstat") is None:
        raise PrinterError("未安装 CUPS 打印系统（lp 命令），无法打印；凭证已存档，可稍后补打")
    if printer:
        state = _run(["lpstat", "-p", printer])
        text = _detail(state)
        if "scheduler is not running" in text.lower() or "connect" in text.lower():
            raise PrinterError("打印服务（CUPS）未运行，无法打印；凭证已存档，可稍后补打")
        if state.returncode != 0:
            raise PrinterError(
                f"打印机「{printer}」不存在，请检查打印机设置；凭证已存档，可稍后补打"
            )
        if "disabled" in text:
            raise PrinterError(
                f"打印机「{printer}」已停用或脱机（缺纸、卡纸或未连接），请检查打印机；"
                "凭证已存档，可稍后补打"
            )
    args = ["lp", "-t", title, "-o", f"media={media}"]
    if printer:
        args += ["-d", printer]
    result = _run([*args, "-"], stdin=pdf)
    text = _detail(result)
    if result.returncode != 0:
        if "scheduler is not running" in text.lower():
            raise PrinterError("打印服务（CUPS）未运行，无法打印；凭证已存档，可稍后补打")
        if "no default destination" in text.lower():
            raise PrinterError("未设置默认打印机，请在设置中指定打印机；凭证已存档，可稍后补打")
        raise PrinterError(f"打印失败（{text or '未知原因'}）；凭证已存档，可稍后补打")
    found = re.search(r"request id is (\S+)", text)
    return PrintJob(printer=printer, job_id=found.group(1) if found else "")
