"""``medins-desk hall loadtest`` kept working: two counters for a few seconds on the test server,
nothing lost, invented or duplicated, the audit chain whole, a bare baseline measured."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.cli import Cli


def test_a_short_load_run_loses_and_invents_nothing(postgres_url: str, tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    done = Cli(tmp_path).run(
        "hall", "loadtest", "--counters", "2", "--minutes", "0.15", "--persons", "500",
        "--pause", "0", "--db", postgres_url, "--json", str(out), db=False,
    )  # fmt: skip
    # Exit 1 may also mean a latency target missed on a busy machine: the JSON says which.
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    totals = json.loads(out.read_text(encoding="utf-8"))
    assert totals["counters"] == 2
    assert totals["acts"] > 50 and totals["acts_per_s"] > 0
    assert totals["kinds"]["lookup"]["count"] > 0
    assert totals["errors"] == 0, (totals, done.stdout)
    for check in ("duplicate_serials", "serial_gaps", "lost_acts", "phantom_acts"):
        assert totals[check] == 0, (check, totals)
    assert totals["audit_ok"] is True
    assert totals["bare_p99_ms"] > 0 and totals["p99_ms"] > 0
    assert "审计日志完整" in done.stdout
