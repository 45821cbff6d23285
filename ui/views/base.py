"""What every view-model shares: service calls in workers, errors as (field, Chinese message),
and notices the clerk must confirm before the act goes on."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QWidget

from medins_desk.errors import ActAlreadyDone, ConfirmationRequired, StoreError, ValidationError
from ui.context import AppContext
from ui.errors import message_of

ERROR_STYLE = "color: #b00020"


def error_label(name: str) -> QLabel:
    """The red line under a field that shows the core's message for it (``name``: its object
    name, ``<field>_error``)."""
    label = message_label(name)
    label.setStyleSheet(ERROR_STYLE)
    return label


def message_label(name: str = "message") -> QLabel:
    """The line under a view's buttons that says how the act went, or why it was refused."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def receipt_box() -> QPlainTextEdit:
    """The act's receipt as text, beside the voucher it printed."""
    box = QPlainTextEdit()
    box.setObjectName("receipt")
    box.setReadOnly(True)
    return box


def dropped(_answer: object) -> None:
    """An answer for a citizen the counter no longer serves: nothing of it is shown."""


class ViewModel(QObject):
    failed = Signal(str, str)  # the field in error ("" for the form), the message
    needs_confirmation = Signal(str)  # the notices; confirm() goes on

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._pending: tuple[Callable[..., Any], Callable[[Any], None], dict[str, Any]] | None
        self._pending = None
        self._codes: frozenset[str] = frozenset()
        # The act a store fault left unanswered (it may have committed): asked again unchanged,
        # it keeps its submission id, so the store names it done instead of doing it twice.
        self._unanswered: tuple[Callable[..., Any], dict[str, Any], str] | None = None
        self._latest: dict[str, int] = {}
        # A confirmation belongs to the citizen it was asked for.
        context.served.changed.connect(lambda _person: self.drop_pending())

    def call(self, service: Callable[..., Any], done: Callable[[Any], None], **kwargs: Any) -> None:
        """``service(session, actor, **kwargs)`` in a worker; ``done(result)`` afterwards."""
        self.context.call(service, done=done, failed=self.fail, asker=self, **kwargs)

    def call_latest(
        self, service: Callable[..., Any], done: Callable[[Any], None], **kwargs: Any
    ) -> None:
        """Like :meth:`call` for what the view shows (a list, a day): only the answer to the
        newest call of ``service`` is shown; an older one that comes later is dropped."""
        key = service.__qualname__
        number = self._latest[key] = self._latest.get(key, 0) + 1

        def newest(result: Any) -> None:
            if self._latest[key] == number:
                done(result)

        def failed(error: BaseException) -> None:
            if self._latest[key] == number:
                self.fail(error)

        self.context.call(service, done=newest, failed=failed, asker=self, **kwargs)

    def call_for_served(
        self, service: Callable[..., Any], done: Callable[[Any], None], **kwargs: Any
    ) -> None:
        """Like :meth:`call`, asked for the citizen served now: if the counter serves someone
        else by the time the answer comes, it is not shown in their form."""
        served = self.context.served
        self.context.call(
            service, done=served.guard(done, dropped),
            failed=served.guard(self.fail, dropped), asker=self, **kwargs,
        )  # fmt: skip

    def act(
        self,
        service: Callable[..., Any],
        done: Callable[[Any], None],
        *,
        for_served: bool,
        **kwargs: Any,
    ) -> None:
        """Do a business act (its result carries the transaction, 业务流水) in a worker; once
        done, :attr:`AppContext.acted` tells every view showing the store to read it again.

        An act ``for_served`` (for the citizen at the counter) shows its outcome only while
        they are still served; if the counter has moved on, the outcome goes to the status bar
        and stays in that citizen's history. Other acts (a listed case, a review, a void)
        belong to what was picked, and always show theirs."""
        self._act(service, done, for_served=for_served, **kwargs)

    def act_confirmable(
        self, service: Callable[..., Any], done: Callable[[Any], None], **kwargs: Any
    ) -> None:
        """:meth:`act` for the served citizen with a service taking ``acknowledged``: its
        notices come back through ``needs_confirmation`` and :meth:`confirm` repeats the act
        with them acknowledged, unless another citizen was served meanwhile."""
        self._pending, self._codes = (service, done, kwargs), frozenset()
        self._run()

    @property
    def waiting_for_confirmation(self) -> bool:
        """An act asked the clerk to confirm notices and is not done yet."""
        return self._pending is not None

    def confirm(self) -> None:
        if self._pending is not None:
            self._run()

    def confirm_with(self, **changes: Any) -> None:
        """:meth:`confirm`, with arguments the clerk filled in since the notice came (the
        reason a possible duplicate asks for)."""
        if self._pending is not None:
            service, done, kwargs = self._pending
            self._pending = (service, done, {**kwargs, **changes})
            self._run()

    def drop_pending(self) -> None:
        self._pending = None
        self._codes = frozenset()

    def _run(self) -> None:
        assert self._pending is not None
        service, done, kwargs = self._pending

        def finished(result: Any) -> None:
            self._pending = None
            done(result)

        self._act(service, finished, for_served=True, acknowledged=self._codes, **kwargs)

    def _act(
        self,
        service: Callable[..., Any],
        done: Callable[[Any], None],
        *,
        for_served: bool,
        **kwargs: Any,
    ) -> None:
        asked = self._unanswered
        same = asked is not None and asked[0] is service and asked[1] == kwargs
        submission_id = asked[2] if asked is not None and same else uuid.uuid4().hex
        self._unanswered = None

        def answered(handle: Callable[[Any], None]) -> Callable[[Any], None]:
            def on_result(result: Any) -> None:
                handle(result)
                self.context.acted.emit(result.transaction.serial)

            return on_result

        def unanswered(handle: Callable[[BaseException], None]) -> Callable[[BaseException], None]:
            def on_error(error: BaseException) -> None:
                if isinstance(error, StoreError) and error.retry:
                    self._unanswered = (service, kwargs, submission_id)
                elif isinstance(error, ActAlreadyDone):
                    self.context.acted.emit(error.serial)
                handle(error)

            return on_error

        call = {**kwargs, "submission_id": submission_id}
        if not for_served:
            self.context.call(
                service, done=answered(done), failed=unanswered(self.fail), asker=self, **call
            )  # fmt: skip
            return
        served = self.context.served
        self.context.call(
            service, done=served.guard(answered(done), answered(self._answer_for_someone_else)),
            failed=unanswered(served.guard(self.fail, self._failure_for_someone_else)),
            asker=self, **call,
        )  # fmt: skip

    def _answer_for_someone_else(self, result: Any) -> None:
        self.context.notice.emit(
            self.tr(
                "上一位参保人的业务已办结，业务流水号 {serial}；凭证可在其「近期业务」中补打"
            ).format(serial=result.transaction.serial)
        )

    def _failure_for_someone_else(self, error: BaseException) -> None:
        if isinstance(error, ConfirmationRequired):
            return  # the act waits for a confirmation nobody will give: it is not done
        self.context.notice.emit(
            self.tr("上一位参保人的业务未办成：{reason}").format(reason=message_of(error))
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
        model.context.served.changed.connect(lambda _person: self.hide())
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
