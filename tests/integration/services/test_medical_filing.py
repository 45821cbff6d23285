"""异地就医备案 on a real store (SQLite and PostgreSQL): file, change and cancel with their
receipts, bad input refused at its field with nothing saved, overlaps refused naming the filing
they meet, and the void of each act."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from medins_desk.domain.benefits import EnrollmentCategory
from medins_desk.domain.business import BusinessKind
from medins_desk.domain.medical_filing import FilingKind, FilingState
from medins_desk.errors import BusinessRuleError, ValidationError
from medins_desk.services.enrollment import EnrollmentRequest, enroll_person, suspend_enrollment
from medins_desk.services.medical_filing import (
    FilingReceipt,
    cancel_filing,
    change_filing,
    file_for_care_elsewhere,
    person_filings,
)
from medins_desk.services.persons import get_person
from medins_desk.services.void import void_transaction
from medins_desk.services.vouchers import voucher_source
from medins_desk.store.models import MedicalFiling, Transaction
from tests.helpers.people import register
from tests.helpers.store import Desk

TODAY = date(2026, 11, 18)
LUZHOU = "510500"
CHENGDU = "510100"


def _person(desk: Desk, sequence: int = 1) -> int:
    with desk.session() as session:
        return register(session, desk.actor("clerk"), sequence=sequence).person.id


def _file(
    desk: Desk,
    person_id: int,
    *,
    kind: FilingKind = FilingKind.LONG_TERM_RESIDENCE,
    destination: str = LUZHOU,
    starts_on: date = TODAY,
    materials: tuple[str, ...] = ("居民身份证或社会保障卡",),
) -> FilingReceipt:
    with desk.session() as session:
        return file_for_care_elsewhere(
            session, desk.actor("clerk"), person_id=person_id, kind=kind,
            destination_code=destination, starts_on=starts_on, materials=materials,
        )  # fmt: skip


def _counts(desk: Desk) -> tuple[int, int]:
    with desk.session() as session:
        return (
            session.scalar(select(func.count()).select_from(MedicalFiling)) or 0,
            session.scalar(select(func.count()).select_from(Transaction)) or 0,
        )


def test_a_long_term_filing_settles_there_until_changed(any_desk: Desk) -> None:
    person_id = _person(any_desk)
    receipt = _file(any_desk, person_id)
    assert receipt.transaction.kind is BusinessKind.MEDICAL_FILING
    assert (receipt.province_code, receipt.province_name) == ("510000", "四川省")
    assert (receipt.city_code, receipt.city_name) == (LUZHOU, "泸州市")
    assert receipt.destination == "四川省泸州市（510500）"
    assert (receipt.starts_on, receipt.valid_until) == (TODAY, None)
    assert receipt.materials == ("居民身份证或社会保障卡",)
    assert receipt.missing_materials[0] == "异地就医备案登记表"
    with any_desk.session() as session:
        clerk = any_desk.actor("clerk")
        rebuilt = voucher_source(session, clerk, serial=receipt.transaction.serial)
        person = get_person(session, clerk, person_id=person_id)
    assert rebuilt == receipt
    assert person.care_elsewhere is not None and person.care_elsewhere.live
    assert person.care_elsewhere.destination == "四川省泸州市（510500）"


def test_a_temporary_filing_lasts_the_policy_months(any_desk: Desk) -> None:
    receipt = _file(any_desk, _person(any_desk), kind=FilingKind.REFERRAL, destination="510502")
    # A district's code files for its city.
    assert receipt.city_code == LUZHOU
    assert receipt.valid_until == date(2027, 5, 17)


def test_an_unknown_region_code_is_refused_at_its_field_with_nothing_saved(
    any_desk: Desk,
) -> None:
    person_id = _person(any_desk)
    before = _counts(any_desk)
    for code in ("519999", "710000", "12345"):
        with pytest.raises(ValidationError) as refused:
            _file(any_desk, person_id, destination=code)
        assert refused.value.field == "destination_code"
        assert code in refused.value.message or "不是一个地级行政区划" in refused.value.message
    assert _counts(any_desk) == before


def test_the_insuring_region_itself_needs_no_filing(desk: Desk) -> None:
    person_id = _person(desk)  # insured in 110105, a district of 北京市
    with pytest.raises(ValidationError) as refused:
        _file(desk, person_id, destination="110108")
    assert refused.value.field == "destination_code"
    assert "即参保地统筹区" in refused.value.message


def test_an_overlapping_filing_is_refused_naming_the_live_one(any_desk: Desk) -> None:
    person_id = _person(any_desk)
    first = _file(any_desk, person_id, kind=FilingKind.TEMPORARY_VISIT)
    assert first.valid_until == date(2027, 5, 17)
    before = _counts(any_desk)
    with pytest.raises(ValidationError) as refused:
        _file(any_desk, person_id, destination=CHENGDU, starts_on=first.valid_until)
    assert refused.value.field == "starts_on"
    message = refused.value.message
    for named in ("临时外出就医", "四川省泸州市（510500）", "2026-11-18", first.transaction.serial):
        assert named in message
    assert "001 号窗口" in message
    assert _counts(any_desk) == before
    # The day after it expires is free.
    after = _file(any_desk, person_id, destination=CHENGDU, starts_on=date(2027, 5, 18))
    assert after.city_code == CHENGDU


def test_a_person_not_paying_in_cannot_file(desk: Desk) -> None:
    person_id = _person(desk)
    with desk.session() as session:
        suspend_enrollment(
            session, desk.actor("clerk"), person_id=person_id, effective=TODAY, reason="出国定居"
        )
    with pytest.raises(BusinessRuleError, match="参保状态为「暂停」"):
        _file(desk, person_id)


def test_the_start_may_not_precede_the_enrollment(desk: Desk) -> None:
    person_id = _person(desk)  # enrolled from 2005-07-01
    with pytest.raises(ValidationError) as refused:
        _file(desk, person_id, starts_on=date(2005, 6, 30))
    assert refused.value.field == "starts_on"
    assert _file(desk, person_id, starts_on=date(2005, 7, 1)).starts_on == date(2005, 7, 1)


def test_materials_of_another_kind_are_refused(desk: Desk) -> None:
    with pytest.raises(ValidationError) as refused:
        _file(desk, _person(desk), kind=FilingKind.TEMPORARY_VISIT,
              materials=("参保地定点医疗机构出具的转诊转院证明",))  # fmt: skip
    assert refused.value.field == "materials"


def test_a_change_ends_the_old_filing_and_keeps_it(any_desk: Desk) -> None:
    person_id = _person(any_desk)
    old = _file(any_desk, person_id, starts_on=date(2026, 1, 5))
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        changed = change_filing(
            session, clerk, filing_id=old.filing_id, kind=FilingKind.WORK_ELSEWHERE,
            destination_code=CHENGDU, starts_on=TODAY + timedelta(days=1),
        )  # fmt: skip
    assert changed.transaction.kind is BusinessKind.MEDICAL_FILING_CHANGE
    assert changed.replaced is not None and changed.replaced.id == old.filing_id
    assert changed.replaced.last_day == TODAY and changed.replaced.state_label == "已变更"
    with any_desk.session() as session:
        lines = person_filings(session, clerk, person_id=person_id)
        rebuilt = voucher_source(session, clerk, serial=changed.transaction.serial)
        first = voucher_source(session, clerk, serial=old.transaction.serial)
    assert [(line.destination[:5], line.state_label) for line in lines] == [
        ("四川省成都", "有效"), ("四川省泸州", "已变更"),
    ]  # fmt: skip
    assert rebuilt == changed
    # The first receipt still says what was filed then.
    assert first == old
    with any_desk.session() as session, pytest.raises(BusinessRuleError, match="已变更"):
        change_filing(
            session, clerk, filing_id=old.filing_id, kind=FilingKind.WORK_ELSEWHERE,
            destination_code=CHENGDU, starts_on=TODAY,
        )  # fmt: skip


def test_a_change_does_not_reach_back_before_today(desk: Desk) -> None:
    old = _file(desk, _person(desk), starts_on=date(2026, 1, 5))
    with desk.session() as session, pytest.raises(ValidationError) as refused:
        change_filing(
            session, desk.actor("clerk"), filing_id=old.filing_id,
            kind=FilingKind.WORK_ELSEWHERE, destination_code=CHENGDU,
            starts_on=TODAY - timedelta(days=1),
        )  # fmt: skip
    assert refused.value.field == "starts_on"


def test_a_cancel_ends_the_filing_from_a_date(any_desk: Desk) -> None:
    person_id = _person(any_desk)
    filed = _file(any_desk, person_id, starts_on=date(2026, 3, 1))
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session, pytest.raises(ValidationError) as refused:
        cancel_filing(session, clerk, filing_id=filed.filing_id, ends_from=TODAY, reason=" ")
    assert refused.value.field == "reason"
    with any_desk.session() as session, pytest.raises(ValidationError) as refused:
        cancel_filing(
            session, clerk, filing_id=filed.filing_id, ends_from=TODAY - timedelta(days=1),
            reason="回参保地居住",
        )  # fmt: skip
    assert refused.value.field == "ends_from"
    with any_desk.session() as session:
        cancelled = cancel_filing(
            session, clerk, filing_id=filed.filing_id, ends_from=TODAY, reason="回参保地居住"
        )
        person = get_person(session, clerk, person_id=person_id)
        rebuilt = voucher_source(session, clerk, serial=cancelled.transaction.serial)
    assert cancelled.transaction.kind is BusinessKind.MEDICAL_FILING_CANCEL
    assert (cancelled.ends_from, cancelled.reason) == (TODAY, "回参保地居住")
    assert rebuilt == cancelled
    assert person.care_elsewhere is None
    # From the day it ends, another filing may begin.
    assert _file(any_desk, person_id, destination=CHENGDU).city_code == CHENGDU


def test_a_temporary_filing_is_cancelled_within_its_validity_only(desk: Desk) -> None:
    filed = _file(desk, _person(desk), kind=FilingKind.REFERRAL)
    with desk.session() as session, pytest.raises(ValidationError) as refused:
        cancel_filing(
            session, desk.actor("clerk"), filing_id=filed.filing_id,
            ends_from=date(2027, 5, 18), reason="已出院",
        )  # fmt: skip
    assert refused.value.field == "ends_from"
    with desk.session() as session:
        done = cancel_filing(
            session, desk.actor("clerk"), filing_id=filed.filing_id,
            ends_from=date(2027, 5, 17), reason="已出院",
        )  # fmt: skip
    assert done.ends_from == date(2027, 5, 17)


def test_each_filing_act_is_voided_and_its_effect_undone(any_desk: Desk) -> None:
    person_id = _person(any_desk)
    supervisor = any_desk.actor("super")
    old = _file(any_desk, person_id, starts_on=date(2026, 1, 5))
    with any_desk.session() as session:
        changed = change_filing(
            session, any_desk.actor("clerk"), filing_id=old.filing_id,
            kind=FilingKind.WORK_ELSEWHERE, destination_code=CHENGDU, starts_on=TODAY,
        )  # fmt: skip
    with any_desk.session() as session, pytest.raises(BusinessRuleError, match="此后已办理"):
        void_transaction(session, supervisor, serial=old.transaction.serial, reason="录入有误")
    with any_desk.session() as session:
        voided = void_transaction(
            session, supervisor, serial=changed.transaction.serial, reason="录入有误"
        )
    assert "原备案（四川省泸州市）恢复有效" in voided.undone
    with any_desk.session() as session:
        cancelled = cancel_filing(
            session, any_desk.actor("clerk"), filing_id=old.filing_id, ends_from=TODAY,
            reason="回参保地居住",
        )  # fmt: skip
        void_transaction(session, supervisor, serial=cancelled.transaction.serial, reason="误办")
        filing = session.get_one(MedicalFiling, old.filing_id)
        assert (filing.state, filing.last_day, filing.end_reason) == (
            FilingState.ACTIVE,
            None,
            None,
        )
        void_transaction(session, supervisor, serial=old.transaction.serial, reason="误办")
        assert session.scalar(select(func.count()).select_from(MedicalFiling)) == 0


def test_an_enrollment_a_filing_rests_on_is_not_voided(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = register(session, clerk, enrolled=False).person.id
        enrolled = enroll_person(
            session, clerk, person_id=person_id,
            request=EnrollmentRequest(EnrollmentCategory.FLEXIBLE_EMPLOYMENT, TODAY),
        )  # fmt: skip
    _file(desk, person_id)
    with desk.session() as session, pytest.raises(BusinessRuleError, match="其他参保业务"):
        void_transaction(
            session, desk.actor("super"), serial=enrolled.transaction.serial, reason="录入有误"
        )
