"""Roles are checked in the services, not only hidden in the GUI (DESIGN §9, who does what §1).

Every service function is called by every role with no arguments: the role check runs before the
arguments are looked at, so a role without the right gets PermissionDenied and one with it gets
past the check (and then fails on the missing arguments, or runs a harmless read).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

import medins_desk.services
from medins_desk.domain.roles import Permission, Role
from medins_desk.errors import MedinsError, PermissionDenied
from medins_desk.services.context import service
from medins_desk.store.models import AuditEntry, Transaction
from tests.helpers.store import Desk

CLERK, SUPERVISOR, ADMIN = Role.CLERK, Role.SUPERVISOR, Role.ADMIN
COUNTER_STAFF = frozenset({CLERK, SUPERVISOR})
EVERYONE = frozenset(Role)

# Who may call what, from DESIGN §1: clerks serve citizens; supervisors also approve identity
# corrections, void, close the day and export the ledger; admins manage users and may look up.
ALLOWED: dict[str, frozenset[Role]] = {
    # 社保卡
    "card_application.apply_for_card": COUNTER_STAFF,
    "cards.record_card_produced": COUNTER_STAFF,
    "cards.hand_over_card": COUNTER_STAFF,
    "cards.settle_all_expired_losses": COUNTER_STAFF,
    "cards.find_card": EVERYONE,
    "acts.find_act": EVERYONE,
    "card_link.link_card": EVERYONE,
    "loss_report.report_loss": COUNTER_STAFF,
    "loss_report.unfreeze_card": COUNTER_STAFF,
    # 参保登记与查询
    "persons.register_person": COUNTER_STAFF,
    "persons.search_persons": EVERYONE,
    "persons.get_person": EVERYONE,
    "persons.find_possible_duplicates": EVERYONE,
    "enrollment.suspend_enrollment": COUNTER_STAFF,
    "enrollment.resume_enrollment": COUNTER_STAFF,
    "enrollment.plan_enrollment": EVERYONE,
    "enrollment.enroll_person": COUNTER_STAFF,
    "enrollment.register_and_enroll": COUNTER_STAFF,
    # 参保（缴费）证明
    "certificate.issue_certificate": COUNTER_STAFF,
    # 职工医保在职转退休
    "retirement.assess_retirement_of": COUNTER_STAFF,
    "retirement.retire": COUNTER_STAFF,
    # 退费: a clerk takes the request, a supervisor reviews it
    "refund.request_refund": COUNTER_STAFF,
    "refund.review_refund": frozenset({SUPERVISOR}),
    "refund.pending_refunds": frozenset({SUPERVISOR}),
    # 改写社保卡信息
    "card_rewrite.check_card_rewrite": COUNTER_STAFF,
    "card_rewrite.record_card_rewrite": COUNTER_STAFF,
    # 办理进度查询: anyone may look; printing the 告知单 is a counter act
    "progress.open_matters": EVERYONE,
    "progress.issue_progress_notice": COUNTER_STAFF,
    # 异地就医备案: counter business; the list of a person's filings is a look-up
    "medical_filing.file_for_care_elsewhere": COUNTER_STAFF,
    "medical_filing.change_filing": COUNTER_STAFF,
    "medical_filing.cancel_filing": COUNTER_STAFF,
    "medical_filing.person_filings": EVERYONE,
    # 个人账户余额继承: a clerk takes the request, a supervisor approves the payment
    "inheritance.request_inheritance": COUNTER_STAFF,
    "inheritance.review_inheritance": frozenset({SUPERVISOR}),
    "inheritance.pending_inheritances": frozenset({SUPERVISOR}),
    # 参保信息变更 and its review
    "correction.submit_correction": COUNTER_STAFF,
    "correction.cancel_correction": COUNTER_STAFF,
    "correction.approve_correction": frozenset({SUPERVISOR}),
    "correction.reject_correction": frozenset({SUPERVISOR}),
    "correction.pending_corrections": frozenset({SUPERVISOR}),
    "correction.correction_history": EVERYONE,
    # 转移接续
    "transfer.transfer_out.start_transfer_out": COUNTER_STAFF,
    "transfer.transfer_out.record_contact_letter": COUNTER_STAFF,
    "transfer.transfer_out.issue_info_form": COUNTER_STAFF,
    "transfer.transfer_in.start_transfer_in": COUNTER_STAFF,
    "transfer.transfer_in.record_info_form": COUNTER_STAFF,
    "transfer.transfer_in.complete_transfer_in": COUNTER_STAFF,
    "transfer.cases.list_transfer_cases": EVERYONE,
    "transfer.cases.get_transfer_case": EVERYONE,
    "transfer.cases.overdue_transfers": EVERYONE,
    # 作废, 日结, 台账, 业务流水查询
    "void.void_transaction": frozenset({SUPERVISOR}),
    "day_close.close_day": frozenset({SUPERVISOR}),
    "ledger.daily_ledger": frozenset({SUPERVISOR, ADMIN}),
    "ledger.export_ledger": frozenset({SUPERVISOR, ADMIN}),
    "transactions.find_transaction": EVERYONE,
    # 凭证: printing an existing transaction's voucher, reprinting and checking one are look-ups
    # (audited), so the console account (an admin) can export them too.
    "vouchers.archive_voucher": EVERYONE,
    "vouchers.archived_voucher": EVERYONE,
    "vouchers.record_printed": EVERYONE,
    "vouchers.record_reprint": EVERYONE,
    "vouchers.voucher_source": EVERYONE,
    "vouchers.check_voucher": EVERYONE,
    # 用户
    "users.create_user": frozenset({ADMIN}),
    "users.set_user_role": frozenset({ADMIN}),
    "users.set_user_active": frozenset({ADMIN}),
    "users.list_users": frozenset({ADMIN}),
}

_WRAPPER_CODE = service(Permission.LOOK_UP)(lambda session, actor: None).__code__


def _service_functions() -> dict[str, Callable[..., Any]]:
    """Every function in medins_desk.services that the ``service`` decorator wraps, named by its
    module under medins_desk.services (a business split into a package, such as ``transfer``,
    has its acts one level down)."""
    found: dict[str, Callable[..., Any]] = {}
    prefix = "medins_desk.services."
    for info in pkgutil.walk_packages(medins_desk.services.__path__, prefix):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isfunction(value)
                and value.__module__ == module.__name__
                and value.__code__ is _WRAPPER_CODE
            ):
                found[f"{info.name.removeprefix(prefix)}.{name}"] = value
    return found


SERVICES = _service_functions()
ACTORS = {CLERK: "clerk", SUPERVISOR: "super", ADMIN: "admin"}


def test_every_service_function_has_its_roles_listed() -> None:
    assert sorted(SERVICES) == sorted(ALLOWED)


def _rows(desk: Desk) -> tuple[int, int]:
    with desk.session() as session:
        return (
            int(session.scalar(select(func.count()).select_from(Transaction)) or 0),
            int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0),
        )


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_the_service_checks_the_role(desk: Desk, name: str, role: Role) -> None:
    fn = SERVICES[name]
    actor = desk.actor(ACTORS[role])
    before = _rows(desk)
    with desk.session() as session:
        if role in ALLOWED[name]:
            try:
                fn(session, actor)
            except PermissionDenied as refused:  # pragma: no cover - the failure message
                pytest.fail(f"{role.label} should be allowed {name}: {refused.message}")
            except (TypeError, MedinsError):
                pass  # past the role check; the call lacks its arguments
        else:
            with pytest.raises(PermissionDenied) as refused:
                fn(session, actor)
            assert role.label in refused.value.message
            assert _rows(desk) == before
