"""业务查询 by a scanned serial, and the card holder first when nine digits are scanned."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from medins_desk.domain.card import CardApplicationKind
from medins_desk.errors import NotFound, ValidationError
from medins_desk.services.acts import find_act
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.loss_report import report_loss
from medins_desk.services.persons import search_persons
from medins_desk.store.models import Card
from tests.helpers.people import make_id, register
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk


def _lost_card(desk: Desk) -> tuple[int, str]:
    """A person whose card was reported lost today: (person id, the loss act's serial)."""
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person = register(session, clerk, name="王玥", birth=date(1996, 2, 29)).person
        card = apply_for_card(
            session, clerk, person_id=person.id, kind=CardApplicationKind.FIRST,
            photo=valid_photo(), instant=True,
        )  # fmt: skip
        loss = report_loss(session, clerk, card_id=card.card_id, formal=False)
    return person.id, loss.transaction.serial


def test_a_serial_finds_its_act_and_citizen_and_whether_it_may_be_voided(any_desk: Desk) -> None:
    person_id, serial = _lost_card(any_desk)
    with any_desk.session() as session:
        as_clerk = find_act(session, any_desk.actor("clerk"), serial=f" {serial} ")
        as_supervisor = find_act(session, any_desk.actor("super"), serial=serial)
    assert as_clerk.act.serial == serial and as_clerk.person_id == person_id
    assert as_clerk.person_name == "王玥"
    assert as_clerk.void_refusal == "作废须由复核员或主管办理"
    assert as_supervisor.void_refusal is None


def test_an_act_of_an_earlier_day_may_not_be_voided(desk: Desk) -> None:
    _person_id, serial = _lost_card(desk)
    desk.clock.advance(days=1)
    with desk.session() as session:
        found = find_act(session, desk.actor("super"), serial=serial)
    assert found.void_refusal is not None and "只能作废当日业务" in found.void_refusal


def test_what_is_not_a_serial_and_a_serial_nobody_has_are_told_apart(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session, pytest.raises(ValidationError, match="22 位数字"):
        find_act(session, clerk, serial="11010520261118001")
    with desk.session() as session, pytest.raises(NotFound, match="没有业务流水号"):
        find_act(session, clerk, serial="1101052026111800199999")


def test_nine_scanned_digits_put_the_card_holder_before_numbers_that_begin_with_them(
    any_desk: Desk,
) -> None:
    """An all-digit card number is also the start of many identity numbers: Enter on it must
    open the card's holder, who is listed first."""
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        for sequence in range(1, 4):  # people whose numbers begin 110105198
            register(session, clerk, name="李堃", birth=date(1985, 1, sequence), sequence=sequence)
        holder = register(session, clerk, name="张喆", birth=date(1970, 6, 1), sequence=9).person
        card = apply_for_card(
            session, clerk, person_id=holder.id, kind=CardApplicationKind.FIRST,
            photo=valid_photo(), instant=True,
        )  # fmt: skip
        session.execute(update(Card).where(Card.id == card.card_id).values(card_number="110105198"))
        session.commit()
        hits = search_persons(session, clerk, text="110105198")
    assert [hit.id for hit in hits][:1] == [holder.id]
    assert len(hits) == 4
    assert make_id(date(1985, 1, 1), sequence=1).startswith("110105198")
