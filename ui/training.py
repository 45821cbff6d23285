"""培训/演示: virtual social security cards to insert from the menu, for demos and training.

The cards plug into the vpcd virtual reader of the local pcscd, so the app reads them exactly as
it reads a real card.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from medins_desk.cardreader.virtual import VirtualCard, VpcdCard, demo_profile_dir, load_profile
from ui.context import AppContext
from ui.errors import message_of


class DemoCards(QObject):
    """One virtual card at a time in the first virtual reader."""

    message = Signal(str)

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.card: VpcdCard | None = None

    def profiles(self) -> list[tuple[str, Path]]:
        """(description, file) of every demo profile shipped with the app."""
        found = []
        for path in sorted(demo_profile_dir().glob("*.toml")):
            found.append((load_profile(path).description or path.stem, path))
        return found

    def insert(self, path: Path, description: str) -> None:
        """Put the profile ``path`` in the virtual reader; ``description`` is what the menu
        called it, and what the status bar repeats."""
        self.remove()

        def work() -> VpcdCard:  # reads the profile and connects to vpcd: not on the GUI thread
            card = VpcdCard(VirtualCard(load_profile(path)))
            card.insert()
            return card

        def inserted(card: VpcdCard) -> None:
            self.card = card
            self.message.emit(self.tr("已插入演示卡：{d}").format(d=description))

        self.context.runner.submit(
            work, done=inserted, failed=lambda error: self.message.emit(message_of(error))
        )

    def remove(self) -> None:
        if self.card is not None:
            self.card.remove()
            self.card = None
            self.message.emit(self.tr("已拔出演示卡"))

    def fill_menu(self, menu: QMenu) -> None:
        """The profiles are read in a worker; the menu fills when they are in."""
        self.context.runner.submit(self.profiles, done=lambda found: self._fill(menu, found))

    def _fill(self, menu: QMenu, profiles: list[tuple[str, Path]]) -> None:
        for description, path in profiles:
            action = QAction(self.tr("插入演示卡：{d}").format(d=description), menu)
            action.triggered.connect(lambda _=False, p=path, d=description: self.insert(p, d))
            menu.addAction(action)
        menu.addSeparator()
        remove = QAction(self.tr("拔出演示卡"), menu)
        remove.triggered.connect(self.remove)
        menu.addAction(remove)
