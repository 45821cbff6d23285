"""``demo seed``: the demo users, the bulk population and today's business, in that order."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from medins_desk.cardreader.virtual import demo_profile_dir, load_profile
from medins_desk.domain.business import TransactionStatus
from medins_desk.domain.card import CardState
from medins_desk.domain.contributions import ContributionSource, months_between
from medins_desk.domain.enrollment import EnrollmentStatus, InsuranceType
from medins_desk.domain.identity import IdentityKind
from medins_desk.domain.names import name_initials
from medins_desk.errors import ValidationError
from medins_desk.services.context import Actor, Counter
from medins_desk.services.demo.day import (
    DEMO_PASSWORD,
    DEMO_USERS,
    Business,
    DemoDay,
    DemoUser,
    ensure_users,
)
from medins_desk.services.demo.population import Loaded, load_population, whole_months
from medins_desk.services.demo.programme import PROGRAMME
from medins_desk.services.transactions import TransactionInfo
from medins_desk.store.models import Card, ContributionMonth, Enrollment, Person, Transaction


@dataclass(frozen=True)
class DemoSummary:
    """What ``demo seed`` did, for the console (演示数据摘要)."""

    skipped: bool
    persons_added: int
    persons_total: int
    cards_added: int
    seconds: float
    users_created: tuple[str, ...]
    business_day: date | None
    transactions: tuple[TransactionInfo, ...]
    pending_reviews: int
    overdue_transfers: int
    users: tuple[DemoUser, ...] = DEMO_USERS
    password: str = DEMO_PASSWORD

    def describe(self) -> str:
        if self.skipped:
            return (
                f"库中已有 {self.persons_total:,} 名参保人，未生成演示数据（--if-empty）。\n"
                + self._users_text()
            )
        rate = self.persons_added / self.seconds if self.seconds else 0.0
        lines = ["演示数据已生成："]
        if self.persons_added:
            lines.append(
                f"  新增参保人 {self.persons_added:,} 人（含社保卡 {self.cards_added:,} 张），"
                f"用时 {self.seconds:.1f} 秒（每秒 {rate:,.0f} 人）；"
                f"库中共 {self.persons_total:,} 人"
            )
        else:
            lines.append(f"  未新增批量参保人；库中共 {self.persons_total:,} 人")
        if self.business_day is not None:
            voided = sum(1 for t in self.transactions if t.status is TransactionStatus.VOID)
            kinds = {t.kind for t in self.transactions}
            lines.append(
                f"  今日（{self.business_day:%Y-%m-%d}）经办业务 {self.transactions_today} 笔，"
                f"涵盖 {len(kinds)} 类业务，其中作废 {voided} 笔；另有往日业务 "
                f"{len(self.transactions) - self.transactions_today} 笔"
            )
            lines.append(
                f"  待复核的信息更正 {self.pending_reviews} 件，超期未办结的转移接续 "
                f"{self.overdue_transfers} 件；今日未日结"
            )
        return "\n".join([*lines, self._users_text()])

    @property
    def transactions_today(self) -> int:
        return sum(1 for t in self.transactions if t.business_day == self.business_day)

    def _users_text(self) -> str:
        lines = [f"演示用户（密码均为 {self.password}）："]
        for user in self.users:
            where = f"{user.counter_no} 号窗口" if user.counter_no else "后台"
            created = "（新建）" if user.username in self.users_created else ""
            lines.append(
                f"  {user.username:<8}{user.display_name}  {user.role.label}  {where}{created}"
            )
        return "\n".join(lines)


def seed_demo(
    sessions: sessionmaker[Session],
    *,
    persons: int,
    counter: Counter,
    random_seed: int,
    if_empty: bool,
    progress: Callable[[str], None] = lambda _: None,
    clock: Callable[[], datetime] = datetime.now,
) -> DemoSummary:
    """演示数据: demo users, ``persons`` people in bulk, and today's business at three counters.

    With ``if_empty`` nothing happens when the store already holds persons.
    """
    if persons < 0:
        raise ValidationError("persons", "参保人数不能为负数")
    with sessions() as session:
        existing = session.scalar(select(func.count()).select_from(Person)) or 0
    if if_empty and existing:
        progress(f"库中已有 {existing:,} 名参保人，跳过演示数据")
        return DemoSummary(
            skipped=True, persons_added=0, persons_total=existing, cards_added=0, seconds=0.0,
            users_created=(), business_day=None, transactions=(), pending_reviews=0,
            overdue_transfers=0,
        )  # fmt: skip
    rng = random.Random(random_seed)
    progress("创建演示用户……")
    actors, created = ensure_users(sessions, counter, clock)
    loaded = Loaded(0, 0, 0.0, existing + 1)
    if persons:
        progress(f"生成 {persons:,} 名参保人……")
        loaded = load_population(
            sessions, persons=persons, rng=rng, counter=counter, now=clock(), progress=progress
        )
    progress("登记演示卡的持卡人……")
    _register_demo_card_holders(sessions, counter.agency.region_code, clock())
    progress("办理今日演示业务……")
    business = _today_business(sessions, actors, rng, clock=clock, bulk_ids=loaded.ids)
    with sessions() as session:
        total = session.scalar(select(func.count()).select_from(Person)) or 0
    return DemoSummary(
        skipped=False,
        persons_added=loaded.persons,
        persons_total=total,
        cards_added=loaded.cards,
        seconds=loaded.seconds,
        users_created=created,
        business_day=business.day,
        transactions=business.transactions,
        pending_reviews=business.pending_reviews,
        overdue_transfers=business.overdue_transfers,
    )


def _register_demo_card_holders(
    sessions: sessionmaker[Session], region: str, now: datetime
) -> None:
    """The holders of the 培训/演示 menu's cards are on record with those very cards, so a demo
    card inserted at the counter opens its holder like any citizen's card. Their card numbers
    use a letter neither issued here nor used by the bulk population (X)."""
    with sessions() as session:
        for path in sorted(demo_profile_dir().glob("*.toml")):
            profile = load_profile(path)
            known = session.scalar(
                select(Person.id).where(Person.id_number == profile.ssn).limit(1)
            ) or session.scalar(
                select(Card.id).where(Card.card_number == profile.card_number).limit(1)
            )
            if known is not None:
                continue
            issued = datetime.combine(profile.issue_date, datetime.min.time()).replace(hour=10)
            person = Person(
                id_number=profile.ssn, id_kind=IdentityKind.RESIDENT, passport_country=None,
                name=profile.name, name_initials=name_initials(profile.name),
                sex=profile.sex.value, birth_date=profile.birth_date,
                ethnicity=profile.ethnicity, created_at=issued, updated_at=issued,
            )  # fmt: skip
            start = max(profile.birth_date, date(2007, 1, 1))
            person.enrollments.append(
                Enrollment(
                    insurance_type=InsuranceType.RESIDENT, status=EnrollmentStatus.ACTIVE,
                    region_code=region, start_date=start, actual_months=whole_months(start, now),
                    updated_at=issued,
                )
            )  # fmt: skip
            person.cards.append(
                Card(
                    card_number=profile.card_number, card_id_code=profile.card_id_code,
                    state=CardState.ACTIVE, region_code=profile.card_id_code[:6],
                    issue_date=profile.issue_date, expiry_date=profile.expiry_date,
                    state_changed_at=issued,
                )
            )  # fmt: skip
            session.add(person)
            session.flush()
            # Paid every month from the start to last month.
            session.add_all(
                ContributionMonth(
                    person_id=person.id,
                    month=month,
                    insurance_type=InsuranceType.RESIDENT,
                    region_code=region,
                    source=ContributionSource.LOCAL,
                )
                for month in months_between(start, now.date())[:-1]
            )
        session.commit()


def _today_business(
    sessions: sessionmaker[Session],
    actors: dict[str, Actor],
    rng: random.Random,
    *,
    clock: Callable[[], datetime],
    bulk_ids: range,
) -> Business:
    with sessions() as session:
        first = (session.scalar(select(func.max(Transaction.id))) or 0) + 1
    day = DemoDay(sessions, actors, rng, clock(), bulk_ids)
    day.run(PROGRAMME)
    return day.summary(first)
