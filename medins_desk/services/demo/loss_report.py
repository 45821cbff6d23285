"""Demo acts of 挂失: temporary and formal loss reports, one by an agent, an unfreeze, and
reissues (补领) after a formal report."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from medins_desk.domain.card import CardApplicationKind, RepresentativeRole
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.demo.day import demo_act
from medins_desk.services.loss_report import report_loss, unfreeze_card

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay


@demo_act(
    cast=("lost_briefly", "lost_for_now", "lost_for_good", "lost_by_agent", "lost_then_found")
)
def loss_reports(day: DemoDay) -> None:
    """Loss reports (挂失), an unfreeze and reissues."""
    cast = day.cast
    day.act("clerk2", report_loss, card_id=day.newest_card(cast["lost_briefly"]), formal=False)
    day.act("clerk3", report_loss, card_id=day.newest_card(cast["lost_for_now"]), formal=False)
    day.act("clerk1", report_loss, card_id=day.newest_card(cast["lost_for_good"]), formal=True)
    day.act(
        "clerk1",
        apply_for_card,
        person_id=cast["lost_for_good"],
        kind=CardApplicationKind.REISSUE,
        photo=day.photo,
    )
    agent = day.representative(
        RepresentativeRole.AGENT,
        "赵丽",
        date(1990, 1, 5),
        male=False,
        relation="配偶",
        phone="13766120985",
    )
    day.act(
        "clerk2",
        report_loss,
        card_id=day.newest_card(cast["lost_by_agent"]),
        formal=True,
        representative=agent,
    )
    day.act("clerk2", unfreeze_card, card_id=day.newest_card(cast["lost_briefly"]))
    card = day.newest_card(cast["lost_then_found"])
    day.act("clerk3", report_loss, card_id=card, formal=False)
    day.act("clerk3", report_loss, card_id=card, formal=True)
    day.act(
        "clerk3",
        apply_for_card,
        person_id=cast["lost_then_found"],
        kind=CardApplicationKind.REISSUE,
        photo=day.photo,
        instant=True,
    )
