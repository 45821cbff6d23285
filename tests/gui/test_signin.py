"""登录 and 首次启动 on a real store, offscreen."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from medins_desk.domain.roles import Role
from tests.helpers.store import PASSWORD, Desk
from ui.context import AppContext
from ui.signin import SignInDialog


def _dialog(qtbot: QtBot, context: AppContext) -> SignInDialog:
    dialog = SignInDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok.isEnabled)
    return dialog


def test_an_empty_store_asks_for_the_first_administrator(
    qtbot: QtBot, app_context: AppContext
) -> None:
    dialog = _dialog(qtbot, app_context)
    assert dialog.first_start
    assert dialog.display_name.isVisible() and dialog.again.isVisible()
    dialog.username.setText("admin")
    dialog.display_name.setText("赵敏")
    dialog.password.setText("Admin2026!")
    dialog.again.setText("Admin2026?")
    dialog.ok.click()
    assert "不一致" in dialog.message.text()
    dialog.again.setText("Admin2026!")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.ok.click()
    actor = app_context.require_actor()
    assert actor.role is Role.ADMIN and actor.display_name == "赵敏"


def test_a_wrong_password_says_how_many_tries_are_left_then_the_right_one_signs_in(
    qtbot: QtBot, desk: Desk, app_context: AppContext
) -> None:
    dialog = _dialog(qtbot, app_context)
    assert not dialog.first_start and not dialog.display_name.isVisible()
    dialog.username.setText("clerk")
    dialog.password.setText("wrong")
    dialog.ok.click()
    qtbot.waitUntil(lambda: "再错 4 次" in dialog.message.text(), timeout=10_000)
    assert dialog.password.text() == ""  # cleared for the next try
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.ok.click()
    assert app_context.require_actor().username == "clerk"


def test_the_lockout_message_names_the_minutes(
    qtbot: QtBot, desk: Desk, app_context: AppContext
) -> None:
    dialog = _dialog(qtbot, app_context)
    dialog.username.setText("clerk")
    for _ in range(5):
        dialog.password.setText("wrong")
        dialog.ok.click()
        qtbot.waitUntil(dialog.ok.isEnabled, timeout=10_000)
    assert "锁定" in dialog.message.text() and "15 分钟" in dialog.message.text()
    dialog.password.setText(PASSWORD)
    dialog.ok.click()
    qtbot.waitUntil(lambda: "分钟后再试" in dialog.message.text(), timeout=10_000)
    assert dialog.result() != dialog.DialogCode.Accepted


def test_empty_fields_are_refused_at_the_field(
    qtbot: QtBot, desk: Desk, app_context: AppContext
) -> None:
    dialog = _dialog(qtbot, app_context)
    dialog.ok.click()
    assert dialog.message.text() == "请输入用户名"
    dialog.username.setText("clerk")
    dialog.ok.click()
    assert dialog.message.text() == "请输入密码"
