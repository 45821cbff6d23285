"""Demo acts of 社保卡申领: first cards (one collected, one for a child at the card printer),
replacements, and the afternoon's first registrations with cards."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from medins_desk.domain.card import CardApplicationKind, ReplacementReason, RepresentativeRole
from medins_desk.domain.enrollment import InsuranceType
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.cards import hand_over_card, record_card_produced
from medins_desk.services.demo.day import demo_act
from medins_desk.services.demo.population import UYGHUR

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay


@demo_act()
def applied_weeks_ago(day: DemoDay) -> None:
    """A card applied for three weeks ago: it is ready, and collected today (``first_cards``)."""
    with day.at(day.back_then(15)):
        collector = day.register(
            "clerk1",
            name="张伟",
            birth=date(1988, 3, 14),
            male=True,
            insurance=InsuranceType.EMPLOYEE,
            phone="13911862045",
        )
        day.call(
            "clerk1",
            apply_for_card,
            person_id=collector,
            kind=CardApplicationKind.FIRST,
            photo=day.photo,
        )
    day.cast["collector"] = collector


@demo_act()
def first_cards(day: DemoDay) -> None:
    """Morning: new people, first cards (a 生僻字 name, a child with a guardian, a Uyghur name),
    and the card applied for weeks ago collected."""
    rare = day.register(
        "clerk1",
        name="王𠮷",
        birth=date(1979, 11, 23),
        male=True,
        insurance=InsuranceType.EMPLOYEE,
        phone="13801126734",
    )
    day.act(
        "clerk1",
        apply_for_card,
        person_id=rare,
        kind=CardApplicationKind.FIRST,
        photo=day.photo,
    )
    child = day.register(
        "clerk2",
        name="刘子涵",
        birth=date(day.today.year - 7, 4, 18),
        male=False,
        insurance=InsuranceType.RESIDENT,
    )
    guardian = day.representative(
        RepresentativeRole.GUARDIAN,
        "刘建华",
        date(1986, 6, 9),
        male=True,
        relation="父亲",
        phone="13522871406",
    )
    # At the counter with the card printer the child leaves with the card.
    day.act(
        "clerk3",
        apply_for_card,
        person_id=child,
        kind=CardApplicationKind.FIRST,
        photo=day.photo,
        instant=True,
        representative=guardian,
    )
    uyghur = day.register(
        "clerk2",
        name="阿依古丽·买买提",
        birth=date(1995, 2, 11),
        male=False,
        ethnicity=UYGHUR,
        insurance=InsuranceType.RESIDENT,
        phone="13999120853",
    )
    day.act(
        "clerk2",
        apply_for_card,
        person_id=uyghur,
        kind=CardApplicationKind.FIRST,
        photo=day.photo,
    )
    collected = day.newest_card(day.cast["collector"])
    day.act("clerk1", record_card_produced, card_id=collected)
    day.act("clerk1", hand_over_card, card_id=collected)


@demo_act(cast=("damaged", "renamed"))
def replacements(day: DemoDay) -> None:
    """换领: a damaged card (paid) and one after a change of data (free)."""
    day.act(
        "clerk1",
        apply_for_card,
        person_id=day.cast["damaged"],
        kind=CardApplicationKind.REPLACEMENT,
        photo=day.photo,
        replacement_reason=ReplacementReason.DAMAGED,
        old_card_returned=True,
    )
    day.act(
        "clerk2",
        apply_for_card,
        person_id=day.cast["renamed"],
        kind=CardApplicationKind.REPLACEMENT,
        photo=day.photo,
        replacement_reason=ReplacementReason.DATA_CHANGED,
        old_card_returned=True,
    )


@demo_act()
def afternoon_first_cards(day: DemoDay) -> None:
    """Afternoon: more first registrations with cards."""
    for username in ("clerk2", "clerk1"):
        person = day.stand_in_at(username)
        day.act(
            username,
            apply_for_card,
            person_id=person,
            kind=CardApplicationKind.FIRST,
            photo=day.photo,
        )
