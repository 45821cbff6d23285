"""备份与恢复 on a real SQLite file and the real PostgreSQL, through the real command line: the
restored store is exactly the backup, newer data is not overwritten without --force, a backup
taken while a counter writes is consistent, and the day close writes (and rotates) backups."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind
from medins_desk.errors import BackupToolMissing, StoreLocked
from medins_desk.services.audit import verify_audit_chain
from medins_desk.services.context import Actor
from medins_desk.services.day_close import close_day_and_back_up
from medins_desk.services.ledger import daily_ledger
from medins_desk.services.persons import PersonRegistered
from medins_desk.services.void import void_transaction
from medins_desk.store.backup import back_up, restore
from medins_desk.store.backup.folder import BackupFolder
from medins_desk.store.backup.postgres import find_tool
from medins_desk.store.models import AuditEntry, DayClose
from tests.helpers.cli import Cli
from tests.helpers.people import register
from tests.helpers.postgres import find_bindir
from tests.helpers.store import HALL, Desk

TODAY = date(2026, 11, 18)


def _url(desk: Desk) -> str:
    return desk.store.engine.url.render_as_string(hide_password=False)


def _state(desk: Desk) -> tuple[list[tuple[object, ...]], list[tuple[int, str, str]]]:
    """The day's ledger (every column a supervisor sees) and the whole audit chain."""
    with desk.session() as session:
        ledger = daily_ledger(session, desk.actor("super"), day=TODAY)
        audit = [
            (entry.seq, entry.action, entry.hash)
            for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))
        ]
    return [tuple(vars(row).values()) for row in ledger.rows], audit


def _register(session: Session, actor: Actor, number: int) -> PersonRegistered:
    """参保登记 of citizen ``number`` (each of another birth date: no possible duplicate)."""
    birth = date(1960, 1, 1) + timedelta(days=number)
    return register(session, actor, name="张三", birth=birth, sequence=number % 500 + 1)


def _work(desk: Desk, first: int, count: int) -> None:
    """Business acts at the counter: registrations, and a void of the first one."""
    with desk.session() as session:
        done = [_register(session, desk.actor("clerk"), first + n) for n in range(count)]
        void_transaction(
            session, desk.actor("super"), serial=done[0].transaction.serial, reason="录入错误"
        )


def test_restore_gives_back_exactly_the_backup_and_refuses_newer_data(
    any_desk: Desk, tmp_path: Path
) -> None:
    cli, url = Cli(tmp_path), _url(any_desk)
    _work(any_desk, 1, 4)
    file = tmp_path / ("backup.db" if url.startswith("sqlite") else "backup.dump")
    made = cli.run("--db", url, "db", "backup", "--out", str(file), db=False)
    assert made.returncode == 0, made.stderr
    assert "已备份" in made.stdout
    backed_up = _state(any_desk)

    _work(any_desk, 11, 3)
    assert _state(any_desk) != backed_up
    refused = cli.run("--db", url, "db", "restore", str(file), db=False)
    assert refused.returncode == 1, refused.stderr
    assert "比备份新" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr

    forced = cli.run("--db", url, "db", "restore", "--force", str(file), db=False)
    assert forced.returncode == 0, forced.stderr
    assert _state(any_desk) == backed_up
    checked = cli.run("--db", url, "db", "check", db=False)
    assert checked.returncode == 0, checked.stderr
    assert "哈希链校验通过" in checked.stdout and "最新版本" in checked.stdout

    # The store is the backup again: restoring the same backup needs no --force.
    again = cli.run("--db", url, "db", "restore", str(file), db=False)
    assert again.returncode == 0, again.stderr
    # A counter keeps working on the restored store, and the chain goes on from the backup's.
    _work(any_desk, 21, 1)
    with any_desk.session() as session:
        assert verify_audit_chain(session).ok


def test_a_backup_taken_while_a_counter_writes_is_consistent(
    any_desk: Desk, tmp_path: Path
) -> None:
    url, stop = _url(any_desk), threading.Event()
    errors: list[BaseException] = []

    def counter_at_work() -> None:
        number = 100
        try:
            while not stop.is_set():
                with any_desk.session() as session:
                    _register(session, any_desk.actor("clerk"), number)
                number += 1
        except BaseException as error:  # pragma: no cover - the failure is asserted below
            errors.append(error)

    writer = threading.Thread(target=counter_at_work)
    writer.start()
    try:
        backups = []
        for n in range(3):
            file = tmp_path / f"during-{n}.bak"
            backups.append(back_up(url, file))
    finally:
        stop.set()
        writer.join()
    assert not errors
    for backup in backups:
        restored = restore(url, backup.file, force=True)
        assert restored.mark == backup.mark
        with any_desk.session() as session:
            verdict = verify_audit_chain(session)
            assert verdict.ok, verdict.describe()
            assert verdict.entries == backup.mark.audit_head_seq == backup.mark.last_audit_seq
            # Every registration in the copy has its audit entry: no half-copied act.
            kind = BusinessKind.PERSON_REGISTRATION
            acts = session.scalars(
                select(AuditEntry.entity_id).where(AuditEntry.action == kind.value)
            ).all()
            rows = daily_ledger(session, any_desk.actor("super"), day=TODAY).rows
            assert sorted(acts) == sorted(row.serial for row in rows if row.kind is kind)


def test_the_day_close_writes_a_backup_and_rotates_old_ones(any_desk: Desk, tmp_path: Path) -> None:
    folder = tmp_path / "备份"
    folder.mkdir()
    suffix = ".db" if _url(any_desk).startswith("sqlite") else ".dump"
    old = folder / f"medins-{HALL}-20261001-173000{suffix}"
    recent = folder / f"medins-{HALL}-20261115-173000{suffix}"
    other = folder / "说明.txt"  # not a backup: never rotated
    for file in (old, recent, other):
        file.write_text("")
    _work(any_desk, 1, 2)
    backups = BackupFolder(folder, keep_days=7, hall_code=HALL)
    with any_desk.session() as session:
        receipt = close_day_and_back_up(
            session, any_desk.actor("super"), day=TODAY, backups=backups
        )
    assert receipt.backup is not None and receipt.backup.file is not None, receipt.backup
    assert receipt.backup.file.name == f"medins-{HALL}-20261118-093000{suffix}"
    assert receipt.backup.removed == (old,)
    assert sorted(folder.iterdir()) == sorted([recent, other, receipt.backup.file])
    latest = backups.latest()
    assert latest is not None and latest.path == receipt.backup.file
    # The backup holds the close itself: restoring it over the store is not "older".
    closed = _state(any_desk)
    restore(_url(any_desk), receipt.backup.file)
    assert _state(any_desk) == closed


def test_a_failed_backup_leaves_the_day_closed_and_says_why(any_desk: Desk, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "backups"
    not_a_folder.write_text("a file where the folder should be")
    _work(any_desk, 1, 1)
    with any_desk.session() as session:
        receipt = close_day_and_back_up(
            session, any_desk.actor("super"), day=TODAY,
            backups=BackupFolder(not_a_folder, keep_days=7, hall_code=HALL),
        )  # fmt: skip
    assert receipt.backup is not None and receipt.backup.file is None
    assert "无法在" in receipt.backup.failure and "备份" in receipt.backup.failure
    with any_desk.session() as session:
        assert session.scalar(select(DayClose.business_day)) == TODAY


def test_restore_refuses_a_backup_of_the_other_backend(desk: Desk, tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    (tmp_path / "x.dump").write_bytes(b"PGDMP\x01\x0e\x00" + bytes(64))
    done = cli.run("--db", _url(desk), "db", "restore", str(tmp_path / "x.dump"), db=False)
    assert done.returncode == 4
    assert "PostgreSQL 的备份" in done.stderr and "Traceback" not in done.stderr


def test_a_missing_backup_folder_is_exit_5(desk: Desk, tmp_path: Path) -> None:
    out = tmp_path / "没有的文件夹" / "b.db"
    done = Cli(tmp_path).run("--db", _url(desk), "db", "backup", "--out", str(out), db=False)
    assert done.returncode == 5
    assert "不存在" in done.stderr and "Traceback" not in done.stderr


def test_a_damaged_store_is_restored_only_with_force_and_kept_aside(tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    assert cli.add_user("clerk1").returncode == 0
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", "--out", str(backup))
    cli.db_file.write_bytes(b"not a database any more" * 100)
    refused = cli.run("db", "restore", str(backup))
    assert refused.returncode == 1
    assert "已损坏" in refused.stderr and "--force" in refused.stderr
    cli.ok("db", "restore", "--force", str(backup))
    assert [row[0] for row in cli.sql("SELECT username FROM users WHERE username = 'clerk1'")]
    kept = list(tmp_path.glob("counter.db.损坏-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"not a database")
    assert "哈希链校验通过" in cli.ok("db", "check")


def test_the_hall_backs_up_with_the_servers_own_pg_dump(pg_desk: Desk) -> None:
    with pg_desk.store.engine.connect() as connection:
        major = int(str(connection.exec_driver_sql("SHOW server_version_num").scalar())) // 10000
    bindir = find_bindir()
    assert bindir is not None
    assert Path(find_tool("pg_dump", major)).resolve().parent == bindir.resolve()
    with pytest.raises(BackupToolMissing) as missing:
        find_tool("pg_dump", 99)
    assert "PostgreSQL 99" in missing.value.message


def test_db_check_names_a_broken_audit_chain(tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    assert cli.add_user("clerk1").returncode == 0
    cli.sql("UPDATE audit_entries SET username = 'someone' WHERE seq = 1")
    checked = cli.run("db", "check")
    assert checked.returncode == 1
    assert "完整性检查通过" in checked.stdout and "最新版本" in checked.stdout
    assert "审计日志被篡改：第 1 条" in checked.stderr


def test_a_restore_gives_up_on_a_counter_still_at_work(any_desk: Desk, tmp_path: Path) -> None:
    _work(any_desk, 1, 1)
    backup = back_up(_url(any_desk), tmp_path / "b.bak")
    with any_desk.store.engine.connect() as counter:  # a counter in the middle of an act
        counter.execute(select(AuditEntry.seq)).all()
        with pytest.raises(StoreLocked) as locked:
            restore(_url(any_desk), backup.file, force=True)
        counter.rollback()
    assert "10 秒" in locked.value.message
    with any_desk.session() as session:
        assert verify_audit_chain(session).ok
