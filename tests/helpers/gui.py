"""The main window serving a citizen, as most GUI tests begin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.voucher import sign_voucher_payload
from medins_desk.services.persons import PersonDetail, get_person
from medins_desk.settings import Settings
from printing.vouchers import PrintOutcome
from tests.helpers import pdfs
from tests.helpers.cups import CupsQueue
from tests.helpers.people import register
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.vouchers import VoucherBar


def registered(desk: Desk, **person: Any) -> PersonDetail:
    """A person registered by the desk's clerk (tests.helpers.people.register), as a page."""
    clerk = desk.actor("clerk")
    with desk.session() as session:
        added = register(session, clerk, **person).person
        return get_person(session, clerk, person_id=added.id)


def serving(
    qtbot: QtBot,
    context: AppContext,
    person: PersonDetail,
    view: Callable[[MainWindow], QWidget] | None = None,
) -> MainWindow:
    """A shown main window serving ``person``, on ``view`` (e.g. ``lambda w: w.loss``)."""
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.serve(person)
    if view is not None:
        window.show_view(window.views.indexOf(view(window)))
    return window


def print_and_read_codes(
    qtbot: QtBot, window: MainWindow, bar: VoucherBar, queue: CupsQueue
) -> set[str]:
    """Ctrl+P on the voucher of ``bar``'s act: the codes read back (zbarimg) from the page CUPS-PDF
    printed, as "CODE-128:…" and "QR-Code:…"."""
    with qtbot.waitSignal(bar.desk.printed, timeout=60_000) as blocker:
        window.print_voucher()  # Ctrl+P
    outcome = blocker.args[0]
    assert isinstance(outcome, PrintOutcome)
    assert outcome.printed and outcome.job is not None, outcome.describe()
    printed = queue.wait_for_job(outcome.job.job_id).read_bytes()
    return pdfs.decode(pdfs.render_png(printed))


def voucher_qr(settings: Settings, serial: str, kind: BusinessKind) -> str:
    """What zbarimg reads from the QR of ``serial``'s voucher at the counter of ``settings``."""
    payload = sign_voucher_payload(
        settings.hall_secret, serial=serial, hall_code=settings.hall_code, kind=kind
    )
    return f"QR-Code:{payload}"


# Lists of the whole hall's business, not of the citizen served: they name many people.
HALL_WIDE = {"cases", "ledger", "queue"}


def texts_showing(window: MainWindow, needles: tuple[str, ...]) -> list[str]:
    """Every text a widget of the window shows that contains one of ``needles``."""
    found = []
    for widget in window.findChildren(QWidget):
        top = widget.window()
        if widget.objectName() in HALL_WIDE or (top is not window and not top.isVisible()):
            continue  # a hall-wide list, or a dialog already closed
        texts: list[str] = []
        if isinstance(widget, QLabel | QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QTableWidget):
            for row in range(widget.rowCount()):
                for column in range(widget.columnCount()):
                    item = widget.item(row, column)
                    if item is not None:
                        texts.append(item.text())
        for text in texts:
            if any(needle and needle in text for needle in needles):
                found.append(f"{widget.objectName() or type(widget).__name__}: {text}")
    return found
