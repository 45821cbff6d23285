"""Demo act of 医保关系转出: someone leaving for another region, from the suspension of the
enrollment to the 信息表."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medins_desk.services.demo.day import demo_act
from medins_desk.services.enrollment import suspend_enrollment
from medins_desk.services.transfer.transfer_out import (
    issue_info_form,
    record_contact_letter,
    start_transfer_out,
)

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay


@demo_act(employees=("leaving",))  # a resident's enrollment would wait for the next benefit year
def leaving(day: DemoDay) -> None:
    """Leaving for another region: suspend, 参保凭证, the new region's 联系函, the 信息表."""
    person_id = day.cast["leaving"]
    agency = "上海市医疗保障局"
    day.act(
        "clerk2",
        suspend_enrollment,
        person_id=person_id,
        effective=day.today,
        reason="到外地就业，转移医保关系",
    )
    certificate = day.act(
        "clerk2",
        start_transfer_out,
        person_id=person_id,
        destination_agency=agency,
        destination_region="310104",
    )
    day.act(
        "clerk2",
        record_contact_letter,
        case_id=certificate.case_id,
        letter_date=day.clock().date(),
        from_agency=agency,
        letter_number=f"医保转函〔{day.today.year}〕{day.rng.randint(100, 999)}号",
    )
    day.act("clerk2", issue_info_form, case_id=certificate.case_id)
