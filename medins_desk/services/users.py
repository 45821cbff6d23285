"""Users, roles and sign-in (用户与登录): argon2 hashes, lockout after repeated failures."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medins_desk.domain.names import normalise_name
from medins_desk.domain.roles import Permission, Role
from medins_desk.errors import AuthenticationError, BusinessRuleError, NotFound, ValidationError
from medins_desk.services.audit import append_audit
from medins_desk.services.context import Actor, Counter, service
from medins_desk.store.models import User

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 8
LOCKOUT_ATTEMPTS = 5
LOCKOUT_MINUTES = 15


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    locked_until: datetime | None


def _info(user: User) -> UserInfo:
    return UserInfo(
        user.id, user.username, user.display_name, user.role, user.active, user.locked_until
    )


def _check_username(username: str) -> str:
    username = username.strip()
    if not re.fullmatch(r"[A-Za-z0-9_.-]{2,32}", username):
        raise ValidationError("username", "用户名应为 2-32 位字母、数字、下划线、点或短横线")
    return username


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("password", f"密码至少 {MIN_PASSWORD_LENGTH} 位")
    if password.isdigit() or password.isalpha():
        raise ValidationError("password", "密码须同时包含字母和数字")
    return password


def _insert_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    now: datetime,
    by_user_id: int | None,
    by_username: str,
) -> User:
    username = _check_username(username)
    display_name = normalise_name(display_name, field="display_name")
    _check_password(password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationError("username", f"用户名「{username}」已存在")
    return _add_user(
        session, username=username, display_name=display_name, role=role,
        password_hash=_hasher.hash(password), now=now, by=(by_user_id, by_username),
    )  # fmt: skip


def _add_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    password_hash: str,
    now: datetime,
    by: tuple[int | None, str] | None,
) -> User:
    """The row and its audit entry; ``by`` None: the new account records its own creation."""
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        password_hash=password_hash,
        active=True,
        failed_attempts=0,
        created_at=now,
    )
    session.add(user)
    session.flush()
    by_user_id, by_username = by if by is not None else (user.id, username)
    append_audit(
        session,
        at=now,
        user_id=by_user_id,
        username=by_username,
        action="user_create",
        entity="user",
        entity_id=user.id,
        details={"username": username, "role": role.value, "display_name": display_name},
    )
    return user


@service(Permission.MANAGE_USERS)
def create_user(
    session: Session, actor: Actor, *, username: str, display_name: str, role: Role, password: str
) -> UserInfo:
    """新增用户 by an admin."""
    user = _insert_user(
        session,
        username=username,
        display_name=display_name,
        role=role,
        password=password,
        now=actor.now(),
        by_user_id=actor.user_id,
        by_username=actor.username,
    )
    return _info(user)


CONSOLE_USERNAME = "console"


def console_actor(
    session: Session, counter: Counter, clock: Callable[[], datetime] = datetime.now
) -> Actor:
    """The actor for commands typed at the machine's console (``medins-desk users add`` ...).

    Whoever runs the console already holds the database, as with a database's own superuser
    tool; the account exists so that these acts are audited like any other. It cannot sign in:
    its password hash is not a valid argon2 hash.
    """
    user = session.scalar(select(User).where(User.username == CONSOLE_USERNAME))
    if user is None:
        user = _add_user(
            session, username=CONSOLE_USERNAME, display_name="控制台", role=Role.ADMIN,
            password_hash="!console", now=clock().replace(microsecond=0), by=None,
        )  # fmt: skip
        session.commit()
    return Actor(user.id, user.username, user.display_name, user.role, counter, clock)


def create_first_admin(
    session: Session, *, username: str, display_name: str, password: str, now: datetime
) -> UserInfo:
    """首次启动: the first administrator, allowed only while the store has no one to sign in."""
    if has_users(session):
        session.rollback()
        raise BusinessRuleError("系统已有用户，请由管理员登录后新增用户")
    user = _insert_user(
        session,
        username=username,
        display_name=display_name,
        role=Role.ADMIN,
        password=password,
        now=now,
        by_user_id=None,
        by_username=CONSOLE_USERNAME,
    )
    session.commit()
    return _info(user)


def has_users(session: Session) -> bool:
    """Whether anyone can sign in (the console account does not count)."""
    count = session.scalar(select(func.count(User.id)).where(User.username != CONSOLE_USERNAME))
    return bool(count)


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    now: datetime,
    lockout_attempts: int = LOCKOUT_ATTEMPTS,
    lockout_minutes: int = LOCKOUT_MINUTES,
) -> UserInfo:
    """登录: check the password; count failures and lock the account after too many.

    Failures are committed before the error is raised, so the count survives.
    """
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.active:
        session.rollback()
        raise AuthenticationError("用户名或密码错误")
    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, -(-int((user.locked_until - now).total_seconds()) // 60))
        session.rollback()
        raise AuthenticationError(f"密码连续错误次数过多，账户已锁定，请 {minutes} 分钟后再试")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_attempts += 1
        locked = user.failed_attempts >= lockout_attempts
        if locked:
            user.locked_until = now + timedelta(minutes=lockout_minutes)
            user.failed_attempts = 0
        append_audit(
            session,
            at=now,
            user_id=user.id,
            username=user.username,
            action="login_locked" if locked else "login_failed",
            entity="user",
            entity_id=user.id,
        )
        session.commit()
        if locked:
            raise AuthenticationError(
                f"密码连续错误 {lockout_attempts} 次，账户已锁定 {lockout_minutes} 分钟"
            ) from None
        left = lockout_attempts - user.failed_attempts
        raise AuthenticationError(f"用户名或密码错误（再错 {left} 次将锁定账户）") from None
    user.failed_attempts = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    append_audit(
        session,
        at=now,
        user_id=user.id,
        username=user.username,
        action="login",
        entity="user",
        entity_id=user.id,
    )
    session.commit()
    return _info(user)


def sign_in(
    session: Session,
    *,
    username: str,
    password: str,
    counter: Counter,
    clock: Callable[[], datetime] = datetime.now,
    lockout_attempts: int = LOCKOUT_ATTEMPTS,
    lockout_minutes: int = LOCKOUT_MINUTES,
) -> Actor:
    """Authenticate and return the :class:`Actor` later service calls are made as."""
    info = authenticate(
        session,
        username=username,
        password=password,
        now=clock().replace(microsecond=0),
        lockout_attempts=lockout_attempts,
        lockout_minutes=lockout_minutes,
    )
    return Actor(info.id, info.username, info.display_name, info.role, counter, clock)


def verify_password(session: Session, actor: Actor, *, password: str) -> None:
    """Unlock an idle-locked counter: the same rules and lockout as signing in."""
    authenticate(session, username=actor.username, password=password, now=actor.now())


@service(Permission.MANAGE_USERS)
def set_user_role(session: Session, actor: Actor, *, user_id: int, role: Role) -> UserInfo:
    user = _get(session, user_id)
    if user.id == actor.user_id and role is not Role.ADMIN:
        raise BusinessRuleError("不能取消自己的管理员角色")
    before = user.role
    user.role = role
    append_audit(
        session,
        at=actor.now(),
        user_id=actor.user_id,
        username=actor.username,
        action="user_role",
        entity="user",
        entity_id=user.id,
        details={"before": before.value, "after": role.value},
    )
    return _info(user)


@service(Permission.MANAGE_USERS)
def set_user_active(session: Session, actor: Actor, *, user_id: int, active: bool) -> UserInfo:
    user = _get(session, user_id)
    if user.id == actor.user_id and not active:
        raise BusinessRuleError("不能停用当前登录的账户")
    user.active = active
    if active:
        user.locked_until = None
        user.failed_attempts = 0
    append_audit(
        session,
        at=actor.now(),
        user_id=actor.user_id,
        username=actor.username,
        action="user_active",
        entity="user",
        entity_id=user.id,
        details={"active": active},
    )
    return _info(user)


def change_own_password(
    session: Session, actor: Actor, *, old_password: str, new_password: str
) -> None:
    """修改密码: the signed-in user, knowing the old password."""
    authenticate(session, username=actor.username, password=old_password, now=actor.now())
    user = _get(session, actor.user_id)
    user.password_hash = _hasher.hash(_check_password(new_password))
    append_audit(
        session,
        at=actor.now(),
        user_id=actor.user_id,
        username=actor.username,
        action="password_change",
        entity="user",
        entity_id=user.id,
    )
    session.commit()


@service(Permission.MANAGE_USERS)
def list_users(session: Session, actor: Actor) -> list[UserInfo]:
    return [_info(u) for u in session.scalars(select(User).order_by(User.username))]


def _get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"用户 {user_id} 不存在")
    return user
