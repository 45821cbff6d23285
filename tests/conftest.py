"""Root conftest: marks tests by folder, registers shared fixtures, picks the Hypothesis profile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = [
    "tests.helpers.cups",
    "tests.helpers.hall",
    "tests.helpers.pcsc",
    "tests.helpers.postgres",
    "tests.helpers.store",
]

TESTS_DIR = Path(__file__).resolve().parent

# The first folder under tests/ gives a test its kind (qutebrowser marks its tests the same way).
FOLDER_MARKERS = {
    "unit": "unit", "integration": "integration", "gui": "gui", "package": "package"
}  # fmt: skip
# Tests that use these fixtures need the PostgreSQL server that the test command provides.
POSTGRES_FIXTURES = {"postgres_server", "postgres_url"}

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=300,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100)
# HYPOTHESIS_PROFILE=ci reproduces CI's runs locally.
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(autouse=True)
def _no_system_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's own system settings (a counter's /etc/medins-desk/settings.toml, with the
    hall's database) never reach a test: the tests that want one write their own."""
    monkeypatch.setenv("MEDINS_SYSTEM_CONFIG", str(TESTS_DIR / "no-system-settings.toml"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        try:
            folder = Path(item.path).resolve().relative_to(TESTS_DIR).parts[0]
        except ValueError:
            continue
        marker = FOLDER_MARKERS.get(folder)
        if marker is not None:
            item.add_marker(marker)
        if POSTGRES_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker("postgres")
