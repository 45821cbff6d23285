"""The demo day's framework: the demo users, their counters, the counters' clock, and the day
that runs the acts of the programme one after another through the real services.

An act (一段演示业务) is a small script in the module of the business it shows, made a
``DemoAct`` by ``@demo_act``, which also names the people it needs from the bulk population by
their part in it; ``programme.PROGRAMME`` says in which order the day runs the acts.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from medins_desk.domain.card import CardApplicationKind, CardState, RepresentativeRole
from medins_desk.domain.correction import CorrectionState
from medins_desk.domain.enrollment import EnrollmentStatus, InsuranceType
from medins_desk.domain.identity import check_character
from medins_desk.domain.roles import Role
from medins_desk.domain.transfer import TransferStage
from medins_desk.domain.workdays import is_working_day
from medins_desk.errors import ConfirmationRequired
from medins_desk.services.card_application import Representative, apply_for_card
from medins_desk.services.context import Actor, Counter
from medins_desk.services.demo.photo import demo_photo
from medins_desk.services.demo.population import BUSINESS_SEQUENCE_START, HAN, Population
from medins_desk.services.persons import EnrollmentInput, register_person
from medins_desk.services.transactions import TransactionInfo, transaction_info
from medins_desk.services.users import console_actor, create_user
from medins_desk.store.models import (
    Card,
    CorrectionRequest,
    DayClose,
    Enrollment,
    Person,
    Transaction,
    TransferCase,
    User,
)

DEMO_PASSWORD = "Demo2026!"

# The notice of a registration with the name and birth date of someone on record (疑似重复).
POSSIBLE_DUPLICATE = "possible_duplicate"


@dataclass(frozen=True)
class DemoUser:
    """A demo account: who signs in where (演示用户)."""

    username: str
    display_name: str
    role: Role
    counter_no: str | None


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("clerk1", "李秀英", Role.CLERK, "001"),
    DemoUser("clerk2", "王建国", Role.CLERK, "002"),
    DemoUser("clerk3", "陈思远", Role.CLERK, "003"),
    DemoUser("super1", "张丽华", Role.SUPERVISOR, "001"),
    DemoUser("super2", "刘志强", Role.SUPERVISOR, "002"),
    DemoUser("admin", "赵敏", Role.ADMIN, None),
)

# The demo hall's counter with a card printer (即时制卡).
_CARD_PRINTER_COUNTER = "003"


# ---------------------------------------------------------------------------------------------
# Demo users


def ensure_users(
    sessions: sessionmaker[Session], counter: Counter, clock: Callable[[], datetime]
) -> tuple[dict[str, Actor], tuple[str, ...]]:
    """The demo accounts, created through the user service where absent; their actors."""
    with sessions() as session:
        console = console_actor(session, counter, clock)
        existing = set(
            session.scalars(
                select(User.username).where(User.username.in_([u.username for u in DEMO_USERS]))
            )
        )
    created = []
    for demo_user in DEMO_USERS:
        if demo_user.username in existing:
            continue
        with sessions() as session:
            create_user(
                session, console, username=demo_user.username,
                display_name=demo_user.display_name, role=demo_user.role, password=DEMO_PASSWORD,
            )  # fmt: skip
        created.append(demo_user.username)
    actors: dict[str, Actor] = {}
    with sessions() as session:
        for demo_user in DEMO_USERS:
            user = session.scalars(select(User).where(User.username == demo_user.username)).one()
            counter_no = demo_user.counter_no or counter.counter_no
            at = dataclasses.replace(
                counter,
                counter_no=counter_no,
                has_card_printer=counter.has_card_printer or counter_no == _CARD_PRINTER_COUNTER,
            )
            actors[user.username] = Actor(
                user.id, user.username, user.display_name, user.role, at, clock
            )
    return actors, tuple(created)


def fresh_identity_number(
    session: Session, rng: random.Random, *, birth: date, male: bool, area: str
) -> str:
    """An identity number nobody in the store has, for someone registered at the counter.

    Counter registrations use sequences 900-999, which the bulk population never does, and the
    store is asked, so numbers stay unique however often the demo is seeded.
    """
    day = birth
    while True:
        sequences = [s for s in range(BUSINESS_SEQUENCE_START, 1000) if s % 2 == int(male)]
        rng.shuffle(sequences)
        for sequence in sequences:
            first17 = f"{area}{day:%Y%m%d}{sequence:03d}"
            number = first17 + check_character(first17)
            if session.scalar(select(Person.id).where(Person.id_number == number)) is None:
                return number
        day -= timedelta(days=1)  # every sequence of the day is taken: the day before


def fresh_birth_certificate_number(session: Session, rng: random.Random, *, area: str) -> str:
    """A 出生医学证明 number (a letter and nine digits, the province's two first) nobody in the
    store is registered on, for a newborn registered before the 户口 is."""
    while True:
        number = f"{rng.choice('OPQ')}{area[:2]}{rng.randrange(10**7):07d}"
        if session.scalar(select(Person.id).where(Person.id_number == number)) is None:
            return number


# ---------------------------------------------------------------------------------------------
# Acts


@dataclass(frozen=True)
class DemoAct:
    """One act of the demo day: its script, and the parts it needs played by people of the
    bulk population (adults with an active card and enrollment begun before today), any
    insurance for ``cast`` and 职工医保 for ``employees``. The script finds them in
    ``day.cast`` under the names of their parts."""

    script: Callable[[DemoDay], None]
    cast: tuple[str, ...] = ()
    employees: tuple[str, ...] = ()


def demo_act(
    *, cast: tuple[str, ...] = (), employees: tuple[str, ...] = ()
) -> Callable[[Callable[[DemoDay], None]], DemoAct]:
    """Makes a script an act of the demo day, with the parts it needs from the population."""

    def make(script: Callable[[DemoDay], None]) -> DemoAct:
        return DemoAct(script, cast, employees)

    return make


# ---------------------------------------------------------------------------------------------
# Today's business at three counters


class _CounterClock:
    """The counters' wall clock during the demo day, moved on before each act."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@dataclass(frozen=True)
class Business:
    """What the day left: its transactions and what waits for the supervisor."""

    day: date
    transactions: tuple[TransactionInfo, ...]
    pending_reviews: int
    overdue_transfers: int


class DemoDay:
    """Clerks serving citizens one after another, a few minutes apart, through the services.

    Notices that need confirming are confirmed, as the clerk would after checking with the
    citizen.
    """

    ACTS = 64  # the most service calls of the day: they are spaced to end at the present moment

    def __init__(
        self,
        sessions: sessionmaker[Session],
        actors: dict[str, Actor],
        rng: random.Random,
        now: datetime,
        bulk_ids: range,
    ) -> None:
        self.sessions = sessions
        self.rng = rng
        self.now = now.replace(microsecond=0)
        self.today = self.now.date()
        midnight = datetime.combine(self.today, datetime.min.time())
        self.step = min(timedelta(minutes=9), (self.now - midnight) / (self.ACTS + 1))
        self.clock = _CounterClock(self.now - self.step * self.ACTS)
        self.actors = {
            name: dataclasses.replace(actor, clock=self.clock) for name, actor in actors.items()
        }
        self.region = next(iter(actors.values())).counter.agency.region_code
        self.bulk_ids = bulk_ids
        self.photo = demo_photo(next(iter(actors.values())).policy)
        self.taken: set[int] = set()
        # The day's people by their part: cast from the population before the first act, or
        # registered by an act for a later one.
        self.cast: dict[str, int] = {}

    def run(self, programme: Sequence[DemoAct]) -> None:
        """The parts of every act cast at once (so an act's people do not depend on what the
        acts before it drew from the generator), then the acts in order."""
        parts = [part for act in programme for part in act.cast]
        employees = [part for act in programme for part in act.employees]
        if len(set(parts + employees)) != len(parts) + len(employees):
            raise AssertionError(f"a part is cast twice: {parts + employees}")  # a script bug
        self.cast.update(zip(parts, self.people(len(parts)), strict=True))
        self.cast.update(
            zip(employees, self.people(len(employees), insurance=InsuranceType.EMPLOYEE),
                strict=True)
        )  # fmt: skip
        for act in programme:
            act.script(self)

    # -- plumbing --------------------------------------------------------------------------

    def act(self, username: str, fn: Callable[..., Any], **kwargs: Any) -> Any:
        """One service call by ``username`` a few minutes after the previous one."""
        self.clock.moment = min(self.clock.moment + self.step, self.now)
        return self.call(username, fn, **kwargs)

    def call(self, username: str, fn: Callable[..., Any], **kwargs: Any) -> Any:
        """One service call by ``username`` at the clock's present moment."""
        actor = self.actors[username]
        with self.sessions() as session:
            try:
                return fn(session, actor, **kwargs)
            except ConfirmationRequired as asked:
                codes = asked.codes
        if POSSIBLE_DUPLICATE in codes:
            # Seeding again registers the script's people once more, under new numbers: the
            # clerk has compared the documents and records why they are not the same person.
            kwargs.setdefault("duplicate_reason", "证件号码不同，经核对证件非同一人")
        with self.sessions() as session:
            return fn(session, actor, **kwargs, acknowledged=codes)

    @contextmanager
    def at(self, moment: datetime) -> Iterator[None]:
        """The counters' clock set to ``moment`` for a while (business of an earlier day)."""
        saved = self.clock.moment
        self.clock.moment = moment
        try:
            yield
        finally:
            self.clock.moment = saved

    def back_then(self, working_days: int) -> datetime:
        """10 o'clock on the working day ``working_days`` before today that is still open."""
        day = self.today
        with self.sessions() as session:
            hall = next(iter(self.actors.values())).counter.hall_code
            while True:
                counted = 0
                while counted < working_days:
                    day -= timedelta(days=1)
                    counted += is_working_day(day)
                closed = session.scalar(
                    select(DayClose.id).where(
                        DayClose.hall_code == hall, DayClose.business_day == day
                    )
                )
                if closed is None:
                    return datetime.combine(day, datetime.min.time()).replace(hour=10)
                working_days = 1

    # -- people ----------------------------------------------------------------------------

    def people(self, count: int, *, insurance: InsuranceType | None = None) -> list[int]:
        """Adults of this run's population with an active card and enrollment (begun before
        today, of ``insurance`` when given), in random order, none chosen twice in the day;
        stand-ins registered (with an instant card) when the population is too small."""
        chosen: list[int] = []
        if self.bulk_ids:
            sample = self.rng.sample(self.bulk_ids, min(len(self.bulk_ids), count * 8))
            youngest = self.today.replace(year=self.today.year - 18)
            oldest = self.today.replace(year=self.today.year - 59)
            query = (
                select(Person.id)
                .join(Card, Card.person_id == Person.id)
                .join(Enrollment, Enrollment.person_id == Person.id)
                .where(
                    Person.id.in_(sample),
                    Person.birth_date.between(oldest, youngest),
                    Card.state == CardState.ACTIVE,
                    Enrollment.status == EnrollmentStatus.ACTIVE,
                    Enrollment.start_date < self.today,
                )
            )
            if insurance is not None:
                query = query.where(Enrollment.insurance_type == insurance)
            with self.sessions() as session:
                eligible = set(session.scalars(query)) - self.taken
            chosen = [pid for pid in sample if pid in eligible][:count]
        while len(chosen) < count:
            chosen.append(self.stand_in())
        self.taken.update(chosen)
        return chosen

    def stand_in(self) -> int:
        male = self.rng.random() < 0.5
        population = Population(self.rng, self.today, self.region, self.now)
        name, ethnicity = population.name(male)
        birth = date(self.rng.randint(1970, 2000), self.rng.randint(1, 12), self.rng.randint(1, 28))
        person_id = self.register(
            "clerk3",
            name=name,
            birth=birth,
            male=male,
            ethnicity=ethnicity,
            insurance=InsuranceType.EMPLOYEE,
            phone=population.phone(),
        )
        self.act(
            "clerk3",
            apply_for_card,
            person_id=person_id,
            kind=CardApplicationKind.FIRST,
            photo=self.photo,
            instant=True,
        )
        return person_id

    def stand_in_at(self, username: str) -> int:
        """Someone registered at ``username``'s counter, with no card yet."""
        male = self.rng.random() < 0.5
        population = Population(self.rng, self.today, self.region, self.now)
        name, ethnicity = population.name(male)
        birth = date(self.rng.randint(1960, 2004), self.rng.randint(1, 12), self.rng.randint(1, 28))
        return self.register(
            username,
            name=name,
            birth=birth,
            male=male,
            ethnicity=ethnicity,
            insurance=InsuranceType.RESIDENT,
            phone=population.phone(),
        )

    def register(
        self,
        username: str,
        *,
        name: str,
        birth: date,
        male: bool,
        insurance: InsuranceType,
        ethnicity: str = HAN,
        phone: str | None = None,
        address: str | None = None,
        postcode: str | None = None,
    ) -> int:
        with self.sessions() as session:
            number = fresh_identity_number(
                session, self.rng, birth=birth, male=male, area=self.region
            )
        start = (
            max(date(birth.year + 20, 7, 1), date(2010, 1, 1))
            if insurance is InsuranceType.EMPLOYEE
            else max(birth, date(2007, 1, 1))
        )
        start = min(start, self.clock().date())
        result = self.act(
            username,
            register_person,
            id_number=number,
            name=name,
            ethnicity=ethnicity,
            phone=phone,
            address=address,
            postcode=postcode,
            enrollment=EnrollmentInput(insurance, start, self.region),
        )
        return int(result.person.id)

    def representative(
        self,
        role: RepresentativeRole,
        name: str,
        birth: date,
        *,
        male: bool,
        relation: str,
        phone: str,
    ) -> Representative:
        """An agent (代办人) or guardian (监护人) with an identity number nobody has."""
        with self.sessions() as session:
            number = fresh_identity_number(
                session, self.rng, birth=birth, male=male, area=self.region
            )
        return Representative(
            role=role, id_number=number, name=name, relation=relation, phone=phone
        )

    # -- what the store says ---------------------------------------------------------------

    def newest_card(self, person_id: int) -> int:
        with self.sessions() as session:
            card_id = session.scalar(select(func.max(Card.id)).where(Card.person_id == person_id))
        if card_id is None:
            raise AssertionError(f"person {person_id} has no card")  # a bug in the script
        return int(card_id)

    def newest_request(self, person_id: int) -> int:
        with self.sessions() as session:
            request_id = session.scalar(
                select(func.max(CorrectionRequest.id)).where(
                    CorrectionRequest.person_id == person_id
                )
            )
        if request_id is None:
            raise AssertionError(f"person {person_id} has no correction request")
        return int(request_id)

    def phone_of(self, person_id: int) -> str | None:
        with self.sessions() as session:
            return session.scalar(select(Person.phone).where(Person.id == person_id))

    def summary(self, first_transaction_id: int) -> Business:
        with self.sessions() as session:
            rows = session.scalars(
                select(Transaction)
                .where(Transaction.id >= first_transaction_id)
                .order_by(Transaction.id)
            ).all()
            transactions = tuple(transaction_info(t) for t in rows)
            pending = session.scalar(
                select(func.count())
                .select_from(CorrectionRequest)
                .where(CorrectionRequest.state == CorrectionState.PENDING)
            )
            overdue = session.scalar(
                select(func.count())
                .select_from(TransferCase)
                .where(
                    TransferCase.due_on < self.today,
                    TransferCase.stage.not_in([TransferStage.COMPLETED, TransferStage.CANCELLED]),
                )
            )
        return Business(self.today, transactions, pending or 0, overdue or 0)
