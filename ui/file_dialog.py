"""The file dialog the counter opens (照片, 台账导出), with every label in the user's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget


def file_dialog(parent: QWidget, title: str) -> QFileDialog:
    """A file dialog titled ``title``. Qt 6 gave two of its labels a mnemonic and its zh_CN
    catalogue still translates only the old texts, so without these they read English."""
    dialog = QFileDialog(parent, title)
    dialog.setLabelText(
        QFileDialog.DialogLabel.LookIn, QCoreApplication.translate("file_dialog", "查找范围(&L)：")
    )
    dialog.setLabelText(
        QFileDialog.DialogLabel.FileType,
        QCoreApplication.translate("file_dialog", "文件类型(&T)："),
    )
    return dialog
