"""社保卡申领 in the main window: photo check and fit, guardian for minors, confirmations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from medins_desk.domain.card import CardApplicationKind, CardState, ReplacementReason
from medins_desk.services.card_application import apply_for_card
from medins_desk.store.models import Card
from tests.helpers.gui import registered, serving
from tests.helpers.photos import make_photo, valid_photo
from tests.helpers.store import Desk
from ui.context import AppContext
from ui.main_window import MainWindow


def _window(qtbot: QtBot, desk: Desk, context: AppContext, **person: object) -> MainWindow:
    return serving(qtbot, context, registered(desk, **person), lambda w: w.card_application)


def _photo(qtbot: QtBot, window: MainWindow, path: Path, data: bytes) -> None:
    path.write_bytes(data)
    view = window.card_application
    view.model.load_photo(path)
    qtbot.waitUntil(lambda: view.photo_problems.text() != "", timeout=10_000)


def test_a_first_card_with_a_photo_that_needs_fitting(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, tmp_path: Path
) -> None:
    window = _window(qtbot, desk, signed_in)
    view = window.card_application
    assert view.fee.text() == "0.00 元"
    view.submit.click()
    assert view.message.text() == "请先导入照片"
    _photo(qtbot, window, tmp_path / "big.png", make_photo(size=(716, 882), image_format="PNG"))
    assert "JPEG" in view.photo_problems.text() or "像素" in view.photo_problems.text()
    assert view.fit_button.isEnabled()
    view.fit_button.click()
    qtbot.waitUntil(lambda: view.photo_problems.text() == "照片符合制卡要求", timeout=10_000)
    assert view.preview.pixmap() is not None and not view.preview.pixmap().isNull()
    view.submit.click()
    qtbot.waitUntil(lambda: "已受理" in view.message.text(), timeout=10_000)
    assert "预计领卡日期" in view.receipt.toPlainText()
    with desk.session() as session:
        assert session.scalar(select(Card.state)) is CardState.ACCEPTED


def test_a_minor_needs_the_guardian_box_which_cannot_be_unticked(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, tmp_path: Path
) -> None:
    window = _window(qtbot, desk, signed_in, name="刘子涵", birth=date(2019, 4, 18))
    form = window.card_application.representative
    assert form.enabled.isChecked() and not form.enabled.isEnabled()
    assert "监护人" in form.enabled.text()
    _photo(qtbot, window, tmp_path / "ok.jpg", valid_photo())
    window.card_application.submit.click()  # guardian fields empty: refused at the field
    qtbot.waitUntil(lambda: form.error.text() != "", timeout=10_000)
    with desk.session() as session:
        assert session.scalar(select(Card.id)) is None


def test_an_expiry_replacement_of_a_valid_card_asks_for_confirmation(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, tmp_path: Path
) -> None:
    window = _window(qtbot, desk, signed_in)
    view = window.card_application
    assert view.person is not None
    with desk.session() as session:
        apply_for_card(
            session, desk.actor("clerk"), person_id=view.person.id,
            kind=CardApplicationKind.FIRST, photo=valid_photo(), instant=True,
        )  # fmt: skip
    _photo(qtbot, window, tmp_path / "ok.jpg", valid_photo())
    view.kind.setCurrentIndex(view.kind.findData(CardApplicationKind.REPLACEMENT))
    view.reason.setCurrentIndex(view.reason.findData(ReplacementReason.EXPIRED))
    view.old_card_returned.setChecked(True)
    assert view.fee.text() == "20.00 元"  # DESIGN's default charges an expiry renewal
    view.submit.click()
    qtbot.waitUntil(view.confirm.isVisible, timeout=10_000)
    assert "尚未到期" in view.message.text()
    view.confirm.click()
    qtbot.waitUntil(lambda: "已受理" in view.message.text(), timeout=10_000)
    assert "换领" in view.receipt.toPlainText()
