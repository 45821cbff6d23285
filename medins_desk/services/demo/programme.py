"""The programme of the demo day: its acts in the order the clerks perform them.

A new business adds its acts in a module of its own in this package and takes its place here.
The order is part of the demo data: people, serials and times follow from it.
"""

from __future__ import annotations

from medins_desk.services.demo import (
    card_application,
    card_rewrite,
    certificate,
    correction,
    enrollment,
    inheritance,
    loss_report,
    medical_filing,
    progress,
    refund,
    retirement,
    transfer_in,
    transfer_out,
    void,
)
from medins_desk.services.demo.day import DemoAct

PROGRAMME: tuple[DemoAct, ...] = (
    # Business of earlier days still open today, the oldest first.
    enrollment.left_employers,
    card_application.applied_weeks_ago,
    transfer_in.overdue,
    refund.paid_for_next_year,
    transfer_in.accepted_last_week,
    medical_filing.filed_weeks_ago,
    # Today, from the morning on.
    card_application.first_cards,
    enrollment.newborn,
    loss_report.loss_reports,
    enrollment.continuations,
    card_application.replacements,
    correction.corrections,
    refund.took_a_job,
    inheritance.deceased_holder,
    void.mistyped_phone,
    certificate.for_a_mortgage,
    enrollment.flexible_employment,
    transfer_out.leaving,
    progress.asks_about_transfer,
    medical_filing.filings_today,
    enrollment.back_to_work,
    transfer_in.accepted_today,
    card_rewrite.newcomer_card,
    enrollment.late_enrollee,
    transfer_in.info_form_arrives,
    certificate.for_a_new_employer,
    retirement.retirements,
    card_application.afternoon_first_cards,
)
