"""挂失/解挂: temporary reports that lapse, formal reports, unfreezing, and the loss voucher."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.card import CardApplicationKind, CardState, RepresentativeRole
from medins_desk.domain.policy import Policy
from medins_desk.errors import BusinessRuleError, NotFound, PermissionDenied, ValidationError
from medins_desk.services.card_application import Representative, apply_for_card
from medins_desk.services.cards import SYSTEM_USERNAME, find_card, settle_all_expired_losses
from medins_desk.services.context import Actor
from medins_desk.services.loss_report import (
    LossAct,
    available_loss_acts,
    report_loss,
    unfreeze_card,
)
from medins_desk.store.models import (
    AuditEntry,
    Card,
    DayClose,
    LossReport,
    SerialCounter,
    Transaction,
)
from tests.helpers.people import make_id, register
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk

PHOTO = valid_photo()


def _active_card(session: Session, actor: Actor, **person: Any) -> int:
    """A registered person's card, issued at once (正常)."""
    person_id = register(session, actor, **person).person.id
    receipt = apply_for_card(
        session, actor, person_id=person_id, kind=CardApplicationKind.FIRST, photo=PHOTO,
        instant=True,
    )  # fmt: skip
    return receipt.card_id


def _state(session: Session, card_id: int) -> CardState:
    session.expire_all()
    card = session.get(Card, card_id)
    assert card is not None
    return card.state


def _with_policy(actor: Actor, **changes: Any) -> Actor:
    policy = dataclasses.replace(actor.policy, **changes)
    return dataclasses.replace(actor, counter=dataclasses.replace(actor.counter, policy=policy))


def _agent(**changes: str) -> Representative:
    values = {
        "role": RepresentativeRole.AGENT,
        "id_number": make_id(date(1990, 1, 5), sequence=9, male=False),
        "name": "赵丽",
        "relation": "配偶",
        "phone": "13766120985",
    } | changes
    return Representative(**values)  # type: ignore[arg-type]


def _counts(session: Session) -> list[int]:
    """Rows of what a loss act writes, and the serials used so far."""
    session.expire_all()
    counts = [
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (LossReport, Transaction, AuditEntry)
    ]
    serials = select(func.coalesce(func.sum(SerialCounter.last_seq), 0))
    return [*counts, session.scalar(serials) or 0]


# --- the main paths, on SQLite and PostgreSQL ---------------------------------------------------


def test_temporary_loss_report(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        card_id = _active_card(session, clerk)
        receipt = report_loss(session, clerk, card_id=card_id, formal=False)
        assert _state(session, card_id) is CardState.TEMP_LOST
        report = session.scalars(select(LossReport)).one()
    assert receipt.act is LossAct.TEMPORARY and receipt.kind_label == "临时挂失"
    assert receipt.transaction.kind is BusinessKind.LOSS_TEMPORARY
    assert (receipt.state_before_label, receipt.state_after_label) == ("正常", "临时挂失")
    assert receipt.expires_at == any_desk.clock() + timedelta(days=5)
    assert receipt.person_name == "张三" and receipt.id_number == make_id(date(1980, 5, 17))
    assert receipt.card_number and receipt.card_number in receipt.transaction.summary
    assert "银行" in receipt.bank_notice and "未在此冻结" in receipt.bank_notice
    assert (report.kind, report.expires_at) == ("temporary", receipt.expires_at)
    assert report.card_id == card_id and report.reported_at == any_desk.clock()


def test_formal_loss_after_a_temporary_one(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        card_id = _active_card(session, clerk)
        report_loss(session, clerk, card_id=card_id, formal=False)
        receipt = report_loss(session, clerk, card_id=card_id, formal=True)
        assert _state(session, card_id) is CardState.FORMAL_LOST
        card = session.get(Card, card_id)
        assert card is not None and card.temp_loss_expires_at is None
        kinds = list(session.scalars(select(LossReport.kind).order_by(LossReport.id)))
    assert kinds == ["temporary", "formal"]
    assert receipt.transaction.kind is BusinessKind.LOSS_FORMAL and receipt.kind_label == "正式挂失"
    assert (receipt.state_before, receipt.state_after) == (
        CardState.TEMP_LOST,
        CardState.FORMAL_LOST,
    )
    assert receipt.expires_at is None and "银行" in receipt.bank_notice


def test_unfreeze_of_a_temporary_loss(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        card_id = _active_card(session, clerk)
        report_loss(session, clerk, card_id=card_id, formal=False)
        receipt = unfreeze_card(session, clerk, card_id=card_id)
        assert _state(session, card_id) is CardState.ACTIVE
        card = session.get(Card, card_id)
        assert card is not None and card.temp_loss_expires_at is None
    assert receipt.kind_label == "解挂" and receipt.transaction.kind is BusinessKind.LOSS_UNFREEZE
    assert (receipt.state_before_label, receipt.state_after_label) == ("临时挂失", "正常")
    assert "银行" in receipt.bank_notice and receipt.expires_at is None


# --- temporary reports lapse ------------------------------------------------------------------


def test_a_temporary_loss_lapses_after_the_policy_days(desk: Desk) -> None:
    clerk = _with_policy(desk.actor("clerk"), temporary_loss_days=7)
    with desk.session() as session:
        card_id = _active_card(session, clerk)
        receipt = report_loss(session, clerk, card_id=card_id, formal=False)
        assert receipt.expires_at == desk.clock() + timedelta(days=7)
        number = receipt.card_number
        desk.clock.advance(days=7, seconds=-1)
        still = find_card(session, clerk, card_number=number)
        assert still is not None and still.state is CardState.TEMP_LOST and still.lost
        assert still.warning is not None and "此卡已挂失" in still.warning
        desk.clock.advance(seconds=1)
        status = find_card(session, clerk, card_number=number)
        assert status is not None and status.state is CardState.ACTIVE
        assert not status.lost and status.warning is None
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "temp_loss_expired")
        ).one()
        card = session.get(Card, card_id)
        assert card is not None
        assert card.temp_loss_expires_at is None
        assert card.state_changed_at == receipt.expires_at  # it lapsed then, not when looked at
    assert entry.entity == "card" and entry.entity_id == str(card_id)
    assert entry.username == SYSTEM_USERNAME and entry.user_id is None


def test_a_lapsed_report_is_settled_before_the_next_act(desk: Desk) -> None:
    """Without a background job: a second temporary report after the first lapsed is allowed
    (the card is 正常 again), and an unfreeze is refused (nothing to unfreeze)."""
    clerk = desk.actor("clerk")
    with desk.session() as session:
        card_id = _active_card(session, clerk)
        report_loss(session, clerk, card_id=card_id, formal=False)
        desk.clock.advance(days=6)
        with pytest.raises(BusinessRuleError) as caught:
            unfreeze_card(session, clerk, card_id=card_id)
        assert "「正常」" in caught.value.message
        receipt = report_loss(session, clerk, card_id=card_id, formal=False)
    assert receipt.state_before is CardState.ACTIVE
    assert receipt.expires_at == desk.clock() + timedelta(days=5)


def test_the_sweep_settles_every_lapsed_report(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        early = [
            _active_card(session, clerk, name=n, sequence=i) for i, n in ((1, "甲乙"), (2, "丙丁"))
        ]
        late = _active_card(session, clerk, name="戊己", sequence=3)
        for card_id in early:
            report_loss(session, clerk, card_id=card_id, formal=False)
        desk.clock.advance(days=2)
        report_loss(session, clerk, card_id=late, formal=False)
        desk.clock.advance(days=3)
        assert settle_all_expired_losses(session, clerk) == 2
        assert settle_all_expired_losses(session, clerk) == 0
        assert [_state(session, c) for c in early] == [CardState.ACTIVE, CardState.ACTIVE]
        assert _state(session, late) is CardState.TEMP_LOST
        with pytest.raises(PermissionDenied):
            settle_all_expired_losses(session, desk.actor("admin"))


# --- formal reports --------------------------------------------------------------------------


def test_a_formal_report_is_final_by_default(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        card_id = _active_card(session, clerk)
        report_loss(session, clerk, card_id=card_id, formal=True)
        with pytest.raises(BusinessRuleError) as caught:
            unfreeze_card(session, clerk, card_id=card_id)
        assert "正式挂失后不可解挂" in caught.value.message
        with pytest.raises(BusinessRuleError):
            report_loss(session, clerk, card_id=card_id, formal=False)
        assert _state(session, card_id) is CardState.FORMAL_LOST


def test_a_formal_report_may_be_unfrozen_where_the_region_allows(desk: Desk) -> None:
    clerk = _with_policy(desk.actor("clerk"), formal_loss_reversible=True)
    with desk.session() as session:
        card_id = _active_card(session, clerk)
        report_loss(session, clerk, card_id=card_id, formal=True)
        receipt = unfreeze_card(session, clerk, card_id=card_id)
        assert _state(session, card_id) is CardState.ACTIVE
    assert (receipt.state_before_label, receipt.state_after_label) == ("正式挂失", "正常")


def test_find_card_flags_a_lost_card(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        card_id = _active_card(session, clerk)
        receipt = report_loss(session, clerk, card_id=card_id, formal=True)
        status = find_card(session, clerk, card_number=receipt.card_number)
    assert status is not None and status.lost and status.state_label == "正式挂失"
    assert status.warning is not None and status.warning.startswith("此卡已挂失")


# --- states, representatives, bad input and rollback -----------------------------------------


def test_only_an_issued_card_can_be_reported(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = register(session, clerk).person.id
        pending = apply_for_card(
            session, clerk, person_id=person_id, kind=CardApplicationKind.FIRST, photo=PHOTO
        )
        for formal in (False, True):
            with pytest.raises(BusinessRuleError) as caught:
                report_loss(session, clerk, card_id=pending.card_id, formal=formal)
            assert "「申领受理」" in caught.value.message
        with pytest.raises(BusinessRuleError):
            unfreeze_card(session, clerk, card_id=pending.card_id)
        with pytest.raises(NotFound):
            report_loss(session, clerk, card_id=999_999, formal=False)
        assert session.scalar(select(func.count(LossReport.id))) == 0


def test_an_agent_reports_a_loss_and_is_named_on_the_voucher(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        card_id = _active_card(session, clerk)
        receipt = report_loss(session, clerk, card_id=card_id, formal=True, representative=_agent())
        report = session.scalars(select(LossReport)).one()
    view = receipt.representative
    assert view is not None and (view.role_label, view.name, view.relation) == (
        "代办人",
        "赵丽",
        "配偶",
    )
    assert "*" in view.masked_id_number and "代办人 赵丽 代办" in receipt.transaction.summary
    assert report.representative_role is RepresentativeRole.AGENT
    assert (report.representative_name, report.representative_relation) == ("赵丽", "配偶")
    assert report.representative_id_number == _agent().id_number
    assert report.representative_phone == "13766120985"


def test_the_holder_is_not_their_own_agent(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        card_id = _active_card(session, clerk)
        before = _counts(session)
        itself = _agent(id_number=make_id(date(1980, 5, 17)))
        with pytest.raises(ValidationError) as caught:
            report_loss(session, clerk, card_id=card_id, formal=False, representative=itself)
        assert caught.value.field == "representative_id_number"
        assert _counts(session) == before
        assert _state(session, card_id) is CardState.ACTIVE


def test_a_minor_may_report_a_loss_without_a_guardian(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    guardian = Representative(
        role=RepresentativeRole.GUARDIAN, id_number=make_id(date(1986, 6, 9), sequence=8),
        name="刘建华", relation="父亲", phone="13522871406",
    )  # fmt: skip
    with desk.session() as session:
        person_id = register(session, clerk, name="刘子涵", birth=date(2016, 5, 17)).person.id
        card_id = apply_for_card(
            session, clerk, person_id=person_id, kind=CardApplicationKind.FIRST, photo=PHOTO,
            instant=True, representative=guardian,
        ).card_id  # fmt: skip
        receipt = report_loss(session, clerk, card_id=card_id, formal=False)
    assert receipt.state_after is CardState.TEMP_LOST


def test_a_failure_after_the_card_changed_leaves_nothing(desk: Desk) -> None:
    """The day was closed meanwhile: the card's state was already changed when the transaction
    is refused; the state change is rolled back with it."""
    clerk = desk.actor("clerk")
    with desk.session() as session:
        card_id = _active_card(session, clerk)
        session.add(
            DayClose(
                hall_code=clerk.counter.hall_code, business_day=desk.clock().date(),
                closed_by=desk.actor("super").user_id, closed_at=desk.clock(),
                transaction_count=0, fee_total_fen=0,
            )
        )  # fmt: skip
        session.commit()
        before = _counts(session)
        with pytest.raises(BusinessRuleError) as caught:
            report_loss(session, clerk, card_id=card_id, formal=True)
        assert "已日结" in caught.value.message
        assert _counts(session) == before
        assert _state(session, card_id) is CardState.ACTIVE


def test_admin_may_not_report_a_loss(desk: Desk) -> None:
    with desk.session() as session:
        card_id = _active_card(session, desk.actor("clerk"))
        with pytest.raises(PermissionDenied):
            report_loss(session, desk.actor("admin"), card_id=card_id, formal=False)
        assert _state(session, card_id) is CardState.ACTIVE


def test_person_page_settles_a_lapsed_temporary_loss(desk: Desk) -> None:
    """The person's page never shows a card as lost after its temporary report expired."""
    from medins_desk.services.persons import get_person, search_persons

    with desk.session() as session:
        card_id = _active_card(session, desk.actor("clerk"))
        person_id = search_persons(session, desk.actor("clerk"), text="zs")[0].id
        report_loss(session, desk.actor("clerk"), card_id=card_id, formal=False)
        desk.clock.advance(days=desk.counter.policy.temporary_loss_days, seconds=1)
        page = get_person(session, desk.actor("clerk"), person_id=person_id)
    assert page.cards[-1].state is CardState.ACTIVE


@pytest.mark.parametrize(
    ("state", "reversible", "acts"),
    [
        (CardState.ACTIVE, False, [LossAct.TEMPORARY, LossAct.FORMAL]),
        (CardState.TEMP_LOST, False, [LossAct.FORMAL, LossAct.UNFREEZE]),
        (CardState.FORMAL_LOST, False, []),
        (CardState.FORMAL_LOST, True, [LossAct.UNFREEZE]),
        (CardState.CANCELLED, False, []),
        (CardState.ACCEPTED, False, []),
    ],
)
def test_available_acts_follow_the_lifecycle_table(
    state: CardState, reversible: bool, acts: list[LossAct]
) -> None:
    assert available_loss_acts(state, Policy(formal_loss_reversible=reversible)) == acts
