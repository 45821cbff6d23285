"""Exception hierarchy of medins-desk.

``UserFacingError`` carries a Chinese message that is safe to show to a clerk as it is; everything
else that escapes is a bug and is shown with details hidden. ``UserCancelled`` is silent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# ``extra`` of a log record about an error the user has already been shown in Chinese: the command
# line's console leaves such records (and their tracebacks) out unless -v; the log file keeps them.
SHOWN_TO_USER = {"shown_to_user": True}


class MedinsError(Exception):
    """Root of every error raised on purpose by medins-desk."""


class UserCancelled(MedinsError):
    """The user cancelled a prompt; nothing to report."""


class UserFacingError(MedinsError):
    """An error whose message (Chinese) is meant for the clerk.

    ``exit_code`` is the command line's exit status for it (the table is in the README): 2 bad
    usage or input, unless a subclass says otherwise.
    """

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(UserFacingError):
    """Input that breaks a domain rule (校验失败); ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(UserFacingError):
    """The signed-in user's role may not do this (无权限)."""

    exit_code = 1


class NotFound(UserFacingError):
    """A record the user referred to does not exist (未找到)."""

    exit_code = 1


class BusinessRuleError(UserFacingError):
    """The act is not allowed in the record's current state (e.g. a card that is not lost)."""

    exit_code = 1


class ActAlreadyDone(BusinessRuleError):
    """The act asked for again was already done: its first answer was lost (the connection
    broke at the commit), the store has it. Nothing was done twice."""

    def __init__(self, message: str, *, serial: str) -> None:
        super().__init__(message)
        self.serial = serial


class AuthenticationError(UserFacingError):
    """Sign-in failed: wrong password, unknown user, or a locked account."""

    exit_code = 1


class StorageError(UserFacingError):
    """A file could not be read or written for an environmental reason (an export's folder, the
    settings file). Faults of the store itself are the :class:`StoreError` kinds below."""


class StoreError(StorageError):
    """The store (the SQLite file or the hall's PostgreSQL) failed for a reason outside the program.

    Made by one function, :func:`medins_desk.store.engine.translate_error`, from the driver's
    error; the message (one or two Chinese lines: what failed, where, what to do) is for the
    clerk and the hall's IT staff, the driver's own text (``detail``) goes to the log.
    ``retry`` says whether waiting may help (the counter application retries in the background).
    """

    exit_code = 3
    retry = False

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class StoreUnreachable(StoreError):
    """无法连接数据库: server down or refusing, host unknown, timeout, login or database refused,
    TLS refused, or a SQLite file that cannot be opened."""

    exit_code = 3
    retry = True


class StoreLocked(StoreError):
    """数据库被占用: another program held the SQLite file (or a row lock) longer than we wait."""

    exit_code = 3
    retry = True


class StoreDamaged(StoreError):
    """数据库损坏: not a database at all, or damaged pages (``PRAGMA quick_check`` fails)."""

    exit_code = 4


class StoreVersionMismatch(StoreError):
    """数据库版本不符: the schema's alembic revision is not the program's ``head``."""

    exit_code = 4

    def __init__(self, message: str, *, found: str | None, expected: str | None) -> None:
        super().__init__(message)
        self.found = found
        self.expected = expected


class StoreTooNew(StoreVersionMismatch):
    """A newer release migrated the store: this program must not touch it."""


class StoreTooOld(StoreVersionMismatch):
    """The store's schema is older than the program's and the settings, or the database account,
    forbid upgrading it here. Someone who may (the hall's IT, as the owner) upgrades it while the
    counter waits, so waiting helps."""

    retry = True


class StoreReadOnly(StoreError):
    """数据库只读: the file, its folder or the disk is read-only (or a read-only PostgreSQL)."""

    exit_code = 5
    retry = True


class StoreForbidden(StoreError):
    """数据库拒绝操作: the database account lacks a privilege the act needs (PostgreSQL's
    SQLSTATE 42501): a hall's application role whose grants miss a table, or one that tried to
    change what it may only append to. Waiting does not help; IT grants, or the act is not one
    the role may do."""

    exit_code = 5


class StoreFull(StoreError):
    """磁盘已满: the disk of the store (or the server's) has no room; nothing was saved."""

    exit_code = 5
    retry = True


class BackupError(StorageError):
    """备份/恢复失败 for a reason outside the store itself; ``detail`` (the tool's or the driver's
    own text) goes to the log. The subclasses give the exit status."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class BackupUnwritable(BackupError):
    """备份文件无法写入: the backup's folder is missing, read-only or full."""

    exit_code = 5


class BackupInvalid(BackupError):
    """备份文件不可用: not a medins-desk backup, damaged, of the other backend, or written by a
    newer release."""

    exit_code = 4


class BackupToolMissing(BackupError):
    """没有可用的 pg_dump/pg_restore: none of the server's major version on this computer."""

    exit_code = 4


class ServerStartFailed(UserFacingError):
    """临时数据库服务器无法启动: no PostgreSQL server binaries here, or initdb/pg_ctl failed
    (``detail``, their own text, goes to the log)."""

    exit_code = 4

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class RestoreRefused(BusinessRuleError):
    """拒绝恢复: the target store holds records the backup lacks (newer data); ``--force``."""


@dataclass(frozen=True)
class Notice:
    """A warning the clerk must confirm before the act goes on (需确认的提示).

    ``code`` is stable (used to acknowledge it); ``message`` is Chinese.
    """

    code: str
    message: str
    field: str = ""


class ConfirmationRequired(UserFacingError):
    """The act raised notices the clerk has not yet acknowledged.

    Call again with the codes in ``acknowledged`` once the clerk has confirmed them.
    """

    exit_code = 1

    def __init__(self, notices: Iterable[Notice]) -> None:
        self.notices = tuple(notices)
        super().__init__("；".join(n.message for n in self.notices) + "。请核实后确认。")

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(n.code for n in self.notices)
