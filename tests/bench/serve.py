"""Time to serve (``installer/dev-setup.sh bench-serve``): the real main window, driven from the
keyboard as a trained clerk drives it, one citizen per business.

For each business it counts the keystrokes from the card's insertion (a demo card in pcscd's
virtual reader, read by the app's own card watch) or from the identity number typed, to the
voucher sent to the printer, and times every wait the clerk sees: from a key to the moment the
screen is ready for the next one. Typed data (the identity number, a phone number, an agency's
name) is counted apart, as the targets are. The clerk uses no mouse: F-keys, each button's
Alt+letter, Enter to move on or to take a dialog's default, Ctrl+P.

    python tests/bench/serve.py [--persons N] [--printer QUEUE]

Offscreen by default (``QT_QPA_PLATFORM``); pcscd must run with the vpcd reader
(``installer/dev-setup.sh bench-serve`` starts it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from medins_desk.cardreader.virtual import demo_profile_dir
from medins_desk.services.context import Counter
from medins_desk.services.demo import DEMO_PASSWORD, demo_photo, seed_demo
from medins_desk.services.users import sign_in
from medins_desk.settings import Settings
from medins_desk.store import open_store
from medins_desk.store.models import Card, Person
from ui.app import preload_printing
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.vouchers import VoucherBar

ALT = Qt.KeyboardModifier.AltModifier
WAIT_MS = 300.0  # no wait the clerk sees is longer
TARGETS = {  # keystrokes, typed data apart
    "挂失（插卡后）": 12,
    "社保卡申领（已登记）": 25,
    "手机号码变更": 20,
    "医保关系转出": 25,
}


@dataclass
class Flow:
    business: str
    keys: int = 0
    typed: int = 0  # characters of data the clerk types (a number, a name)
    waits: list[tuple[str, float]] = field(default_factory=list)

    @property
    def longest(self) -> tuple[str, float]:
        return max(self.waits, key=lambda wait: wait[1]) if self.waits else ("", 0.0)


class Clerk:
    """Keys into the real window, counted; waits timed until the screen is ready."""

    def __init__(self, app: QApplication, window: MainWindow, flow: Flow) -> None:
        self.app, self.window, self.flow = app, window, flow

    def _focus(self) -> QWidget:
        modal = self.app.activeModalWidget()
        if modal is not None:
            return modal.focusWidget() or modal
        active = self.app.activeWindow()
        if active is None or not active.isVisible():
            # A window manager gives the main window back its focus when a dialog closes; the
            # offscreen platform does not.
            self.window.activateWindow()
            self.app.processEvents()
        return self.app.focusWidget() or self.window

    def key(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        QTest.keyClick(self._focus(), key, modifier)
        self.flow.keys += 1

    def type_data(self, text: str) -> None:
        """Data the clerk types into the field that has the focus (Chinese through the IME)."""
        widget = self._focus()
        if text.isascii():
            QTest.keyClicks(widget, text)
        else:
            widget.insert(text)  # type: ignore[attr-defined]  # a QLineEdit
        self.flow.typed += len(text)

    def wait(self, what: str, ready: Callable[[], bool], timeout: float = 20.0) -> None:
        start = time.perf_counter()
        while not ready():
            self.app.processEvents()
            if time.perf_counter() - start > timeout:
                focus = self._focus()
                raise RuntimeError(
                    f"{self.flow.business}: {what} did not happen in {timeout} s "
                    f"(focus on {type(focus).__name__} {focus.objectName()!r})"
                )
            time.sleep(0.001)
        self.flow.waits.append((what, (time.perf_counter() - start) * 1000))


def print_voucher(clerk: Clerk, done: str, bar: VoucherBar) -> None:
    """Wait for the act (``done``) and its archived voucher, Ctrl+P, then wait until the print
    system has the voucher (or said why not)."""
    clerk.wait(done, lambda: bar.voucher is not None)
    clerk.key(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    clerk.wait("凭证送打印机", lambda: not bar.status.text().startswith("正在打印"))


def loss_after_insertion(app: QApplication, window: MainWindow) -> Flow:
    flow = Flow("挂失（插卡后）")
    clerk = Clerk(app, window, flow)
    profile = demo_profile_dir() / "ordinary.toml"
    window.demo_cards.insert(profile, "普通成年人")
    clerk.wait("插卡到打开持卡人", lambda: window.context.served.person is not None)
    clerk.key(Qt.Key.Key_F4)
    loss = window.loss
    temporary = next(iter(loss.buttons.values()))
    clerk.wait("读出卡的状态", temporary.isEnabled)
    clerk.key(Qt.Key.Key_L, ALT)  # 临时挂失(L)
    clerk.wait("确认框", lambda: loss._confirmation is not None)
    clerk.key(Qt.Key.Key_Return)  # the box's default: 是
    print_voucher(clerk, "办结并存档凭证", loss.voucher_bar)
    window.demo_cards.remove()
    return flow


def _serving(app: QApplication, window: MainWindow, business: str, id_number: str) -> Clerk:
    """A clerk starting ``business`` for the person whose number they type."""
    clerk = Clerk(app, window, Flow(business))
    clerk.key(Qt.Key.Key_F2)
    clerk.type_data(id_number)
    clerk.key(Qt.Key.Key_Return)
    clerk.wait(
        "打开参保人",
        lambda: (
            window.context.served.person is not None
            and window.context.served.person.id_number == id_number
        ),
    )
    return clerk


def card_application(app: QApplication, window: MainWindow, id_number: str) -> Flow:
    clerk = _serving(app, window, "社保卡申领（已登记）", id_number)
    clerk.key(Qt.Key.Key_F3)
    view = window.card_application
    clerk.key(Qt.Key.Key_I, ALT)  # 导入照片(I): the camera's folder, its newest photo selected
    clerk.wait("选择照片对话框", lambda: view._dialog is not None and view._dialog.isVisible())
    clerk.key(Qt.Key.Key_Return)
    clerk.wait("照片检查", lambda: view.model.photo is not None)
    clerk.key(Qt.Key.Key_S, ALT)  # 受理申领(S)
    print_voucher(clerk, "受理并存档凭证", view.voucher_bar)
    return clerk.flow


def phone_correction(app: QApplication, window: MainWindow, id_number: str) -> Flow:
    clerk = _serving(app, window, "手机号码变更", id_number)
    clerk.key(Qt.Key.Key_F5)  # the cursor is in the new phone number
    view = window.correction
    clerk.type_data("13912345678")
    clerk.key(Qt.Key.Key_R, ALT)  # 变更原因(R)
    clerk.type_data("本人更换手机号码")
    clerk.key(Qt.Key.Key_S, ALT)  # 提交变更(S)
    print_voucher(clerk, "生效并存档凭证", view.voucher_bar)
    return clerk.flow


def transfer_out(app: QApplication, window: MainWindow, id_number: str) -> Flow:
    clerk = _serving(app, window, "医保关系转出", id_number)
    clerk.key(Qt.Key.Key_F6)  # the cursor is in the other agency's name
    view = window.transfer
    clerk.type_data("上海市医疗保障局")
    clerk.key(Qt.Key.Key_Return)  # Enter moves on to the region code
    clerk.type_data("310104")
    clerk.key(Qt.Key.Key_Return)  # and on to the reason for suspending
    clerk.type_data("到外地就业")
    clerk.key(Qt.Key.Key_Z, ALT)  # 暂停本地参保(Z)
    clerk.wait("暂停本地参保", lambda: "已暂停" in view.message.text())
    clerk.key(Qt.Key.Key_O, ALT)  # 转出：开具参保凭证(O)
    print_voucher(clerk, "开具参保凭证并存档", view.voucher_bar)
    return clerk.flow


def _people(store_sessions: object, count: int) -> list[str]:
    """Bulk people with no card, enrolled: each flow serves someone new."""
    from sqlalchemy import select

    with store_sessions() as session:  # type: ignore[operator]
        rows = session.scalars(
            select(Person.id_number)
            .where(~Person.id.in_(select(Card.person_id)))
            .order_by(Person.id)
            .limit(count)
        )
        return list(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--printer", default="", help="the counter's printer (default: system's)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="medins-serve-") as scratch:
        url = f"sqlite+pysqlite:///{Path(scratch) / 'serve.db'}"
        settings = Settings(
            database_url=url, printer=args.printer, photo_folder=str(Path(scratch) / "camera")
        )
        counter = Counter.from_settings(settings)
        store = open_store(url)
        seed_demo(store.sessions, persons=args.persons, counter=counter, random_seed=12,
                  if_empty=False, clock=datetime.now)  # fmt: skip
        with store.sessions() as session:
            actor = sign_in(session, username="clerk1", password=DEMO_PASSWORD, counter=counter)
        context = AppContext(settings)
        context.store = store
        context.set_actor(actor)
        window = MainWindow(context)
        window.resize(1280, 800)
        window.show()
        preload_printing(context)  # as the app does behind the sign-in window
        context.runner.wait()
        camera = Path(scratch) / "camera"  # the counter's 高拍仪 saves here
        camera.mkdir()
        (camera / "photo.jpg").write_bytes(demo_photo(counter.policy))
        first, second, third = _people(store.sessions, 3)
        flows = [
            loss_after_insertion(app, window),
            card_application(app, window, first),
            phone_correction(app, window, second),
            transfer_out(app, window, third),
        ]
        window.close()
        context.runner.wait()
        context.close()
    print(f"time to serve, {args.persons:,} persons, {datetime.now():%Y-%m-%d}")
    print("| business | keystrokes | target | typed data | longest wait | all waits |")
    print("|---|---|---|---|---|---|")
    failed = False
    for flow in flows:
        target = TARGETS[flow.business]
        what, longest = flow.longest
        total = sum(ms for _what, ms in flow.waits)
        count = flow.keys
        ok = count <= target and longest <= WAIT_MS
        failed |= not ok
        keys = f"{count} {'ok' if count <= target else 'OVER'}"
        wait = f"{longest:.0f} ms ({what}){'' if longest <= WAIT_MS else ' OVER'}"
        print(
            f"| {flow.business} | {keys} | ≤ {target} | {flow.typed} chars | {wait} "
            f"| {total:.0f} ms |"
        )
    for flow in flows:
        print(f"{flow.business}: " + "; ".join(f"{what} {ms:.0f} ms" for what, ms in flow.waits))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
