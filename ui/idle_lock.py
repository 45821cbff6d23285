"""锁屏: the counter locks after the idle time; the clerk's password unlocks it.

The lock is a modal dialog over the main window, which stays as it was: a half-filled form is
still there after unlocking.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from medins_desk.services.users import verify_password
from ui.context import AppContext
from ui.errors import message_of

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class IdleLock(QObject):
    """Watches the application's input; ``idle`` fires after ``minutes`` without any."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.timeout.connect(self.idle.emit)
        self.paused = False

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.paused and event.type() in _ACTIVITY:
            self.timer.start()
        return False


class LockDialog(QDialog):
    """窗口已锁定: only the signed-in clerk's password opens it (failures count to lockout)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        actor = context.require_actor()
        self.setWindowTitle(self.tr("窗口已锁定"))
        self.prompt = QLabel(
            self.tr("{name}，窗口因长时间未操作已锁定，请输入密码解锁。").format(
                name=actor.display_name
            )
        )
        self.prompt.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("解锁"))
        self.buttons.accepted.connect(self._submit)
        layout = QVBoxLayout(self)
        for widget in (self.prompt, self.password, self.message, self.buttons):
            layout.addWidget(widget)

    def reject(self) -> None:
        """Esc does not unlock."""

    def _submit(self) -> None:
        password = self.password.text()
        if not password:
            self.message.setText(self.tr("请输入密码"))
            return
        actor = self.context.require_actor()

        def work(session: Session) -> None:
            verify_password(session, actor, password=password)

        self.ok.setEnabled(False)
        self.context.with_session(work, done=self._unlocked, failed=self._refused)

    def _unlocked(self, _result: object) -> None:
        self.ok.setEnabled(True)
        self.password.clear()
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.ok.setEnabled(True)
        self.password.clear()
        self.message.setText(message_of(error))
        self.password.setFocus()
