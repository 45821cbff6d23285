"""截图: every view of the counter application as a PNG, from a fresh demo store, for review."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from medins_desk.services.context import Counter
from medins_desk.services.demo import DEMO_PASSWORD, seed_demo
from medins_desk.services.loss_report import LossAct
from medins_desk.services.persons import get_person, search_persons
from medins_desk.services.users import sign_in
from medins_desk.settings import Settings
from medins_desk.store import open_store
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.signin import SignInDialog


def _settle(app: QApplication, context: AppContext, rounds: int = 40) -> None:
    """Let the workers finish and their results paint."""
    for _ in range(rounds):
        context.runner.wait(50)
        app.processEvents()


def _save(widget: QWidget, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    widget.grab().save(str(path))
    return path


def _after_a_loss_report(
    app: QApplication, context: AppContext, window: MainWindow, out: Path
) -> Path:
    """The loss form and the person panel just after a temporary loss report: the card's new
    state in the panel, the act selected in 近期业务 with its voucher ready for 补打."""
    loss = window.loss
    window.show_view(window.views.indexOf(loss))
    _settle(app, context)
    loss.buttons[LossAct.TEMPORARY].click()
    box = loss._confirmation
    if box is not None:
        box.button(QMessageBox.StandardButton.Yes).click()
    _settle(app, context)
    return _save(window, out, "1z-挂失后")


def take_screenshots(settings: Settings, out: Path) -> list[Path]:
    """Seed a demo store in a temporary folder and grab each view as the demo users see it."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="medins-screens-") as scratch:
        url = f"sqlite+pysqlite:///{Path(scratch) / 'demo.db'}"
        settings = dataclasses.replace(settings, database_url=url, has_card_printer=True)
        counter = Counter.from_settings(settings)
        store = open_store(url)
        seed_demo(store.sessions, persons=300, counter=counter, random_seed=7, if_empty=False)

        context = AppContext(settings)
        dialog = SignInDialog(context)
        dialog.show()
        _settle(app, context)
        saved.append(_save(dialog, out, "00-signin"))
        dialog.close()

        for username, prefix in (("super1", "1"), ("admin", "2")):
            with store.sessions() as session:
                actor = sign_in(session, username=username, password=DEMO_PASSWORD, counter=counter)
            context.store = store
            context.set_actor(actor)
            window = MainWindow(context)
            window.resize(1280, 800)
            window.show()
            if username == "super1":
                with store.sessions() as session:
                    hit = search_persons(session, actor, text="王𠮷")[0]
                    window.serve(get_person(session, actor, person_id=hit.id))
                window.lookup.search.setText("zs")
            for index in range(window.views.count()):
                window.show_view(index)
                _settle(app, context)
                title = window.navigation.item(index).text().split()[0].replace("/", "、")
                saved.append(_save(window, out, f"{prefix}{index}-{title}"))
            if username == "super1":
                saved.append(_after_a_loss_report(app, context, window, out))
            window.close()
            _settle(app, context)
        context.close()
        store.dispose()
    return saved
