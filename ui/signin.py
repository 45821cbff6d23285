"""登录: the sign-in dialog, and on an empty store the first administrator's account."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from medins_desk.errors import StoreError, UserFacingError
from ui.context import AppContext, StoreOpened
from ui.errors import message_of

if TYPE_CHECKING:  # the services load in the worker: the dialog shows with Qt alone
    from PySide6.QtGui import QPaintEvent
    from sqlalchemy.orm import Session

    from medins_desk.services.context import Actor


class SignInModel(QObject):
    """Opens the store, then signs in (or creates the first admin) in workers.

    A store that does not answer (server down, file locked, disk full …) is tried again in the
    background every :attr:`retry_ms` until it does; a store that is damaged or of another
    version stops here (:attr:`stopped`): waiting would not change it.
    """

    ready = Signal(bool)  # the store is open; True when someone can sign in
    signed_in = Signal(object)  # Actor
    refused = Signal(str, str)  # field ("" for the form), Chinese message
    busy = Signal(bool)
    unavailable = Signal(str)  # the store does not answer (yet): why, in Chinese; retrying
    stopped = Signal(str)  # the store cannot be used by this program: why, in Chinese

    retry_ms = 5_000

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.start)

    def start(self) -> None:
        # Not busy yet: the dialog says it is connecting, and the busy cursor would need Qt's
        # namespace before the dialog is on screen (see SignInDialog._busy).
        self.context.open_store(done=self._opened, failed=self._open_failed)

    def stop(self) -> None:
        """No more retries (the dialog is closing)."""
        self._retry.stop()

    def _opened(self, result: StoreOpened) -> None:
        self.busy.emit(False)
        self.ready.emit(result.has_users)

    def _open_failed(self, error: BaseException) -> None:
        if not isinstance(error, StoreError):
            self._failed(error)
            return
        if not error.retry:
            self.stopped.emit(error.message)
            return
        self.unavailable.emit(error.message)
        self._retry.start(self.retry_ms)

    def sign_in(self, username: str, password: str) -> None:
        if not username.strip():
            self.refused.emit("username", self.tr("请输入用户名"))
            return
        if not password:
            self.refused.emit("password", self.tr("请输入密码"))
            return
        settings, counter = self.context.settings, self.context.counter

        def work(session: Session) -> Actor:
            from medins_desk.services.users import sign_in

            return sign_in(
                session, username=username, password=password, counter=counter,
                lockout_attempts=settings.lockout_attempts,
                lockout_minutes=settings.lockout_minutes,
            )  # fmt: skip

        self.busy.emit(True)
        self.context.with_session(work, done=self._signed_in, failed=self._failed)

    def create_admin(self, username: str, display_name: str, password: str, again: str) -> None:
        if password != again:
            self.refused.emit("again", self.tr("两次输入的密码不一致"))
            return

        def work(session: Session) -> Actor:
            from medins_desk.services.users import create_first_admin, sign_in

            create_first_admin(
                session, username=username, display_name=display_name, password=password,
                now=datetime.now().replace(microsecond=0),
            )  # fmt: skip
            return sign_in(
                session, username=username, password=password, counter=self.context.counter
            )

        self.busy.emit(True)
        self.context.with_session(work, done=self._signed_in, failed=self._failed)

    def _signed_in(self, actor: Actor) -> None:
        self.busy.emit(False)
        self.context.set_actor(actor)
        self.signed_in.emit(actor)

    def _failed(self, error: BaseException) -> None:
        self.busy.emit(False)
        field = getattr(error, "field", "") if isinstance(error, UserFacingError) else ""
        self.refused.emit(field or "", message_of(error))


class SignInDialog(QDialog):
    """用户登录. On an empty store it asks for the first administrator instead.

    The store opens once the dialog is on screen (:attr:`shown`), and so may other warm-up work:
    a worker importing SQLAlchemy holds the GIL that the dialog's first paint would wait for.
    """

    shown = Signal()  # painted for the first time

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._painted = False
        self.model = SignInModel(context, self)
        self.first_start = False
        self.setWindowTitle(self.tr("medins-desk 登录"))
        self.setMinimumWidth(380)

        self.heading = QLabel(
            self.tr("{hall} · {counter} 号窗口").format(
                hall=context.settings.hall_name, counter=context.settings.counter_no
            )
        )
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("display_name")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setObjectName("again")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self.tr("正在连接数据库……"))
        self.message.setObjectName("message")
        self.message.setWordWrap(True)

        self.form = QFormLayout()
        self.form.addRow(self.tr("用户名"), self.username)
        self.form.addRow(self.tr("姓名"), self.display_name)
        self.form.addRow(self.tr("密码"), self.password)
        self.form.addRow(self.tr("确认密码"), self.again)
        self._show_admin_rows(False)

        # Not QDialogButtonBox(buttons): choosing among its constructors builds Qt's namespace.
        self.buttons = QDialogButtonBox()
        self.buttons.setStandardButtons(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("登录"))
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        # Enter in a field moves on; in the last one it signs in.
        self.username.returnPressed.connect(self.password.setFocus)

        self.model.ready.connect(self._ready)
        self.model.refused.connect(self._refused)
        self.model.busy.connect(self._busy)
        self.model.signed_in.connect(lambda _actor: self.accept())
        self.model.unavailable.connect(self._unavailable)
        self.model.stopped.connect(self._stopped)
        self.finished.connect(lambda _result: self.model.stop())
        self.shown.connect(self.model.start)
        self.stop_box: QMessageBox | None = None

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.shown.emit)  # after this paint pass, children included

    def _show_admin_rows(self, shown: bool) -> None:
        for field in (self.display_name, self.again):
            self.form.setRowVisible(field, shown)

    def _ready(self, has_users: bool) -> None:
        self.first_start = not has_users
        self._show_admin_rows(self.first_start)
        if self.first_start:
            self.setWindowTitle(self.tr("首次启动：创建管理员"))
            self.ok.setText(self.tr("创建并登录"))
            self.message.setText(self.tr("数据库中还没有用户，请先创建管理员账户。"))
        else:
            self.message.setText("")
        self.ok.setEnabled(True)
        self.username.setFocus()

    def _unavailable(self, text: str) -> None:
        """The store does not answer: why, and that it is tried again; the form stays usable."""
        seconds = max(1, self.model.retry_ms // 1000)
        self.message.setText(
            text
            + "\n"
            + self.tr("正在后台重试（每 {seconds} 秒），连上后即可登录。").format(seconds=seconds)
        )
        self.ok.setEnabled(False)

    def _stopped(self, text: str) -> None:
        """A damaged store or one of another version: nothing to sign in to; say so and close."""
        self.message.setText(text)
        self.ok.setEnabled(False)
        box = QMessageBox(self)
        box.setObjectName("store_stopped")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(self.tr("无法使用数据库"))
        box.setText(text)
        box.setInformativeText(self.tr("本窗口不能办理业务，程序将退出。"))
        box.finished.connect(lambda _result: self.reject())
        self.stop_box = box
        box.open()

    def _submit(self) -> None:
        self.message.setText("")
        if self.first_start:
            self.model.create_admin(
                self.username.text(), self.display_name.text(), self.password.text(),
                self.again.text(),
            )  # fmt: skip
        else:
            self.model.sign_in(self.username.text(), self.password.text())

    def _refused(self, field: str, text: str) -> None:
        self.message.setText(text)
        widget = self.findChild(QLineEdit, field) if field else None
        target = widget or self.password
        if target is self.password:
            self.password.clear()
        target.setFocus()

    def _busy(self, busy: bool) -> None:
        # Importing Qt's namespace builds its hundred-odd enums (about 25 ms): not before the
        # dialog is on screen, where a bare Qt window would not pay it either.
        from PySide6.QtCore import Qt

        self.ok.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)
