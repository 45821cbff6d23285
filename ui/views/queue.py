"""待复核 queues: the list each review tab shows, the reviewer's own submissions greyed (nobody
approves their own request; the service refuses it, the list says so first)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem


class Reviewable(Protocol):
    @property
    def own(self) -> bool: ...


R = TypeVar("R", bound=Reviewable)


def show_queue(queue: QListWidget, requests: Sequence[Reviewable], lines: Iterable[str]) -> None:
    """``requests`` as ``lines`` in ``queue``, the first selected."""
    queue.clear()
    for request, line in zip(requests, lines, strict=True):
        item = QListWidgetItem(line)
        if request.own:
            item.setForeground(Qt.GlobalColor.gray)
            item.setToolTip(
                QCoreApplication.translate("ReviewQueue", "本人提交的申请须由其他复核员复核")
            )
        queue.addItem(item)
    queue.setCurrentRow(0 if requests else -1)


def current_in(queue: QListWidget, requests: Sequence[R]) -> R | None:
    """The request selected in ``queue`` (None: none)."""
    row = queue.currentRow()
    return requests[row] if 0 <= row < len(requests) else None
