"""The store: SQLAlchemy models, engine setup and migrations, opened with :func:`open_store`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from medins_desk.store.engine import create_store_engine, describe_url, make_session_factory
from medins_desk.store.migrate import upgrade


@dataclass(frozen=True)
class Store:
    engine: Engine
    sessions: sessionmaker[Session]
    description: str

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Open the database at ``url``, bringing its schema to the newest revision first."""
    engine = create_store_engine(url)
    if migrate:
        upgrade(engine)
    return Store(engine, make_session_factory(engine), describe_url(url))
