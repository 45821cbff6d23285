"""Demo act of 个人账户余额继承: an employee died last week; the widow (or widower) brings the
death certificate and a bank card, signs the 承诺书, and the supervisor approves the payment."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from stdnum import luhn

from medins_desk.domain.identity import Sex
from medins_desk.domain.inheritance import DeathProof, HeirRelation, inheritance_materials
from medins_desk.services.demo.day import demo_act, fresh_identity_number
from medins_desk.services.enrollment import current_enrollment
from medins_desk.services.inheritance import Heir, request_inheritance, review_inheritance
from medins_desk.store.models import Person

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay


@demo_act(employees=("deceased",))
def deceased_holder(day: DemoDay) -> None:
    """继承: the balance at death is what the store keeps (the settlement system's figure)."""
    person_id = day.cast["deceased"]
    with day.sessions() as session:
        person = session.get_one(Person, person_id)
        enrollment = current_enrollment(session, person_id)
        balance = enrollment.account_balance_fen if enrollment is not None else 0
        started = enrollment.start_date if enrollment is not None else person.birth_date
        spouse_birth = date(person.birth_date.year + 1, 6, 15)
        widow = person.sex == Sex.MALE
        number = fresh_identity_number(
            session, day.rng, birth=spouse_birth, male=not widow, area=day.region
        )
    died = max(day.today - timedelta(days=6), started)
    account = "62170000" + "".join(str(day.rng.randrange(10)) for _ in range(10))
    heir = Heir(
        id_number=number,
        name="刘桂兰" if widow else "张国强",
        relation=HeirRelation.SPOUSE,
        phone="13698761234",
        bank_name="中国建设银行营业部",
        bank_account=account + luhn.calc_check_digit(account),
    )
    pledge = day.act(
        "clerk1",
        request_inheritance,
        person_id=person_id,
        death_date=died,
        death_proof=DeathProof.DEATH_CERTIFICATE,
        balance_fen=balance,
        heir=heir,
        materials=inheritance_materials(guardian=False),
    )
    day.act(
        "super1",
        review_inheritance,
        request_id=pledge.request_id,
        approve=True,
        comment="死亡证明、亲属关系证明齐全，余额与结算系统一致，同意支付",
    )
