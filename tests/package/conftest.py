"""The installed package's test (``installer/dev-setup.sh package-test``; ``make test`` runs it
after the suite): the .deb and the clean root's tarball come from the environment the command
sets, MEDINS_PACKAGE_DEB and MEDINS_PACKAGE_ROOT (MEDINS_PACKAGE_APT_CACHE keeps downloads)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.debroot import DebianRoot

# The sockets the installed program may reach on the host: the X server's (Xvfb) and pcscd's.
SHARED = [Path("/tmp/.X11-unix"), Path("/run/pcscd")]


def _given(variable: str) -> Path:
    value = os.environ.get(variable)
    if not value or not Path(value).is_file():
        pytest.fail(f"{variable} names no file: run installer/dev-setup.sh package-test")
    return Path(value)


@pytest.fixture(scope="session")
def deb() -> Path:
    return _given("MEDINS_PACKAGE_DEB")


@pytest.fixture(scope="session")
def debian_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DebianRoot]:
    if os.geteuid() != 0:
        pytest.fail("the package test makes a chroot and mounts into it: run it as root")
    tarball = _given("MEDINS_PACKAGE_ROOT")
    folder = tmp_path_factory.mktemp("debian") / "root"
    root = DebianRoot.unpack(tarball, folder)
    root.shared = list(SHARED)
    cache = os.environ.get("MEDINS_PACKAGE_APT_CACHE")
    root.apt_cache = Path(cache) if cache else None
    try:
        yield root
    finally:
        shutil.rmtree(folder, ignore_errors=True)
