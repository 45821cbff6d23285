"""The counter's main window: businesses on the left, the person being served on the right."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from medins_desk.cardreader import CardData
from medins_desk.cardreader.security import security_module
from medins_desk.domain.identity import normalise_identity_text
from medins_desk.domain.roles import Permission, may
from medins_desk.services.card_link import CardLink, link_card
from medins_desk.services.persons import PersonDetail
from medins_desk.store.engine import describe_url
from ui.card_watch import CardWatch
from ui.context import AppContext
from ui.errors import message_of
from ui.idle_lock import IdleLock, LockDialog
from ui.keyboard import enter_moves_on
from ui.labels import tr_label
from ui.training import DemoCards
from ui.views.card_application import CardApplicationView
from ui.views.certificate import CertificateView
from ui.views.correction import CorrectionView
from ui.views.inheritance import InheritanceView
from ui.views.ledger import LedgerView
from ui.views.lookup import LookupView, PersonPanel
from ui.views.loss import LossView
from ui.views.medical_filing import MedicalFilingView
from ui.views.registration import RegistrationView
from ui.views.retirement import RetirementView
from ui.views.review import ReviewView
from ui.views.settings import SettingsView
from ui.views.transfer import TransferView
from ui.vouchers import VoucherBar, VoucherDesk

_NUMBER_TYPED = re.compile(r"\d+X?")  # an identity number, whole or being typed
_INITIALS = re.compile(r"[A-Za-z]{1,30}")

if TYPE_CHECKING:  # ReportLab loads in the worker that first prints
    from printing.vouchers import PrintOutcome


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        actor = context.require_actor()
        self.setWindowTitle(
            self.tr("medins-desk · {hall} · {counter} 号窗口").format(
                hall=context.settings.hall_name, counter=context.settings.counter_no
            )
        )
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(170)
        self.views = QStackedWidget()
        self.person_panel = PersonPanel(context)
        self.person_panel.setObjectName("person_panel")
        self.lookup = LookupView(context)
        self.card_application = CardApplicationView(context)
        self.loss = LossView(context)
        self.correction = CorrectionView(context)
        self.transfer = TransferView(context)
        self.registration = RegistrationView(context)
        self.medical_filing = MedicalFilingView(context)
        self.inheritance = InheritanceView(context)
        self.certificate = CertificateView(context)
        self.retirement = RetirementView(context)
        self.ledger: LedgerView | None = None
        self.review: ReviewView | None = None
        self.settings_view: SettingsView | None = None

        business_menu = self.menuBar().addMenu(self.tr("业务(&B)"))
        # Each business: its view and its F-key, shown in the menu and the navigation.
        businesses: list[tuple[str, QWidget, str]] = [
            (self.tr("参保人查询"), self.lookup, "F2"),
            (self.tr("社保卡申领"), self.card_application, "F3"),
            (self.tr("挂失/解挂"), self.loss, "F4"),
            (self.tr("参保信息变更"), self.correction, "F5"),
            (self.tr("医保关系转移"), self.transfer, "F6"),
            (self.tr("参保登记"), self.registration, "F7"),
            (self.tr("异地就医备案"), self.medical_filing, "F11"),
            (self.tr("个人账户继承"), self.inheritance, "Shift+F7"),
            (self.tr("参保证明"), self.certificate, "F12"),
            (self.tr("在职转退休"), self.retirement, "Shift+F12"),
        ]
        if may(actor.role, Permission.REVIEW):
            self.review = ReviewView(context)
            businesses.append((self.tr("复核"), self.review, "F8"))
        if may(actor.role, Permission.MANAGE_USERS):
            self.settings_view = SettingsView(context)
            businesses.append((self.tr("设置"), self.settings_view, "F10"))
        if may(actor.role, Permission.EXPORT_LEDGER):
            self.ledger = LedgerView(context)
            businesses.append((self.tr("日结台账"), self.ledger, "F9"))
        for title, view, key in businesses:
            enter_moves_on(view, keep=(self.lookup.search,))
            index = self.views.addWidget(view)
            item = QListWidgetItem(f"{title}  {key}")
            self.navigation.addItem(item)
            action = QAction(title, self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _=False, i=index: self.show_view(i))
            business_menu.addAction(action)
        self.navigation.currentRowChanged.connect(self.show_view)
        business_menu.addSeparator()
        cancel_action = QAction(self.tr("取消当前表单"), self)
        cancel_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        cancel_action.triggered.connect(self.cancel_form)
        business_menu.addAction(cancel_action)
        voucher_menu = self.menuBar().addMenu(self.tr("凭证(&V)"))
        print_action = QAction(self.tr("打印凭证"), self)
        print_action.setShortcut(QKeySequence.StandardKey.Print)
        print_action.triggered.connect(self.print_voucher)
        voucher_menu.addAction(print_action)
        preview_action = QAction(self.tr("预览凭证"), self)
        preview_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        preview_action.triggered.connect(self.preview_voucher)
        voucher_menu.addAction(preview_action)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.views)
        splitter.addWidget(self.person_panel)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([170, 800, 300])
        self.setCentralWidget(splitter)
        for desk in self.findChildren(VoucherDesk):  # every view's, and the person panel's
            desk.printed.connect(self.show_printer)

        self.reader_status = QLabel(self.tr("读卡器：未连接"))
        self.printer_status = QLabel()
        self._printer_problem: str | None = None  # None: ready, or not asked yet
        self._printer_checked = False
        self._last_print: PrintOutcome | None = None
        self.show_printer()
        self.check_printer()
        self.database_status = QLabel(
            self.tr("数据库：{where}").format(where=describe_url(context.settings.database_url))
        )
        self.user_status = QLabel(
            self.tr("{name}（{role}）· {counter} 号窗口").format(
                name=actor.display_name,
                role=tr_label(actor.role.label),
                counter=context.settings.counter_no,
            )
        )
        for label in (
            self.reader_status, self.printer_status, self.database_status, self.user_status
        ):  # fmt: skip
            self.statusBar().addPermanentWidget(label)
        self.resize(1200, 760)
        self.show_view(0)

        self.card_watch = CardWatch(actor.today(), context.settings.card_reader, self)
        self.card_watch.status.connect(self.reader_status.setText)
        self.card_watch.card_read.connect(self.card_inserted)
        self.card_watch.failed.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.card_watch.pin_wanted.connect(self._ask_pin)
        rewrite = self.card_application.rewrite
        rewrite.rewrite_wanted.connect(
            lambda id_number, region: self.card_watch.rewrite_region(
                id_number=id_number,
                region=region,
                layout=context.settings.card_region,
                authenticator=security_module(context.settings),
            )
        )
        self.card_watch.rewritten.connect(rewrite.rewritten)
        self.card_watch.rewrite_failed.connect(rewrite.write_failed)
        self.card_watch.start()
        self._notice: QMessageBox | None = None
        self._pin_dialog: QInputDialog | None = None

        self.demo_cards = DemoCards(context, self)
        self.demo_cards.message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        # A method, not a lambda: Qt drops the connection when the window goes.
        context.notice.connect(self.show_notice)
        self.lookup.act_bar.void_requested.connect(self.void_act)
        self.lookup.register_requested.connect(self.register_new)
        self.demo_cards.fill_menu(self.menuBar().addMenu(self.tr("培训/演示(&T)")))

        self.idle_lock = IdleLock(context.settings.idle_lock_minutes, self)
        self.idle_lock.idle.connect(self.lock)
        self.idle_lock.start()
        self.lock_dialog: LockDialog | None = None

    def lock(self) -> None:
        """Lock the counter; the views keep their input behind the lock."""
        if self.lock_dialog is not None:
            return
        self.idle_lock.paused = True
        self.lock_dialog = LockDialog(self.context, self)
        self.lock_dialog.accepted.connect(self._unlocked)
        self.lock_dialog.open()

    def _unlocked(self) -> None:
        self.lock_dialog = None
        self.idle_lock.paused = False
        self.idle_lock.timer.start()

    def card_inserted(self, data: CardData) -> None:
        """插卡: find the card's person and serve them; a lost or cancelled card is flagged."""
        served = self.context.served
        ticket = served.claim(self.card_watch)

        def failed(error: BaseException) -> None:
            if served.holds(ticket):
                self.statusBar().showMessage(message_of(error), 10_000)

        self.context.call(
            link_card, data=data, done=lambda link: self._card_linked(ticket, link, data),
            failed=failed,
        )  # fmt: skip

    def _card_linked(self, ticket: int, link: CardLink, data: CardData) -> None:
        served = self.context.served
        if not served.holds(ticket):
            return  # the clerk has moved on (another card, a search) since this one was read
        if link.warning:
            self.statusBar().showMessage(link.warning, 30_000)
            # Parented: window-modal, and gone with the window (a parentless box outlived it).
            box = QMessageBox(
                QMessageBox.Icon.Warning, self.tr("社保卡"), link.warning,
                QMessageBox.StandardButton.Ok, self,
            )  # fmt: skip
            box.setObjectName("card_warning")
            self._notice = box
            box.open()
        if link.person_id is None:
            # Not on record here: 参保登记 with what the card says about its holder.
            self.register_new(
                data.ssn or "", name=data.name or "",
                note=self.tr("此卡的持卡人未在本库登记：请核对证件后办理参保登记"),
            )  # fmt: skip
            return
        served.open(
            ticket, link.person_id,
            failed=lambda error: self.statusBar().showMessage(message_of(error), 10_000),
        )  # fmt: skip

    def _ask_pin(self, tries_left: int | None) -> None:
        dialog = QInputDialog(self)
        dialog.setObjectName("pin")
        dialog.setWindowTitle(self.tr("社保卡密码"))
        dialog.setLabelText(
            self.tr("请持卡人输入社保卡密码")
            if tries_left is None
            else self.tr("请持卡人输入社保卡密码（还可尝试 {n} 次）").format(n=tries_left)
        )
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.textValueSelected.connect(self.card_watch.provide_pin)
        dialog.rejected.connect(lambda: self.card_watch.provide_pin(None))
        self._pin_dialog = dialog
        dialog.open()

    def serve(self, person: PersonDetail) -> None:
        """Serve ``person`` (already read): every view that shows the citizen follows
        :attr:`AppContext.served`."""
        served = self.context.served
        served.serve(served.claim(self), person)

    def register_new(self, text: str, *, name: str = "", note: str = "") -> None:
        """参保登记 of a citizen not on record: ``text`` is what was searched for (an identity
        number fills the number, anything else the name) or the card's number."""
        compact = normalise_identity_text(text)
        number = compact if _NUMBER_TYPED.fullmatch(compact) else ""
        if not number and not name and not _INITIALS.fullmatch(text.strip()):
            name = text.strip()
        self.show_view(self.views.indexOf(self.registration))
        self.registration.start_new(id_number=number, name=name, note=note)

    def show_notice(self, text: str) -> None:
        """The store's state (unreachable and retrying, back again) in the status bar."""
        self.statusBar().showMessage(text, 15_000)

    def void_act(self, serial: str, day: date) -> None:
        """作废 a scanned act: the daily ledger of its day, the act selected, the reason next."""
        if self.ledger is not None:
            self.show_view(self.views.indexOf(self.ledger))
            self.ledger.select_act(serial, day)

    def check_printer(self) -> None:
        """Ask the print system, in a worker, whether the counter's printer can print now."""
        printer = self.context.settings.printer

        def work() -> str | None:
            from printing.printer import PrinterError, check_printer

            try:
                check_printer(printer)
            except PrinterError as error:
                return error.message
            return None

        self.context.runner.submit(work, done=self._printer_state)

    def _printer_state(self, problem: str | None) -> None:
        self._printer_problem, self._printer_checked = problem, True
        self.show_printer()

    def show_printer(self, outcome: PrintOutcome | None = None) -> None:
        """打印机 in the status bar: the counter's printer, whether it is ready, and how the
        last print went; the tooltip says why when it is not. A print asks again."""
        if outcome is not None:
            self._last_print = outcome
            self.check_printer()
        parts = []
        if self._printer_checked:
            parts.append(self.tr("不可用") if self._printer_problem else self.tr("就绪"))
        if self._last_print is not None:
            printed = self._last_print.printed
            parts.append(self.tr("上次打印已送出") if printed else self.tr("上次打印失败"))
        name = self.context.settings.printer or self.tr("系统默认")
        text = self.tr("打印机：{name}").format(name=name)
        text += "".join(self.tr("（{part}）").format(part=part) for part in parts)
        self.printer_status.setText(text)
        tips = [self._printer_problem or ""]
        if self._last_print is not None:
            tips.append(self._last_print.describe())
        self.printer_status.setToolTip("\n".join(tip for tip in tips if tip))

    def cancel_form(self) -> None:
        """Esc: the current form is cleared without doing anything; the person stays served."""
        cancel = getattr(self.views.currentWidget(), "cancel", None)
        if callable(cancel):
            cancel()
            self.statusBar().showMessage(self.tr("已取消：表单已清空，未办理业务"), 5_000)

    def _voucher_bar(self) -> VoucherBar | None:
        bar = getattr(self.views.currentWidget(), "voucher_bar", None)
        return bar if isinstance(bar, VoucherBar) and bar.voucher is not None else None

    def print_voucher(self) -> None:
        """Ctrl+P: the voucher of the act just done in this view, else that of the business
        selected in the person's history (补打 once its original went out)."""
        bar = self._voucher_bar()
        if bar is not None:
            bar.print()
        elif not self.person_panel.print_selected():
            self.statusBar().showMessage(self._nothing_to_print(), 10_000)

    def preview_voucher(self) -> None:
        bar = self._voucher_bar()
        if bar is not None:
            bar.preview()
        elif self.person_panel.selected_serial() is not None:
            self.person_panel.preview()
        else:
            self.statusBar().showMessage(self._nothing_to_print(), 10_000)

    def _nothing_to_print(self) -> str:
        return self.tr("当前没有凭证：办理业务后即可打印，或在右侧「近期业务」中选择一笔补打")

    def show_view(self, index: int) -> None:
        # What the citizen's page says may have changed at another counter since it was read.
        self.context.served.refresh()
        self.views.setCurrentIndex(index)
        if self.navigation.currentRow() != index:
            self.navigation.setCurrentRow(index)
        view = self.views.currentWidget()
        if view is not None:
            view.setFocus()
        if view is self.lookup:
            self.lookup.search.selectAll()  # what the clerk types next replaces the last search

    def closeEvent(self, event: QCloseEvent) -> None:
        self.demo_cards.remove()
        self.card_watch.stop()
        self.idle_lock.stop()
        self.lookup.shutdown()
        super().closeEvent(event)
