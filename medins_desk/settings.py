"""Counter settings (窗口设置): database URL, hall and counter, agency details, regional policy.

Read from ``settings.toml`` in the user config directory, then overridden by ``MEDINS_*``
environment variables, then by explicit overrides (the CLI's ``--db``). Regional policy values
live under ``[policy]`` and default to :class:`medins_desk.domain.policy.Policy`.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from medins_desk.domain.policy import Policy
from medins_desk.errors import StorageError, ValidationError

APP_NAME = "medins-desk"


def data_dir() -> Path:
    """Where the SQLite store and archives live (platformdirs user data dir)."""
    override = os.environ.get("MEDINS_DATA_DIR")
    return (
        Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    )


def config_dir() -> Path:
    override = os.environ.get("MEDINS_CONFIG_DIR")
    return (
        Path(override)
        if override
        else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    )


def log_dir() -> Path:
    override = os.environ.get("MEDINS_LOG_DIR")
    return (
        Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    )


def default_backup_folder() -> str:
    """Where the day close writes backups unless the settings say otherwise."""
    return str(data_dir() / "backups")


def default_database_url() -> str:
    return f"sqlite+pysqlite:///{data_dir() / 'medins.db'}"


@dataclass(frozen=True)
class Agency:
    """The issuing agency (经办机构) printed on letters and vouchers."""

    name: str = "演示市医疗保障事务中心"
    address: str = "演示市人民路 1 号"
    phone: str = "0000-12345678"
    region_code: str = "110105"


LANGUAGES = {"zh_CN": "中文", "en": "English"}

# Training/demo only: every checkout knows it, so a voucher signed with it proves nothing. A hall
# sets its own ``hall_secret`` in settings.toml or MEDINS_HALL_SECRET (never in the repository).
DEMO_HALL_SECRET = "medins-desk-demo-secret-not-for-production"


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    hall_code: str = "110105"
    hall_name: str = "演示社保经办服务大厅"
    counter_no: str = "001"
    has_card_printer: bool = False
    # The PC/SC reader of this counter; empty: the first reader with a card in it.
    card_reader: str = ""
    # Where this counter's camera (高拍仪) saves photos: the photo dialog opens there with the
    # newest photo selected. Empty: the folder of the last photo chosen.
    photo_folder: str = ""
    training: bool = False
    # Signs the QR code on vouchers (HMAC); shared by every counter of the hall.
    hall_secret: str = DEMO_HALL_SECRET
    printer: str = ""  # system printer for A4 vouchers; empty: the system default
    receipt_printer: str = ""  # 80 mm receipt printer; empty: vouchers go to ``printer``
    idle_lock_minutes: int = 10
    language: str = "zh_CN"  # the counter's language: zh_CN, or en (see LANGUAGES)
    lockout_attempts: int = 5
    lockout_minutes: int = 15
    # A store of an older schema is upgraded when the app or a command opens it. A hall whose
    # counters share one PostgreSQL sets false, so that only `medins-desk db upgrade`, run by IT
    # once every counter has the new release, changes the schema.
    upgrade_on_start: bool = True
    # 备份文件夹: the day close (日结) writes a backup of the store here; empty: it writes none
    # (a hall whose IT backs the server up itself). Backups older than backup_keep_days go.
    backup_folder: str = field(default_factory=default_backup_folder)
    backup_keep_days: int = 30
    agency: Agency = field(default_factory=Agency)
    policy: Policy = field(default_factory=Policy)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"\d{6}", self.hall_code):
            raise ValidationError("hall_code", f"大厅编码应为 6 位数字，当前为「{self.hall_code}」")
        if not re.fullmatch(r"\d{3}", self.counter_no):
            raise ValidationError("counter_no", f"窗口号应为 3 位数字，当前为「{self.counter_no}」")
        if not self.hall_secret:
            raise ValidationError("hall_secret", "大厅凭证密钥（hall_secret）不能为空")
        if not self.database_url:
            raise ValidationError("database_url", "数据库地址不能为空")
        if self.language not in LANGUAGES:
            raise ValidationError(
                "language", f"界面语言只能是 {'、'.join(LANGUAGES)}，当前为「{self.language}」"
            )
        if not 1 <= self.idle_lock_minutes <= 120:
            raise ValidationError("idle_lock_minutes", "锁屏时间应为 1 至 120 分钟")
        if not 1 <= self.backup_keep_days <= 3660:
            raise ValidationError("backup_keep_days", "备份保留天数应为 1 至 3660 天")

    @property
    def demo_secret(self) -> bool:
        """The published demo secret is in use: vouchers say so, and prove nothing."""
        return self.hall_secret == DEMO_HALL_SECRET


_ENV_KEYS: dict[str, str] = {
    "MEDINS_DATABASE_URL": "database_url",
    "MEDINS_HALL_CODE": "hall_code",
    "MEDINS_HALL_NAME": "hall_name",
    "MEDINS_COUNTER_NO": "counter_no",
    "MEDINS_HAS_CARD_PRINTER": "has_card_printer",
    "MEDINS_CARD_READER": "card_reader",
    "MEDINS_PHOTO_FOLDER": "photo_folder",
    "MEDINS_TRAINING": "training",
    "MEDINS_HALL_SECRET": "hall_secret",
    "MEDINS_PRINTER": "printer",
    "MEDINS_RECEIPT_PRINTER": "receipt_printer",
    "MEDINS_LANGUAGE": "language",
    "MEDINS_UPGRADE_ON_START": "upgrade_on_start",
    "MEDINS_BACKUP_FOLDER": "backup_folder",
    "MEDINS_BACKUP_KEEP_DAYS": "backup_keep_days",
}


def settings_file() -> Path:
    override = os.environ.get("MEDINS_CONFIG")
    return Path(override) if override else config_dir() / "settings.toml"


def load_settings(
    path: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings from the TOML file, then ``MEDINS_*`` variables, then ``overrides``."""
    path = path or settings_file()
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise ValidationError(
                "settings",
                f"设置文件 {path} 不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节），"
                "请用记事本等以 UTF-8 编码另存",
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            raise ValidationError("settings", f"设置文件 {path} 格式错误：{exc}") from exc
    return _settings(raw, os.environ if environ is None else environ, overrides)


def environment_overrides(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The settings the environment decides, as {setting: variable} ("policy.x" for policy
    values): the settings form shows them read-only, and :func:`save_settings` refuses them."""
    env = os.environ if environ is None else environ
    found = {key: var for var, key in _ENV_KEYS.items() if var in env}
    for f in dataclasses.fields(Policy):
        var = f"MEDINS_POLICY_{f.name.upper()}"
        if var in env:
            found[f"policy.{f.name}"] = var
    return found


def save_settings(
    changes: Mapping[str, Any],
    path: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """保存设置: write ``changes`` into settings.toml (``policy`` and ``agency`` as mappings of
    their own values), keeping the administrator's comments, order and every other value.

    The result is checked by loading it before anything is written; the file is replaced
    atomically. Settings the environment decides are refused (the file would not be what the
    counter runs with), and so is the hall secret: it is set by hand, never through a form."""
    # tomlkit (about 25 ms to import) is only for writing: every start reads with tomllib.
    import tomlkit
    import tomlkit.exceptions

    path = path or settings_file()
    env = os.environ if environ is None else environ
    decided = environment_overrides(env)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.TOMLKitError as exc:
        raise ValidationError("settings", f"设置文件 {path} 格式错误：{exc}") from exc
    for key, value in changes.items():
        if key in ("policy", "agency"):
            table = document.get(key)
            if table is None:
                table = tomlkit.table()
                document[key] = table
            for name, item in value.items():
                if f"{key}.{name}" in decided:
                    raise ValidationError(name, _decided(decided[f"{key}.{name}"]))
                table[name] = item
            continue
        if key == "hall_secret":
            raise ValidationError(key, "大厅凭证密钥只能由管理员在设置文件中手工设置")
        if key in decided:
            raise ValidationError(key, _decided(decided[key]))
        document[key] = value
    new_text = tomlkit.dumps(document)
    _settings(tomllib.loads(new_text), env, None)  # raises at the first bad value
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(new_text)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise StorageError(f"无法写入设置文件 {path}：{error.strerror or error}") from error
    return load_settings(path, environ=env)


def _decided(variable: str) -> str:
    return f"此项由环境变量 {variable} 指定，请修改环境变量"


def _settings(
    raw: Mapping[str, Any], env: Mapping[str, str], overrides: Mapping[str, Any] | None
) -> Settings:
    top = {k: v for k, v in raw.items() if k not in ("policy", "agency")}
    policy_raw = _table(raw, "policy", "政策参数")
    agency_raw = _table(raw, "agency", "经办机构")
    for var, key in _ENV_KEYS.items():
        if var in env:
            top[key] = env[var]
    policy_fields = {f.name: f for f in dataclasses.fields(Policy)}
    for name in policy_fields:
        var = f"MEDINS_POLICY_{name.upper()}"
        if var in env:
            policy_raw[name] = env[var]
    # An override of None means "not given": it must not hide the file or environment value.
    top.update({k: v for k, v in (overrides or {}).items() if v is not None})

    known = {f.name: f for f in dataclasses.fields(Settings)}
    for key in top:
        if key not in known:
            raise ValidationError(key, f"未知的设置项「{key}」")
    for key in policy_raw:
        if key not in policy_fields:
            raise ValidationError(key, f"未知的政策参数「{key}」")
    agency_fields = {f.name: f for f in dataclasses.fields(Agency)}
    for key in agency_raw:
        if key not in agency_fields:
            raise ValidationError(key, f"未知的经办机构设置项「{key}」")
    top = {k: _coerce(k, v, known[k].type) for k, v in top.items()}
    policy_raw = {k: _coerce(k, v, policy_fields[k].type) for k, v in policy_raw.items()}
    agency_raw = {k: _coerce(k, v, agency_fields[k].type) for k, v in agency_raw.items()}
    return Settings(**top, agency=Agency(**agency_raw), policy=Policy(**policy_raw))


def _table(raw: Mapping[str, Any], name: str, label: str) -> dict[str, Any]:
    table = raw.get(name, {})
    if not isinstance(table, dict):
        raise ValidationError(
            name, f"设置文件中的 [{name}]（{label}）应为一节设置，当前为「{table!r}」"
        )
    return dict(table)


_KINDS: dict[str, tuple[type, str]] = {
    "str": (str, "文字"),
    "int": (int, "整数"),
    "bool": (bool, "是/否（true/false）"),
}


def _from_text(key: str, value: Any, kind: str) -> Any:
    """Environment values arrive as text; TOML values are already typed."""
    if not isinstance(value, str):
        return value
    if kind == "bool":
        lowered = value.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off", ""):
            return False
        raise ValidationError(key, f"设置项「{key}」应为是/否（true/false），当前为「{value}」")
    if kind == "int":
        try:
            return int(value)
        except ValueError:
            raise ValidationError(key, f"设置项「{key}」应为整数，当前为「{value}」") from None
    return value


def _coerce(key: str, value: Any, annotation: Any) -> Any:
    """A value of the setting's own type: environment text converted, a TOML value of another
    type (a number where text belongs, a date, a list) refused at its key."""
    kind = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    converted = _from_text(key, value, kind)
    expected = _KINDS.get(kind)
    if expected is not None and type(converted) is not expected[0]:
        raise ValidationError(key, f"设置项「{key}」应为{expected[1]}，当前为「{value!r}」"[:200])
    return converted
