"""参保登记 on a real store: register and enroll, each category's benefit start, the guardian,
续保 closing a suspended employee enrollment, refunds with their review, and the void rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from medins_desk.domain.benefits import EnrollmentCategory, HouseholdKind, RefundReason
from medins_desk.domain.business import BusinessKind
from medins_desk.domain.correction import CorrectionField, SupportingDocument
from medins_desk.domain.enrollment import EnrollmentStatus
from medins_desk.domain.identity import IdentityKind
from medins_desk.errors import BusinessRuleError, ConfirmationRequired, ValidationError
from medins_desk.services.correction import approve_correction, submit_correction
from medins_desk.services.enrollment import (
    EnrollmentRequest,
    enroll_person,
    plan_enrollment,
    register_and_enroll,
    suspend_enrollment,
)
from medins_desk.services.persons import Registration, get_person, search_persons
from medins_desk.services.refund import pending_refunds, request_refund, review_refund
from medins_desk.services.void import void_transaction
from medins_desk.services.vouchers import voucher_source
from medins_desk.store.models import (
    Enrollment,
    EnrollmentFiling,
    Person,
    RefundRequest,
    Transaction,
)
from tests.helpers.people import make_id, register
from tests.helpers.store import Desk

TODAY = date(2026, 11, 18)  # the desk's clock: inside the September-December collection period


def _resident(
    name: str = "刘洋", *, birth: date = date(1990, 3, 8), sequence: int = 7
) -> Registration:
    return Registration(
        id_number=make_id(birth, sequence=sequence),
        name=name,
        phone="13800138000",
        household_kind=HouseholdKind.LOCAL,
        household_address="北京市朝阳区建国路 1 号",
    )


def _counts(desk: Desk) -> tuple[int, int, int]:
    with desk.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Person)) or 0,
            session.scalar(select(func.count()).select_from(Enrollment)) or 0,
            session.scalar(select(func.count()).select_from(Transaction)) or 0,
        )


def test_a_resident_paying_in_the_collection_period_is_covered_from_new_year(
    any_desk: Desk,
) -> None:
    wanted = (EnrollmentCategory.RESIDENT_OTHER, TODAY, ("居民身份证或户口簿",))
    request = EnrollmentRequest(*wanted)
    with any_desk.session() as session:
        receipt = register_and_enroll(
            session, any_desk.actor("clerk"), registration=_resident(), request=request
        )
    facts = receipt.enrollment
    assert facts is not None
    assert facts.benefit_start == date(2027, 1, 1)
    assert "集中缴费期" in facts.benefit_rule
    # 户籍 here: the 居住证 line of the checklist is not asked of a local citizen.
    assert facts.missing_materials == ("参保缴费登记表",)
    assert receipt.transaction.kind is BusinessKind.PERSON_REGISTRATION
    assert receipt.household_label == "本地户籍"
    with any_desk.session() as session:
        person = get_person(session, any_desk.actor("clerk"), person_id=receipt.person_id)
        rebuilt = voucher_source(
            session, any_desk.actor("clerk"), serial=receipt.transaction.serial
        )
    assert [e.status for e in person.enrollments] == [EnrollmentStatus.ACTIVE]
    assert rebuilt == receipt


def test_a_resident_paying_outside_the_period_waits_180_days(desk: Desk) -> None:
    desk.clock.set(desk.clock().replace(year=2027, month=2, day=10))
    request = EnrollmentRequest(EnrollmentCategory.RESIDENT_OTHER, date(2027, 2, 10))
    with desk.session() as session:
        receipt = register_and_enroll(
            session, desk.actor("clerk"), registration=_resident(), request=request
        )
    assert receipt.enrollment is not None
    assert receipt.enrollment.benefit_start == date(2027, 2, 10) + timedelta(days=180)


def test_a_newborn_registered_on_the_birth_certificate_with_a_guardian(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        mother = register(session, clerk, name="王芳", male=False, birth=date(1993, 4, 2))
    newborn = Registration(
        id_number="",
        birth_certificate_number="p510123456",
        name="王𠮷",
        sex="女",
        birth_date=date(2026, 9, 1),
    )
    request = EnrollmentRequest(
        EnrollmentCategory.NEWBORN,
        TODAY,
        ("出生医学证明", "监护人居民身份证"),
        guardian_id=mother.person.id,
    )
    with any_desk.session() as session:
        receipt = register_and_enroll(session, clerk, registration=newborn, request=request)
    assert receipt.id_number == "P510123456"
    assert receipt.id_kind_label == IdentityKind.BIRTH_CERTIFICATE.label
    assert receipt.guardian_name == "王芳"
    assert receipt.enrollment is not None
    assert receipt.enrollment.benefit_start == date(2026, 9, 1)  # within 3 months: from birth
    assert receipt.enrollment.birth_certificate_number == "P510123456"
    with any_desk.session() as session:
        child = session.get_one(Person, receipt.person_id)
        assert child.guardian_id == mother.person.id


def test_a_newborn_past_three_months_waits_as_a_new_enrollee(desk: Desk) -> None:
    with desk.session() as session:
        mother = register(session, desk.actor("clerk"), name="王芳", male=False)
    born = date(2026, 8, 17)  # 3 months to the day is 2026-11-17, the day before today
    newborn = Registration(
        "", "李乐", sex="男", birth_date=born, birth_certificate_number="Q123456789"
    )
    request = EnrollmentRequest(EnrollmentCategory.NEWBORN, TODAY, guardian_id=mother.person.id)
    with desk.session() as session:
        receipt = register_and_enroll(
            session, desk.actor("clerk"), registration=newborn, request=request
        )
    assert receipt.enrollment is not None
    assert receipt.enrollment.benefit_start == TODAY + timedelta(days=180)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"birth_date": TODAY + timedelta(days=1)}, "birth_date"),
        ({"birth_certificate_number": "P51012345"}, "birth_certificate_number"),
    ],
)
def test_bad_newborn_input_is_refused_at_its_field_and_nothing_is_saved(
    desk: Desk, change: dict[str, object], field: str
) -> None:
    with desk.session() as session:
        mother = register(session, desk.actor("clerk"), name="王芳", male=False)
    values: dict[str, object] = {
        "id_number": "", "name": "李乐", "sex": "男", "birth_date": date(2026, 10, 1),
        "birth_certificate_number": "Q123456789",
    } | change  # fmt: skip
    request = EnrollmentRequest(EnrollmentCategory.NEWBORN, TODAY, guardian_id=mother.person.id)
    before = _counts(desk)
    with desk.session() as session, pytest.raises(ValidationError) as caught:
        register_and_enroll(
            session,
            desk.actor("clerk"),
            registration=Registration(**values),  # type: ignore[arg-type]
            request=request,
        )
    assert caught.value.field == field
    assert _counts(desk) == before


def test_a_guardian_must_be_on_record_and_an_adult(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        minor = register(session, clerk, name="赵小", birth=date(2010, 1, 1), enrolled=False)
    newborn = Registration("", "赵宝", sex="男", birth_date=date(2026, 10, 1),
                           birth_certificate_number="Q123456789")  # fmt: skip
    for guardian_id, words in ((minor.person.id, "未满 18 周岁"), (99999, "未在本库登记")):
        request = EnrollmentRequest(EnrollmentCategory.NEWBORN, TODAY, guardian_id=guardian_id)
        with desk.session() as session, pytest.raises(ValidationError) as caught:
            register_and_enroll(session, clerk, registration=newborn, request=request)
        assert caught.value.field == "guardian"
        assert words in caught.value.message
    with desk.session() as session, pytest.raises(ValidationError) as missing:
        register_and_enroll(
            session,
            clerk,
            registration=newborn,
            request=EnrollmentRequest(EnrollmentCategory.NEWBORN, TODAY),
        )
    assert missing.value.field == "guardian"


def test_only_a_newborn_may_be_registered_without_an_identity_number(desk: Desk) -> None:
    adult = Registration("", "钱七", sex="男", birth_date=date(1990, 1, 1),
                         birth_certificate_number="Q123456789")  # fmt: skip
    request = EnrollmentRequest(EnrollmentCategory.RESIDENT_OTHER, TODAY)
    with desk.session() as session, pytest.raises(ValidationError) as caught:
        register_and_enroll(session, desk.actor("clerk"), registration=adult, request=request)
    assert caught.value.field == "identity_number"


def test_a_possible_duplicate_needs_a_confirmation_and_a_reason(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        register(session, clerk, name="刘洋", birth=date(1990, 3, 8), sequence=3)
    with desk.session() as session, pytest.raises(ConfirmationRequired):
        register_and_enroll(session, clerk, registration=_resident(), request=None)
    with desk.session() as session, pytest.raises(ValidationError) as caught:
        register_and_enroll(
            session,
            clerk,
            registration=_resident(),
            request=None,
            acknowledged=frozenset({"possible_duplicate"}),
        )
    assert caught.value.field == "duplicate_reason"
    with desk.session() as session:
        receipt = register_and_enroll(
            session,
            clerk,
            registration=_resident(),
            request=None,
            acknowledged=frozenset({"possible_duplicate"}),
            duplicate_reason="同名同生日，户口簿核实为两人",
        )
    assert receipt.enrollment is None


def test_an_enrollment_overlapping_a_live_one_is_refused(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        person = register(session, clerk)  # an active employee enrollment
    request = EnrollmentRequest(EnrollmentCategory.RESIDENT_OTHER, TODAY)
    with any_desk.session() as session, pytest.raises(ValidationError) as caught:
        enroll_person(session, clerk, person_id=person.person.id, request=request)
    assert caught.value.field == "category"
    assert "参保缴费" in caught.value.message


def test_a_category_must_fit_the_age(desk: Desk) -> None:
    request = EnrollmentRequest(EnrollmentCategory.RESIDENT_ELDERLY, TODAY)
    with desk.session() as session, pytest.raises(ValidationError) as caught:
        register_and_enroll(session, desk.actor("clerk"), registration=_resident(), request=request)
    assert caught.value.field == "category"


def _left_employer(desk: Desk, days_ago: int) -> int:
    """An employee whose employer stopped paying: the enrollment suspended ``days_ago`` days
    before today (the last covered day)."""
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person = register(session, clerk).person.id
    last_covered = TODAY - timedelta(days=days_ago)
    with desk.session() as session:
        enrollment = session.scalars(select(Enrollment).where(Enrollment.person_id == person)).one()
        enrollment.status = EnrollmentStatus.SUSPENDED
        enrollment.end_date = last_covered
        session.commit()
    return person


@pytest.mark.parametrize(("days_ago", "continuous"), [(90, True), (91, False)])
def test_continuation_within_90_days_keeps_benefits_and_closes_the_employer_enrollment(
    any_desk: Desk, days_ago: int, continuous: bool
) -> None:
    clerk = any_desk.actor("clerk")
    person_id = _left_employer(any_desk, days_ago)
    request = EnrollmentRequest(EnrollmentCategory.EMPLOYEE_CONTINUATION, TODAY, gap_made_up=True)
    with any_desk.session() as session:
        plan = plan_enrollment(session, clerk, request=request, person_id=person_id)
    assert plan.benefit.continuous is continuous
    assert plan.closes is not None and "将终止" in plan.closes
    assert f"第 {days_ago} 日" in plan.benefit.rule
    with any_desk.session() as session:
        receipt = enroll_person(session, clerk, person_id=person_id, request=request)
    assert receipt.enrollment is not None
    last_covered = TODAY - timedelta(days=days_ago)
    expected = last_covered + timedelta(days=1) if continuous else date(2027, 5, 18)
    assert receipt.enrollment.benefit_start == expected
    assert receipt.transaction.kind is BusinessKind.ENROLLMENT
    with any_desk.session() as session:
        statuses = session.scalars(
            select(Enrollment.status)
            .where(Enrollment.person_id == person_id)
            .order_by(Enrollment.id)
        ).all()
    assert statuses == [EnrollmentStatus.TERMINATED, EnrollmentStatus.ACTIVE]


def test_voiding_a_continuation_suspends_the_employer_enrollment_again(desk: Desk) -> None:
    person_id = _left_employer(desk, 30)
    request = EnrollmentRequest(EnrollmentCategory.EMPLOYEE_CONTINUATION, TODAY, gap_made_up=True)
    with desk.session() as session:
        receipt = enroll_person(session, desk.actor("clerk"), person_id=person_id, request=request)
    with desk.session() as session:
        void_transaction(session, desk.actor("super"), serial=receipt.transaction.serial,
                         reason="类别选错")  # fmt: skip
    with desk.session() as session:
        rows = session.scalars(select(Enrollment).where(Enrollment.person_id == person_id)).all()
        assert [(e.status, e.end_reason) for e in rows] == [(EnrollmentStatus.SUSPENDED, None)]
        assert session.scalar(select(func.count()).select_from(EnrollmentFiling)) == 0


def test_voiding_a_registration_removes_the_person_and_the_enrollment(desk: Desk) -> None:
    before = _counts(desk)
    request = EnrollmentRequest(EnrollmentCategory.RESIDENT_OTHER, TODAY)
    with desk.session() as session:
        receipt = register_and_enroll(
            session, desk.actor("clerk"), registration=_resident(), request=request
        )
    with desk.session() as session:
        void_transaction(session, desk.actor("super"), serial=receipt.transaction.serial,
                         reason="重复登记")  # fmt: skip
    persons, enrollments, transactions = _counts(desk)
    assert (persons, enrollments, transactions) == (before[0], before[1], before[2] + 1)


def _paid_resident(desk: Desk) -> int:
    request = EnrollmentRequest(EnrollmentCategory.RESIDENT_OTHER, TODAY)
    with desk.session() as session:
        return register_and_enroll(
            session, desk.actor("clerk"), registration=_resident(), request=request
        ).person_id


def test_a_refund_before_the_benefit_year_is_reviewed_by_a_second_person(any_desk: Desk) -> None:
    person_id = _paid_resident(any_desk)
    clerk, supervisor = any_desk.actor("clerk"), any_desk.actor("super")
    with any_desk.session() as session:
        filed = request_refund(
            session, clerk, person_id=person_id, reason=RefundReason.EMPLOYED,
            materials=("职工医保参保证明",),
        )  # fmt: skip
    assert filed.state_label == "待复核"
    assert filed.missing_materials == ("参保人居民身份证", "本人银行账户")
    with any_desk.session() as session, pytest.raises(BusinessRuleError):
        request_refund(session, clerk, person_id=person_id, reason=RefundReason.EMPLOYED)
    with any_desk.session() as session:
        (pending,) = pending_refunds(session, supervisor)
        reviewed = review_refund(session, supervisor, request_id=pending.id, approve=True)
    assert reviewed.state_label == "已核准退费"
    assert reviewed.reviewer_name == supervisor.display_name
    with any_desk.session() as session:
        enrollment = session.scalars(
            select(Enrollment).where(Enrollment.person_id == person_id)
        ).one()
        assert enrollment.status is EnrollmentStatus.TERMINATED
        assert enrollment.end_reason == "退费：就业参加职工医保"
        assert voucher_source(session, clerk, serial=filed.transaction.serial) == filed
        assert voucher_source(session, clerk, serial=reviewed.transaction.serial) == reviewed


def test_the_submitter_cannot_review_their_own_refund(desk: Desk) -> None:
    person_id = _paid_resident(desk)
    supervisor = desk.actor("super")
    with desk.session() as session:
        filed = request_refund(session, supervisor, person_id=person_id,
                               reason=RefundReason.MOVED_AWAY)  # fmt: skip
    with desk.session() as session, pytest.raises(BusinessRuleError, match="申请人本人"):
        review_refund(session, supervisor, request_id=filed.request_id, approve=True)


def test_no_refund_once_the_benefit_year_has_begun(desk: Desk) -> None:
    person_id = _paid_resident(desk)
    desk.clock.set(desk.clock().replace(year=2027, month=1, day=1))
    with desk.session() as session, pytest.raises(BusinessRuleError, match="2027-01-01"):
        request_refund(session, desk.actor("clerk"), person_id=person_id,
                       reason=RefundReason.SETTLED_ABROAD)  # fmt: skip


def test_a_pending_refund_request_can_be_voided(desk: Desk) -> None:
    person_id = _paid_resident(desk)
    with desk.session() as session:
        filed = request_refund(session, desk.actor("clerk"), person_id=person_id,
                               reason=RefundReason.DECEASED)  # fmt: skip
    with desk.session() as session:
        void_transaction(session, desk.actor("super"), serial=filed.transaction.serial,
                         reason="家属改为下月办理")  # fmt: skip
    with desk.session() as session:
        assert session.scalar(select(func.count()).select_from(RefundRequest)) == 0


def test_suspend_prints_from_the_store(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person = register(session, clerk).person.id
    with desk.session() as session:
        receipt = suspend_enrollment(session, clerk, person_id=person, effective=TODAY,
                                     reason="单位停保")  # fmt: skip
    with desk.session() as session:
        assert voucher_source(session, clerk, serial=receipt.transaction.serial) == receipt


def test_a_newborn_gets_the_identity_number_later_through_a_reviewed_correction(
    desk: Desk,
) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        mother = register(session, clerk, name="王芳", male=False)
    born = date(2026, 10, 1)
    newborn = Registration("", "李乐", sex="男", birth_date=born,
                           birth_certificate_number="Q123456789")  # fmt: skip
    request = EnrollmentRequest(EnrollmentCategory.NEWBORN, TODAY, guardian_id=mother.person.id)
    with desk.session() as session:
        child = register_and_enroll(session, clerk, registration=newborn, request=request).person_id
    with desk.session() as session:  # a contact change needs no identity number
        phone = {CorrectionField.PHONE: "13900139000"}
        submit_correction(session, clerk, person_id=child, changes=phone, reason="父母手机")
    number = make_id(born, sequence=12)
    with desk.session() as session:
        submitted = submit_correction(
            session, clerk, person_id=child, changes={CorrectionField.IDENTITY_NUMBER: number},
            reason="已落户，补录公民身份号码",
            documents=[SupportingDocument.HOUSEHOLD_REGISTER, SupportingDocument.BIRTH_CERTIFICATE],
        )  # fmt: skip
    with desk.session() as session:
        approve_correction(session, desk.actor("super"), request_id=submitted.requests[0].id)
    with desk.session() as session:
        person = session.get_one(Person, child)
        assert (person.id_number, person.id_kind) == (number, IdentityKind.RESIDENT)


def test_a_newborn_is_found_by_the_birth_certificate_number(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        mother = register(session, clerk, name="王芳", male=False)
    newborn = Registration("", "李乐", sex="男", birth_date=date(2026, 10, 1),
                           birth_certificate_number="Q123456789")  # fmt: skip
    request = EnrollmentRequest(EnrollmentCategory.NEWBORN, TODAY, guardian_id=mother.person.id)
    with desk.session() as session:
        register_and_enroll(session, clerk, registration=newborn, request=request)
    with desk.session() as session:
        hits = search_persons(session, clerk, text="q123456789")
    assert [hit.name for hit in hits] == ["李乐"]
