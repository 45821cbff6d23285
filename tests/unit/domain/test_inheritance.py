"""个人账户余额继承 rules at their boundaries: the death date, the balance, the heir's age and
the materials."""

from __future__ import annotations

from datetime import date

import pytest

from medins_desk.domain.inheritance import (
    MAX_BALANCE_FEN,
    DeathProof,
    HeirRelation,
    InheritanceState,
    check_balance,
    check_death_date,
    heir_needs_guardian,
    inheritance_materials,
    missing_inheritance_materials,
)
from medins_desk.errors import ValidationError

TODAY = date(2026, 11, 18)
BIRTH = date(1950, 2, 3)


@pytest.mark.parametrize("death", [TODAY, BIRTH, date(2000, 1, 1)])
def test_a_death_from_the_birth_day_to_today_is_accepted(death: date) -> None:
    check_death_date(death, birth=BIRTH, today=TODAY)


@pytest.mark.parametrize(
    ("death", "words"),
    [(date(2026, 11, 19), "晚于今天"), (date(1950, 2, 2), "早于出生日期")],
)
def test_a_death_tomorrow_or_before_birth_is_refused_at_the_field(death: date, words: str) -> None:
    with pytest.raises(ValidationError, match=words) as refused:
        check_death_date(death, birth=BIRTH, today=TODAY)
    assert refused.value.field == "death_date"


@pytest.mark.parametrize("fen", [0, 1, MAX_BALANCE_FEN])
def test_a_balance_from_zero_to_the_bound_is_accepted(fen: int) -> None:
    assert check_balance(fen) == fen


@pytest.mark.parametrize(("fen", "words"), [(-1, "不能为负数"), (MAX_BALANCE_FEN + 1, "不能超过")])
def test_a_negative_or_implausible_balance_is_refused(fen: int, words: str) -> None:
    with pytest.raises(ValidationError, match=words) as refused:
        check_balance(fen)
    assert refused.value.field == "balance"


@pytest.mark.parametrize(
    ("birth", "needs"),
    [
        (date(2008, 11, 19), True),  # 18 tomorrow
        (date(2008, 11, 18), False),  # 18 today
        (date(2026, 11, 18), True),  # born today
        (date(1960, 1, 1), False),
    ],
)
def test_an_heir_under_18_needs_a_guardian(birth: date, needs: bool) -> None:
    assert heir_needs_guardian(birth, TODAY) is needs


def test_an_heir_born_on_29_february_is_of_age_on_1_march() -> None:
    birth = date(2008, 2, 29)
    assert heir_needs_guardian(birth, date(2026, 2, 28))
    assert not heir_needs_guardian(birth, date(2026, 3, 1))


def test_the_materials_list_asks_a_guardians_card_only_with_a_guardian() -> None:
    alone, guarded = inheritance_materials(guardian=False), inheritance_materials(guardian=True)
    assert guarded[: len(alone)] == alone
    assert guarded[len(alone) :] == ("继承人监护人居民身份证原件及复印件",)
    assert "死亡证明、火化证明或户口注销证明" in alone
    assert missing_inheritance_materials(alone, guardian=False) == ()
    assert missing_inheritance_materials(alone, guardian=True) == guarded[len(alone) :]
    assert missing_inheritance_materials((), guardian=False) == alone


@pytest.mark.parametrize("kind", [DeathProof, HeirRelation, InheritanceState])
def test_every_value_has_a_chinese_label(
    kind: type[DeathProof] | type[HeirRelation] | type[InheritanceState],
) -> None:
    labels = [member.label for member in kind]
    assert len(set(labels)) == len(labels)
    assert all(not label.isascii() for label in labels)
