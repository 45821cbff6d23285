"""``medins-desk voucher …`` and ``medins-desk ledger-pdf``: printing's commands, found by the
core's CLI through the ``medins_desk.commands`` entry point group.

Each command imports the documents (ReportLab, the services, SQLAlchemy) when it runs:
``medins-desk --help`` imports this module to list the commands and must stay quick."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from medins_desk.cli import CliState, pass_state

EXIT_NOT_PRINTED = 6  # the voucher is archived; print it later (3 is "store unreachable")


@click.group()
def voucher() -> None:
    """凭证：导出、打印、补打与核验。"""


_SERIAL = click.argument("serial")
_80MM = click.option("--receipt-80mm", is_flag=True, help="申领回执用 80 mm 小票格式")
_REPRINT = click.option("--reprint", is_flag=True, help="补打：存档凭证加印「补打」及补打时间")


@voucher.command("export")
@_SERIAL
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@_80MM
@_REPRINT
@pass_state
def voucher_export(
    state: CliState, serial: str, out: Path, receipt_80mm: bool, reprint: bool
) -> None:
    """把业务的凭证写成 PDF 文件（未存档的先生成并存档）。"""
    from printing.documents import Letterhead
    from printing.vouchers import voucher_pdf

    actor = state.console_actor()
    archived, pdf = voucher_pdf(
        state.store.sessions, actor, serial, Letterhead.from_settings(state.settings),
        receipt_80mm=receipt_80mm, reprint=reprint,
    )  # fmt: skip
    out.write_bytes(pdf)
    mark = "（补打）" if reprint else ""
    label = archived.document_kind.label
    click.echo(f"已导出{label}{mark} {serial} 到 {out}（存档 SHA-256 {archived.sha256}）")


@voucher.command("print")
@_SERIAL
@click.option("--printer", default=None, help="打印机名称（默认：设置中的打印机或系统默认）")
@_80MM
@_REPRINT
@pass_state
def voucher_print(
    state: CliState, serial: str, printer: str | None, receipt_80mm: bool, reprint: bool
) -> None:
    """打印业务的凭证（原件已打印过的即为补打）；打印机故障时凭证仍已存档，退出码 6，可稍后补打。"""
    from printing.vouchers import print_voucher

    outcome = print_voucher(
        state.store.sessions, state.console_actor(), state.settings, serial,
        receipt_80mm=receipt_80mm, reprint=reprint, printer=printer,
    )  # fmt: skip
    if not outcome.printed:
        click.echo(f"错误：{outcome.describe()}", err=True)
        sys.exit(EXIT_NOT_PRINTED)
    click.echo(outcome.describe())


@voucher.command("verify")
@click.argument("payload")
@pass_state
def voucher_verify(state: CliState, payload: str) -> None:
    """核验凭证二维码内容（防伪码与业务流水）；伪造或篡改的凭证退出码 2。"""
    from medins_desk.services.vouchers import check_voucher

    actor = state.console_actor()
    with state.store.sessions() as session:
        verdict = check_voucher(session, actor, payload=payload, secret=state.settings.hall_secret)
    click.echo(verdict.describe())
    if state.settings.demo_secret:
        click.echo("提示：本窗口使用演示密钥，核验结果仅供培训演示", err=True)


@click.command("ledger-pdf")
@click.option(
    "--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="业务日期，默认今天"
)
@click.option("--full-ids", is_flag=True, help="打印完整社会保障号码（记入审计日志）")
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@pass_state
def ledger_pdf_command(state: CliState, day: datetime | None, full_ids: bool, out: Path) -> None:
    """把某日的日结台账写成 PDF（记入审计日志）。"""
    from medins_desk.services.ledger import export_ledger
    from printing.documents import Letterhead
    from printing.ledger_pdf import ledger_pdf

    business_day: date = day.date() if day else date.today()
    letterhead = Letterhead.from_settings(state.settings)
    actor = state.console_actor()
    with state.store.sessions() as session:
        result = export_ledger(
            session, actor, day=business_day, fmt="pdf", full_ids=full_ids, out=out,
            render_pdf=lambda ledger: ledger_pdf(ledger, letterhead),
        )  # fmt: skip
    click.echo(result.describe())
