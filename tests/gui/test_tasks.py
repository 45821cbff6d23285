"""The worker pool: results and errors come back on the GUI thread, for a whole day's work."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from ui.tasks import TaskRunner


def test_results_and_errors_come_back_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    gui = threading.get_ident()
    seen: list[tuple[str, object, int]] = []
    runner.submit(
        lambda: threading.get_ident(),
        done=lambda r: seen.append(("done", r, threading.get_ident())),
    )
    runner.submit(lambda: 1 / 0, failed=lambda e: seen.append(("failed", e, threading.get_ident())))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5_000)
    done = next(s for s in seen if s[0] == "done")
    failed = next(s for s in seen if s[0] == "failed")
    assert done[1] != gui and done[2] == gui  # ran in a worker, reported on the GUI thread
    assert isinstance(failed[1], ZeroDivisionError) and failed[2] == gui


def test_a_days_worth_of_tasks_does_not_kill_the_app(qtbot: QtBot) -> None:
    """A clerk's day is thousands of worker round trips. PySide6 6.12.0 miscounted references
    in them and freed None or True after a few thousand: a fatal error of the whole process, which
    is how this test fails."""
    runner = TaskRunner()
    finished = [0]
    for _ in range(20_000):
        runner.submit(lambda: None, done=lambda _r: finished.__setitem__(0, finished[0] + 1))
    qtbot.waitUntil(lambda: finished[0] == 20_000, timeout=60_000)
    assert runner.wait(10_000) and not runner.busy


def test_an_answer_whose_asker_is_gone_is_dropped(qtbot: QtBot) -> None:
    """A window closed while its view-model waits for a worker: the answer goes nowhere, and
    nothing raises in the event loop (a signal of the deleted view-model would)."""
    runner = TaskRunner()
    asker, kept = QObject(), QObject()
    release = threading.Event()
    answers: list[str] = []
    runner.submit(release.wait, done=lambda _r: answers.append("gone"), asker=asker)
    runner.submit(release.wait, done=lambda _r: answers.append("kept"), asker=kept)
    shiboken6.delete(asker)
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5_000)
    assert answers == ["kept"]
