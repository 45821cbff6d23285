"""A demo store seeded once per module through the real services, and the serial of a
transaction for each document kind.

The demo day does not do the 参保登记 acts yet; until it does, :func:`_enrollment_acts` does them
here on the same store, through the same services, with the demo hall's clerks."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from medins_desk.domain.benefits import EnrollmentCategory, HouseholdKind, RefundReason
from medins_desk.domain.enrollment import InsuranceType
from medins_desk.errors import ConfirmationRequired, NotFound
from medins_desk.services.context import Actor, Counter
from medins_desk.services.demo import seed_demo
from medins_desk.services.demo.day import ensure_users, fresh_identity_number
from medins_desk.services.enrollment import (
    EnrollmentRequest,
    enroll_person,
    register_and_enroll,
    resume_enrollment,
    suspend_enrollment,
)
from medins_desk.services.persons import EnrollmentInput, Registration, register_person
from medins_desk.services.refund import request_refund, review_refund
from medins_desk.services.users import console_actor
from medins_desk.services.vouchers import DocumentKind, voucher_source
from medins_desk.settings import Settings
from medins_desk.store import Store, open_store
from medins_desk.store.models import Transaction
from printing.documents import Letterhead, document_kind

NOW = datetime(2026, 11, 18, 16, 30, 0)  # a Wednesday afternoon: the demo day fits before it
BIRTH_CERTIFICATE = "P510123456"  # the newborn's 出生医学证明, registered before the 户口


@dataclass
class DemoHall:
    store: Store
    settings: Settings
    actor: Actor  # the console account, as the CLI acts
    letterhead: Letterhead
    serials: dict[DocumentKind, str]  # one transaction per document kind
    rare_serial: str  # the card application of 王𠮷
    acts: dict[str, str]  # the serials of the 参保登记 acts, by name (_enrollment_acts)


@pytest.fixture(scope="module")
def demo_hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoHall]:
    path: Path = tmp_path_factory.mktemp("demo-hall") / "medins.db"
    settings = Settings(database_url=f"sqlite+pysqlite:///{path}")
    store = open_store(settings.database_url)
    counter = Counter.from_settings(settings)
    seed_demo(
        store.sessions, persons=60, counter=counter, random_seed=7, if_empty=False,
        clock=lambda: NOW,
    )  # fmt: skip
    acts = _enrollment_acts(store, counter)
    with store.sessions() as session:
        actor = console_actor(session, counter)
        txns = list(session.scalars(select(Transaction).order_by(Transaction.serial)))
    serials: dict[DocumentKind, str] = {}
    rare = ""
    for txn in txns:
        with store.sessions() as session:
            try:
                source = voucher_source(session, actor, serial=txn.serial)
            except NotFound:
                continue
        serials.setdefault(document_kind(source), txn.serial)
        if "𠮷" in getattr(source, "person_name", ""):
            rare = txn.serial
    # The demo day's registrations enroll nobody; the 参保登记回执 with every field: the newborn's.
    serials[DocumentKind.ENROLLMENT_RECEIPT] = acts["newborn"]
    try:
        yield DemoHall(
            store, settings, actor, Letterhead.from_settings(settings), serials, rare, acts
        )
    finally:
        store.dispose()


def _enrollment_acts(store: Store, counter: Counter) -> dict[str, str]:
    """参保登记 at the demo hall's counters, the serial of each act by name: a newborn registered
    on the 出生医学证明 with a guardian, materials missing; a resident enrolled in the collection
    period, materials missing, who then asks for a refund that a supervisor approves; an employee
    suspended who goes on as an individual (续保); another suspended and resumed."""
    actors, _created = ensure_users(store.sessions, counter, lambda: NOW)
    rng = random.Random(13)
    region = counter.agency.region_code
    today = NOW.date()

    def act(username: str, fn: Callable[..., Any], **kwargs: Any) -> Any:
        # Notices are confirmed, as the clerk would after checking with the citizen.
        with store.sessions() as session:
            try:
                return fn(session, actors[username], **kwargs)
            except ConfirmationRequired as asked:
                codes = asked.codes
        with store.sessions() as session:
            return fn(session, actors[username], **kwargs, acknowledged=codes)

    def number(birth: date, *, male: bool) -> str:
        with store.sessions() as session:
            return fresh_identity_number(session, rng, birth=birth, male=male, area=region)

    def employee(name: str, birth: date, *, male: bool) -> int:
        registered = act(
            "clerk1", register_person, id_number=number(birth, male=male), name=name,
            enrollment=EnrollmentInput(InsuranceType.EMPLOYEE, date(2010, 7, 1), region),
        )  # fmt: skip
        return int(registered.person.id)

    mother = act(
        "clerk1", register_person, id_number=number(date(1994, 3, 8), male=False),
        name="李秀梅",
    ).person.id  # fmt: skip
    newborn = act(
        "clerk1", register_and_enroll,
        registration=Registration(
            id_number="", name="王小满", sex="女", birth_date=date(2026, 9, 30),
            household_kind=HouseholdKind.LOCAL, birth_certificate_number=BIRTH_CERTIFICATE,
        ),
        request=EnrollmentRequest(
            EnrollmentCategory.NEWBORN, paid_on=today, materials=("出生医学证明",),
            guardian_id=mother,
        ),
    )  # fmt: skip
    resident = act(
        "clerk2", register_and_enroll,
        registration=Registration(
            id_number=number(date(1988, 6, 1), male=True), name="赵志刚",
            household_kind=HouseholdKind.NON_LOCAL,
        ),
        request=EnrollmentRequest(
            EnrollmentCategory.RESIDENT_OTHER, paid_on=today, materials=("居民身份证或户口簿",)
        ),
    )  # fmt: skip
    refund = act(
        "clerk2", request_refund, person_id=resident.person_id, reason=RefundReason.MOVED_AWAY,
        materials=("参保人居民身份证",), note="户口迁往喀什市",
    )  # fmt: skip
    review = act(
        "super1", review_refund, request_id=refund.request_id, approve=True,
        comment="迁出证明已核验",
    )  # fmt: skip
    leaver = employee("孙建华", date(1985, 1, 2), male=True)
    suspended = act(
        "clerk1", suspend_enrollment, person_id=leaver, effective=today,
        reason="与单位解除劳动关系，单位停缴",
    )  # fmt: skip
    continued = act(
        "clerk1", enroll_person, person_id=leaver,
        request=EnrollmentRequest(
            EnrollmentCategory.EMPLOYEE_CONTINUATION, paid_on=today,
            materials=("居民身份证或社会保障卡", "解除（终止）劳动关系证明"), gap_made_up=True,
        ),
    )  # fmt: skip
    returner = employee("周丽娟", date(1979, 4, 5), male=False)
    act("clerk3", suspend_enrollment, person_id=returner, effective=today, reason="停薪留职")
    resumed = act(
        "clerk3", resume_enrollment, person_id=returner, effective=date(2026, 12, 1),
        reason="复职，单位恢复缴费",
    )  # fmt: skip
    done = {
        "newborn": newborn, "resident": resident, "refund_request": refund,
        "refund_review": review, "suspend": suspended, "continuation": continued,
        "resume": resumed,
    }  # fmt: skip
    return {name: result.transaction.serial for name, result in done.items()}
