"""Demo acts of 医保关系转入: cases accepted on earlier days (one overdue now, one whose 信息表
arrives today and is completed) and one accepted today."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from medins_desk.domain.enrollment import InsuranceType
from medins_desk.domain.transfer import TransferLetterKind
from medins_desk.services.demo.day import demo_act
from medins_desk.services.transfer.transfer_in import (
    complete_transfer_in,
    record_info_form,
    start_transfer_in,
)
from medins_desk.store.models import Enrollment, TransferLetter

if TYPE_CHECKING:
    from medins_desk.services.demo.day import DemoDay


@demo_act()
def overdue(day: DemoDay) -> None:
    """A transfer-in accepted some working days back, its 信息表 still awaited: overdue now."""
    with day.at(day.back_then(14)):
        arrived = day.register(
            "clerk3",
            name="周婷",
            birth=date(1991, 9, 2),
            male=False,
            insurance=InsuranceType.EMPLOYEE,
            phone="13607551928",
        )
        _start_transfer_in(day, "clerk3", arrived, "广东省深圳市南山区医疗保障局", "440305")
    day.cast["waiting_for_transfer"] = arrived


@demo_act()
def accepted_last_week(day: DemoDay) -> None:
    """Another accepted a week back: its 信息表 arrives today (``info_form_arrives``)."""
    with day.at(day.back_then(5)):
        returning = day.register(
            "clerk2",
            name="黄志刚",
            birth=date(1976, 5, 21),
            male=True,
            insurance=InsuranceType.EMPLOYEE,
            phone="13312095587",
        )
        _start_transfer_in(day, "clerk2", returning, "江苏省南京市医疗保障局", "320102")
    day.cast["returning"] = returning


@demo_act()
def accepted_today(day: DemoDay) -> None:
    """Someone arriving: registered here, the origin's 参保凭证 recorded, the 联系函 sent."""
    newcomer = day.register(
        "clerk1",
        name="欧阳明轩",
        birth=date(1984, 12, 30),
        male=True,
        insurance=InsuranceType.EMPLOYEE,
        phone="15011937264",
    )
    _start_transfer_in(day, "clerk1", newcomer, "四川省成都市医疗保障局", "510107")
    day.cast["newcomer"] = newcomer


@demo_act()
def info_form_arrives(day: DemoDay) -> None:
    """The 信息表 from Nanjing came in the post, with the years and balance of the 参保凭证
    recorded a week ago: record it and close the case."""
    case_id, certificate = _recorded_certificate(day, day.cast["returning"])
    day.act(
        "clerk2",
        record_info_form,
        case_id=case_id,
        received_on=day.today,
        actual_months=certificate["actual_months"],
        deemed_months=certificate["deemed_months"],
        balance_fen=certificate["balance_fen"],
    )
    day.act("clerk2", complete_transfer_in, case_id=case_id)


def _start_transfer_in(
    day: DemoDay, username: str, person_id: int, agency: str, region: str
) -> None:
    """转入受理: the origin's 参保凭证 recorded, the 联系函 sent; the 信息表 is awaited."""
    with day.sessions() as session:
        local_start = session.scalars(
            select(Enrollment.start_date).where(Enrollment.person_id == person_id)
        ).one()
    origin_end = local_start - timedelta(days=1)
    origin_start = date(max(origin_end.year - day.rng.randint(3, 12), 1999), 7, 1)
    months = (origin_end.year - origin_start.year) * 12 + origin_end.month - origin_start.month
    day.act(
        username,
        start_transfer_in,
        person_id=person_id,
        origin_agency=agency,
        origin_region=region,
        certificate_date=origin_end,
        origin_periods=[(origin_start, origin_end)],
        origin_actual_months=months,
        origin_deemed_months=0,
        origin_balance_fen=day.rng.randrange(50_000, 2_000_000),
    )


def _recorded_certificate(day: DemoDay, person_id: int) -> tuple[int, dict[str, Any]]:
    """The person's newest transfer case and the origin's 参保凭证 recorded on it."""
    with day.sessions() as session:
        case_id, content = session.execute(
            select(TransferLetter.case_id, TransferLetter.content)
            .where(
                TransferLetter.case.has(person_id=person_id),
                TransferLetter.kind == TransferLetterKind.CERTIFICATE,
                TransferLetter.issued_here.is_(False),
            )
            .order_by(TransferLetter.id.desc())
            .limit(1)
        ).one()
    return int(case_id), dict(content)
