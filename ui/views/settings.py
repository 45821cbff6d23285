"""设置 (admin): users and roles, and the counter's own settings (settings.toml)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from medins_desk.domain.roles import Role
from medins_desk.services.users import (
    UserInfo,
    create_user,
    list_users,
    set_user_active,
    set_user_role,
)
from ui.context import AppContext
from ui.labels import tr_label
from ui.views.base import ViewModel, message_label
from ui.views.counter_settings import CounterSettingsForm


class UsersModel(ViewModel):
    users = Signal(list)  # list[UserInfo]
    message = Signal(str)

    def load(self) -> None:
        self.call_latest(list_users, done=self.users.emit)

    def create(self, username: str, display_name: str, role: Role, password: str) -> None:
        self.call(
            create_user, username=username, display_name=display_name, role=role,
            password=password, done=lambda u: self._changed(self.tr("已新增用户 {u}"), u),
        )  # fmt: skip

    def set_role(self, user: UserInfo, role: Role) -> None:
        self.call(
            set_user_role, user_id=user.id, role=role,
            done=lambda u: self._changed(self.tr("已修改 {u} 的角色"), u),
        )  # fmt: skip

    def set_active(self, user: UserInfo, active: bool) -> None:
        text = self.tr("已启用 {u}") if active else self.tr("已停用 {u}")
        self.call(
            set_user_active, user_id=user.id, active=active,
            done=lambda u: self._changed(text, u),
        )  # fmt: skip

    def _changed(self, text: str, user: UserInfo) -> None:
        self.message.emit(text.format(u=user.username))
        self.load()


class SettingsView(QWidget):
    """设置 (F10), for administrators."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = UsersModel(context, self)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("users")
        self.table.setHorizontalHeaderLabels(
            [self.tr("用户名"), self.tr("姓名"), self.tr("角色"), self.tr("状态")]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in Role:
            self.role.addItem(tr_label(role.label), role)
        self.apply_role = QPushButton(self.tr("修改所选用户的角色"))
        self.apply_role.setObjectName("apply_role")
        self.toggle_active = QPushButton(self.tr("停用/启用所选用户"))
        self.toggle_active.setObjectName("toggle_active")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("display_name")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add = QPushButton(self.tr("新增用户"))
        self.add.setObjectName("add")
        self.message = message_label()

        users = QGroupBox(self.tr("用户与角色"))
        users_layout = QVBoxLayout(users)
        users_layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addWidget(self.role)
        row.addWidget(self.apply_role)
        row.addWidget(self.toggle_active)
        row.addStretch(1)
        users_layout.addLayout(row)
        new_user = QFormLayout()
        new_user.addRow(self.tr("用户名"), self.username)
        new_user.addRow(self.tr("姓名"), self.display_name)
        new_user.addRow(self.tr("初始密码"), self.password)
        new_user.addRow(self.add)
        users_layout.addLayout(new_user)

        self.counter = CounterSettingsForm(context)
        tabs = QTabWidget()
        tabs.addTab(users, self.tr("用户与角色"))
        tabs.addTab(self.counter, self.tr("本窗口设置"))
        self.tabs = tabs
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.message)

        self._users: list[UserInfo] = []
        self.apply_role.clicked.connect(self._apply_role)
        self.toggle_active.clicked.connect(self._toggle_active)
        self.add.clicked.connect(self._add)
        self.model.users.connect(self._show_users)
        self.model.message.connect(self.message.setText)
        self.model.failed.connect(lambda _field, text: self.message.setText(text))

    def showEvent(self, event: QShowEvent) -> None:
        self.model.load()
        super().showEvent(event)

    def _show_users(self, users: list[UserInfo]) -> None:
        self._users = users
        self.table.setRowCount(len(users))
        for row, user in enumerate(users):
            status = self.tr("启用") if user.active else self.tr("停用")
            for column, value in enumerate(
                (user.username, user.display_name, tr_label(user.role.label), status)
            ):
                self.table.setItem(row, column, QTableWidgetItem(value))

    def _selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._users[rows[0].row()] if rows and rows[0].row() < len(self._users) else None

    def _apply_role(self) -> None:
        user = self._selected()
        if user is not None:
            self.model.set_role(user, Role(self.role.currentData()))

    def _toggle_active(self) -> None:
        user = self._selected()
        if user is not None:
            self.model.set_active(user, not user.active)

    def _add(self) -> None:
        self.model.create(
            self.username.text(), self.display_name.text(), Role(self.role.currentData()),
            self.password.text(),
        )  # fmt: skip
        self.password.clear()
