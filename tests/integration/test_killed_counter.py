"""A counter killed with SIGKILL in the middle of its work (issue 14 §3), on SQLite and on
PostgreSQL.

The process is the real ``medins-desk demo seed``: today's business at three counters, each act
one service call and one commit, as a counter does them. It is killed at random moments, 20
times per store, each run going on from what the previous ones left. After every kill the store
is whole: SQLite's ``integrity_check`` passes, every act is all there or not there at all (each
transaction has its audit entry and each audit entry of an act its transaction), serials run
from 1 without a gap per counter and day and agree with the counters' last number, and the
audit chain verifies.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.services.audit import verify_audit_chain
from medins_desk.store.engine import create_store_engine
from medins_desk.store.models import AuditEntry, SerialCounter, Transaction
from tests.helpers.cli import Cli

KILLS = 20
SEED = ("demo", "seed", "--persons", "0")


def _assert_whole(url: str) -> int:
    """The store after a kill, checked as described above; the number of acts in it."""
    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        with Session(engine) as session:
            acts = session.execute(
                select(
                    Transaction.hall_code, Transaction.counter_no, Transaction.business_day,
                    Transaction.seq, Transaction.serial,
                )
            ).all()  # fmt: skip
            audited = set(
                session.scalars(
                    select(AuditEntry.entity_id).where(AuditEntry.entity == "transaction")
                )
            )
            last_numbers = {
                (row.hall_code, row.counter_no, row.business_day): row.last_seq
                for row in session.scalars(select(SerialCounter))
            }
            verdict = verify_audit_chain(session)
    finally:
        engine.dispose()
    assert verdict.ok, verdict.describe()
    serials = {act.serial for act in acts}
    assert serials == audited, (serials ^ audited, "an act without its audit entry or back")
    numbers: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for act in acts:
        numbers[(act.hall_code, act.counter_no, act.business_day)].append(act.seq)
    for key, seqs in numbers.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), (key, sorted(seqs))
    assert {key: len(seqs) for key, seqs in numbers.items()} == last_numbers
    return len(acts)


def _kill_at_random(cli: Cli, url: str, rng: random.Random, seconds: float) -> bool:
    """One seed run killed after a random share of a whole run's time; whether it was killed
    before it finished by itself."""
    process = subprocess.Popen(
        [cli.executable, "--db", url, *SEED],
        env=cli.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(rng.uniform(0.2, 1.0) * seconds)
    process.send_signal(signal.SIGKILL)
    return process.wait(timeout=30) == -signal.SIGKILL


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_counter_killed_mid_act_leaves_a_whole_store(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url: str = request.getfixturevalue(f"{backend}_url")
    cli = Cli(tmp_path)
    first = cli.run("--db", url, *SEED, db=False)  # makes the schema and the users too
    assert first.returncode == 0, first.stderr
    started = time.monotonic()
    second = cli.run("--db", url, *SEED, db=False)  # the run the kills cut short
    assert second.returncode == 0, second.stderr
    seconds = time.monotonic() - started
    acts = seeded = _assert_whole(url)
    rng = random.Random(20261205)
    killed = attempts = 0
    while killed < KILLS:
        attempts += 1
        assert attempts <= 2 * KILLS, "the seed finished before most kills: the timing is off"
        killed += _kill_at_random(cli, url, rng, seconds)
        now = _assert_whole(url)
        assert now >= acts  # acts committed before the kill stay
        acts = now
    # Killed runs did acts: kills fell between commits, not all before the first one.
    assert acts > seeded
