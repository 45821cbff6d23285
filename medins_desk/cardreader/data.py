"""``CardData``: what one read of a 社会保障卡 yields, checked against the domain rules.

The card's own values are kept as they are; where they break a rule (a wrong check character,
sex or birth date not matching the 社会保障号码) a notice says so instead of hiding it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from medins_desk.cardreader.decode import atr_historical_bytes
from medins_desk.domain.card import parse_card_number
from medins_desk.domain.contact import ETHNICITIES
from medins_desk.domain.identity import Sex, check_identity_agrees, parse_identity_number
from medins_desk.domain.names import normalise_name
from medins_desk.errors import Notice, ValidationError

__all__ = ["JSON_KEYS", "CardData", "build_card_data"]

_CARD_ID_CODE_MIDDLE = "D156000005"
JSON_KEYS = (
    "card_number",
    "card_id_code",
    "region",
    "card_type",
    "spec_version",
    "issue_date",
    "expiry_date",
    "ssn",
    "name",
    "sex",
    "ethnicity",
    "birthplace",
    "birth_date",
    "atr",
    "expired",
    "ef06_available",
)


@dataclass(frozen=True)
class CardData:
    """读卡结果: the EF05 items always, the EF06 (holder) items when the card let us read them."""

    card_number: str
    card_id_code: str
    card_type: str
    spec_version: str
    issue_date: date
    expiry_date: date
    atr: bytes
    expired: bool
    ef06_available: bool
    ssn: str | None = None
    name: str | None = None
    sex: Sex | None = None
    ethnicity_code: str | None = None
    birthplace: str | None = None
    birth_date: date | None = None
    ef06_refusal: str | None = None  # why the holder items are missing
    notices: tuple[Notice, ...] = field(default=())
    apdu_count: int = 0

    @property
    def region(self) -> str:
        """发卡地区: the first six characters of the 卡识别码."""
        return self.card_id_code[:6]

    @property
    def ethnicity(self) -> str | None:
        """民族 as a name (汉族); an unknown code is shown as the code."""
        if self.ethnicity_code is None:
            return None
        return ETHNICITIES.get(self.ethnicity_code, self.ethnicity_code)

    def to_json(self) -> dict[str, Any]:
        """The ``card read --json`` object: exactly :data:`JSON_KEYS`, dates as YYYY-MM-DD."""

        def day(value: date | None) -> str | None:
            return value.isoformat() if value else None

        values: dict[str, Any] = {
            "card_number": self.card_number,
            "card_id_code": self.card_id_code,
            "region": self.region,
            "card_type": self.card_type,
            "spec_version": self.spec_version,
            "issue_date": day(self.issue_date),
            "expiry_date": day(self.expiry_date),
            "ssn": self.ssn,
            "name": self.name,
            "sex": self.sex.label if self.sex else None,
            "ethnicity": self.ethnicity,
            "birthplace": self.birthplace,
            "birth_date": day(self.birth_date),
            "atr": self.atr.hex().upper(),
            "expired": self.expired,
            "ef06_available": self.ef06_available,
        }
        return {key: values[key] for key in JSON_KEYS}

    def bas_line(self, *, terminal_no: str = "", device_no: str = "") -> str:
        """The iReadCardBas string: region|社会保障号码|卡号|卡识别码|姓名|ATR historical bytes|
        规范版本|发卡日期|卡有效期|terminal no|device no|"""
        parts = [
            self.region,
            self.ssn or "",
            self.card_number,
            self.card_id_code,
            self.name or "",
            atr_historical_bytes(self.atr).hex().upper(),
            self.spec_version,
            f"{self.issue_date:%Y%m%d}",
            f"{self.expiry_date:%Y%m%d}",
            terminal_no,
            device_no,
        ]
        return "|".join(parts) + "|"


def _notice(code: str, field_name: str, message: str) -> Notice:
    return Notice(code=code, message=message, field=field_name)


def _holder_notices(items: Mapping[str, Any], today: date) -> list[Notice]:
    notices: list[Notice] = []
    try:
        identity = parse_identity_number(items["ssn"], field="ssn", today=today)
    except ValidationError as error:
        return [_notice("card_ssn_invalid", "ssn", f"卡内社会保障号码有误：{error.message}")]
    # Birth date and sex are checked one at a time so that both disagreements are reported.
    for birth, sex in ((items["birth_date"], None), (None, items["sex"])):
        try:
            check_identity_agrees(identity, birth_date=birth, sex=sex)
        except ValidationError as error:
            notices.append(_notice("card_ssn_disagrees", error.field, f"卡内{error.message}"))
    if items["sex"] is None:
        notices.append(_notice("card_sex_unknown", "sex", "卡内性别代码不是 1（男）或 2（女）"))
    try:
        normalise_name(items["name"])
    except ValidationError as error:
        notices.append(_notice("card_name_invalid", "name", f"卡内姓名有误：{error.message}"))
    if items["ethnicity"] not in ETHNICITIES:
        notices.append(
            _notice(
                "card_ethnicity_unknown",
                "ethnicity",
                f"卡内民族代码 {items['ethnicity']} 不在 GB 3304 民族代码表中",
            )
        )
    return notices


def build_card_data(
    items: Mapping[str, Any],
    *,
    atr: bytes,
    today: date,
    ef06_refusal: str | None = None,
    apdu_count: int = 0,
) -> CardData:
    """One ``CardData`` from decoded items (keys of the layout); EF06 items may be absent."""
    notices: list[Notice] = []
    _, number_notices = parse_card_number(items["card_number"])
    notices.extend(number_notices)
    code: str = items["card_id_code"]
    if code[6:16] != _CARD_ID_CODE_MIDDLE:
        notices.append(
            _notice(
                "card_id_code_layout",
                "card_id_code",
                f"卡识别码第7-16位应为 {_CARD_ID_CODE_MIDDLE}，卡内为 {code[6:16]}",
            )
        )
    if items["issue_date"] > items["expiry_date"]:
        notices.append(_notice("card_dates", "expiry_date", "卡内有效期早于发卡日期"))
    holder = "ssn" in items
    sex: Sex | None = None
    name: str | None = None
    if holder:
        sex = Sex(items["sex"]) if items["sex"] in ("1", "2") else None
        name = items["name"] + items.get("name_extension", "")
        holder_items = {**items, "sex": sex, "name": name}
        notices.extend(_holder_notices(holder_items, today))
    return CardData(
        card_number=items["card_number"],
        card_id_code=code,
        card_type=items["card_type"],
        spec_version=items["spec_version"],
        issue_date=items["issue_date"],
        expiry_date=items["expiry_date"],
        atr=atr,
        expired=items["expiry_date"] < today,
        ef06_available=holder,
        ssn=items.get("ssn"),
        name=name,
        sex=sex,
        ethnicity_code=items.get("ethnicity"),
        birthplace=items.get("birthplace"),
        birth_date=items.get("birth_date"),
        ef06_refusal=None if holder else ef06_refusal,
        notices=tuple(notices),
        apdu_count=apdu_count,
    )
