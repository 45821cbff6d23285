"""``medins-desk``: the command line, an adapter over the services like the GUI.

The core's own commands live here. Commands that the ``printing`` and ``ui`` packages contribute
(voucher export, the PDF ledger, ``gui``) are found through the ``medins_desk.commands`` entry
point group, so the core never imports the layers above it. With no command, ``gui`` runs.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from datetime import date, datetime
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from medins_desk.domain.roles import Role
from medins_desk.errors import SHOWN_TO_USER, MedinsError, UserFacingError, ValidationError
from medins_desk.settings import (
    Settings,
    Source,
    load_settings,
    log_dir,
    settings_file,
    system_settings_file,
)

if TYPE_CHECKING:  # SQLAlchemy and alembic load with the first command that needs the store
    from medins_desk.services.context import Actor, Counter
    from medins_desk.store import Store

log = logging.getLogger(__name__)

# Exit statuses of every command (the README has the table). A UserFacingError carries its own
# (``exit_code``: 1 refused by a business rule, 2 bad usage or input, 3 store unreachable or
# busy, 4 store damaged or of another version, 5 store not writable, 11-20 the card reader).
EXIT_USAGE = 2
EXIT_BUG = 70  # sysexits' EX_SOFTWARE: an error the program did not expect, logged in full


@dataclass
class CliState:
    """What every command needs: settings, and the store opened on first use."""

    settings: Settings
    _store: Store | None = None
    # --config, where given: the user's settings file in place of settings_file().
    config_path: Path | None = None

    @property
    def store(self) -> Store:
        """The store, opened on first use; an older schema is upgraded if the settings allow."""
        if self._store is None:
            self.open_store(migrate=self.settings.upgrade_on_start)
        assert self._store is not None
        return self._store

    def open_store(self, *, migrate: bool) -> Store:
        from medins_desk.store import open_store

        if self._store is None:
            self._store = open_store(self.settings.database_url, migrate=migrate)
        return self._store

    @property
    def counter(self) -> Counter:
        from medins_desk.services.context import Counter

        return Counter.from_settings(self.settings)

    def console_actor(self) -> Actor:
        from medins_desk.services.users import console_actor

        with self.store.sessions() as session:
            return console_actor(session, self.counter)


pass_state = click.make_pass_decorator(CliState)


class MedinsGroup(click.Group):
    """Root group: runs ``gui`` when no command is given and turns user-facing errors into a
    Chinese message on stderr with a non-zero exit.

    Commands of ``printing`` and ``ui`` are known by their entry point names alone; a command's
    module is imported when it runs or when ``--help`` lists it, so that starting one command
    never pays for the others' imports (ReportLab, SQLAlchemy).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plugins: dict[str, EntryPoint] | None = None

    def plugin_entries(self) -> dict[str, EntryPoint]:
        """The ``medins_desk.commands`` entry points by name, none of them loaded."""
        if self._plugins is None:
            found = entry_points(group="medins_desk.commands")
            self._plugins = {
                entry.name: entry for entry in found if entry.name not in self.commands
            }
        return self._plugins

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.plugin_entries()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        entry = self.plugin_entries().get(cmd_name)
        if command is None and entry is not None:
            try:
                command = entry.load()
            except ImportError as error:  # e.g. PySide6 not installed on a headless server
                log.info("command %s unavailable: %s", cmd_name, error)
                return None
            self.add_command(command, cmd_name)
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not self._names_a_command(args) and not {"--help", "-h", "--version"} & set(args):
            args = [*args, "gui" if self.get_command(ctx, "gui") else "status"]
        return super().parse_args(ctx, args)

    def _names_a_command(self, args: list[str]) -> bool:
        # The value of ``--db URL`` or ``--config FILE`` is not a command.
        valued = {
            name
            for param in self.params
            if isinstance(param, click.Option) and not param.is_flag
            for name in param.opts
        }
        words = iter(args)
        for word in words:
            if word in valued:
                next(words, None)
            elif not word.startswith("-"):
                return True
        return False

    def invoke(self, ctx: click.Context) -> Any:
        """Every failure ends in a Chinese message on stderr and its exit status; the traceback
        goes to the log file, and to the console only with ``-v``."""
        try:
            return super().invoke(ctx)
        except click.exceptions.Exit:
            raise
        except (click.ClickException, click.Abort):
            raise
        except Exception as error:
            error = _translated(ctx, error)
            if isinstance(error, UserFacingError):
                _log_failure(error)
                _say_error(f"错误：{error.message}")
                ctx.exit(error.exit_code)
            if isinstance(error, MedinsError):
                _log_failure(error)
                _say_error(f"错误：{error}")
                ctx.exit(EXIT_USAGE)
            logfile = _log_failure(error, bug=True)
            _say_error(
                f"错误：发生了意外错误（{type(error).__name__}），已记录在日志 {logfile}；"
                "加 -v 可在此显示详细信息。请把日志发给维护人员。"
            )
            ctx.exit(EXIT_BUG)


def _say_error(text: str) -> None:
    """On stderr; the Windows GUI executable (the Start menu's, no console) has none, so there
    the clerk gets a message box instead of a program that silently does not start."""
    if sys.stderr is not None:
        click.echo(text, err=True)
    elif sys.platform == "win32":
        import ctypes

        ctypes.windll.user32.MessageBoxW(None, text, "medins-desk", 0x10)  # MB_ICONERROR


def _translated(ctx: click.Context, error: Exception) -> Exception:
    """A driver error that reached the command line unclassified, as the store fault it is."""
    if "sqlalchemy" not in sys.modules or isinstance(error, MedinsError):
        return error
    from medins_desk.store.engine import translate_error
    from medins_desk.store.faults import StoreLocation

    state = ctx.find_object(CliState)
    where = StoreLocation.of(state.settings.database_url) if state is not None else None
    translated = translate_error(error, where)
    return translated if isinstance(translated, Exception) else error


_LOG_FILE = "medins-desk.log"


def _log_failure(error: BaseException, *, bug: bool = False) -> Path:
    """Write ``error`` with its traceback to the log file (opened on the first failure: a command
    that succeeds writes nothing there); the console shows it only with -v. Returns the file."""
    from logging.handlers import RotatingFileHandler

    path = log_dir() / _LOG_FILE
    root = logging.getLogger()
    if not any(getattr(handler, "medins_cli", False) for handler in root.handlers):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        except OSError:
            handler = None  # nowhere to write the log: the message on stderr is all there is
        if handler is not None:
            handler.medins_cli = True  # type: ignore[attr-defined]
            handler.setLevel(logging.WARNING)
            handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
            )
            root.addHandler(handler)
    detail = getattr(error, "detail", "")
    log.log(
        logging.ERROR if bug else logging.WARNING,
        "command %s failed: %s%s",
        _command_line(),
        error,
        f" ({detail})" if detail else "",
        exc_info=error,
        extra=SHOWN_TO_USER,
    )
    return path


def _command_line() -> str:
    """The command as typed, for the log: the value of ``--db`` is left out (a password)."""
    words, hidden = [], False
    for word in sys.argv[1:]:
        words.append(
            "…" if hidden else word.split("=", 1)[0] + "=…" if word.startswith("--db=") else word
        )
        hidden = word == "--db"
    return " ".join(words)


class _Console(logging.Filter):
    """Without -v the console leaves out what the user was already told in Chinese."""

    def __init__(self, verbose: bool) -> None:
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        return self.verbose or not getattr(record, "shown_to_user", False)


def _set_up_console_log(verbose: bool) -> None:
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.addFilter(_Console(verbose))
    console.setFormatter(logging.Formatter("%(levelname)s:%(name)s:%(message)s"))
    root = logging.getLogger()
    root.addHandler(console)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)


@click.group(cls=MedinsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db", "database_url", help="数据库地址 (SQLAlchemy URL)，覆盖设置文件与 MEDINS_DATABASE_URL"
)
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path), help="设置文件 settings.toml 的路径"
)
@click.option("-v", "--verbose", is_flag=True, help="输出调试日志")
# The version is pyproject's, read from the installed metadata when asked (the frozen bundle
# carries the dist-info for it: installer/medins-desk.spec).
@click.version_option(
    package_name="medins-desk", prog_name="medins-desk", message="%(prog)s %(version)s"
)
@click.pass_context
def main(
    ctx: click.Context, database_url: str | None, config_path: Path | None, verbose: bool
) -> None:
    """medins-desk 社保/医保经办柜面系统。不带命令时启动图形界面。"""
    _set_up_console_log(verbose)
    # Errors here reach MedinsGroup.invoke like a command's: a Chinese message, exit code 2.
    if config_path is not None and not config_path.is_file():
        raise ValidationError("config", f"设置文件 {config_path} 不存在")
    # Only a given --db overrides: an empty override would hide MEDINS_DATABASE_URL.
    overrides = {"database_url": database_url} if database_url else {}
    settings = load_settings(config_path, overrides=overrides)
    ctx.obj = CliState(settings, config_path=config_path)
    ctx.call_on_close(lambda: ctx.obj._store.dispose() if ctx.obj._store else None)


@main.command()
@pass_state
def status(state: CliState) -> None:
    """显示本窗口的设置与数据库状态。"""
    from medins_desk.store.migrate import current_revision, head_revision

    s = state.settings
    store = state.store
    click.echo(f"大厅 {s.hall_code} {s.hall_name}，窗口 {s.counter_no}")
    for line in _setting_sources(s, state.config_path or settings_file()):
        click.echo(line)
    revision, head = current_revision(store.engine), head_revision()
    click.echo(f"数据库：{store.description}（版本 {revision}，最新 {head}）")
    if main.get_command(click.get_current_context(), "gui") is None:
        click.echo("图形界面未安装；可用命令见 medins-desk --help")


def _setting_sources(settings: Settings, user_file: Path) -> list[str]:
    """The two settings files, and which settings each source sets (锁定: the user's file
    cannot change it)."""
    by_source: dict[Source, list[str]] = {source: [] for source in Source}
    for key, origin in sorted(settings.origins.items()):
        if origin.source is Source.ENVIRONMENT:
            by_source[origin.source].append(f"{key}（{origin.where}）")
        else:
            by_source[origin.source].append(key + ("（锁定）" if origin.locked else ""))
    lines = []
    for label, path, source in (
        ("系统设置文件", system_settings_file(), Source.SYSTEM),
        ("用户设置文件", user_file, Source.USER),
    ):
        keys = "、".join(by_source[source]) or "无"
        lines.append(f"{label}：{path}" + (f"，设置了 {keys}" if path.exists() else "（不存在）"))
    for label, source in (("环境变量", Source.ENVIRONMENT), ("命令行参数", Source.COMMAND_LINE)):
        if by_source[source]:
            lines.append(f"{label}设置了 {'、'.join(by_source[source])}")
    return lines


@main.group()
def db() -> None:
    """数据库维护。"""


@db.command("upgrade")
@pass_state
def db_upgrade(state: CliState) -> None:
    """把数据库结构升级到最新版本（设置 upgrade_on_start 为真时应用启动也会自动执行）。"""
    from medins_desk.store.migrate import current_revision

    store = state.open_store(migrate=True)
    click.echo(f"数据库已是最新版本：{current_revision(store.engine)}（{store.description}）")
    if not store.location.sqlite:
        click.echo(
            "各窗口使用的应用账号须有新表结构的权限：以属主账号执行 "
            "medins-desk db grants --role 应用账号 的输出（如 | psql），"
            "见 README「A hall on PostgreSQL」。"
        )


@db.command("grants")
@click.option("--role", required=True, help="各窗口连接 PostgreSQL 所用的应用账号")
@pass_state
def db_grants(state: CliState, role: str) -> None:
    """输出应用账号所需的授权语句（PostgreSQL，由属主账号执行）：业务表可读写，审计日志只可追加。
    语句按本程序的表结构生成，每次 db upgrade 后重新执行。"""
    from medins_desk.store.faults import StoreLocation
    from medins_desk.store.grants import grants_script

    location = StoreLocation.of(state.settings.database_url)
    if location.sqlite:
        raise ValidationError(
            "database_url", f"{location} 是单窗口的 SQLite 数据库，没有数据库账号，无需授权"
        )
    click.echo(grants_script(role, database=location.database), nl=False)


@db.command("check")
@pass_state
def db_check(state: CliState) -> None:
    """检查数据库：SQLite 文件是否完整（PRAGMA quick_check，会读遍整个文件）、数据库版本是否最新、
    审计日志哈希链是否完整。损坏或版本不符时退出码 4，审计链断裂时退出码 1。"""
    from medins_desk.services.audit import verify_audit_chain
    from medins_desk.store import check_integrity
    from medins_desk.store.migrate import current_revision

    click.echo(check_integrity(state.settings.database_url))
    store = state.open_store(migrate=False)
    click.echo(f"数据库版本 {current_revision(store.engine)}，为本程序的最新版本")
    with store.sessions() as session:
        verdict = verify_audit_chain(session)
    if not verdict.ok:
        click.echo(verdict.describe(), err=True)
        sys.exit(1)
    click.echo(verdict.describe())


@db.command("backup")
@click.option(
    "--out", "out", type=click.Path(path_type=Path, dir_okay=False), required=True,
    help="备份文件（SQLite 为数据库文件，PostgreSQL 为 pg_dump -Fc 文件）",
)  # fmt: skip
@pass_state
def db_backup(state: CliState, out: Path) -> None:
    """备份整个数据库到一个文件；各窗口可照常办理业务。"""
    from medins_desk.store.backup import back_up

    click.echo(back_up(state.settings.database_url, out).describe_written())


@db.command("restore")
@click.argument("backup", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="数据库中有比备份更新的数据时也恢复（这些数据将丢失）")
@pass_state
def db_restore(state: CliState, backup: Path, force: bool) -> None:
    """从备份文件恢复数据库（先关闭使用此数据库的所有窗口）。数据库中有比备份新的数据时拒绝，
    除非加 --force。"""
    from medins_desk.store.backup import restore
    from medins_desk.store.migrate import head_revision

    restored = restore(state.settings.database_url, backup, force=force)
    click.echo(restored.describe_restored())
    if restored.mark.revision not in (None, head_revision()):
        click.echo("备份的数据库版本较旧：下次打开时按 upgrade_on_start 升级，或运行 db upgrade。")


@main.group()
def users() -> None:
    """用户与角色。"""


@users.command("add")
@click.option("--username", required=True, help="登录名")
@click.option("--name", "display_name", required=True, help="姓名")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（否则交互输入）")
@pass_state
def users_add(
    state: CliState, username: str, display_name: str, role: str, password_stdin: bool
) -> None:
    """新增用户（以控制台身份，记入审计日志）。"""
    from medins_desk.services.users import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    actor = state.console_actor()
    with state.store.sessions() as session:
        info = create_user(
            session,
            actor,
            username=username,
            display_name=display_name,
            role=Role(role),
            password=password,
        )
    click.echo(f"已新增用户 {info.username}（{info.display_name}，{info.role.label}）")


@main.group()
def audit() -> None:
    """审计日志。"""


@audit.command("verify")
@pass_state
def audit_verify(state: CliState) -> None:
    """校验审计日志哈希链；被改动、插入或删除的记录会被指出，退出码非零。"""
    from medins_desk.services.audit import verify_audit_chain

    with state.store.sessions() as session:
        verdict = verify_audit_chain(session)
    if verdict.ok:
        click.echo(verdict.describe())
        return
    click.echo(verdict.describe(), err=True)
    sys.exit(1)


@main.group()
def demo() -> None:
    """演示与培训数据。"""


@demo.command("seed")
@click.option("--persons", type=click.IntRange(0, 5_000_000), default=2000, show_default=True)
@click.option(
    "--seed", "random_seed", type=int, default=20261122, show_default=True, help="随机种子"
)
@click.option("--if-empty", is_flag=True, help="库中已有参保人时不做任何事")
@pass_state
def demo_seed(state: CliState, persons: int, random_seed: int, if_empty: bool) -> None:
    """生成演示数据：参保人、参保记录、社保卡，以及今天各类业务的流水。"""
    from medins_desk.services.demo import seed_demo

    summary = seed_demo(
        state.store.sessions,
        persons=persons,
        counter=state.counter,
        random_seed=random_seed,
        if_empty=if_empty,
        progress=lambda text: click.echo(text, err=True),
    )
    click.echo(summary.describe())


@main.group()
def ledger() -> None:
    """日结台账。"""


@ledger.command("export")
@click.option(
    "--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="业务日期，默认今天"
)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), required=True)
@click.option("--full-ids", is_flag=True, help="导出完整社会保障号码（记入审计日志）")
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@pass_state
def ledger_export(
    state: CliState, day: datetime | None, fmt: str, full_ids: bool, out: Path
) -> None:
    """导出某日的台账（CSV 为带 BOM 的 UTF-8，Excel 可直接打开）。"""
    from medins_desk.services.ledger import export_ledger

    business_day: date = day.date() if day else date.today()
    actor = state.console_actor()
    with state.store.sessions() as session:
        result = export_ledger(
            session, actor, day=business_day, fmt=fmt, full_ids=full_ids, out=out
        )
    click.echo(result.describe())


@main.group()
def card() -> None:
    """社会保障卡：读卡与虚拟卡（演示、培训、测试）。"""


@card.command("read")
@click.option(
    "--reader",
    "reader_name",
    default=None,
    help="读卡器名称（默认：设置中的读卡器，或第一个有卡的）",
)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（默认）")
@click.option("--bas", "as_bas", is_flag=True, help="输出 iReadCardBas 格式的一行")
@click.option("--pin-stdin", is_flag=True, help="卡片要求密码时从标准输入读取持卡人密码")
@click.option(
    "--wait",
    "wait_s",
    type=click.FloatRange(0, 3600),
    default=0.0,
    show_default=True,
    help="等待插卡的秒数",
)
@pass_state
def card_read(
    state: CliState,
    reader_name: str | None,
    as_json: bool,
    as_bas: bool,
    pin_stdin: bool,
    wait_s: float,
) -> None:
    """读取读卡器中的社会保障卡。出错时在标准错误输出中文说明，退出码按错误类型区分。"""
    import json

    reader_name = reader_name or state.settings.card_reader or None

    from medins_desk.cardreader import CardReaderError

    if as_json and as_bas:
        raise click.UsageError("--json 与 --bas 只能选一个")

    def ask_pin(tries_left: int | None) -> str | None:
        if pin_stdin:
            return sys.stdin.readline().strip() or None
        if sys.stdin.isatty():
            return str(click.prompt("持卡人密码", hide_input=True, err=True)).strip() or None
        return None

    try:
        from medins_desk.cardreader.pcsc import PcscCardReader

        reader = PcscCardReader()
        try:
            name = reader.wait_for_card(reader_name, timeout_s=wait_s)
            data = reader.read(name, pin_prompt=ask_pin)
        finally:
            reader.close()
    except CardReaderError as error:
        click.echo(f"错误：{error.message}", err=True)
        sys.exit(error.exit_code)
    if as_bas:
        click.echo(data.bas_line())
    else:
        click.echo(json.dumps(data.to_json(), ensure_ascii=False, indent=2))
    for notice in data.notices:
        click.echo(f"提示：{notice.message}", err=True)
    if data.ef06_refusal:
        click.echo(f"提示：{data.ef06_refusal}", err=True)


@card.command("emulate")
@click.option(
    "--profile", "profile_name", required=True, help="卡片配置 TOML 文件，或演示卡名（如 ordinary）"
)
@click.option(
    "--remove-after",
    "remove_after",
    type=click.FloatRange(0, None),
    default=None,
    help="插卡若干秒后自动拔卡（默认一直插着，Ctrl+C 拔卡）",
)
@click.option(
    "--reader-index", type=click.IntRange(0, 1), default=0, show_default=True,
    help="插入第几个虚拟读卡器（Virtual PCD 00 0N）",
)  # fmt: skip
def card_emulate(profile_name: str, remove_after: float | None, reader_index: int) -> None:
    """把虚拟社保卡插入 vpcd 虚拟读卡器（需 pcscd 与 vsmartcard-vpcd）。"""
    from medins_desk.cardreader.virtual import (
        VirtualCard,
        VpcdCard,
        find_profile,
        load_profile,
        vpcd_port,
    )

    profile = load_profile(find_profile(profile_name))
    card = VpcdCard(VirtualCard(profile), port=vpcd_port(reader_index))
    card.insert(timeout_s=10.0)
    note = "（卡内姓名为生僻字的替代字）" if profile.rare_character else ""
    click.echo(f"已插卡：{profile.card_number} {profile.chip_name}{note}，{profile.description}")
    try:
        card.wait(remove_after)
    except KeyboardInterrupt:
        pass
    finally:
        card.remove()
    click.echo("已拔卡")


@main.group()
def hall() -> None:
    """大厅（多窗口共用 PostgreSQL）的工具。"""


@hall.command("loadtest")
@click.option(
    "--counters",
    type=click.IntRange(1, 64),
    default=16,
    show_default=True,
    help="同时办理的窗口数（每个窗口一个进程）",
)
@click.option(
    "--minutes",
    type=click.FloatRange(0.05, 600),
    default=2.0,
    show_default=True,
    help="办理时长（分钟，可为小数）",
)
@click.option(
    "--db",
    "url",
    default=None,
    help="空的 PostgreSQL 数据库地址；不给时在临时目录启动一个专用服务器",
)
@click.option(
    "--persons",
    type=click.IntRange(100, 2_000_000),
    default=20_000,
    show_default=True,
    help="参保人数",
)
@click.option(
    "--seed", "random_seed", type=int, default=20261205, show_default=True, help="随机种子"
)
@click.option(
    "--pause",
    "pause_ms",
    type=click.FloatRange(0, 600_000),
    default=500.0,
    show_default=True,
    help="每个窗口办完一笔业务后平均停顿的毫秒数（按指数分布抽取）；默认值下每个窗口的业务量"
    "仍是真实窗口（约每分钟一笔）的数百倍；0：连续办理，测吞吐上限",
)
@click.option(
    "--json",
    "json_out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="把汇总写入此 JSON 文件",
)
@pass_state
def hall_loadtest(
    state: CliState,
    counters: int,
    minutes: float,
    url: str | None,
    persons: int,
    random_seed: int,
    pause_ms: float,
    json_out: Path | None,
) -> None:
    """大厅压力测试：多个窗口同时办理真实业务，统计每类业务的笔数与耗时，并核对流水号不重不断、
    业务不丢不多、审计链完整。设置文件中的数据库不会被使用。核对不通过或未达目标时退出码 1。"""
    import json

    from medins_desk.hall.load import run_load_test

    report = run_load_test(
        counters=counters,
        seconds=minutes * 60,
        url=url,
        persons=persons,
        base=state.counter,
        seed=random_seed,
        pause_ms=pause_ms,
        progress=lambda text: click.echo(text, err=True),
    )
    click.echo(report.describe())
    if json_out is not None:
        json_out.write_text(
            json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    if not (report.sound() and report.targets_met()):
        sys.exit(1)
