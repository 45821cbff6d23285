"""Demo act of 作废: a phone number typed wrong, voided by the supervisor, then entered again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medins_desk.domain.correction import CorrectionField
from medins_desk.services.correction import submit_correction
from medins_desk.services.demo.day import demo_act
from medins_desk.services.demo.population import other_phone
from medins_desk.services.void import void_transaction

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay


@demo_act(cast=("mistyped",))
def mistyped_phone(day: DemoDay) -> None:
    """A phone number typed wrong, voided by the supervisor, then entered again."""
    mistyped = day.cast["mistyped"]
    right = day.phone_of(mistyped) or "13691027745"
    wrong = (
        right[:-2] + right[-1] + right[-2]
        if right[-1] != right[-2]
        else right[:-1] + str((int(right[-1]) + 1) % 10)
    )
    typo = day.act(
        "clerk3",
        submit_correction,
        person_id=mistyped,
        changes={CorrectionField.PHONE: wrong},
        reason="本人更换手机号码",
    )
    day.act(
        "super2",
        void_transaction,
        serial=typo.transaction.serial,
        reason="手机号码录入错误，已重新办理",
    )
    day.act(
        "clerk3",
        submit_correction,
        person_id=mistyped,
        changes={CorrectionField.PHONE: other_phone(day.rng, right)},
        reason="本人更换手机号码",
    )
