"""本窗口设置 (admin): counter, devices, database, agency and regional policy, saved to the
user's settings.toml. Printers take effect at once; the rest when the counter next starts. A value
the environment or the hall's locked system settings decide is shown, not editable."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from medins_desk.cardreader import CardReaderError
from medins_desk.domain.money import format_yuan, parse_yuan
from medins_desk.domain.policy import TRANSFER_RULE_SETS
from medins_desk.errors import ValidationError
from medins_desk.settings import (
    LANGUAGES,
    Origin,
    Settings,
    Source,
    environment_overrides,
    save_settings,
    settings_file,
)
from ui.context import AppContext
from ui.errors import message_of
from ui.views.base import error_label, message_label

# Amounts in yuan: the card fees and 在职转退休's monthly amount of a shortfall.
FEES = (
    "fee_first_card_fen", "fee_reissue_fen", "fee_replacement_fen",
    "retirement_monthly_payment_fen",
)  # fmt: skip
# 参保登记's, 异地就医备案's and 在职转退休's region values: Policy checks each one when the
# settings are saved, at its field.
ENROLLMENT_VALUES = (
    "resident_collection_start_month", "resident_collection_end_month", "resident_waiting_days",
    "newborn_enrollment_months", "employee_continuation_days", "employee_waiting_months",
    "temporary_filing_months", "retirement_years_men", "retirement_years_women",
    "retirement_local_years", "retirement_min_age", "retirement_continuity_months",
    "retirement_uncovered_wait_months",
)  # fmt: skip


class CounterSettingsModel(QObject):
    """Device lists, the connection test and saving, each in a worker."""

    printers = Signal(list)
    readers = Signal(list)
    message = Signal(str)
    failed = Signal(str, str)  # field, message
    saved = Signal(object)  # Settings as now in the file

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def _submit(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.context.runner.submit(work, done=done, failed=self._fail)

    def _fail(self, error: BaseException) -> None:
        field = error.field if isinstance(error, ValidationError) else ""
        self.failed.emit(field, message_of(error))

    def find_printers(self) -> None:
        def work() -> list[str]:
            from printing.printer import list_printers

            return list_printers()

        self._submit(work, self.printers.emit)

    def find_readers(self) -> None:
        def work() -> list[str]:
            from medins_desk.cardreader.pcsc import PcscCardReader

            reader = PcscCardReader()
            try:
                return reader.readers()
            finally:
                reader.close()

        def failed(error: BaseException) -> None:
            if isinstance(error, CardReaderError):
                self.message.emit(message_of(error))
                self.readers.emit([])
            else:
                self._fail(error)

        self.context.runner.submit(work, done=self.readers.emit, failed=failed)

    def test_database(self, url: str) -> None:
        def work() -> str:
            from medins_desk.store import check_database

            return check_database(url)

        self._submit(work, self.message.emit)

    def save(self, changes: dict[str, Any]) -> None:
        def done(saved: Settings) -> None:
            # Printers take effect at once: the next voucher goes to the new one.
            context = self.context
            context.settings = dataclasses.replace(
                context.settings, printer=saved.printer, receipt_printer=saved.receipt_printer
            )
            self.saved.emit(saved)

        self._submit(lambda: save_settings(changes), done)


class CounterSettingsForm(QWidget):
    """The form of the user's settings.toml; a value the environment decides, or the system
    file locks, is shown, not editable."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CounterSettingsModel(context, self)
        settings = context.settings
        policy, agency = settings.policy, settings.agency
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.decided = environment_overrides()
        self.origins = settings.origins

        self.hall_name = self._text("hall_name", settings.hall_name)
        self.counter_no = self._text("counter_no", settings.counter_no)
        self.has_card_printer = self._check("has_card_printer", settings.has_card_printer)
        self.idle_lock_minutes = self._spin("idle_lock_minutes", settings.idle_lock_minutes, 1, 120)
        self.language = QComboBox()
        for code, label in LANGUAGES.items():
            self.language.addItem(label, code)
        self.language.setCurrentIndex(self.language.findData(settings.language))
        self._field("language", self.language)
        self.printer = self._choice("printer", settings.printer, self.tr("系统默认打印机"))
        self.receipt_printer = self._choice(
            "receipt_printer", settings.receipt_printer, self.tr("无（回执用 A4 打印机）")
        )
        self.card_reader = self._choice(
            "card_reader", settings.card_reader, self.tr("第一个插入社保卡的读卡器")
        )
        self.photo_folder = self._text("photo_folder", settings.photo_folder)
        self.database_url = self._text("database_url", settings.database_url)
        self.agency_name = self._text("agency.name", agency.name)
        self.agency_address = self._text("agency.address", agency.address)
        self.agency_phone = self._text("agency.phone", agency.phone)
        self.temporary_loss_days = self._spin(
            "temporary_loss_days", policy.temporary_loss_days, 1, 30
        )
        self.fees = {name: self._text(name, format_yuan(getattr(policy, name))) for name in FEES}
        self.expired_replacement_free = self._check(
            "expired_replacement_free", policy.expired_replacement_free
        )
        self.card_production_working_days = self._spin(
            "card_production_working_days", policy.card_production_working_days, 0, 365
        )
        self.guardian_age = self._spin("guardian_age", policy.guardian_age, 0, 25)
        self.enrollment = {
            name: self._spin(name, getattr(policy, name), 0, 999) for name in ENROLLMENT_VALUES
        }
        self.transfer_rules = QComboBox()
        for rules in sorted(TRANSFER_RULE_SETS, reverse=True):
            self.transfer_rules.addItem(rules, rules)
        self.transfer_rules.setCurrentIndex(self.transfer_rules.findData(policy.transfer_rules))
        self._field("transfer_rules", self.transfer_rules)

        self.find_printers = QPushButton(self.tr("刷新打印机"))
        self.find_readers = QPushButton(self.tr("刷新读卡器"))
        self.test_database = QPushButton(self.tr("测试连接"))
        self.test_database.setObjectName("test_database")
        self.save = QPushButton(self.tr("保存设置"))
        self.save.setObjectName("save_settings")
        self.message = message_label("settings_message")

        device_buttons = QWidget()
        row = QHBoxLayout(device_buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.find_printers)
        row.addWidget(self.find_readers)
        row.addStretch(1)
        extras = {self.tr("设备"): device_buttons, self.tr("数据库"): self.test_database}
        groups = [
            (self.tr("窗口"), [
                (self.tr("大厅名称"), "hall_name"), (self.tr("窗口号"), "counter_no"),
                (self.tr("本窗口有制卡设备"), "has_card_printer"),
                (self.tr("锁屏时间（分钟）"), "idle_lock_minutes"),
                (self.tr("界面语言"), "language"),
            ]),
            (self.tr("设备"), [
                (self.tr("A4 打印机"), "printer"),
                (self.tr("回执打印机（80 mm）"), "receipt_printer"),
                (self.tr("读卡器"), "card_reader"),
                (self.tr("照片文件夹（高拍仪保存照片处）"), "photo_folder"),
            ]),
            (self.tr("数据库"), [(self.tr("数据库地址"), "database_url")]),
            (self.tr("经办机构"), [
                (self.tr("名称"), "agency.name"), (self.tr("地址"), "agency.address"),
                (self.tr("电话"), "agency.phone"),
            ]),
            (self.tr("政策参数"), [
                (self.tr("临时挂失有效天数"), "temporary_loss_days"),
                (self.tr("首次申领费用（元）"), "fee_first_card_fen"),
                (self.tr("补领费用（元）"), "fee_reissue_fen"),
                (self.tr("换领费用（元）"), "fee_replacement_fen"),
                (self.tr("过期换领免费"), "expired_replacement_free"),
                (self.tr("制卡工作日数"), "card_production_working_days"),
                (self.tr("需监护人的年龄（未满）"), "guardian_age"),
                (self.tr("转移接续规则"), "transfer_rules"),
            ]),
            (self.tr("参保登记"), [
                (self.tr("居民集中缴费期起始月"), "resident_collection_start_month"),
                (self.tr("居民集中缴费期截止月"), "resident_collection_end_month"),
                (self.tr("新参保等待天数"), "resident_waiting_days"),
                (self.tr("新生儿出生后参保月数"), "newborn_enrollment_months"),
                (self.tr("离职后续保天数"), "employee_continuation_days"),
                (self.tr("职工个人参保等待月数"), "employee_waiting_months"),
            ]),
            (self.tr("异地就医备案"), [
                (self.tr("临时外出就医备案有效月数"), "temporary_filing_months"),
            ]),
            (self.tr("在职转退休"), [
                (self.tr("男职工累计缴费年限"), "retirement_years_men"),
                (self.tr("女职工累计缴费年限"), "retirement_years_women"),
                (self.tr("本地实际缴费年限"), "retirement_local_years"),
                (self.tr("最低退休年龄"), "retirement_min_age"),
                (self.tr("退休后连续享受待遇的办理月数"), "retirement_continuity_months"),
                (self.tr("退休时未参保的等待月数"), "retirement_uncovered_wait_months"),
                (self.tr("趸缴、逐年缴纳月缴费额（元）"), "retirement_monthly_payment_fen"),
            ]),
        ]  # fmt: skip
        column = QVBoxLayout()
        for title, rows in groups:
            box = QGroupBox(title)
            form = QFormLayout(box)
            for label, key in rows:
                form.addRow(label, self._with_error(key))
            if title in extras:
                form.addRow(extras[title])
            column.addWidget(box)
        column.addStretch(1)
        inner = QWidget()
        inner.setLayout(column)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("设置文件：{path}").format(path=settings_file())))
        hall_files = {o.where for o in self.origins.values() if o.source is Source.SYSTEM}
        for path in sorted(hall_files):
            layout.addWidget(
                QLabel(self.tr("大厅统一设置（系统设置文件）：{path}").format(path=path))
            )
        layout.addWidget(scroll, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.save)
        actions.addWidget(self.message, 1)
        layout.addLayout(actions)

        self.find_printers.clicked.connect(self.model.find_printers)
        self.find_readers.clicked.connect(self.model.find_readers)
        self.test_database.clicked.connect(
            lambda: self.model.test_database(self.database_url.text().strip())
        )
        self.save.clicked.connect(self._save)
        self.model.printers.connect(lambda names: self._offer(names, self.printer))
        self.model.printers.connect(lambda names: self._offer(names, self.receipt_printer))
        self.model.readers.connect(lambda names: self._offer(names, self.card_reader))
        self.model.message.connect(self.message.setText)
        self.model.failed.connect(self._show_error)
        self.model.saved.connect(self._saved)
        # What the form showed when it opened: saving writes only what the administrator changed,
        # so a value shown from the hall's file or from the defaults is not pinned in the user's
        # file, where it would hide the hall's later changes.
        self.shown = self.changes()
        self.sent = self.shown

    # -- building ---------------------------------------------------------------------------

    def _decided_by(self, key: str) -> str | None:
        """The environment variable that sets ``key`` (a policy value by its bare name)."""
        return self.decided.get(key) or self.decided.get(f"policy.{key}")

    def _origin(self, key: str) -> Origin | None:
        return self.origins.get(key) or self.origins.get(f"policy.{key}")

    def _fixed_by(self, key: str) -> str | None:
        """Why the form cannot change ``key``: the environment, or the hall's locked system
        file; None where it can."""
        variable = self._decided_by(key)
        if variable is not None:
            return self.tr("由环境变量 {v} 指定").format(v=variable)
        origin = self._origin(key)
        if origin is not None and origin.locked:
            return self.tr("由大厅系统设置文件 {path} 统一设置").format(path=origin.where)
        return None

    def _field(self, key: str, widget: QWidget) -> None:
        widget.setObjectName(key.replace(".", "_"))
        self.fields[key] = widget
        fixed = self._fixed_by(key)
        origin = self._origin(key)
        if fixed is not None:
            widget.setEnabled(False)
            widget.setToolTip(fixed)
        elif origin is not None and origin.source is Source.SYSTEM:
            widget.setToolTip(
                self.tr("大厅统一设置（{path}）；在此修改只改本窗口").format(path=origin.where)
            )

    def _text(self, key: str, value: str) -> QLineEdit:
        edit = QLineEdit(value)
        self._field(key, edit)
        return edit

    def _check(self, key: str, value: bool) -> QCheckBox:
        box = QCheckBox()
        box.setChecked(value)
        self._field(key, box)
        return box

    def _spin(self, key: str, value: int, low: int, high: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        self._field(key, spin)
        return spin

    def _choice(self, key: str, value: str, empty: str) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        edit = combo.lineEdit()
        assert edit is not None  # an editable combo has one
        edit.setPlaceholderText(empty)
        combo.setEditText(value)
        self._field(key, combo)
        return combo

    def _with_error(self, key: str) -> QWidget:
        box = QWidget()
        rows = QVBoxLayout(box)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addWidget(self.fields[key])
        error = error_label(f"error_{key.replace('.', '_')}")
        fixed = self._fixed_by(key)
        if fixed is not None:
            error.setText(fixed)
        rows.addWidget(error)
        self.errors[key] = error
        return box

    @staticmethod
    def _offer(names: list[str], combo: QComboBox) -> None:
        current = combo.currentText()
        combo.clear()
        combo.addItems(names)
        combo.setEditText(current)

    # -- saving -----------------------------------------------------------------------------

    def changes(self) -> dict[str, Any]:
        """What the form says, as settings.toml keys; the keys it cannot change left out."""
        top: dict[str, Any] = {
            "hall_name": self.hall_name.text().strip(),
            "counter_no": self.counter_no.text().strip(),
            "has_card_printer": self.has_card_printer.isChecked(),
            "idle_lock_minutes": self.idle_lock_minutes.value(),
            "language": self.language.currentData(),
            "printer": self.printer.currentText().strip(),
            "receipt_printer": self.receipt_printer.currentText().strip(),
            "card_reader": self.card_reader.currentText().strip(),
            "photo_folder": self.photo_folder.text().strip(),
            "database_url": self.database_url.text().strip(),
        }
        agency = {
            "name": self.agency_name.text().strip(),
            "address": self.agency_address.text().strip(),
            "phone": self.agency_phone.text().strip(),
        }
        policy: dict[str, Any] = {
            "temporary_loss_days": self.temporary_loss_days.value(),
            "expired_replacement_free": self.expired_replacement_free.isChecked(),
            "card_production_working_days": self.card_production_working_days.value(),
            "guardian_age": self.guardian_age.value(),
            "transfer_rules": self.transfer_rules.currentData(),
            **{name: spin.value() for name, spin in self.enrollment.items()},
        }
        for name, edit in self.fees.items():
            policy[name] = parse_yuan(edit.text(), field=name, what=self.tr("费用"))
        changes: dict[str, Any] = {k: v for k, v in top.items() if not self._fixed_by(k)}
        changes["agency"] = {k: v for k, v in agency.items() if not self._fixed_by(f"agency.{k}")}
        changes["policy"] = {k: v for k, v in policy.items() if not self._fixed_by(k)}
        return changes

    def _save(self) -> None:
        for key, error in self.errors.items():
            if not self._fixed_by(key):
                error.clear()
        self.message.clear()
        try:
            now = self.changes()
        except ValidationError as error:
            self._show_error(error.field, error.message)
            return
        self.sent = now
        self.message.setText(self.tr("正在保存…"))
        self.model.save(_changed(now, self.shown))

    def _saved(self, _settings: Settings) -> None:
        self.shown = self.sent
        self.message.setText(
            self.tr(
                "已保存到 {path}。打印机立即生效；数据库、窗口号、语言、读卡器等在重新启动后生效"
            ).format(path=settings_file())
        )

    def _show_error(self, field: str, text: str) -> None:
        label = self.errors.get(field)
        if label is None:
            self.message.setText(text)
            return
        label.setText(text)
        self.message.setText(self.tr("有设置项不正确，未保存"))
        self.fields[field].setFocus()


def _changed(now: dict[str, Any], shown: dict[str, Any]) -> dict[str, Any]:
    """The values of ``now`` that differ from ``shown``, the tables' value by value."""
    changed = {k: v for k, v in now.items() if k not in ("agency", "policy") and shown.get(k) != v}
    for table in ("agency", "policy"):
        changed[table] = {k: v for k, v in now[table].items() if shown[table].get(k) != v}
    return changed
