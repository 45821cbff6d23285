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

from medins_desk.services.persons import PersonDetail, PersonHit, PersonLookup, get_person
from ui.context import AppContext
from ui.errors import message_of
from ui.labels import tr_label
from ui.tasks import TaskRunner
from ui.vouchers import Preview, PreviewDialog, VoucherDesk, open_preview


class LookupModel(QObject):
    """Search as the clerk types. Searches run in order on one worker thread that keeps its own
    :class:`PersonLookup`; a result arriving after a newer keystroke is dropped."""

    results = Signal(list)  # list[PersonHit]
    person = Signal(object)  # PersonDetail
    failed = Signal(str)

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
            self.results.emit([])
            return

        def work() -> list[PersonHit]:
            return self._lookup_in_worker().find(text)

        def done(hits: list[PersonHit]) -> None:
            if generation == self._generation:
                self.results.emit(hits)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self.failed.emit(message_of(error))

        self._searches.submit(work, done=done, failed=failed)

    def _lookup_in_worker(self) -> PersonLookup:
        # Created and used only on the search thread (the runner is serial).
        if self._lookup is None:
            self._lookup = PersonLookup(
                self.context.require_store().sessions, self.context.require_actor()
            )
        return self._lookup

    def open_person(self, person_id: int) -> None:
        self.context.call(
            get_person, person_id=person_id, done=self.person.emit,
            failed=lambda error: self.failed.emit(message_of(error)),
        )  # fmt: skip

    def close(self) -> None:
        lookup = self._lookup

        def work() -> None:
            if lookup is not None:
                lookup.close()

        self._searches.submit(work)
        self._searches.wait()


class LookupView(QWidget):
    """参保人查询 (F2)."""

    person_opened = Signal(object)  # PersonDetail

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = LookupModel(context, self)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("社会保障号码、卡号、姓名或拼音首字母（如 zs）"))
        self.search.setClearButtonEnabled(True)
        self.status = QLabel()
        self.status.setObjectName("status")
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
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        self.setFocusProxy(self.search)

        self.search.textChanged.connect(self.model.search)
        self.search.returnPressed.connect(self._open_first)
        self.table.cellActivated.connect(lambda row, _column: self._open_row(row))
        self.model.results.connect(self._show_results)
        self.model.failed.connect(self.status.setText)
        self.model.person.connect(self.person_opened.emit)
        self._hits: list[PersonHit] = []

    def cancel(self) -> None:
        self.search.clear()
        self.search.setFocus()

    def _show_results(self, hits: list[PersonHit]) -> None:
        self._hits = hits
        self.table.setRowCount(len(hits))
        for row, hit in enumerate(hits):
            values = (
                hit.name, hit.masked_id_number, tr_label(hit.sex.label), hit.birth_date.isoformat(),
                hit.card_number or "",
            )  # fmt: skip
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        if hits:
            self.status.setText(self.tr("找到 {n} 人，按回车打开第一位").format(n=len(hits)))
        elif self.search.text().strip():
            self.status.setText(self.tr("没有找到符合条件的参保人"))
        else:
            self.status.setText("")

    def _open_first(self) -> None:
        if self._hits:
            self._open_row(0)

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self._hits):
            self.model.open_person(self._hits[row].id)

    def shutdown(self) -> None:
        self.model.close()


class PersonPanel(QWidget):
    """The person being served: stays visible whichever business view is open, with their
    recent business, whose vouchers can be previewed and printed (补打 after the first) here."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("当前未选择参保人"))
        self.title.setObjectName("person_title")
        self.details = QLabel()
        self.details.setObjectName("person_details")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
        layout.addWidget(QLabel(self.tr("近期业务")))
        layout.addWidget(self.history, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.voucher_status)
        self.person: PersonDetail | None = None
        self.dialog: PreviewDialog | None = None
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_selected)
        self.history.itemSelectionChanged.connect(self._selection_changed)
        self.vouchers.previewed.connect(self._previewed)
        self.vouchers.printed.connect(
            lambda outcome: self.voucher_status.setText(outcome.describe())
        )
        self.vouchers.failed.connect(self.voucher_status.setText)
        self._selection_changed()

    def show_person(self, person: PersonDetail) -> None:
        self.person = person
        self.title.setText(
            f"{person.name}（{tr_label(person.sex.label)}，{person.birth_date:%Y-%m-%d}）"
        )
        lines = [self.tr("社会保障号码：{n}").format(n=person.id_number)]
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
        for card in person.cards:
            lines.append(
                self.tr("社保卡：{number} {state}").format(
                    number=card.card_number or self.tr("（未制卡）"),
                    state=tr_label(card.state.label),
                )
            )
        self.details.setText("\n".join(lines))
        self.history.setRowCount(len(person.transactions))
        for row, line in enumerate(person.transactions):
            kind = tr_label(line.kind_label) + (self.tr("（已作废）") if line.voided else "")
            values = (f"{line.created_at:%Y-%m-%d %H:%M}", kind, line.serial)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(line.summary)
                self.history.setItem(row, column, item)
        self.voucher_status.clear()
        self._selection_changed()

    def selected_serial(self) -> str | None:
        rows = self.history.selectionModel().selectedRows()
        if not rows or self.person is None:
            return None
        return self.person.transactions[rows[0].row()].serial

    def _selection_changed(self) -> None:
        chosen = self.selected_serial() is not None
        self.preview_button.setEnabled(chosen)
        self.print_button.setEnabled(chosen)

    def preview(self) -> None:
        serial = self.selected_serial()
        if serial is not None:
            self.vouchers.preview(serial)

    def _previewed(self, preview: Preview) -> None:
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
