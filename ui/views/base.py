"""What every view-model shares: service calls in workers, errors as (field, Chinese message),
and notices the clerk must confirm before the act goes on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from medins_desk.errors import ConfirmationRequired, ValidationError
from ui.context import AppContext
from ui.errors import message_of


class ViewModel(QObject):
    failed = Signal(str, str)  # the field in error ("" for the form), the message
    needs_confirmation = Signal(str)  # the notices; confirm() goes on

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._pending: tuple[Callable[..., Any], Callable[[Any], None], dict[str, Any]] | None
        self._pending = None
        self._codes: frozenset[str] = frozenset()

    def call(self, service: Callable[..., Any], done: Callable[[Any], None], **kwargs: Any) -> None:
        """``service(session, actor, **kwargs)`` in a worker; ``done(result)`` afterwards."""
        self.context.call(service, done=done, failed=self.fail, **kwargs)

    def call_confirmable(
        self, service: Callable[..., Any], done: Callable[[Any], None], **kwargs: Any
    ) -> None:
        """Like :meth:`call` for a service taking ``acknowledged``: its notices come back through
        ``needs_confirmation`` and :meth:`confirm` repeats the call with them acknowledged."""
        self._pending, self._codes = (service, done, kwargs), frozenset()
        self._run()

    def confirm(self) -> None:
        if self._pending is not None:
            self._run()

    def drop_pending(self) -> None:
        self._pending = None

    def _run(self) -> None:
        assert self._pending is not None
        service, done, kwargs = self._pending

        def finished(result: Any) -> None:
            self._pending = None
            done(result)

        self.context.call(
            service, done=finished, failed=self.fail, acknowledged=self._codes, **kwargs
        )

    def fail(self, error: BaseException) -> None:
        if isinstance(error, ConfirmationRequired) and self._pending is not None:
            self._codes = error.codes
            self.needs_confirmation.emit(error.message)
            return
        field = error.field if isinstance(error, ValidationError) else ""
        self.failed.emit(field, message_of(error))


class ConfirmButton(QPushButton):
    """已核实，继续办理: appears with the notices ``model`` asks the clerk to confirm (shown in
    ``message``); pressing it repeats the act with them acknowledged."""

    def __init__(self, model: ViewModel, message: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(self.tr("已核实，继续办理"))
        self.setObjectName("confirm")
        self.hide()
        self._message = message
        model.needs_confirmation.connect(self._ask)
        self._model = model
        self.clicked.connect(self.hide)
        self.clicked.connect(model.confirm)

    def withdraw(self) -> None:
        """Esc: the act waiting for confirmation is not done."""
        self._model.drop_pending()
        self.hide()

    def _ask(self, text: str) -> None:
        self._message.setText(text)
        self.show()
        self.setFocus()
