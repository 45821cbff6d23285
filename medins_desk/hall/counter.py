"""One counter of a load run (压力测试中的一个窗口), in a process of its own.

The counter's clerk (and, at some counters, a supervisor) serve citizens back to back through the
same service functions the views call, in the mix of a real day: look-ups most, then loss
reports, corrections, card applications, transfers and reprints; a supervisor reviews
corrections and voids acts. The citizens are drawn so that counters sometimes meet the same
person: a refusal by a business rule is then an outcome, counted by its kind, not an error.
Every act that returned is remembered by the serials it committed; one act in
:data:`BARE_EVERY` is also replayed bare on the twin (see ``replay``).
"""

from __future__ import annotations

import logging
import random
import time
import traceback
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from multiprocessing.synchronize import Barrier
from typing import TYPE_CHECKING, Any, Protocol, cast

from sqlalchemy import Connection, select

from medins_desk.domain.business import TransactionStatus
from medins_desk.domain.card import CardApplicationKind, CardState, ReplacementReason
from medins_desk.domain.correction import CorrectionField, CorrectionState, SupportingDocument
from medins_desk.domain.enrollment import EnrollmentStatus
from medins_desk.domain.names import load_pinyin
from medins_desk.domain.roles import Role
from medins_desk.errors import (
    BusinessRuleError,
    ConfirmationRequired,
    NotFound,
    ValidationError,
)
from medins_desk.hall import replay
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.context import Actor, Counter
from medins_desk.services.correction import (
    approve_correction,
    reject_correction,
    submit_correction,
)
from medins_desk.services.demo import demo_photo
from medins_desk.services.enrollment import suspend_enrollment
from medins_desk.services.loss_report import report_loss, unfreeze_card
from medins_desk.services.persons import PersonLookup, get_person
from medins_desk.services.transactions import TransactionInfo
from medins_desk.services.transfer.transfer_in import start_transfer_in
from medins_desk.services.transfer.transfer_out import start_transfer_out
from medins_desk.services.void import void_transaction
from medins_desk.services.vouchers import voucher_source
from medins_desk.store import Store, open_store
from medins_desk.store.models import Card, CorrectionRequest, Enrollment, Person, Transaction

if TYPE_CHECKING:
    from multiprocessing.queues import Queue

log = logging.getLogger(__name__)

BARE_EVERY = 4  # one act in so many is replayed bare on the twin
# A counter's first acts of each kind are done and checked but not timed: they compile their
# statements (a counter application runs all day).
WARM_UP = 2
HOT_SHARE = 0.2  # the share of acts on the hall's few "hot" citizens, where counters collide
# What a business rule may answer: the act is refused, nothing is written; counted, not an error.
REFUSALS = (BusinessRuleError, NotFound, ValidationError)


@dataclass(frozen=True)
class Account:
    """A user signed in at the counter, as the run made them."""

    user_id: int
    username: str
    display_name: str
    role: Role


@dataclass(frozen=True)
class CounterPlan:
    """What one counter process is told: where, who, whom it serves, and for how long."""

    url: str
    twin_url: str | None
    counter: Counter
    clerk: Account
    supervisor: Account | None
    seconds: float
    max_acts: int
    pause_ms: float  # the mean pause after each business (0: back to back)
    persons: tuple[int, int]  # first and last id of the population
    hot: tuple[int, ...]
    seed: int


@dataclass
class CounterResult:
    """What one counter saw: latencies, refusals and errors by act kind, the serials of the acts
    it was told were done, and its bare replays."""

    counter_no: str
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    refusals: dict[str, Tally[str]] = field(default_factory=dict)
    errors: dict[str, Tally[str]] = field(default_factory=dict)
    serials: list[str] = field(default_factory=list)
    bare_ms: list[float] = field(default_factory=list)
    bare_failures: int = 0
    cpu_s: float = 0.0  # the process's CPU time while serving (bare replays included)
    untimed: Tally[str] = field(default_factory=Tally)  # warm-up acts by kind
    examples: dict[str, str] = field(default_factory=dict)  # "kind: Refusal" -> its message
    first_error: str = ""
    failed: str = ""  # the counter could not run at all: the traceback


class _Receipt(Protocol):
    @property
    def transaction(self) -> TransactionInfo: ...


Step = tuple[str, Callable[[], tuple[str, ...]]]  # act kind, the service call(s) it makes


# The day's mix: act kind -> weight at every counter; SUPERVISED only where a supervisor sits.
MIX: dict[str, int] = {
    "lookup": 45,
    "loss_report": 10,
    "unfreeze": 3,
    "correction": 12,
    "card_application": 7,
    "transfer_in": 3,
    "transfer_out": 3,
    "reprint": 8,
}
SUPERVISED: dict[str, int] = {"review": 6, "void": 3}
# What the report calls each kind (the first step of a two-step business has its own name).
LABELS: dict[str, str] = {
    "lookup": "查询（按证件号码查人并打开）",
    "loss_report": "挂失",
    "unfreeze": "解挂",
    "correction": "信息变更/更正",
    "card_application": "社保卡补换领",
    "transfer_in": "医保关系转入",
    "suspend": "暂停参保（转出前）",
    "transfer_out": "医保关系转出",
    "reprint": "补打（凭证来源）",
    "review": "更正复核",
    "void": "作废",
}


def serve(plan: CounterPlan, ready: Barrier, results: Queue[CounterResult]) -> None:
    """The process's target: set up, wait for every counter, serve, hand the result back."""
    try:
        result = _Desk(plan).run(ready)
    except BaseException:  # the run reports it; the process must still answer
        ready.abort()
        result = CounterResult(plan.counter.counter_no, failed=traceback.format_exc())
    results.put(result)


class _Desk:
    """The counter: its clerk (and supervisor), its connections to the store (the sessions, the
    look-up's, one for the untimed reads that choose an act) and to the twin, its citizens."""

    def __init__(self, plan: CounterPlan) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.store: Store = open_store(plan.url, migrate=False)
        self.recorder = replay.Recorder(self.store.engine)
        self.clerk = self._actor(plan.clerk)
        self.supervisor = self._actor(plan.supervisor) if plan.supervisor else None
        self.result = CounterResult(plan.counter.counter_no)
        self.photo = demo_photo(plan.counter.policy)
        load_pinyin()  # as the counter application does after sign-in
        self.lookup = PersonLookup(self.store.sessions, self.clerk)
        # Reads that prepare an act (which card, which request): not timed, not recorded.
        self.peek: Connection = self.store.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        )
        first, last = plan.persons
        self.id_numbers: dict[int, str] = dict(
            self.peek.execute(
                select(Person.id, Person.id_number).where(Person.id.between(first, last))
            ).all()
        )
        self.twin = replay.connect(plan.twin_url) if plan.twin_url else None
        mix = MIX | (SUPERVISED if self.supervisor else {})
        self.kinds, self.weights = list(mix), list(mix.values())

    def _actor(self, account: Account) -> Actor:
        return Actor(
            account.user_id, account.username, account.display_name, account.role,
            self.plan.counter,
        )  # fmt: skip

    def run(self, ready: Barrier) -> CounterResult:
        try:
            ready.wait(timeout=300)
            cpu = time.process_time()
            end = time.monotonic() + self.plan.seconds
            done = 0
            while time.monotonic() < end and done < self.plan.max_acts:
                kind = self.rng.choices(self.kinds, self.weights)[0]
                for step_kind, call in self._prepare(kind):
                    done += 1
                    if not self._timed(step_kind, call, bare=done % BARE_EVERY == 0):
                        break
                if self.plan.pause_ms:
                    pause = self.rng.expovariate(1000 / self.plan.pause_ms)
                    time.sleep(max(0.0, min(pause, end - time.monotonic())))
            self.result.cpu_s = time.process_time() - cpu
        finally:
            self.lookup.close()
            self.peek.close()
            if self.twin is not None:
                self.twin.close()
            self.store.dispose()
        return self.result

    def _timed(self, kind: str, call: Callable[[], tuple[str, ...]], *, bare: bool) -> bool:
        """One act, timed; True when it was done."""
        result = self.result
        self.recorder.start()
        started = time.perf_counter_ns()
        done = False
        try:
            result.serials.extend(call())
            done = True
        except REFUSALS as refusal:
            name = type(refusal).__name__
            result.refusals.setdefault(kind, Tally())[name] += 1
            result.examples.setdefault(f"{kind}: {name}", refusal.message)
        except Exception as error:
            result.errors.setdefault(kind, Tally())[type(error).__name__] += 1
            if not result.first_error:
                result.first_error = f"{kind}: {traceback.format_exc()}"
            log.warning("act %s failed", kind, exc_info=True)
        elapsed = (time.perf_counter_ns() - started) / 1e6
        steps = self.recorder.stop()
        if result.untimed[kind] < WARM_UP:
            result.untimed[kind] += 1
            return done
        result.latencies_ms.setdefault(kind, []).append(elapsed)
        if bare and self.twin is not None and steps:
            try:
                result.bare_ms.append(replay.replay(self.twin, steps))
            except Exception:
                self.twin.rollback()
                result.bare_failures += 1
                log.info("bare replay of %s failed", kind, exc_info=True)
        return done

    # -- the acts ------------------------------------------------------------------------------

    def _call(self, actor: Actor, fn: Callable[..., Any], **kwargs: Any) -> Any:
        """One service call as the view makes it; notices are confirmed, as the clerk would."""
        with self.store.sessions() as session:
            try:
                return fn(session, actor, **kwargs)
            except ConfirmationRequired as asked:
                codes = asked.codes
        with self.store.sessions() as session:
            return fn(session, actor, **kwargs, acknowledged=codes)

    def _act(
        self, actor: Actor, fn: Callable[..., Any], *, writes: bool = True, **kwargs: Any
    ) -> Callable[[], tuple[str, ...]]:
        """The call, to be made later; it returns the serial of the act it wrote, if any."""

        def call() -> tuple[str, ...]:
            result = self._call(actor, fn, **kwargs)
            return (cast(_Receipt, result).transaction.serial,) if writes else ()

        return call

    def _person(self) -> int:
        if self.rng.random() < HOT_SHARE:
            return self.rng.choice(self.plan.hot)
        return self.rng.randint(*self.plan.persons)

    def _prepare(self, kind: str) -> list[Step]:
        """The act's steps, chosen as the clerk would from what the store shows now."""
        person, clerk, rng = self._person(), self.clerk, self.rng
        if kind in ("loss_report", "unfreeze"):
            card_id = self._newest_card(person)[0]
            if kind == "unfreeze":
                return [(kind, self._act(clerk, unfreeze_card, card_id=card_id))]
            formal = rng.random() < 0.3
            return [(kind, self._act(clerk, report_loss, card_id=card_id, formal=formal))]
        if kind == "correction":
            return [(kind, self._correction(person))]
        if kind == "card_application":
            return [(kind, self._card_application(person))]
        if kind == "transfer_in":
            return [(kind, self._transfer_in(person))]
        if kind == "transfer_out":
            return self._transfer_out(person)
        if kind == "reprint" and self.result.serials:
            mine = rng.choice(self.result.serials[-50:])
            return [(kind, self._act(clerk, voucher_source, writes=False, serial=mine))]
        if kind == "review" and self.supervisor is not None:
            request = self._pending_request(self.supervisor)
            if request is not None:
                return [(kind, self._review(self.supervisor, request))]
        if kind == "void" and self.supervisor is not None:
            serial = self._recent_serial()
            if serial is not None:
                # A void changes the act it voids and writes no new one.
                void = self._act(
                    self.supervisor, void_transaction, writes=False, serial=serial,
                    reason="录入错误，作废重办",
                )  # fmt: skip
                return [(kind, void)]
        return [("lookup", self._look_up(person))]

    def _look_up(self, person: int) -> Callable[[], tuple[str, ...]]:
        """The number typed (or the card read), then the person's page opened."""
        number = self.id_numbers.get(person, "")

        def call() -> tuple[str, ...]:
            hits = self.lookup.find(number)
            if not hits:
                raise NotFound(f"没有证件号码为 {number} 的参保人")
            self._call(self.clerk, get_person, person_id=hits[0].id)
            return ()

        return call

    def _correction(self, person: int) -> Callable[[], tuple[str, ...]]:
        """A new phone (done at once) or, less often, a name (waits for review)."""
        if self.rng.random() < 0.7:
            phone = f"1{self.rng.choice('3578')}{self.rng.randrange(10**9):09d}"
            return self._act(
                self.clerk, submit_correction, person_id=person,
                changes={CorrectionField.PHONE: phone}, reason="本人更换手机号码",
            )  # fmt: skip
        name = self.peek.scalar(select(Person.name).where(Person.id == person)) or "张三"
        fixed = name[:-1] + ("玮" if name[-1] != "玮" else "伟")
        return self._act(
            self.clerk, submit_correction, person_id=person, changes={CorrectionField.NAME: fixed},
            reason="姓名登记有误，与户口簿不符",
            documents=(SupportingDocument.HOUSEHOLD_REGISTER, SupportingDocument.ID_CARD),
        )  # fmt: skip

    def _card_application(self, person: int) -> Callable[[], tuple[str, ...]]:
        """补领 after a formal loss report, else 换领 of a damaged card."""
        if self._newest_card(person)[1] is CardState.FORMAL_LOST:
            return self._act(
                self.clerk, apply_for_card, person_id=person, kind=CardApplicationKind.REISSUE,
                photo=self.photo,
            )  # fmt: skip
        return self._act(
            self.clerk, apply_for_card, person_id=person, kind=CardApplicationKind.REPLACEMENT,
            photo=self.photo, replacement_reason=ReplacementReason.DAMAGED,
            old_card_returned=True,
        )  # fmt: skip

    def _transfer_in(self, person: int) -> Callable[[], tuple[str, ...]]:
        """转入 with a 参保凭证 whose insured years end the day before the local ones begin."""
        start = self._enrollment_start(person) or date(2015, 1, 1)
        origin_end = start - timedelta(days=1)
        return self._act(
            self.clerk, start_transfer_in, person_id=person, origin_agency="四川省成都市医疗保障局",
            origin_region="510107", certificate_date=origin_end,
            origin_periods=[(date(origin_end.year - 5, origin_end.month, 1), origin_end)],
            origin_actual_months=60, origin_deemed_months=0, origin_balance_fen=123_456,
        )  # fmt: skip

    def _transfer_out(self, person: int) -> list[Step]:
        """转出: the enrollment suspended, then the 参保凭证 (two acts, as at the counter)."""
        suspend = self._act(
            self.clerk, suspend_enrollment, person_id=person, effective=date.today(),
            reason="到外地就业，转移医保关系",
        )  # fmt: skip
        certificate = self._act(
            self.clerk, start_transfer_out, person_id=person,
            destination_agency="上海市医疗保障局", destination_region="310104",
        )  # fmt: skip
        return [("suspend", suspend), ("transfer_out", certificate)]

    def _review(self, supervisor: Actor, request: int) -> Callable[[], tuple[str, ...]]:
        if self.rng.random() < 0.8:
            return self._act(
                supervisor, approve_correction, request_id=request, comment="材料齐全，同意更正"
            )
        return self._act(
            supervisor, reject_correction, request_id=request, reason="证明材料与户口簿不一致"
        )

    # -- what the clerk sees before acting (not timed) -------------------------------------

    def _newest_card(self, person: int) -> tuple[int, CardState | None]:
        row = self.peek.execute(
            select(Card.id, Card.state)
            .where(Card.person_id == person)
            .order_by(Card.id.desc())
            .limit(1)
        ).first()
        return (row[0], row[1]) if row is not None else (0, None)

    def _enrollment_start(self, person: int) -> date | None:
        return self.peek.scalar(
            select(Enrollment.start_date)
            .where(Enrollment.person_id == person, Enrollment.status == EnrollmentStatus.ACTIVE)
            .limit(1)
        )

    def _pending_request(self, supervisor: Actor) -> int | None:
        return self.peek.scalar(
            select(CorrectionRequest.id)
            .where(
                CorrectionRequest.state == CorrectionState.PENDING,
                CorrectionRequest.submitted_by != supervisor.user_id,
            )
            .order_by(CorrectionRequest.id)
            .offset(self.rng.randrange(4))
            .limit(1)
        )

    def _recent_serial(self) -> str | None:
        return self.peek.scalar(
            select(Transaction.serial)
            .where(
                Transaction.business_day == date.today(),
                Transaction.status == TransactionStatus.NORMAL,
            )
            .order_by(Transaction.id.desc())
            .offset(self.rng.randrange(40))
            .limit(1)
        )


def counter_at(base: Counter, counter_no: str) -> Counter:
    """The hall's counter ``counter_no`` (no card printer: applications go to the bureau)."""
    return replace(base, counter_no=counter_no, has_card_printer=False)
