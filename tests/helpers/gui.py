"""The main window serving a citizen, as most GUI tests begin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from medins_desk.services.persons import PersonDetail, get_person
from tests.helpers.people import register
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow


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
