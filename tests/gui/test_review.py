"""复核 for a supervisor: the queue, approve, reject with a reason, never one's own."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from medins_desk.domain.correction import CorrectionField, CorrectionState, SupportingDocument
from medins_desk.services.correction import submit_correction
from medins_desk.store.models import CorrectionRequest, Person
from tests.helpers.people import register
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow

DOCS = (SupportingDocument.HOUSEHOLD_REGISTER, SupportingDocument.ID_CARD)


def _queue(desk: Desk) -> tuple[int, int]:
    """A name correction by the clerk and one by the supervisor: (clerk's id, own id)."""
    with desk.session() as session:
        first = register(session, desk.actor("clerk"), name="张三", sequence=1).person.id
        second = register(
            session, desk.actor("clerk"), name="李四", sequence=2, birth=date(1990, 3, 4)
        ).person.id
        by_clerk = submit_correction(
            session, desk.actor("clerk"), person_id=first, changes={CorrectionField.NAME: "张叁"},
            reason="姓名登记有误", documents=DOCS,
        )  # fmt: skip
        own = submit_correction(
            session, desk.actor("super"), person_id=second, changes={CorrectionField.NAME: "李泗"},
            reason="姓名登记有误", documents=DOCS,
        )  # fmt: skip
    return by_clerk.requests[0].id, own.requests[0].id


def _window(qtbot: QtBot, context: AppContext) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    assert window.review is not None
    window.show_view(window.views.indexOf(window.review))
    return window


def test_approve_the_clerks_request_but_not_ones_own(
    qtbot: QtBot, desk: Desk, supervisor: AppContext
) -> None:
    clerks, own = _queue(desk)
    window = _window(qtbot, supervisor)
    view = window.review
    assert view is not None
    qtbot.waitUntil(lambda: view.queue.count() == 2, timeout=10_000)
    rows = {view._requests[i].id: i for i in range(2)}
    view.queue.setCurrentRow(rows[own])
    assert not view.approve.isEnabled() and not view.reject.isEnabled()
    view.queue.setCurrentRow(rows[clerks])
    assert view.changes.item(0, 1).text() == "张三" and view.changes.item(0, 2).text() == "张叁"
    view.approve.click()
    qtbot.waitUntil(lambda: "已通过" in view.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: view.queue.count() == 1, timeout=10_000)
    with desk.session() as session:
        request = session.get(CorrectionRequest, clerks)
        assert request is not None and request.state is CorrectionState.APPLIED
        assert session.get(Person, request.person_id).name == "张叁"  # type: ignore[union-attr]


def test_rejecting_needs_a_reason(qtbot: QtBot, desk: Desk, supervisor: AppContext) -> None:
    clerks, _ = _queue(desk)
    window = _window(qtbot, supervisor)
    view = window.review
    assert view is not None
    qtbot.waitUntil(lambda: view.queue.count() == 2, timeout=10_000)
    view.queue.setCurrentRow(next(i for i, r in enumerate(view._requests) if r.id == clerks))
    view.reject.click()
    qtbot.waitUntil(lambda: "原因" in view.message.text(), timeout=10_000)
    view.comment.setText("户口簿复印件不清晰，请补交")
    view.reject.click()
    qtbot.waitUntil(lambda: "已驳回" in view.message.text(), timeout=10_000)
    with desk.session() as session:
        request = session.get(CorrectionRequest, clerks)
        assert request is not None and request.state is CorrectionState.REJECTED
