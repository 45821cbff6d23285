"""异地就医备案 (F11): the served citizen's filings, a new filing, a change of the selected one
and its cancel, each receipted with its 备案回执.

The 就医地 is typed as a city's name, its pinyin or initials, or its code: the completer lists
what the core's GB/T 2260 index finds. Keyboard first: Enter takes the default and moves on, the
first match of the list is taken with Enter, and the last Enter files.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QDate, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
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

from medins_desk.domain.medical_filing import FilingKind, filing_valid_until, materials_for
from medins_desk.domain.regions import Region, destinations, search_destinations
from medins_desk.services.medical_filing import (
    FilingReceipt,
    cancel_filing,
    change_filing,
    file_for_care_elsewhere,
    person_filings,
)
from medins_desk.services.persons import FilingLine, PersonDetail
from ui.context import AppContext
from ui.labels import tr_label
from ui.serving import nobody_served_text
from ui.views.base import ViewModel, error_label, message_label, receipt_box
from ui.views.dates import date_edit, picked_date
from ui.vouchers import VoucherBar

_CODE = re.compile(r"[0-9]{6}")
_MOST_MATERIALS = max(len(materials_for(kind)) for kind in FilingKind)


class MedicalFilingModel(ViewModel):
    """Reads the served citizen's filings and files, changes or cancels one, in workers."""

    filings = Signal(list)  # list[FilingLine]
    done = Signal(object)  # FilingReceipt

    def load(self, person: PersonDetail | None) -> None:
        if person is None:
            self.filings.emit([])
        else:
            self.call_for_served(person_filings, done=self.filings.emit, person_id=person.id)

    def file(self, **kwargs: object) -> None:
        self.act(file_for_care_elsewhere, self._done, for_served=True, **kwargs)

    def change(self, **kwargs: object) -> None:
        self.act(change_filing, self._done, for_served=True, **kwargs)

    def cancel(self, **kwargs: object) -> None:
        self.act(cancel_filing, self._done, for_served=True, **kwargs)

    def _done(self, receipt: FilingReceipt) -> None:
        self.done.emit(receipt)
        person = self.context.served.person
        if person is not None:
            self.load(person)


class DestinationEdit(QLineEdit):
    """就医地: a name, pinyin, initials or code typed here lists the matching cities (arrows
    pick one); Enter on what was typed takes the first of the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("输入城市名称、拼音、首字母或区划代码，如：泸州、lz、5105"))
        self.matches = QStringListModel(self)
        self.list = QCompleter(self.matches, self)
        # The core has matched already (pinyin, initials): the list is shown as it is.
        self.list.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCompleter(self.list)
        self.textEdited.connect(self._search)
        self.editingFinished.connect(self._take_first)
        # An Enter the open list passes on reaches the edit itself, past the form's Enter
        # handling (ui.keyboard): it moves on all the same.
        self.returnPressed.connect(self.focusNextChild)

    def _search(self, text: str) -> None:
        self.matches.setStringList([_shown(r) for r in search_destinations(text, limit=12)])
        if self.matches.rowCount():
            self.list.complete()

    def _take_first(self) -> None:
        text = self.text().strip()
        if text and not _CODE.search(text):
            first = search_destinations(text, limit=1)
            if first:
                self.setText(_shown(first[0]))


def _shown(region: Region) -> str:
    """四川省泸州市 510500: the name to read and the code the core parses."""
    return f"{region.full_name} {region.code}"


class MedicalFilingView(QWidget):
    """异地就医备案 (F11)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = MedicalFilingModel(context, self)
        self.errors: dict[str, QLabel] = {}
        self.person_label = QLabel(nobody_served_text())
        self.person_label.setObjectName("filing_person")
        self.person_label.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("filings")
        self.table.setHorizontalHeaderLabels([
            self.tr("备案类型"), self.tr("就医地"), self.tr("开始日期"), self.tr("有效期至"),
            self.tr("状态"), self.tr("业务流水号"),
        ])  # fmt: skip
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setMaximumHeight(150)
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Enter runs down the form
        self.lines: list[FilingLine] = []

        today = context.require_actor().today()
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in FilingKind:
            self.kind.addItem(tr_label(kind.label), kind)
        self.destination = DestinationEdit()
        self.destination.setObjectName("destination_code")
        self.starts_on = date_edit(today, "starts_on")
        self.validity = QLabel()
        self.validity.setObjectName("validity")
        self.materials: list[QCheckBox] = []
        materials = QHBoxLayout()
        for index in range(_MOST_MATERIALS):
            box = QCheckBox()
            box.setObjectName(f"material_{index}")
            self.materials.append(box)
            materials.addWidget(box)
        materials.addStretch(1)
        self.file_button = QPushButton(self.tr("办理备案(&S)"))
        self.file_button.setObjectName("file")
        self.change_button = QPushButton(self.tr("变更所选备案(&G)"))
        self.change_button.setObjectName("change")
        self.change_button.setToolTip(
            self.tr("所选备案于新开始日期的前一天终止，按上面填写的内容重新备案")
        )

        filing_box = QGroupBox(self.tr("备案内容"))
        form = QFormLayout(filing_box)
        form.addRow(self.tr("备案类型"), self._with_error(self.kind, "kind"))
        form.addRow(self.tr("就医地"), self._with_error(self.destination, "destination_code"))
        form.addRow(self.tr("开始日期"), self._with_error(self.starts_on, "starts_on"))
        form.addRow(self.tr("有效期"), self.validity)
        form.addRow(self.tr("材料（未勾选的打印为尚缺）"), self._with_error(materials, "materials"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.change_button)
        buttons.addWidget(self.file_button)
        form.addRow(buttons)

        self.ends_from = date_edit(today, "ends_from")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("如：已回参保地居住"))
        self.cancel_button = QPushButton(self.tr("取消所选备案(&Q)"))
        self.cancel_button.setObjectName("cancel_filing")
        cancel_box = QGroupBox(self.tr("取消备案"))
        cancel_form = QFormLayout(cancel_box)
        cancel_form.addRow(self.tr("自此日起取消"), self._with_error(self.ends_from, "ends_from"))
        cancel_form.addRow(self.tr("取消原因"), self._with_error(self.reason, "reason"))
        cancel_row = QHBoxLayout()
        cancel_row.addStretch(1)
        cancel_row.addWidget(self.cancel_button)
        cancel_form.addRow(cancel_row)

        self.message = message_label()
        self.receipt = receipt_box()
        self.voucher_bar = VoucherBar(context)
        layout = QVBoxLayout(self)
        layout.addWidget(self.person_label)
        layout.addWidget(self.table)
        layout.addWidget(filing_box)
        layout.addWidget(cancel_box)
        layout.addWidget(self.message)
        layout.addWidget(self.voucher_bar)
        layout.addWidget(self.receipt, 1)
        self.setFocusProxy(self.kind)  # F11 puts the clerk in the form's first field

        self.kind.currentIndexChanged.connect(lambda _index: self._kind_changed())
        self.starts_on.dateChanged.connect(lambda _day: self._show_validity())
        self.file_button.clicked.connect(self._file)
        self.change_button.clicked.connect(self._change)
        self.cancel_button.clicked.connect(self._cancel)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.model.filings.connect(self._show_filings)
        self.model.done.connect(self._show_receipt)
        self.model.failed.connect(self._show_error)
        context.served.changed.connect(self.set_person)
        context.served.updated.connect(lambda person, _serial: self.model.load(person))
        # The index of destinations is built once, in a worker, before the first keystroke.
        context.runner.submit(destinations, asker=self.model)
        self._kind_changed()
        self.set_person(context.served.person)

    def _with_error(self, widget: QWidget | QHBoxLayout, field: str) -> QWidget:
        label = self.errors[field] = error_label(f"{field}_error")
        row = QHBoxLayout()
        if isinstance(widget, QHBoxLayout):
            row.addLayout(widget, 3)
        else:
            row.addWidget(widget, 3)
        row.addWidget(label, 2)
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        return holder

    # -- who is served -----------------------------------------------------------------------

    def set_person(self, person: PersonDetail | None) -> None:
        """Another citizen (or nobody): the form starts afresh."""
        self.cancel()
        self.receipt.clear()
        self.voucher_bar.clear()
        self.person_label.setText(
            nobody_served_text()
            if person is None
            else self.tr("{name}（{number}）的异地就医备案").format(
                name=person.name, number=person.id_number
            )
        )
        for button in (self.file_button, self.change_button, self.cancel_button):
            button.setEnabled(person is not None)
        self._show_filings([])
        self.model.load(person)

    def cancel(self) -> None:
        """Esc: the form is cleared; nothing is filed."""
        today = self.context.require_actor().today()
        self.kind.setCurrentIndex(0)
        self.destination.clear()
        self.starts_on.setDate(QDate(today.year, today.month, today.day))
        self.ends_from.setDate(QDate(today.year, today.month, today.day))
        self.reason.clear()
        for box in self.materials:
            box.setChecked(False)
        self._clear_errors()

    def _clear_errors(self) -> None:
        self.message.clear()
        for label in self.errors.values():
            label.clear()

    # -- the list ----------------------------------------------------------------------------

    def _show_filings(self, lines: list[FilingLine]) -> None:
        self.lines = lines
        self.table.clearSelection()
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            until = f"{line.last_day:%Y-%m-%d}" if line.last_day else self.tr("长期有效")
            values = (
                tr_label(line.kind.label), line.destination, f"{line.starts_on:%Y-%m-%d}", until,
                tr_label(line.state_label), line.serial,
            )  # fmt: skip
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        live = next((row for row, line in enumerate(lines) if line.live), None)
        if live is not None:
            self.table.selectRow(live)  # the live filing is what a change or cancel is for
        self._selection_changed()

    def selected(self) -> FilingLine | None:
        rows = self.table.selectionModel().selectedRows()
        line = self.lines[rows[0].row()] if rows else None
        return line if line is not None and line.live else None

    def _selection_changed(self) -> None:
        served = self.context.served.person is not None
        live = self.selected() is not None
        self.change_button.setEnabled(served and live)
        self.cancel_button.setEnabled(served and live)

    # -- the form ----------------------------------------------------------------------------

    def _chosen(self) -> FilingKind:
        return FilingKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        wanted = materials_for(self._chosen())
        for index, box in enumerate(self.materials):
            box.setChecked(False)
            box.setVisible(index < len(wanted))
            box.setText(wanted[index] if index < len(wanted) else "")
        self._show_validity()

    def _show_validity(self) -> None:
        policy = self.context.counter.policy
        until = filing_valid_until(self._chosen(), picked_date(self.starts_on), policy)
        self.validity.setText(
            self.tr("长期有效，至变更或取消备案时止")
            if until is None
            else self.tr("临时备案，有效期至 {day}（{months} 个月）").format(
                day=f"{until:%Y-%m-%d}", months=policy.temporary_filing_months
            )
        )

    def _filing(self) -> dict[str, object]:
        kind = self._chosen()
        count = len(materials_for(kind))
        return {
            "kind": kind,
            "destination_code": self.destination.text(),
            "starts_on": picked_date(self.starts_on),
            "materials": tuple(b.text() for b in self.materials[:count] if b.isChecked()),
        }

    def _file(self) -> None:
        self._clear_errors()
        person = self.context.served.person
        if person is not None:
            self.model.file(person_id=person.id, **self._filing())

    def _change(self) -> None:
        self._clear_errors()
        line = self.selected()
        if line is not None:
            self.model.change(filing_id=line.id, **self._filing())

    def _cancel(self) -> None:
        self._clear_errors()
        line = self.selected()
        if line is not None:
            self.model.cancel(filing_id=line.id, ends_from=picked_date(self.ends_from),
                              reason=self.reason.text())  # fmt: skip

    # -- outcomes ----------------------------------------------------------------------------

    def _show_receipt(self, receipt: FilingReceipt) -> None:
        self.cancel()
        self.message.setText(
            self.tr("已办理「{act}」，业务流水号 {serial}").format(
                act=tr_label(receipt.transaction.kind_label), serial=receipt.transaction.serial
            )
        )
        until = f"{receipt.valid_until:%Y-%m-%d}" if receipt.valid_until else self.tr("长期有效")
        lines = [
            self.tr("业务流水号：{s}").format(s=receipt.transaction.serial),
            self.tr("备案类型：{k}").format(k=tr_label(receipt.kind_label)),
            self.tr("就医地：{d}").format(d=receipt.destination),
            self.tr("开始日期：{d}").format(d=f"{receipt.starts_on:%Y-%m-%d}"),
            self.tr("有效期至：{d}").format(d=until),
        ]
        if receipt.ends_from is not None:
            lines.append(self.tr("自 {d} 起取消").format(d=f"{receipt.ends_from:%Y-%m-%d}"))
        if receipt.missing_materials:
            lines.append(self.tr("尚缺材料：{m}").format(m="、".join(receipt.missing_materials)))
        self.receipt.setPlainText("\n".join(lines))
        self.voucher_bar.issue(receipt)

    def _show_error(self, field: str, text: str) -> None:
        label = self.errors.get(field)
        if label is None:
            self.message.setText(text)
            return
        label.setText(text)
        widgets: dict[str, QWidget] = {
            "kind": self.kind, "destination_code": self.destination, "starts_on": self.starts_on,
            "ends_from": self.ends_from, "reason": self.reason,
        }  # fmt: skip
        widget = widgets.get(field)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
