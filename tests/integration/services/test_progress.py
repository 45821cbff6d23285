"""办理进度查询: the open matters of a citizen, and the 办理进度告知单 as an act."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.card import CardApplicationKind
from medins_desk.domain.correction import CorrectionField, SupportingDocument
from medins_desk.errors import NotFound
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.correction import approve_correction, submit_correction
from medins_desk.services.progress import issue_progress_notice, open_matters
from medins_desk.services.void import void_transaction
from medins_desk.services.vouchers import voucher_source
from medins_desk.store.models import AuditEntry, Transaction
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk
from tests.integration.services.test_transfer import enrol, open_transfer_in

OPENED = datetime(2026, 9, 28, 9, 0)  # the Monday before National Day 2026
DOCS = (SupportingDocument.HOUSEHOLD_REGISTER, SupportingDocument.ID_CARD)


def test_each_open_matter_with_its_stage_and_next_step(any_desk: Desk) -> None:
    any_desk.clock.set(OPENED)
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        person_id = enrol(session, clerk, start=date(2026, 9, 1), balance_fen=0)
        card = apply_for_card(
            session, clerk, person_id=person_id, kind=CardApplicationKind.FIRST,
            photo=valid_photo(),
        )  # fmt: skip
        transfer = open_transfer_in(session, clerk, person_id)
        correction = submit_correction(
            session, clerk, person_id=person_id, changes={CorrectionField.NAME: "张叁"},
            documents=DOCS, reason="公安机关更正姓名",
        )  # fmt: skip
        matters = open_matters(session, clerk, person_id=person_id)

    assert [(m.business, m.stage) for m in matters] == [
        ("社保卡申领（首次申领）", "申领受理"),
        ("医保关系转入（四川省成都市医疗保障局）", "联系函已发出"),
        ("参保信息变更", "待复核"),
    ]
    assert [m.serial for m in matters] == [
        card.transaction.serial,
        transfer.transaction.serial,
        correction.transaction.serial,
    ]
    assert all(m.since == OPENED.date() for m in matters)
    assert "期限 2026-10-" in matters[1].next_step and "已超过" not in matters[1].next_step
    assert "复核" in matters[2].next_step


def test_a_transfer_past_its_deadline_says_so(desk: Desk) -> None:
    desk.clock.set(OPENED)
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = enrol(session, clerk, start=date(2026, 9, 1), balance_fen=0)
        open_transfer_in(session, clerk, person_id)
    desk.clock.advance(days=60)
    with desk.session() as session:
        (matter,) = open_matters(session, clerk, person_id=person_id)
    assert "已超过期限" in matter.next_step


def test_finished_matters_are_not_open(desk: Desk) -> None:
    clerk, reviewer = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        person_id = enrol(session, clerk)
        apply_for_card(
            session, clerk, person_id=person_id, kind=CardApplicationKind.FIRST,
            photo=valid_photo(), instant=True,
        )  # fmt: skip
        submitted = submit_correction(
            session, clerk, person_id=person_id, changes={CorrectionField.NAME: "张叁"},
            documents=DOCS, reason="公安机关更正姓名",
        )  # fmt: skip
        assert len(open_matters(session, clerk, person_id=person_id)) == 1
        approve_correction(session, reviewer, request_id=submitted.requests[0].id)
        assert open_matters(session, clerk, person_id=person_id) == []


def test_the_notice_is_an_act_and_its_reprint_keeps_what_was_printed(any_desk: Desk) -> None:
    clerk, reviewer = any_desk.actor("clerk"), any_desk.actor("super")
    with any_desk.session() as session:
        person_id = enrol(session, clerk)
        submitted = submit_correction(
            session, clerk, person_id=person_id, changes={CorrectionField.NAME: "张叁"},
            documents=DOCS, reason="公安机关更正姓名",
        )  # fmt: skip
        notice = issue_progress_notice(session, clerk, person_id=person_id)
        approve_correction(session, reviewer, request_id=submitted.requests[0].id)
    with any_desk.session() as session:
        txn = session.scalars(
            select(Transaction).where(Transaction.serial == notice.transaction.serial)
        ).one()
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == notice.transaction.serial)
        ).all()
        reprint = voucher_source(session, clerk, serial=notice.transaction.serial)
    assert txn.kind is BusinessKind.PROGRESS_NOTICE and txn.fee_fen == 0
    assert txn.summary == "办理进度告知 张三：在办 1 项"
    assert len(entries) == 1
    assert reprint == notice  # the matters as printed, though the correction is now done
    assert notice.matters[0].stage == "待复核" and notice.person_name == "张三"


def test_a_notice_with_nothing_open_and_its_void(any_desk: Desk) -> None:
    clerk, supervisor = any_desk.actor("clerk"), any_desk.actor("super")
    with any_desk.session() as session:
        person_id = enrol(session, clerk)
        notice = issue_progress_notice(session, clerk, person_id=person_id)
        assert notice.matters == ()
        assert notice.transaction.summary.endswith("无在办事项")
        voided = void_transaction(
            session, supervisor, serial=notice.transaction.serial, reason="重复打印"
        )
        status = session.scalar(
            select(Transaction.status).where(Transaction.serial == notice.transaction.serial)
        )
    assert voided.undone == "告知单作废，无业务数据需恢复"
    assert status is TransactionStatus.VOID


def test_an_unknown_person_is_named_not_found(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session, pytest.raises(NotFound, match="参保人"):
        open_matters(session, clerk, person_id=999_999)
    with desk.session() as session, pytest.raises(NotFound, match="参保人"):
        issue_progress_notice(session, clerk, person_id=999_999)
