"""Counter-speed input: what a fast clerk or a keyboard-wedge scanner types is what opens.

A scanner types a burst of characters and Enter within milliseconds; ``QTest.keyClicks`` with
no delay does the same (every key is delivered before any worker answers). The store holds
thousands of people whose numbers share their first digits, so the searches of the partial
numbers typed on the way find other citizens, and in some runs the search worker is slowed on
purpose so those answers come late. Each test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import random
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

import ui.views.loss
from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.identity import mask_identity_number
from medins_desk.domain.voucher import sign_voucher_payload
from medins_desk.services import persons
from medins_desk.services.cards import find_card
from medins_desk.services.demo import seed_demo
from medins_desk.services.loss_report import LossAct
from medins_desk.services.persons import PersonDetail, get_person, search_persons
from medins_desk.settings import Settings
from medins_desk.store.models import Card, Person, Transaction, TransferCase
from tests.helpers.gui import texts_showing
from tests.helpers.store import HALL, Desk
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.views.lookup import ActBar

CROWD = 20_000  # people in the store: partial numbers match many of them


@pytest.fixture
def crowd(any_desk: Desk) -> Desk:
    """A store of ``CROWD`` people and a demo day's business, on SQLite and PostgreSQL."""
    seed_demo(
        any_desk.store.sessions, persons=CROWD, counter=any_desk.counter, random_seed=19,
        if_empty=False, clock=any_desk.clock,
    )  # fmt: skip
    return any_desk


def _counter(qtbot: QtBot, desk: Desk, username: str = "clerk") -> Iterator[MainWindow]:
    url = desk.store.engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, hall_code=HALL, counter_no="001")
    context = AppContext(settings)
    context.store = desk.store
    context.set_actor(desk.actor(username))
    # Closed here, once its workers have answered (pytest-qt's addWidget would delete it before
    # this fixture's teardown, while answers may still be on their way).
    window = MainWindow(context)
    window.show()
    yield window
    _settle(qtbot, window)
    window.close()
    context.runner.wait()
    window.deleteLater()


@pytest.fixture
def window(qtbot: QtBot, crowd: Desk) -> Iterator[MainWindow]:
    yield from _counter(qtbot, crowd)


@pytest.fixture
def supervisor_window(qtbot: QtBot, crowd: Desk) -> Iterator[MainWindow]:
    yield from _counter(qtbot, crowd, "super")


# Never set: waiting on it is latency added to a worker (the GUI thread never waits on it).
_LATENCY = threading.Event()


def _slow_searches(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """Each search answers 0-40 ms late, at random: the answers of the partial numbers typed
    before Enter arrive after it."""
    real_find = persons.PersonLookup.find
    rng = random.Random(seed)

    def slow_find(self: persons.PersonLookup, text: str) -> list[persons.PersonHit]:
        _LATENCY.wait(rng.uniform(0, 0.04))  # in the search worker: a slow database, on purpose
        return real_find(self, text)

    monkeypatch.setattr(persons.PersonLookup, "find", slow_find)


def _busy(window: MainWindow) -> bool:
    return window.context.runner.busy or window.lookup.model._searches.busy


def _settle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not _busy(window), timeout=30_000)


def _scan(window: MainWindow, text: str) -> None:
    """Type ``text`` and Enter into the search box at machine speed."""
    box = window.lookup.search
    box.setFocus()
    box.selectAll()
    QTest.keyClicks(box, text)
    QTest.keyClick(box, Qt.Key.Key_Return)


def _sample(desk: Desk, count: int, seed: int) -> list[tuple[int, str]]:
    with desk.session() as session:
        rows = list(session.execute(select(Person.id, Person.id_number).order_by(Person.id)))
    return random.Random(seed).sample([(row[0], row[1]) for row in rows], count)


def _card_holders_sample(desk: Desk, count: int, seed: int) -> list[tuple[int, str]]:
    """People whose card is in use, so a loss act can be done for them."""
    with desk.session() as session:
        rows = session.execute(
            select(Person.id, Person.id_number)
            .join(Card, Card.person_id == Person.id)
            .where(Card.state == "active")
            .order_by(Person.id)
        )
        holders = [(row[0], row[1]) for row in rows]
    return random.Random(seed).sample(holders, count)


def _two_card_holders(desk: Desk) -> tuple[PersonDetail, PersonDetail]:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        first, second = session.scalars(
            select(Card.person_id).where(Card.state == "active").order_by(Card.id).limit(2)
        )
        return (
            get_person(session, clerk, person_id=first),
            get_person(session, clerk, person_id=second),
        )


def _served_id(window: MainWindow) -> int | None:
    person = window.context.served.person
    return person.id if person is not None else None


def _assert_everything_shows(window: MainWindow, person: PersonDetail) -> None:
    assert window.person_panel.title.text().startswith(person.name)
    assert person.id_number in window.person_panel.details.text()
    assert person.name in window.card_application.applicant.text()
    assert person.name in window.correction.heading.text()
    assert window.transfer.person is not None and window.transfer.person.id == person.id


@pytest.mark.parametrize("slow", [False, True], ids=["as-is", "slowed"])
def test_a_burst_of_an_identity_number_and_enter_opens_exactly_that_person(
    qtbot: QtBot, crowd: Desk, window: MainWindow, monkeypatch: pytest.MonkeyPatch, slow: bool
) -> None:
    if slow:
        _slow_searches(monkeypatch, seed=7)
    for person_id, id_number in _sample(crowd, 12, seed=1):
        _scan(window, id_number)
        qtbot.waitUntil(lambda pid=person_id: _served_id(window) == pid, timeout=10_000)
        _settle(qtbot, window)
        served = window.context.served.person
        assert served is not None and served.id_number == id_number
        _assert_everything_shows(window, served)


def test_two_scans_in_a_row_open_the_second(
    qtbot: QtBot, crowd: Desk, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _slow_searches(monkeypatch, seed=3)
    (_, first), (second_id, second) = _sample(crowd, 2, seed=2)
    _scan(window, first)
    _scan(window, second)  # before the first has opened
    qtbot.waitUntil(lambda: _served_id(window) == second_id, timeout=10_000)
    _settle(qtbot, window)
    assert _served_id(window) == second_id


def test_enter_on_initials_opens_the_first_match_of_that_text_only(
    qtbot: QtBot, crowd: Desk, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _slow_searches(monkeypatch, seed=5)
    clerk = crowd.actor("clerk")
    for text in ("zw", "wx", "lj"):
        with crowd.session() as session:
            expected = search_persons(session, clerk, text=text)
        assert expected, f"the demo population has people with initials {text}"
        _scan(window, text)
        qtbot.waitUntil(lambda e=expected: _served_id(window) == e[0].id, timeout=10_000)
        _settle(qtbot, window)
        assert _served_id(window) == expected[0].id


def test_a_number_nobody_has_opens_nobody_and_says_so(
    qtbot: QtBot, crowd: Desk, window: MainWindow
) -> None:
    (person_id, id_number), _ = _sample(crowd, 2, seed=4)
    _scan(window, id_number)
    qtbot.waitUntil(lambda: _served_id(window) == person_id, timeout=10_000)
    _scan(window, "11010519491231002X")  # valid, and nobody's in this store
    qtbot.waitUntil(lambda: "没有找到" in window.lookup.status.text(), timeout=10_000)
    _settle(qtbot, window)
    assert window.context.served.person is None
    assert window.person_panel.title.text() == "当前未选择参保人"


def test_results_of_an_older_text_cannot_be_opened(
    qtbot: QtBot, crowd: Desk, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    (_, id_number), _ = _sample(crowd, 2, seed=6)
    view = window.lookup
    QTest.keyClicks(view.search, id_number[:8])
    qtbot.waitUntil(lambda: view.table.isEnabled() and view.table.rowCount() > 1, timeout=10_000)
    _slow_searches(monkeypatch, seed=8)
    QTest.keyClicks(view.search, id_number[8:12])
    assert not view.table.isEnabled()  # the listed people are of the older text
    view._open_row(1)  # as a double-click on a listed row would
    assert window.context.served.person is None
    _settle(qtbot, window)


def test_a_card_number_scanned_opens_its_holder(
    qtbot: QtBot, crowd: Desk, window: MainWindow
) -> None:
    with crowd.session() as session:
        cards = list(
            session.execute(
                select(Card.person_id, Card.card_number)
                .where(Card.card_number.is_not(None))
                .order_by(Card.id)
                .limit(5)
            )
        )
    assert cards
    for person_id, number in cards:
        _scan(window, number)
        qtbot.waitUntil(lambda pid=person_id: _served_id(window) == pid, timeout=10_000)


def _an_act(desk: Desk, *, voidable: bool) -> Transaction:
    """An act of the demo business done for a person: one of today that a supervisor may void,
    or one of an earlier day, which nobody may."""
    today = desk.clock().date()
    day = Transaction.business_day == today if voidable else Transaction.business_day < today
    with desk.session() as session:
        txn = session.scalar(
            select(Transaction)
            .where(day, Transaction.person_id.is_not(None), Transaction.kind.in_(VOIDABLE))
            .where(Transaction.status == TransactionStatus.NORMAL)
            .order_by(Transaction.id.desc())
            .limit(1)
        )
        assert txn is not None, "the demo business has such an act"
        session.expunge(txn)
        return txn


VOIDABLE = [BusinessKind.LOSS_TEMPORARY, BusinessKind.LOSS_FORMAL, BusinessKind.CARD_APPLICATION]


def test_a_scanned_serial_opens_the_act_and_its_citizen(
    qtbot: QtBot, crowd: Desk, window: MainWindow
) -> None:
    txn = _an_act(crowd, voidable=True)
    _scan(window, txn.serial)
    qtbot.waitUntil(lambda: _served_id(window) == txn.person_id, timeout=10_000)
    panel = window.person_panel
    qtbot.waitUntil(lambda: panel.selected_serial() == txn.serial, timeout=10_000)
    bar = window.lookup.act_bar
    assert bar.isVisible() and txn.serial in bar.description.text()
    assert bar.print_button.isEnabled() and bar.preview_button.isEnabled()
    assert not bar.void_button.isVisible()  # a clerk does not void


def _scanned(
    qtbot: QtBot, desk: Desk, window: MainWindow, *, voidable: bool
) -> tuple[Transaction, ActBar]:
    """An act of the demo business scanned into the search box, found and shown."""
    txn = _an_act(desk, voidable=voidable)
    _scan(window, txn.serial)
    bar = window.lookup.act_bar
    qtbot.waitUntil(lambda: bar.found is not None, timeout=10_000)
    return txn, bar


def test_a_supervisor_scanning_a_serial_is_led_to_void_it(
    qtbot: QtBot, crowd: Desk, supervisor_window: MainWindow
) -> None:
    window = supervisor_window
    txn, bar = _scanned(qtbot, crowd, window, voidable=True)
    assert bar.void_button.isVisible() and bar.void_button.isEnabled(), bar.void_button.toolTip()
    bar.void_button.click()
    ledger = window.ledger
    assert ledger is not None and window.views.currentWidget() is ledger
    qtbot.waitUntil(lambda: ledger._selected_serial() == txn.serial, timeout=10_000)
    assert ledger.reason.hasFocus()


def test_a_serial_whose_act_cannot_be_voided_says_why(
    qtbot: QtBot, crowd: Desk, supervisor_window: MainWindow
) -> None:
    _txn, bar = _scanned(qtbot, crowd, supervisor_window, voidable=False)
    assert not bar.void_button.isEnabled()
    assert "只能作废当日业务" in bar.void_button.toolTip()


def test_a_scanned_voucher_qr_code_opens_the_act_and_a_forged_one_is_refused(
    qtbot: QtBot, crowd: Desk, window: MainWindow
) -> None:
    txn = _an_act(crowd, voidable=True)
    payload = sign_voucher_payload(
        window.context.settings.hall_secret, serial=txn.serial, hall_code=txn.hall_code,
        kind=txn.kind,
    )  # fmt: skip
    _scan(window, payload)
    qtbot.waitUntil(lambda: _served_id(window) == txn.person_id, timeout=10_000)
    forged = payload[:-4] + ("0000" if not payload.endswith("0000") else "1111")
    _scan(window, forged)
    qtbot.waitUntil(lambda: "防伪码校验失败" in window.lookup.status.text(), timeout=10_000)
    _settle(qtbot, window)
    assert window.context.served.person is None


def test_an_unknown_serial_says_so(qtbot: QtBot, crowd: Desk, window: MainWindow) -> None:
    _scan(window, f"{HALL}20261118099" + "99999")
    qtbot.waitUntil(lambda: "没有业务流水号" in window.lookup.status.text(), timeout=10_000)
    assert window.context.served.person is None


def test_a_slow_card_state_of_the_last_citizen_never_shows_for_the_next(
    qtbot: QtBot, crowd: Desk, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Serve A, then B at once; A's card state answers only after B's is on screen. The loss
    form shows B's card, and its acts are for B's card."""
    first, second = _two_card_holders(crowd)
    answer_for_first = threading.Event()

    def held_for_first(session: Any, actor: Any, **kwargs: Any) -> Any:
        if kwargs.get("id_number") == first.id_number:
            answer_for_first.wait(10)  # in its worker, until the test lets it go
        return find_card(session, actor, **kwargs)

    monkeypatch.setattr(ui.views.loss, "find_card", held_for_first)
    window.show_view(window.views.indexOf(window.loss))
    window.serve(first)
    window.serve(second)
    qtbot.waitUntil(lambda: second.name in window.loss.card_label.text(), timeout=10_000)
    answer_for_first.set()  # A's card state comes last
    _settle(qtbot, window)
    status = window.loss.model.status
    assert status is not None and status.person_name == second.name
    assert second.name in window.loss.card_label.text()
    assert first.name not in window.loss.card_label.text()


def test_a_confirmation_asked_for_the_last_citizen_is_withdrawn(
    qtbot: QtBot, crowd: Desk, window: MainWindow
) -> None:
    first, second = _two_card_holders(crowd)
    window.show_view(window.views.indexOf(window.loss))
    window.serve(first)
    view = window.loss
    qtbot.waitUntil(lambda: view.buttons[LossAct.TEMPORARY].isEnabled(), timeout=10_000)
    view.buttons[LossAct.TEMPORARY].click()
    qtbot.waitUntil(lambda: view._confirmation is not None, timeout=5_000)
    box = view._confirmation
    assert box is not None
    window.serve(second)  # the next citizen steps up before the clerk answers
    assert not box.isVisible()
    box.button(QMessageBox.StandardButton.Yes).click()
    _settle(qtbot, window)
    with crowd.session() as session:
        card = find_card(session, crowd.actor("clerk"), id_number=first.id_number)
    assert card is not None and card.state.value == "active"


# A burst of random keys at scanner speed across every view -----------------------------------

_KEYS: list[tuple[str, Callable[[QWidget], None]]] = [
    ("F2", lambda w: QTest.keyClick(w, Qt.Key.Key_F2)),
    ("F3", lambda w: QTest.keyClick(w, Qt.Key.Key_F3)),
    ("F4", lambda w: QTest.keyClick(w, Qt.Key.Key_F4)),
    ("F5", lambda w: QTest.keyClick(w, Qt.Key.Key_F5)),
    ("F6", lambda w: QTest.keyClick(w, Qt.Key.Key_F6)),
    ("Shift+F7", lambda w: QTest.keyClick(w, Qt.Key.Key_F7, Qt.KeyboardModifier.ShiftModifier)),
    ("F8", lambda w: QTest.keyClick(w, Qt.Key.Key_F8)),
    ("F9", lambda w: QTest.keyClick(w, Qt.Key.Key_F9)),
    ("F11", lambda w: QTest.keyClick(w, Qt.Key.Key_F11)),
    ("F12", lambda w: QTest.keyClick(w, Qt.Key.Key_F12)),
    ("Shift+F12", lambda w: QTest.keyClick(w, Qt.Key.Key_F12, Qt.KeyboardModifier.ShiftModifier)),
    ("Tab", lambda w: QTest.keyClick(w, Qt.Key.Key_Tab)),
    ("Space", lambda w: QTest.keyClick(w, Qt.Key.Key_Space)),
    ("Return", lambda w: QTest.keyClick(w, Qt.Key.Key_Return)),
    ("Escape", lambda w: QTest.keyClick(w, Qt.Key.Key_Escape)),
    ("Down", lambda w: QTest.keyClick(w, Qt.Key.Key_Down)),
    ("digits", lambda w: QTest.keyClicks(w, "1101")),
    ("letters", lambda w: QTest.keyClicks(w, "zs")),
]


@pytest.mark.parametrize(
    ("username", "seed"), [("clerk", 11), ("clerk", 12), ("clerk", 13), ("super", 14)]
)
def test_random_bursts_never_crash_nor_act_for_anyone_but_the_person_on_screen(
    qtbot: QtBot, crowd: Desk, monkeypatch: pytest.MonkeyPatch, username: str, seed: int
) -> None:
    """Random keys, shortcuts, clicks, scanned numbers and serials at scanner speed, as a clerk
    and as a supervisor (whose ledger and review views act on what they list)."""
    windows = _counter(qtbot, crowd, username)
    window = next(windows)
    rng = random.Random(seed)
    _slow_searches(monkeypatch, seed=seed)
    context = window.context
    unexpected: list[BaseException] = []
    context.runner.unexpected = unexpected.append
    people = _card_holders_sample(crowd, 8, seed=seed)
    serials = _todays_serials(crowd)
    # Each act as it was asked for: its arguments, and what was on screen (the citizen served;
    # for a step of a transfer case, the case selected in the list).
    acts: list[tuple[str, dict[str, Any], int | str | None]] = []
    real_call = context.call

    def watched(service: Callable[..., Any], **kwargs: Any) -> None:
        name = getattr(service, "__name__", "")
        if name in _ACTS:
            acts.append((name, dict(kwargs), _served_id(window)))
        elif name in _CASE_STEPS:
            case = window.transfer._case()
            acts.append((name, dict(kwargs), case.id if case is not None else None))
        elif name in _DECISIONS and window.review is not None:
            request = window.review._current()
            acts.append((name, dict(kwargs), request.id if request is not None else None))
        elif name == "void_transaction" and window.ledger is not None:
            acts.append((name, dict(kwargs), window.ledger._selected_serial()))
        real_call(service, **kwargs)

    monkeypatch.setattr(context, "call", watched)
    with crowd.session() as session:
        before = session.scalar(select(Transaction.id).order_by(Transaction.id.desc()).limit(1))
    for _ in range(300):
        roll = rng.random()
        if roll < 0.15:
            _scan(window, rng.choice(people)[1])
            continue
        if roll < 0.2:
            _scan(window, rng.choice(serials))
            continue
        if roll < 0.3:  # F4 and, once the card's state is in, one of its acts
            QTest.keyClick(window, Qt.Key.Key_F4)
            qtbot.wait(rng.choice((5, 20, 50)))
            buttons = [b for b in window.loss.buttons.values() if b.isEnabled()]
            if buttons:
                rng.choice(buttons).click()
            continue
        if roll < 0.4:  # a click on whatever button of the open view can be clicked
            buttons = [
                b for b in window.views.currentWidget().findChildren(QPushButton)
                if b.isVisible() and b.isEnabled() and b.objectName() not in NO_CLICK
            ]  # fmt: skip
            if buttons:
                rng.choice(buttons).click()
            continue
        _name, press = rng.choice(_KEYS)
        target = window.focusWidget() or window
        press(target)
        qtbot.wait(rng.choice((0, 0, 1, 5, 20)))  # a burst, then whatever answered is shown
        for box in window.findChildren(QMessageBox):  # a confirmation answered at once
            if box.isVisible() and rng.random() < 0.5:
                box.button(QMessageBox.StandardButton.Yes).click()
    _settle(qtbot, window)
    assert not unexpected
    assert acts, "the burst did business acts"
    card_holders, case_holders = _card_holders(crowd), _case_holders(crowd)
    for name, kwargs, on_screen in acts:
        if "request_id" in kwargs:
            assert kwargs["request_id"] == on_screen, name
        elif name == "void_transaction":
            assert kwargs["serial"] == on_screen, name
        elif "case_id" in kwargs:
            assert kwargs["case_id"] == on_screen, name
        elif "person_id" in kwargs:
            assert kwargs["person_id"] == on_screen, name
        if "card_id" in kwargs:
            assert card_holders[kwargs["card_id"]] == on_screen, name
    with crowd.session() as session:
        done = list(session.scalars(select(Transaction).where(Transaction.id > (before or 0))))
    asked_for = {
        kw.get("person_id")
        or card_holders.get(kw.get("card_id"))
        or case_holders.get(kw.get("case_id"))
        for _name, kw, _on_screen in acts
    }  # fmt: skip
    decided = {kw["request_id"] for name, kw, _on in acts if name in _DECISIONS}
    for txn in done:  # every act recorded was one asked for, as above
        if txn.kind is BusinessKind.CORRECTION_REVIEW:
            assert decided, txn.serial  # a decision on a listed request
        else:
            assert txn.person_id in asked_for, (txn.serial, txn.kind)
    with contextlib.suppress(StopIteration):
        next(windows)  # closes the window


def _todays_serials(desk: Desk) -> list[str]:
    with desk.session() as session:
        return list(
            session.scalars(
                select(Transaction.serial).where(Transaction.business_day == desk.clock().date())
            )
        )


# Buttons that open a file dialog: a burst does not choose files.
NO_CLICK = {"choose_photo", "export"}
_ACTS = {"report_loss", "unfreeze_card", "apply_for_card", "submit_correction",
         "suspend_enrollment", "start_transfer_out", "start_transfer_in",
         "issue_certificate", "retire"}  # fmt: skip
_DECISIONS = {"approve_correction", "reject_correction"}
_CASE_STEPS = {"record_contact_letter", "issue_info_form", "record_info_form",
               "complete_transfer_in"}  # fmt: skip


def _case_holders(desk: Desk) -> dict[int, int]:
    with desk.session() as session:
        rows = session.execute(select(TransferCase.id, TransferCase.person_id))
        return {case: person for case, person in rows}


def _card_holders(desk: Desk) -> dict[int, int]:
    with desk.session() as session:
        return {card: person for card, person in session.execute(select(Card.id, Card.person_id))}


def test_serving_the_next_citizen_leaves_nothing_of_the_last_on_screen(
    qtbot: QtBot, crowd: Desk, window: MainWindow
) -> None:
    first, second = _two_card_holders(crowd)
    _scan(window, first.id_number)
    qtbot.waitUntil(lambda: _served_id(window) == first.id, timeout=10_000)
    window.show_view(window.views.indexOf(window.loss))
    view = window.loss
    qtbot.waitUntil(lambda: view.buttons[LossAct.TEMPORARY].isEnabled(), timeout=10_000)
    view.buttons[LossAct.TEMPORARY].click()
    qtbot.waitUntil(lambda: view._confirmation is not None, timeout=5_000)
    assert view._confirmation is not None
    view._confirmation.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "业务流水号" in view.receipt.toPlainText(), timeout=10_000)
    qtbot.waitUntil(lambda: view.voucher_bar.voucher is not None, timeout=20_000)
    window.show_view(window.views.indexOf(window.lookup))
    _scan(window, second.id_number)
    qtbot.waitUntil(lambda: _served_id(window) == second.id, timeout=10_000)
    _settle(qtbot, window)
    left = texts_showing(
        window, (first.name, first.id_number, mask_identity_number(first.id_number))
    )
    assert not left, left
