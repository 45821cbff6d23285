"""Users, roles and sign-in: argon2 hashes, lockout after repeated failures, roles in services."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from medins_desk.domain.roles import Role
from medins_desk.errors import (
    AuthenticationError,
    BusinessRuleError,
    PermissionDenied,
    ValidationError,
)
from medins_desk.services.users import (
    console_actor,
    create_first_admin,
    create_user,
    has_users,
    set_user_active,
    set_user_role,
    sign_in,
)
from medins_desk.store import open_store
from medins_desk.store.models import AuditEntry, User
from tests.helpers.people import register
from tests.helpers.store import PASSWORD, Desk


def test_sign_in_returns_an_actor_with_the_users_role(desk: Desk) -> None:
    with desk.session() as session:
        actor = sign_in(
            session, username="super", password=PASSWORD, counter=desk.counter, clock=desk.clock
        )
    assert (actor.username, actor.role) == ("super", Role.SUPERVISOR)


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(desk: Desk) -> None:
    def attempt(password: str) -> None:
        with desk.session() as session:
            sign_in(
                session, username="clerk", password=password, counter=desk.counter,
                clock=desk.clock,
            )  # fmt: skip

    for left in (4, 3, 2, 1):
        with pytest.raises(AuthenticationError, match=f"再错 {left} 次"):
            attempt("wrong-1")
    with pytest.raises(AuthenticationError, match="已锁定 15 分钟"):
        attempt("wrong-1")
    # The right password does not help while locked; the message says how long is left.
    desk.clock.advance(minutes=5)
    with pytest.raises(AuthenticationError, match="10 分钟后再试"):
        attempt(PASSWORD)
    desk.clock.advance(minutes=10, seconds=1)
    attempt(PASSWORD)
    with desk.session() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert actions.count("login_failed") == 4
    assert "login_locked" in actions
    assert actions[-1] == "login"


def test_unknown_user_and_wrong_password_give_the_same_message(desk: Desk) -> None:
    with desk.session() as session, pytest.raises(AuthenticationError) as unknown:
        sign_in(session, username="nobody", password=PASSWORD, counter=desk.counter)
    assert unknown.value.message == "用户名或密码错误"


def test_passwords_are_stored_as_argon2_hashes(desk: Desk) -> None:
    with desk.session() as session:
        create_user(
            session, desk.actor("admin"), username="clerk9", display_name="周九",
            role=Role.CLERK, password="Window2026",
        )  # fmt: skip
        stored = session.scalar(select(User.password_hash).where(User.username == "clerk9"))
    assert stored is not None and stored.startswith("$argon2id$")
    assert "Window2026" not in stored


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [
        ("'; DROP TABLE users; --", "Window2026", "username"),
        ("clerk9", "short1", "password"),
        ("clerk9", "onlyletters", "password"),
        ("clerk", "Window2026", "username"),  # exists already
    ],
)
def test_bad_user_input_is_refused(desk: Desk, username: str, password: str, field: str) -> None:
    with desk.session() as session, pytest.raises(ValidationError) as caught:
        create_user(
            session, desk.actor("admin"), username=username, display_name="周九",
            role=Role.CLERK, password=password,
        )  # fmt: skip
    assert caught.value.field == field


def test_only_admins_manage_users(desk: Desk) -> None:
    with desk.session() as session, pytest.raises(PermissionDenied):
        create_user(
            session, desk.actor("super"), username="clerk9", display_name="周九",
            role=Role.CLERK, password="Window2026",
        )  # fmt: skip


def test_a_disabled_user_is_refused_at_once_even_when_signed_in(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        set_user_active(session, desk.actor("admin"), user_id=clerk.user_id, active=False)
        with pytest.raises(AuthenticationError, match="已停用"):
            register(session, clerk)


def test_a_role_change_takes_effect_on_the_next_call(desk: Desk) -> None:
    clerk = desk.actor("clerk")
    with desk.session() as session:
        set_user_role(session, desk.actor("admin"), user_id=clerk.user_id, role=Role.ADMIN)
        with pytest.raises(PermissionDenied):
            register(session, clerk)


def test_admins_cannot_lock_themselves_out(desk: Desk) -> None:
    admin = desk.actor("admin")
    with desk.session() as session:
        with pytest.raises(BusinessRuleError):
            set_user_active(session, admin, user_id=admin.user_id, active=False)
        with pytest.raises(BusinessRuleError):
            set_user_role(session, admin, user_id=admin.user_id, role=Role.CLERK)


def test_first_admin_only_on_an_empty_store_and_console_cannot_sign_in(sqlite_url: str) -> None:
    from datetime import datetime

    from medins_desk.services.context import Counter

    store = open_store(sqlite_url)
    now = datetime(2026, 11, 18, 8, 0)
    try:
        with store.sessions() as session:
            counter = Counter("110105", "001")
            console_actor(session, counter)
            assert not has_users(session)  # the console account does not count
            create_first_admin(
                session, username="admin", display_name="管理员", password="Admin2026", now=now
            )
            assert has_users(session)
            with pytest.raises(BusinessRuleError):
                create_first_admin(
                    session, username="admin2", display_name="管理员", password="Admin2026",
                    now=now,
                )  # fmt: skip
            with pytest.raises(AuthenticationError):
                sign_in(session, username="console", password="!console", counter=counter)
    finally:
        store.dispose()
