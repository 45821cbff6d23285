"""The ``medins-desk`` console script, run as a real process against a SQLite file."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import date, datetime
from importlib.metadata import version
from pathlib import Path

import openpyxl
import pytest

from medins_desk.services.context import Counter
from medins_desk.services.users import sign_in
from medins_desk.store import open_store
from tests.helpers.cli import PASSWORD, Cli
from tests.helpers.people import make_id, register

DAY = "2026-11-18"
ID_NUMBER = make_id(date(1980, 5, 17))


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


@pytest.fixture(scope="module")
def busy_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per module through the CLI: a clerk and two registrations on ``DAY``."""
    cli = Cli(tmp_path_factory.mktemp("template"))
    cli.ok("db", "upgrade")
    assert cli.add_user("clerk1").returncode == 0
    store = open_store(cli.url)
    try:
        with store.sessions() as session:
            clerk = sign_in(
                session, username="clerk1", password=PASSWORD, counter=Counter("110105", "001"),
                clock=lambda: datetime(2026, 11, 18, 10, 0),
            )  # fmt: skip
            register(session, clerk, name="张三", sequence=1)
            register(session, clerk, name="李四", sequence=2, birth=date(1990, 3, 4))
    finally:
        store.dispose()
    return cli.db_file


@pytest.fixture
def busy_cli(cli: Cli, busy_template: Path) -> Cli:
    """A copy of the template database for one test to change as it likes."""
    with sqlite3.connect(busy_template) as source, sqlite3.connect(cli.db_file) as target:
        source.backup(target)
    source.close()
    target.close()
    return cli


def test_version_is_the_package_metadata_and_loads_no_command(cli: Cli) -> None:
    """One place holds the version (pyproject); --version neither opens the store nor Qt."""
    done = cli.run("--version", db=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"medins-desk {version('medins-desk')}\n"
    assert not (cli.tmp_path / "data").exists()


def test_db_upgrade_creates_the_schema(cli: Cli) -> None:
    out = cli.ok("db", "upgrade")
    assert "最新版本" in out
    tables = {name for (name,) in cli.sql("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"transactions", "audit_entries", "day_closes", "alembic_version"} <= tables


def test_users_add_reads_the_password_from_stdin_and_refuses_a_duplicate(cli: Cli) -> None:
    first = cli.add_user("clerk1")
    assert first.returncode == 0, first.stderr
    assert "已新增用户 clerk1" in first.stdout
    store = open_store(cli.url)
    try:
        with store.sessions() as session:
            actor = sign_in(
                session, username="clerk1", password=PASSWORD, counter=Counter("110105", "001")
            )
    finally:
        store.dispose()
    assert actor.display_name == "张经办"
    again = cli.add_user("clerk1")
    assert again.returncode == 2
    assert "错误：用户名「clerk1」已存在" in again.stderr
    assert "Traceback" not in again.stderr
    assert [u for (u,) in cli.sql("SELECT username FROM users ORDER BY id")] == [
        "console",
        "clerk1",
    ]


def test_a_weak_password_on_stdin_is_refused_in_chinese(cli: Cli) -> None:
    done = cli.run(
        "users", "add", "--username", "clerk1", "--name", "张经办", "--role", "clerk",
        "--password-stdin", stdin="short\n",
    )  # fmt: skip
    assert done.returncode == 2
    assert "密码至少" in done.stderr


def test_ledger_export_csv_writes_a_bom_file(busy_cli: Cli) -> None:
    out = busy_cli.tmp_path / "台账.csv"
    stdout = busy_cli.ok("ledger", "export", "--date", DAY, "--format", "csv", "--out", str(out))
    assert stdout.strip() == f"已导出 {DAY} 台账 2 笔到 {out}"
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream))
    assert lines[0][0] == "业务流水号"
    assert [line[3] for line in lines[1:3]] == ["张三", "李四"]
    assert lines[1][4] == ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
    export = [e for e in busy_cli.audit_entries() if e[1] == "ledger_export"]
    assert [(e[2], e[3]["full_ids"], e[3]["rows"]) for e in export] == [("console", False, 2)]
    assert [e for e in busy_cli.audit_entries() if e[1] == "ledger_full_ids"] == []


def test_full_ids_export_is_audited(busy_cli: Cli) -> None:
    out = busy_cli.tmp_path / "full.csv"
    busy_cli.ok(
        "ledger", "export", "--date", DAY, "--format", "csv", "--full-ids", "--out", str(out)
    )
    assert ID_NUMBER in out.read_text(encoding="utf-8-sig")
    [entry] = [e for e in busy_cli.audit_entries() if e[1] == "ledger_export"]
    assert entry[3] == {"day": DAY, "format": "csv", "full_ids": True, "rows": 2}


def test_ledger_export_xlsx(busy_cli: Cli) -> None:
    out = busy_cli.tmp_path / "ledger.xlsx"
    busy_cli.ok("ledger", "export", "--date", DAY, "--format", "xlsx", "--out", str(out))
    book = openpyxl.load_workbook(out, read_only=True)
    rows = list(book["流水"].iter_rows(values_only=True))
    book.close()
    assert [row[3] for row in rows[1:]] == ["张三", "李四"]


def test_ledger_export_into_a_missing_folder_fails_in_chinese(busy_cli: Cli) -> None:
    out = busy_cli.tmp_path / "nowhere" / "x.csv"
    done = busy_cli.run("ledger", "export", "--date", DAY, "--format", "csv", "--out", str(out))
    assert done.returncode == 2
    assert "导出目录" in done.stderr
    assert not out.parent.exists()


def _verify(cli: Cli) -> subprocess.CompletedProcess[str]:
    return cli.run("audit", "verify")


def _update_details(cli: Cli, seq: int) -> None:
    cli.sql("UPDATE audit_entries SET details = ? WHERE seq = ?", '{"forged":true}', seq)


def _delete(cli: Cli, seq: int) -> None:
    cli.sql("DELETE FROM audit_entries WHERE seq = ?", seq)


def _insert_forged_after(cli: Cli, seq: int) -> None:
    # A forged entry that links to the real last one but whose hash is not of its own content.
    cli.sql(
        "INSERT INTO audit_entries (seq, at, user_id, username, action, entity, entity_id,"
        " details, prev_hash, hash) SELECT seq + 1, at, user_id, username, 'void', entity,"
        " entity_id, details, hash, prev_hash FROM audit_entries WHERE seq = ?",
        seq,
    )


@pytest.mark.parametrize(
    ("tamper", "broken"),
    [
        (lambda cli, last: _update_details(cli, 3), lambda last: 3),
        (lambda cli, last: _delete(cli, 3), lambda last: 3),
        (lambda cli, last: _insert_forged_after(cli, last), lambda last: last + 1),
        (lambda cli, last: _delete(cli, last), lambda last: last),
    ],
    ids=["edited", "middle-deleted", "forged-inserted", "last-deleted"],
)
def test_audit_verify_names_the_broken_entry(
    busy_cli: Cli,
    tamper: Callable[[Cli, int], None],
    broken: Callable[[int], int],
) -> None:
    intact = _verify(busy_cli)
    assert intact.returncode == 0, intact.stderr
    assert "校验通过" in intact.stdout
    last = max(seq for seq, *_ in busy_cli.audit_entries())
    assert last >= 5
    tamper(busy_cli, last)
    done = _verify(busy_cli)
    assert done.returncode != 0
    assert f"第 {broken(last)} 条" in done.stderr


def test_database_url_from_the_environment_is_honoured(cli: Cli) -> None:
    elsewhere = cli.tmp_path / "from-env.db"
    done = cli.run("db", "upgrade", db=False, MEDINS_DATABASE_URL=f"sqlite+pysqlite:///{elsewhere}")
    assert done.returncode == 0, done.stderr
    assert str(elsewhere) in done.stdout
    assert elsewhere.exists()
    assert not (cli.tmp_path / "data").exists()
    # --db still wins over the environment.
    done = cli.run("db", "upgrade", MEDINS_DATABASE_URL=f"sqlite+pysqlite:///{elsewhere}")
    assert str(cli.db_file) in done.stdout


def test_config_file_is_honoured(busy_cli: Cli) -> None:
    config = busy_cli.tmp_path / "settings.toml"
    config.write_text(
        'hall_code = "320102"\ncounter_no = "007"\n[policy]\ntemporary_loss_days = 7\n',
        encoding="utf-8",
    )
    status = busy_cli.ok("--config", str(config), "status")
    assert "大厅 320102" in status
    assert "窗口 007" in status
    # The ledger is the configured hall's: the registrations were made in hall 110105.
    out = busy_cli.tmp_path / "other-hall.csv"
    stdout = busy_cli.ok(
        "--config", str(config), "ledger", "export", "--date", DAY, "--format", "csv",
        "--out", str(out),
    )  # fmt: skip
    assert "台账 0 笔" in stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('hall_code = "12"\n', "大厅编码应为 6 位数字，当前为「12」"),
        ('counter_no = "7"\n', "窗口号应为 3 位数字"),
        ("[policy]\ntemporary_loss_days = 99\n", "临时挂失天数应在 1 至 30 之间"),
        ("[policy]\nno_such_rule = 1\n", "未知的政策参数「no_such_rule」"),
        ("hall_code = \n", "格式错误"),
    ],
)
def test_a_bad_config_file_gives_a_chinese_error(cli: Cli, content: str, message: str) -> None:
    config = cli.tmp_path / "settings.toml"
    config.write_text(content, encoding="utf-8")
    done = cli.run("--config", str(config), "status")
    assert done.returncode == 2
    assert "错误：" in done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not cli.db_file.exists()


def test_status_names_the_halls_file_and_the_users_and_what_each_sets(cli: Cli) -> None:
    system = cli.tmp_path / "system-settings.toml"
    system.write_text('locked = ["hall_code"]\nhall_code = "320102"\n', encoding="utf-8")
    config = cli.tmp_path / "settings.toml"
    config.write_text('hall_code = "110105"\ncounter_no = "007"\n', encoding="utf-8")
    done = cli.run("--config", str(config), "status", MEDINS_SYSTEM_CONFIG=str(system))
    assert done.returncode == 0, done.stderr
    assert "大厅 320102" in done.stdout and "窗口 007" in done.stdout  # the lock holds
    assert f"系统设置文件：{system}，设置了 hall_code（锁定）" in done.stdout
    assert f"用户设置文件：{config}，设置了 counter_no" in done.stdout
    assert "命令行参数设置了 database_url" in done.stdout  # the runner's --db
    system.write_text("hall_code = \n", encoding="utf-8")
    done = cli.run("--config", str(config), "status", MEDINS_SYSTEM_CONFIG=str(system))
    assert done.returncode == 2 and f"系统设置文件 {system} 格式错误" in done.stderr


def test_a_missing_config_file_is_an_error(cli: Cli) -> None:
    done = cli.run("--config", str(cli.tmp_path / "missing.toml"), "status")
    assert done.returncode == 2
    assert "设置文件" in done.stderr
    assert "不存在" in done.stderr
