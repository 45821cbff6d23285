"""The Windows installer's files agree with the program and with Windows PowerShell: what can be
checked without Windows (building and installing need a Windows machine, see README "Windows
counters")."""

from __future__ import annotations

import re
from pathlib import Path

from medins_desk.settings import load_settings

WINDOWS = Path(__file__).resolve().parents[2] / "installer" / "windows"
LANGUAGES = {"chinesesimplified", "english"}


def _script() -> tuple[str, str]:
    """The installer script's sections before [Code], and its [Code]."""
    before, code = (WINDOWS / "medins-desk.iss").read_text(encoding="utf-8").split("\n[Code]\n")
    return before, code


def _custom_messages(before: str) -> dict[str, dict[str, str]]:
    section = before.split("\n[CustomMessages]\n")[1].split("\n[")[0]
    messages: dict[str, dict[str, str]] = {}
    for line in section.splitlines():
        if line and not line.startswith(";"):
            key, text = line.split("=", 1)
            language, name = key.split(".", 1)
            messages.setdefault(name, {})[language] = text
    return messages


def test_every_message_of_the_installer_is_in_both_languages_with_the_same_arguments() -> None:
    before, code = _script()
    messages = _custom_messages(before)
    for name, texts in messages.items():
        assert texts.keys() == LANGUAGES, name
        arguments = {language: set(re.findall(r"%\d", text)) for language, text in texts.items()}
        assert arguments["chinesesimplified"] == arguments["english"], name
    used = set(re.findall(r"CustomMessage\('(\w+)'\)", code))
    used |= set(re.findall(r"\{cm:(\w+)", before)) - {"CreateDesktopIcon", "AdditionalIcons"}
    assert used == messages.keys()


def test_the_hall_settings_the_installer_writes_are_what_the_program_reads(
    tmp_path: Path,
) -> None:
    # The file WriteHallSettings makes from a filled-in page, line for line.
    _before, code = _script()
    keys = re.findall(r"AddLine\(Lines, '(\w+) = ' \+ TomlString", code)
    locked = re.findall(r"Locked := Locked \+ ', \"(\w+)\"'", code)
    assert keys == locked == ["database_url", "hall_code", "counter_no"]
    assert "AddLine(Lines, 'upgrade_on_start = false');" in code
    url = r'postgresql+psycopg://medins_app:p"w\d@db-host:5432/medins'
    escaped = url.replace("\\", "\\\\").replace('"', '\\"')  # TomlString
    system = tmp_path / "settings.toml"
    system.write_text(
        "# medins-desk: the hall's settings\r\n"
        'locked = ["database_url", "hall_code", "counter_no"]\r\n'
        f'database_url = "{escaped}"\r\nhall_code = "320102"\r\ncounter_no = "003"\r\n'
        "upgrade_on_start = false\r\n",
        encoding="utf-8",
    )
    user = tmp_path / "user.toml"
    user.write_text('counter_no = "009"\n', encoding="utf-8")
    settings = load_settings(user, system_path=system, environ={})
    assert (settings.database_url, settings.hall_code, settings.counter_no) == (
        url,
        "320102",
        "003",
    )
    assert not settings.upgrade_on_start and settings.origins["counter_no"].locked


def test_the_build_script_is_ascii_for_windows_powershell() -> None:
    # Windows PowerShell 5.1 reads a script without a byte order mark in the ANSI code page:
    # on a Chinese Windows a UTF-8 character would be read as two others.
    assert (WINDOWS / "build.ps1").read_bytes().isascii()
