"""社会保障卡申领 (first card, 补领, 换领, 即时制卡), production, hand-over and card look-up."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.card import (
    CardApplicationKind,
    CardState,
    ReplacementReason,
    RepresentativeRole,
    card_number_check_character,
    parse_card_number,
)
from medins_desk.domain.policy import Policy
from medins_desk.domain.workdays import add_working_days
from medins_desk.errors import (
    BusinessRuleError,
    ConfirmationRequired,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from medins_desk.services import cards
from medins_desk.services.card_application import Representative, apply_for_card
from medins_desk.services.cards import (
    allocate_card_number,
    card_id_code,
    find_card,
    hand_over_card,
    record_card_produced,
)
from medins_desk.services.context import Actor
from medins_desk.services.loss_report import report_loss
from medins_desk.store.models import (
    AuditEntry,
    Card,
    CardApplication,
    Person,
    SerialCounter,
    Transaction,
)
from tests.helpers.people import make_id, register
from tests.helpers.photos import make_photo, valid_photo
from tests.helpers.store import Desk

FIRST = CardApplicationKind.FIRST
REISSUE = CardApplicationKind.REISSUE
REPLACEMENT = CardApplicationKind.REPLACEMENT
PHOTO = valid_photo()
REGION = "110105"  # the default agency's region (Agency.region_code)


def _person(session: Session, actor: Actor, **kwargs: Any) -> int:
    return int(register(session, actor, **kwargs).person.id)


def _apply(session: Session, actor: Actor, person_id: int, **kwargs: Any) -> Any:
    kwargs.setdefault("kind", FIRST)
    kwargs.setdefault("photo", PHOTO)
    return apply_for_card(session, actor, person_id=person_id, **kwargs)


def _card(session: Session, card_id: int) -> Card:
    session.expire_all()
    card = session.get(Card, card_id)
    assert card is not None
    return card


def _without_printer(actor: Actor) -> Actor:
    return dataclasses.replace(
        actor, counter=dataclasses.replace(actor.counter, has_card_printer=False)
    )


def _with_policy(actor: Actor, **changes: Any) -> Actor:
    policy = dataclasses.replace(actor.policy, **changes)
    return dataclasses.replace(actor, counter=dataclasses.replace(actor.counter, policy=policy))


def _guardian(**changes: str) -> Representative:
    values = {
        "role": RepresentativeRole.GUARDIAN,
        "id_number": make_id(date(1985, 3, 3), sequence=7),
        "name": "刘建华",
        "relation": "父亲",
        "phone": "13522871406",
    } | changes
    return Representative(**values)  # type: ignore[arg-type]


def _counts(session: Session) -> dict[str, int]:
    session.expire_all()
    counts = {
        model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Card, CardApplication, Transaction, AuditEntry)
    }
    counts["serial"] = (
        session.scalar(select(func.coalesce(func.sum(SerialCounter.last_seq), 0))) or 0
    )
    return counts


# --- the main paths, on SQLite and PostgreSQL ---------------------------------------------------


def test_first_card_is_produced_handed_over_and_active(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    today = any_desk.clock().date()
    with any_desk.session() as session:
        person_id = _person(session, clerk, male=False)
        receipt = _apply(session, clerk, person_id)
        assert receipt.kind_label == "首次申领"
        assert receipt.fee_fen == 0 and receipt.transaction.fee_fen == 0
        assert receipt.transaction.kind is BusinessKind.CARD_APPLICATION
        assert receipt.person_name == "张三" and receipt.sex_label == "女"
        assert receipt.id_number == make_id(date(1980, 5, 17), male=False)
        assert receipt.expected_pickup_date == add_working_days(today, 15)
        assert receipt.card_number is None and not receipt.instant
        assert receipt.representative is None and receipt.old_card_number is None
        assert _card(session, receipt.card_id).state is CardState.ACCEPTED

        produced = record_card_produced(session, clerk, card_id=receipt.card_id)
        assert produced.state is CardState.READY and produced.state_label == "待领取"
        number = produced.card_number
        assert number is not None and parse_card_number(number) == (number, [])
        assert produced.card_id_code == card_id_code(REGION, number)
        assert produced.card_id_code is not None
        assert produced.card_id_code.startswith(REGION + "D156000005")
        assert len(produced.card_id_code) == 32
        assert produced.issue_date == today
        assert produced.expiry_date == date(today.year + 10, today.month, today.day)

        handed = hand_over_card(session, clerk, card_id=receipt.card_id)
        assert handed.transaction.kind is BusinessKind.CARD_HANDOVER
        assert handed.card_number == number and handed.expiry_date == produced.expiry_date
        status = find_card(session, clerk, card_number=number)
        assert status is not None and status.state is CardState.ACTIVE
        assert not status.lost and status.warning is None and not status.expired
        assert status.masked_id_number == "110105********" + receipt.id_number[-4:]
        audited = set(session.scalars(select(AuditEntry.action)))
    assert {"card_application", "card_produced", "card_handover"} <= audited


def test_instant_issuance_at_a_counter_with_a_card_printer(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    assert clerk.counter.has_card_printer
    today = any_desk.clock().date()
    with any_desk.session() as session:
        person_id = _person(session, clerk)
        receipt = _apply(session, clerk, person_id, instant=True)
        card = _card(session, receipt.card_id)
        assert card.state is CardState.ACTIVE
        assert receipt.instant and receipt.card_number == card.card_number
        assert receipt.expected_pickup_date == today
        assert card.issue_date == today and card.expiry_date == date(today.year + 10, 11, 18)
        assert card.card_id_code == card_id_code(REGION, receipt.card_number)
        # One business act, one transaction: no separate hand-over.
        kinds = list(
            session.scalars(
                select(Transaction.kind)
                .where(Transaction.person_id == person_id)
                .order_by(Transaction.id)
            )
        )
    assert kinds == [BusinessKind.PERSON_REGISTRATION, BusinessKind.CARD_APPLICATION]


def test_reissue_after_formal_loss_cancels_the_old_card(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        person_id = _person(session, clerk)
        first = _apply(session, clerk, person_id, instant=True)
        report_loss(session, clerk, card_id=first.card_id, formal=True)
        receipt = _apply(session, clerk, person_id, kind=REISSUE)
        assert receipt.kind_label == "补领"
        assert receipt.old_card_number == first.card_number
        assert receipt.fee_fen == Policy().fee_reissue_fen == receipt.transaction.fee_fen
        assert _card(session, first.card_id).state is CardState.CANCELLED
        assert _card(session, receipt.card_id).state is CardState.ACCEPTED
        old = find_card(session, clerk, card_number=first.card_number)
        assert old is not None and old.lost and old.warning == "此卡已注销"


# --- instant issuance ---------------------------------------------------------------------------


def test_instant_issuance_is_refused_without_a_card_printer(desk: Desk) -> None:
    clerk = _without_printer(desk.actor("clerk"))
    with desk.session() as session:
        person_id = _person(session, clerk)
        before = _counts(session)
        with pytest.raises(BusinessRuleError) as caught:
            _apply(session, clerk, person_id, instant=True)
        assert "制卡设备" in caught.value.message
        assert _counts(session) == before
        # The same counter accepts an ordinary application.
        assert _apply(session, clerk, person_id).card_number is None


def test_instant_issuance_works_for_a_minor_with_a_guardian(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        child = _person(session, clerk, name="刘子涵", birth=date(2019, 4, 18), enrolled=False)
        receipt = _apply(session, clerk, child, instant=True, representative=_guardian())
    assert receipt.card_number is not None
    assert receipt.representative is not None and receipt.representative.role_label == "监护人"


# --- one live card per person, 补领 and 换领 ---------------------------------------------------


def test_first_card_is_refused_while_a_live_card_exists(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = _person(session, clerk)
        accepted = _apply(session, clerk, person_id)
        with pytest.raises(BusinessRuleError) as caught:
            _apply(session, clerk, person_id)
        assert "「申领受理」" in caught.value.message
        record_card_produced(session, clerk, card_id=accepted.card_id)
        hand_over_card(session, clerk, card_id=accepted.card_id)
        with pytest.raises(BusinessRuleError) as caught:
            _apply(session, clerk, person_id, instant=True)
        assert "「正常」" in caught.value.message and "换领" in caught.value.message
        report_loss(session, clerk, card_id=accepted.card_id, formal=False)
        with pytest.raises(BusinessRuleError) as caught:
            _apply(session, clerk, person_id)
        assert "「临时挂失」" in caught.value.message
        cards_held = session.scalar(select(func.count(Card.id)).where(Card.person_id == person_id))
    assert cards_held == 1


def test_reissue_is_refused_unless_the_old_card_is_formally_lost(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = _person(session, clerk)
        with pytest.raises(BusinessRuleError) as caught:
            _apply(session, clerk, person_id, kind=REISSUE)
        assert "首次申领" in caught.value.message
        card_id = _apply(session, clerk, person_id, instant=True).card_id
        with pytest.raises(BusinessRuleError) as caught:
            _apply(session, clerk, person_id, kind=REISSUE)
        assert "「正式挂失」" in caught.value.message and "「正常」" in caught.value.message
        report_loss(session, clerk, card_id=card_id, formal=False)
        with pytest.raises(BusinessRuleError) as caught:
            _apply(session, clerk, person_id, kind=REISSUE)
        assert "「临时挂失」" in caught.value.message and "正式挂失" in caught.value.message
        assert _card(session, card_id).state is CardState.TEMP_LOST
        report_loss(session, clerk, card_id=card_id, formal=True)
        receipt = _apply(session, clerk, person_id, kind=REISSUE, instant=True)
        assert _card(session, card_id).state is CardState.CANCELLED
        assert _card(session, receipt.card_id).state is CardState.ACTIVE


def test_replacement_needs_the_old_card_back_and_a_reason(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = _person(session, clerk)
        card_id = _apply(session, clerk, person_id, instant=True).card_id
        before = _counts(session)
        with pytest.raises(BusinessRuleError) as refused:
            _apply(
                session, clerk, person_id, kind=REPLACEMENT,
                replacement_reason=ReplacementReason.DAMAGED,
            )  # fmt: skip
        assert "交回原卡" in refused.value.message
        with pytest.raises(ValidationError) as no_reason:
            _apply(session, clerk, person_id, kind=REPLACEMENT, old_card_returned=True)
        assert no_reason.value.field == "replacement_reason"
        assert _counts(session) == before
        receipt = _apply(
            session, clerk, person_id, kind=REPLACEMENT, old_card_returned=True,
            replacement_reason=ReplacementReason.DAMAGED,
        )  # fmt: skip
        assert receipt.kind_label == "换领" and receipt.replacement_reason_label == "人为损坏"
        assert _card(session, card_id).state is CardState.CANCELLED
        assert _card(session, receipt.card_id).state is CardState.ACCEPTED


def test_replacement_needs_an_active_card(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = _person(session, clerk)
        card_id = _apply(session, clerk, person_id, instant=True).card_id
        report_loss(session, clerk, card_id=card_id, formal=True)
        with pytest.raises(BusinessRuleError) as caught:
            _apply(
                session, clerk, person_id, kind=REPLACEMENT, old_card_returned=True,
                replacement_reason=ReplacementReason.FAULTY,
            )  # fmt: skip
    assert "「正常」" in caught.value.message and "「正式挂失」" in caught.value.message


def test_a_reason_is_refused_for_other_kinds(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = _person(session, clerk)
        with pytest.raises(ValidationError) as caught:
            _apply(session, clerk, person_id, replacement_reason=ReplacementReason.FAULTY)
    assert caught.value.field == "replacement_reason"


def test_an_expiry_replacement_of_an_unexpired_card_needs_confirmation(desk: Desk) -> None:
    clerk = _with_policy(desk.actor("clerk"), expired_replacement_free=True)
    with desk.session() as session:
        person_id = _person(session, clerk)
        _apply(session, clerk, person_id, instant=True)
        kwargs: dict[str, Any] = {
            "kind": REPLACEMENT, "old_card_returned": True,
            "replacement_reason": ReplacementReason.EXPIRED,
        }  # fmt: skip
        with pytest.raises(ConfirmationRequired) as caught:
            _apply(session, clerk, person_id, **kwargs)
        assert caught.value.codes == {"card_not_expired"}
        receipt = _apply(session, clerk, person_id, **kwargs, acknowledged=caught.value.codes)
    assert receipt.fee_fen == 0


# --- fees ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "reason", "expected"),
    [
        (FIRST, None, 100),
        (REISSUE, None, 2500),
        (REPLACEMENT, ReplacementReason.DAMAGED, 3500),
        (REPLACEMENT, ReplacementReason.OTHER, 3500),
        (REPLACEMENT, ReplacementReason.FAULTY, 0),
        (REPLACEMENT, ReplacementReason.DATA_CHANGED, 0),
    ],
)
def test_fee_comes_from_the_policy(
    desk: Desk, kind: CardApplicationKind, reason: ReplacementReason | None, expected: int
) -> None:
    clerk = _with_policy(
        desk.actor("clerk"), fee_first_card_fen=100, fee_reissue_fen=2500, fee_replacement_fen=3500
    )
    with desk.session() as session:
        person_id = _person(session, clerk)
        if kind is not FIRST:
            card_id = _apply(session, clerk, person_id, instant=True).card_id
            if kind is REISSUE:
                report_loss(session, clerk, card_id=card_id, formal=True)
        receipt = _apply(
            session, clerk, person_id, kind=kind, replacement_reason=reason,
            old_card_returned=kind is REPLACEMENT,
        )  # fmt: skip
        stored = session.scalar(
            select(Transaction.fee_fen).where(Transaction.serial == receipt.transaction.serial)
        )
        application_fee = session.scalar(
            select(CardApplication.fee_fen).where(CardApplication.id == receipt.application_id)
        )
    assert receipt.fee_fen == stored == application_fee == expected


def test_pickup_date_follows_the_policy_in_working_days(desk: Desk) -> None:
    clerk = _with_policy(desk.actor("clerk"), card_production_working_days=3)
    with desk.session() as session:
        receipt = _apply(session, clerk, _person(session, clerk))
    # Wednesday 18 November 2026 + 3 working days: Monday 23 November.
    assert receipt.expected_pickup_date == date(2026, 11, 23)


# --- guardians and agents ----------------------------------------------------------------------


def test_a_ten_year_old_needs_a_guardian(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        child = _person(session, clerk, name="刘子涵", birth=date(2016, 5, 17))
        before = _counts(session)
        with pytest.raises(ValidationError) as alone:
            _apply(session, clerk, child)
        assert alone.value.field == "representative" and "10 周岁" in alone.value.message
        agent = _guardian(role=RepresentativeRole.AGENT)
        with pytest.raises(ValidationError) as by_agent:
            _apply(session, clerk, child, representative=agent)
        assert by_agent.value.field == "representative_role"
        assert _counts(session) == before
        receipt = _apply(session, clerk, child, representative=_guardian())
        stored = session.get(CardApplication, receipt.application_id)
        assert stored is not None
        assert stored.representative_role is RepresentativeRole.GUARDIAN
        assert stored.representative_relation == "父亲"
    view = receipt.representative
    assert view is not None
    assert (view.role_label, view.name, view.relation, view.phone) == (
        "监护人", "刘建华", "父亲", "13522871406",
    )  # fmt: skip
    assert view.masked_id_number == "110105********" + _guardian().id_number[-4:]


def test_guardian_age_is_a_policy_value(desk: Desk) -> None:
    clerk = _with_policy(desk.actor("clerk"), guardian_age=10)
    with desk.session() as session:
        child = _person(session, clerk, name="刘子涵", birth=date(2016, 5, 17))
        assert _apply(session, clerk, child).representative is None


def test_an_adult_may_send_an_agent(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = _person(session, clerk)
        agent = _guardian(role=RepresentativeRole.AGENT, name="赵丽", relation="配偶")
        receipt = _apply(session, clerk, person_id, representative=agent)
    assert receipt.representative is not None
    assert receipt.representative.role_label == "代办人"


def test_an_agent_may_collect_an_instantly_issued_card(desk: Desk) -> None:
    # DESIGN §5: 即时制卡 at a counter is open to agents (and minors), unlike at a kiosk.
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = _person(session, clerk)
        agent = _guardian(role=RepresentativeRole.AGENT, name="赵丽", relation="配偶")
        receipt = _apply(session, clerk, person_id, instant=True, representative=agent)
        state = session.scalar(select(Card.state).where(Card.id == receipt.card_id))
    assert receipt.card_number is not None
    assert state is CardState.ACTIVE
    assert receipt.representative is not None and receipt.representative.name == "赵丽"


def test_the_representative_is_not_the_applicant_nor_a_minor(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = _person(session, clerk)
        itself = _guardian(role=RepresentativeRole.AGENT, id_number=make_id(date(1980, 5, 17)))
        with pytest.raises(ValidationError) as caught:
            _apply(session, clerk, person_id, representative=itself)
        assert caught.value.field == "representative_id_number" and "本人" in caught.value.message
        teenager = _guardian(role=RepresentativeRole.AGENT, id_number=make_id(date(2012, 1, 1)))
        with pytest.raises(ValidationError) as caught:
            _apply(session, clerk, person_id, representative=teenager)
        assert "年满 16 周岁" in caught.value.message


def test_a_representative_from_an_unknown_area_needs_confirmation(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    agent = _guardian(
        role=RepresentativeRole.AGENT, id_number=make_id(date(1985, 3, 3), area="560101")
    )
    with desk.session() as session:
        person_id = _person(session, clerk)
        with pytest.raises(ConfirmationRequired) as caught:
            _apply(session, clerk, person_id, representative=agent)
        assert caught.value.codes == {"representative_unknown_area"}
        assert "代办人" in caught.value.message
        receipt = _apply(
            session, clerk, person_id, representative=agent, acknowledged=caught.value.codes
        )
    assert receipt.representative is not None


_VALID_ID = make_id(date(1985, 3, 3), sequence=7)
_WRONG_CHECK = _VALID_ID[:-1] + ("0" if _VALID_ID[-1] != "0" else "1")


@pytest.mark.parametrize(
    ("field", "value", "error_field"),
    [
        ("name", "'; DROP TABLE persons; --", "representative_name"),
        ("name", "刘建华😀", "representative_name"),
        ("name", "刘" * 200, "representative_name"),
        ("name", "", "representative_name"),
        ("id_number", "'; DROP TABLE persons; --", "representative_id_number"),
        ("id_number", _WRONG_CHECK, "representative_id_number"),
        ("id_number", "", "representative_id_number"),
        ("phone", "12345", "representative_phone"),
        ("phone", "", "representative_phone"),
        ("relation", "", "representative_relation"),
        ("relation", "父" * 21, "representative_relation"),
        ("relation", "父亲😀", "representative_relation"),
        ("relation", "'; DROP TABLE persons; --", "representative_relation"),
        ("relation", "父\x00亲", "representative_relation"),
        ("role", "boss", "representative_role"),
    ],
)
def test_bad_representative_input_is_refused(field: str, value: str, error_field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _guardian(**{field: value})
    assert caught.value.field == error_field and caught.value.message


def test_representative_input_is_normalised() -> None:
    typed = _guardian(
        id_number=" " + make_id(date(1985, 3, 3), sequence=7).lower() + " ",
        name=" 阿依古丽•买买提 ",
        relation="  母亲 ",
        phone="+86 135-2287-1406",
        role="guardian",
    )
    assert typed.role is RepresentativeRole.GUARDIAN
    assert typed.name == "阿依古丽·买买提" and typed.relation == "母亲"
    assert typed.phone == "13522871406" and typed.id_number == _guardian().id_number


# --- names and photos ----------------------------------------------------------------------------


def test_a_rare_character_name_is_flagged_for_manual_personalisation(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = _person(session, clerk, name="王𠮷")
        with pytest.raises(BusinessRuleError) as caught:
            _apply(session, clerk, person_id, instant=True)
        assert "人工制卡" in caught.value.message
        receipt = _apply(session, clerk, person_id)
        stored = session.get(CardApplication, receipt.application_id)
        assert stored is not None and stored.manual_personalisation
        name = session.scalar(select(Person.name).where(Person.id == person_id))
    assert receipt.manual_personalisation
    assert receipt.person_name == name == "王𠮷"


def test_a_gbk_name_is_not_flagged(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        receipt = _apply(session, clerk, _person(session, clerk, name="阿依古丽·买买提"))
    assert not receipt.manual_personalisation


@pytest.mark.parametrize(
    ("photo", "expected"),
    [
        (make_photo(size=(300, 400)), ["300×400"]),
        (make_photo(image_format="PNG"), ["PNG", "JPEG"]),
        (make_photo(mode="L"), ["灰度", "RGB"]),
        (make_photo(noise=False), ["KB"]),
        (make_photo(background=(70, 110, 200)), ["背景不是白色"]),
        (b"'; DROP TABLE persons; --", ["不是可识别的图像"]),
        (b"", ["不是可识别的图像"]),
        (
            make_photo(size=(600, 800), background=(200, 200, 200), image_format="PNG"),
            ["PNG", "600×800", "KB", "背景不是白色"],
        ),
    ],
)
def test_photo_problems_are_each_reported(desk: Desk, photo: bytes, expected: list[str]) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = _person(session, clerk)
        before = _counts(session)
        with pytest.raises(ValidationError) as caught:
            _apply(session, clerk, person_id, photo=photo)
        assert _counts(session) == before
    assert caught.value.field == "photo"
    for part in expected:
        assert part in caught.value.message


def test_photo_size_limits_come_from_the_policy(desk: Desk) -> None:
    clerk = _with_policy(desk.actor("clerk"), photo_max_bytes=len(PHOTO) - 1)
    with desk.session() as session:
        person_id = _person(session, clerk)
        with pytest.raises(ValidationError) as caught:
            _apply(session, clerk, person_id)
    assert caught.value.field == "photo" and "KB" in caught.value.message


def test_the_photo_is_stored_with_its_digest(desk: Desk) -> None:
    import hashlib

    clerk = desk.actor("clerk")
    with desk.session() as session:
        receipt = _apply(session, clerk, _person(session, clerk))
        stored = session.get(CardApplication, receipt.application_id)
        assert stored is not None
        assert stored.photo == PHOTO
        assert stored.photo_sha256 == hashlib.sha256(PHOTO).hexdigest()


# --- other input, permissions and rollback -------------------------------------------------------


def test_a_person_without_enrollment_may_apply(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        receipt = _apply(session, clerk, _person(session, clerk, enrolled=False))
    assert receipt.transaction.kind is BusinessKind.CARD_APPLICATION


def test_unknown_person_and_bad_kind_are_refused(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        with pytest.raises(NotFound):
            _apply(session, clerk, 999_999)
        person_id = _person(session, clerk)
        with pytest.raises(ValidationError) as caught:
            _apply(session, clerk, person_id, kind="'; DROP TABLE cards; --")
        assert caught.value.field == "kind"
        assert session.scalar(select(func.count(Card.id))) == 0


def test_admin_may_not_apply_or_produce(desk: Desk) -> None:
    with desk.session() as session:
        person_id = _person(session, desk.actor("clerk"))
        card_id = _apply(session, desk.actor("clerk"), person_id).card_id
        with pytest.raises(PermissionDenied):
            _apply(session, desk.actor("admin"), person_id)
        with pytest.raises(PermissionDenied):
            record_card_produced(session, desk.actor("admin"), card_id=card_id)
        # Looking a card up is allowed.
        assert find_card(session, desk.actor("admin"), id_number=make_id(date(1980, 5, 17)))


def _exhaust_card_numbers(session: Session, person_id: int) -> None:
    """A card holding the last number of the region's sequence."""
    last = "L9999999"
    number = last + card_number_check_character(last)
    session.add(
        Card(
            person_id=person_id, card_number=number, card_id_code=card_id_code(REGION, number),
            state=CardState.CANCELLED, region_code=REGION, state_changed_at=date(2020, 1, 1),
        )
    )  # fmt: skip
    session.commit()


def test_a_failure_after_the_new_card_was_written_leaves_nothing(desk: Desk) -> None:
    """Instant issuance fails when numbering is used up: after the old card was superseded, the
    new card flushed, the serial taken and the application added. Nothing of it stays."""
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = _person(session, clerk)
        old_id = _apply(session, clerk, person_id, instant=True).card_id
        report_loss(session, clerk, card_id=old_id, formal=True)
        _exhaust_card_numbers(session, _person(session, clerk, name="李四", sequence=2))
        before = _counts(session)
        with pytest.raises(BusinessRuleError) as caught:
            _apply(session, clerk, person_id, kind=REISSUE, instant=True)
        assert "卡号已分配完" in caught.value.message
        assert _counts(session) == before
        assert _card(session, old_id).state is CardState.FORMAL_LOST
        # The serial was not used up: the next act takes the number the failed one had.
        receipt = _apply(session, clerk, person_id, kind=REISSUE)
    assert receipt.transaction.serial.endswith(f"{before['serial'] + 1:05d}")


# --- card numbers and look-up --------------------------------------------------------------------


def test_card_numbers_run_in_sequence_and_skip_numbers_in_use(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        first = _apply(session, clerk, _person(session, clerk, sequence=1), instant=True)
        assert first.card_number == "A0000001" + card_number_check_character("A0000001")
        # A card of another region already holds the next number.
        taken = "A0000002" + card_number_check_character("A0000002")
        other = _person(session, clerk, name="李四", sequence=2)
        session.add(
            Card(
                person_id=other, card_number=taken, card_id_code=card_id_code("310104", taken),
                state=CardState.ACTIVE, region_code="310104", state_changed_at=desk.clock(),
            )
        )  # fmt: skip
        session.commit()
        assert allocate_card_number(session, REGION).startswith("A0000003")
        third = _apply(
            session, clerk, _person(session, clerk, name="王五", sequence=3), instant=True
        )
    assert third.card_number is not None and third.card_number.startswith("A0000003")


def test_a_number_taken_at_the_same_moment_is_retried(
    any_desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another counter commits the number between allocation and insert: the unique constraint
    refuses it inside a savepoint and the next free number is used."""
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        first = _apply(session, clerk, _person(session, clerk, sequence=1), instant=True)
        real = cards.allocate_card_number
        offered = iter([first.card_number])
        monkeypatch.setattr(
            cards, "allocate_card_number", lambda s, region: next(offered, None) or real(s, region)
        )
        second = _apply(
            session, clerk, _person(session, clerk, name="李四", sequence=2), instant=True
        )
    assert second.card_number is not None and second.card_number != first.card_number
    assert second.card_number.startswith("A0000002")


def test_card_id_code_is_unique_per_number() -> None:
    codes = {card_id_code(REGION, n) for n in ("A00000019", "A00000027", "X00000019", "ZZZZZZZZZ")}
    assert len(codes) == 4
    assert all(len(c) == 32 and c.startswith("110105D156000005") for c in codes)
    with pytest.raises(ValidationError):
        card_id_code("11010", "A00000019")
    with pytest.raises(ValidationError):
        card_id_code(REGION, "a'; --")


def test_find_card_by_number_code_or_identity_number(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        receipt = _apply(session, clerk, _person(session, clerk), instant=True)
        number = receipt.card_number
        assert number is not None
        code = card_id_code(REGION, number)
        by_number = find_card(session, clerk, card_number=f" {number.lower()} ")
        by_code = find_card(session, clerk, card_id_code=code.lower())
        by_id = find_card(session, clerk, id_number=receipt.id_number)
        # An unknown number falls back to the next key given.
        fallback = find_card(session, clerk, card_number="X00000019", id_number=receipt.id_number)
        assert find_card(session, clerk, card_number="X00000019") is None
        assert find_card(session, clerk, id_number=make_id(date(1990, 1, 1))) is None
        for bad in ({"card_number": "'; DROP TABLE cards; --"}, {"card_id_code": "12"}, {}):
            with pytest.raises(ValidationError):
                find_card(session, clerk, **bad)
    statuses = {by_number, by_code, by_id, fallback}
    assert len(statuses) == 1
    status = statuses.pop()
    assert status is not None and status.card_id == receipt.card_id and not status.lost


def test_find_card_flags_an_expired_card(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        receipt = _apply(session, clerk, _person(session, clerk), instant=True)
        desk.clock.advance(days=366 * 10)
        status = find_card(session, clerk, card_number=receipt.card_number)
    assert status is not None and status.expired and not status.lost
    assert status.warning is not None and "有效期" in status.warning


def test_hand_over_needs_a_ready_card_and_a_guardian_for_a_minor(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        child = _person(session, clerk, name="刘子涵", birth=date(2016, 5, 17))
        card_id = _apply(session, clerk, child, representative=_guardian()).card_id
        with pytest.raises(BusinessRuleError) as caught:
            hand_over_card(session, clerk, card_id=card_id, representative=_guardian())
        assert "「申领受理」" in caught.value.message
        record_card_produced(session, clerk, card_id=card_id)
        with pytest.raises(BusinessRuleError):
            record_card_produced(session, clerk, card_id=card_id)
        with pytest.raises(ValidationError):
            hand_over_card(session, clerk, card_id=card_id)
        receipt = hand_over_card(session, clerk, card_id=card_id, representative=_guardian())
        with pytest.raises(NotFound):
            hand_over_card(session, clerk, card_id=999_999)
    assert receipt.representative is not None and receipt.representative.name == "刘建华"
    assert "监护人 刘建华 代领" in receipt.transaction.summary
