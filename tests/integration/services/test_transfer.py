"""参保状态变更 and 基本医疗保险关系转移接续 on a real store.

Deadlines are checked against the 2026 schedule in chinese-calendar, counted by hand:
Mid-Autumn Festival 25-27 September, National Day 1-7 October, and the adjusted working days
Sunday 20 September and Saturday 10 October. From Monday 28 September, the working days are
29, 30 September, 8, 9, 10 (Saturday), 12, 13, 14, 15, 16 (10th), 19, 20, 21, 22, 23 (15th)
October.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import medins_desk.services.transfer.transfer_out as transfer_out_module
from medins_desk.domain.business import BusinessKind
from medins_desk.domain.enrollment import EnrollmentStatus, InsuranceType
from medins_desk.domain.policy import Policy
from medins_desk.domain.transfer import TransferDirection, TransferLetterKind, TransferStage
from medins_desk.errors import BusinessRuleError, NotFound, PermissionDenied, ValidationError
from medins_desk.services.context import Actor
from medins_desk.services.enrollment import resume_enrollment, suspend_enrollment
from medins_desk.services.persons import EnrollmentInput, get_person, register_person
from medins_desk.services.transfer.cases import (
    get_transfer_case,
    list_transfer_cases,
    overdue_transfers,
)
from medins_desk.services.transfer.transfer_in import (
    complete_transfer_in,
    record_info_form,
    start_transfer_in,
)
from medins_desk.services.transfer.transfer_out import (
    issue_info_form,
    record_contact_letter,
    start_transfer_out,
)
from medins_desk.store.models import (
    AuditEntry,
    Enrollment,
    SerialCounter,
    Transaction,
    TransferCase,
    TransferLetter,
)
from tests.helpers.people import make_id
from tests.helpers.store import Desk

OPENED = datetime(2026, 9, 28, 9, 0)  # the Monday before National Day 2026
SHANGHAI = ("上海市医疗保障局", "310104")
CHENGDU = ("四川省成都市医疗保障局", "510107")


def with_policy(actor: Actor, **values: Any) -> Actor:
    counter = dataclasses.replace(actor.counter, policy=Policy(**values))
    return dataclasses.replace(actor, counter=counter)


def enrol(
    session: Session,
    actor: Actor,
    *,
    insurance: InsuranceType = InsuranceType.EMPLOYEE,
    start: date = date(2005, 7, 1),
    sequence: int = 1,
    balance_fen: int = 1_234_56,
) -> int:
    """A registered person with one enrollment; returns the person's id."""
    registered = register_person(
        session,
        actor,
        id_number=make_id(date(1980, 5, 17), sequence=sequence),
        name="张三",
        enrollment=EnrollmentInput(
            insurance,
            start,
            "110105",
            actual_months=180,
            deemed_months=24,
            account_balance_fen=balance_fen,
        ),
        acknowledged=frozenset({"possible_duplicate"}),
        duplicate_reason="测试中多次登记的同名参保人",
    )
    return registered.person.id


def counts(session: Session) -> dict[str, int]:
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (TransferCase, TransferLetter, Transaction, AuditEntry)
    } | {"serial": session.scalar(select(func.coalesce(func.sum(SerialCounter.last_seq), 0))) or 0}


def suspended_person(session: Session, actor: Actor, *, sequence: int = 1) -> int:
    person_id = enrol(session, actor, sequence=sequence)
    suspend_enrollment(
        session, actor, person_id=person_id, effective=actor.today(), reason="到外地就业"
    )
    return person_id


def open_transfer_in(session: Session, actor: Actor, person_id: int, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "origin_agency": CHENGDU[0],
        "origin_region": CHENGDU[1],
        "certificate_date": date(2026, 9, 1),
        "origin_periods": [(date(2015, 1, 1), date(2026, 8, 31))],
        "origin_actual_months": 140,
        "origin_deemed_months": 0,
        "origin_balance_fen": 500_000,
    } | overrides
    return start_transfer_in(session, actor, person_id=person_id, **values)


# ---------------------------------------------------------------------------------------------
# 参保状态变更


def test_employee_enrollment_is_suspended_on_any_day_and_resumed(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = enrol(session, clerk)
        receipt = suspend_enrollment(
            session, clerk, person_id=person_id, effective=date(2026, 11, 18), reason="离职"
        )
        assert receipt.status_before is EnrollmentStatus.ACTIVE
        assert receipt.status_after_label == "暂停"
        assert receipt.last_covered_day == date(2026, 11, 17)
        assert receipt.transaction.kind is BusinessKind.ENROLLMENT_CHANGE
        assert receipt.id_number == make_id(date(1980, 5, 17))
        with pytest.raises(BusinessRuleError, match="暂停"):
            suspend_enrollment(
                session, clerk, person_id=person_id, effective=date(2026, 11, 19), reason="重复"
            )
        with pytest.raises(ValidationError) as early:
            resume_enrollment(
                session, clerk, person_id=person_id, effective=date(2026, 11, 17), reason="复工"
            )
        assert early.value.field == "effective"
        resumed = resume_enrollment(
            session, clerk, person_id=person_id, effective=date(2026, 12, 1), reason="复工"
        )
        enrollment = session.scalars(select(Enrollment)).one()
    assert resumed.status_after is EnrollmentStatus.ACTIVE
    assert (enrollment.status, enrollment.end_date) == (EnrollmentStatus.ACTIVE, None)


def test_resident_suspension_inside_a_started_benefit_year_is_refused(desk: Desk) -> None:
    clerk = desk.actor("clerk")  # today is 2026-11-18
    with desk.session() as session:
        person_id = enrol(session, clerk, insurance=InsuranceType.RESIDENT, start=date(2020, 1, 1))
        before = counts(session)
        for effective in (date(2026, 12, 1), date(2026, 1, 1), date(2027, 3, 1)):
            with pytest.raises(BusinessRuleError) as refused:
                suspend_enrollment(
                    session, clerk, person_id=person_id, effective=effective, reason="外出务工"
                )
            assert "最早可自 2027-01-01 起暂停" in refused.value.message
        assert counts(session) == before
        receipt = suspend_enrollment(
            session, clerk, person_id=person_id, effective=date(2027, 1, 1), reason="外出务工"
        )
    assert receipt.last_covered_day == date(2026, 12, 31)


def test_resident_rule_follows_the_regional_benefit_year(desk: Desk) -> None:
    clerk = with_policy(desk.actor("clerk"), benefit_year_start_month=7)
    with desk.session() as session:
        person_id = enrol(session, clerk, insurance=InsuranceType.RESIDENT, start=date(2020, 7, 1))
        with pytest.raises(BusinessRuleError, match="2027-07-01"):
            suspend_enrollment(
                session, clerk, person_id=person_id, effective=date(2027, 1, 1), reason="外出"
            )
        suspend_enrollment(
            session, clerk, person_id=person_id, effective=date(2027, 7, 1), reason="外出"
        )


def test_resident_resumption_waits_for_the_next_benefit_year(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = enrol(session, clerk, insurance=InsuranceType.RESIDENT, start=date(2020, 1, 1))
        suspend_enrollment(
            session, clerk, person_id=person_id, effective=date(2027, 1, 1), reason="外出"
        )
        desk.clock.set(datetime(2027, 3, 2, 10, 0))
        with pytest.raises(BusinessRuleError, match="最早可自 2028-01-01 起恢复"):
            resume_enrollment(
                session, clerk, person_id=person_id, effective=date(2027, 4, 1), reason="返乡"
            )
        resume_enrollment(
            session, clerk, person_id=person_id, effective=date(2028, 1, 1), reason="返乡"
        )


@pytest.mark.parametrize("reason", ["", "   ", "原" * 101])
def test_enrollment_change_needs_a_reason(desk: Desk, reason: str) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = enrol(session, clerk)
        with pytest.raises(ValidationError) as caught:
            suspend_enrollment(
                session, clerk, person_id=person_id, effective=date(2026, 11, 18), reason=reason
            )
    assert caught.value.field == "reason"


def test_person_without_enrollment_cannot_be_suspended(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person = register_person(
            session, clerk, id_number=make_id(date(1990, 1, 2)), name="李四"
        ).person
        with pytest.raises(BusinessRuleError, match="没有有效的参保记录"):
            suspend_enrollment(
                session, clerk, person_id=person.id, effective=date(2026, 11, 18), reason="离职"
            )
        with pytest.raises(NotFound):
            suspend_enrollment(
                session, clerk, person_id=999, effective=date(2026, 11, 18), reason="离职"
            )


# ---------------------------------------------------------------------------------------------
# 转出


def test_transfer_out_is_refused_unless_the_enrollment_is_suspended(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = enrol(session, clerk)
        before = counts(session)
        with pytest.raises(BusinessRuleError, match="须先暂停"):
            start_transfer_out(
                session, clerk, person_id=person_id,
                destination_agency=SHANGHAI[0], destination_region=SHANGHAI[1],
            )  # fmt: skip
        assert counts(session) == before


def test_full_transfer_out_across_national_day(any_desk: Desk) -> None:
    desk = any_desk
    desk.clock.set(OPENED)
    clerk = desk.actor("clerk")
    agency = clerk.counter.agency
    with desk.session() as session:
        person_id = suspended_person(session, clerk)
        certificate = start_transfer_out(
            session, clerk, person_id=person_id,
            destination_agency=" 上海市医疗保障局 ", destination_region=SHANGHAI[1],
        )  # fmt: skip
        assert certificate.case_number == certificate.transaction.serial
        assert certificate.transaction.kind is BusinessKind.TRANSFER_OUT
        assert (certificate.name, certificate.id_number) == ("张三", make_id(date(1980, 5, 17)))
        assert certificate.sex_label == "男"
        assert certificate.insurance_type_name == "职工基本医疗保险"
        assert certificate.enrollment_periods == ((date(2005, 7, 1), date(2026, 9, 27)),)
        assert (certificate.actual_months, certificate.deemed_months) == (180, 24)
        assert certificate.balance_fen == 1_234_56
        assert certificate.destination_agency == "上海市医疗保障局"
        assert (certificate.agency_name, certificate.agency_address) == (
            agency.name, agency.address,
        )  # fmt: skip
        assert (certificate.agency_phone, certificate.agency_region) == (
            agency.phone, agency.region_code,
        )  # fmt: skip
        assert certificate.issue_date == date(2026, 9, 28)
        with pytest.raises(BusinessRuleError, match="未办结"):
            start_transfer_out(
                session, clerk, person_id=person_id,
                destination_agency=SHANGHAI[0], destination_region=SHANGHAI[1],
            )  # fmt: skip
        with pytest.raises(BusinessRuleError, match="转出案件"):
            resume_enrollment(
                session, clerk, person_id=person_id, effective=date(2026, 10, 8), reason="不走了"
            )

        letter = record_contact_letter(
            session, clerk, case_id=certificate.case_id, letter_date=date(2026, 9, 28),
            from_agency="上海市徐汇区医疗保障事务中心", letter_number="沪医保转〔2026〕88号",
        )  # fmt: skip
        assert letter.stage is TransferStage.OUT_LETTER_RECEIVED
        assert letter.stage_label == "联系函已收到"
        assert letter.due_on == date(2026, 10, 16)  # 10 working days, see the module docstring
        assert letter.transaction.kind is BusinessKind.TRANSFER_OUT
        assert "登记联系函" in letter.transaction.summary

        desk.clock.set(datetime(2026, 10, 12, 14, 0))
        form = issue_info_form(session, clerk, case_id=certificate.case_id)
        assert form.transferred_balance_fen == 1_234_56
        assert form.to_agency == "上海市徐汇区医疗保障事务中心"
        assert form.contact_letter_number == "沪医保转〔2026〕88号"
        assert form.to_region == SHANGHAI[1]
        assert form.issue_date == date(2026, 10, 12)

        enrollment = session.scalars(select(Enrollment)).one()
        assert enrollment.status is EnrollmentStatus.TERMINATED
        assert enrollment.account_balance_fen == 0
        assert enrollment.end_date == date(2026, 9, 27)
        view = get_transfer_case(session, clerk, case_id=certificate.case_id)
        kinds = session.scalars(select(Transaction.kind).order_by(Transaction.id)).all()
    assert view.stage is TransferStage.COMPLETED and view.completed_on == date(2026, 10, 12)
    assert (view.balance_fen, view.actual_months, view.deemed_months) == (1_234_56, 180, 24)
    assert not view.overdue and view.due_on is None
    assert [(x.kind, x.issued_here) for x in view.letters] == [
        (TransferLetterKind.CERTIFICATE, True),
        (TransferLetterKind.CONTACT_LETTER, False),
        (TransferLetterKind.INFO_FORM, True),
    ]
    issued = view.letters[0].content
    assert issued["id_number"] == certificate.id_number
    assert issued["enrollment_periods"] == [["2005-07-01", "2026-09-27"]]
    assert issued["serial"] == certificate.case_number and "transaction" not in issued
    assert view.letters[0].title == "基本医疗保险参保凭证"
    assert view.letters[2].content["transferred_balance_fen"] == 1_234_56
    assert kinds == [
        BusinessKind.PERSON_REGISTRATION,
        BusinessKind.ENROLLMENT_CHANGE,
        BusinessKind.TRANSFER_OUT,
        BusinessKind.TRANSFER_OUT,
        BusinessKind.TRANSFER_OUT,
    ]


# ---------------------------------------------------------------------------------------------
# 转入


def test_full_transfer_in_with_deadlines(any_desk: Desk) -> None:
    desk = any_desk
    desk.clock.set(OPENED)
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = enrol(session, clerk, start=date(2026, 9, 1), balance_fen=0)
        letter = open_transfer_in(session, clerk, person_id)
        assert letter.case_number == letter.transaction.serial
        assert letter.transaction.kind is BusinessKind.TRANSFER_IN
        assert (letter.to_agency, letter.to_region) == CHENGDU
        assert letter.deadline == date(2026, 10, 16)
        assert letter.gap_bridgeable is True
        assert letter.agency_name == clerk.counter.agency.name
        assert letter.insurance_type_name == "职工基本医疗保险"
        assert letter.id_number == make_id(date(1980, 5, 17))
        assert letter.rule_set_label == "医保办发〔2021〕43号"

        desk.clock.set(datetime(2026, 10, 15, 9, 0))
        received = record_info_form(
            session, clerk, case_id=letter.case_id, received_on=date(2026, 10, 14),
            actual_months=140, deemed_months=12, balance_fen=498_765,
        )  # fmt: skip
        assert received.stage is TransferStage.IN_INFO_RECEIVED
        assert received.stage_started_on == date(2026, 10, 14)
        assert received.due_on == date(2026, 10, 21)  # 15, 16, 19, 20, 21 October
        done = complete_transfer_in(session, clerk, case_id=letter.case_id)
        assert done.stage is TransferStage.COMPLETED and done.due_on is None
        page = get_person(session, clerk, person_id=person_id)
        view = get_transfer_case(session, clerk, case_id=letter.case_id)
    enrollment = page.enrollments[0]
    assert (enrollment.actual_months, enrollment.deemed_months) == (180 + 140, 24 + 12)
    assert enrollment.account_balance_fen == 498_765
    assert [(x.kind, x.issued_here) for x in view.letters] == [
        (TransferLetterKind.CERTIFICATE, False),
        (TransferLetterKind.CONTACT_LETTER, True),
        (TransferLetterKind.INFO_FORM, False),
    ]
    assert view.letters[0].content["periods"] == [["2015-01-01", "2026-08-31"]]
    assert view.letters[1].content["deadline"] == "2026-10-16"
    assert view.completed_on == date(2026, 10, 15)


def test_a_long_gap_is_reported_not_bridgeable(desk: Desk) -> None:
    desk.clock.set(OPENED)
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = enrol(session, clerk, start=date(2026, 9, 1))
        letter = open_transfer_in(
            session, clerk, person_id, origin_periods=[(date(2015, 1, 1), date(2026, 3, 31))]
        )
    assert letter.gap_bridgeable is False


def test_transfer_in_needs_an_active_local_enrollment(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = suspended_person(session, clerk)
        with pytest.raises(BusinessRuleError, match="须先在本地参保缴费"):
            open_transfer_in(session, clerk, person_id)


def test_rule_set_2016_deadlines_and_a_case_keeps_its_rules(desk: Desk) -> None:
    desk.clock.set(OPENED)
    clerk = with_policy(desk.actor("clerk"), transfer_rules="2016")
    with desk.session() as session:
        arriving = enrol(session, clerk, start=date(2026, 9, 1), sequence=1)
        letter = open_transfer_in(session, clerk, arriving)
        # 2016: accepted and the 联系函 sent at once; the origin answers within 15 working days.
        assert letter.deadline == date(2026, 10, 23)
        assert letter.rule_set_label.startswith("人社部发〔2009〕191号")
        leaving = suspended_person(session, clerk, sequence=2)
        certificate = start_transfer_out(
            session, clerk, person_id=leaving,
            destination_agency=SHANGHAI[0], destination_region=SHANGHAI[1],
        )  # fmt: skip
        step = record_contact_letter(
            session, clerk, case_id=certificate.case_id, letter_date=date(2026, 9, 28),
            from_agency=SHANGHAI[0],
        )  # fmt: skip
        assert step.due_on == date(2026, 10, 23)
        # The region moves to the 2021 rules; the open case keeps the 2016 ones.
        desk.clock.set(datetime(2026, 10, 14, 9, 0))
        received = record_info_form(
            session, desk.actor("clerk"), case_id=letter.case_id, received_on=date(2026, 10, 14),
            actual_months=1, deemed_months=0, balance_fen=0,
        )  # fmt: skip
    assert received.due_on == date(2026, 11, 4)  # 15 working days, weekends only


def test_overdue_cases_are_listed_for_the_supervisor(desk: Desk) -> None:
    desk.clock.set(OPENED)
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        waiting = open_transfer_in(session, clerk, enrol(session, clerk, start=date(2026, 9, 1)))
        certificate = start_transfer_out(
            session, clerk, person_id=suspended_person(session, clerk, sequence=2),
            destination_agency=SHANGHAI[0], destination_region=SHANGHAI[1],
        )  # fmt: skip
        desk.clock.set(datetime(2026, 10, 16, 17, 0))
        assert overdue_transfers(session, supervisor) == []
        desk.clock.set(datetime(2026, 10, 17, 9, 0))
        overdue = overdue_transfers(session, supervisor)
        assert [c.case_number for c in overdue] == [waiting.case_number]
        assert overdue[0].overdue and overdue[0].due_on == date(2026, 10, 16)
        assert overdue[0].masked_id_number == "110105********" + waiting.id_number[-4:]
        assert overdue[0].stage_label == "联系函已发出"
        listed = {c.case_number: c for c in list_transfer_cases(session, clerk)}
        assert listed[waiting.case_number].overdue
        # A certificate the person has not yet taken anywhere has no deadline.
        assert not listed[certificate.case_number].overdue
        assert listed[certificate.case_number].due_on is None
        assert listed[waiting.case_number].letters == ()

        record_info_form(
            session, clerk, case_id=waiting.case_id, received_on=date(2026, 10, 16),
            actual_months=1, deemed_months=0, balance_fen=0,
        )  # fmt: skip
        complete_transfer_in(session, clerk, case_id=waiting.case_id)
        assert overdue_transfers(session, supervisor) == []
        still_open = list_transfer_cases(session, clerk)
        assert waiting.case_number not in {c.case_number for c in still_open}
        everything = list_transfer_cases(session, clerk, open_only=False)
    assert {c.case_number for c in everything} == {waiting.case_number, certificate.case_number}
    assert {c.direction for c in everything} == {TransferDirection.IN, TransferDirection.OUT}


def test_steps_in_the_wrong_stage_are_refused(desk: Desk) -> None:
    desk.clock.set(OPENED)
    clerk = desk.actor("clerk")
    with desk.session() as session:
        out = start_transfer_out(
            session, clerk, person_id=suspended_person(session, clerk),
            destination_agency=SHANGHAI[0], destination_region=SHANGHAI[1],
        )  # fmt: skip
        arriving = open_transfer_in(session, clerk, enrol(session, clerk, sequence=2))
        before = counts(session)
        attempts: list[tuple[Callable[..., object], dict[str, Any], str]] = [
            (issue_info_form, {"case_id": out.case_id}, "参保凭证已开具"),
            (complete_transfer_in, {"case_id": out.case_id}, "参保凭证已开具"),
            (complete_transfer_in, {"case_id": arriving.case_id}, "联系函已发出"),
            (issue_info_form, {"case_id": arriving.case_id}, "联系函已发出"),
            (
                record_contact_letter,
                {"case_id": arriving.case_id, "letter_date": OPENED.date(), "from_agency": "某局"},
                "联系函已发出",
            ),
        ]
        for step, kwargs, stage_label in attempts:
            with pytest.raises(BusinessRuleError) as refused:
                step(session, clerk, **kwargs)
            assert f"当前环节为「{stage_label}」" in refused.value.message
        with pytest.raises(NotFound):
            issue_info_form(session, clerk, case_id=12345)
        assert counts(session) == before
        record_contact_letter(
            session, clerk, case_id=out.case_id, letter_date=OPENED.date(), from_agency="某局"
        )
        issue_info_form(session, clerk, case_id=out.case_id)
        with pytest.raises(BusinessRuleError, match="「办结」"):
            issue_info_form(session, clerk, case_id=out.case_id)


def test_only_counter_staff_handle_transfers(desk: Desk) -> None:
    with desk.session() as session:
        person_id = suspended_person(session, desk.actor("clerk"))
        with pytest.raises(PermissionDenied):
            start_transfer_out(
                session, desk.actor("admin"), person_id=person_id,
                destination_agency=SHANGHAI[0], destination_region=SHANGHAI[1],
            )  # fmt: skip
        assert list_transfer_cases(session, desk.actor("admin")) == []


# ---------------------------------------------------------------------------------------------
# Bad input and rollback


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("destination_agency", ""),
        ("destination_agency", "   "),
        ("destination_agency", "上海" * 31),
        ("destination_agency", "上海市医保局😀"),
        ("destination_agency", "上海市\x07医保局"),
        ("destination_region", "31010"),
        ("destination_region", "31O104"),
        ("destination_region", "'; DROP TABLE persons; --"),
        ("destination_region", "110105"),  # this agency's own region
    ],
)
def test_bad_transfer_out_input_is_refused_and_leaves_no_rows(
    desk: Desk, field: str, value: str
) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = suspended_person(session, clerk)
        before = counts(session)
        kwargs = {"destination_agency": SHANGHAI[0], "destination_region": SHANGHAI[1]}
        kwargs[field] = value
        with pytest.raises(ValidationError) as caught:
            start_transfer_out(session, clerk, person_id=person_id, **kwargs)
        assert caught.value.field == field
        assert counts(session) == before


def test_sql_looking_agency_name_is_kept_as_text(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = suspended_person(session, clerk)
        certificate = start_transfer_out(
            session, clerk, person_id=person_id,
            destination_agency="'; DROP TABLE persons; --", destination_region=SHANGHAI[1],
        )  # fmt: skip
        view = get_transfer_case(session, clerk, case_id=certificate.case_id)
    assert view.other_agency_name == "'; DROP TABLE persons; --"
    assert view.person_name == "张三"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("origin_agency", ""),
        ("origin_region", "5101"),
        ("certificate_date", date(2026, 11, 19)),  # tomorrow
        ("origin_periods", []),
        ("origin_periods", [(date(2020, 1, 1), date(2019, 1, 1))]),
        ("origin_periods", [(date(2015, 1, 1), date(2026, 9, 30))]),  # after the certificate
        (
            "origin_periods",
            [(date(2015, 1, 1), date(2018, 12, 31)), (date(2018, 6, 1), date(2020, 1, 31))],
        ),
        ("origin_actual_months", -1),
        ("origin_deemed_months", True),
        ("origin_balance_fen", -100),
    ],
)
def test_bad_transfer_in_input_is_refused_and_leaves_no_rows(
    desk: Desk, field: str, value: Any
) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = enrol(session, clerk, start=date(2026, 9, 1))
        before = counts(session)
        with pytest.raises(ValidationError) as caught:
            open_transfer_in(session, clerk, person_id, **{field: value})
        assert caught.value.field == field
        assert counts(session) == before


def test_bad_step_input_is_refused(desk: Desk) -> None:
    desk.clock.set(OPENED)
    clerk = desk.actor("clerk")
    with desk.session() as session:
        out = start_transfer_out(
            session, clerk, person_id=suspended_person(session, clerk),
            destination_agency=SHANGHAI[0], destination_region=SHANGHAI[1],
        )  # fmt: skip
        arriving = open_transfer_in(session, clerk, enrol(session, clerk, sequence=2))
        before = counts(session)
        bad_letters: list[dict[str, Any]] = [
            {"letter_date": date(2026, 9, 29)},  # in the future
            {"letter_date": date(2026, 9, 25)},  # before the certificate was issued
            {"from_agency": ""},
            {"letter_number": "号" * 41},
        ]
        for bad in bad_letters:
            letter: dict[str, Any] = {"letter_date": OPENED.date(), "from_agency": SHANGHAI[0]}
            with pytest.raises(ValidationError) as caught:
                record_contact_letter(session, clerk, case_id=out.case_id, **(letter | bad))
            assert caught.value.field == next(iter(bad))
        bad_forms: list[dict[str, Any]] = [
            {"received_on": date(2026, 9, 29)},
            {"received_on": date(2026, 9, 27)},
            {"actual_months": -3},
            {"balance_fen": -1},
        ]
        for bad in bad_forms:
            form: dict[str, Any] = {
                "received_on": OPENED.date(), "actual_months": 1, "deemed_months": 0,
                "balance_fen": 0,
            }  # fmt: skip
            with pytest.raises(ValidationError) as caught:
                record_info_form(session, clerk, case_id=arriving.case_id, **(form | bad))
            assert caught.value.field == next(iter(bad))
        assert counts(session) == before


def test_failure_in_the_middle_of_a_step_leaves_nothing(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The letter is written after the transaction and the case: its failure undoes both, and
    the serial number is not used up."""
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = suspended_person(session, clerk)
        before = counts(session)

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("disk gone")

        with monkeypatch.context() as patch:
            # Patched where the act looks it up, in the transfer-out module.
            patch.setattr(transfer_out_module, "add_letter", broken)
            with pytest.raises(RuntimeError):
                start_transfer_out(
                    session, clerk, person_id=person_id,
                    destination_agency=SHANGHAI[0], destination_region=SHANGHAI[1],
                )  # fmt: skip
        assert counts(session) == before
        certificate = start_transfer_out(
            session, clerk, person_id=person_id,
            destination_agency=SHANGHAI[0], destination_region=SHANGHAI[1],
        )  # fmt: skip
    assert certificate.case_number.endswith("00003")  # registration, suspension, this
