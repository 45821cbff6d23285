"""``medins-desk gui``: the command the core's CLI runs when no command is given."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from medins_desk.cli import CliState, pass_state


def _has_display() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@click.command()
@pass_state
def gui(state: CliState) -> None:
    """启动窗口图形界面。"""
    if not _has_display():
        click.echo(
            "错误：没有图形显示（DISPLAY 未设置），无法打开窗口。"
            "请在桌面环境中运行，或使用 xvfb-run medins-desk；命令行功能见 medins-desk --help",
            err=True,
        )
        sys.exit(2)
    # Qt is imported only here: every other command starts without it.
    from ui.app import run

    sys.exit(run(state.settings))


@click.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("tests/artifacts/screens"),
    show_default=True,
    help="截图保存目录",
)
@pass_state
def screenshots(state: CliState, out: Path) -> None:
    """把每个界面截图保存为 PNG（用演示数据，不动本窗口的数据库）。"""
    from ui.screenshots import take_screenshots

    for path in take_screenshots(state.settings, out):
        click.echo(str(path))
