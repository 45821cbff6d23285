"""Exception hierarchy of medins-desk.

``UserFacingError`` carries a Chinese message that is safe to show to a clerk as it is; everything
else that escapes is a bug and is shown with details hidden. ``UserCancelled`` is silent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class MedinsError(Exception):
    """Root of every error raised on purpose by medins-desk."""


class UserCancelled(MedinsError):
    """The user cancelled a prompt; nothing to report."""


class UserFacingError(MedinsError):
    """An error whose message (Chinese) is meant for the clerk."""

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


class NotFound(UserFacingError):
    """A record the user referred to does not exist (未找到)."""


class BusinessRuleError(UserFacingError):
    """The act is not allowed in the record's current state (e.g. a card that is not lost)."""


class AuthenticationError(UserFacingError):
    """Sign-in failed: wrong password, unknown user, or a locked account."""


class StorageError(UserFacingError):
    """The database failed for an environmental reason (locked, unreachable, disk full)."""


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

    def __init__(self, notices: Iterable[Notice]) -> None:
        self.notices = tuple(notices)
        super().__init__("；".join(n.message for n in self.notices) + "。请核实后确认。")

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(n.code for n in self.notices)
