"""The load run's figures: percentiles, gaps in serials, what counts as sound and on target."""

from __future__ import annotations

from collections import Counter as Tally

from medins_desk.hall.counter import CounterResult
from medins_desk.hall.report import LoadReport, StoreChecks, gaps, percentile

CLEAN = StoreChecks(
    duplicate_serials=0, serial_gaps=0, gap_places=(), lost_acts=0, phantom_acts=0,
    audit_ok=True, audit_text="审计日志完整",
)  # fmt: skip


def _report(
    *results: CounterResult, checks: StoreChecks = CLEAN, pause_ms: float = 0.0
) -> LoadReport:
    return LoadReport.of(
        results, seconds=10.0, pause_ms=pause_ms, persons=100, server="PostgreSQL",
        checks=checks, bare_note="",
    )  # fmt: skip


def test_percentiles_are_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 0.5) == 50.0
    assert percentile(samples, 0.99) == 99.0
    assert percentile([], 0.99) == 0.0


def test_a_counter_whose_numbers_skip_has_gaps() -> None:
    total, places = gaps([("001", "2026-12-05", 5, 5), ("002", "2026-12-05", 3, 5)])
    assert total == 2
    assert places == ("002 号窗口 2026-12-05：缺 2 个",)


def test_refusals_are_outcomes_and_errors_are_not() -> None:
    one = CounterResult(
        "001",
        latencies_ms={"lookup": [5.0] * 99 + [50.0], "loss_report": [10.0]},
        refusals={"loss_report": Tally({"BusinessRuleError": 3})},
        bare_ms=[4.0] * 10,
        untimed=Tally({"lookup": 2}),
    )
    report = _report(one)
    assert report.acts == 103 and report.refused == 3 and report.errors == 0
    assert report.sound() and report.targets_met()
    assert report.to_json()["kinds"]["lookup"]["count"] == 102
    failing = CounterResult("002", latencies_ms={"void": [1.0]}, errors={"void": Tally(x=1)})
    assert not _report(one, failing).sound()


def test_a_lost_act_or_a_slow_hall_is_reported() -> None:
    one = CounterResult("001", latencies_ms={"lookup": [150.0]}, bare_ms=[10.0])
    lost = StoreChecks(0, 0, (), 1, 0, True, "审计日志完整")
    report = _report(one, checks=lost)
    assert not report.sound() and not report.targets_met()
    assert "丢失） 1  ← 未达标" in report.describe()
    assert report.to_json()["p99_ratio"] == 15.0


def test_the_pace_is_told_as_clerks_and_back_to_back_as_a_closed_queue() -> None:
    """20 acts in 10 s are 120 clerks at one act a minute; back to back, two counters at 2 acts/s
    wait 2 / 2 s = 1,000 ms each on average (Little's law), which the report says."""
    one = CounterResult("001", latencies_ms={"lookup": [5.0] * 10}, bare_ms=[4.0])
    two = CounterResult("002", latencies_ms={"lookup": [5.0] * 10}, bare_ms=[4.0])
    paced = _report(one, two, pause_ms=500.0)
    assert paced.clerks_equivalent == 120 and paced.to_json()["clerks_equivalent"] == 120
    assert "相当于约 120 个窗口各每分钟办 1 笔" in paced.describe()
    assert "吞吐上限" not in paced.describe() and "每笔业务后平均停 500 毫秒" in paced.describe()
    back_to_back = _report(one, two).describe()
    assert "连续办理测的是吞吐上限：2 个窗口轮流等服务器与 CPU，平均每笔约 2 ÷ 2.0 = 1000 毫秒" in (
        back_to_back
    )
