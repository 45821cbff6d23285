"""锁屏: idle time locks the counter, the clerk's password unlocks it, input is kept."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.helpers.store import PASSWORD, Desk
from ui.context import AppContext
from ui.main_window import MainWindow


def test_idle_locks_and_the_password_unlocks_with_the_search_text_kept(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    window = MainWindow(signed_in)
    qtbot.addWidget(window)
    window.show()
    window.idle_lock.timer.setInterval(200)  # instead of minutes
    qtbot.keyClicks(window.lookup.search, "zs")
    window.idle_lock.timer.start()
    qtbot.waitUntil(lambda: window.lock_dialog is not None, timeout=5_000)
    dialog = window.lock_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()  # Esc
    assert dialog.isVisible()
    dialog.password.setText("wrong")
    dialog.ok.click()
    qtbot.waitUntil(lambda: "再错 4 次" in dialog.message.text(), timeout=10_000)
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.ok.click()
    assert window.lock_dialog is None
    assert window.lookup.search.text() == "zs"
    assert window.idle_lock.timer.isActive()


def test_typing_keeps_the_counter_unlocked(qtbot: QtBot, desk: Desk, signed_in: AppContext) -> None:
    window = MainWindow(signed_in)
    qtbot.addWidget(window)
    window.show()
    window.idle_lock.timer.setInterval(400)
    window.idle_lock.timer.start()
    for _ in range(6):
        qtbot.wait(150)
        qtbot.keyClicks(window.lookup.search, "z")
    assert window.lock_dialog is None


def test_the_counter_locks_after_ten_idle_minutes_by_default(
    qtbot: QtBot, desk: Desk, signed_in: AppContext
) -> None:
    window = MainWindow(signed_in)
    qtbot.addWidget(window)
    window.show()
    assert window.idle_lock.timer.isActive()
    assert window.idle_lock.timer.interval() == 10 * 60_000
