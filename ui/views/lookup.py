"""参保人查询: one search box, results as the clerk types, then the person's page."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medins_desk.domain.business import is_serial
from medins_desk.domain.roles import Permission, may
from medins_desk.errors import NotFound
from medins_desk.services.acts import ActFound, find_act
from medins_desk.services.persons import PersonDetail, PersonHit, PersonLookup
from medins_desk.services.progress import (
    Matter,
    ProgressNotice,
    issue_progress_notice,
    open_matters,
)
from medins_desk.services.vouchers import VoucherCheck, check_voucher
from ui.context import AppContext
from ui.errors import message_of
from ui.labels import tr_label
from ui.serving import contributions_text, months_text
from ui.tasks import TaskRunner
from ui.views.base import ViewModel
from ui.vouchers import Preview, PreviewDialog, VoucherDesk, close_preview, open_preview

VOUCHER_CODE_PREFIX = "MDV1|"  # a scanned voucher QR code (medins_desk.domain.voucher)


def _is_act_code(text: str) -> bool:
    """Whether ``text`` is a scanned voucher's serial (Code128) or QR code."""
    return is_serial(text) or text.upper().startswith(VOUCHER_CODE_PREFIX)


class LookupModel(QObject):
    """Search as the clerk types. Searches run in order on one worker thread that keeps its own
    :class:`PersonLookup`; only the newest text's search runs and is answered."""

    results = Signal(str, list)  # the text searched, list[PersonHit]
    failed = Signal(str, str)  # the text searched, the message

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._searches = TaskRunner(self, max_threads=1)
        self._lookup: PersonLookup | None = None
        self._generation = 0

    def search(self, text: str) -> None:
        self._generation += 1
        generation = self._generation
        if not text.strip():
            self.results.emit(text, [])
            return

        def work() -> list[PersonHit] | None:
            if generation != self._generation:
                return None  # a newer keystroke came before this search could start
            return self._lookup_in_worker().find(text)

        def done(hits: list[PersonHit] | None) -> None:
            if hits is not None and generation == self._generation:
                self.results.emit(text, hits)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self.failed.emit(text, message_of(error))

        self._searches.submit(work, done=done, failed=failed)

    def _lookup_in_worker(self) -> PersonLookup:
        # Created and used only on the search thread (the runner is serial).
        if self._lookup is None:
            self._lookup = PersonLookup(
                self.context.require_store().sessions, self.context.require_actor()
            )
        return self._lookup

    def close(self) -> None:
        lookup = self._lookup

        def work() -> None:
            if lookup is not None:
                lookup.close()

        self._searches.submit(work)
        self._searches.wait()


class ActBar(QWidget):
    """A scanned voucher's act (业务查询): what it was, 预览/打印 (补打) its voucher and, for a
    supervisor, 作废 through the daily ledger."""

    void_requested = Signal(str, object)  # serial, business day

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("act_bar")
        self.vouchers = VoucherDesk(context, self)
        self.description = QLabel()
        self.description.setObjectName("act_description")
        self.description.setWordWrap(True)
        self.preview_button = QPushButton(self.tr("预览凭证"))
        self.preview_button.setObjectName("act_preview")
        self.print_button = QPushButton(self.tr("打印凭证"))
        self.print_button.setObjectName("act_print")
        self.print_button.setToolTip(self.tr("原件已打印过的，打印为补打"))
        self.void_button = QPushButton(self.tr("作废…"))
        self.void_button.setObjectName("act_void")
        self.void_button.setVisible(may(context.require_actor().role, Permission.VOID))
        self.voucher_status = QLabel()
        self.voucher_status.setObjectName("act_voucher_status")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.description, 1)
        for button in (self.preview_button, self.print_button, self.void_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.voucher_status)
        self.found: ActFound | None = None
        self.dialog: PreviewDialog | None = None
        self.preview_button.clicked.connect(self._preview)
        self.print_button.clicked.connect(self._print)
        self.void_button.clicked.connect(self._void)
        self.vouchers.previewed.connect(self._previewed)
        self.vouchers.printed.connect(
            lambda outcome: self.voucher_status.setText(outcome.describe())
        )
        self.vouchers.failed.connect(self.voucher_status.setText)
        self.clear()

    def show_act(self, found: ActFound) -> None:
        self.found = found
        act = found.act
        what = self.tr("业务流水号 {serial}：{kind}，{at}，{counter} 号窗口 {clerk}，{state}")
        text = what.format(
            serial=act.serial, kind=tr_label(act.kind_label), at=f"{act.created_at:%Y-%m-%d %H:%M}",
            counter=act.counter_no, clerk=act.clerk_name, state=tr_label(act.status.label),
        )  # fmt: skip
        if found.person_name:
            text += self.tr("；参保人：{name}").format(name=found.person_name)
        self.description.setText(text)
        self.void_button.setEnabled(found.void_refusal is None)
        self.void_button.setToolTip(found.void_refusal or self.tr("在日结台账中填写原因后作废"))
        self.voucher_status.clear()
        self.show()

    def clear(self) -> None:
        self.found = None
        close_preview(self.dialog)
        self.dialog = None
        self.description.clear()
        self.voucher_status.clear()
        self.hide()

    def _preview(self) -> None:
        if self.found is not None:
            self.vouchers.preview(self.found.act.serial)

    def _previewed(self, preview: Preview) -> None:
        if self.found is not None and preview.voucher.serial == self.found.act.serial:
            self.dialog = open_preview(preview, self, self._print)

    def _print(self) -> None:
        if self.found is not None:
            self.voucher_status.setText(
                self.tr("正在打印 {serial}…").format(serial=self.found.act.serial)
            )
            self.vouchers.print(self.found.act.serial)

    def _void(self) -> None:
        if self.found is not None:
            self.void_requested.emit(self.found.act.serial, self.found.act.business_day)


class LookupView(QWidget):
    """参保人查询 (F2), where a keyboard-wedge scanner types too.

    Enter acts on exactly the text in the box: a name, initials or number opens the first
    match of that text's own search (waiting for it if it is still running); a voucher's
    serial (its Code128) or QR code opens that act and its citizen. Results of an older text
    are never shown as current, selected or opened.
    """

    register_requested = Signal(str)  # 登记新参保人, with the text searched for

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = LookupModel(context, self)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(
            self.tr("社会保障号码、卡号、姓名或拼音首字母（如 zs）；也可扫描凭证上的条码")
        )
        self.search.setClearButtonEnabled(True)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.act_bar = ActBar(context, self)
        # A search that finds nobody: the citizen may be registered here (参保登记, F7).
        self.register_new = QPushButton(self.tr("登记新参保人(&N)"))
        self.register_new.setObjectName("register_new")
        self.register_new.hide()
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("results")
        self.table.setHorizontalHeaderLabels(
            [self.tr("姓名"), self.tr("社会保障号码"), self.tr("性别"), self.tr("出生日期"),
             self.tr("社保卡号")]
        )  # fmt: skip
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.register_new)
        layout.addLayout(status_row)
        layout.addWidget(self.act_bar)
        layout.addWidget(self.table)
        self.setFocusProxy(self.search)

        self._hits: list[PersonHit] = []
        self._hits_text: str | None = None  # the text the listed results were found for
        self._opening: tuple[int, str] | None = None  # Enter pressed: (ticket, text)
        self.search.textChanged.connect(self._text_changed)
        self.search.returnPressed.connect(self._enter)
        self.table.cellActivated.connect(lambda row, _column: self._open_row(row))
        self.register_new.clicked.connect(lambda: self.register_requested.emit(self._current()))
        self.model.results.connect(self._show_results)
        self.model.failed.connect(self._search_failed)
        context.served.changed.connect(self._served_changed)
        context.acted.connect(lambda _serial: self._search_again())

    def cancel(self) -> None:
        self.search.clear()
        self.search.setFocus()

    def _current(self) -> str:
        return self.search.text().strip()

    def _text_changed(self, text: str) -> None:
        # Until this text's own results come, the list is not current: nothing in it can be
        # opened, and it says so.
        self._hits_text = None
        self.register_new.hide()
        self.table.clearSelection()
        self.table.setEnabled(False)
        if self._opening is not None and self._opening[1] != text.strip():
            self._opening = None
        if _is_act_code(text.strip()):
            # A voucher's serial or QR code names an act, not a person: nothing to list (and
            # no search of an earlier text may answer now).
            self.model.search("")
            self._hits = []
            self.table.setRowCount(0)
            self.status.setText(self.tr("按回车打开这笔业务"))
            return
        self.status.setText(self.tr("正在查询…") if text.strip() else "")
        self.model.search(text)

    def _search_again(self) -> None:
        """After an act the listed rows (a card number, a name) may no longer be true."""
        text = self.search.text()
        if text.strip() and not _is_act_code(text.strip()):
            self._text_changed(text)

    def _show_results(self, text: str, hits: list[PersonHit]) -> None:
        if text != self.search.text():
            return
        self._hits, self._hits_text = hits, text.strip()
        self.table.setRowCount(len(hits))
        for row, hit in enumerate(hits):
            values = (
                hit.name, hit.masked_id_number, tr_label(hit.sex.label), hit.birth_date.isoformat(),
                hit.card_number or "",
            )  # fmt: skip
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.setEnabled(True)
        if hits:
            self.status.setText(self.tr("找到 {n} 人，按回车打开第一位").format(n=len(hits)))
        elif text.strip():
            self.status.setText(self.tr("没有找到符合条件的参保人"))
            self.register_new.show()
        else:
            self.status.setText("")
        self._open_when_ready()

    def _search_failed(self, text: str, message: str) -> None:
        if text == self.search.text():
            self.status.setText(message)
            self._opening = None

    def _enter(self) -> None:
        text = self._current()
        if not text:
            return
        self.act_bar.clear()
        if _is_act_code(text):
            self._open_act(text)
            return
        self._opening = (self.context.served.claim(self), text)
        self._open_when_ready()

    def _open_when_ready(self) -> None:
        """Open the first match of the text Enter was pressed on, once that text's results are
        in (now, or when its search answers)."""
        if self._opening is None or self._hits_text != self._opening[1]:
            return
        ticket, text = self._opening
        self._opening = None
        if self._hits:
            self._open(ticket, self._hits[0].id)
        else:
            self.status.setText(
                self.tr(
                    "没有找到「{text}」对应的参保人，未打开任何人；按 Alt+N 登记新参保人"
                ).format(text=text)
            )

    def _open_row(self, row: int) -> None:
        if self._hits_text == self._current() and 0 <= row < len(self._hits):
            self._open(self.context.served.claim(self), self._hits[row].id)

    def _open(self, ticket: int, person_id: int, serial: str = "") -> None:
        self.context.served.open(
            ticket, person_id, serial=serial,
            failed=lambda error: self.status.setText(message_of(error)),
        )  # fmt: skip

    def _open_act(self, text: str) -> None:
        """A scanned voucher: its act, and the citizen it was done for."""
        ticket = self.context.served.claim(self)
        self.status.setText(self.tr("正在查找业务…"))

        def found(act: ActFound) -> None:
            if not self.context.served.holds(ticket):
                return
            self.status.setText(
                self.tr("已找到业务 {serial}").format(serial=act.act.serial)
                if act.person_id is not None
                else self.tr("已找到业务 {serial}（不属于某一参保人）").format(
                    serial=act.act.serial
                )
            )
            self.act_bar.show_act(act)
            if act.person_id is not None:
                self._open(ticket, act.person_id, act.act.serial)

        def not_found(error: BaseException) -> None:
            if self.context.served.holds(ticket):
                self.status.setText(message_of(error))

        if is_serial(text):
            self.context.call(find_act, serial=text, done=found, failed=not_found)
            return

        def checked(verdict: VoucherCheck) -> None:
            if verdict.transaction is None:
                not_found(NotFound(verdict.describe()))
            elif self.context.served.holds(ticket):
                self.context.call(
                    find_act, serial=verdict.claim.serial, done=found, failed=not_found
                )

        self.context.call(
            check_voucher, payload=text, secret=self.context.settings.hall_secret,
            done=checked, failed=not_found,
        )  # fmt: skip

    def _served_changed(self, person: PersonDetail | None) -> None:
        """Someone else is served: what this view showed belongs to the last citizen."""
        if self.context.served.claimed_by is self:
            if person is None:
                self.act_bar.clear()
            return
        self._opening = None
        self.act_bar.clear()
        self.search.clear()

    def shutdown(self) -> None:
        self.model.close()


class ProgressModel(ViewModel):
    """办理进度告知单 for the served citizen: an act like any other."""

    done = Signal(object)  # ProgressNotice

    def issue(self, person_id: int) -> None:
        self.act(issue_progress_notice, self.done.emit, for_served=True, person_id=person_id)


class PersonPanel(QWidget):
    """The person being served: stays visible whichever business view is open, with their
    open matters (办理进度) and recent business, whose vouchers can be previewed and printed
    (补打 after the first) here."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.title = QLabel(self.tr("当前未选择参保人"))
        self.title.setObjectName("person_title")
        self.details = QLabel()
        self.details.setObjectName("person_details")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.matters = QLabel()
        self.matters.setObjectName("person_matters")
        self.matters.setWordWrap(True)
        self.matters.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice_button = QPushButton(self.tr("打印进度告知单(&Y)"))
        self.notice_button.setObjectName("progress_notice")
        self.notice_button.setToolTip(self.tr("办理进度查询：在办事项及下一步，打印给参保人"))
        self.progress = ProgressModel(context, self)
        self.history = QTableWidget(0, 3)
        self.history.setObjectName("history")
        self.history.setHorizontalHeaderLabels(
            [self.tr("时间"), self.tr("业务"), self.tr("流水号")]
        )
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.history.verticalHeader().hide()
        self.vouchers = VoucherDesk(context, self)
        self.preview_button = QPushButton(self.tr("预览凭证"))
        self.preview_button.setObjectName("history_preview")
        self.print_button = QPushButton(self.tr("打印凭证"))
        self.print_button.setObjectName("history_print")
        self.print_button.setToolTip(self.tr("原件已打印过的，打印为补打"))
        self.voucher_status = QLabel()
        self.voucher_status.setObjectName("history_status")
        self.voucher_status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addWidget(self.matters)
        layout.addWidget(self.notice_button)
        layout.addWidget(QLabel(self.tr("近期业务")))
        layout.addWidget(self.history, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.voucher_status)
        self._served = context.served
        self.dialog: PreviewDialog | None = None
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_selected)
        self.notice_button.clicked.connect(self.issue_notice)
        self.progress.done.connect(self._notice_issued)
        self.progress.failed.connect(lambda _field, text: self.voucher_status.setText(text))
        self.history.itemSelectionChanged.connect(self._selection_changed)
        self.vouchers.previewed.connect(self._previewed)
        self.vouchers.printed.connect(
            lambda outcome: self.voucher_status.setText(outcome.describe())
        )
        self.vouchers.failed.connect(self.voucher_status.setText)
        context.served.changed.connect(self.show_person)
        context.served.updated.connect(self._updated)
        self._selection_changed()

    @property
    def person(self) -> PersonDetail | None:
        """The citizen served (ui.serving.ServedPerson): read there, never kept here."""
        return self._served.person

    def show_person(self, person: PersonDetail | None) -> None:
        """The citizen served now, as last read from the store (nobody: an empty panel)."""
        close_preview(self.dialog)
        self.dialog = None
        self.voucher_status.clear()
        self.matters.clear()
        self.notice_button.setEnabled(person is not None)
        if person is None:
            self.title.setText(self.tr("当前未选择参保人"))
            self.details.clear()
            self.history.setRowCount(0)
            self._selection_changed()
            return
        shown = person.id

        def read(matters: list[Matter]) -> None:
            self._show_matters(shown, matters)

        self.context.call(open_matters, person_id=shown, done=read, asker=self)
        self.title.setText(
            f"{person.name}（{tr_label(person.sex.label)}，{person.birth_date:%Y-%m-%d}）"
        )
        lines = [self.tr("社会保障号码：{n}").format(n=person.id_number)]
        if person.death_date is not None:
            lines.append(self.tr("已登记死亡：{d}").format(d=f"{person.death_date:%Y-%m-%d}"))
        if person.phone:
            lines.append(self.tr("手机：{p}").format(p=person.phone))
        if person.address:
            lines.append(self.tr("地址：{a}").format(a=person.address))
        for enrollment in person.enrollments:
            lines.append(
                self.tr("参保：{type}，{status}，{start} 起").format(
                    type=tr_label(enrollment.insurance_type.label),
                    status=tr_label(enrollment.status.label),
                    start=enrollment.start_date.isoformat(),
                )
            )  # fmt: skip
        if person.enrollments:
            lines.append(contributions_text(person.contributions))
        for card in person.cards:
            lines.append(
                self.tr("社保卡：{number} {state}").format(
                    number=card.card_number or self.tr("（未制卡）"),
                    state=tr_label(card.state.label),
                )
            )
        filing = person.care_elsewhere
        if filing is not None:
            until = (
                self.tr("至 {day}").format(day=f"{filing.last_day:%Y-%m-%d}")
                if filing.last_day
                else self.tr("长期")
            )
            lines.append(
                self.tr("异地就医备案：{where}，{start} 起{until}").format(
                    where=filing.destination, start=f"{filing.starts_on:%Y-%m-%d}", until=until
                )
            )
        retirement = person.retirement
        if retirement is not None and retirement.benefit_start is not None:
            lines.append(
                self.tr("退休人员：{day} 退休，退休待遇自 {start} 起").format(
                    day=f"{retirement.retirement_date:%Y-%m-%d}",
                    start=f"{retirement.benefit_start:%Y-%m-%d}",
                )
            )
        elif retirement is not None:
            lines.append(
                self.tr("延迟退休登记：缴费年限差 {months}，逐年缴纳").format(
                    months=months_text(retirement.shortfall_months)
                )
            )
        self.details.setText("\n".join(lines))
        self.history.clearSelection()
        self.history.setRowCount(len(person.transactions))
        for row, line in enumerate(person.transactions):
            kind = tr_label(line.kind_label) + (self.tr("（已作废）") if line.voided else "")
            values = (f"{line.created_at:%Y-%m-%d %H:%M}", kind, line.serial)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(line.summary)
                self.history.setItem(row, column, item)
        self._selection_changed()

    def _show_matters(self, person_id: int, matters: list[Matter]) -> None:
        """办理进度 of the citizen still served (an answer for one served before is dropped)."""
        if self.person is None or self.person.id != person_id:
            return
        if not matters:
            self.matters.setText(self.tr("在办事项：无"))
            return
        lines = [self.tr("在办事项：")]
        lines += [
            self.tr("· {business}：{stage}（{since} 起）；{next}").format(
                business=m.business, stage=m.stage, since=f"{m.since:%Y-%m-%d}", next=m.next_step
            )
            for m in matters
        ]
        self.matters.setText("\n".join(lines))

    def issue_notice(self) -> None:
        """办理进度告知单: recorded as an act, then printed at once for the citizen."""
        if self.person is not None:
            self.voucher_status.clear()
            self.progress.issue(self.person.id)

    def _notice_issued(self, notice: ProgressNotice) -> None:
        self.vouchers.print(notice.transaction.serial)

    def _updated(self, person: PersonDetail, serial: str) -> None:
        """The served citizen read again; ``serial``, an act of theirs, is selected (its
        voucher ready for 预览 and 补打)."""
        keep = serial or self.selected_serial()
        self.show_person(person)
        for row, line in enumerate(person.transactions):
            if line.serial == keep:
                self.history.selectRow(row)
                break

    def selected_serial(self) -> str | None:
        """The serial of the business selected in 近期业务, as the list shows it."""
        rows = self.history.selectionModel().selectedRows()
        item = self.history.item(rows[0].row(), 2) if rows else None
        return item.text() if item is not None else None

    def _selection_changed(self) -> None:
        chosen = self.selected_serial() is not None
        self.preview_button.setEnabled(chosen)
        self.print_button.setEnabled(chosen)

    def preview(self) -> None:
        serial = self.selected_serial()
        if serial is not None:
            self.vouchers.preview(serial)

    def _previewed(self, preview: Preview) -> None:
        if preview.voucher.serial == self.selected_serial():
            self.dialog = open_preview(preview, self, self.print_selected)

    def print_selected(self) -> bool:
        """Print the selected business's voucher (补打 when its original went out already);
        False when none is selected."""
        serial = self.selected_serial()
        if serial is None:
            return False
        self.voucher_status.setText(self.tr("正在打印 {serial}…").format(serial=serial))
        self.vouchers.print(serial)
        return True
