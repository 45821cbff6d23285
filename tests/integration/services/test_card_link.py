"""插卡即查: an inserted card's data leads to the person and the card's state in the store."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlalchemy import select

from medins_desk.cardreader.data import CardData
from medins_desk.cardreader.protocol import read_card
from medins_desk.cardreader.virtual import DEFAULT_ATR, VirtualCard, demo_profile_dir, load_profile
from medins_desk.domain.card import CardApplicationKind
from medins_desk.domain.identity import Sex
from medins_desk.domain.names import gbk_encodable
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.card_link import link_card
from medins_desk.services.cards import record_card_produced
from medins_desk.services.loss_report import report_loss
from medins_desk.store.models import Card
from tests.helpers.people import make_id, register
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk


class _Channel:
    def __init__(self, card: VirtualCard) -> None:
        self.card = card

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        answer = self.card.respond(apdu)
        return answer[:-2], int.from_bytes(answer[-2:], "big")


def _issue(desk: Desk, **person: object) -> tuple[int, CardData]:
    """A person with an active card here, and what that card's chip reads."""
    clerk = desk.actor("clerk")
    instant = gbk_encodable(str(person.get("name", "张三")))  # else made by hand (生僻字)
    with desk.session() as session:
        person_id = register(session, clerk, **person).person.id  # type: ignore[arg-type]
        receipt = apply_for_card(
            session, clerk, person_id=person_id, kind=CardApplicationKind.FIRST,
            photo=valid_photo(), instant=instant,
        )  # fmt: skip
        if not instant:
            record_card_produced(session, clerk, card_id=receipt.card_id)
        card = session.scalars(select(Card).where(Card.id == receipt.card_id)).one()
        holder = card.person
        profile = dataclasses.replace(
            load_profile(demo_profile_dir() / "ordinary.toml"),
            card_number=card.card_number,
            card_id_code=card.card_id_code,
            ssn=holder.id_number,
            name=holder.name,
            chip_name=holder.name
            if holder.name.encode("gbk", "replace") == holder.name.encode("gbk", "ignore")
            else "王吉",
            sex=Sex(holder.sex),
            birth_date=holder.birth_date,
        )
    data = read_card(_Channel(VirtualCard(profile)), atr=DEFAULT_ATR, today=date(2026, 11, 18))
    return receipt.card_id, data


def test_inserted_card_finds_the_person(desk: Desk) -> None:
    card_id, data = _issue(desk)
    with desk.session() as session:
        link = link_card(session, desk.actor("clerk"), data=data)
    assert link.card is not None and link.card.card_id == card_id
    assert link.person_name == "张三" and not link.blocked and link.warning is None
    assert link.notices == ()


def test_lost_card_is_flagged_at_once(desk: Desk) -> None:
    card_id, data = _issue(desk)
    with desk.session() as session:
        report_loss(session, desk.actor("clerk"), card_id=card_id, formal=True)
    with desk.session() as session:
        link = link_card(session, desk.actor("clerk"), data=data)
    assert link.blocked and link.warning is not None and link.warning.startswith("此卡已挂失")


def test_rare_character_stand_in_is_flagged(desk: Desk) -> None:
    _, data = _issue(desk, name="王𠮷")
    assert data.name == "王吉"
    with desk.session() as session:
        link = link_card(session, desk.actor("clerk"), data=data)
    assert [n.code for n in link.notices] == ["card_name_stand_in"]
    assert link.person_name == "王𠮷"


def test_card_from_elsewhere_finds_the_holder_by_identity_number(desk: Desk) -> None:
    with desk.session() as session:
        person_id = register(session, desk.actor("clerk"), sequence=7).person.id
    profile = dataclasses.replace(
        load_profile(demo_profile_dir() / "ordinary.toml"),
        ssn=make_id(date(1980, 5, 17), sequence=7),
    )
    data = read_card(_Channel(VirtualCard(profile)), atr=DEFAULT_ATR, today=date(2026, 11, 18))
    with desk.session() as session:
        link = link_card(session, desk.actor("clerk"), data=data)
    assert link.person_id == person_id and link.card is None
