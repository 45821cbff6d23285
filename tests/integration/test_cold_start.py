"""What ``medins-desk`` imports before it is useful: ``--help`` and the sign-in window come
without SQLAlchemy, alembic, the models, the services or ReportLab (issue 12). They load in the
command that needs them, or in workers behind the sign-in window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("sqlalchemy", "alembic", "reportlab", "medins_desk.store", "medins_desk.services")


def _console_script() -> str:
    return str(Path(sys.executable).with_name("medins-desk"))


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDINS_")}
    env["MEDINS_DATA_DIR"] = str(tmp_path / "data")
    env["MEDINS_CONFIG_DIR"] = str(tmp_path / "config")
    env["MEDINS_SYSTEM_CONFIG"] = str(tmp_path / "system-settings.toml")
    env["XDG_STATE_HOME"] = str(tmp_path / "state")  # the GUI's log folder
    return env


def _imported(line: str) -> str | None:
    """The module of one ``-X importtime`` line, or None for any other stderr line."""
    if not line.startswith("import time:"):
        return None
    name = line.rsplit("|", 1)[-1].strip()
    return None if name == "imported package" else name


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(f"{h}.") for h in HEAVY)]


def test_help_lists_every_command_without_the_store_printing_or_qt(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", _console_script(), "--help"],
        capture_output=True, text=True, env=_env(tmp_path), timeout=60, check=True,
    )  # fmt: skip
    for command in ("voucher", "ledger-pdf", "gui", "screenshots", "status", "card"):
        assert f"  {command} " in result.stdout
    modules = [m for m in map(_imported, result.stderr.splitlines()) if m]
    assert "medins_desk.cli" in modules  # the trace works
    assert _heavy(modules) == []
    assert not [m for m in modules if m.startswith("PySide6")]


def test_the_sign_in_window_shows_before_the_store_and_printing_load(tmp_path: Path) -> None:
    env = _env(tmp_path) | {"QT_QPA_PLATFORM": "offscreen"}
    url = f"sqlite+pysqlite:///{tmp_path / 'counter.db'}"
    command = [sys.executable, "-X", "importtime", _console_script(), "-v", "--db", url]
    before: list[str] = []
    with subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    ) as process:
        assert process.stderr is not None
        try:
            for line in process.stderr:  # -X importtime and the log share stderr, in order
                if "sign-in window shown" in line:
                    break
                if module := _imported(line):
                    before.append(module)
            else:
                raise AssertionError(f"no sign-in window; exit {process.wait(timeout=60)}")
        finally:
            process.kill()
    assert "ui.signin" in before
    assert _heavy(before) == []
