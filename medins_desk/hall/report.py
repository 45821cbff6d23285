"""What a load run found (压力测试结果): figures per act kind and for the whole run, the checks
that must come out zero, and the targets; as Chinese text and as one JSON object."""

from __future__ import annotations

import logging
import math
from collections import Counter as Tally
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from medins_desk.hall.counter import LABELS, CounterResult

log = logging.getLogger(__name__)

P99_TARGET_MS = 100.0  # one act, at the hall's usual size, the server on the local network
RATIO_TARGET = 3.0  # p99 against the bare replay's p99
# A clerk's pace for the "as many clerks" figure: one act a minute is a busy counter (a citizen
# takes minutes, and a business is one to three acts).
CLERK_ACTS_PER_MINUTE = 1.0


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (0.0 for no samples)."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = min(len(ordered), max(1, math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


@dataclass(frozen=True)
class KindFigures:
    """One kind of act: how many, how fast, how many refused or failed and why."""

    kind: str
    count: int
    p50_ms: float
    p99_ms: float
    refusals: dict[str, int]
    errors: dict[str, int]

    @property
    def label(self) -> str:
        return LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class StoreChecks:
    """What the store holds after the run, against what the counters were told."""

    duplicate_serials: int
    serial_gaps: int
    gap_places: tuple[str, ...]  # "counter 003 on 2026-12-05: 2 missing"
    lost_acts: int
    phantom_acts: int
    audit_ok: bool
    audit_text: str


@dataclass(frozen=True)
class LoadReport:
    counters: int
    seconds: float
    pause_ms: float
    persons: int
    server: str
    kinds: tuple[KindFigures, ...]
    p50_ms: float
    p99_ms: float
    bare_p99_ms: float | None
    bare_samples: int
    bare_failures: int
    bare_note: str
    client_cpu_s: float
    checks: StoreChecks
    refusal_examples: dict[str, str]
    failed_counters: tuple[str, ...]
    first_error: str

    @classmethod
    def of(
        cls,
        results: Sequence[CounterResult],
        *,
        seconds: float,
        pause_ms: float,
        persons: int,
        server: str,
        checks: StoreChecks,
        bare_note: str,
    ) -> LoadReport:
        latencies: dict[str, list[float]] = {}
        refusals: dict[str, Tally[str]] = {}
        errors: dict[str, Tally[str]] = {}
        untimed: Tally[str] = Tally()
        examples: dict[str, str] = {}
        for result in results:
            untimed.update(result.untimed)
            examples = result.examples | examples
            for kind, samples in result.latencies_ms.items():
                latencies.setdefault(kind, []).extend(samples)
            for kind, tally in result.refusals.items():
                refusals.setdefault(kind, Tally()).update(tally)
            for kind, tally in result.errors.items():
                errors.setdefault(kind, Tally()).update(tally)
        kinds = tuple(
            KindFigures(
                kind,
                len(samples) + untimed[kind],
                percentile(samples, 0.5),
                percentile(samples, 0.99),
                dict(refusals.get(kind, {})),
                dict(errors.get(kind, {})),
            )
            for kind, samples in sorted(latencies.items(), key=lambda item: -len(item[1]))
        )
        missing = set(untimed) - set(latencies)  # kinds met only while warming up
        kinds += tuple(
            KindFigures(
                kind,
                untimed[kind],
                0.0,
                0.0,
                dict(refusals.get(kind, {})),
                dict(errors.get(kind, {})),
            )
            for kind in sorted(missing)
        )
        every = [ms for samples in latencies.values() for ms in samples]
        bare = [ms for result in results for ms in result.bare_ms]
        return cls(
            counters=len(results),
            seconds=seconds,
            pause_ms=pause_ms,
            persons=persons,
            server=server,
            kinds=kinds,
            p50_ms=percentile(every, 0.5),
            p99_ms=percentile(every, 0.99),
            bare_p99_ms=percentile(bare, 0.99) if bare else None,
            bare_samples=len(bare),
            bare_failures=sum(result.bare_failures for result in results),
            bare_note=bare_note,
            client_cpu_s=sum(result.cpu_s for result in results),
            checks=checks,
            refusal_examples=examples,
            failed_counters=tuple(r.counter_no for r in results if r.failed),
            first_error=next((r.failed or r.first_error for r in results if r.failed), "")
            or next((r.first_error for r in results if r.first_error), ""),
        )

    @property
    def acts(self) -> int:
        return sum(kind.count for kind in self.kinds)

    @property
    def acts_per_s(self) -> float:
        return self.acts / self.seconds if self.seconds else 0.0

    @property
    def clerks_equivalent(self) -> int:
        """How many counters at a busy clerk's pace would send the server as many acts."""
        return round(self.acts_per_s * 60 / CLERK_ACTS_PER_MINUTE)

    @property
    def cpu_ms_per_act(self) -> float:
        """The counter processes' own CPU per act (Python, the ORM, the driver, the replays)."""
        return self.client_cpu_s * 1000 / self.acts if self.acts else 0.0

    @property
    def errors(self) -> int:
        return sum(sum(kind.errors.values()) for kind in self.kinds) + len(self.failed_counters)

    @property
    def refused(self) -> int:
        return sum(sum(kind.refusals.values()) for kind in self.kinds)

    @property
    def ratio(self) -> float | None:
        return self.p99_ms / self.bare_p99_ms if self.bare_p99_ms else None

    def sound(self) -> bool:
        """Nothing lost, duplicated, invented or broken, and no act failed."""
        checks = self.checks
        return not (
            checks.duplicate_serials
            or checks.serial_gaps
            or checks.lost_acts
            or checks.phantom_acts
            or not checks.audit_ok
            or self.errors
        )

    def targets_met(self) -> bool:
        ratio = self.ratio
        return self.p99_ms < P99_TARGET_MS and ratio is not None and ratio <= RATIO_TARGET

    def describe(self) -> str:
        lines = [
            f"压力测试：{self.counters} 个窗口，{self.seconds:.0f} 秒，"
            + (f"每笔业务后平均停 {self.pause_ms:.0f} 毫秒" if self.pause_ms else "业务连续办理")
            + f"，参保人 {self.persons:,} 人；"
            f"数据库 {self.server}",
            f"{'业务':<22}{'笔数':>7}{'p50 毫秒':>10}{'p99 毫秒':>10}  拒办（按原因） / 出错",
        ]
        for kind in self.kinds:
            lines.append(
                f"{_pad(kind.label, 24)}{kind.count:>8}{kind.p50_ms:>11.1f}{kind.p99_ms:>11.1f}  "
                f"{_tally(kind.refusals)} / {_tally(kind.errors)}"
            )
        ratio = self.ratio
        bare = (
            f"{self.bare_p99_ms:.1f} 毫秒（重放 {self.bare_samples} 笔，失败 "
            f"{self.bare_failures} 笔），为其 {ratio:.1f} 倍（目标 ≤ {RATIO_TARGET:.0f} 倍）"
            f"{_verdict(ratio is not None and ratio <= RATIO_TARGET)}"
            if self.bare_p99_ms is not None and ratio is not None
            else f"未测（{self.bare_note}）"
        )
        checks = self.checks
        lines += [
            f"合计 {self.acts:,} 笔，每秒 {self.acts_per_s:,.1f} 笔；拒办 {self.refused:,} 笔，"
            f"出错 {self.errors} 笔；窗口进程每笔占用 CPU {self.cpu_ms_per_act:.1f} 毫秒",
            f"相当于约 {self.clerks_equivalent:,} 个窗口各每分钟办 {CLERK_ACTS_PER_MINUTE:.0f} 笔"
            + ("" if self.pause_ms else self._saturation()),
            f"单笔 p50 {self.p50_ms:.1f} 毫秒，p99 {self.p99_ms:.1f} 毫秒"
            f"（目标 < {P99_TARGET_MS:.0f} 毫秒）{_verdict(self.p99_ms < P99_TARGET_MS)}",
            f"同一事务直接用 psycopg 重放（无 ORM）的 p99：{bare}",
            f"重复的业务流水号 {checks.duplicate_serials}{_verdict(not checks.duplicate_serials)}；"
            f"流水号断号 {checks.serial_gaps}{_verdict(not checks.serial_gaps)}"
            + "".join(f"；{place}" for place in checks.gap_places[:5]),
            f"窗口已办结而库中没有的业务（丢失） {checks.lost_acts}"
            f"{_verdict(not checks.lost_acts)}；库中有而没有窗口办结的业务（多出） "
            f"{checks.phantom_acts}{_verdict(not checks.phantom_acts)}",
            f"审计日志：{checks.audit_text}",
        ]
        if self.failed_counters:
            lines.append(f"未能运行的窗口：{'、'.join(self.failed_counters)}")
        if self.first_error:
            lines.append(f"第一个错误：{self.first_error.strip().splitlines()[-1]}")
            log.warning("first error of the load run: %s", self.first_error)
        return "\n".join(lines)

    def _saturation(self) -> str:
        # Back to back, the counters form a closed queue: by Little's law the mean act takes
        # counters / throughput, whatever the store does; the run measures the throughput.
        wait = self.counters / self.acts_per_s * 1000 if self.acts_per_s else 0.0
        return (
            f"；连续办理测的是吞吐上限：{self.counters} 个窗口轮流等服务器与 CPU，"
            f"平均每笔约 {self.counters} ÷ {self.acts_per_s:,.1f} = {wait:.0f} 毫秒"
        )

    def to_json(self) -> dict[str, Any]:
        checks = self.checks
        return {
            "counters": self.counters,
            "seconds": round(self.seconds, 1),
            "pause_ms": self.pause_ms,
            "persons": self.persons,
            "acts": self.acts,
            "acts_per_s": round(self.acts_per_s, 1),
            "clerks_equivalent": self.clerks_equivalent,
            "client_cpu_ms_per_act": round(self.cpu_ms_per_act, 2),
            "p50_ms": round(self.p50_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "bare_p99_ms": None if self.bare_p99_ms is None else round(self.bare_p99_ms, 2),
            "p99_ratio": None if self.ratio is None else round(self.ratio, 2),
            "bare_samples": self.bare_samples,
            "bare_failures": self.bare_failures,
            "duplicate_serials": checks.duplicate_serials,
            "serial_gaps": checks.serial_gaps,
            "lost_acts": checks.lost_acts,
            "phantom_acts": checks.phantom_acts,
            "audit_ok": checks.audit_ok,
            "errors": self.errors,
            "refused": self.refused,
            "failed_counters": list(self.failed_counters),
            "refusal_examples": self.refusal_examples,
            "kinds": {
                kind.kind: {
                    "count": kind.count,
                    "p50_ms": round(kind.p50_ms, 2),
                    "p99_ms": round(kind.p99_ms, 2),
                    "refusals": kind.refusals,
                    "errors": kind.errors,
                }
                for kind in self.kinds
            },
        }


def _verdict(ok: bool) -> str:
    return "" if ok else "  ← 未达标"


def _tally(counts: dict[str, int]) -> str:
    return "、".join(f"{name} {n}" for name, n in sorted(counts.items())) or "0"


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` columns, a CJK character taking two."""
    used = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(1, width - used)


def gaps(rows: Iterable[tuple[str, Any, int, int]]) -> tuple[int, tuple[str, ...]]:
    """Missing sequence numbers from rows of (counter, day, count, highest)."""
    total, places = 0, []
    for counter_no, day, count, highest in rows:
        missing = highest - count  # numbers run 1..highest; duplicates are counted apart
        if missing:
            total += missing
            places.append(f"{counter_no} 号窗口 {day}：缺 {missing} 个")
    return total, tuple(places)
