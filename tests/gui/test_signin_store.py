"""登录 when the store does not answer, or cannot be used: on a real PostgreSQL that is stopped and
started again, and on real SQLite stores of another version and damaged (issue 17 §3)."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.policy import Policy
from medins_desk.services.context import Actor
from medins_desk.services.persons import register_person
from medins_desk.settings import Settings
from medins_desk.store import open_store
from medins_desk.store.models import Transaction
from tests.helpers.cli import Cli
from tests.helpers.hall import Hall
from tests.helpers.people import make_id
from tests.helpers.postgres import PrivateCluster, find_bindir
from tests.helpers.store import Desk, FakeClock, desk_on
from ui.context import AppContext
from ui.signin import SignInDialog
from ui.views.base import ViewModel


@pytest.fixture
def cluster() -> Iterator[PrivateCluster]:
    """A private PostgreSQL cluster of this test's own, to stop and start."""
    bindir = find_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL server binaries not found: run `make test`", pytrace=False)
    cluster = PrivateCluster.create(bindir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def contexts(qtbot: QtBot, settings: Settings) -> Iterator[Callable[[str], AppContext]]:
    """App contexts on a given store URL, closed after the test."""
    made: list[AppContext] = []

    def make(url: str) -> AppContext:
        made.append(AppContext(dataclasses.replace(settings, database_url=url)))
        return made[-1]

    yield make
    for context in made:
        context.close()


def _dialog(qtbot: QtBot, context: AppContext) -> SignInDialog:
    dialog = SignInDialog(context)
    dialog.model.retry_ms = 200
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_an_unreachable_server_is_named_and_sign_in_opens_when_it_answers(
    qtbot: QtBot, contexts: Callable[[str], AppContext], cluster: PrivateCluster
) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/postgres"
    cluster.halt()
    context = contexts(url)
    dialog = _dialog(qtbot, context)
    qtbot.waitUntil(lambda: "服务器拒绝连接" in dialog.message.text(), timeout=15_000)
    assert f"127.0.0.1:{cluster.port}" in dialog.message.text()
    assert "正在后台重试" in dialog.message.text()
    assert "意外错误" not in dialog.message.text()
    assert not dialog.ok.isEnabled()
    # The dialog stays usable while the store is retried.
    dialog.username.setText("admin")
    assert dialog.username.isEnabled() and dialog.username.text() == "admin"
    cluster.resume()
    qtbot.waitUntil(dialog.ok.isEnabled, timeout=30_000)
    assert dialog.first_start  # the empty database was given the schema
    assert "拒绝连接" not in dialog.message.text()


def test_a_store_of_a_newer_release_stops_before_sign_in(
    qtbot: QtBot, desk: Desk, settings: Settings, contexts: Callable[[str], AppContext]
) -> None:
    with desk.store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_newer'")
    context = contexts(settings.database_url)
    dialog = _dialog(qtbot, context)
    qtbot.waitUntil(lambda: dialog.stop_box is not None, timeout=15_000)
    assert dialog.stop_box is not None
    assert "已被新版本的程序升级" in dialog.stop_box.text()
    assert "0099_newer" in dialog.stop_box.text()
    assert not dialog.ok.isEnabled()
    with qtbot.waitSignal(dialog.rejected, timeout=5_000):
        dialog.stop_box.accept()


def test_a_damaged_store_stops_before_sign_in(
    qtbot: QtBot, contexts: Callable[[str], AppContext], tmp_path: Path
) -> None:
    file = tmp_path / "damaged.db"
    url = f"sqlite+pysqlite:///{file}"
    open_store(url).dispose()
    data = bytearray(file.read_bytes())
    data[4096:] = random.Random(3).randbytes(len(data) - 4096)
    file.write_bytes(bytes(data))
    context = contexts(url)
    dialog = _dialog(qtbot, context)
    qtbot.waitUntil(lambda: dialog.stop_box is not None, timeout=15_000)
    assert dialog.stop_box is not None
    assert f"数据库文件 {file} 已损坏" in dialog.stop_box.text()
    with qtbot.waitSignal(dialog.rejected, timeout=5_000):
        dialog.stop_box.accept()


def test_a_store_fault_after_sign_in_reaches_the_status_bar(
    qtbot: QtBot, settings: Settings, cluster: PrivateCluster
) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/postgres"
    context = AppContext(dataclasses.replace(settings, database_url=url))
    try:
        context.store = open_store(url)
        failures: list[BaseException] = []
        cluster.halt()
        with qtbot.waitSignal(context.notice, timeout=30_000) as notice:
            context.with_session(lambda session: session.connection(), failed=failures.append)
        assert f"127.0.0.1:{cluster.port}" in notice.args[0]
        qtbot.waitUntil(lambda: bool(failures), timeout=5_000)
        assert "意外错误" not in str(failures[0])
    finally:
        context.close()


def test_the_counter_goes_on_by_itself_when_the_server_is_back_and_never_acts_twice(
    qtbot: QtBot,
    settings: Settings,
    cluster: PrivateCluster,
    clock: FakeClock,
    password_hash: str,
    policy: Policy,
) -> None:
    """pg_ctl stops the hall's server mid-shift and starts it again: the status bar says the
    store is unreachable and retried, then that it answers; the clerk's act, asked again
    unchanged, goes through once, under the submission id of the attempt that failed."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/postgres"
    desks = desk_on(url, clock, password_hash, policy)
    desk = next(desks)
    context = AppContext(dataclasses.replace(settings, database_url=url))
    context.retry_ms = 200
    context.store = desk.store
    context.set_actor(desk.actor("clerk"))
    notices: list[str] = []
    context.notice.connect(notices.append)
    model = ViewModel(context)
    sent: list[str] = []

    def register_recording(session: Session, actor: Actor, **kwargs: Any) -> Any:
        sent.append(kwargs["submission_id"])  # what the counter sent, then the real service
        return register_person(session, actor, **kwargs)

    failures: list[str] = []
    results: list[Any] = []
    model.failed.connect(lambda _field, text: failures.append(text))
    number = make_id(date(1996, 4, 2), sequence=3)

    def ask() -> None:  # the clerk presses 受理 with the same form
        model.act(
            register_recording, results.append, for_served=False, id_number=number, name="王玥"
        )

    try:
        cluster.halt(mode="fast")  # as pg_ctl restart stops it
        ask()
        qtbot.waitUntil(lambda: bool(failures), timeout=30_000)
        assert f"127.0.0.1:{cluster.port}" in failures[0]
        qtbot.waitUntil(lambda: any("自动重试" in text for text in notices), timeout=5_000)
        cluster.resume()
        qtbot.waitUntil(lambda: "数据库已恢复连接" in notices[-1], timeout=30_000)
        ask()
        qtbot.waitUntil(lambda: bool(results), timeout=30_000)
        with desk.session() as session:
            stored = session.scalars(select(Transaction.submission_id)).all()
        assert sent[0] == sent[-1] and stored == [sent[0]]
    finally:
        context.runner.wait()
        desks.close()


def test_the_counters_role_without_its_grants_stops_before_sign_in_naming_them(
    qtbot: QtBot, contexts: Callable[[str], AppContext], hall: Hall, tmp_path: Path
) -> None:
    """The hall's IT upgraded the store as its owner and forgot the grants: the counter, signed
    in to PostgreSQL as the application role, names the role and what IT runs."""
    hall.upgrade(Cli(tmp_path))
    dialog = _dialog(qtbot, contexts(hall.url(hall.app)))
    qtbot.waitUntil(lambda: dialog.stop_box is not None, timeout=15_000)
    assert dialog.stop_box is not None
    text = dialog.stop_box.text()
    assert f"拒绝了账号 {hall.app} 的这一操作（数据库账号无权限）" in text
    assert "medins-desk db grants" in text
    assert not dialog.ok.isEnabled()
    with qtbot.waitSignal(dialog.rejected, timeout=5_000):
        dialog.stop_box.accept()


def test_an_old_schema_waits_for_the_owner_and_sign_in_opens_once_upgraded(
    qtbot: QtBot, contexts: Callable[[str], AppContext], hall: Hall, tmp_path: Path
) -> None:
    """A new release on the counter before IT upgraded the hall's store: the counter's role may
    not migrate, so the sign-in window says who must, and opens by itself once IT has run
    ``db upgrade`` and the grants, without a restart."""
    hall.upgrade_to_old_schema()
    dialog = _dialog(qtbot, contexts(hall.url(hall.app)))
    qtbot.waitUntil(lambda: "无权升级" in dialog.message.text(), timeout=15_000)
    text = dialog.message.text()
    assert f"数据库账号 {hall.app}无权升级" in text
    assert "请信息科以数据库属主账号运行 medins-desk db upgrade" in text
    assert "正在后台重试" in text
    assert dialog.stop_box is None and not dialog.ok.isEnabled()
    cli = Cli(tmp_path)
    hall.upgrade(cli)
    hall.grant(cli)
    qtbot.waitUntil(dialog.ok.isEnabled, timeout=30_000)
    assert dialog.first_start  # no clerk yet: the first start creates the administrator
    assert "无权升级" not in dialog.message.text()
