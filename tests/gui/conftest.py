"""GUI tests run offscreen with real widgets (pytest-qt) on a real SQLite store."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before any QApplication exists: no display is needed, and none is used even if present.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from pytestqt.qtbot import QtBot

from medins_desk.settings import Settings
from tests.helpers.store import HALL, Desk
from ui.context import AppContext


@pytest.fixture
def settings(sqlite_url: str, tmp_path: Path) -> Settings:
    # The day close's backups go to the test's own folder, never the user's data folder.
    return Settings(
        database_url=sqlite_url, hall_code=HALL, counter_no="001",
        backup_folder=str(tmp_path / "backups"),
    )  # fmt: skip


@pytest.fixture
def app_context(qtbot: QtBot, settings: Settings) -> Iterator[AppContext]:
    context = AppContext(settings)
    yield context
    context.close()


@pytest.fixture
def signed_in(qtbot: QtBot, desk: Desk, settings: Settings) -> Iterator[AppContext]:
    """The app context of the ``desk`` store with its clerk signed in."""
    context = AppContext(dataclasses.replace(settings))
    context.store = desk.store
    context.set_actor(desk.actor("clerk"))
    yield context
    context.close()


@pytest.fixture
def clerk_on_any_store(qtbot: QtBot, any_desk: Desk, tmp_path: Path) -> Iterator[AppContext]:
    """The clerk signed in at a counter of ``any_desk``'s store (SQLite, then PostgreSQL)."""
    url = any_desk.store.engine.url.render_as_string(hide_password=False)
    settings = Settings(
        database_url=url, hall_code=HALL, counter_no="001", backup_folder=str(tmp_path / "b")
    )
    context = AppContext(settings)
    context.store = any_desk.store
    context.set_actor(any_desk.actor("clerk"))
    yield context
    context.close()


@pytest.fixture
def supervisor(qtbot: QtBot, desk: Desk, settings: Settings) -> Iterator[AppContext]:
    """The app context of the ``desk`` store with its supervisor signed in."""
    context = AppContext(settings)
    context.store = desk.store
    context.set_actor(desk.actor("super"))
    yield context
    context.close()
