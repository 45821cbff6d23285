"""Demo acts of 信息变更/更正: contact data and a bank account changed at once, identity data
submitted for review, one of them approved by the supervisor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from stdnum import luhn

from medins_desk.domain.contact import DebitHolderRelation
from medins_desk.domain.correction import CorrectionField, SupportingDocument
from medins_desk.services.correction import (
    DebitAccountInput,
    approve_correction,
    submit_correction,
)
from medins_desk.services.demo.day import demo_act
from medins_desk.services.demo.population import AREAS, BANKS, FEMALE_GIVEN, MALE_GIVEN
from medins_desk.store.models import BankDebitAccount, Person

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay

# Corrections of a name's last character as clerks meet them (同音/形近字).
_NAME_FIXES = {
    "伟": "玮",
    "丽": "俪",
    "明": "铭",
    "静": "婧",
    "华": "桦",
    "军": "君",
    "芳": "方",
    "玲": "琳",
    "杰": "洁",
    "涛": "韬",
    "斌": "彬",
    "婷": "亭",
    "娟": "鹃",
    "辉": "晖",
    "敏": "珉",
    "燕": "艳",
}


@demo_act(cast=("moved", "new_phone", "new_bank", "name_typo", "ethnicity_fix", "name_fix"))
def corrections(day: DemoDay) -> None:
    """Corrections: contact data at once, identity data for the supervisor."""
    rng = day.rng
    cast = day.cast
    day.act(
        "clerk1",
        submit_correction,
        person_id=cast["new_phone"],
        changes={CorrectionField.PHONE: f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"},
        reason="本人更换手机号码",
    )
    _, city, postcode = _elsewhere(day, cast["moved"])
    day.act(
        "clerk2",
        submit_correction,
        person_id=cast["moved"],
        changes={
            CorrectionField.ADDRESS: (
                f"{city}朝阳北路{rng.randint(1, 200)}号院{rng.randint(1, 20)}号楼"
            ),
            CorrectionField.POSTCODE: postcode,
        },
        reason="搬家，更新联系地址",
    )
    _change_bank_account(day, "clerk3", cast["new_bank"])
    day.act(
        "clerk1",
        submit_correction,
        person_id=cast["name_typo"],
        changes={CorrectionField.NAME: _corrected_name(day, cast["name_typo"])},
        reason="姓名登记有误，与户口簿不符",
        documents=(SupportingDocument.HOUSEHOLD_REGISTER, SupportingDocument.ID_CARD),
    )
    day.act(
        "clerk2",
        submit_correction,
        person_id=cast["ethnicity_fix"],
        changes={CorrectionField.ETHNICITY: "03"},
        reason="民族登记错误",
        documents=(SupportingDocument.HOUSEHOLD_REGISTER,),
    )
    day.act(
        "clerk3",
        submit_correction,
        person_id=cast["name_fix"],
        changes={CorrectionField.NAME: _corrected_name(day, cast["name_fix"])},
        reason="公安机关已更正姓名",
        documents=(SupportingDocument.POLICE_CERTIFICATE,),
    )
    day.act(
        "super1",
        approve_correction,
        request_id=day.newest_request(cast["name_fix"]),
        comment="材料齐全，同意更正",
    )


def _elsewhere(day: DemoDay, person_id: int) -> tuple[str, str, str]:
    """An area whose postcode is not the person's: a move always changes it."""
    with day.sessions() as session:
        current = session.scalar(select(Person.postcode).where(Person.id == person_id))
    return next(area for area in AREAS[2:] + AREAS[:2] if area[2] != current)


def _change_bank_account(day: DemoDay, username: str, person_id: int) -> None:
    """A new debit card at another bank (变更银行扣款账户): takes effect at once."""
    with day.sessions() as session:
        current = session.scalar(
            select(BankDebitAccount.bank_name).where(BankDebitAccount.person_id == person_id)
        )
    bank, bin_ = day.rng.choice([b for b in BANKS if b[0] != current])
    first18 = f"{bin_}{day.rng.randrange(10**12):012d}"
    day.act(
        username,
        submit_correction,
        person_id=person_id,
        changes={},
        bank_account=DebitAccountInput(
            bank_name=bank,
            account_number=first18 + luhn.calc_check_digit(first18),
            holder_relation=DebitHolderRelation.SELF,
        ),
        reason="原扣款银行卡已销户，改用新卡扣缴",
    )


def _corrected_name(day: DemoDay, person_id: int) -> str:
    """The name with its last character corrected to a look- or sound-alike one."""
    with day.sessions() as session:
        name = session.scalars(select(Person.name).where(Person.id == person_id)).one()
    last = name[-1]
    replacement = _NAME_FIXES.get(last) or day.rng.choice(
        [ch for ch in FEMALE_GIVEN + MALE_GIVEN if ch != last]
    )
    return name[:-1] + replacement
