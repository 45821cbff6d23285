"""Errors as the clerk reads them: the Chinese message of a service error, a dialog otherwise."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from medins_desk.errors import MedinsError, UserFacingError

log = logging.getLogger(__name__)


def message_of(error: BaseException) -> str:
    """The message to show for ``error``: a service's own Chinese text, or a general one."""
    if isinstance(error, UserFacingError):
        return error.message
    if isinstance(error, MedinsError):
        return str(error)
    return QCoreApplication.translate("errors", "发生了意外错误，已记录日志；请重试或联系管理员")


def show_unexpected(error: BaseException, parent: QWidget | None = None) -> None:
    """An error no view handled: a service's message as a notice; anything else logged in full
    and shown with its details behind a button."""
    box = QMessageBox(parent)
    box.setText(message_of(error))
    if isinstance(error, UserFacingError | MedinsError):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("errors", "提示"))
    else:
        log.error("unexpected error", exc_info=error)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(QCoreApplication.translate("errors", "意外错误"))
        box.setDetailedText("".join(traceback.format_exception(error)))
    # Kept alive until closed (a parentless box would be collected at once); open(), not exec():
    # a nested modal loop inside a callback would stall the other workers' callbacks.
    _open_boxes.add(box)
    box.finished.connect(lambda _result: _open_boxes.discard(box))
    box.open()


_open_boxes: set[QMessageBox] = set()
