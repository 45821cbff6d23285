"""设置 for an administrator: add a user, change a role, disable an account."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from medins_desk.domain.roles import Role
from medins_desk.settings import Settings, load_settings
from medins_desk.store.models import User
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.views.counter_settings import CounterSettingsForm


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


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text('# 本窗口\ncounter_no = "001"\n', encoding="utf-8")
    monkeypatch.setenv("MEDINS_CONFIG", str(path))
    for variable in ("MEDINS_PRINTER", "MEDINS_LANGUAGE", "MEDINS_DATABASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    return path


def _form(qtbot: QtBot, admin: AppContext) -> tuple[MainWindow, CounterSettingsForm]:
    window = MainWindow(admin)
    qtbot.addWidget(window)
    window.show()
    view = window.settings_view
    assert view is not None
    window.show_view(window.views.indexOf(view))
    view.tabs.setCurrentWidget(view.counter)
    return window, view.counter


def test_the_printer_and_a_fee_are_saved_and_the_printer_applies_at_once(
    qtbot: QtBot, admin: AppContext, config: Path
) -> None:
    _window, form = _form(qtbot, admin)
    form.printer.setEditText("HP-2F")
    form.fees["fee_reissue_fen"].setText("15")
    form.language.setCurrentIndex(form.language.findData("en"))
    form.save.click()
    qtbot.waitUntil(lambda: "已保存" in form.message.text(), timeout=10_000)
    saved = load_settings(config, environ={})
    assert saved.printer == "HP-2F" and saved.policy.fee_reissue_fen == 1500
    assert saved.language == "en"
    assert "# 本窗口" in config.read_text(encoding="utf-8")
    assert admin.settings.printer == "HP-2F"  # the next voucher goes there
    # Only what was changed is written: the values shown from the defaults are not pinned.
    written = tomllib.loads(config.read_text(encoding="utf-8"))
    assert written.keys() == {"counter_no", "printer", "language", "policy"}
    assert written["policy"] == {"fee_reissue_fen": 1500}


def test_a_bad_counter_number_is_shown_at_the_field_and_nothing_is_saved(
    qtbot: QtBot, admin: AppContext, config: Path
) -> None:
    _window, form = _form(qtbot, admin)
    before = config.read_text(encoding="utf-8")
    form.counter_no.setText("12")
    form.save.click()
    qtbot.waitUntil(lambda: form.errors["counter_no"].text() != "", timeout=10_000)
    assert "窗口号应为 3 位数字" in form.errors["counter_no"].text()
    assert "未保存" in form.message.text()
    form.fees["fee_first_card_fen"].setText("十元")  # checked before anything is sent
    form.counter_no.setText("002")
    form.save.click()
    assert "金额" in form.errors["fee_first_card_fen"].text()
    assert config.read_text(encoding="utf-8") == before


def test_the_connection_test_reports_a_refusal_and_a_real_postgresql(
    qtbot: QtBot, admin: AppContext, config: Path, postgres_url: str
) -> None:
    _window, form = _form(qtbot, admin)
    form.database_url.setText("postgresql+psycopg://nobody:x@127.0.0.1:1/none")
    form.test_database.click()
    qtbot.waitUntil(lambda: "无法连接" in form.message.text(), timeout=20_000)
    form.database_url.setText(postgres_url)
    form.test_database.click()
    qtbot.waitUntil(lambda: "已连接 PostgreSQL" in form.message.text(), timeout=20_000)


def test_a_value_the_environment_decides_cannot_be_edited(
    qtbot: QtBot, admin: AppContext, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDINS_PRINTER", "FROM-ENV")
    _window, form = _form(qtbot, admin)
    assert not form.printer.isEnabled()
    assert "MEDINS_PRINTER" in form.errors["printer"].text()
    form.save.click()
    qtbot.waitUntil(lambda: "已保存" in form.message.text(), timeout=10_000)
    assert "FROM-ENV" not in config.read_text(encoding="utf-8")


def test_the_enrollment_values_are_saved_and_policy_refuses_a_backwards_period(
    qtbot: QtBot, admin: AppContext, config: Path
) -> None:
    _window, form = _form(qtbot, admin)
    form.enrollment["resident_waiting_days"].setValue(90)
    form.save.click()
    qtbot.waitUntil(lambda: "已保存" in form.message.text(), timeout=10_000)
    assert load_settings(config, environ={}).policy.resident_waiting_days == 90
    before = config.read_text(encoding="utf-8")
    form.enrollment["resident_collection_start_month"].setValue(12)
    form.enrollment["resident_collection_end_month"].setValue(9)
    form.save.click()
    field = form.errors["resident_collection_start_month"]
    qtbot.waitUntil(lambda: field.text() != "", timeout=10_000)
    assert "起始月不能晚于截止月" in field.text()
    assert config.read_text(encoding="utf-8") == before


def test_the_halls_values_are_shown_and_never_written_to_the_users_file(
    qtbot: QtBot, admin: AppContext, config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = tmp_path / "system-settings.toml"
    system.write_text(
        f'locked = ["database_url"]\ndatabase_url = "{admin.settings.database_url}"\n'
        '[agency]\nname = "朝阳区医保中心"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("MEDINS_SYSTEM_CONFIG", str(system))
    admin.settings = load_settings(config, environ={})  # as the app starts, with the origins
    _window, form = _form(qtbot, admin)
    assert not form.database_url.isEnabled()
    assert "统一设置" in form.errors["database_url"].text()
    assert str(system) in form.agency_name.toolTip() and form.agency_name.isEnabled()
    form.printer.setEditText("HP-2F")
    form.save.click()
    qtbot.waitUntil(lambda: "已保存" in form.message.text(), timeout=10_000)
    written = tomllib.loads(config.read_text(encoding="utf-8"))
    assert written["printer"] == "HP-2F" and "database_url" not in written
    assert "agency" not in written  # the hall's, shown in the form, stays the hall's
    form.agency_name.setText("本窗口自填中心")
    with qtbot.waitSignal(form.model.saved, timeout=10_000):
        form.save.click()
    assert "本窗口自填中心" in config.read_text(encoding="utf-8")
    form.agency_name.setText("朝阳区医保中心")  # back to the hall's: the override goes
    with qtbot.waitSignal(form.model.saved, timeout=10_000):
        form.save.click()
    assert "本窗口自填中心" not in config.read_text(encoding="utf-8")
    assert load_settings(config, environ={}).agency.name == "朝阳区医保中心"


def test_the_temporary_filing_months_are_saved_and_bounded(
    qtbot: QtBot, admin: AppContext, config: Path
) -> None:
    _window, form = _form(qtbot, admin)
    form.enrollment["temporary_filing_months"].setValue(3)
    form.save.click()
    qtbot.waitUntil(lambda: "已保存" in form.message.text(), timeout=10_000)
    assert load_settings(config, environ={}).policy.temporary_filing_months == 3
    before = config.read_text(encoding="utf-8")
    form.enrollment["temporary_filing_months"].setValue(25)
    form.save.click()
    field = form.errors["temporary_filing_months"]
    qtbot.waitUntil(lambda: field.text() != "", timeout=10_000)
    assert "临时备案有效月数应在 1 至 24 之间" in field.text()
    assert config.read_text(encoding="utf-8") == before


def test_the_retirement_values_are_saved_and_checked_together(
    qtbot: QtBot, admin: AppContext, config: Path
) -> None:
    _window, form = _form(qtbot, admin)
    form.enrollment["retirement_years_women"].setValue(20)
    form.fees["retirement_monthly_payment_fen"].setText("612.50")
    form.save.click()
    qtbot.waitUntil(lambda: "已保存" in form.message.text(), timeout=10_000)
    policy = load_settings(config, environ={}).policy
    assert (policy.retirement_years_women, policy.retirement_monthly_payment_fen) == (20, 61_250)
    before = config.read_text(encoding="utf-8")
    form.enrollment["retirement_local_years"].setValue(21)  # more than a woman's 20 years
    form.save.click()
    field = form.errors["retirement_local_years"]
    qtbot.waitUntil(lambda: field.text() != "", timeout=10_000)
    assert "本地实际缴费年限 21 不能大于退休缴费年限 20" in field.text()
    assert config.read_text(encoding="utf-8") == before
