"""参保人: registration (参保登记), search as the clerk types, and the person's page."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Connection, Select, bindparam, case, select
from sqlalchemy.orm import Session, joinedload, sessionmaker

from medins_desk.domain.benefits import (
    BIRTH_CERTIFICATE_NUMBER,
    EnrollmentCategory,
    HouseholdKind,
    parse_birth_certificate_number,
)
from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.card import LIVE_CARD_STATES, CardState
from medins_desk.domain.contact import parse_address, parse_ethnicity, parse_mobile, parse_postcode
from medins_desk.domain.contributions import ContributionSummary, summarize_contributions
from medins_desk.domain.enrollment import EnrollmentStatus, InsuranceType
from medins_desk.domain.identity import (
    IdentityKind,
    Sex,
    check_identity_agrees,
    convert_15_to_18,
    identity_notices,
    mask_identity_number,
    normalise_identity_text,
    parse_credit_code,
    parse_identity_number,
)
from medins_desk.domain.medical_filing import FilingKind, FilingState, filing_last_day
from medins_desk.domain.names import name_initials, normalise_name
from medins_desk.domain.retirement import RetirementOutcome
from medins_desk.domain.roles import Permission, Role, may
from medins_desk.errors import (
    BusinessRuleError,
    ConfirmationRequired,
    NotFound,
    Notice,
    ValidationError,
)
from medins_desk.services.cards import settle_expired_loss
from medins_desk.services.context import Actor, service
from medins_desk.services.contributions import contribution_summary
from medins_desk.services.transactions import TransactionInfo, record_transaction, transaction_info
from medins_desk.store.models import (
    AccountInheritance,
    Card,
    Enrollment,
    MedicalFiling,
    Person,
    RetirementCase,
    Transaction,
    User,
)

SEARCH_LIMIT = 20
DUPLICATE_LIMIT = 5


@dataclass(frozen=True)
class PersonHit:
    """A search result line: the identity number is masked."""

    id: int
    name: str
    masked_id_number: str
    sex: Sex
    birth_date: date
    card_number: str | None


@dataclass(frozen=True)
class EnrollmentView:
    id: int
    insurance_type: InsuranceType
    status: EnrollmentStatus
    region_code: str
    start_date: date
    end_date: date | None
    actual_months: int
    deemed_months: int
    account_balance_fen: int
    category: EnrollmentCategory | None = None  # None: enrolled before categories were kept
    benefit_start: date | None = None  # 待遇享受起始日, where 参保登记 decided it


@dataclass(frozen=True)
class CardView:
    id: int
    card_number: str | None
    state: CardState
    issue_date: date | None
    expiry_date: date | None
    temp_loss_expires_at: datetime | None


@dataclass(frozen=True)
class FilingLine:
    """An 异地就医备案 as lists show it: where, from when, until when (None: until changed)."""

    id: int
    kind: FilingKind
    destination: str  # 四川省泸州市（510500）
    starts_on: date
    last_day: date | None
    state_label: str  # 有效, 已到期, 已变更, 已取消
    live: bool  # settles today or will: neither ended nor expired
    serial: str


def filing_line(filing: MedicalFiling, serial: str, today: date) -> FilingLine:
    last = filing_last_day(filing.valid_until, filing.last_day)
    live = filing.state is FilingState.ACTIVE and (last is None or last >= today)
    expired = filing.state is FilingState.ACTIVE and not live
    return FilingLine(
        id=filing.id,
        kind=filing.kind,
        destination=f"{filing.destination_name}（{filing.destination_code}）",
        starts_on=filing.starts_on,
        last_day=last,
        state_label="已到期" if expired else filing.state.label,
        live=live,
        serial=serial,
    )


def live_filing(session: Session, person_id: int, today: date) -> FilingLine | None:
    """The person's 异地就医备案 that settles today or is the next to (the earliest live one)."""
    rows = session.execute(
        select(MedicalFiling, Transaction.serial)
        .join(Transaction, Transaction.id == MedicalFiling.transaction_id)
        .where(MedicalFiling.person_id == person_id, MedicalFiling.state == FilingState.ACTIVE)
        .order_by(MedicalFiling.starts_on)
    )
    lines = (filing_line(filing, serial, today) for filing, serial in rows)
    return next((line for line in lines if line.live), None)


@dataclass(frozen=True)
class RetirementLine:
    """职工医保在职转退休 as the person's page shows it: the live act that made them a retiree,
    or else their latest deferral (延迟退休登记) and the months it left to pay."""

    outcome: RetirementOutcome
    retirement_date: date
    benefit_start: date | None  # None: deferred
    shortfall_months: int
    serial: str
    business_day: date
    counter_no: str

    @property
    def retired(self) -> bool:
        return self.outcome.retires


def retirement_line(session: Session, person_id: int) -> RetirementLine | None:
    """The person's retirement (a qualified or lump-sum act not voided), or their latest
    deferral not voided; None when neither."""
    rows = session.execute(
        select(RetirementCase, Transaction.serial, Transaction.business_day, Transaction.counter_no)
        .join(Transaction, Transaction.id == RetirementCase.transaction_id)
        .where(
            RetirementCase.person_id == person_id,
            Transaction.status == TransactionStatus.NORMAL,
        )
        .order_by(RetirementCase.id.desc())
    ).all()
    lines = [
        RetirementLine(
            outcome=case.outcome,
            retirement_date=case.retirement_date,
            benefit_start=case.benefit_start,
            shortfall_months=case.shortfall_months,
            serial=serial,
            business_day=day,
            counter_no=counter,
        )
        for case, serial, day, counter in rows
    ]
    return next((line for line in lines if line.retired), lines[0] if lines else None)


@dataclass(frozen=True)
class TransactionLine:
    serial: str
    kind_label: str
    created_at: datetime
    clerk_name: str
    summary: str
    voided: bool


@dataclass(frozen=True)
class PersonDetail:
    """The person's own page: the identity number in full."""

    id: int
    id_number: str
    id_kind: IdentityKind
    name: str
    sex: Sex
    birth_date: date
    ethnicity: str | None
    phone: str | None
    address: str | None
    postcode: str | None
    enrollments: list[EnrollmentView]
    cards: list[CardView]
    transactions: list[TransactionLine]
    contributions: ContributionSummary  # 缴费月份 on record
    care_elsewhere: FilingLine | None = None  # the live 异地就医备案, if any
    retirement: RetirementLine | None = None  # 在职转退休 or a deferral, if any
    death_date: date | None = None  # recorded by 个人账户余额继承


@dataclass(frozen=True)
class EnrollmentInput:
    insurance_type: InsuranceType
    start_date: date
    region_code: str
    employer_credit_code: str | None = None
    actual_months: int = 0
    deemed_months: int = 0
    account_balance_fen: int = 0


@dataclass(frozen=True)
class PersonRegistered:
    person: PersonDetail
    transaction: TransactionInfo
    notices: tuple[Notice, ...] = field(default=())


def _hit(person: Person, card_number: str | None) -> PersonHit:
    return PersonHit(
        person.id,
        person.name,
        mask_identity_number(person.id_number),
        Sex(person.sex),
        person.birth_date,
        card_number,
    )


# Compiled once (see services.context): registration runs both on every call.
_DUPLICATES = (
    select(Person)
    .where(
        Person.birth_date == bindparam("birth_date"),
        Person.name == bindparam("name"),
        Person.id_number != bindparam("id_number"),
    )
    .limit(DUPLICATE_LIMIT)
)
_NUMBER_TAKEN = select(Person.id).where(Person.id_number == bindparam("id_number"))


def _duplicates(session: Session, name: str, birth_date: date, id_number: str) -> list[Person]:
    params = {"birth_date": birth_date, "name": name, "id_number": id_number}
    return list(session.scalars(_DUPLICATES, params))


@service(Permission.LOOK_UP)
def find_possible_duplicates(
    session: Session, actor: Actor, *, name: str, birth_date: date, id_number: str = ""
) -> list[PersonHit]:
    """疑似重复: others with the same name and birth date (capped; runs on an index)."""
    return [
        _hit(p, None) for p in _duplicates(session, normalise_name(name), birth_date, id_number)
    ]


@dataclass(frozen=True)
class Registration:
    """人员登记 as typed at the counter. A newborn without an identity number yet is registered
    on the 出生医学证明 number, with the birth date and sex the form gives."""

    id_number: str
    name: str
    sex: str | None = None
    birth_date: date | None = None
    ethnicity: str | None = None
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    household_kind: HouseholdKind | None = None
    household_address: str | None = None
    birth_certificate_number: str | None = None


MAX_OVERRIDE_REASON_LENGTH = 100


def create_person(
    session: Session,
    actor: Actor,
    form: Registration,
    *,
    acknowledged: frozenset[str] = frozenset(),
    duplicate_reason: str = "",
) -> tuple[Person, list[Notice], dict[str, Any]]:
    """The new person row (flushed), the notices the clerk confirmed, and the details the
    registration's transaction records. Refuses a number on record; a possible duplicate (same
    name and birth date, another number) goes on only when confirmed with a reason."""
    clean_name = normalise_name(form.name)
    given_sex = Sex.parse(form.sex) if form.sex else None
    notices: list[Notice] = []
    if form.id_number.strip():
        identity = parse_identity_number(form.id_number, today=actor.today())
        check_identity_agrees(identity, birth_date=form.birth_date, sex=given_sex)
        number, kind, sex, birth = identity.number, identity.kind, identity.sex, identity.birth_date
        notices += identity_notices(identity)
    elif form.birth_certificate_number:
        number = parse_birth_certificate_number(form.birth_certificate_number)
        kind = IdentityKind.BIRTH_CERTIFICATE
        if given_sex is None:
            raise ValidationError("sex", "没有社会保障号码的，请选择性别")
        if form.birth_date is None:
            raise ValidationError("birth_date", "没有社会保障号码的，请填写出生日期")
        if form.birth_date > actor.today():
            raise ValidationError("birth_date", f"出生日期 {form.birth_date:%Y-%m-%d} 晚于今天")
        sex, birth = given_sex, form.birth_date
    else:
        raise ValidationError(
            "identity_number", "社会保障号码不能为空（新生儿可填出生医学证明编号）"
        )
    values = {
        "ethnicity": parse_ethnicity(form.ethnicity) if form.ethnicity else None,
        "phone": parse_mobile(form.phone) if form.phone else None,
        "address": parse_address(form.address) if form.address else None,
        "postcode": parse_postcode(form.postcode) if form.postcode else None,
        "household_address": (
            parse_address(form.household_address, field="household_address")
            if form.household_address
            else None
        ),
    }
    if session.scalar(_NUMBER_TAKEN, {"id_number": number}) is not None:
        raise ValidationError(
            "identity_number", f"{kind.label}号码 {number} 已登记，请直接查询该参保人"
        )
    duplicates = _duplicates(session, clean_name, birth, number)
    if duplicates:
        listed = "、".join(mask_identity_number(p.id_number) for p in duplicates)
        notices.append(
            Notice(
                "possible_duplicate",
                f"已有同名同出生日期的参保人（{listed}），可能重复登记",
                "name",
            )
        )
    unconfirmed = [n for n in notices if n.code not in acknowledged]
    if unconfirmed:
        raise ConfirmationRequired(unconfirmed)
    reason = " ".join(duplicate_reason.split())
    if duplicates and not reason:
        raise ValidationError("duplicate_reason", "疑似重复登记：请填写确认不是同一人的理由")
    if len(reason) > MAX_OVERRIDE_REASON_LENGTH:
        raise ValidationError(
            "duplicate_reason", f"理由不能超过 {MAX_OVERRIDE_REASON_LENGTH} 个字符"
        )

    now = actor.now()
    person = Person(
        id_number=number,
        id_kind=kind,
        name=clean_name,
        name_initials=name_initials(clean_name),
        sex=sex.value,
        birth_date=birth,
        household_kind=form.household_kind,
        created_at=now,
        updated_at=now,
        **values,
    )
    session.add(person)
    session.flush()
    details: dict[str, Any] = {"acknowledged": sorted(acknowledged & {n.code for n in notices})}
    if duplicates:
        details["duplicate_reason"] = reason
        details["possible_duplicates"] = [p.id for p in duplicates]
    return person, notices, details


@service(Permission.SERVE)
def register_person(
    session: Session,
    actor: Actor,
    *,
    id_number: str,
    name: str,
    sex: str | None = None,
    birth_date: date | None = None,
    ethnicity: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    postcode: str | None = None,
    enrollment: EnrollmentInput | None = None,
    acknowledged: frozenset[str] = frozenset(),
    duplicate_reason: str = "",
) -> PersonRegistered:
    """参保登记 of a person on record elsewhere (data brought in, the demo's population): the
    person, optionally with an enrollment of known periods. The counter registers and enrolls
    with :func:`medins_desk.services.enrollment.register_and_enroll`."""
    form = Registration(id_number, name, sex, birth_date, ethnicity, phone, address, postcode)
    person, notices, details = create_person(
        session, actor, form, acknowledged=acknowledged, duplicate_reason=duplicate_reason
    )
    enrollments = []
    if enrollment is not None:
        enrollments.append(_new_enrollment(person.id, enrollment, actor.now()))
        session.add_all(enrollments)
    txn = record_transaction(
        session,
        actor,
        kind=BusinessKind.PERSON_REGISTRATION,
        person_id=person.id,
        summary=f"参保登记 {person.name}",
        details=details,
    )
    session.flush()
    # The person is new: no card and no other transaction yet, so the page is built from the
    # rows just written instead of read back.
    line = TransactionLine(
        txn.serial, txn.info.kind_label, txn.info.created_at, txn.info.clerk_name,
        txn.info.summary, voided=False,
    )  # fmt: skip
    detail = _person_detail(person, enrollments, [], [line], summarize_contributions(()))
    return PersonRegistered(detail, transaction_info(txn), tuple(notices))


def _new_enrollment(person_id: int, data: EnrollmentInput, now: datetime) -> Enrollment:
    if not re.fullmatch(r"\d{6}", data.region_code):
        raise ValidationError("region_code", "参保地区划代码应为 6 位数字")
    for name in ("actual_months", "deemed_months", "account_balance_fen"):
        if getattr(data, name) < 0:
            raise ValidationError(name, "缴费年限和账户余额不能为负数")
    return Enrollment(
        person_id=person_id,
        insurance_type=data.insurance_type,
        status=EnrollmentStatus.ACTIVE,
        region_code=data.region_code,
        employer_credit_code=(
            parse_credit_code(data.employer_credit_code) if data.employer_credit_code else None
        ),
        start_date=data.start_date,
        actual_months=data.actual_months,
        deemed_months=data.deemed_months,
        account_balance_fen=data.account_balance_fen,
        updated_at=now,
    )


_ID_LIKE = re.compile(r"\d{6,17}[\dX]?")
_CARD_NUMBER = re.compile(r"[0-9A-Z]{9}")
_INITIALS = re.compile(r"[a-z]{1,30}")
_NumberKind = Literal["id_number", "card_number"]
# The one state outside LIVE_CARD_STATES, bound as a plain parameter in PersonLookup's statement.
(_NOT_LIVE,) = frozenset(CardState) - LIVE_CARD_STATES


def _live_card_numbers(session: Session, person_ids: list[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    rows = session.execute(
        select(Card.person_id, Card.card_number)
        .where(Card.person_id.in_(person_ids), Card.state.in_(list(LIVE_CARD_STATES)))
        .order_by(Card.id)
    )
    return {pid: number for pid, number in rows if number}


@service(Permission.LOOK_UP)
def search_persons(
    session: Session, actor: Actor, *, text: str, limit: int = SEARCH_LIMIT
) -> list[PersonHit]:
    """查询参保人 by identity number (full, a prefix, or the 15-digit alias), card number, exact
    name, or pinyin initials (张三 -> zs). Results are masked and capped."""
    query = _search_query(text)
    if query is None:
        return []
    persons = list(session.scalars(query.limit(max(1, min(limit, 200)))))
    cards = _live_card_numbers(session, [p.id for p in persons])
    return [_hit(p, cards.get(p.id)) for p in persons]


def _whole_number(text: str) -> tuple[_NumberKind, str] | None:
    """What a whole identity number (18 or 15 digits) or card number typed in ``text`` is, and
    the number as stored; None for anything else (a prefix, a name, initials)."""
    compact = normalise_identity_text(text)
    if len(compact) == 15 and compact.isdigit():
        try:
            return "id_number", convert_15_to_18(compact)
        except ValidationError:
            return "id_number", compact
    if len(compact) == 18 and _ID_LIKE.fullmatch(compact):
        return "id_number", compact
    if _CARD_NUMBER.fullmatch(compact) and not compact.isdigit():
        return "card_number", compact
    return None


def _by_card_number(number: Any) -> ColumnElement[bool]:
    return Person.id.in_(select(Card.person_id).where(Card.card_number == number))


def _search_query(text: str) -> Select[Person] | None:
    raw = text.strip()
    if not raw:
        return None
    whole = _whole_number(raw)
    if whole is not None:
        kind, number = whole
        if kind == "id_number":
            return select(Person).where(Person.id_number == number)
        return select(Person).where(_by_card_number(number))
    compact = normalise_identity_text(raw)
    if BIRTH_CERTIFICATE_NUMBER.fullmatch(compact):  # a newborn registered before the 户口
        return select(Person).where(Person.id_number == compact)
    if _ID_LIKE.fullmatch(compact):
        # A prefix of an identity number as it is typed: a range scan on the unique index.
        # Nine digits may also be a card number.
        prefix = (Person.id_number >= compact) & (Person.id_number < compact + "Z")
        if len(compact) != 9:
            return select(Person).where(prefix).order_by(Person.id_number)
        # The card's holder first: Enter on a scanned card number opens them, not a stranger
        # whose number starts with the same digits.
        card = _by_card_number(compact)
        return (
            select(Person).where(prefix | card).order_by(case((card, 0), else_=1), Person.id_number)
        )
    lowered = raw.lower().replace(" ", "")
    if _INITIALS.fullmatch(lowered):
        upper = lowered[:-1] + chr(ord(lowered[-1]) + 1)
        return (
            select(Person)
            .where(Person.name_initials >= lowered, Person.name_initials < upper)
            .order_by(Person.name_initials, Person.id)
        )
    try:
        name = normalise_name(raw)
    except ValidationError:
        return None
    return select(Person).where(Person.name == name).order_by(Person.id)


class PersonLookup:
    """按证件号码/卡号查人: the counter's hot path, run every time a whole number is typed or a
    card is inserted, with the same results as :func:`search_persons`.

    One statement, compiled once, on a connection held in autocommit for the lookup's life: no
    write lock, no transaction left open, no ORM objects. The account is read in the same
    statement, so a disabled user or a changed role still takes effect at once. Misses and
    anything that is not a whole number go through :func:`search_persons`, which also explains a
    refusal. One per thread; :meth:`close` gives the connection back.
    """

    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor
        with sessions() as session:
            self._engine = session.get_bind().engine
        self._connection: Connection | None = None
        self._cursor: Any = None
        self._statements: dict[_NumberKind, tuple[str, tuple[str, ...] | None]] = {}

    def find(self, text: str) -> list[PersonHit]:
        whole = _whole_number(text)
        if whole is not None:
            hits = self._find_exact(*whole)
            if hits:
                return hits
        with self._sessions() as session:
            return search_persons(session, self._actor, text=text)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection = self._cursor = None

    def _open(self) -> Any:
        """A DBAPI cursor on a pooled connection switched to autocommit."""
        self._connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        self._cursor = self._connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        return self._cursor

    def __enter__(self) -> PersonLookup:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _find_exact(self, kind: _NumberKind, number: str) -> list[PersonHit]:
        sql, positions = self._statement(kind)
        values = {
            "number": number,
            "user_id": self._actor.user_id,
            "cancelled": _NOT_LIVE.value,
        }
        params = [values[name] for name in positions] if positions else values
        try:
            cursor = self._cursor or self._open()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        except self._engine.dialect.loaded_dbapi.Error:
            # A dropped connection and the like: the session path reconnects or says why.
            self.close()
            return []
        if not rows or not _may_look_up(rows[0][0]):
            return []
        cards: dict[int, str | None] = {}
        persons = {}
        for _role, person_id, name, id_number, sex, birth, card_number in rows:
            persons[person_id] = (name, id_number, sex, birth)
            if card_number or person_id not in cards:
                cards[person_id] = card_number
        return [
            PersonHit(
                pid,
                name,
                mask_identity_number(id_number),
                Sex(sex),
                birth if isinstance(birth, date) else date.fromisoformat(birth),
                cards[pid],
            )
            for pid, (name, id_number, sex, birth) in persons.items()
        ]

    def _statement(self, kind: _NumberKind) -> tuple[str, tuple[str, ...] | None]:
        """The SQL text for this database and, for positional drivers, the parameter order."""
        cached = self._statements.get(kind)
        if cached is None:
            number = bindparam("number", type_=Person.id_number.type)
            condition = (
                Person.id_number == number if kind == "id_number" else _by_card_number(number)
            )
            role = (
                select(User.role)
                .where(User.id == bindparam("user_id"), User.active.is_(True))
                .scalar_subquery()
            )
            live_card = (Card.person_id == Person.id) & (Card.state != bindparam("cancelled"))
            statement = (
                select(role, Person.id, Person.name, Person.id_number, Person.sex,
                       Person.birth_date, Card.card_number)
                .outerjoin(Card, live_card)
                .where(condition)
                .order_by(Person.id, Card.id)
            )  # fmt: skip
            compiled = statement.compile(dialect=self._engine.dialect)
            positions = tuple(compiled.positiontup) if compiled.positiontup else None
            cached = self._statements[kind] = (compiled.string, positions)
        return cached


def _may_look_up(role: str | None) -> bool:
    return role is not None and may(Role(role), Permission.LOOK_UP)


@service(Permission.LOOK_UP)
def get_person(session: Session, actor: Actor, *, person_id: int) -> PersonDetail:
    """The person's page (参保人详情). A lapsed 临时挂失 is settled first, so the page never
    shows a card as lost after its report expired."""
    # One statement for the person, the cards and the enrollments (a few rows each), read
    # afresh: the page is what the store holds now.
    person = (
        session.scalars(
            select(Person)
            .where(Person.id == person_id)
            .options(joinedload(Person.cards), joinedload(Person.enrollments))
            .execution_options(populate_existing=True)
        )
        .unique()
        .one_or_none()
    )
    if person is None:
        raise NotFound(f"参保人（编号 {person_id}）不存在")
    for card in person.cards:
        settle_expired_loss(session, card, actor.now())
    return _detail(session, person, actor.today())


def load_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"参保人（编号 {person_id}）不存在")
    return person


def death_date_of(session: Session, person_id: int) -> date | None:
    """The death date recorded for the person (个人账户余额继承), or None."""
    return session.scalar(
        select(AccountInheritance.death_date)
        .where(AccountInheritance.person_id == person_id)
        .order_by(AccountInheritance.id)
        .limit(1)
    )


def check_alive(session: Session, person: Person) -> None:
    """A deceased person is enrolled, issued a card or resumed no more."""
    died = death_date_of(session, person.id)
    if died is not None:
        raise BusinessRuleError(
            f"参保人 {person.name} 已登记死亡（{died:%Y-%m-%d}），不能再为其办理此业务"
        )


def _detail(session: Session, person: Person, today: date) -> PersonDetail:
    txns = session.execute(
        select(Transaction, User.display_name)
        .join(Transaction.clerk)
        .where(Transaction.person_id == person.id)
        .order_by(Transaction.id.desc())
        .limit(50)
    )
    lines = [
        TransactionLine(
            t.serial, t.kind.label, t.created_at, clerk, t.summary, t.status.value == "void"
        )
        for t, clerk in txns
    ]
    detail = _person_detail(
        person, person.enrollments, person.cards, lines, contribution_summary(session, person.id)
    )
    return dataclasses.replace(
        detail,
        care_elsewhere=live_filing(session, person.id, today),
        retirement=retirement_line(session, person.id),
        death_date=death_date_of(session, person.id),
    )


def _person_detail(
    person: Person,
    enrollments: list[Enrollment],
    cards: list[Card],
    transactions: list[TransactionLine],
    contributions: ContributionSummary,
) -> PersonDetail:
    return PersonDetail(
        id=person.id,
        id_number=person.id_number,
        id_kind=person.id_kind,
        name=person.name,
        sex=Sex(person.sex),
        birth_date=person.birth_date,
        ethnicity=person.ethnicity,
        phone=person.phone,
        address=person.address,
        postcode=person.postcode,
        enrollments=[
            EnrollmentView(
                e.id,
                e.insurance_type,
                e.status,
                e.region_code,
                e.start_date,
                e.end_date,
                e.actual_months,
                e.deemed_months,
                e.account_balance_fen,
                e.category,
                e.benefit_start,
            )
            for e in enrollments
        ],
        cards=[
            CardView(
                c.id, c.card_number, c.state, c.issue_date, c.expiry_date, c.temp_loss_expires_at
            )
            for c in cards
        ],
        transactions=transactions,
        contributions=contributions,
    )
