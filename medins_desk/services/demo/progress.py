"""Demo act of 办理进度查询: the citizen whose transfer-in is overdue comes to ask where it is and
takes the 办理进度告知单 home."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medins_desk.services.demo.day import demo_act
from medins_desk.services.progress import issue_progress_notice

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay


@demo_act()
def asks_about_transfer(day: DemoDay) -> None:
    """进度查询: 周婷's 信息表 has not come from Shenzhen; the notice says so and by when."""
    day.act("clerk3", issue_progress_notice, person_id=day.cast["waiting_for_transfer"])
