"""Demo act of 改写社保卡信息: the newcomer from Chengdu keeps his card; the counter writes this
region to it (the write itself is the reader's: the demo day records the act it ends in)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medins_desk.domain.card import card_id_code, card_number_check_character
from medins_desk.services.card_rewrite import record_card_rewrite
from medins_desk.services.demo.day import demo_act
from medins_desk.services.persons import get_person

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay

_ORIGIN = "510107"  # 成都市武侯区, where his card was issued


@demo_act()
def newcomer_card(day: DemoDay) -> None:
    """改写: his card from Chengdu now says this region, and he uses it here from today."""
    clerk = day.actors["clerk1"]
    with day.sessions() as session:
        person = get_person(session, clerk, person_id=day.cast["newcomer"])
    number = "C5101071" + card_number_check_character("C5101071")
    day.act(
        "clerk1",
        record_card_rewrite,
        person_id=person.id,
        card_id_code=card_id_code(_ORIGIN, number),
        card_number=number,
        card_ssn=person.id_number,
        region_before=_ORIGIN,
        region_after=clerk.counter.agency.region_code,
    )
