"""Regional policy settings and their range checks."""

from __future__ import annotations

import dataclasses

import pytest

from medins_desk.domain.policy import Policy
from medins_desk.errors import ValidationError


def test_defaults_follow_the_design() -> None:
    policy = Policy()
    assert policy.temporary_loss_days == 5
    assert policy.formal_loss_reversible is False
    assert (policy.fee_first_card_fen, policy.fee_reissue_fen, policy.fee_replacement_fen) == (
        0,
        2000,
        2000,
    )
    assert policy.card_production_working_days == 15
    assert policy.guardian_age == 16
    assert (policy.photo_min_bytes, policy.photo_max_bytes) == (9 * 1024, 40 * 1024)
    assert policy.transfer_rules == "2021"
    assert policy.transfer_gap_months == 3
    assert (policy.benefit_year_start_month, policy.benefit_year_start_day) == (1, 1)


def test_policy_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Policy().fee_reissue_fen = 0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("temporary_loss_days", 0),
        ("temporary_loss_days", 31),
        ("fee_first_card_fen", -1),
        ("fee_reissue_fen", -1),
        ("fee_replacement_fen", -100),
        ("transfer_rules", "2019"),
        ("benefit_year_start_month", 13),
        ("benefit_year_start_day", 32),
        ("photo_min_bytes", -1),
        ("fee_reissue_fen", 20.0),
        ("fee_reissue_fen", True),
    ],
)
def test_out_of_range_settings_name_the_setting(setting: str, value: object) -> None:
    with pytest.raises(ValidationError) as raised:
        Policy(**{setting: value})  # type: ignore[arg-type]
    assert raised.value.field == setting


def test_benefit_day_must_exist_in_its_month() -> None:
    Policy(benefit_year_start_month=2, benefit_year_start_day=28)
    with pytest.raises(ValidationError) as raised:
        Policy(benefit_year_start_month=2, benefit_year_start_day=29)
    assert raised.value.field == "benefit_year_start_day"


def test_photo_limits_must_be_ordered() -> None:
    with pytest.raises(ValidationError) as raised:
        Policy(photo_min_bytes=50_000, photo_max_bytes=40_000)
    assert raised.value.field == "photo_min_bytes"


@pytest.mark.parametrize("days", [1, 5, 10, 30])
def test_valid_ranges(days: int) -> None:
    assert Policy(temporary_loss_days=days, transfer_rules="2016").temporary_loss_days == days
