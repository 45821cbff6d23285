"""参保人查询 in the main window: results as the clerk types, Enter opens the person."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.helpers.people import make_id, register
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow


def _window(qtbot: QtBot, context: AppContext) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    return window


def _people(desk: Desk) -> None:
    with desk.session() as session:
        clerk = desk.actor("clerk")
        register(session, clerk, name="张三", sequence=1)
        register(session, clerk, name="张珊珊", sequence=2, birth=date(1990, 3, 4))
        register(session, clerk, name="李四", sequence=3)


def test_typing_initials_lists_people_with_masked_numbers(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    _people(desk)
    window = _window(qtbot, signed_in)
    view = window.lookup
    qtbot.keyClicks(view.search, "zs")
    qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=10_000)
    names = {view.table.item(row, 0).text() for row in range(2)}
    assert names == {"张三", "张珊珊"}
    assert all("*" in view.table.item(row, 1).text() for row in range(2))
    assert "找到 2 人" in view.status.text()


def test_a_whole_number_and_enter_open_the_person_in_the_side_panel(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    _people(desk)
    window = _window(qtbot, signed_in)
    view = window.lookup
    number = make_id(date(1980, 5, 17), sequence=3)
    qtbot.keyClicks(view.search, number.lower())
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.person_panel.person is not None, timeout=10_000)
    assert window.person_panel.title.text().startswith("李四")
    assert number in window.person_panel.details.text()  # the person's own page: in full


def test_no_match_says_so_and_clearing_empties_the_list(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    _people(desk)
    window = _window(qtbot, signed_in)
    view = window.lookup
    qtbot.keyClicks(view.search, "qqq")
    qtbot.waitUntil(lambda: "没有找到" in view.status.text(), timeout=10_000)
    view.search.clear()
    qtbot.waitUntil(lambda: view.status.text() == "", timeout=10_000)
    assert view.table.rowCount() == 0


def test_status_bar_shows_the_database_and_the_clerk(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    window = _window(qtbot, signed_in)
    assert "SQLite" in window.database_status.text()
    assert "测试clerk" in window.user_status.text() and "001 号窗口" in window.user_status.text()
    assert window.views.currentWidget() is window.lookup
