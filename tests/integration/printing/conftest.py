"""A demo store seeded once per module through the real services, and the serial of a
transaction for each document kind."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from medins_desk.errors import NotFound
from medins_desk.services.context import Actor, Counter
from medins_desk.services.demo import seed_demo
from medins_desk.services.users import console_actor
from medins_desk.services.vouchers import DocumentKind, voucher_source
from medins_desk.settings import Settings
from medins_desk.store import Store, open_store
from medins_desk.store.models import Transaction
from printing.documents import Letterhead, document_kind

NOW = datetime(2026, 11, 18, 16, 30, 0)  # a Wednesday afternoon: the demo day fits before it


@dataclass
class DemoHall:
    store: Store
    settings: Settings
    actor: Actor  # the console account, as the CLI acts
    letterhead: Letterhead
    serials: dict[DocumentKind, str]  # one transaction per document kind
    rare_serial: str  # the card application of 王𠮷


@pytest.fixture(scope="module")
def demo_hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoHall]:
    path: Path = tmp_path_factory.mktemp("demo-hall") / "medins.db"
    settings = Settings(database_url=f"sqlite+pysqlite:///{path}")
    store = open_store(settings.database_url)
    counter = Counter.from_settings(settings)
    seed_demo(
        store.sessions, persons=60, counter=counter, random_seed=7, if_empty=False,
        clock=lambda: NOW,
    )  # fmt: skip
    with store.sessions() as session:
        actor = console_actor(session, counter)
        txns = list(session.scalars(select(Transaction).order_by(Transaction.serial)))
    serials: dict[DocumentKind, str] = {}
    rare = ""
    for txn in txns:
        with store.sessions() as session:
            try:
                source = voucher_source(session, actor, serial=txn.serial)
            except NotFound:
                continue
        serials.setdefault(document_kind(source), txn.serial)
        if "𠮷" in getattr(source, "person_name", ""):
            rare = txn.serial
    try:
        yield DemoHall(store, settings, actor, Letterhead.from_settings(settings), serials, rare)
    finally:
        store.dispose()
