"""The programme of the demo day: its acts in the order the clerks perform them.

A new business adds its acts in a module of its own in this package and takes its place here.
The order is part of the demo data: people, serials and times follow from it.
"""

from __future__ import annotations

from medins_desk.services.demo import (
    card_application,
    correction,
    loss_report,
    transfer_in,
    transfer_out,
    void,
)
from medins_desk.services.demo.day import DemoAct

PROGRAMME: tuple[DemoAct, ...] = (
    # Business of earlier days still open today.
    card_application.applied_weeks_ago,
    transfer_in.overdue,
    transfer_in.accepted_last_week,
    # Today, from the morning on.
    card_application.first_cards,
    loss_report.loss_reports,
    card_application.replacements,
    correction.corrections,
    void.mistyped_phone,
    transfer_out.leaving,
    transfer_in.accepted_today,
    transfer_in.info_form_arrives,
    card_application.afternoon_first_cards,
)
