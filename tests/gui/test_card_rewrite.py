"""改写社保卡信息 from the main window: the real pcscd, a virtual card issued in Chengdu, the
counter's training security module; the act is recorded only after the card's read-back."""

from __future__ import annotations

import dataclasses

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from medins_desk.cardreader.layout import RegionRecord
from medins_desk.cardreader.virtual import VirtualCard, demo_profile_dir, load_profile
from medins_desk.domain.business import BusinessKind
from medins_desk.store.models import Transaction
from tests.helpers.pcsc import PcscStack
from tests.helpers.store import Desk
from tests.integration.services.test_transfer import enrol
from ui.context import AppContext
from ui.main_window import MainWindow

CHENGDU = "510107"


def _card_from_chengdu() -> VirtualCard:
    profile = load_profile(demo_profile_dir() / "ordinary.toml")  # 张伟 110105198005170033
    return VirtualCard(dataclasses.replace(profile, insured_region=CHENGDU))


def _region_on(card: VirtualCard) -> str:
    layout = RegionRecord()
    return card._records[layout.file, layout.record][2:].hex()


def _rewrites(desk: Desk) -> int:
    with desk.session() as session:
        query = select(func.count()).where(Transaction.kind == BusinessKind.CARD_REWRITE)
        return session.scalar(query) or 0


def _window_with_card(
    qtbot: QtBot, desk: Desk, context: AppContext, pcsc_stack: PcscStack, module: str
) -> tuple[MainWindow, VirtualCard]:
    with desk.session() as session:
        enrol(session, desk.actor("clerk"))  # insured here, the card's holder
    context.settings = dataclasses.replace(context.settings, card_security_module=module)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "等待插卡" in window.reader_status.text(), timeout=10_000)
    card = _card_from_chengdu()
    pcsc_stack.insert(card)
    qtbot.waitUntil(lambda: window.person_panel.person is not None, timeout=10_000)
    window.show_view(window.views.indexOf(window.card_application))
    return window, card


def test_the_card_is_rewritten_read_back_and_receipted(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, pcsc_stack: PcscStack
) -> None:
    window, card = _window_with_card(qtbot, desk, signed_in, pcsc_stack, "training")
    box = window.card_application.rewrite
    assert box.button.isEnabled()
    box.button.click()
    qtbot.waitUntil(lambda: "已改写" in box.message.text(), timeout=15_000)
    assert "武侯区" in box.message.text() and "朝阳区" in box.message.text()
    assert _region_on(card) == "110105"
    assert _rewrites(desk) == 1
    bar = window.card_application.voucher_bar
    qtbot.waitUntil(lambda: bar.voucher is not None, timeout=15_000)
    assert "社会保障卡信息改写回执" in bar.status.text()


def test_without_a_security_module_nothing_is_written_or_recorded(
    qtbot: QtBot, desk: Desk, signed_in: AppContext, pcsc_stack: PcscStack
) -> None:
    window, card = _window_with_card(qtbot, desk, signed_in, pcsc_stack, "")
    box = window.card_application.rewrite
    box.button.click()
    qtbot.waitUntil(lambda: "安全模块" in box.message.text(), timeout=15_000)
    assert "插好后再按" in box.message.text() and box.button.isEnabled()
    assert _region_on(card) == CHENGDU
    assert _rewrites(desk) == 0
