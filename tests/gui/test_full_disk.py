"""The counter's SQLite disk fills up mid-shift (issue 14 §3): the act is refused in Chinese and
not done, nothing saved before is lost, the counter keeps working, and once there is room the
same act goes through (a real tmpfs made full, as root)."""

from __future__ import annotations

import dataclasses
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from medins_desk.domain.policy import Policy
from medins_desk.services.persons import register_person, search_persons
from medins_desk.settings import Settings
from medins_desk.store.models import Person
from tests.helpers.disks import fill, small_disk
from tests.helpers.people import make_id
from tests.helpers.store import FakeClock, desk_on
from ui.context import AppContext
from ui.views.base import ViewModel


def test_a_full_disk_refuses_the_act_keeps_the_day_and_the_counter_goes_on(
    qtbot: QtBot,
    settings: Settings,
    tmp_path: Path,
    clock: FakeClock,
    password_hash: str,
    policy: Policy,
) -> None:
    if os.geteuid() != 0:
        pytest.fail("the full disk is a small tmpfs, which needs root", pytrace=False)
    disk = tmp_path / "disk"
    with small_disk(disk, 4096):
        url = f"sqlite+pysqlite:///{disk / 'counter.db'}"
        desks = desk_on(url, clock, password_hash, policy)
        desk = next(desks)
        context = AppContext(dataclasses.replace(settings, database_url=url))
        context.store = desk.store
        context.set_actor(desk.actor("clerk"))
        notices: list[str] = []
        context.notice.connect(notices.append)
        model = ViewModel(context)
        failures: list[str] = []
        results: list[Any] = []
        found: list[Any] = []
        model.failed.connect(lambda _field, text: failures.append(text))

        def register(name: str, sequence: int) -> None:
            model.act(
                register_person, results.append, for_served=False,
                id_number=make_id(date(1996, 4, 2), sequence=sequence), name=name,
            )  # fmt: skip

        try:
            register("王玥", 3)
            qtbot.waitUntil(lambda: len(results) == 1, timeout=30_000)
            fill(disk)
            register("李堃", 5)
            qtbot.waitUntil(lambda: bool(failures), timeout=30_000)
            assert "所在的磁盘已满" in failures[0] and "数据未保存" in failures[0]
            assert any("磁盘已满" in text for text in notices)
            # The counter goes on: a look-up still answers, and 王玥 is still on record.
            model.call(search_persons, found.append, text="王玥")
            qtbot.waitUntil(lambda: bool(found), timeout=30_000)
            assert [hit.name for hit in found[0]] == ["王玥"]
            (disk / "filler").unlink()
            register("李堃", 5)
            qtbot.waitUntil(lambda: len(results) == 2, timeout=30_000)
            with desk.session() as session:
                names = session.scalars(select(Person.name).order_by(Person.id)).all()
            assert names == ["王玥", "李堃"]
        finally:
            context.runner.wait()
            desks.close()
