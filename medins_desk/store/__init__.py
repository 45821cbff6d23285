"""The store: SQLAlchemy models, engine setup and migrations, opened with :func:`open_store`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from medins_desk.errors import StorageError, ValidationError
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


def check_database(url: str) -> str:
    """测试连接: reach the database at ``url`` without changing anything; what was found, in
    Chinese. An SQLite file that does not exist yet is not created (it is, at the next start)."""
    try:
        parsed = make_url(url)
        engine = create_store_engine(url)
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise ValidationError("database_url", f"数据库地址格式错误：{error}") from error
    where = describe_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            file = Path(parsed.database or "")
            if not file.parent.is_dir():
                raise ValidationError("database_url", f"{where}：所在文件夹不存在")
            if not file.exists():
                return f"{where}：文件尚不存在，下次启动时新建"
        with engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise StorageError(f"{where}：无法连接（{reason}）") from error
    finally:
        engine.dispose()
    state = "已建库" if revision else "空库，启动时自动建表"
    return f"已连接 {where}（{state}）"
