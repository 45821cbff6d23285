"""Real poppler, zbar and CUPS for the printing tests: no mocks.

``pdf_tools`` checks that pdftoppm, pdftotext, pdffonts, zbarimg and mutool are installed (the test
command installs them); ``cups_pdf_queue`` starts cupsd unless one runs, adds a CUPS-PDF queue
with lpadmin and tells where the printed PDFs land (``~/PDF`` of the submitting user, which is
CUPS-PDF's default ``Out``). Without the tools a test is skipped on a developer machine, and
fails under CI=true: CI must never pass by skipping.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

QUEUE = "MEDINS_TEST_PDF"
PDF_TOOLS = ("pdftoppm", "pdftotext", "pdffonts", "zbarimg", "mutool")
CUPS_TOOLS = ("cupsd", "lpadmin", "lp", "lpstat")
CUPS_PDF_PPD = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"


def _require(tools: tuple[str, ...], package_hint: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    message = f"missing {', '.join(missing)} (Debian: {package_hint})"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pdf_tools() -> None:
    _require(PDF_TOOLS, "poppler-utils zbar-tools mupdf-tools")


def _scheduler_running() -> bool:
    result = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, check=False)
    return result.returncode == 0 and "not running" not in result.stdout


@dataclass(frozen=True)
class CupsQueue:
    name: str
    out_dir: Path  # where CUPS-PDF writes what it prints

    def wait_for_job(self, job_id: str, timeout_s: float = 60.0) -> Path:
        """The PDF that CUPS-PDF wrote for ``job_id`` ("MEDINS_TEST_PDF-7")."""
        number = job_id.rsplit("-", 1)[-1]
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = sorted(self.out_dir.glob(f"*job_{number}.pdf"))
            # CUPS-PDF writes then closes: wait for the job to leave the queue as well.
            done = subprocess.run(["lpstat", "-o", self.name], capture_output=True, text=True)
            if found and job_id not in done.stdout:
                return found[-1]
            time.sleep(0.2)
        raise AssertionError(f"CUPS-PDF did not write job {job_id} into {self.out_dir}")


@pytest.fixture(scope="session")
def cups_pdf_queue() -> Iterator[CupsQueue]:
    _require(CUPS_TOOLS, "cups printer-driver-cups-pdf")
    if not Path("/usr/lib/cups/backend/cups-pdf").exists():
        _require(("cups-pdf backend",), "printer-driver-cups-pdf")
    started: subprocess.Popen[bytes] | None = None
    if not _scheduler_running():
        started = subprocess.Popen(
            ["cupsd", "-f"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 20
        while not _scheduler_running():
            if time.monotonic() > deadline or started.poll() is not None:
                raise AssertionError("cupsd did not start")
            time.sleep(0.2)
    subprocess.run(
        ["lpadmin", "-p", QUEUE, "-v", "cups-pdf:/", "-E", "-m", CUPS_PDF_PPD], check=True
    )
    out_dir = Path(pwd.getpwuid(os.getuid()).pw_dir) / "PDF"
    try:
        yield CupsQueue(QUEUE, out_dir)
    finally:
        subprocess.run(["lpadmin", "-x", QUEUE], check=False)
        if started is not None:
            started.terminate()
            started.wait(timeout=20)
