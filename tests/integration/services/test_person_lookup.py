"""按号查人: the hot-path lookup gives what search_persons gives, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from medins_desk.domain.card import CardApplicationKind
from medins_desk.errors import AuthenticationError
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.cards import find_card
from medins_desk.services.loss_report import report_loss
from medins_desk.services.persons import PersonLookup, register_person, search_persons
from medins_desk.services.users import set_user_active
from tests.helpers.people import make_id, register
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk


def _card_holder(desk: Desk) -> tuple[int, str]:
    """A person with an instant-issued card: (person id, card number)."""
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person = register(session, clerk, name="欧阳明轩", birth=date(1979, 11, 23)).person
        receipt = apply_for_card(
            session, clerk, person_id=person.id, kind=CardApplicationKind.FIRST,
            photo=valid_photo(), instant=True,
        )  # fmt: skip
    assert receipt.card_number is not None
    return person.id, receipt.card_number


def _search(desk: Desk, text: str) -> list[object]:
    with desk.session() as session:
        return list(search_persons(session, desk.actor("clerk"), text=text))


def test_whole_numbers_find_what_search_finds(any_desk: Desk) -> None:
    person_id, card_number = _card_holder(any_desk)
    number = make_id(date(1979, 11, 23))
    with desk_lookup(any_desk) as lookup:
        for typed in (number, f" {number[:6]} {number[6:]} ", card_number, card_number.lower()):
            hits = lookup.find(typed)
            assert [h.id for h in hits] == [person_id], typed
            assert hits == _search(any_desk, typed)
        hit = lookup.find(number)[0]
    assert hit.card_number == card_number and hit.name == "欧阳明轩"
    assert hit.masked_id_number == number[:6] + "********" + number[-4:]


def test_fifteen_digit_alias_and_lower_case_x(desk: Desk) -> None:
    with desk.session() as session:
        register_person(session, desk.actor("clerk"), id_number="11010519491231002X", name="李四")
    with desk_lookup(desk) as lookup:
        assert [h.name for h in lookup.find("110105491231002")] == ["李四"]
        assert [h.name for h in lookup.find("11010519491231002x")] == ["李四"]


def test_a_lost_card_is_still_shown_and_a_cancelled_one_is_not(desk: Desk) -> None:
    person_id, card_number = _card_holder(desk)
    clerk = desk.actor("clerk")
    with desk.session() as session:
        card = find_card(session, clerk, card_number=card_number)
        assert card is not None
        report_loss(session, clerk, card_id=card.card_id, formal=True)
    number = make_id(date(1979, 11, 23))
    with desk_lookup(desk) as lookup:
        # A formally lost card stays the person's card until the reissue cancels it.
        assert lookup.find(card_number)[0].card_number == card_number
        with desk.session() as session:
            apply_for_card(
                session, clerk, person_id=person_id, kind=CardApplicationKind.REISSUE,
                photo=valid_photo(),
            )  # fmt: skip
        hits = lookup.find(number)
    assert hits == _search(desk, number)
    assert hits[0].card_number is None  # the new card has no number until it is made


def test_misses_prefixes_and_names_take_the_session_path(desk: Desk) -> None:
    _card_holder(desk)
    with desk_lookup(desk) as lookup:
        assert lookup.find(make_id(date(1979, 11, 24))) == []
        assert lookup.find("M00000000") == []
        assert [h.name for h in lookup.find("110105")] == ["欧阳明轩"]
        assert [h.name for h in lookup.find("欧阳明轩")] == ["欧阳明轩"]
        assert lookup.find("'; DROP TABLE persons; --") == []
        assert lookup.find("") == []


def test_a_disabled_account_is_refused_at_once(desk: Desk) -> None:
    person_id, card_number = _card_holder(desk)
    clerk = desk.actor("clerk")
    with desk_lookup(desk) as lookup:
        assert [h.id for h in lookup.find(card_number)] == [person_id]
        with desk.session() as session:
            set_user_active(session, desk.actor("admin"), user_id=clerk.user_id, active=False)
        with pytest.raises(AuthenticationError):
            lookup.find(card_number)


def test_the_lookup_reconnects_after_close(desk: Desk) -> None:
    person_id, card_number = _card_holder(desk)
    lookup = PersonLookup(desk.store.sessions, desk.actor("clerk"))
    assert [h.id for h in lookup.find(card_number)] == [person_id]
    lookup.close()
    lookup.close()  # twice is harmless
    assert [h.id for h in lookup.find(card_number)] == [person_id]
    lookup.close()


def desk_lookup(desk: Desk) -> PersonLookup:
    return PersonLookup(desk.store.sessions, desk.actor("clerk"))
