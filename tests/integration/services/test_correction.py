"""参保信息变更/更正 on a real store: immediate and reviewed classes, approval, history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from stdnum import luhn

from medins_desk.domain.business import BusinessKind
from medins_desk.domain.contact import DebitHolderRelation
from medins_desk.domain.correction import (
    CorrectionClass,
    CorrectionField,
    CorrectionState,
    SupportingDocument,
)
from medins_desk.domain.identity import IdentityKind
from medins_desk.errors import (
    BusinessRuleError,
    ConfirmationRequired,
    PermissionDenied,
    ValidationError,
)
from medins_desk.services import correction as correction_module
from medins_desk.services.context import Actor
from medins_desk.services.correction import (
    PENDING_NOTICE,
    CorrectionReceipt,
    DebitAccountInput,
    approve_correction,
    cancel_correction,
    correction_history,
    pending_corrections,
    reject_correction,
    submit_correction,
)
from medins_desk.services.persons import get_person, search_persons
from medins_desk.store.models import (
    AuditEntry,
    BankDebitAccount,
    CorrectionRequest,
    FieldChange,
    Person,
    SerialCounter,
    Transaction,
)
from tests.helpers.people import make_id, register
from tests.helpers.store import Desk

F = CorrectionField
BIRTH = date(1980, 5, 17)
OWN_NUMBER = make_id(BIRTH)
DOCS = (SupportingDocument.HOUSEHOLD_REGISTER, SupportingDocument.ID_CARD)
GOOD_CARD = "622202020011223344" + luhn.calc_check_digit("622202020011223344")
BAD_CARD = GOOD_CARD[:-1] + str((int(GOOD_CARD[-1]) + 1) % 10)


def person(session: Session, actor: Actor, **extra: Any) -> int:
    return register(session, actor, **extra).person.id


def submit(session: Session, actor: Actor, person_id: int, **kwargs: Any) -> CorrectionReceipt:
    values: dict[str, Any] = {"changes": {}, "reason": "本人申请"} | kwargs
    return submit_correction(session, actor, person_id=person_id, **values)


def counts(session: Session) -> dict[str, int]:
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (CorrectionRequest, FieldChange, Transaction, AuditEntry, BankDebitAccount)
    } | {"serial": session.scalar(select(func.coalesce(func.sum(SerialCounter.last_seq), 0))) or 0}


def rows(receipt_rows: Any) -> list[tuple[str, str | None, str | None]]:
    return [(r.label, r.before, r.after) for r in receipt_rows]


# ---------------------------------------------------------------------------------------------
# Classes


def test_contact_fields_take_effect_at_once(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = person(session, clerk)
        receipt = submit(
            session, clerk, person_id,
            changes={F.PHONE: " 139 1186 2045 ", F.ADDRESS: "北京市西城区金融大街 1 号",
                     F.POSTCODE: "１０００３３"},
            reason="本人更换手机号码和住址",
        )  # fmt: skip
        page = get_person(session, clerk, person_id=person_id)
    assert receipt.transaction.kind is BusinessKind.CORRECTION
    assert (receipt.person_name, receipt.id_number) == ("张三", OWN_NUMBER)
    [request] = receipt.requests
    assert request.correction_class is CorrectionClass.IMMEDIATE
    assert (request.state, request.state_label, request.notice) == (
        CorrectionState.APPLIED, "已生效", "",
    )  # fmt: skip
    assert rows(request.rows) == [
        ("联系电话", None, "13911862045"),
        ("联系地址", None, "北京市西城区金融大街 1 号"),
        ("邮政编码", None, "100033"),
    ]
    assert (page.phone, page.postcode) == ("13911862045", "100033")


def test_identity_fields_wait_for_review(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = person(session, clerk)
        with pytest.raises(ConfirmationRequired) as caught:
            submit(session, clerk, person_id, changes={F.NAME: "王𠮷"}, documents=DOCS)
        assert caught.value.codes == {"name_manual_card"}
        receipt = submit(
            session, clerk, person_id, changes={F.NAME: "王𠮷"}, documents=DOCS,
            acknowledged=caught.value.codes,
        )  # fmt: skip
        page = get_person(session, clerk, person_id=person_id)
    [request] = receipt.requests
    assert request.correction_class is CorrectionClass.IDENTITY
    assert (request.state_label, request.notice) == ("待复核", PENDING_NOTICE)
    assert request.documents == ("户口簿", "居民身份证")
    assert rows(request.rows) == [("姓名", "张三", "王𠮷")]
    assert receipt.notices[0].code == "name_manual_card"
    assert page.name == "张三"  # not before a supervisor approves


def test_mixed_submission_gives_one_applied_and_one_pending_request(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        person_id = person(session, clerk)
        receipt = submit(
            session, clerk, person_id,
            changes={F.ETHNICITY: "回", F.PHONE: "13911862045"}, documents=DOCS,
        )  # fmt: skip
        stored = session.scalars(select(CorrectionRequest).order_by(CorrectionRequest.id)).all()
        corrections = session.scalar(
            select(func.count()).where(Transaction.kind == BusinessKind.CORRECTION)
        )
        page = get_person(session, clerk, person_id=person_id)
    applied, pending = receipt.requests
    assert (applied.state, pending.state) == (CorrectionState.APPLIED, CorrectionState.PENDING)
    assert rows(applied.rows) == [("联系电话", None, "13911862045")]
    assert rows(pending.rows) == [("民族", None, "回族")]
    assert pending.notice == PENDING_NOTICE
    assert corrections == 1
    assert {r.transaction_id for r in stored} == {stored[0].transaction_id}
    assert "联系电话（已生效）" in receipt.transaction.summary
    assert "民族（待复核）" in receipt.transaction.summary
    assert (page.phone, page.ethnicity) == ("13911862045", None)


def test_identity_change_needs_supporting_documents(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = person(session, clerk)
        before = counts(session)
        with pytest.raises(ValidationError) as caught:
            submit(session, clerk, person_id, changes={F.NAME: "张四", F.PHONE: "13911862045"})
        assert caught.value.field == "documents"
        assert counts(session) == before


# ---------------------------------------------------------------------------------------------
# Review


def test_the_submitter_never_reviews_their_own_request(desk: Desk) -> None:
    supervisor = desk.actor("super")
    with desk.session() as session:
        person_id = person(session, supervisor)
        request_id = (
            submit(session, supervisor, person_id, changes={F.NAME: "张四"}, documents=DOCS)
            .requests[0]
            .id
        )
        before = counts(session)
        with pytest.raises(BusinessRuleError, match="复核人不能是申请人本人"):
            approve_correction(session, supervisor, request_id=request_id)
        with pytest.raises(BusinessRuleError, match="复核人不能是申请人本人"):
            reject_correction(session, supervisor, request_id=request_id, reason="不同意")
        with pytest.raises(PermissionDenied):
            approve_correction(session, desk.actor("clerk"), request_id=request_id)
        assert counts(session) == before
        state = session.scalar(select(CorrectionRequest.state))
    assert state is CorrectionState.PENDING


def test_approval_by_another_supervisor_applies_and_keeps_before_and_after(
    any_desk: Desk,
) -> None:
    desk = any_desk
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    female_number = make_id(BIRTH, male=False)
    with desk.session() as session:
        person_id = person(session, clerk)
        submitted = submit(
            session, clerk, person_id,
            changes={F.NAME: "欧阳娜娜", F.IDENTITY_NUMBER: female_number.lower(), F.SEX: "女"},
            documents=(SupportingDocument.POLICE_CERTIFICATE,), reason="公安机关更正性别及姓名",
        )  # fmt: skip
        request_id = submitted.requests[0].id
        desk.clock.advance(hours=2)
        approved = approve_correction(
            session, supervisor, request_id=request_id, comment="材料齐全，同意"
        )
        stored = session.get_one(Person, person_id)
        assert (stored.name_initials, stored.sex, stored.id_kind) == (
            "oynn", "2", IdentityKind.RESIDENT,
        )  # fmt: skip
        hits = search_persons(session, clerk, text="oynn")
        history = correction_history(session, clerk, person_id=person_id)
    assert approved.transaction.kind is BusinessKind.CORRECTION_REVIEW
    assert (approved.person_name, approved.id_number) == ("欧阳娜娜", female_number)
    [request] = approved.requests
    assert (request.id, request.state) == (request_id, CorrectionState.APPLIED)
    assert [h.id for h in hits] == [person_id]
    [record] = history
    assert rows(record.rows) == [
        ("姓名", "张三", "欧阳娜娜"),
        ("社会保障号码", OWN_NUMBER, female_number),
        ("性别", "男", "女"),
    ]
    assert record.reason == "公安机关更正性别及姓名"
    assert record.documents == ("公安机关证明",)
    assert (record.submitted_by_name, record.reviewed_by_name) == ("测试clerk", "测试super")
    assert record.review_comment == "材料齐全，同意"
    assert record.applied_at == datetime(2026, 11, 18, 11, 30)
    assert record.transaction_serial == submitted.transaction.serial


def test_a_request_made_stale_by_a_later_change_is_not_approved(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        person_id = person(session, clerk)
        first = submit(session, clerk, person_id, changes={F.NAME: "张四"}, documents=DOCS)
        second = submit(session, clerk, person_id, changes={F.NAME: "张五"}, documents=DOCS)
        approve_correction(session, supervisor, request_id=first.requests[0].id)
        before = counts(session)
        with pytest.raises(BusinessRuleError) as refused:
            approve_correction(session, supervisor, request_id=second.requests[0].id)
        assert "提交后已被修改" in refused.value.message
        assert "申请时为「张三」，现为「张四」" in refused.value.message
        assert counts(session) == before
        assert session.get_one(Person, person_id).name == "张四"
        reject_correction(
            session, supervisor, request_id=second.requests[0].id, reason="信息已变更，请重新申请"
        )


def test_a_number_registered_by_someone_else_meanwhile_is_not_approved(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    new_number = make_id(BIRTH, sequence=7)
    with desk.session() as session:
        person_id = person(session, clerk)
        request_id = (
            submit(
                session, clerk, person_id, changes={F.IDENTITY_NUMBER: new_number}, documents=DOCS
            )
            .requests[0]
            .id
        )
        register(session, clerk, name="李四", sequence=7)
        with pytest.raises(BusinessRuleError, match="提交后已登记为其他参保人"):
            approve_correction(session, supervisor, request_id=request_id)


def test_rejection_keeps_its_reason(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        person_id = person(session, clerk)
        request_id = (
            submit(session, clerk, person_id, changes={F.ETHNICITY: "满族"}, documents=DOCS)
            .requests[0]
            .id
        )
        for empty in ("", "   "):
            with pytest.raises(ValidationError) as caught:
                reject_correction(session, supervisor, request_id=request_id, reason=empty)
            assert caught.value.field == "reason"
        rejected = reject_correction(
            session, supervisor, request_id=request_id, reason=" 户口簿民族栏与申请不符 "
        )
        with pytest.raises(BusinessRuleError, match="已驳回"):
            approve_correction(session, desk.actor("super2"), request_id=request_id)
        [record] = correction_history(session, clerk, person_id=person_id)
        ethnicity = session.get_one(Person, person_id).ethnicity
    assert rejected.transaction.kind is BusinessKind.CORRECTION_REVIEW
    assert rejected.requests[0].state_label == "已驳回"
    assert "户口簿民族栏与申请不符" in rejected.transaction.summary
    assert record.state is CorrectionState.REJECTED
    assert record.review_comment == "户口簿民族栏与申请不符"
    assert record.reviewed_by_name == "测试super"
    assert ethnicity is None


def test_cancelling_a_pending_request(desk: Desk) -> None:
    clerk, other, supervisor = desk.actor("clerk"), desk.actor("clerk2"), desk.actor("super")
    with desk.session() as session:
        person_id = person(session, clerk)
        mine = submit(session, clerk, person_id, changes={F.NAME: "张四"}, documents=DOCS)
        theirs = submit(session, other, person_id, changes={F.ETHNICITY: "01"}, documents=DOCS)
        applied = submit(session, clerk, person_id, changes={F.PHONE: "13911862045"})
        with pytest.raises(PermissionDenied):
            cancel_correction(session, clerk, request_id=theirs.requests[0].id)
        transactions = session.scalar(select(func.count(Transaction.id)))
        cancelled = cancel_correction(session, clerk, request_id=mine.requests[0].id)
        by_supervisor = cancel_correction(session, supervisor, request_id=theirs.requests[0].id)
        with pytest.raises(BusinessRuleError, match="只有待复核的申请可以撤销"):
            cancel_correction(session, clerk, request_id=applied.requests[0].id)
        with pytest.raises(BusinessRuleError, match="已撤销"):
            approve_correction(session, supervisor, request_id=mine.requests[0].id)
        assert session.scalar(select(func.count(Transaction.id))) == transactions
        audited = session.scalars(
            select(AuditEntry.entity_id).where(AuditEntry.action == "correction_cancel")
        ).all()
    assert (cancelled.state_label, cancelled.reviewed_by_name) == ("已撤销", "测试clerk")
    assert by_supervisor.reviewed_by_name == "测试super"
    assert sorted(audited) == sorted([str(mine.requests[0].id), str(theirs.requests[0].id)])


def test_pending_queue_oldest_first_with_masked_numbers(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    new_number = make_id(date(1980, 5, 17), sequence=9)
    with desk.session() as session:
        first = person(session, clerk, sequence=1)
        second = person(session, clerk, name="李四", sequence=2)
        older = submit(
            session, clerk, first, changes={F.IDENTITY_NUMBER: new_number}, documents=DOCS
        )
        desk.clock.advance(minutes=5)
        newer = submit(session, supervisor, second, changes={F.NAME: "李思"}, documents=DOCS)
        submit(session, clerk, first, changes={F.PHONE: "13911862045"})
        queue = pending_corrections(session, supervisor)
        with pytest.raises(PermissionDenied):
            pending_corrections(session, clerk)
        approve_correction(session, desk.actor("super2"), request_id=newer.requests[0].id)
        remaining = pending_corrections(session, supervisor)
    assert [q.id for q in queue] == [older.requests[0].id, newer.requests[0].id]
    assert queue[0].masked_id_number == "110105********" + OWN_NUMBER[-4:]
    assert queue[0].rows[0].after == "110105********" + new_number[-4:]
    assert (queue[0].submitted_by_name, queue[0].own) == ("测试clerk", False)
    assert (queue[1].person_name, queue[1].own) == ("李四", True)
    assert queue[1].submitted_at == datetime(2026, 11, 18, 9, 35)
    assert [q.id for q in remaining] == [older.requests[0].id]


def test_history_lists_everything_in_order(desk: Desk) -> None:
    clerk, supervisor = desk.actor("clerk"), desk.actor("super")
    with desk.session() as session:
        person_id = person(session, clerk)
        submit(session, clerk, person_id, changes={F.PHONE: "13911862045"}, reason="换号")
        desk.clock.advance(minutes=1)
        refused = submit(session, clerk, person_id, changes={F.NAME: "章三"}, documents=DOCS)
        reject_correction(session, supervisor, request_id=refused.requests[0].id, reason="无依据")
        desk.clock.advance(minutes=1)
        fixed = submit(session, clerk, person_id, changes={F.ETHNICITY: "03"}, documents=DOCS)
        approve_correction(session, supervisor, request_id=fixed.requests[0].id)
        desk.clock.advance(minutes=1)
        withdrawn = submit(session, clerk, person_id, changes={F.NAME: "张叁"}, documents=DOCS)
        cancel_correction(session, clerk, request_id=withdrawn.requests[0].id)
        history = correction_history(session, clerk, person_id=person_id)
    assert [(h.state, rows(h.rows)) for h in history] == [
        (CorrectionState.APPLIED, [("联系电话", None, "13911862045")]),
        (CorrectionState.REJECTED, [("姓名", "张三", "章三")]),
        (CorrectionState.APPLIED, [("民族", None, "回族")]),
        (CorrectionState.CANCELLED, [("姓名", "张三", "张叁")]),
    ]
    assert [h.submitted_at.minute for h in history] == [30, 31, 32, 33]
    assert [h.reviewed_by_name for h in history] == [None, "测试super", "测试super", "测试clerk"]
    assert history[0].reason == "换号" and history[1].review_comment == "无依据"
    assert history[0].documents == () and history[2].documents == ("户口簿", "居民身份证")
    assert len({h.transaction_serial for h in history}) == 4


# ---------------------------------------------------------------------------------------------
# Rules on new values


def test_identity_number_sex_and_birth_date_must_agree_after_the_change(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = person(session, clerk)
        register(session, clerk, name="李四", sequence=5)
        before = counts(session)
        refused = [
            ({F.SEX: "女"}, "sex"),
            ({F.BIRTH_DATE: "1980-05-18"}, "birth_date"),
            ({F.IDENTITY_NUMBER: make_id(BIRTH, male=False)}, "sex"),
            ({F.IDENTITY_NUMBER: make_id(date(1981, 5, 17))}, "birth_date"),
            ({F.IDENTITY_NUMBER: make_id(BIRTH, sequence=5)}, "identity_number"),  # 李四's
            ({F.IDENTITY_NUMBER: OWN_NUMBER[:-1] + "0"}, "identity_number"),  # check character
        ]
        for changes, field in refused:
            with pytest.raises(ValidationError) as caught:
                submit(session, clerk, person_id, changes=changes, documents=DOCS)
            assert caught.value.field == field, changes
        assert counts(session) == before
        accepted = submit(
            session, clerk, person_id,
            changes={F.IDENTITY_NUMBER: make_id(date(1981, 5, 17)), F.BIRTH_DATE: "19810517"},
            documents=DOCS,
        )  # fmt: skip
    assert rows(accepted.requests[0].rows)[1] == ("出生日期", "1980-05-17", "1981-05-17")


def test_unchanged_values_are_refused(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = person(session, clerk, phone="13911862045")
        for changes in ({F.PHONE: "139-1186-2045"}, {F.NAME: " 张三 "}, {F.SEX: "男"}):
            with pytest.raises(ValidationError, match="新值与原值相同"):
                submit(session, clerk, person_id, changes=changes, documents=DOCS)
        account = DebitAccountInput("中国工商银行", GOOD_CARD, DebitHolderRelation.SELF)
        submit(session, clerk, person_id, bank_account=account)
        with pytest.raises(ValidationError, match="新值与原值相同"):
            submit(session, clerk, person_id, bank_account=account)


@pytest.mark.parametrize("reason", ["", "  ", "因" * 201])
def test_a_reason_is_required(desk: Desk, reason: str) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = person(session, clerk)
        with pytest.raises(ValidationError) as caught:
            submit(session, clerk, person_id, changes={F.PHONE: "13911862045"}, reason=reason)
    assert caught.value.field == "reason"


def test_nothing_to_change_and_unknown_fields_are_refused(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = person(session, clerk)
        with pytest.raises(ValidationError, match="至少填写一项"):
            submit(session, clerk, person_id, changes={})
        with pytest.raises(ValidationError, match="未知的变更项目"):
            submit(session, clerk, person_id, changes={"salary": "1"})
        with pytest.raises(ValidationError, match="开户银行"):
            submit(session, clerk, person_id, changes={F.BANK_ACCOUNT: GOOD_CARD})


# ---------------------------------------------------------------------------------------------
# Bank debit account


RELATIVE = {
    "holder_name": "李梅",
    "holder_sex": "女",
    "holder_phone": "13801126734",
    "holder_address": "北京市东城区东四十条 20 号",
    "holder_postcode": "100007",
}


@pytest.mark.parametrize("missing", sorted(RELATIVE))
@pytest.mark.parametrize("blank", [None, "  "])
def test_a_relative_holder_needs_every_detail(desk: Desk, missing: str, blank: str | None) -> None:
    clerk = desk.actor("clerk")
    details: dict[str, Any] = RELATIVE | {missing: blank}
    account = DebitAccountInput("中国工商银行", GOOD_CARD, DebitHolderRelation.SPOUSE, **details)
    with desk.session() as session:
        person_id = person(session, clerk)
        before = counts(session)
        with pytest.raises(ValidationError) as caught:
            submit(session, clerk, person_id, bank_account=account)
        assert counts(session) == before
    assert caught.value.field == "debit_" + missing
    assert "配偶" in caught.value.message


def test_relative_and_own_debit_accounts_are_kept_with_readable_before_and_after(
    desk: Desk,
) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = person(session, clerk)
        own = submit(
            session, clerk, person_id, reason="开通银行代扣",
            bank_account=DebitAccountInput(" 中国工商银行 ", GOOD_CARD, DebitHolderRelation.SELF),
        )  # fmt: skip
        relative = submit(
            session, clerk, person_id, reason="改由配偶账户代扣",
            bank_account=DebitAccountInput(
                "中国建设银行", GOOD_CARD, DebitHolderRelation.SPOUSE, **RELATIVE
            ),
        )  # fmt: skip
        stored = session.scalars(select(BankDebitAccount)).one()
    assert rows(own.requests[0].rows) == [
        ("银行扣款账户", None, f"中国工商银行 {GOOD_CARD}（持有人：本人）")
    ]
    assert rows(relative.requests[0].rows) == [
        (
            "银行扣款账户",
            f"中国工商银行 {GOOD_CARD}（持有人：本人）",
            f"中国建设银行 {GOOD_CARD}（持有人：配偶 李梅，女，13801126734，"
            "北京市东城区东四十条 20 号，100007）",
        )
    ]
    assert relative.requests[0].state is CorrectionState.APPLIED
    assert (stored.bank_name, stored.holder_relation, stored.holder_sex) == (
        "中国建设银行", "spouse", "2",
    )  # fmt: skip


def test_a_card_number_failing_luhn_needs_the_clerks_confirmation(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    account = DebitAccountInput("农村信用社", BAD_CARD, DebitHolderRelation.SELF)
    with desk.session() as session:
        person_id = person(session, clerk)
        before = counts(session)
        with pytest.raises(ConfirmationRequired) as caught:
            submit(session, clerk, person_id, bank_account=account)
        assert caught.value.codes == {"bank_luhn"}
        assert counts(session) == before
        receipt = submit(
            session, clerk, person_id, bank_account=account, acknowledged=caught.value.codes
        )
        stored = session.scalars(select(BankDebitAccount.account_number)).one()
    assert stored == BAD_CARD
    assert [n.code for n in receipt.notices] == ["bank_luhn"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bank_name", ""),
        ("bank_name", "银行😀"),
        ("bank_name", "银" * 61),
        ("bank_account", "1234"),
        ("bank_account", "'; DROP TABLE persons; --"),
    ],
)
def test_bad_debit_account_input_is_refused(desk: Desk, field: str, value: str) -> None:
    clerk = desk.actor("clerk")
    values = {"bank_name": "中国银行", "account_number": GOOD_CARD}
    values["account_number" if field == "bank_account" else field] = value
    account = DebitAccountInput(holder_relation=DebitHolderRelation.SELF, **values)
    with desk.session() as session:
        person_id = person(session, clerk)
        with pytest.raises(ValidationError) as caught:
            submit(session, clerk, person_id, bank_account=account)
    assert caught.value.field == field


# ---------------------------------------------------------------------------------------------
# Bad input and rollback


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (F.NAME, "'; DROP TABLE persons; --"),
        (F.NAME, "张三😀"),
        (F.NAME, "张" * 200),
        (F.NAME, ""),
        (F.PHONE, "12345"),
        (F.PHONE, "'; DROP TABLE persons; --"),
        (F.POSTCODE, "10000"),
        (F.ADDRESS, "   "),
        (F.ETHNICITY, "火星族"),
        (F.BIRTH_DATE, "1980-13-01"),
        (F.IDENTITY_NUMBER, "'; DROP TABLE persons; --"),
    ],
)
def test_bad_input_is_refused_and_leaves_no_rows(
    desk: Desk, field: CorrectionField, value: str
) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person_id = person(session, clerk)
        before = counts(session)
        with pytest.raises(ValidationError) as caught:
            submit(session, clerk, person_id, changes={field: value}, documents=DOCS)
        assert caught.value.field == field.value
        assert caught.value.message
        assert counts(session) == before


def test_failure_in_the_middle_of_a_submission_rolls_everything_back(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The phone is written before the bank account fails: neither stays, nor the request, the
    transaction or its serial."""
    clerk = desk.actor("clerk")
    account = DebitAccountInput("中国银行", GOOD_CARD, DebitHolderRelation.SELF)
    with desk.session() as session:
        person_id = person(session, clerk)
        before = counts(session)

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("connection lost")

        with monkeypatch.context() as patch:
            patch.setattr(correction_module, "_store_debit_account", broken)
            with pytest.raises(RuntimeError):
                submit(
                    session, clerk, person_id, changes={F.PHONE: "13911862045"},
                    bank_account=account,
                )  # fmt: skip
        assert counts(session) == before
        assert session.get_one(Person, person_id).phone is None
        receipt = submit(session, clerk, person_id, changes={F.PHONE: "13911862045"})
    assert receipt.transaction.serial.endswith("00002")
