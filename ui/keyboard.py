"""Keyboard first: Enter moves to the next field, and on a button presses it.

Clerks type a form top to bottom without the mouse. A line edit whose Enter already means
something (the search box opens the first match) keeps its own meaning.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPushButton,
    QWidget,
)

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_FIELDS = (QLineEdit, QComboBox, QAbstractSpinBox, QCheckBox)


class EnterMovesOn(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in _ENTER or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if isinstance(watched, QPushButton):
            watched.click()
            return True
        if isinstance(watched, QComboBox) and watched.view().isVisible():
            return False  # Enter picks the item in the open list
        if isinstance(watched, QWidget):
            watched.focusNextChild()
            return True
        return False


def enter_moves_on(form: QWidget, *, keep: tuple[QWidget, ...] = ()) -> EnterMovesOn:
    """Install the behaviour on every field and button of ``form`` except those in ``keep``."""
    handler = EnterMovesOn(form)
    for widget in form.findChildren(QWidget):
        if widget in keep:
            continue
        if isinstance(widget, (*_FIELDS, QPushButton)):
            widget.installEventFilter(handler)
    return handler
