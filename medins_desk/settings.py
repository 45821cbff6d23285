"""Counter settings (窗口设置): database URL, hall and counter, agency details, regional policy.

Four layers, each overriding the one before: the machine's system file (the hall's settings, set
once per counter by IT: ``/etc/medins-desk/settings.toml``, on Windows
``%PROGRAMDATA%\\medins-desk\\settings.toml``), the user's ``settings.toml`` in the user config
directory (the settings form writes it), ``MEDINS_*`` environment variables, then explicit
overrides (the CLI's ``--db``). A key the system file names in ``locked`` is not taken from the
user's file: the hall decides it for every user of the machine, while the environment and
``--db``, set by whoever starts the program (IT's ``db upgrade`` as the owner), still override.
Regional policy values live under ``[policy]`` and default to
:class:`medins_desk.domain.policy.Policy`.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import os
import re
import sys
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from medins_desk.domain.policy import Policy
from medins_desk.errors import StorageError, ValidationError

if TYPE_CHECKING:
    from medins_desk.cardreader.layout import RegionRecord

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


# The counter's 安全模块 (card_security_module), made by cardreader.security.security_module.
CARD_SECURITY_MODULES = {"": "无（未配置安全模块）", "training": "培训卡软件密钥（仅虚拟培训卡）"}


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    hall_code: str = "110105"
    hall_name: str = "演示社保经办服务大厅"
    counter_no: str = "001"
    has_card_printer: bool = False
    # The PC/SC reader of this counter; empty: the first reader with a card in it.
    card_reader: str = ""
    # 安全模块 for EF06 of 3rd-generation cards and for writing to the card: "" none, "training"
    # (the software key of the virtual training cards: opens no real card).
    card_security_module: str = ""
    # Where this province's cards keep the 参保地统筹区编码 that 改写社保卡信息 writes (the
    # default is the training cards' layout; see the README).
    card_region_file: str = "EF07"
    card_region_record: int = 1
    card_region_tag: int = 0x2F
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
    # Where each value not at its default comes from, by key ("policy.x" for a table's value);
    # filled by load_settings, not a setting itself.
    origins: Mapping[str, Origin] = field(default_factory=dict, compare=False, repr=False)

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
        if self.card_security_module not in CARD_SECURITY_MODULES:
            raise ValidationError(
                "card_security_module",
                f"安全模块只能是 {'、'.join(repr(k) for k in CARD_SECURITY_MODULES)}，"
                f"当前为「{self.card_security_module}」",
            )
        if not re.fullmatch(r"EF[0-9A-F]{2}", self.card_region_file):
            raise ValidationError(
                "card_region_file", f"卡内参保地文件应形如 EF07，当前为「{self.card_region_file}」"
            )
        if not (1 <= self.card_region_record <= 254 and 0 <= self.card_region_tag <= 255):
            raise ValidationError("card_region_record", "卡内参保地记录号应为 1-254，标签 0-255")
        if not 1 <= self.backup_keep_days <= 3660:
            raise ValidationError("backup_keep_days", "备份保留天数应为 1 至 3660 天")

    @property
    def card_region(self) -> RegionRecord:
        """Where 改写社保卡信息 writes the 参保地统筹区编码 on this province's cards."""
        from medins_desk.cardreader.layout import RegionRecord  # the reader loads late (start-up)

        return RegionRecord(
            bytes.fromhex(self.card_region_file), self.card_region_record, self.card_region_tag
        )

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
    "MEDINS_CARD_SECURITY_MODULE": "card_security_module",
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
    """The user's settings.toml, which the settings form writes (``MEDINS_CONFIG`` names another
    file)."""
    override = os.environ.get("MEDINS_CONFIG")
    return Path(override) if override else config_dir() / "settings.toml"


def system_settings_file() -> Path:
    """The hall's settings for every user of this machine, set by IT and read before the
    user's (``MEDINS_SYSTEM_CONFIG`` names another file: the tests, a trial of a new one)."""
    override = os.environ.get("MEDINS_SYSTEM_CONFIG")
    if override:
        return Path(override)
    if sys.platform == "win32":
        # %PROGRAMDATA%\medins-desk, where the installer writes it.
        return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / "settings.toml"
    # platformdirs says /etc/xdg/medins-desk (the first of XDG_CONFIG_DIRS), a desktop's
    # default; a program's machine-wide settings on Debian live in /etc/<program>.
    return Path("/etc", APP_NAME, "settings.toml")


class Source(enum.Enum):
    """The layer a setting's value comes from, the later overriding the earlier."""

    SYSTEM = "system"  # the hall's file, system_settings_file()
    USER = "user"  # the user's settings.toml, settings_file()
    ENVIRONMENT = "environment"  # a MEDINS_* variable
    COMMAND_LINE = "command_line"  # --db


@dataclass(frozen=True)
class Origin:
    """Where a setting's value comes from: the settings form and ``medins-desk status`` say so."""

    source: Source
    where: str  # the file's path or the environment variable ("" for the command line)
    # The system file locks the key: the user's file cannot change it, the form shows it only.
    locked: bool = False


# The tables of settings.toml, with their names in messages and the values they hold.
_TABLES: dict[str, tuple[str, type[Any]]] = {
    "policy": ("政策参数", Policy),
    "agency": ("经办机构", Agency),
}
_UNKNOWN = {"policy": "政策参数", "agency": "经办机构设置项"}
_SYSTEM_LABEL = "系统设置文件"
_USER_LABEL = "设置文件"
log = logging.getLogger(__name__)


def _annotations() -> dict[str, Any]:
    """Every settings key, the tables' values as "policy.x" and "agency.x", with its type."""
    known = {f.name: f.type for f in dataclasses.fields(Settings) if f.name not in _TABLES}
    del known["origins"]
    for table, (_label, values) in _TABLES.items():
        known.update({f"{table}.{f.name}": f.type for f in dataclasses.fields(values)})
    return known


def load_settings(
    path: Path | None = None,
    *,
    system_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings from the system file, the user's file ``path``, then ``MEDINS_*`` variables,
    then ``overrides``; each value's origin in :attr:`Settings.origins`."""
    path = path or settings_file()
    system_path = system_path or system_settings_file()
    system, locked = _system_file(system_path)
    user = _user_file(path, system_path)
    ignored = sorted(key for key in user if _is_locked(key, locked))
    if ignored:
        log.warning(
            "%s sets %s, which %s locks: the hall's values apply", path, ignored, system_path
        )
    env = os.environ if environ is None else environ
    origins = {key: Origin(Source.SYSTEM, str(system_path)) for key in system}
    origins.update(
        {key: Origin(Source.SYSTEM, str(system_path), locked=True)
         for key in _annotations() if _is_locked(key, locked)}
    )  # fmt: skip
    origins.update({key: Origin(Source.USER, str(path)) for key in user if key not in ignored})
    origins.update(
        {key: Origin(Source.ENVIRONMENT, var) for key, var in environment_overrides(env).items()}
    )
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    origins.update({key: Origin(Source.COMMAND_LINE, "") for key in given})
    settings = _settings(system, user, locked, env, given)
    return dataclasses.replace(settings, origins=origins)


def _read(path: Path, label: str) -> dict[str, Any]:
    """The TOML document of ``path``, {} where there is none; a file that is not UTF-8 TOML is
    refused with its name."""
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "settings",
            f"{label} {path} 不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节），"
            "请用记事本等以 UTF-8 编码另存",
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError("settings", f"{label} {path} 格式错误：{exc}") from exc
    except OSError as exc:  # a folder, or one the user may not read
        raise ValidationError("settings", f"无法读取{label} {path}：{exc.strerror or exc}") from exc


def _file(path: Path, label: str, raw: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The values of a settings file by key, each of its setting's type; a wrong one is
    refused with the file's name."""
    raw = _read(path, label) if raw is None else raw
    try:
        return _typed(_flat(raw))
    except ValidationError as error:
        raise ValidationError(error.field, f"{label} {path}：{error.message}") from error


def _user_file(path: Path, system_path: Path) -> dict[str, Any]:
    raw = _read(path, _USER_LABEL)
    if "locked" in raw:
        raise ValidationError(
            "locked",
            f"{_USER_LABEL} {path}：locked（锁定的设置项）只能写在{_SYSTEM_LABEL} {system_path} 中",
        )
    return _file(path, _USER_LABEL, raw)


def _system_file(path: Path) -> tuple[dict[str, Any], frozenset[str]]:
    """The hall's values and the keys it locks (a table's name locks each of its values)."""
    raw = _read(path, _SYSTEM_LABEL)
    locked = raw.pop("locked", [])
    if not isinstance(locked, list) or not all(isinstance(key, str) for key in locked):
        raise ValidationError(
            "locked",
            f'{_SYSTEM_LABEL} {path}：locked 应为设置项名称的列表，如 ["database_url", "policy"]',
        )
    known = _annotations()
    for key in locked:
        if key not in known and key not in _TABLES:
            raise ValidationError(
                "locked", f"{_SYSTEM_LABEL} {path}：locked 中有未知的设置项「{key}」"
            )
    return _file(path, _SYSTEM_LABEL, raw), frozenset(locked)


def _is_locked(key: str, locked: frozenset[str]) -> bool:
    return key in locked or key.partition(".")[0] in locked


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
    system_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """保存设置: write ``changes`` into the user's settings.toml (``policy`` and ``agency`` as
    mappings of their own values), keeping the administrator's comments, order and every other
    value.

    The result is checked by loading it before anything is written; the file is replaced
    atomically. Settings the environment decides are refused (the file would not be what the
    counter runs with), so are those the system file locks, and so is the hall secret: it is set
    by hand, never through a form. A value equal to the system file's is not written, and taken
    out of the user's file where it was there: the counter follows the hall's value again."""
    # tomlkit (about 25 ms to import) is only for writing: every start reads with tomllib.
    import tomlkit
    import tomlkit.exceptions

    path = path or settings_file()
    system_path = system_path or system_settings_file()
    env = os.environ if environ is None else environ
    decided = environment_overrides(env)
    system, locked = _system_file(system_path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.TOMLKitError as exc:
        raise ValidationError("settings", f"{_USER_LABEL} {path} 格式错误：{exc}") from exc

    def writable(key: str, field_name: str) -> None:
        if key in decided:
            raise ValidationError(field_name, f"此项由环境变量 {decided[key]} 指定，请修改环境变量")
        if _is_locked(key, locked):
            raise ValidationError(
                field_name, f"此项由{_SYSTEM_LABEL} {system_path} 统一设置，本窗口不能修改"
            )

    def put(container: Any, key: str, name: str, value: Any) -> None:
        hall = system.get(key, _NOT_SET)
        if type(hall) is type(value) and hall == value:
            container.pop(name, None)
        else:
            container[name] = value

    for key, value in changes.items():
        if key in _TABLES:
            table = document.get(key)
            if table is None:
                table = tomlkit.table()
                document[key] = table
            for name, item in value.items():
                writable(f"{key}.{name}", name)
                put(table, f"{key}.{name}", name, item)
            if not table:
                document.pop(key)
            continue
        if key == "hall_secret":
            raise ValidationError(key, "大厅凭证密钥只能由管理员在设置文件中手工设置")
        writable(key, key)
        put(document, key, key, value)
    new_text = tomlkit.dumps(document)
    # Raises at the first bad value, by its field (the form shows it there).
    _settings(system, _typed(_flat(tomllib.loads(new_text))), locked, env, None)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(new_text)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise StorageError(f"无法写入设置文件 {path}：{error.strerror or error}") from error
    return load_settings(path, system_path=system_path, environ=env)


_NOT_SET = object()


def _settings(
    system: Mapping[str, Any],
    user: Mapping[str, Any],
    locked: frozenset[str],
    env: Mapping[str, str],
    overrides: Mapping[str, Any] | None,
) -> Settings:
    """The layers merged: the system file, the user's file but for what the system file locks,
    the environment, then ``overrides`` (an override of None means "not given")."""
    values = dict(system)
    values.update({k: v for k, v in user.items() if not _is_locked(k, locked)})
    values.update(_typed({key: env[var] for key, var in environment_overrides(env).items()}))
    values.update(_typed({k: v for k, v in (overrides or {}).items() if v is not None}))
    top = {k: v for k, v in values.items() if "." not in k}
    tables = {
        table: values_type(
            **{k.partition(".")[2]: v for k, v in values.items() if k.startswith(f"{table}.")}
        )
        for table, (_label, values_type) in _TABLES.items()
    }
    return Settings(**top, **tables)


def _flat(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A settings document's values by key, the tables' as "policy.x" and "agency.x"."""
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _TABLES:
            flat[key] = value
            continue
        if not isinstance(value, dict):
            label = _TABLES[key][0]
            raise ValidationError(key, f"[{key}]（{label}）应为一节设置，当前为「{value!r}」")
        flat.update({f"{key}.{name}": item for name, item in value.items()})
    return flat


def _typed(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` each of its setting's type (environment text converted); an unknown key or a
    value of another type is refused at its field."""
    known = _annotations()
    typed = {}
    for key, value in values.items():
        table, _dot, name = key.partition(".")
        if key not in known:
            if table in _TABLES:
                raise ValidationError(name, f"未知的{_UNKNOWN[table]}「{name}」")
            raise ValidationError(key, f"未知的设置项「{key}」")
        typed[key] = _coerce(name or key, value, known[key])
    return typed


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
