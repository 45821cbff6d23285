"""Demo acts of 参保证明 / 参保缴费证明: a citizen buying a flat asks for the months paid (the
purpose typed wrong, voided, issued again), and the man whose transfer-in was completed today
takes a 参保缴费证明 to his new employer with the years he brought."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from medins_desk.domain.contributions import CertificateScope
from medins_desk.services.certificate import issue_certificate
from medins_desk.services.demo.day import demo_act
from medins_desk.services.void import void_transaction
from medins_desk.store.models import ContributionMonth

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay


@demo_act()
def for_a_mortgage(day: DemoDay) -> None:
    """购房贷款: the bank wants the months paid. The purpose went in as 落户; the supervisor
    voids that paper (its QR now verifies as void) and the right one is issued."""
    person_id = _with_months(day)
    wrong = day.act(
        "clerk1",
        issue_certificate,
        person_id=person_id,
        scope=CertificateScope.CONTRIBUTION,
        purpose="落户",
    )
    day.act("super1", void_transaction, serial=wrong.transaction.serial, reason="用途开错，已重开")
    day.act(
        "clerk1",
        issue_certificate,
        person_id=person_id,
        scope=CertificateScope.CONTRIBUTION,
        purpose="购房贷款",
    )


@demo_act()
def for_a_new_employer(day: DemoDay) -> None:
    """After ``info_form_arrives``: his years in Nanjing are on record now; the 参保证明 for
    his employer and a 参保缴费证明 for himself."""
    for scope, purpose in (
        (CertificateScope.ENROLLMENT, "单位入职"),
        (CertificateScope.CONTRIBUTION, ""),
    ):
        day.act(
            "clerk2",
            issue_certificate,
            person_id=day.cast["returning"],
            scope=scope,
            purpose=purpose,
        )


def _with_months(day: DemoDay) -> int:
    """Someone of this run's population whose months are on record, not yet in today's acts;
    a stand-in (no months: the certificate says so) when there is none."""
    ids = day.bulk_ids
    if ids:
        with day.sessions() as session:
            found = session.scalars(
                select(ContributionMonth.person_id)
                .where(ContributionMonth.person_id.between(ids[0], ids[-1]))
                .distinct()
                .limit(len(day.taken) + 1)
            )
            for person_id in found:
                if person_id not in day.taken:
                    day.taken.add(person_id)
                    return person_id
    return day.stand_in()
