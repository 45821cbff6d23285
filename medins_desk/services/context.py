"""Who acts, at which counter, and the one wrapper that makes a service call one transaction."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Concatenate, ParamSpec, TypeVar, cast

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from medins_desk.domain.policy import Policy
from medins_desk.domain.roles import Permission, Role, may
from medins_desk.errors import ActAlreadyDone, AuthenticationError, PermissionDenied
from medins_desk.settings import Agency, Settings
from medins_desk.store.engine import translate_error
from medins_desk.store.faults import is_transient_conflict
from medins_desk.store.models import Transaction, User, table_of

log = logging.getLogger(__name__)

# ``session.info`` key of the clerk's submission id for the act the session runs: a counter that
# asks again after losing the answer passes the same id (see Transaction.submission_id).
SUBMISSION_ID = "medins_submission_id"

# How many times in all a service call runs when the database aborts it to settle a conflict.
CONFLICT_ATTEMPTS = 3


@dataclass(frozen=True)
class Counter:
    """窗口: the hall and counter a service call is made at, with the hall's policy."""

    hall_code: str
    counter_no: str
    policy: Policy = field(default_factory=Policy)
    has_card_printer: bool = False
    training: bool = False
    agency: Agency = field(default_factory=Agency)

    @classmethod
    def from_settings(cls, settings: Settings) -> Counter:
        return cls(
            hall_code=settings.hall_code,
            counter_no=settings.counter_no,
            policy=settings.policy,
            has_card_printer=settings.has_card_printer,
            training=settings.training,
            agency=settings.agency,
        )


@dataclass(frozen=True)
class Actor:
    """The signed-in user at a counter. ``clock`` is injectable so tests can move time."""

    user_id: int
    username: str
    display_name: str
    role: Role
    counter: Counter
    clock: Callable[[], datetime] = datetime.now

    def now(self) -> datetime:
        return self.clock().replace(microsecond=0)

    def today(self) -> date:
        return self.clock().date()

    @property
    def policy(self) -> Policy:
        return self.counter.policy


P = ParamSpec("P")
R = TypeVar("R")
ServiceFn = Callable[Concatenate[Session, Actor, P], R]


def service(permission: Permission) -> Callable[[ServiceFn[P, R]], ServiceFn[P, R]]:
    """Make ``fn(session, actor, ...)`` one checked transaction.

    An act called with ``submission_id=`` (the counter's id for the clerk's one submission of
    the form) is refused
    with :class:`~medins_desk.errors.ActAlreadyDone` when the store already has a transaction of
    that id: the first call committed and only its answer was lost.

    The actor's account is re-read so that a disabled user or a changed role takes effect at once
    (and the act is made under the name the account bears now); on success the session commits,
    on any error it rolls back (nothing half-written stays) and driver errors become
    :class:`~medins_desk.errors.StorageError`. A transaction the database aborted to settle a
    conflict with another counter (a deadlock, a serialization failure) is run again from the
    start, up to :data:`CONFLICT_ATTEMPTS` times in all: the second run sees what the other
    counter did, and the business rules then decide.
    """

    def decorate(fn: ServiceFn[P, R]) -> ServiceFn[P, R]:
        @functools.wraps(fn)
        def wrapper(session: Session, actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> R:
            submission_id = cast("str | None", kwargs.pop("submission_id", None))
            attempt = 1
            while True:
                committing = False
                try:
                    current = require(session, actor, permission)
                    if submission_id is not None:
                        _refuse_if_done(session, submission_id)
                        session.info[SUBMISSION_ID] = submission_id
                    result = fn(session, current, *args, **kwargs)
                    committing = True
                    session.commit()
                    return result
                except BaseException as error:
                    session.rollback()
                    if attempt < CONFLICT_ATTEMPTS and is_transient_conflict(error):
                        log.info("%s lost a conflict (attempt %d): again", fn.__name__, attempt)
                        attempt += 1
                        continue
                    # A connection lost at the COMMIT leaves the act's outcome unknown: the clerk
                    # is told so, and asking again with the submission id settles it.
                    translated = translate_error(error, session.get_bind(), at_commit=committing)
                    if translated is error:
                        raise
                    raise translated from error
                finally:
                    session.info.pop(SUBMISSION_ID, None)

        return wrapper

    return decorate


_transactions = table_of(Transaction)
_BY_SUBMISSION = select(_transactions.c.serial, _transactions.c.created_at).where(
    _transactions.c.submission_id == bindparam("submission_id")
)


def _refuse_if_done(session: Session, submission_id: str) -> None:
    done = session.connection().execute(_BY_SUBMISSION, {"submission_id": submission_id}).first()
    if done is not None:
        raise ActAlreadyDone(
            f"此笔业务已于 {done.created_at:%H:%M:%S} 办理成功（业务流水号 {done.serial}），"
            "上次因数据库连接中断未收到结果；本次未重复办理，可在人员面板查看或补打凭证",
            serial=done.serial,
        )


# Compiled once: every service call starts with it (a statement built per call costs more to
# build and key for the cache than SQLite takes to run it).
_users = table_of(User)
_ACCOUNT = select(_users.c.username, _users.c.display_name, _users.c.role, _users.c.active).where(
    _users.c.id == bindparam("user_id")
)


def require(session: Session, actor: Actor, permission: Permission) -> Actor:
    """The actor as their account stands now, if it is active and its role grants ``permission``:
    vouchers print the name the account bears at the time of the act."""
    row = session.connection().execute(_ACCOUNT, {"user_id": actor.user_id}).first()
    if row is None or not row.active:
        raise AuthenticationError("当前用户已停用或不存在，请重新登录")
    role = Role(row.role)
    if not may(role, permission):
        raise PermissionDenied(f"「{role.label}」无权{permission.label}")
    if row.username != actor.username or row.display_name != actor.display_name:
        return replace(actor, username=row.username, display_name=row.display_name)
    return actor
