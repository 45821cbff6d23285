"""改写社保卡信息: the act recorded after the card was written and read back: rules, receipt."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.card import CardApplicationKind, CardState, card_id_code
from medins_desk.domain.enrollment import InsuranceType
from medins_desk.errors import BusinessRuleError, PermissionDenied
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.card_rewrite import check_card_rewrite, record_card_rewrite
from medins_desk.services.enrollment import suspend_enrollment
from medins_desk.services.loss_report import report_loss
from medins_desk.services.void import void_transaction
from medins_desk.services.vouchers import voucher_source
from medins_desk.store.models import Card, Person, Transaction
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk
from tests.integration.services.test_transfer import enrol

HERE = "110105"
CHENGDU = "510107"
NUMBER = "C51010719"


def _written(person_id: int, id_number: str, **changes: str) -> dict[str, object]:
    return {
        "person_id": person_id, "card_id_code": card_id_code(CHENGDU, NUMBER),
        "card_number": NUMBER, "card_ssn": id_number, "region_before": CHENGDU,
        "region_after": HERE,
    } | changes  # fmt: skip


def _id(session: Session, person_id: int) -> str:
    return session.get_one(Person, person_id).id_number


def test_a_card_from_elsewhere_is_rewritten_and_receipted(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        person_id = enrol(session, clerk, insurance=InsuranceType.EMPLOYEE)
        id_number = _id(session, person_id)
        assert check_card_rewrite(session, clerk, person_id=person_id) == HERE
        receipt = record_card_rewrite(session, clerk, **_written(person_id, id_number))
        reprint = voucher_source(session, clerk, serial=receipt.transaction.serial)
    assert receipt.transaction.kind is BusinessKind.CARD_REWRITE
    assert (receipt.region_before, receipt.region_after) == (CHENGDU, HERE)
    assert "武侯区" in receipt.region_before_name
    assert "参保地" in receipt.transaction.summary and NUMBER in receipt.transaction.summary
    assert reprint == receipt


def test_only_a_citizen_insured_here_has_the_card_rewritten(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = enrol(session, clerk)
        suspend_enrollment(
            session, clerk, person_id=person_id, effective=clerk.today(), reason="离职"
        )
        with pytest.raises(BusinessRuleError, match="没有正在参保缴费的记录"):
            check_card_rewrite(session, clerk, person_id=person_id)
        with pytest.raises(BusinessRuleError, match="没有正在参保缴费的记录"):
            record_card_rewrite(session, clerk, **_written(person_id, _id(session, person_id)))


def test_someone_elses_card_or_a_lost_one_is_refused(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = enrol(session, clerk)
        other = enrol(session, clerk, sequence=2)
        with pytest.raises(BusinessRuleError, match="不是本人的卡"):
            record_card_rewrite(session, clerk, **_written(person_id, _id(session, other)))
        receipt = apply_for_card(
            session, clerk, person_id=person_id, kind=CardApplicationKind.FIRST,
            photo=valid_photo(), instant=True,
        )  # fmt: skip
        card = session.get(Card, receipt.card_id)
        assert card is not None and card.card_id_code and card.card_number
        report_loss(session, clerk, card_id=card.id, formal=False)
        ours = _written(
            person_id, _id(session, person_id), card_id_code=card.card_id_code,
            card_number=card.card_number,
        )  # fmt: skip
        with pytest.raises(BusinessRuleError, match="临时挂失"):
            record_card_rewrite(session, clerk, **ours)
        stolen = _written(
            other, _id(session, other), card_id_code=card.card_id_code,
            card_number=card.card_number,
        )  # fmt: skip
        with pytest.raises(BusinessRuleError, match="他人的卡"):
            record_card_rewrite(session, clerk, **stolen)
        assert (
            session.scalars(
                select(Transaction).where(Transaction.kind == BusinessKind.CARD_REWRITE)
            ).all()
            == []
        )
        assert card.state is CardState.TEMP_LOST


def test_a_write_that_landed_without_its_act_is_recorded_once(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = enrol(session, clerk)
        landed = _written(person_id, _id(session, person_id), region_before=HERE)
        first = record_card_rewrite(session, clerk, **landed)
        with pytest.raises(BusinessRuleError, match="无需重复办理") as again:
            record_card_rewrite(session, clerk, **landed)
    assert first.transaction.serial in again.value.message


def test_a_rewrite_is_not_voided_and_a_supervisor_is_told_why(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        person_id = enrol(session, clerk)
        receipt = record_card_rewrite(
            session, clerk, **_written(person_id, _id(session, person_id))
        )
        with pytest.raises(BusinessRuleError, match="不能作废"):
            void_transaction(
                session, supervisor, serial=receipt.transaction.serial, reason="误操作"
            )
    admin = desk.actor("admin")
    with desk.session() as session, pytest.raises(PermissionDenied):
        check_card_rewrite(session, admin, person_id=person_id)
