"""The real PC/SC stack for card tests: pcscd with the vsmartcard vpcd driver, and virtual cards.

``pcsc_stack`` (session) starts ``pcscd -f`` with a reader.conf.d of its own holding the vpcd
reader, unless a pcscd already runs (then that one is used and left alone), and stops what it
started at the end. ``stack.insert(profile)`` plugs a virtual card in and returns once pcscd says
the reader holds a card; ``remove`` waits for "empty". Nothing sleeps for a fixed time.

Missing pcscd or vpcd fails the tests (never a skip): ``make test`` installs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from medins_desk.cardreader.virtual import (
    VirtualCard,
    VpcdCard,
    demo_profile_dir,
    load_profile,
)

READER = "Virtual PCD 00 00"
VPCD_CONFIG_DIR = Path("/etc/reader.conf.d")
DEMO_PROFILES = sorted(p.stem for p in demo_profile_dir().glob("*.toml"))


def _scard():  # type: ignore[no-untyped-def]
    from smartcard import scard

    return scard


def service_up() -> bool:
    scard = _scard()
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return False
    scard.SCardReleaseContext(context)
    return True


def wait_reader_state(reader: str, *, present: bool, timeout_s: float = 5.0) -> None:
    """Block on SCardGetStatusChange until ``reader`` is present/empty as asked."""
    scard = _scard()
    deadline = time.monotonic() + timeout_s
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == scard.SCARD_S_SUCCESS, "pcscd is not running"
    try:
        known = scard.SCARD_STATE_UNAWARE
        while True:
            remaining = int(max(0.0, deadline - time.monotonic()) * 1000)
            hresult, states = scard.SCardGetStatusChange(context, remaining, [(reader, known)])
            if hresult == scard.SCARD_S_SUCCESS:
                state = states[0][1]
                if bool(state & scard.SCARD_STATE_PRESENT) == present:
                    return
                known = state & ~scard.SCARD_STATE_CHANGED
            if time.monotonic() >= deadline:
                what = "present" if present else "empty"
                raise AssertionError(f"reader {reader!r} not {what} after {timeout_s} s")
    finally:
        scard.SCardReleaseContext(context)


def _vpcd_config() -> Path:
    for path in sorted(VPCD_CONFIG_DIR.glob("*")):
        if path.is_file() and "libifdvpcd" in path.read_text(errors="replace"):
            return path
    pytest.fail("vsmartcard-vpcd is not installed (run installer/dev-setup.sh system-test)")


@dataclass
class PcscStack:
    """pcscd and the virtual cards plugged into it during one test."""

    workdir: Path
    owned: bool = False
    process: subprocess.Popen[bytes] | None = None
    readers: bool = True
    cards: list[VpcdCard] = field(default_factory=list)

    def start(self, *, readers: bool = True) -> None:
        self.readers = readers
        config = self.workdir / ("reader.conf.d" if readers else "no-readers")
        self.process = subprocess.Popen(
            ["pcscd", "-f", "-c", str(config)],
            stdout=(self.workdir / "pcscd.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while not service_up():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = (self.workdir / "pcscd.log").read_text(errors="replace")
                pytest.fail(f"pcscd did not start:\n{log}")
            time.sleep(0.02)  # polling for the daemon's socket: there is no event for it

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self, *, readers: bool = True) -> None:
        """Only for a pcscd this fixture started: another one is not ours to stop."""
        if not self.owned:
            if os.environ.get("CI"):
                pytest.fail("a pcscd not started by the tests is running; stop it for CI")
            pytest.skip("a pcscd not started by the tests is running; it is left alone")
        cards, self.cards = self.cards, []
        for vpcd in cards:
            vpcd.remove()
        self.stop()
        self.start(readers=readers)

    def insert(
        self, profile: str | Path | VirtualCard, *, port_index: int = 0, **options: object
    ) -> VpcdCard:
        if isinstance(profile, VirtualCard):
            card = profile
        else:
            path = profile if isinstance(profile, Path) else demo_profile_dir() / f"{profile}.toml"
            card = VirtualCard(load_profile(path))
        vpcd = VpcdCard(card, port=35963 + port_index, **options)  # type: ignore[arg-type]
        vpcd.insert()
        self.cards.append(vpcd)
        wait_reader_state(f"Virtual PCD 00 0{port_index}", present=True)
        return vpcd

    def remove(self, vpcd: VpcdCard, *, port_index: int = 0) -> None:
        vpcd.remove()
        if vpcd in self.cards:
            self.cards.remove(vpcd)
        wait_reader_state(f"Virtual PCD 00 0{port_index}", present=False)

    def remove_all(self) -> None:
        """Pull every card and wait until pcscd reports the readers empty (when it runs)."""
        cards, self.cards = self.cards, []
        for vpcd in cards:
            vpcd.remove()
            if self.process is not None or not self.owned:
                wait_reader_state(f"Virtual PCD 00 0{vpcd.port - 35963}", present=False)


@pytest.fixture(scope="session")
def pcsc_session() -> Iterator[PcscStack]:
    if shutil.which("pcscd") is None:
        pytest.fail("pcscd is not installed (run installer/dev-setup.sh system-test)")
    workdir = Path(tempfile.mkdtemp(prefix="medins-pcsc-"))
    (workdir / "reader.conf.d").mkdir()
    (workdir / "no-readers").mkdir()
    shutil.copy(_vpcd_config(), workdir / "reader.conf.d" / "vpcd")
    stack = PcscStack(workdir)
    if not service_up():
        stack.owned = True
        stack.start()
    try:
        yield stack
    finally:
        stack.remove_all()
        if stack.owned:
            stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def pcsc_stack(pcsc_session: PcscStack) -> Iterator[PcscStack]:
    """The stack with the virtual readers empty at the start and the end of the test."""
    stack = pcsc_session
    if stack.owned and (stack.process is None or not stack.readers or not service_up()):
        stack.stop()  # a test before this one stopped pcscd or left it without readers
        stack.start()
    try:
        yield stack
    finally:
        stack.remove_all()
