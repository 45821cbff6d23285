"""插卡即查: whose card was just inserted, and may it be used.

Given what the reader read (:class:`~medins_desk.cardreader.CardData`), find the card in the
store by 卡号, then 卡识别码, then the holder's 社会保障号码, so the GUI can open the person at
once, and say straight away when the store has the card as lost or cancelled (此卡已挂失).
Differences between the chip and the store are notices, never silently resolved.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.cardreader.data import CardData
from medins_desk.domain.names import gbk_encodable
from medins_desk.domain.roles import Permission
from medins_desk.errors import Notice
from medins_desk.services.cards import CardStatus, lookup_card
from medins_desk.services.context import Actor, service
from medins_desk.store.models import Person

__all__ = ["CardLink", "link_card"]


@dataclass(frozen=True)
class CardLink:
    """The inserted card as the store knows it; ``person_id`` None: not a person of this store."""

    person_id: int | None
    person_name: str | None
    card: CardStatus | None
    warning: str | None  # 此卡已挂失 / 已注销 / 已过有效期: shown the moment the card is in
    blocked: bool  # lost or cancelled: the card must not be used
    notices: tuple[Notice, ...]


def _differences(data: CardData, person: Person) -> list[Notice]:
    notices: list[Notice] = []
    if data.ssn and data.ssn != person.id_number:
        notices.append(
            Notice(
                "card_store_ssn", "卡内社会保障号码与库中此卡持卡人的号码不一致，请核对证件", "ssn"
            )
        )
    if data.name and data.name != person.name:
        if not gbk_encodable(person.name):
            message = (
                f"卡内姓名「{data.name}」是生僻字姓名「{person.name}」的替代字，以库中姓名为准"
            )
            notices.append(Notice("card_name_stand_in", message, "name"))
        else:
            message = f"卡内姓名「{data.name}」与库中姓名「{person.name}」不一致，请核对证件"
            notices.append(Notice("card_store_name", message, "name"))
    return notices


@service(Permission.LOOK_UP)
def link_card(session: Session, actor: Actor, *, data: CardData) -> CardLink:
    """The person and card of an inserted 社会保障卡, with its state in the store."""
    status = lookup_card(
        session,
        actor,
        card_number=data.card_number,
        card_id_code=data.card_id_code,
        id_number=data.ssn,
    )
    person: Person | None = None
    if status is not None:
        person = session.get(Person, status.person_id)
    elif data.ssn:  # a card issued elsewhere: the holder may still be a person of this store
        person = session.scalar(select(Person).where(Person.id_number == data.ssn))
    notices = _differences(data, person) if person is not None else []
    return CardLink(
        person_id=person.id if person is not None else None,
        person_name=person.name if person is not None else None,
        card=status,
        warning=status.warning if status is not None else None,
        blocked=status.lost if status is not None else False,
        notices=tuple(notices),
    )
