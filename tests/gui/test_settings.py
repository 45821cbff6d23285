"""设置 for an administrator: add a user, change a role, disable an account."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from medins_desk.domain.roles import Role
from medins_desk.settings import Settings
from medins_desk.store.models import User
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow


@pytest.fixture
def admin(qtbot: QtBot, desk: Desk, settings: Settings) -> Iterator[AppContext]:
    context = AppContext(settings)
    context.store = desk.store
    context.set_actor(desk.actor("admin"))
    yield context
    context.runner.wait()


def test_add_a_clerk_promote_and_disable(qtbot: QtBot, desk: Desk, admin: AppContext) -> None:
    window = MainWindow(admin)
    qtbot.addWidget(window)
    window.show()
    view = window.settings_view
    assert view is not None and window.ledger is not None and window.review is None
    window.show_view(window.views.indexOf(view))
    qtbot.waitUntil(lambda: view.table.rowCount() >= 5, timeout=10_000)
    view.username.setText("clerk9")
    view.display_name.setText("周新")
    view.password.setText("short")
    view.add.click()
    qtbot.waitUntil(lambda: "密码" in view.message.text(), timeout=10_000)  # too weak
    view.password.setText("Clerk9-2026!")
    view.add.click()
    qtbot.waitUntil(lambda: "已新增用户 clerk9" in view.message.text(), timeout=10_000)
    qtbot.waitUntil(
        lambda: any(view.table.item(r, 0).text() == "clerk9" for r in range(view.table.rowCount())),
        timeout=10_000,
    )
    row = next(r for r in range(view.table.rowCount()) if view.table.item(r, 0).text() == "clerk9")
    view.table.selectRow(row)
    view.role.setCurrentIndex(view.role.findData(Role.SUPERVISOR))
    view.apply_role.click()
    qtbot.waitUntil(lambda: "已修改 clerk9 的角色" in view.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: view.table.rowCount() >= 6, timeout=10_000)
    row = next(r for r in range(view.table.rowCount()) if view.table.item(r, 0).text() == "clerk9")
    view.table.selectRow(row)
    view.toggle_active.click()
    qtbot.waitUntil(lambda: "已停用 clerk9" in view.message.text(), timeout=10_000)
    with desk.session() as session:
        user = session.scalars(select(User).where(User.username == "clerk9")).one()
        assert user.role is Role.SUPERVISOR and not user.active
