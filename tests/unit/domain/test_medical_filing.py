"""异地就医备案's rules at their boundaries: validity, overlap, start, destination, change and
cancel dates, materials."""

from __future__ import annotations

from datetime import date

import pytest

from medins_desk.domain.medical_filing import (
    FilingKind,
    FilingPeriod,
    check_cancel_date,
    check_change_date,
    check_destination,
    check_filing_start,
    check_materials,
    check_no_overlap,
    filing_last_day,
    filing_valid_until,
    materials_for,
)
from medins_desk.domain.policy import Policy
from medins_desk.domain.regions import parse_destination
from medins_desk.errors import ValidationError

TODAY = date(2026, 11, 18)


def _period(starts_on: date, last_day: date | None) -> FilingPeriod:
    return FilingPeriod(
        serial="1101052026111800100003", counter_no="002", kind=FilingKind.REFERRAL,
        destination="上海市（310000）", starts_on=starts_on, last_day=last_day,
    )  # fmt: skip


@pytest.mark.parametrize("kind", [FilingKind.REFERRAL, FilingKind.TEMPORARY_VISIT])
def test_temporary_kinds_expire_after_the_policy_months(kind: FilingKind) -> None:
    assert kind.temporary
    assert filing_valid_until(kind, TODAY, Policy()) == date(2027, 5, 17)
    assert filing_valid_until(kind, TODAY, Policy(temporary_filing_months=1)) == date(2026, 12, 17)


@pytest.mark.parametrize(
    "kind",
    [FilingKind.LONG_TERM_RESIDENCE, FilingKind.WORK_ELSEWHERE, FilingKind.RETIRED_ELSEWHERE],
)
def test_long_term_kinds_last_until_changed(kind: FilingKind) -> None:
    assert not kind.temporary
    assert filing_valid_until(kind, TODAY, Policy()) is None


@pytest.mark.parametrize(("months", "ok"), [(0, False), (1, True), (24, True), (25, False)])
def test_the_temporary_months_setting_is_bounded(months: int, ok: bool) -> None:
    if ok:
        assert Policy(temporary_filing_months=months).temporary_filing_months == months
    else:
        with pytest.raises(ValidationError) as refused:
            Policy(temporary_filing_months=months)
        assert refused.value.field == "temporary_filing_months"


def test_the_last_day_is_the_earlier_of_validity_and_end() -> None:
    assert filing_last_day(None, None) is None
    assert filing_last_day(date(2027, 5, 17), None) == date(2027, 5, 17)
    assert filing_last_day(None, date(2026, 12, 1)) == date(2026, 12, 1)
    assert filing_last_day(date(2027, 5, 17), date(2026, 12, 1)) == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("starts_on", "last_day", "meets"),
    [
        (date(2027, 5, 17), None, True),  # on the existing one's last day
        (date(2027, 5, 18), None, False),  # the day after
        (date(2026, 1, 1), date(2026, 11, 18), True),  # ends on its first day
        (date(2026, 1, 1), date(2026, 11, 17), False),  # ends the day before
        (date(2026, 1, 1), None, True),  # open-ended, from before
    ],
)
def test_a_filing_meeting_a_live_one_is_refused_naming_it(
    starts_on: date, last_day: date | None, meets: bool
) -> None:
    existing = [_period(TODAY, date(2027, 5, 17))]
    if not meets:
        check_no_overlap(existing, starts_on, last_day)
        return
    with pytest.raises(ValidationError) as refused:
        check_no_overlap(existing, starts_on, last_day)
    assert refused.value.field == "starts_on"
    for named in ("异地转诊", "上海市（310000）", "2026-11-18", "2027-05-17",
                  "1101052026111800100003", "002 号窗口"):  # fmt: skip
        assert named in refused.value.message


def test_an_open_filing_meets_everything_after_its_start_and_an_empty_one_nothing() -> None:
    with pytest.raises(ValidationError):
        check_no_overlap([_period(TODAY, None)], date(2030, 1, 1), None)
    check_no_overlap([_period(TODAY, None)], date(2020, 1, 1), date(2026, 11, 17))
    # Changed or cancelled on (or before) its first day: it never ran.
    check_no_overlap([_period(TODAY, date(2026, 11, 17))], TODAY, None)


def test_the_start_is_not_before_the_enrollment() -> None:
    check_filing_start(date(2005, 7, 1), enrolled_from=date(2005, 7, 1))
    with pytest.raises(ValidationError) as refused:
        check_filing_start(date(2005, 6, 30), enrolled_from=date(2005, 7, 1))
    assert refused.value.field == "starts_on"


def test_the_insuring_pooling_region_needs_no_filing() -> None:
    check_destination(parse_destination("510500"), insured_region_code="110105")
    check_destination(parse_destination("510500"), insured_region_code="510100")
    with pytest.raises(ValidationError) as refused:
        check_destination(parse_destination("510500"), insured_region_code="510521")
    assert refused.value.field == "destination_code"
    with pytest.raises(ValidationError):
        check_destination(parse_destination("110108"), insured_region_code="110105")


def test_a_cancel_runs_from_today_to_the_filing_last_day() -> None:
    period = _period(date(2026, 6, 1), date(2026, 11, 30))
    check_cancel_date(TODAY, period, TODAY)
    check_cancel_date(date(2026, 11, 30), period, TODAY)
    for day, field in ((date(2026, 11, 17), "ends_from"), (date(2026, 12, 1), "ends_from")):
        with pytest.raises(ValidationError) as refused:
            check_cancel_date(day, period, TODAY)
        assert refused.value.field == field


def test_a_change_takes_effect_from_today_within_the_filing() -> None:
    period = _period(date(2026, 12, 1), None)
    check_change_date(date(2026, 12, 1), period, TODAY)
    with pytest.raises(ValidationError) as refused:
        check_change_date(date(2026, 11, 30), period, TODAY)  # before it begins
    assert "早于原备案开始日期" in refused.value.message
    with pytest.raises(ValidationError) as refused:
        check_change_date(date(2026, 11, 17), _period(date(2026, 1, 1), None), TODAY)
    assert "早于今天" in refused.value.message


def test_materials_are_the_kind_s_own_in_its_order() -> None:
    kind = FilingKind.REFERRAL
    listed = materials_for(kind)
    assert "参保地定点医疗机构出具的转诊转院证明" in listed
    assert check_materials(kind, (listed[2], listed[0])) == (listed[0], listed[2])
    assert check_materials(kind, ()) == ()
    with pytest.raises(ValidationError) as refused:
        check_materials(FilingKind.TEMPORARY_VISIT, (listed[2],))
    assert refused.value.field == "materials"


def test_every_kind_has_a_label_and_materials() -> None:
    for kind in FilingKind:
        assert kind.label and materials_for(kind)[0] == "居民身份证或社会保障卡"
