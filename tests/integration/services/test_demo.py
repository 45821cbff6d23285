"""演示数据: the bulk population and today's business, on real SQLite and PostgreSQL stores."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter as Tally
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from medins_desk.cardreader.protocol import read_card
from medins_desk.cardreader.virtual import (
    DEFAULT_ATR,
    VirtualCard,
    demo_profile_dir,
    load_profile,
)
from medins_desk.domain.benefits import (
    ADULT_AGE,
    EnrollmentCategory,
    HouseholdKind,
    RefundState,
    age_on,
    parse_birth_certificate_number,
)
from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.card import CardState, parse_card_number
from medins_desk.domain.contributions import ContributionSource
from medins_desk.domain.correction import CorrectionState
from medins_desk.domain.enrollment import EnrollmentStatus, InsuranceType
from medins_desk.domain.identity import IdentityKind, Sex, parse_identity_number
from medins_desk.domain.inheritance import HeirRelation, InheritanceState
from medins_desk.domain.medical_filing import FilingKind, FilingState
from medins_desk.domain.names import name_initials, normalise_name
from medins_desk.domain.photo import PHOTO_SIZE, check_photo
from medins_desk.domain.policy import Policy
from medins_desk.domain.transfer import add_months
from medins_desk.errors import ValidationError
from medins_desk.services.audit import verify_audit_chain
from medins_desk.services.card_link import link_card
from medins_desk.services.cards import CardHandoverReceipt
from medins_desk.services.certificate import InsuranceCertificate
from medins_desk.services.context import Actor, Counter
from medins_desk.services.demo import DEMO_PASSWORD, DEMO_USERS, DemoSummary, demo_photo, seed_demo
from medins_desk.services.demo.population import MONTHS_PER_BLOCK, has_months
from medins_desk.services.enrollment import EnrollmentChangeReceipt, EnrollmentReceipt
from medins_desk.services.inheritance import InheritanceDecision, InheritancePledge
from medins_desk.services.ledger import daily_ledger
from medins_desk.services.medical_filing import FilingReceipt
from medins_desk.services.persons import search_persons
from medins_desk.services.refund import RefundReceipt
from medins_desk.services.users import sign_in
from medins_desk.services.vouchers import voucher_source
from medins_desk.store import Store, open_store
from medins_desk.store.models import (
    AccountInheritance,
    AuditEntry,
    BankDebitAccount,
    Card,
    ContributionMonth,
    CorrectionRequest,
    Enrollment,
    EnrollmentFiling,
    MedicalFiling,
    Person,
    RefundRequest,
    Transaction,
    TransferCase,
    User,
)
from tests.helpers.store import FakeClock

HALL = "110105"
NOW = datetime(2026, 11, 18, 16, 30)  # a Wednesday afternoon
TODAY = NOW.date()


@dataclass
class Seeded:
    store: Store
    counter: Counter
    clock: FakeClock
    summary: DemoSummary
    messages: list[str]

    def actor(self, username: str) -> Actor:
        with self.store.sessions() as session:
            return sign_in(
                session, username=username, password=DEMO_PASSWORD, counter=self.counter,
                clock=self.clock,
            )  # fmt: skip


def _seed(
    url: str, persons: int, *, seed: int = 7, if_empty: bool = False, now: datetime = NOW
) -> Seeded:
    store = open_store(url)
    counter = Counter(HALL, "001", Policy())
    clock = FakeClock(now)
    messages: list[str] = []
    summary = seed_demo(
        store.sessions, persons=persons, counter=counter, random_seed=seed, if_empty=if_empty,
        progress=messages.append, clock=clock,
    )  # fmt: skip
    return Seeded(store, counter, clock, summary, messages)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """500 persons and today's business in one SQLite file, shared by the read-only tests."""
    path = tmp_path_factory.mktemp("demo") / "medins.db"
    result = _seed(f"sqlite+pysqlite:///{path}", 500)
    yield result
    result.store.dispose()


def test_every_identity_number_is_valid_and_agrees_with_sex_and_birth_date(seeded: Seeded) -> None:
    with seeded.store.sessions() as session:
        rows = session.execute(
            select(
                Person.id_number, Person.sex, Person.birth_date, Person.name, Person.name_initials,
                Person.id_kind,
            )
        ).all()  # fmt: skip
    assert len(rows) >= 500
    newborns = [r for r in rows if r.id_kind is IdentityKind.BIRTH_CERTIFICATE]
    assert len(newborns) == 2  # registered on the 出生医学证明 before the 户口
    for number, sex, birth, name, initials, kind in rows:
        assert normalise_name(name) == name
        assert initials == name_initials(name)
        if kind is IdentityKind.BIRTH_CERTIFICATE:
            assert parse_birth_certificate_number(number) == number
            assert TODAY - timedelta(days=365) < birth < TODAY
            continue
        parsed = parse_identity_number(number, today=TODAY)
        assert parsed.number == number
        assert parsed.sex is Sex(sex)
        assert parsed.birth_date == birth
    assert len({r.id_number for r in rows}) == len(rows)


def test_population_looks_like_people(seeded: Seeded) -> None:
    with seeded.store.sessions() as session:
        persons = session.execute(
            select(Person.name, Person.sex, Person.birth_date, Person.phone)
        ).all()
        enrolled = session.scalar(select(func.count(func.distinct(Enrollment.person_id))))
        banks = session.scalar(select(func.count()).select_from(BankDebitAccount))
    total = len(persons)
    sexes = Tally(p.sex for p in persons)
    assert 0.35 < sexes["1"] / total < 0.65
    assert all(1940 <= p.birth_date.year <= 2026 for p in persons)
    assert sum(1 for p in persons if p.phone) / total > 0.7
    assert enrolled == total  # everyone has an enrollment
    assert 0.1 < (banks or 0) / total < 0.5
    surnames = Tally(p.name[0] for p in persons)
    assert surnames.most_common(1)[0][0] in "王李张刘陈"


def test_card_numbers_are_unique_and_pass_the_check_character(seeded: Seeded) -> None:
    with seeded.store.sessions() as session:
        cards = session.execute(select(Card.card_number, Card.card_id_code, Card.state)).all()
    numbers = [c.card_number for c in cards if c.card_number]
    assert len(numbers) > 400
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        parsed, notices = parse_card_number(number)
        assert parsed == number and not notices, number
    codes = [c.card_id_code for c in cards if c.card_id_code]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 32 and code[6:16] == "D156000005" for code in codes)


def test_today_covers_every_business_kind_across_three_counters(seeded: Seeded) -> None:
    with seeded.store.sessions() as session:
        today = session.execute(
            select(Transaction.kind, Transaction.counter_no, Transaction.status).where(
                Transaction.business_day == TODAY
            )
        ).all()
    assert {t.kind for t in today} == set(BusinessKind)
    assert {t.counter_no for t in today} >= {"001", "002", "003"}
    assert 55 <= len(today) <= 70
    assert sum(1 for t in today if t.status is TransactionStatus.VOID) == 2
    assert seeded.summary.transactions_today == len(today)


def _filings(seeded: Seeded) -> dict[str, tuple[EnrollmentFiling, Person]]:
    """The day's enrollment filings by the enrolled person's name; newborns under "newborn"
    and "late newborn"."""
    with seeded.store.sessions() as session:
        rows = session.execute(
            select(EnrollmentFiling, Person).join(Person, Person.id == EnrollmentFiling.person_id)
        ).all()
        session.expunge_all()
    filings: dict[str, tuple[EnrollmentFiling, Person]] = {}
    for filing, person in rows:
        name = person.name
        if filing.category is EnrollmentCategory.NEWBORN:
            name = "newborn" if filing.continuous else "late newborn"
        assert name not in filings, name
        filings[name] = (filing, person)
    return filings


def _enrollment(seeded: Seeded, enrollment_id: int | None) -> Enrollment:
    with seeded.store.sessions() as session:
        enrollment = session.get_one(Enrollment, enrollment_id)
        session.expunge(enrollment)
    return enrollment


def test_a_newborn_is_covered_from_birth_and_told_what_is_missing(seeded: Seeded) -> None:
    filing, baby = _filings(seeded)["newborn"]
    assert baby.id_kind is IdentityKind.BIRTH_CERTIFICATE
    assert filing.birth_certificate_number == baby.id_number
    assert filing.paid_on == TODAY and filing.benefit_start == baby.birth_date
    assert filing.missing_materials == ["居民户口簿（已落户的）"]  # 一次性告知
    assert filing.guardian_id is not None and baby.guardian_id == filing.guardian_id
    with seeded.store.sessions() as session:
        guardian = session.get_one(Person, filing.guardian_id)
        assert age_on(guardian.birth_date, TODAY) >= ADULT_AGE
        assert guardian.id_kind is IdentityKind.RESIDENT


def test_in_the_collection_period_a_baby_past_three_months_shows_the_wait(
    seeded: Seeded,
) -> None:
    # 18 November is in the collection period, where a resident paying now is covered from
    # 1 January: the new enrollee's 180 days are shown by a newborn enrolled late.
    filing, baby = _filings(seeded)["late newborn"]
    assert add_months(baby.birth_date, 3) < TODAY
    assert not filing.continuous and filing.missing_materials == []
    assert filing.benefit_start == TODAY + timedelta(days=180)


def test_a_flexible_employee_from_another_province_waits_six_months(seeded: Seeded) -> None:
    filing, person = _filings(seeded)["孙晓燕"]
    assert filing.category is EnrollmentCategory.FLEXIBLE_EMPLOYMENT
    assert person.household_kind is HouseholdKind.NON_LOCAL and person.household_address
    assert person.id_number[:2] != HALL[:2]
    assert any("居住证" in m for m in filing.materials) and filing.missing_materials == []
    assert filing.last_covered is None
    assert filing.benefit_start == add_months(TODAY, 6)


def test_continuation_within_90_days_is_continuous_and_after_them_waits(seeded: Seeded) -> None:
    filings = _filings(seeded)
    within, _ = filings["林雅琴"]
    after, _ = filings["马晓东"]
    for filing in (within, after):
        assert filing.category is EnrollmentCategory.EMPLOYEE_CONTINUATION
        assert filing.paid_on == TODAY and filing.last_covered is not None
        closed = _enrollment(seeded, filing.closed_enrollment_id)  # the suspended employee one
        assert closed.status is EnrollmentStatus.TERMINATED and closed.end_date == (
            filing.last_covered
        )
    assert within.last_covered is not None and after.last_covered is not None
    assert 30 < (TODAY - within.last_covered).days <= 90 and within.gap_made_up
    assert within.continuous and within.benefit_start == within.last_covered + timedelta(days=1)
    assert (TODAY - after.last_covered).days > 90
    assert not after.continuous and after.benefit_start == add_months(TODAY, 6)


def test_a_resident_who_paid_for_next_year_is_refunded_after_review(seeded: Seeded) -> None:
    filing, person = _filings(seeded)["何静怡"]
    assert filing.category is EnrollmentCategory.RESIDENT_OTHER and filing.paid_on < TODAY
    assert filing.benefit_start == date(TODAY.year + 1, 1, 1)  # paid in the collection period
    assert person.household_kind is HouseholdKind.LOCAL and filing.missing_materials == []
    with seeded.store.sessions() as session:
        request = session.scalars(
            select(RefundRequest).where(RefundRequest.person_id == person.id)
        ).one()
        submitter, reviewer = (
            session.get_one(User, user_id).username
            for user_id in (request.submitted_by, request.reviewed_by)
        )
    assert request.state is RefundState.APPROVED
    assert (submitter, reviewer) == ("clerk2", "super1")
    assert _enrollment(seeded, filing.enrollment_id).status is EnrollmentStatus.TERMINATED


def test_a_deceased_holders_balance_is_paid_to_the_heir_after_review(seeded: Seeded) -> None:
    with seeded.store.sessions() as session:
        request = session.scalars(select(AccountInheritance)).one()
        submitter, reviewer = (
            session.get_one(User, user_id).username
            for user_id in (request.submitted_by, request.reviewed_by)
        )
        person = session.get_one(Person, request.person_id)
        (ended,) = [e for e in person.enrollments if e.id == request.ended_enrollment_id]
        states = {card.state for card in person.cards}
    assert request.state is InheritanceState.APPROVED and request.balance_fen >= 0
    assert (submitter, reviewer) == ("clerk1", "super1")
    assert request.death_date < TODAY and request.heir_relation is HeirRelation.SPOUSE
    assert ended.status is EnrollmentStatus.TERMINATED and ended.end_date == request.death_date
    assert states == {CardState.CANCELLED}


def test_a_suspension_and_a_resumption_are_done_today(seeded: Seeded) -> None:
    with seeded.store.sessions() as session:
        summaries = list(
            session.scalars(
                select(Transaction.summary)
                .where(
                    Transaction.business_day == TODAY,
                    Transaction.kind == BusinessKind.ENROLLMENT_CHANGE,
                )
                .order_by(Transaction.id)
            )
        )
        back = session.scalars(select(Person).where(Person.name == "郭立新")).one()
        (enrollment,) = back.enrollments
        assert enrollment.status is EnrollmentStatus.ACTIVE and enrollment.end_date is None
    assert [s[:4] for s in summaries] == ["暂停参保", "恢复参保"]


_VOUCHERS = {
    BusinessKind.PERSON_REGISTRATION: EnrollmentReceipt,
    BusinessKind.ENROLLMENT: EnrollmentReceipt,
    BusinessKind.ENROLLMENT_CHANGE: EnrollmentChangeReceipt,
    BusinessKind.REFUND_REQUEST: RefundReceipt,
    BusinessKind.REFUND_REVIEW: RefundReceipt,
    BusinessKind.CARD_HANDOVER: CardHandoverReceipt,
    BusinessKind.MEDICAL_FILING: FilingReceipt,
    BusinessKind.MEDICAL_FILING_CHANGE: FilingReceipt,
    BusinessKind.MEDICAL_FILING_CANCEL: FilingReceipt,
    BusinessKind.INHERITANCE_REQUEST: InheritancePledge,
    BusinessKind.INHERITANCE_REVIEW: InheritanceDecision,
    BusinessKind.CERTIFICATE: InsuranceCertificate,
}


def test_the_day_files_changes_refers_and_cancels_care_elsewhere(seeded: Seeded) -> None:
    with seeded.store.sessions() as session:
        filings = session.execute(
            select(
                MedicalFiling.destination_code, MedicalFiling.kind, MedicalFiling.state
            ).order_by(MedicalFiling.id)
        ).all()
    assert [tuple(row) for row in filings] == [
        ("440300", FilingKind.WORK_ELSEWHERE, FilingState.CHANGED),  # 深圳, weeks ago
        ("460200", FilingKind.LONG_TERM_RESIDENCE, FilingState.CANCELLED),  # 三亚, home today
        ("440100", FilingKind.WORK_ELSEWHERE, FilingState.ACTIVE),  # posted on to 广州
        ("310000", FilingKind.REFERRAL, FilingState.ACTIVE),  # referred to 上海
    ]


def test_every_enrollment_refund_handover_and_filing_of_the_day_has_its_voucher(
    seeded: Seeded,
) -> None:
    clerk = seeded.actor("clerk1")
    with seeded.store.sessions() as session:
        rows = session.execute(
            select(Transaction.serial, Transaction.kind).where(
                Transaction.kind.in_(list(_VOUCHERS))
            )
        ).all()
        for serial, kind in rows:
            source = voucher_source(session, clerk, serial=serial)
            assert isinstance(source, _VOUCHERS[kind]), serial
            assert source.transaction.serial == serial
    assert {kind for _, kind in rows} == set(_VOUCHERS)


def test_some_of_the_population_have_their_months_on_record(seeded: Seeded) -> None:
    with seeded.store.sessions() as session:
        counted = session.execute(
            select(ContributionMonth.person_id, func.count(), func.max(ContributionMonth.month))
            .where(ContributionMonth.source == ContributionSource.LOCAL)
            .group_by(ContributionMonth.person_id)
        ).all()
        enrollments = {
            e.person_id: e
            for e in session.scalars(
                select(Enrollment).where(Enrollment.person_id.in_([p for p, _, _ in counted]))
            )
        }
    bulk = [row for row in counted if has_months(row[0])]
    assert len(bulk) >= MONTHS_PER_BLOCK - 3  # ids 1..19; a few may start this month
    last_month = f"{TODAY.year}-{TODAY.month - 1:02d}"
    for person_id, months, last in bulk:
        enrollment = enrollments[person_id]
        assert enrollment.actual_months == months
        retired = enrollment.insurance_type is InsuranceType.EMPLOYEE and last < last_month
        assert last == last_month or retired


def test_a_certificate_voided_verifies_void_and_one_brings_transferred_years(
    seeded: Seeded,
) -> None:
    clerk = seeded.actor("clerk1")
    with seeded.store.sessions() as session:
        rows = session.execute(
            select(Transaction.serial, Transaction.status)
            .where(Transaction.kind == BusinessKind.CERTIFICATE)
            .order_by(Transaction.id)
        ).all()
        certificates = [voucher_source(session, clerk, serial=serial) for serial, _ in rows]
    assert [status for _, status in rows] == [TransactionStatus.VOID] + [
        TransactionStatus.NORMAL
    ] * 3
    assert all(isinstance(c, InsuranceCertificate) for c in certificates)
    wrong, right, employer, own = certificates
    assert isinstance(wrong, InsuranceCertificate) and isinstance(right, InsuranceCertificate)
    assert (wrong.purpose, right.purpose) == ("落户", "购房贷款")
    assert right.contributions is not None and right.contributions.local > 12
    assert isinstance(employer, InsuranceCertificate) and isinstance(own, InsuranceCertificate)
    assert employer.name == own.name == "黄志刚" and employer.contributions is None
    assert own.contributions is not None and own.contributions.transferred > 12
    assert own.periods[0].status == "已转入本地"


@pytest.mark.parametrize(
    "now",
    [datetime(2026, 6, 17, 16, 30), datetime(2027, 1, 5, 16, 30)],
    ids=["june", "early-january"],
)
def test_outside_the_collection_period_a_resident_paying_now_waits(
    tmp_path: Path, now: datetime
) -> None:
    seeded = _seed(f"sqlite+pysqlite:///{tmp_path / 'medins.db'}", 30, now=now)
    try:
        filings = _filings(seeded)
        late, _ = filings["徐国栋"]
        assert late.category is EnrollmentCategory.RESIDENT_OTHER and late.paid_on == now.date()
        assert late.benefit_start == now.date() + timedelta(days=180)
        assert "late newborn" not in filings
        # The refunded resident's money was not yet in use: in January she paid this morning.
        refunded, _ = filings["何静怡"]
        assert refunded.benefit_start > now.date()
        assert (refunded.paid_on == now.date()) is (now.month == 1)
        with seeded.store.sessions() as session:
            kinds = set(
                session.scalars(
                    select(Transaction.kind).where(Transaction.business_day == now.date())
                )
            )
            assert session.scalar(select(RefundRequest.state)) is RefundState.APPROVED
        assert kinds == set(BusinessKind)
    finally:
        seeded.store.dispose()


def test_review_queue_and_overdue_list_are_not_empty(seeded: Seeded) -> None:
    with seeded.store.sessions() as session:
        pending = session.scalar(
            select(func.count())
            .select_from(CorrectionRequest)
            .where(CorrectionRequest.state == CorrectionState.PENDING)
        )
        overdue = session.scalar(
            select(func.count()).select_from(TransferCase).where(TransferCase.due_on < TODAY)
        )
    assert pending and pending >= 2
    assert overdue and overdue >= 1
    assert seeded.summary.pending_reviews == pending


def test_rare_character_and_minority_names_and_a_minor_are_there(seeded: Seeded) -> None:
    with seeded.store.sessions() as session:
        names = set(session.scalars(select(Person.name)))
        live_states = set(session.scalars(select(Card.state)))
    assert "王𠮷" in names
    assert any("·" in name for name in names)
    assert {CardState.ACTIVE, CardState.TEMP_LOST, CardState.FORMAL_LOST} <= live_states


def test_daily_ledger_has_totals(seeded: Seeded) -> None:
    supervisor = seeded.actor("super1")
    with seeded.store.sessions() as session:
        ledger = daily_ledger(session, supervisor, day=TODAY)
    assert not ledger.closed
    assert ledger.void_count == 2  # a correction and a certificate
    assert ledger.total.count == len(ledger.rows) - 2
    assert ledger.total.fee_fen > 0  # reissues and a paid replacement
    assert {t.key for t in ledger.by_kind} == {k.value for k in BusinessKind}
    assert {t.label for t in ledger.by_counter} >= {"001 号窗口", "002 号窗口", "003 号窗口"}
    assert len(ledger.by_clerk) >= 4  # three clerks and a supervisor


def test_demo_users_sign_in_with_the_stated_password(seeded: Seeded) -> None:
    for user in DEMO_USERS:
        actor = seeded.actor(user.username)
        assert actor.role is user.role
    text = seeded.summary.describe()
    assert DEMO_PASSWORD in text
    assert all(u.username in text and u.display_name in text for u in DEMO_USERS)


def test_a_clerk_finds_seeded_people_by_initials_and_card(seeded: Seeded) -> None:
    clerk = seeded.actor("clerk1")
    with seeded.store.sessions() as session:
        person_id, number, name = session.execute(
            select(Card.person_id, Card.card_number, Person.name)
            .join(Person, Person.id == Card.person_id)
            .where(Card.state == CardState.ACTIVE)
            .limit(1)
        ).one()
        by_card = search_persons(session, clerk, text=number)
        by_initials = search_persons(session, clerk, text=name_initials(name), limit=200)
    assert [h.id for h in by_card] == [person_id]
    assert person_id in {h.id for h in by_initials}


class _Chip:
    """A demo card's own APDU logic as the reader's channel (no pcscd needed here)."""

    def __init__(self, card: VirtualCard) -> None:
        self.card = card

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        answer = self.card.respond(apdu)
        return answer[:-2], int.from_bytes(answer[-2:], "big")


@pytest.mark.parametrize(("profile", "warning"), [("ordinary", None), ("expired", "有效期")])
def test_a_demo_card_opens_its_holder_on_record(
    seeded: Seeded, profile: str, warning: str | None
) -> None:
    card = VirtualCard(load_profile(demo_profile_dir() / f"{profile}.toml"))
    data = read_card(_Chip(card), atr=DEFAULT_ATR, today=TODAY)
    with seeded.store.sessions() as session:
        link = link_card(session, seeded.actor("clerk1"), data=data)
    assert link.person_name == card.profile.name and link.person_id is not None
    assert link.warning is None if warning is None else warning in (link.warning or "")
    assert not link.notices  # the record agrees with the chip


def test_every_demo_card_is_on_record_with_its_holder(seeded: Seeded) -> None:
    with seeded.store.sessions() as session:
        for path in demo_profile_dir().glob("*.toml"):
            profile = load_profile(path)
            owner = session.scalar(
                select(Person.id_number)
                .join(Card, Card.person_id == Person.id)
                .where(Card.card_number == profile.card_number)
            )
            assert owner == profile.ssn, path.stem


def test_progress_reports_rows_per_second(seeded: Seeded) -> None:
    assert any("每秒" in message and "500" in message for message in seeded.messages)


def test_audit_chain_verifies_after_seeding(seeded: Seeded) -> None:
    with seeded.store.sessions() as session:
        verdict = verify_audit_chain(session)
        logged = session.scalar(select(func.count()).select_from(AuditEntry))
    assert verdict.ok, verdict.describe()
    assert verdict.entries == logged


def test_if_empty_does_nothing_when_persons_exist(tmp_path: Path) -> None:
    url = f"sqlite+pysqlite:///{tmp_path / 'medins.db'}"
    first = _seed(url, 30)
    assert not first.summary.skipped
    first.store.dispose()
    store = open_store(url)
    try:
        before = _counts(store)
        second = _seed(url, 30, if_empty=True)
        second.store.dispose()
        assert second.summary.skipped
        assert _counts(store) == before
        assert "未生成演示数据" in second.summary.describe()
    finally:
        store.dispose()


def _counts(store: Store) -> tuple[int, ...]:
    with store.sessions() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Person, Card, Transaction, AuditEntry, User)
        )


def test_seeding_again_adds_fresh_people_with_new_numbers(tmp_path: Path) -> None:
    url = f"sqlite+pysqlite:///{tmp_path / 'medins.db'}"
    first = _seed(url, 40, seed=1)
    with first.store.sessions() as session:
        numbers_before = set(session.scalars(select(Person.id_number)))
    first.store.dispose()
    second = _seed(url, 40, seed=1)  # the same seed on purpose: ids, not the seed, keep them apart
    try:
        with second.store.sessions() as session:
            numbers_after = set(session.scalars(select(Person.id_number)))
            users = session.scalar(
                select(func.count()).select_from(User).where(User.username != "console")
            )
        added = numbers_after - numbers_before
        assert len(added) == second.summary.persons_total - len(numbers_before)
        assert len(added) >= 40
        assert second.summary.users_created == ()
        assert users == len(DEMO_USERS)
        with second.store.sessions() as session:
            assert verify_audit_chain(session).ok
    finally:
        second.store.dispose()


def test_the_same_seed_gives_the_same_people(tmp_path: Path) -> None:
    def people(name: str) -> list[tuple[str, str]]:
        seeded = _seed(f"sqlite+pysqlite:///{tmp_path / name}", 25, seed=99)
        try:
            with seeded.store.sessions() as session:
                rows = session.execute(
                    select(Person.id_number, Person.name).where(Person.id <= 25).order_by(Person.id)
                ).all()
            return [tuple(r) for r in rows]
        finally:
            seeded.store.dispose()

    assert people("a.db") == people("b.db")


def test_negative_person_count_is_refused(tmp_path: Path) -> None:
    store = open_store(f"sqlite+pysqlite:///{tmp_path / 'medins.db'}")
    try:
        with pytest.raises(ValidationError) as caught:
            seed_demo(
                store.sessions,
                persons=-1,
                counter=Counter(HALL, "001"),
                random_seed=1,
                if_empty=False,
            )
        assert caught.value.field == "persons"
        assert _counts(store)[0] == 0
    finally:
        store.dispose()


def test_demo_photo_passes_the_card_photo_check() -> None:
    from io import BytesIO

    from PIL import Image

    photo = demo_photo()
    assert check_photo(photo, Policy()) == []
    image = Image.open(BytesIO(photo))
    assert image.format == "JPEG" and image.mode == "RGB" and image.size == PHOTO_SIZE
    assert 9 * 1024 <= len(photo) <= 40 * 1024


def test_seeding_on_postgresql(postgres_url: str) -> None:
    seeded = _seed(postgres_url, 200)
    try:
        with seeded.store.sessions() as session:
            kinds = set(
                session.scalars(select(Transaction.kind).where(Transaction.business_day == TODAY))
            )
            numbers = session.execute(select(Person.id_number, Person.id_kind)).all()
            verdict = verify_audit_chain(session)
        assert kinds == set(BusinessKind)
        assert len(numbers) == seeded.summary.persons_total >= 200
        assert all(
            parse_identity_number(n, today=TODAY).number == n
            for n, kind in numbers
            if kind is not IdentityKind.BIRTH_CERTIFICATE
        )
        assert verdict.ok, verdict.describe()
        # The id sequence was moved past the bulk rows: seeding again registers people too.
        again = _seed(postgres_url, 20)
        again.store.dispose()
        with seeded.store.sessions() as session:
            assert (
                session.scalar(select(func.count()).select_from(Person))
                == again.summary.persons_total
            )
    finally:
        seeded.store.dispose()


def test_demo_seed_and_audit_verify_from_the_console(tmp_path: Path) -> None:
    executable = shutil.which("medins-desk") or str(Path(sys.executable).with_name("medins-desk"))
    url = f"sqlite+pysqlite:///{tmp_path / 'counter.db'}"
    env = {"MEDINS_DATA_DIR": str(tmp_path / "data"), "MEDINS_CONFIG_DIR": str(tmp_path / "config")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        import os

        return subprocess.run(
            [executable, "--db", url, *args], capture_output=True, text=True, timeout=240,
            env={**{k: v for k, v in os.environ.items() if not k.startswith("MEDINS_")}, **env},
            check=False,
        )  # fmt: skip

    seeded = run("demo", "seed", "--persons", "60", "--if-empty")
    assert seeded.returncode == 0, seeded.stderr
    assert DEMO_PASSWORD in seeded.stdout and "每秒" in seeded.stderr
    again = run("demo", "seed", "--persons", "60", "--if-empty")
    assert again.returncode == 0 and "未生成演示数据" in again.stdout
    verified = run("audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "校验通过" in verified.stdout
    assert date.today().isoformat() in seeded.stdout
