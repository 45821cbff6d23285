"""The .deb installed into a clean Debian 12 root and used there as a clerk would use it.

apt installs it from the file with its Depends from Debian's mirror (and no Recommends), so what
the program finds in the root is what the package asked for: no fonts-hanazono, no AR PL UMing,
no Python. Then, as an ordinary user: --version, db upgrade and demo seed on the default store in
the user's data folder, a voucher exported and read back (codes decoded, no glyph a box), the
sign-in window shown on an X server, a demo card from the bundle read through pcscd, the hall's
settings file read before the user's. Last, the package is removed and purged, and the counter's
data stays. The tests run in this order and share the root.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from importlib.metadata import version
from pathlib import Path

import pytest

from medins_desk.cardreader import JSON_KEYS
from tests.helpers.debroot import CLERK_HOME, CLERK_UID, DebianRoot
from tests.helpers.pcsc import READER, PcscStack, wait_reader_state
from tests.helpers.pdfs import decode, fonts, glyph_faults, render_png, text
from tests.helpers.x11 import xvfb

pytestmark = pytest.mark.timeout(1200)

DATA = f"{CLERK_HOME}/.local/share/medins-desk"
STORE = f"{DATA}/medins.db"
BUNDLE = "/opt/medins-desk"
SIGN_IN_TITLE = "medins-desk 登录"
APT = {"DEBIAN_FRONTEND": "noninteractive"}
# What a counter PC must not carry from the build machine: test and build tools, caches.
LEFTOVERS = {
    "tests", "_pytest", "pytest", "hypothesis", "mypy", "ruff", "setuptools", "pip", "wheel",
    "PyInstaller", "fontTools", "openpyxl", "__pycache__", ".venv", "include",
}  # fmt: skip


@pytest.fixture(scope="module")
def installed(debian_root: DebianRoot, deb: Path) -> DebianRoot:
    """apt-get install of the .deb file, its Depends resolved from the mirror."""
    inside = debian_root.inside("/tmp/medins-desk.deb")
    inside.write_bytes(deb.read_bytes())
    inside.chmod(0o644)
    debian_root.ok("apt-get", "-q", "update", env=APT)
    done = debian_root.run(
        "apt-get", "-q", "-y", "--no-install-recommends", "install", "/tmp/medins-desk.deb",
        env=APT,
    )  # fmt: skip
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    return debian_root


def test_apt_installs_it_under_opt_with_its_menu_entry_and_settings(installed: DebianRoot) -> None:
    root = installed
    assert root.ok("dpkg-query", "-W", "-f=${Status}", "medins-desk") == "install ok installed"
    assert os.readlink(root.inside("/usr/bin/medins-desk")) == f"{BUNDLE}/medins-desk"
    desktop = root.inside("/usr/share/applications/medins-desk.desktop").read_text()
    assert "Name[zh_CN]=医保经办柜面" in desktop and "Categories=Office;" in desktop
    assert root.inside("/usr/share/icons/hicolor/scalable/apps/medins-desk.svg").is_file()
    conffiles = root.ok("dpkg-query", "-W", "-f=${Conffiles}", "medins-desk")
    assert "/etc/medins-desk/settings.toml" in conffiles
    # The faces that print come with the bundle, not from the distribution.
    for package in ("fonts-hanazono", "fonts-arphic-uming", "python3"):
        status = root.run("dpkg-query", "-W", "-f=${Status}", package).stdout
        assert "installed" not in status.split(), package


def test_the_bundle_carries_nothing_of_the_build_machine(installed: DebianRoot) -> None:
    found = []
    for folder, dirs, files in os.walk(installed.inside(BUNDLE)):
        found += [f"{folder}/{name}" for name in dirs + files if name in LEFTOVERS]
    assert found == []
    fonts_folder = installed.inside(f"{BUNDLE}/_internal/resources/fonts")
    assert {path.name for path in fonts_folder.iterdir()} == {
        "wqy-microhei.ttc", "LICENSE-wqy-microhei-Apache-2.0.txt",
        "song-gb2312.ttf", "LICENSE-arphic-uming-ARPHICPL.txt",
        "HanaMinB.ttf", "LICENSE-hanazono.txt",
    }  # fmt: skip


def test_version_is_the_package_metadata(installed: DebianRoot) -> None:
    assert installed.ok("medins-desk", "--version", clerk=True) == (
        f"medins-desk {version('medins-desk')}\n"
    )


def _serial(root: DebianRoot, name: str, kind: str = "card_application") -> str:
    with sqlite3.connect(root.inside(STORE)) as connection:
        row = connection.execute(
            "SELECT t.serial FROM transactions t JOIN persons p ON p.id = t.person_id "
            "WHERE p.name = ? AND t.kind = ? ORDER BY t.id LIMIT 1",
            (name, kind),
        ).fetchone()
    connection.close()
    assert row is not None, f"no {kind} of {name} in the demo day"
    return str(row[0])


def test_a_clerk_upgrades_seeds_and_exports_a_voucher(installed: DebianRoot) -> None:
    root = installed
    assert "数据库已是最新版本" in root.ok("medins-desk", "db", "upgrade", clerk=True)
    root.ok("medins-desk", "demo", "seed", "--persons", "50", clerk=True)
    assert root.inside(STORE).is_file()  # the default store: the user's data folder

    for name in ("张伟", "王𠮷"):
        serial = _serial(root, name)
        out = f"{CLERK_HOME}/{serial}.pdf"
        root.ok("medins-desk", "voucher", "export", serial, "--out", out, clerk=True)
        pdf = root.inside(out).read_bytes()
        codes = decode(render_png(pdf, keep_as=f"installed-{serial}"))
        assert f"CODE-128:{serial}" in codes
        assert any(code.startswith(f"QR-Code:MDV1|{serial}|") for code in codes), codes
        assert name in text(pdf)
        assert glyph_faults(pdf) == []
    # 𠮷 printed with the bundle's HanaMin B: the root has no other face with it.
    assert "HanaMinB" in {row["name"].split("+")[-1] for row in fonts(pdf)}


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_the_halls_settings_file_is_read_before_the_users_and_locks(installed: DebianRoot) -> None:
    """/etc/medins-desk/settings.toml, the package's conffile, as IT fills it in: its values
    apply to every user, a clerk's own file overrides what it does not lock."""
    root = installed
    system = root.inside("/etc/medins-desk/settings.toml")
    template = system.read_text()
    user_folder = root.inside(f"{CLERK_HOME}/.config/medins-desk")
    user_folder.mkdir(parents=True)
    (user_folder / "settings.toml").write_text('hall_code = "110105"\ncounter_no = "009"\n')
    for path in (user_folder.parent, user_folder, user_folder / "settings.toml"):
        os.chown(path, CLERK_UID, CLERK_UID)
    try:
        system.write_text(
            f'locked = ["hall_code"]\nhall_code = "310101"\ncounter_no = "007"\n{template}'
        )
        said = root.ok("medins-desk", "status", clerk=True)
        assert "大厅 310101 " in said and "窗口 009" in said, said
        assert "系统设置文件：/etc/medins-desk/settings.toml，设置了" in said, said
    finally:
        system.write_text(template)  # dpkg --verify at the end: the conffile as shipped
        (user_folder / "settings.toml").unlink()


def test_the_sign_in_window_shows_on_an_x_server(installed: DebianRoot) -> None:
    root = installed
    log = f"{CLERK_HOME}/gui.log"
    with xvfb() as (name, watcher):
        process = root.popen(
            "sh", "-c", f'exec medins-desk -v 2>"{log}"', clerk=True, env={"DISPLAY": name}
        )
        try:
            shown = watcher.next_mapped(60)
            assert SIGN_IN_TITLE in shown.title
            # Behind the window the Extension B face goes to Qt, from the bundle.
            deadline = time.monotonic() + 60
            want = f"Extension B face on screen: {BUNDLE}/_internal/resources/fonts/HanaMinB.ttf"
            while want not in (said := root.inside(log).read_text(errors="replace")):
                assert process.poll() is None and time.monotonic() < deadline, said
                time.sleep(0.1)  # the log file is the program's only word on it
            watcher.close_window(shown.window)  # as the window manager's close button does
            assert process.wait(timeout=30) == 0, root.inside(log).read_text(errors="replace")
        finally:
            _stop(process)
    said = root.inside(log).read_text(errors="replace")
    assert "Traceback" not in said
    assert "catalogue" not in said  # Qt's own zh_CN strings found (qt.conf beside the program)


def test_a_demo_card_is_read_from_the_virtual_reader(
    installed: DebianRoot, pcsc_stack: PcscStack
) -> None:
    root = installed
    card = root.popen(
        "medins-desk", "card", "emulate", "--profile", "ordinary", "--remove-after", "60",
        clerk=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_reader_state(READER, present=True, timeout_s=30)
        data = json.loads(
            root.ok("medins-desk", "card", "read", "--json", "--wait", "10", clerk=True)
        )
    finally:
        _stop(card)
        wait_reader_state(READER, present=False)
    assert tuple(data) == JSON_KEYS
    assert data["name"] == "张伟" and data["ssn"] == "110105198005170033"
    assert data["card_number"] == "X00000019" and data["ef06_available"] is True


def test_remove_and_purge_leave_the_counters_data(installed: DebianRoot) -> None:
    root = installed
    # Nothing the package installed was changed by running it (dpkg compares the md5sums).
    assert root.ok("dpkg", "--verify", "medins-desk") == ""
    root.ok("apt-get", "-q", "-y", "remove", "medins-desk", env=APT)
    for path in (BUNDLE, "/usr/bin/medins-desk", "/usr/share/applications/medins-desk.desktop"):
        assert not os.path.lexists(root.inside(path)), path
    assert root.inside("/etc/medins-desk/settings.toml").is_file()  # a conffile stays
    assert root.inside(STORE).is_file()

    purged = root.ok("apt-get", "-q", "-y", "purge", "medins-desk", env=APT)
    assert not root.inside("/etc/medins-desk").exists()
    assert "~/.local/share/medins-desk" in purged  # postrm says where the records are
    assert root.inside(STORE).is_file()
    with sqlite3.connect(root.inside(STORE)) as connection:
        assert connection.execute("SELECT count(*) FROM persons").fetchone()[0] > 0
    connection.close()
    status = root.run("dpkg-query", "-W", "-f=${Status}", "medins-desk").stdout
    assert "installed" not in status.split()
