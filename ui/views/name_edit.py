"""姓名 as typed at the counter, rare characters included.

An input method may lack a 生僻字 such as 𠮷 (U+20BB7, CJK Extension B) that the citizen's
document shows. The clerk then types its code point, ``U+20BB7``, and it becomes the character
once the code is complete: at a space after it, at Enter, or when the field is left.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QLineEdit, QWidget

_CODE_POINT = re.compile(r"[Uu]\+([0-9A-Fa-f]{4,6})")
_CODE_POINT_TYPED = re.compile(r"[Uu]\+([0-9A-Fa-f]{4,6}) ")


def _character(match: re.Match[str]) -> str:
    value = int(match.group(1), 16)
    if value < 0x20 or 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        return match.group(0)  # not a character: left as typed, the name check says why
    return chr(value)


def expand_code_points(text: str, *, typed: bool = False) -> str:
    """``text`` with every ``U+XXXX`` (4 to 6 hex digits) replaced by its character; with
    ``typed``, only the codes a space has closed (the clerk may still be typing the rest)."""
    return (_CODE_POINT_TYPED if typed else _CODE_POINT).sub(_character, text)


class NameEdit(QLineEdit):
    """A name field where ``U+XXXX`` enters a character by its code point."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip(self.tr("输入法打不出的生僻字：输入 U+编码，如 U+20BB7 即「𠮷」"))
        self.textEdited.connect(self._typed)
        self.editingFinished.connect(self.expand)

    def _typed(self, text: str) -> None:
        expanded = expand_code_points(text, typed=True)
        if expanded != text:
            self._replace(expanded)

    def expand(self) -> None:
        """Turn every complete code in the field into its character."""
        text = self.text()
        expanded = expand_code_points(text)
        if expanded != text:
            self._replace(expanded)

    def _replace(self, text: str) -> None:
        # The cursor keeps its distance from the end: it stays after what was converted.
        from_end = len(self.text()) - self.cursorPosition()
        self.setText(text)
        self.setCursorPosition(max(0, len(text) - from_end))
