"""Counter settings default to DESIGN §9's security values."""

from __future__ import annotations

from medins_desk.services import users
from medins_desk.settings import Settings


def test_security_defaults_follow_the_design() -> None:
    settings = Settings(database_url="sqlite+pysqlite:///:memory:")
    assert settings.idle_lock_minutes == 10
    assert (settings.lockout_attempts, settings.lockout_minutes) == (5, 15)
    # Signing in without the counter's settings (the console) uses the same values.
    assert (users.LOCKOUT_ATTEMPTS, users.LOCKOUT_MINUTES) == (5, 15)
