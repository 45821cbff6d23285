"""Start the counter application: logging, Qt, translations, sign-in, the main window."""

from __future__ import annotations

import importlib
import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog

from medins_desk.settings import Settings, log_dir
from ui.context import AppContext
from ui.errors import show_unexpected
from ui.signin import SignInDialog

log = logging.getLogger(__name__)


def set_up_logging() -> None:
    """A rotating log in the user log dir: what a maintainer asks a counter to send."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        folder / "medins-desk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    # The console keeps the level the command line chose; the file gets INFO and up.
    for existing in root.handlers:
        if existing.level == logging.NOTSET:
            existing.setLevel(root.level or logging.WARNING)
    handler.setLevel(logging.INFO)
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.INFO, logging.INFO))


def install_excepthook(app: QApplication) -> None:
    """An exception escaping a slot is logged and shown; it never kills the app."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            app.quit()
            return
        show_unexpected(error.with_traceback(tb), app.activeWindow())

    sys.excepthook = hook


def load_translations(app: QCoreApplication, language: str | None = None) -> None:
    """zh_CN is the source language: Chinese loads only Qt's own catalogue (its standard buttons,
    file dialogs and context menus), other languages their .qm and Qt's own strings."""
    from importlib.resources import files

    locale = QLocale(language) if language else QLocale.system()
    folder = str(files("ui").joinpath("i18n"))
    catalogues = [("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    if locale.language() == QLocale.Language.Chinese:
        # Our strings are simplified Chinese, so Qt's are too, whatever the system's script.
        locale = QLocale("zh_CN")
        # Qt's strings that Qt 6 changed and its zh_CN catalogue lacks (resources/i18n).
        catalogues.append(("qt_supplement", folder))
    else:
        catalogues.insert(0, ("medins_desk", folder))
    # The names of months and weekdays (the date fields' calendars) follow the interface too.
    QLocale.setDefault(locale)
    for name, path in catalogues:
        translator = QTranslator(app)
        if translator.load(locale, name, "_", path):
            app.installTranslator(translator)
        else:  # a bundle without Qt's .qm shows Qt's buttons in English: say so in the log
            log.warning("no %s catalogue for %s in %s", name, locale.name(), path)


def preload_main_window(context: AppContext) -> None:
    """Import the main window's modules in a worker while the clerk types the password, so
    signing in only builds and shows it. Importing defines classes; no widget is created off
    the GUI thread. Then pypinyin's tables, which the first name the clerk types (a
    registration, a correction, a search by initials) would otherwise wait for."""
    from medins_desk.domain.names import load_pinyin

    context.runner.submit(lambda: importlib.import_module("ui.main_window"))
    context.runner.submit(load_pinyin)


def preload_printing(context: AppContext) -> None:
    """Load ReportLab, the voucher fonts (about 0.3 s besides imports) and the voucher modules in
    a worker while the clerk types the password, so the clerk's first voucher does not wait for
    them. A font problem is only logged here: the first voucher reports it where the clerk sees
    it. Then the screen gets the vouchers' Extension B face too (:func:`add_rare_face`)."""

    def load() -> Path | None:
        from printing import fonts

        fonts.main_face()
        fonts.song_face()
        importlib.import_module("printing.vouchers")  # the documents, barcode and QR code too
        return fonts.rare_font_file()

    context.runner.submit(
        load, done=add_rare_face, failed=lambda error: log.warning("voucher fonts: %s", error)
    )


def add_rare_face(path: Path | None) -> None:
    """Qt draws a name's Extension B characters (王𠮷) with the face the vouchers print them in,
    as a fallback for the system's fonts: a counter installed from the package has that face
    only in the bundle (about 10 ms, on the GUI thread as Qt's font database wants)."""
    if path is None:
        log.warning("no Extension B face: names such as 王𠮷 show boxes on screen")
    elif QFontDatabase.addApplicationFont(str(path)) < 0:
        log.warning("Qt cannot read the Extension B face %s", path)
    else:
        log.info("Extension B face on screen: %s", path)


def run(settings: Settings, argv: list[str] | None = None) -> int:
    """The event loop of one counter session; returns the exit status."""
    set_up_logging()
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("medins-desk")
    load_translations(app, settings.language)
    install_excepthook(app)
    context = AppContext(settings)
    context.runner.unexpected = show_unexpected
    try:
        sign_in = SignInDialog(context)
        # Behind the sign-in window once it is on screen, after the store's opening.
        # A start-up time a maintainer can read from a counter's log (and a test's -v stderr).
        sign_in.shown.connect(lambda: log.info("sign-in window shown"))
        sign_in.shown.connect(lambda: preload_main_window(context))
        sign_in.shown.connect(lambda: preload_printing(context))
        if sign_in.exec() != QDialog.DialogCode.Accepted:
            return 0
        from ui.main_window import MainWindow  # loaded by now, or finishing (import lock)

        window = MainWindow(context)
        window.show()
        return app.exec()
    finally:
        context.close()
