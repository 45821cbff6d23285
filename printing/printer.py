"""Sending a PDF to a system printer: the only platform-specific module of ``printing``.

Linux and macOS print through CUPS ``lp``. Windows asks the spooler (pywin32's win32print) for
the printer's state, then hands the file to the PDF reader the machine has registered for
printing (the shell's ``printto`` verb: Adobe Reader, 福昕阅读器, SumatraPDF all take it).
Every failure is a :class:`PrinterError` with a Chinese message: callers have archived the
voucher before printing, so a failure never loses the business, and 补打 prints it later.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from medins_desk.errors import UserFacingError
from medins_desk.settings import APP_NAME

LP_TIMEOUT_S = 30
LATER = "凭证已存档，可稍后补打"
NO_DEFAULT = f"未设置默认打印机，请在设置中指定打印机；{LATER}"


class PrinterError(UserFacingError):
    """The printer or the print system refused the job (打印失败)."""


def _not_found(printer: str) -> PrinterError:
    return PrinterError(f"打印机「{printer}」不存在，请检查打印机设置；{LATER}")


@dataclass(frozen=True)
class PrintJob:
    printer: str
    job_id: str  # CUPS "PDF-12"; empty on Windows, where the PDF reader queues the job


def print_pdf(pdf: bytes, *, printer: str = "", title: str, media: str = "A4") -> PrintJob:
    """Queue ``pdf`` on ``printer`` (empty: the system default printer) once
    :func:`check_printer` finds it ready."""
    name = check_printer(printer)
    if sys.platform == "win32":
        return _print_windows(pdf, printer=name, title=title)
    return _print_cups(pdf, printer=name, title=title, media=media)


def check_printer(printer: str = "") -> str:
    """The printer a job for ``printer`` goes to (empty: the system default) when it can take
    one now; otherwise a :class:`PrinterError` saying why: no print system, no such printer,
    no default, stopped, offline, out of paper. The status bar asks this too."""
    if sys.platform == "win32":
        return _check_windows(printer)
    return _check_cups(printer)


def list_printers() -> list[str]:
    """The system's printers: CUPS ``lpstat -e``, or the Windows spooler's local and network
    printers; none without a print system."""
    if sys.platform == "win32":
        import win32print

        flags = win32print.PRINTER_ENUM_LOCAL | win32print.PRINTER_ENUM_CONNECTIONS
        return sorted(p["pPrinterName"] for p in win32print.EnumPrinters(flags, None, 4))
    if shutil.which("lpstat") is None:
        return []
    result = _run(["lpstat", "-e"])
    if result.returncode != 0:
        return []
    return sorted(result.stdout.decode("utf-8", "replace").split())


# Windows spooler status bits (PRINTER_INFO_2.Status), worst first, with what the clerk is told.
_WINDOWS_PROBLEMS = (
    (0x00000080, "脱机"),  # PRINTER_STATUS_OFFLINE
    (0x00001000, "不可用"),  # PRINTER_STATUS_NOT_AVAILABLE
    (0x00000010, "缺纸"),  # PRINTER_STATUS_PAPER_OUT
    (0x00000008, "卡纸"),  # PRINTER_STATUS_PAPER_JAM
    (0x00000040, "需要人工处理（如缺纸、开盖）"),  # PRINTER_STATUS_PAPER_PROBLEM
    (0x00100000, "需要人工处理"),  # PRINTER_STATUS_USER_INTERVENTION
    (0x00040000, "缺墨粉"),  # PRINTER_STATUS_NO_TONER
    (0x00400000, "门盖打开"),  # PRINTER_STATUS_DOOR_OPEN
    (0x00000001, "已暂停"),  # PRINTER_STATUS_PAUSED
    (0x00000002, "出错"),  # PRINTER_STATUS_ERROR
)


def windows_status_problem(printer: str, status: int) -> str | None:
    """Why the spooler's ``status`` bits stop a job on ``printer``, in Chinese; None if ready."""
    found = [text for bit, text in _WINDOWS_PROBLEMS if status & bit]
    if not found:
        return None
    return f"打印机「{printer}」{'、'.join(found)}，请检查打印机；{LATER}"


# Errors of ShellExecute's "printto" (Win32 error codes as pywin32 raises them).
_SHELL_ERRORS = {
    2: "找不到要打印的临时文件",  # ERROR_FILE_NOT_FOUND
    5: "没有权限启动 PDF 阅读器",  # ERROR_ACCESS_DENIED
    31: "本机没有能打印 PDF 的程序（请安装 PDF 阅读器，如福昕阅读器或 Adobe Reader）",
    1155: "本机没有能打印 PDF 的程序（请安装 PDF 阅读器，如福昕阅读器或 Adobe Reader）",
}


def windows_shell_error(code: int, detail: str) -> str:
    """The Chinese message for ShellExecute("printto") failing with Win32 error ``code``."""
    reason = _SHELL_ERRORS.get(code, f"系统错误 {code}：{detail}")
    return f"无法打印：{reason}；{LATER}"


# How long a spooled PDF is kept for the reader application that prints it asynchronously.
SPOOL_KEEP_S = 24 * 3600


def spool_file(pdf: bytes, *, folder: Path, title: str, now: float | None = None) -> Path:
    """Write ``pdf`` where the Windows PDF reader can open it after this call returns, and
    remove spooled files older than a day (the reader has printed them long since)."""
    folder.mkdir(parents=True, exist_ok=True)
    limit = (time.time() if now is None else now) - SPOOL_KEEP_S
    for old in folder.glob("*.pdf"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except OSError:
            pass  # a reader still has it open: next time
    safe = re.sub(r"[^0-9A-Za-z_-]+", "_", title)[:60] or "voucher"
    handle, name = tempfile.mkstemp(prefix=f"{safe}-", suffix=".pdf", dir=folder)
    with open(handle, "wb") as stream:
        stream.write(pdf)
    return Path(name)


if sys.platform == "win32":

    def _check_windows(printer: str) -> str:
        import pywintypes
        import win32print

        try:
            name = printer or win32print.GetDefaultPrinter()
        except pywintypes.error:
            raise PrinterError(NO_DEFAULT) from None
        try:
            handle = win32print.OpenPrinter(name)
        except pywintypes.error:
            raise _not_found(name) from None
        try:
            status = win32print.GetPrinter(handle, 2)["Status"]
        finally:
            win32print.ClosePrinter(handle)
        problem = windows_status_problem(name, status)
        if problem is not None:
            raise PrinterError(problem)
        return name

    def _print_windows(pdf: bytes, *, printer: str, title: str) -> PrintJob:
        import platformdirs
        import pywintypes
        import win32api
        import win32con

        folder = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "spool"
        path = spool_file(pdf, folder=folder, title=title)
        try:
            win32api.ShellExecute(
                0, "printto", str(path), f'"{printer}"', str(folder), win32con.SW_HIDE
            )
        except pywintypes.error as error:
            raise PrinterError(windows_shell_error(error.winerror, error.strerror)) from None
        return PrintJob(printer=printer, job_id="")


def _run(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    # CUPS translates its messages; they are read here, so they are asked for untranslated.
    env = {**os.environ, "LC_ALL": "C"}
    try:
        return subprocess.run(
            args, input=stdin, capture_output=True, timeout=LP_TIMEOUT_S, check=False, env=env
        )
    except subprocess.TimeoutExpired:
        raise PrinterError(f"打印系统无响应（{LP_TIMEOUT_S} 秒未返回）；{LATER}") from None


def _detail(result: subprocess.CompletedProcess[bytes]) -> str:
    return (result.stderr or result.stdout).decode("utf-8", "replace").strip()


def _no_scheduler(text: str) -> bool:
    return "scheduler is not running" in text.lower()


CUPS_DOWN = f"打印服务（CUPS）未运行，无法打印；{LATER}"


def _check_cups(printer: str) -> str:
    if shutil.which("lp") is None or shutil.which("lpstat") is None:
        raise PrinterError(f"未安装 CUPS 打印系统（lp 命令），无法打印；{LATER}")
    if not printer:
        text = _detail(_run(["lpstat", "-d"]))
        if _no_scheduler(text):
            raise PrinterError(CUPS_DOWN)
        default = re.search(r"system default destination: (\S+)", text)
        if default is None:
            raise PrinterError(NO_DEFAULT)
        printer = default.group(1)
    state = _run(["lpstat", "-p", printer])
    text = _detail(state)
    if _no_scheduler(text) or "connect" in text.lower():
        raise PrinterError(CUPS_DOWN)
    if state.returncode != 0:
        raise _not_found(printer)
    if "disabled" in text:
        raise PrinterError(
            f"打印机「{printer}」已停用或脱机（缺纸、卡纸或未连接），请检查打印机；{LATER}"
        )
    return printer


def _print_cups(pdf: bytes, *, printer: str, title: str, media: str) -> PrintJob:
    result = _run(["lp", "-d", printer, "-t", title, "-o", f"media={media}", "-"], stdin=pdf)
    text = _detail(result)
    if result.returncode != 0:
        if _no_scheduler(text):
            raise PrinterError(CUPS_DOWN)
        raise PrinterError(f"打印失败（{text or '未知原因'}）；{LATER}")
    found = re.search(r"request id is (\S+)", text)
    return PrintJob(printer=printer, job_id=found.group(1) if found else "")
