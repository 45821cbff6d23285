"""Qt's own strings in Chinese (issue 17 §3): with the counter's language zh_CN, every view of the
main window, the sign-in and lock dialogs, each dialog the app opens and the line edits' context
menus read Chinese, Qt's standard buttons included; English only where a name, code or key is
meant. With "en" no Chinese catalogue of Qt's is loaded."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPoint,
    Qt,
    QTranslator,
)
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from medins_desk.domain.card import CardApplicationKind
from medins_desk.domain.correction import CorrectionField
from medins_desk.errors import StorageError
from medins_desk.services.card_application import apply_for_card
from medins_desk.services.loss_report import LossAct
from medins_desk.services.persons import get_person
from medins_desk.settings import Settings
from tests.helpers.people import register
from tests.helpers.photos import valid_photo
from tests.helpers.store import Desk
from ui.app import load_translations
from ui.context import AppContext
from ui.errors import show_unexpected
from ui.main_window import MainWindow
from ui.signin import SignInDialog

# What may stay Latin in the Chinese interface. Kept small: each is a name, a code or a key.
ALLOWED_WORDS = {
    # Keys as QKeySequence writes them next to a command (Ctrl+P, 撤销(&U)\tCtrl+Z, Esc).
    "Ctrl", "Alt", "Shift", "Esc", "Enter", "Del",
    # File formats the clerk picks by these names (导出 XLSX/CSV/PDF, the photo's JPEG).
    "PDF", "CSV", "XLSX", "JPEG", "PNG", "BMP",
    # Hardware and codes written so on the devices and in the standards (QR 码, PSAM 卡, IC 卡).
    "QR", "PSAM", "IC", "ID", "URL",
    # Product names: the databases, Microsoft's spreadsheet, the print system.
    "SQLite", "PostgreSQL", "Excel", "CUPS",
    # Unit symbols, written in Latin letters in Chinese text too (80 mm 回执, a photo's 36 KiB).
    "mm", "KiB",
    # Examples of what the clerk types: pinyin initials (姓名或拼音首字母，如 zs; 就医地 lz).
    "zs", "lz",
    # A language picker names each language in itself.
    "English",
}  # fmt: skip
ALLOWED_PHRASES = ("medins-desk", "PC/SC")
# A word: 2+ Latin letters standing alone. Letters run together with digits make a code (EF05,
# F12, A4), never a word.
LATIN_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])")
DATA = [
    re.compile(r"<[^>]*>|&[a-z]+;|&(?=\S)"),  # rich text's tags and entities; mnemonics' &
    # A path or a file name with its extension (a folder, the store file, 台账-20261118.xlsx).
    re.compile(r"(?:[A-Za-z]:)?(?:[/\\][\w.\-]+)+[/\\]?"),
    re.compile(r"[\w\-*]*\.(?:xlsx|csv|pdf|jpe?g|png|bmp|toml|db)\b", re.IGNORECASE),
]
# Qt's file dialog, by its widgets' object names: the places and the path combo show the file
# system's names only; the file lists show them in their first column (size, type and date are
# checked, and every header and label).
PLACES = {"sidebar", "lookInCombo"}
FILE_LISTS = {"listView", "treeView"}


def english_words(text: str, names: Iterable[str] = ()) -> list[str]:
    """The English words of ``text``: runs of 2+ Latin letters that are not names, codes or
    keys (``names``: the people and users on record, which are data)."""
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    for pattern in DATA:
        text = pattern.sub(" ", text)
    for name in sorted(names, key=len, reverse=True):  # after the paths: "admin" in "administ0"
        text = text.replace(name, " ") if name else text
    return [word for word in LATIN_WORD.findall(text) if word not in ALLOWED_WORDS]


def test_the_check_finds_english_and_lets_names_codes_and_keys_through() -> None:
    assert english_words("&Yes") == ["Yes"]
    assert english_words("Show Details...") == ["Show", "Details"]
    assert english_words("取消") == english_words("确定(&O)") == []
    assert english_words("撤销(&U)\tCtrl+Z") == english_words("打印 (Ctrl+P)") == []
    assert english_words("Excel 工作簿 (*.xlsx)") == english_words("medins-desk 登录") == []
    assert english_words("数据库：SQLite /tmp/pytest-of-x/test_a0/medins.db") == []
    assert english_words("读卡器：PC/SC 未连接") == english_words("参保人查询  F2") == []
    assert english_words("测试clerk（柜员）", names={"测试clerk"}) == []
    assert english_words("<b>Warning</b> 提示") == ["Warning"]
    assert english_words("无 PSAM 时只读 EF05") == english_words("回执打印机（80 mm）") == []
    assert english_words("/tmp/test_of_an_administ0/medins.db", names={"admin"}) == []


# --- collecting what is on screen ---------------------------------------------------------------


def _menu_texts(actions: Iterable[QAction], where: str) -> Iterator[tuple[str, str]]:
    for action in actions:
        if action.isSeparator() or not action.isVisible():
            continue
        yield where, action.text()
        menu = action.menu()
        if isinstance(menu, QMenu):
            yield from _menu_texts(menu.actions(), f"{where} > {action.text()}")


def _model_texts(
    model: QAbstractItemModel, where: str, root: QModelIndex, first_column: int
) -> Iterator[tuple[str, str]]:
    for row in range(min(model.rowCount(root), 200)):
        column = first_column
        while model.hasIndex(row, column, root):  # a list model's columnCount is private
            value = model.data(model.index(row, column, root), Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str):
                yield where, value
            column += 1


def _widget_texts(widget: QWidget) -> Iterator[str]:
    if isinstance(widget, QLabel | QAbstractButton):
        yield widget.text()
    elif isinstance(widget, QGroupBox):
        yield widget.title()
    elif isinstance(widget, QTabBar):
        yield from (widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i))
    elif isinstance(widget, QLineEdit):
        yield widget.placeholderText()  # its text is what the clerk typed or the value on record
    elif isinstance(widget, QPlainTextEdit):
        yield widget.placeholderText()
        yield widget.toPlainText()  # a receipt, composed by the app
    elif isinstance(widget, QTextEdit):
        yield widget.placeholderText()  # QMessageBox's details: a traceback for maintainers
    elif isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    elif isinstance(widget, QHeaderView):
        model = widget.model()
        if model is not None:
            for section in range(widget.count()):
                if not widget.isSectionHidden(section):
                    value = model.headerData(
                        section, widget.orientation(), Qt.ItemDataRole.DisplayRole
                    )
                    yield value if isinstance(value, str) else ""
    yield widget.toolTip()


def _in_file_dialog(widget: QWidget | None, names: set[str]) -> bool:
    """Whether ``widget`` is (inside) a file dialog's widget of one of these ``names``."""
    found = False
    while widget is not None:
        found = found or widget.objectName() in names
        if isinstance(widget, QFileDialog):
            return found
        widget = widget.parentWidget()
    return False


def _on_screen(top: QWidget, where: str) -> Iterator[tuple[str, str]]:
    """Every text ``top`` shows now: its title, its visible widgets, its menus, its lists."""
    yield where, top.windowTitle()
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisible() or _in_file_dialog(widget, PLACES):
            continue
        label = f"{where} / {widget.objectName() or type(widget).__name__}"
        for text in _widget_texts(widget):
            yield label, text
        menu = widget.menu() if isinstance(widget, QPushButton | QToolButton) else None
        if menu is not None:  # a button's drop-down (the calendar's months)
            yield from _menu_texts(menu.actions(), f"{label} menu")
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            model, names = widget.model(), _in_file_dialog(widget, FILE_LISTS)
            if model is not None:
                yield from _model_texts(model, label, widget.rootIndex(), 1 if names else 0)
    menu_bar = getattr(top, "menuBar", None)
    if callable(menu_bar):
        yield from _menu_texts(menu_bar().actions(), f"{where} / menu")


def _context_menus(top: QWidget, where: str) -> Iterator[tuple[str, str]]:
    """The standard context menu (撤销, 复制, 粘贴…) of every visible text field of ``top``."""
    for edit in top.findChildren(QLineEdit) + top.findChildren(QPlainTextEdit):
        if edit.isVisible():
            menu = edit.createStandardContextMenu()
            name = edit.objectName() or type(edit).__name__
            yield from _menu_texts(menu.actions(), f"{where} / {name} context menu")
            menu.deleteLater()


def _calendar_popups(top: QWidget, where: str) -> Iterator[tuple[str, str]]:
    """The calendar of every visible date field of ``top``, opened as the clerk opens it (a
    click on its arrow): the month's and the weekdays' names."""
    for edit in top.findChildren(QDateEdit):
        if edit.isVisible() and edit.calendarPopup():
            QTest.mouseClick(
                edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 6, edit.height() // 2)
            )
            popup = edit.calendarWidget().window()
            assert popup.isVisible(), "the click opens the calendar"
            yield from _on_screen(popup, f"{where} / {edit.objectName()} calendar")
            popup.hide()


def _all_tabs(top: QWidget, where: str) -> Iterator[tuple[str, str]]:
    """What ``top`` shows, and again with each page of each tab widget in front."""
    yield from _on_screen(top, where)
    yield from _context_menus(top, where)
    yield from _calendar_popups(top, where)
    for tabs in top.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        current = tabs.currentIndex()
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            page, place = tabs.widget(index), f"{where} / {tabs.tabText(index)}"
            if page is not None:
                yield from _on_screen(page, place)
                yield from _context_menus(page, place)
                yield from _calendar_popups(page, place)
        tabs.setCurrentIndex(current)


class Screens:
    """What the walk saw, and the English words in it."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = set(names)
        self.seen: dict[str, set[str]] = {}
        self.english: list[str] = []

    def add(self, texts: Iterable[tuple[str, str]]) -> None:
        for where, text in texts:
            if not text:
                continue
            self.seen.setdefault(where, set()).add(text)
            words = english_words(text, self.names)
            if words:
                self.english.append(f"{where}: {text!r} ({', '.join(words)})")

    def texts(self, place: str) -> set[str]:
        """What was seen in ``place`` (a dialog, a view, a tab: the start of a where)."""
        return {text for where, texts in self.seen.items() if where.startswith(place)
                for text in texts}  # fmt: skip


# --- driving the app --------------------------------------------------------------------------


@pytest.fixture
def chinese(qtbot: QtBot) -> Iterator[None]:
    """The counter's language set to zh_CN, as ``ui.app.run`` loads it."""
    app = QCoreApplication.instance()
    assert app is not None
    locale = QLocale()
    load_translations(app, "zh_CN")
    yield
    QLocale.setDefault(locale)
    for translator in app.findChildren(QTranslator):
        QCoreApplication.removeTranslator(translator)
        translator.deleteLater()


def _settle(qtbot: QtBot, context: AppContext) -> None:
    """The workers done and their results shown (a callback may start another worker)."""
    for _ in range(2):
        qtbot.waitUntil(lambda: not context.runner.busy, timeout=15_000)
        QCoreApplication.processEvents()


def _modal(
    qtbot: QtBot,
    screens: Screens,
    where: str,
    opens: Callable[[], object],
    close: Callable[[QDialog], object] = lambda dialog: dialog.done(0),
    ready: Callable[[QDialog], bool] = lambda dialog: True,
) -> QDialog:
    """Open a dialog the app opens (with open(), so nothing blocks), read it once ``ready``,
    close it."""

    def dialog_shown() -> bool:
        widget = QApplication.activeModalWidget()
        return isinstance(widget, QDialog) and widget.isVisible() and ready(widget)

    opens()
    qtbot.waitUntil(dialog_shown, timeout=15_000)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QDialog)
    screens.add(_all_tabs(dialog, where))
    close(dialog)

    def closed() -> bool:
        left = QApplication.activeModalWidget()
        stray = None if left is None or left is dialog else list(_on_screen(left, "stray"))
        assert stray is None, (where, stray)
        return left is None

    qtbot.waitUntil(closed, timeout=5_000)
    return dialog


def _files_listed(dialog: QDialog, entries: int) -> bool:
    """A file dialog's folder of ``entries`` read (in Qt's thread), with each entry's type."""
    view = dialog.findChild(QTreeView, "treeView")
    assert view is not None
    model, root = view.model(), view.rootIndex()
    rows = model.rowCount(root)
    return rows == entries and all(model.index(row, 2, root).data() for row in range(rows))


def _names(desk: Desk) -> set[str]:
    """The users on record: their user names and display names are data, not words."""
    return {text for actor in desk.users.values() for text in (actor.username, actor.display_name)}


def _served_window(qtbot: QtBot, desk: Desk, context: AppContext) -> MainWindow:
    """A main window serving 张三, whose card was issued at once (so every form has work)."""
    clerk = desk.actor("clerk")
    with desk.session() as session:
        person = register(session, clerk, name="张三", birth=date(1980, 5, 17)).person
        apply_for_card(
            session, clerk, person_id=person.id, kind=CardApplicationKind.FIRST,
            photo=valid_photo(), instant=True,
        )  # fmt: skip
        detail = get_person(session, clerk, person_id=person.id)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.serve(detail)
    _settle(qtbot, context)
    return window


def _walk_views(qtbot: QtBot, context: AppContext, window: MainWindow, screens: Screens) -> int:
    """Every view of the window's stack, in turn, with the window around it."""
    for index in range(window.views.count()):
        window.show_view(index)
        _settle(qtbot, context)
        title = window.navigation.item(index).text()
        screens.add(_all_tabs(window, f"view {title}"))
    return window.views.count()


def test_every_view_and_dialog_of_a_supervisor_reads_chinese(
    qtbot: QtBot, desk: Desk, supervisor: AppContext, chinese: None, tmp_path: Path
) -> None:
    camera = tmp_path / "高拍仪"  # the camera's folder: a photo and a folder in it
    (camera / "2026-11").mkdir(parents=True)
    (camera / "张三.jpg").write_bytes(valid_photo())
    supervisor.settings = dataclasses.replace(supervisor.settings, photo_folder=str(camera))
    window = _served_window(qtbot, desk, supervisor)
    screens = Screens(_names(desk))
    assert _walk_views(qtbot, supervisor, window, screens) >= 7  # F2-F6, F8, F9

    # The dialogs, each as the app opens it.
    loss = window.loss
    window.show_view(window.views.indexOf(loss))
    _settle(qtbot, supervisor)
    box = _modal(qtbot, screens, "loss confirmation", loss.buttons[LossAct.TEMPORARY].click)
    assert isinstance(box, QMessageBox)
    assert box.button(QMessageBox.StandardButton.Yes).text() == "是(&Y)"
    assert box.button(QMessageBox.StandardButton.No).text() == "否(&N)"

    application = window.card_application
    window.show_view(window.views.indexOf(application))
    photos = _modal(
        qtbot,
        screens,
        "photo import",
        application.photo_button.click,
        ready=partial(_files_listed, entries=2),
    )
    assert isinstance(photos, QFileDialog)
    assert photos.findChild(QDialogButtonBox) is not None  # Qt's own dialog, not the desktop's

    ledger = window.ledger
    assert ledger is not None
    window.show_view(window.views.indexOf(ledger))
    _settle(qtbot, supervisor)
    _modal(qtbot, screens, "close the day", ledger.close_button.click)
    export = _modal(qtbot, screens, "ledger export", ledger.export_button.click)
    assert isinstance(export, QFileDialog)
    ledger.progress.show()
    screens.add(_all_tabs(ledger.progress, "export progress"))
    ledger.progress.hide()

    correction = window.correction
    window.show_view(window.views.indexOf(correction))
    correction.new[CorrectionField.PHONE].setText("13800138000")
    correction.reason.setText("本人更换手机号码")
    correction.submit.click()
    bar = correction.voucher_bar
    qtbot.waitUntil(lambda: bar.voucher is not None, timeout=15_000)
    screens.add(_all_tabs(window, "view after an act"))
    _modal(qtbot, screens, "voucher preview", bar.preview_button.click)

    pin = _modal(qtbot, screens, "card PIN", lambda: window._ask_pin(2))
    assert isinstance(pin, QInputDialog)
    for error, where in ((StorageError("数据库正忙，请稍后重试"), "notice"),
                         (RuntimeError("boom"), "unexpected error")):  # fmt: skip
        _modal(qtbot, screens, where, partial(show_unexpected, error, window))
    lock = _modal(qtbot, screens, "lock", window.lock, close=lambda dialog: dialog.accept())
    assert lock.windowTitle() == "窗口已锁定"

    assert screens.english == [], "\n".join(screens.english)
    # The walk saw Qt's own strings, in Chinese.
    assert {"是(&Y)", "否(&N)"} <= screens.texts("loss confirmation")
    labels = {"查找范围(&L)：", "文件类型(&T)：", "文件名称(&N)：", "取消", "文件夹", "名称"}
    assert labels <= screens.texts("photo import")
    assert "显示详情..." in screens.texts("unexpected error")
    assert any(text.startswith("复制(&C)") for text in screens.texts("view 参保人查询  F2"))
    assert {"十一月", "周一"} <= screens.texts("view 医保关系转移")  # the date fields' calendars


def test_every_view_of_an_administrator_reads_chinese(
    qtbot: QtBot, desk: Desk, settings: Settings, chinese: None
) -> None:
    context = AppContext(settings)
    context.store = desk.store
    context.set_actor(desk.actor("admin"))
    window = _served_window(qtbot, desk, context)
    screens = Screens(_names(desk))
    assert _walk_views(qtbot, context, window, screens) >= 7  # F2-F6, F9, F10
    assert screens.texts("view 设置  F10 / 本窗口设置")
    assert screens.english == [], "\n".join(screens.english)
    context.runner.wait()


def _signed_in_dialog(qtbot: QtBot, context: AppContext) -> SignInDialog:
    dialog = SignInDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok.isEnabled, timeout=15_000)
    return dialog


def test_the_sign_in_dialog_reads_chinese_cancel_included(
    qtbot: QtBot, desk: Desk, app_context: AppContext, settings: Settings, chinese: None,
    tmp_path: Path,
) -> None:  # fmt: skip
    screens = Screens(_names(desk))
    dialog = _signed_in_dialog(qtbot, app_context)  # the desk's store: it has users
    assert not dialog.first_start
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() == "取消"
    screens.add(_all_tabs(dialog, "sign-in"))

    empty = AppContext(
        dataclasses.replace(settings, database_url=f"sqlite+pysqlite:///{tmp_path / 'new.db'}")
    )
    try:
        first = _signed_in_dialog(qtbot, empty)
        assert first.first_start
        screens.add(_all_tabs(first, "first start"))
    finally:
        empty.close()
    assert screens.english == [], "\n".join(screens.english)
    assert "取消" in screens.texts("first start")


def test_the_english_interface_keeps_qts_english(qtbot: QtBot, app_context: AppContext) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    before, locale = set(app.findChildren(QTranslator)), QLocale()
    load_translations(app, "en")
    try:
        loaded = [t.filePath() for t in set(app.findChildren(QTranslator)) - before]
        assert sorted(Path(path).name for path in loaded) == ["medins_desk_en.qm", "qtbase_en.qm"]
        dialog = SignInDialog(app_context)
        qtbot.addWidget(dialog)
        assert dialog.ok.text() == "Sign in"
        assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
        box = QMessageBox()
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        assert box.button(QMessageBox.StandardButton.Yes).text() == "&Yes"
        files = QFileDialog(dialog)
        assert files.labelText(QFileDialog.DialogLabel.LookIn) == "&Look in:"
        edit = QLineEdit()
        menu = edit.createStandardContextMenu()
        assert any(action.text().startswith("&Copy") for action in menu.actions())
        menu.deleteLater()
        edit.deleteLater()
        assert QLocale().monthName(11) == "November"
    finally:
        QLocale.setDefault(locale)
        for translator in app.findChildren(QTranslator):
            QCoreApplication.removeTranslator(translator)
            translator.deleteLater()
