"""办理进度查询 in the person panel: the served citizen's open matters, and the 办理进度告知单
recorded as an act and printed on a real CUPS-PDF queue, its Code128 decoded."""

from __future__ import annotations

import dataclasses

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.card import CardApplicationKind
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.persons import get_person
from medins_desk.store.models import Transaction
from printing.vouchers import PrintOutcome
from tests.helpers import pdfs
from tests.helpers.cups import CupsQueue
from tests.helpers.gui import registered, serving
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk
from ui.context import AppContext

pytestmark = pytest.mark.usefixtures("pdf_tools")


def test_the_panel_shows_open_matters_and_prints_the_notice(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, cups_pdf_queue: CupsQueue
) -> None:
    signed_in.settings = dataclasses.replace(signed_in.settings, printer=cups_pdf_queue.name)
    person = registered(desk, name="张三")
    clerk = desk.actor("clerk")
    with desk.session() as session:
        apply_for_card(
            session, clerk, person_id=person.id, kind=CardApplicationKind.FIRST,
            photo=valid_photo(),
        )  # fmt: skip
        person = get_person(session, clerk, person_id=person.id)
    window = serving(qtbot, signed_in, person)
    panel = window.person_panel
    qtbot.waitUntil(lambda: "社保卡申领（首次申领）" in panel.matters.text(), timeout=10_000)
    assert "申领受理" in panel.matters.text() and "制卡" in panel.matters.text()

    with qtbot.waitSignal(panel.vouchers.printed, timeout=60_000) as blocker:
        panel.notice_button.click()
    outcome = blocker.args[0]
    assert isinstance(outcome, PrintOutcome)
    assert outcome.printed and outcome.job is not None, outcome.describe()
    with desk.session() as session:
        serial = session.scalar(
            select(Transaction.serial).where(Transaction.kind == BusinessKind.PROGRESS_NOTICE)
        )
    assert serial is not None
    printed = pdfs.render_png(cups_pdf_queue.wait_for_job(outcome.job.job_id).read_bytes())
    assert f"CODE-128:{serial}" in pdfs.decode(printed)
    # The notice is in the citizen's history like any act.
    qtbot.waitUntil(lambda: panel.selected_serial() == serial, timeout=10_000)


def test_nothing_open_is_said_plainly(qtbot: QtBot, desk: Desk, signed_in: AppContext) -> None:
    window = serving(qtbot, signed_in, registered(desk, name="李四"))
    panel = window.person_panel
    qtbot.waitUntil(lambda: panel.matters.text() == "在办事项：无", timeout=10_000)
    assert panel.notice_button.isEnabled()
