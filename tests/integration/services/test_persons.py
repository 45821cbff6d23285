"""参保登记 and search, on a real store."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, func, select

from medins_desk.domain.identity import Sex
from medins_desk.errors import ConfirmationRequired, PermissionDenied, ValidationError
from medins_desk.services.persons import (
    DUPLICATE_LIMIT,
    SEARCH_LIMIT,
    find_possible_duplicates,
    get_person,
    register_person,
    search_persons,
)
from medins_desk.store.models import AuditEntry, Person, SerialCounter, Transaction
from tests.helpers.people import make_id, register
from tests.helpers.store import Desk


def test_registration_derives_birth_date_and_sex_and_writes_a_transaction(any_desk: Desk) -> None:
    with any_desk.session() as session:
        result = register(session, any_desk.actor("clerk"), name=" 张三 ", male=False)
    assert result.person.name == "张三"
    assert result.person.sex is Sex.FEMALE
    assert result.person.birth_date == date(1980, 5, 17)
    assert result.transaction.serial == "11010520261118001" + "00001"
    assert result.transaction.kind_label == "参保登记"
    assert result.person.enrollments[0].actual_months == 180


def test_lower_case_x_and_full_width_digits_are_accepted(desk: Desk) -> None:
    number = "11010519491231002X"
    typed = "１１０１０５１９４９１２３１００２x"
    with desk.session() as session:
        result = register_person(session, desk.actor("clerk"), id_number=typed, name="李四")
    assert result.person.id_number == number


def test_fifteen_digit_number_is_converted_and_found_by_its_alias(desk: Desk) -> None:
    with desk.session() as session:
        result = register_person(
            session, desk.actor("clerk"), id_number="110105491231002", name="王五"
        )
        assert result.person.id_number == "11010519491231002X"
        hits = search_persons(session, desk.actor("clerk"), text="110105491231002")
    assert [h.name for h in hits] == ["王五"]
    assert hits[0].masked_id_number == "110105********002X"


def test_form_birth_date_disagreeing_with_the_number_is_an_error(desk: Desk) -> None:
    with desk.session() as session, pytest.raises(ValidationError) as caught:
        register_person(
            session,
            desk.actor("clerk"),
            id_number="11010519491231002X",
            name="王五",
            birth_date=date(1949, 12, 30),
        )
    assert caught.value.field == "birth_date"


def test_duplicate_identity_number_is_refused(desk: Desk) -> None:
    with desk.session() as session:
        register(session, desk.actor("clerk"))
        with pytest.raises(ValidationError) as caught:
            register(session, desk.actor("clerk"), name="别人")
    assert caught.value.field == "identity_number"
    assert "已登记" in caught.value.message


def test_same_name_and_birth_date_needs_confirmation(desk: Desk) -> None:
    with desk.session() as session:
        register(session, desk.actor("clerk"), sequence=1)
        with pytest.raises(ConfirmationRequired) as caught:
            register(session, desk.actor("clerk"), sequence=2)
        assert caught.value.codes == {"possible_duplicate"}
        result = register(
            session,
            desk.actor("clerk"),
            sequence=2,
            acknowledged=caught.value.codes,
            duplicate_reason="户口簿核实为两人",
        )
    assert result.notices[0].code == "possible_duplicate"


def test_unknown_area_code_is_a_notice_not_a_refusal(desk: Desk) -> None:
    first17 = "56010119800517001"
    from medins_desk.domain.identity import check_character

    number = first17 + check_character(first17)
    with desk.session() as session:
        with pytest.raises(ConfirmationRequired) as caught:
            register_person(session, desk.actor("clerk"), id_number=number, name="赵六")
        assert caught.value.codes == {"unknown_area"}
        result = register_person(
            session,
            desk.actor("clerk"),
            id_number=number,
            name="赵六",
            acknowledged=frozenset({"unknown_area"}),
        )
    assert result.person.id_number == number


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "'; DROP TABLE persons; --"),
        ("name", "张三😀"),
        ("name", "张" * 200),
        ("name", ""),
        ("id_number", "'; DROP TABLE persons; --"),
        ("id_number", ""),
        ("phone", "12345"),
        ("postcode", "10000"),
    ],
)
def test_bad_input_is_refused_and_leaves_no_rows(desk: Desk, field: str, value: str) -> None:
    kwargs = {"id_number": make_id(date(1990, 1, 2)), "name": "钱七", field: value}
    with desk.session() as session:
        with pytest.raises(ValidationError) as caught:
            register_person(session, desk.actor("clerk"), **kwargs)  # type: ignore[arg-type]
        assert caught.value.message
        assert session.scalar(select(func.count(Person.id))) == 0
        assert session.scalar(select(func.count(Transaction.id))) == 0
        assert session.scalar(select(func.count(SerialCounter.last_seq))) == 0
        assert session.scalar(select(func.count(AuditEntry.id))) == 0


def test_failure_after_writes_rolls_everything_back(desk: Desk) -> None:
    """A failure in the middle of a service (here: a bad employer code on the enrollment, checked
    after the person row was flushed) leaves no rows and does not use up a serial."""
    from medins_desk.domain.enrollment import InsuranceType
    from medins_desk.services.persons import EnrollmentInput

    bad = EnrollmentInput(
        InsuranceType.EMPLOYEE, date(2020, 1, 1), "110105", employer_credit_code="X"
    )
    with desk.session() as session:
        with pytest.raises(ValidationError):
            register_person(
                session,
                desk.actor("clerk"),
                id_number=make_id(date(1990, 1, 2)),
                name="孙八",
                enrollment=bad,
            )
        assert session.scalar(select(func.count(Person.id))) == 0
        ok = register(session, desk.actor("clerk"))
    assert ok.transaction.serial.endswith("00001")


def test_search_by_initials_name_prefix_and_card_free_person(desk: Desk) -> None:
    with desk.session() as session:
        clerk = desk.actor("clerk")
        register(session, clerk, name="张三", sequence=1)
        register(session, clerk, name="张珊珊", sequence=2, birth=date(1990, 3, 4))
        register(session, clerk, name="李四", sequence=3)
        assert {h.name for h in search_persons(session, clerk, text="zs")} == {"张三", "张珊珊"}
        assert [h.name for h in search_persons(session, clerk, text="ZSS")] == ["张珊珊"]
        assert [h.name for h in search_persons(session, clerk, text="李四")] == ["李四"]
        assert len(search_persons(session, clerk, text="110105")) == 3
        assert search_persons(session, clerk, text="") == []
        assert search_persons(session, clerk, text="'; DROP TABLE persons; --") == []


def test_person_page_shows_the_full_number_and_lists_mask_it(desk: Desk) -> None:
    with desk.session() as session:
        registered = register(session, desk.actor("clerk"))
        page = get_person(session, desk.actor("clerk"), person_id=registered.person.id)
        hit = search_persons(session, desk.actor("clerk"), text="zs")[0]
    assert page.id_number == make_id(date(1980, 5, 17))
    assert "*" in hit.masked_id_number and page.id_number.endswith(hit.masked_id_number[-4:])


def test_admin_may_look_up_but_not_serve(desk: Desk) -> None:
    with desk.session() as session, pytest.raises(PermissionDenied):
        register(session, desk.actor("admin"))


def test_possible_duplicates_run_on_an_index_with_a_capped_list(desk: Desk) -> None:
    # DESIGN §4: the check must not scan the persons table (OpenMRS's per-keystroke stall).
    clerk = desk.actor("clerk")
    with desk.session() as session:
        for n in range(1, DUPLICATE_LIMIT + 3):
            register(
                session,
                clerk,
                sequence=n,
                acknowledged=frozenset({"possible_duplicate"}),
                duplicate_reason="测试用同名参保人",
            )
    statements: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM persons" in statement:
            statements.append((statement, parameters))

    engine = desk.store.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        with desk.session() as session:
            hits = find_possible_duplicates(
                session, clerk, name="张三", birth_date=date(1980, 5, 17)
            )
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert len(hits) == DUPLICATE_LIMIT
    assert all("*" in hit.masked_id_number for hit in hits)
    [(statement, parameters)] = statements
    with engine.connect() as conn:
        plan = " ".join(
            str(row[-1])
            for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        )
    assert "USING INDEX" in plan and "SCAN persons" not in plan, plan


def test_search_results_are_capped(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        for n in range(SEARCH_LIMIT + 2):
            register(session, clerk, birth=date(1960 + n, 1, 2))
        by_initials = search_persons(session, clerk, text="zs")
        by_name = search_persons(session, clerk, text="张三")
    assert len(by_initials) == len(by_name) == SEARCH_LIMIT
