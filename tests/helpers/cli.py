"""The ``medins-desk`` console script run as a real process, with its own folders."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "Counter2026"


def _executable() -> str:
    return shutil.which("medins-desk") or str(Path(sys.executable).with_name("medins-desk"))


@dataclass
class Cli:
    """The console script with its own data and config folders (never the user's)."""

    tmp_path: Path

    @property
    def db_file(self) -> Path:
        return self.tmp_path / "counter.db"

    @property
    def executable(self) -> str:
        return _executable()

    @property
    def url(self) -> str:
        return f"sqlite+pysqlite:///{self.db_file}"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEDINS_")}
        env["MEDINS_DATA_DIR"] = str(self.tmp_path / "data")
        env["MEDINS_CONFIG_DIR"] = str(self.tmp_path / "config")
        env["MEDINS_LOG_DIR"] = str(self.tmp_path / "log")
        env["MEDINS_SYSTEM_CONFIG"] = str(self.tmp_path / "system-settings.toml")
        return {**env, **extra}

    def run(
        self, *args: str, stdin: str | None = None, db: bool = True, **env: str
    ) -> subprocess.CompletedProcess[str]:
        command = [self.executable, *(["--db", self.url] if db else []), *args]
        return self.run_command(command, stdin=stdin, **env)

    def run_command(
        self, command: list[str], *, stdin: str | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        """``command`` (the console script first) with this runner's folders."""
        return subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env(**env),
            timeout=120,
            check=False,
        )

    def ok(self, *args: str, stdin: str | None = None) -> str:
        done = self.run(*args, stdin=stdin)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def add_user(self, username: str, role: str = "clerk") -> subprocess.CompletedProcess[str]:
        return self.run(
            "users", "add", "--username", username, "--name", "张经办", "--role", role,
            "--password-stdin", stdin=PASSWORD + "\n",
        )  # fmt: skip

    def sql(self, statement: str, *params: object) -> list[tuple[object, ...]]:
        """Straight at the file, behind the application's back."""
        with sqlite3.connect(self.db_file) as connection:
            rows = connection.execute(statement, params).fetchall()
        connection.close()
        return rows

    def audit_entries(self) -> list[tuple[int, str, str, dict[str, object]]]:
        rows = self.sql("SELECT seq, action, username, details FROM audit_entries ORDER BY seq")
        return [(int(str(s)), str(a), str(u), json.loads(str(d))) for s, a, u, d in rows]
