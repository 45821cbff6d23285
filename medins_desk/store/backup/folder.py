"""备份文件夹: where the day close (日结) leaves the store's backups, and how long they stay.

Each backup is named ``medins-<hall>-<YYYYMMDD-HHMMSS>.db`` (SQLite) or ``.dump`` (PostgreSQL),
so the folder sorts by time and rotation touches no other file: after each backup, those written
more than ``keep_days`` days before it are removed (never the newest one).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from medins_desk.errors import SHOWN_TO_USER
from medins_desk.settings import Settings
from medins_desk.store.backup import Backup, back_up, unwritable
from medins_desk.store.faults import StoreLocation

log = logging.getLogger(__name__)

_NAME = re.compile(r"^medins-\d{6}-(\d{8}-\d{6})\.(?:db|dump)$")
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackupFile:
    """One backup in the folder and when it was written (from its name)."""

    path: Path
    written_at: datetime


@dataclass(frozen=True)
class BackupFolder:
    """The counter's 备份文件夹 (settings ``backup_folder``, ``backup_keep_days``)."""

    folder: Path
    keep_days: int
    hall_code: str

    @classmethod
    def from_settings(cls, settings: Settings) -> BackupFolder | None:
        """None when the settings turn the day close's backup off (an empty ``backup_folder``)."""
        if not settings.backup_folder:
            return None
        return cls(Path(settings.backup_folder), settings.backup_keep_days, settings.hall_code)

    def write(self, url: str, *, now: datetime) -> tuple[Backup, tuple[Path, ...]]:
        """备份 the store at ``url`` into the folder (made if missing), then rotate; the backup
        and the old backups removed."""
        suffix = ".db" if StoreLocation.of(url).sqlite else ".dump"
        out = self.folder / f"medins-{self.hall_code}-{now:{_STAMP}}{suffix}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise unwritable(self.folder, error) from error
        backup = back_up(url, out)
        return backup, self.rotate(now=now)

    def backups(self) -> list[BackupFile]:
        """The backups in the folder, oldest first (none when the folder does not exist)."""
        found = []
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return []
        for path in entries:
            named = _NAME.match(path.name)
            if named and path.is_file():
                found.append(BackupFile(path, datetime.strptime(named[1], _STAMP)))
        return sorted(found, key=lambda backup: backup.written_at)

    def latest(self) -> BackupFile | None:
        """最近一次备份."""
        backups = self.backups()
        return backups[-1] if backups else None

    def rotate(self, *, now: datetime) -> tuple[Path, ...]:
        """Remove the backups written more than ``keep_days`` days before ``now``, keeping the
        newest whatever its age; a file that cannot be removed stays (and is logged)."""
        older = self.backups()[:-1]
        limit = now - timedelta(days=self.keep_days)
        removed = []
        for backup in older:
            if backup.written_at < limit:
                try:
                    backup.path.unlink()
                except OSError as error:
                    log.warning("旧备份 %s 未能删除：%s", backup.path, error, extra=SHOWN_TO_USER)
                    continue
                removed.append(backup.path)
        return tuple(removed)
