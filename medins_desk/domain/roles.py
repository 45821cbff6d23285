"""Roles and what each may do (角色与权限). Checked in services, not only hidden in the GUI."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"clerk": "经办员", "supervisor": "复核员/主管", "admin": "管理员"}[self.value]


class Permission(StrEnum):
    SERVE = "serve"  # counter business: cards, losses, corrections, transfers
    LOOK_UP = "look_up"  # search and read persons
    REVIEW = "review"  # approve or reject identity corrections (复核)
    VOID = "void"  # void a same-day transaction (作废)
    CLOSE_DAY = "close_day"  # 日结
    EXPORT_LEDGER = "export_ledger"
    MANAGE_USERS = "manage_users"

    @property
    def label(self) -> str:
        return {
            "serve": "办理业务",
            "look_up": "查询参保人",
            "review": "复核信息变更",
            "void": "作废业务",
            "close_day": "日结",
            "export_ledger": "导出台账",
            "manage_users": "管理用户",
        }[self.value]


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset({Permission.SERVE, Permission.LOOK_UP}),
    Role.SUPERVISOR: frozenset(
        {
            Permission.SERVE,
            Permission.LOOK_UP,
            Permission.REVIEW,
            Permission.VOID,
            Permission.CLOSE_DAY,
            Permission.EXPORT_LEDGER,
        }
    ),
    Role.ADMIN: frozenset({Permission.LOOK_UP, Permission.MANAGE_USERS, Permission.EXPORT_LEDGER}),
}


def may(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
