"""个人账户余额继承 on a real store: the death recorded (enrollment ended, card cancelled and of
no further use), the heir and the guardian, the second person's review, and the void rules."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.card import CardApplicationKind, CardState, RepresentativeRole
from medins_desk.domain.enrollment import EnrollmentStatus
from medins_desk.domain.inheritance import DeathProof, HeirRelation, InheritanceState
from medins_desk.errors import (
    BusinessRuleError,
    ConfirmationRequired,
    PermissionDenied,
    ValidationError,
)
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.cards import Representative
from medins_desk.services.inheritance import (
    Heir,
    InheritancePledge,
    pending_inheritances,
    request_inheritance,
    review_inheritance,
)
from medins_desk.services.loss_report import report_loss
from medins_desk.services.void import void_transaction
from medins_desk.services.vouchers import voucher_source
from medins_desk.store.models import AccountInheritance, Card, Enrollment, Transaction
from tests.helpers.people import make_id, register
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk

DEATH = date(2026, 10, 2)
ACCOUNT = "6222020200112233446"  # passes Luhn


def _heir(**changes: Any) -> Heir:
    values: dict[str, Any] = {
        "id_number": make_id(date(1985, 4, 12), sequence=31, male=False),
        "name": "王芳",
        "relation": HeirRelation.CHILD,
        "phone": "13912345678",
        "bank_name": "中国工商银行北京朝阳支行",
        "bank_account": ACCOUNT,
    } | changes
    return Heir(**values)


def _deceased(session: Session, desk: Desk) -> tuple[int, int]:
    """An employee on record with a card in use: the person and the card."""
    clerk = desk.actor("clerk")
    person_id = register(session, clerk, name="王建国", birth=date(1950, 2, 3)).person.id
    card = apply_for_card(
        session, clerk, person_id=person_id, kind=CardApplicationKind.FIRST,
        photo=valid_photo(), instant=True,
    )  # fmt: skip
    return person_id, card.card_id


def _request(session: Session, desk: Desk, person_id: int, **changes: Any) -> InheritancePledge:
    values: dict[str, Any] = {
        "person_id": person_id,
        "death_date": DEATH,
        "death_proof": DeathProof.DEATH_CERTIFICATE,
        "balance_fen": 1_234_56,
        "heir": _heir(),
        "materials": ("死亡证明、火化证明或户口注销证明", "继承人居民身份证原件及复印件"),
    } | changes
    return request_inheritance(session, desk.actor("clerk"), **values)


def _count(session: Session) -> tuple[int, int]:
    session.expire_all()
    return (
        session.scalar(select(func.count()).select_from(AccountInheritance)) or 0,
        session.scalar(select(func.count()).select_from(Transaction)) or 0,
    )


def test_the_death_is_recorded_and_the_payment_is_final_after_a_second_persons_approval(
    any_desk: Desk,
) -> None:
    clerk, supervisor = any_desk.actor("clerk"), any_desk.actor("super")
    with any_desk.session() as session:
        person_id, card_id = _deceased(session, any_desk)
        session.commit()
    with any_desk.session() as session:
        pledge = _request(session, any_desk, person_id)
        session.commit()
    assert pledge.balance_fen == 123_456
    assert pledge.enrollment_label == "职工医保（参保终止，截至 2026-10-02）"
    assert pledge.card_number is not None
    assert "继承人与死亡参保人的亲属关系证明" in pledge.missing_materials
    with any_desk.session() as session:
        enrollment = session.scalars(select(Enrollment).where(Enrollment.person_id == person_id))
        (ended,) = enrollment.all()
        assert (ended.status, ended.end_date, ended.end_reason) == (
            EnrollmentStatus.TERMINATED, DEATH, "参保人死亡",
        )  # fmt: skip
        assert session.get_one(Card, card_id).state is CardState.CANCELLED
        (pending,) = pending_inheritances(session, supervisor)
        assert (pending.heir_name, pending.masked_bank_account) == ("王芳", "*" * 15 + "3446")
        assert pending.own is False
        decision = review_inheritance(
            session, supervisor, request_id=pending.id, approve=True, comment="材料齐全"
        )
        session.commit()
    assert decision.state is InheritanceState.APPROVED
    assert decision.pledge == pledge
    assert decision.reviewer_name == supervisor.display_name
    with any_desk.session() as session:
        assert pending_inheritances(session, supervisor) == []
        assert voucher_source(session, clerk, serial=pledge.transaction.serial) == pledge
        assert voucher_source(session, clerk, serial=decision.transaction.serial) == decision
        # A decided request is reviewed once only.
        with pytest.raises(BusinessRuleError, match="已核准支付"):
            review_inheritance(session, any_desk.actor("super2"), request_id=pending.id,
                               approve=False, comment="重复")  # fmt: skip


def test_a_cancelled_card_and_a_deceased_person_serve_no_other_act(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id, card_id = _deceased(session, desk)
        _request(session, desk, person_id)
        session.commit()
    with desk.session() as session, pytest.raises(BusinessRuleError, match="「注销」"):
        report_loss(session, clerk, card_id=card_id, formal=True)
    with desk.session() as session, pytest.raises(BusinessRuleError, match="已登记死亡"):
        apply_for_card(session, clerk, person_id=person_id, kind=CardApplicationKind.FIRST,
                       photo=valid_photo())  # fmt: skip


def test_the_submitter_cannot_review_and_a_clerk_may_not(desk: Desk) -> None:
    with desk.session() as session:
        person_id, _card = _deceased(session, desk)
        pledge = request_inheritance(
            session, desk.actor("super"), person_id=person_id, death_date=DEATH,
            death_proof=DeathProof.CREMATION_CERTIFICATE, balance_fen=0, heir=_heir(),
        )  # fmt: skip
        session.commit()
    with desk.session() as session, pytest.raises(BusinessRuleError, match="申请人本人"):
        review_inheritance(session, desk.actor("super"), request_id=pledge.request_id,
                           approve=True)  # fmt: skip
    with desk.session() as session, pytest.raises(PermissionDenied):
        review_inheritance(session, desk.actor("clerk2"), request_id=pledge.request_id,
                           approve=True)  # fmt: skip


def _guardian(**changes: Any) -> Representative:
    values: dict[str, Any] = {
        "role": RepresentativeRole.GUARDIAN,
        "id_number": make_id(date(1982, 6, 1), sequence=41, male=False),
        "name": "李秀英",
        "relation": "母亲",
        "phone": "13700001111",
    } | changes
    return Representative(**values)


MINOR = make_id(date(2010, 1, 20), sequence=51)  # 16 on the desk's day


def test_an_heir_under_18_without_a_guardian_is_refused_at_the_field_and_nothing_saved(
    any_desk: Desk,
) -> None:
    with any_desk.session() as session:
        person_id, card_id = _deceased(session, any_desk)
        session.commit()
        before = _count(session)
    with any_desk.session() as session, pytest.raises(ValidationError) as refused:
        _request(session, any_desk, person_id, heir=_heir(id_number=MINOR, name="王小明",
                 relation=HeirRelation.GRANDCHILD))  # fmt: skip
    assert refused.value.field == "representative"
    assert "未满 18 周岁" in refused.value.message
    with any_desk.session() as session:
        assert _count(session) == before
        assert session.get_one(Card, card_id).state is CardState.ACTIVE
        pledge = _request(
            session, any_desk, person_id, guardian=_guardian(),
            heir=_heir(id_number=MINOR, name="王小明", relation=HeirRelation.GRANDCHILD),
        )  # fmt: skip
    assert pledge.guardian is not None and pledge.guardian.name == "李秀英"
    assert "继承人监护人居民身份证原件及复印件" in pledge.missing_materials


@pytest.mark.parametrize(
    ("birth", "refused"),
    [
        (date(2008, 11, 19), True),  # 18 tomorrow
        (date(2008, 11, 18), False),  # 18 today
    ],
)
def test_the_guardian_age_boundary(desk: Desk, birth: date, refused: bool) -> None:
    heir = _heir(id_number=make_id(birth, sequence=61), name="王小明")
    with desk.session() as session:
        person_id, _card = _deceased(session, desk)
        if refused:
            with pytest.raises(ValidationError, match="未满 18 周岁"):
                _request(session, desk, person_id, heir=heir)
        else:
            _request(session, desk, person_id, heir=heir)
            with pytest.raises(ValidationError, match="由本人办理") as adult:
                _request(session, desk, person_id, heir=heir, guardian=_guardian())
            assert adult.value.field == "representative"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"death_date": date(2026, 11, 19)}, "death_date"),  # tomorrow
        ({"death_date": date(1950, 2, 2)}, "death_date"),  # the day before birth
        ({"balance_fen": -1}, "balance"),
        ({"heir": _heir(id_number=make_id(date(1950, 2, 3), sequence=1))}, "heir_id_number"),
    ],
)
def test_bad_input_names_its_field_and_saves_nothing(
    desk: Desk, changes: dict[str, Any], field: str
) -> None:
    with desk.session() as session:
        person_id, _card = _deceased(session, desk)
        session.commit()
        before = _count(session)
    with desk.session() as session, pytest.raises(ValidationError) as refused:
        _request(session, desk, person_id, **changes)
    assert refused.value.field == field
    with desk.session() as session:
        assert _count(session) == before


@pytest.mark.parametrize("death", [date(2026, 11, 18), date(1950, 2, 3)])  # today; birth day
def test_death_today_or_on_the_birth_day_is_accepted(desk: Desk, death: date) -> None:
    with desk.session() as session:
        person_id, _card = _deceased(session, desk)
        assert _request(session, desk, person_id, death_date=death).death_date == death


def test_a_bank_card_failing_luhn_is_confirmed_first(desk: Desk) -> None:
    heir = _heir(bank_account="6222020200112233440")
    with desk.session() as session:
        person_id, _card = _deceased(session, desk)
        with pytest.raises(ConfirmationRequired) as asked:
            _request(session, desk, person_id, heir=heir)
        assert asked.value.codes == {"bank_luhn"}
        pledge = _request(session, desk, person_id, heir=heir, acknowledged=asked.value.codes)
    assert pledge.bank_account == "6222020200112233440"


def test_bank_and_phone_are_checked_as_the_bank_debit_account_is() -> None:
    with pytest.raises(ValidationError) as refused:
        _heir(bank_account="6222 0202 0011")
    assert refused.value.field == "bank_account"
    with pytest.raises(ValidationError) as refused:
        _heir(bank_name="")
    assert refused.value.field == "bank_name"
    with pytest.raises(ValidationError) as refused:
        _heir(phone="1234")
    assert refused.value.field == "heir_phone"


def test_after_a_rejection_the_heir_asks_again_with_the_death_as_recorded(desk: Desk) -> None:
    with desk.session() as session:
        person_id, _card = _deceased(session, desk)
        first = _request(session, desk, person_id)
        with pytest.raises(BusinessRuleError, match="已待复核"):
            _request(session, desk, person_id)
        review_inheritance(session, desk.actor("super"), request_id=first.request_id,
                           approve=False, comment="缺亲属关系证明")  # fmt: skip
        with pytest.raises(ValidationError, match="2026-10-02") as other_day:
            _request(session, desk, person_id, death_date=DEATH - timedelta(days=1))
        assert other_day.value.field == "death_date"
        again = _request(session, desk, person_id, balance_fen=1)
        first_review = session.scalars(
            select(Transaction.serial).where(Transaction.kind == BusinessKind.INHERITANCE_REVIEW)
        ).one()
        with pytest.raises(BusinessRuleError, match="此后已有新的继承申请"):
            void_transaction(session, desk.actor("super"), serial=first_review, reason="录错")
    assert again.enrollment_label is None  # the first request recorded the death
    with desk.session() as session, pytest.raises(ValidationError, match="驳回须填写原因"):
        review_inheritance(session, desk.actor("super"), request_id=again.request_id,
                           approve=False)  # fmt: skip


def test_void_a_pending_request_puts_the_enrollment_and_the_card_back(any_desk: Desk) -> None:
    supervisor = any_desk.actor("super")
    with any_desk.session() as session:
        person_id, card_id = _deceased(session, any_desk)
        pledge = _request(session, any_desk, person_id)
        session.commit()
    with any_desk.session() as session:
        void_transaction(session, supervisor, serial=pledge.transaction.serial, reason="认错人")
        session.commit()
    with any_desk.session() as session:
        assert _count(session)[0] == 0
        assert session.get_one(Card, card_id).state is CardState.ACTIVE
        enrollment = session.scalars(select(Enrollment).where(Enrollment.person_id == person_id))
        (kept,) = enrollment.all()
        assert (kept.status, kept.end_date, kept.end_reason) == (
            EnrollmentStatus.ACTIVE, None, None,
        )  # fmt: skip


def test_void_rules_of_the_review(desk: Desk) -> None:
    supervisor = desk.actor("super")
    with desk.session() as session:
        person_id, _card = _deceased(session, desk)
        pledge = _request(session, desk, person_id)
        decision = review_inheritance(session, supervisor, request_id=pledge.request_id,
                                      approve=True)  # fmt: skip
        session.commit()
    with desk.session() as session, pytest.raises(BusinessRuleError, match="须先作废当日的复核"):
        void_transaction(session, supervisor, serial=pledge.transaction.serial, reason="录错")
    with desk.session() as session:
        void_transaction(session, supervisor, serial=decision.transaction.serial, reason="录错")
        session.commit()
    with desk.session() as session:
        (pending,) = pending_inheritances(session, desk.actor("super2"))
        assert pending.id == pledge.request_id
        # The voided notice still prints, marked void.
        voided = voucher_source(session, supervisor, serial=decision.transaction.serial)
        assert voided == dataclasses.replace(
            decision, transaction=dataclasses.replace(
                decision.transaction, status=TransactionStatus.VOID
            ),
        )  # fmt: skip
        void_transaction(session, supervisor, serial=pledge.transaction.serial, reason="录错")
        session.commit()
    with desk.session() as session:
        assert _count(session)[0] == 0
