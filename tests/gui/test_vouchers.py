"""Every act ends with its voucher: archived at once, previewed, printed on a real CUPS-PDF
queue from a worker (Ctrl+P), 补打 from the person's history, and a missing printer loses
nothing. The printed PDFs are read back with pdftotext and zbarimg."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from medins_desk.domain.correction import CorrectionField
from medins_desk.services.persons import get_person
from medins_desk.store.models import Voucher
from printing.vouchers import PrintOutcome
from tests.helpers import pdfs
from tests.helpers.cups import CupsQueue
from tests.helpers.gui import registered, serving
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("pdf_tools")


def _phone_changed(qtbot: QtBot, desk: Desk, context: AppContext) -> tuple[MainWindow, str]:
    """A window serving 张三 whose phone change was just done (a correction confirmation)."""
    window = serving(qtbot, context, registered(desk, name="张三"), lambda w: w.correction)
    view = window.correction
    view.new[CorrectionField.PHONE].setText("13800138000")
    view.reason.setText("本人更换手机号码")
    view.submit.click()
    bar = view.voucher_bar
    qtbot.waitUntil(lambda: bar.voucher is not None, timeout=15_000)
    assert bar.voucher is not None
    return window, bar.voucher.serial


def _red_pixels(png: Path) -> int:
    """Ghostscript (CUPS-PDF) drops the Chinese text layer, so the red 补打 stamp is looked
    for as a person would: red ink on the page."""
    with Image.open(png) as image:
        data = image.convert("RGB").tobytes()
    return sum(
        1 for i in range(0, len(data), 3) if data[i] > 150 and data[i + 1] < 90 and data[i + 2] < 90
    )


def _print(qtbot: QtBot, window: MainWindow, signal: object) -> PrintOutcome:
    with qtbot.waitSignal(signal, timeout=60_000) as blocker:
        window.print_voucher()  # what Ctrl+P triggers
    outcome = blocker.args[0]
    assert isinstance(outcome, PrintOutcome)
    return outcome


def test_the_act_archives_its_voucher_and_ctrl_p_prints_it_then_a_second_is_a_reprint(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, cups_pdf_queue: CupsQueue
) -> None:
    signed_in.settings = dataclasses.replace(signed_in.settings, printer=cups_pdf_queue.name)
    window, serial = _phone_changed(qtbot, desk, signed_in)
    bar = window.correction.voucher_bar
    assert "参保信息变更确认单" in bar.status.text() and serial in bar.status.text()
    assert bar.print_button.hasFocus()  # Enter prints
    with desk.session() as session:
        assert session.scalar(select(func.count()).select_from(Voucher)) == 1

    # The print system is asked at start, in a worker: the queue is ready.
    qtbot.waitUntil(lambda: "（就绪）" in window.printer_status.text(), timeout=10_000)
    assert window.printer_status.text() == f"打印机：{cups_pdf_queue.name}（就绪）"
    outcome = _print(qtbot, window, bar.desk.printed)
    assert outcome.printed and outcome.job is not None, outcome.describe()
    assert outcome.describe() in bar.status.text()
    assert "上次打印已送出" in window.printer_status.text()
    printed = pdfs.render_png(cups_pdf_queue.wait_for_job(outcome.job.job_id).read_bytes())
    assert f"CODE-128:{serial}" in pdfs.decode(printed)
    assert _red_pixels(printed) == 0  # the original: no 补打 stamp

    outcome = _print(qtbot, window, bar.desk.printed)
    assert outcome.printed and outcome.job is not None
    again = pdfs.render_png(cups_pdf_queue.wait_for_job(outcome.job.job_id).read_bytes())
    assert f"CODE-128:{serial}" in pdfs.decode(again)
    assert _red_pixels(again) > 500  # the red 补打 stamp
    with desk.session() as session:  # still the one archived document
        assert session.scalar(select(func.count()).select_from(Voucher)) == 1


def test_preview_shows_the_archived_pages(qtbot: QtBot, desk: Desk, signed_in: AppContext) -> None:
    window, serial = _phone_changed(qtbot, desk, signed_in)
    bar = window.correction.voucher_bar
    bar.preview_button.click()
    qtbot.waitUntil(lambda: bar.dialog is not None and bar.dialog.isVisible(), timeout=15_000)
    assert bar.dialog is not None
    assert serial in bar.dialog.windowTitle()
    pixmap = bar.dialog.pages[0].pixmap()
    assert not pixmap.isNull() and pixmap.height() > pixmap.width()  # an A4 page, upright
    # Not white: the form's ink is there.
    image = pixmap.toImage()
    dark = sum(
        1
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
        if image.pixelColor(x, y).lightness() < 128
    )
    assert dark > 100


def test_a_missing_printer_keeps_the_voucher_and_history_prints_the_original_later(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, cups_pdf_queue: CupsQueue
) -> None:
    signed_in.settings = dataclasses.replace(signed_in.settings, printer="NO_SUCH_PRINTER")
    window, serial = _phone_changed(qtbot, desk, signed_in)
    bar = window.correction.voucher_bar
    outcome = _print(qtbot, window, bar.desk.printed)
    assert not outcome.printed
    assert "不存在" in bar.status.text() and "凭证已存档" in bar.status.text()
    qtbot.waitUntil(lambda: "不可用" in window.printer_status.text(), timeout=10_000)
    assert window.printer_status.text() == "打印机：NO_SUCH_PRINTER（不可用）（上次打印失败）"
    assert "打印机「NO_SUCH_PRINTER」不存在" in window.printer_status.toolTip()
    with desk.session() as session:
        assert session.scalar(select(Voucher.sha256)) is not None

    # The printer is fixed; the person's page is opened again and the voucher printed from the
    # history: the original, since none came out; a second paper from there is a 补打.
    signed_in.settings = dataclasses.replace(signed_in.settings, printer=cups_pdf_queue.name)
    served = window.person_panel.person
    assert served is not None
    with desk.session() as session:
        detail = get_person(session, desk.actor("clerk"), person_id=served.id)
    window.serve(detail)
    window.show_view(window.views.indexOf(window.lookup))
    panel = window.person_panel
    assert not panel.print_button.isEnabled()
    row = [line.serial for line in detail.transactions].index(serial)
    panel.history.selectRow(row)
    assert panel.print_button.isEnabled()
    outcome = _print(qtbot, window, panel.vouchers.printed)  # Ctrl+P: nothing done in this view
    assert outcome.printed and outcome.job is not None, outcome.describe()
    original = pdfs.render_png(cups_pdf_queue.wait_for_job(outcome.job.job_id).read_bytes())
    assert f"CODE-128:{serial}" in pdfs.decode(original)
    assert _red_pixels(original) == 0
    outcome = _print(qtbot, window, panel.vouchers.printed)
    assert outcome.printed and outcome.job is not None and "补打" in outcome.describe()
    reprinted = pdfs.render_png(cups_pdf_queue.wait_for_job(outcome.job.job_id).read_bytes())
    assert _red_pixels(reprinted) > 500
    with desk.session() as session:
        assert session.scalar(select(Voucher.printed_at)) is not None


def test_ctrl_p_with_nothing_to_print_says_so(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    window = MainWindow(signed_in)
    qtbot.addWidget(window)
    window.show()
    window.print_voucher()
    assert "当前没有凭证" in window.statusBar().currentMessage()
