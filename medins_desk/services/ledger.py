"""台账 the daily ledger: the hall's transactions of one day with totals, and its export.

The ledger export streams plain column tuples (no ORM object per row) and writes into a
temporary file beside the target that is renamed into place, so a failed export leaves no half
file. In the CSV, the serial and a full identity number start with a tab: Excel would otherwise
read these long digit strings as numbers and replace their last digits with zeros.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from medins_desk.domain.business import BusinessKind, TransactionStatus
from medins_desk.domain.identity import mask_identity_number
from medins_desk.domain.money import format_yuan
from medins_desk.domain.roles import Permission
from medins_desk.errors import StorageError, UserCancelled, ValidationError
from medins_desk.services.audit import append_audit
from medins_desk.services.context import Actor, service
from medins_desk.services.day_close import day_rows
from medins_desk.services.transactions import DayClosed, day_closed
from medins_desk.store.models import Person, Transaction, User

EXPORT_FORMATS = ("csv", "xlsx", "pdf")
PROGRESS_EVERY = 1000  # lines between two progress reports of an export
_STREAM_BATCH = 5000


@dataclass(frozen=True)
class LedgerRow:
    serial: str
    created_at: datetime
    kind: BusinessKind
    person_name: str | None
    id_number: str | None  # masked unless the ledger was asked for full numbers
    counter_no: str
    clerk_username: str
    clerk_name: str
    fee_fen: int
    status: TransactionStatus
    void_reason: str | None
    summary: str

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class LedgerTotal:
    """Count and fee of the normal transactions in one group (voided ones excluded)."""

    key: str
    label: str
    count: int
    fee_fen: int


@dataclass(frozen=True)
class Ledger:
    hall_code: str
    business_day: date
    full_ids: bool
    rows: tuple[LedgerRow, ...]
    by_kind: tuple[LedgerTotal, ...]
    by_clerk: tuple[LedgerTotal, ...]
    by_counter: tuple[LedgerTotal, ...]
    total: LedgerTotal
    void_count: int
    closed: bool
    closed_by_name: str | None
    closed_at: datetime | None


# One ledger line as plain values, in LedgerRow's field order.
_Line = tuple[
    str, datetime, BusinessKind, str | None, str | None, str, str, str, int,
    TransactionStatus, str | None, str,
]  # fmt: skip


class _Totals:
    """Sums per business kind, clerk and counter, built while the lines stream past."""

    def __init__(self) -> None:
        self.kinds: dict[BusinessKind, list[int]] = {}
        self.clerks: dict[str, list[Any]] = {}
        self.counters: dict[str, list[int]] = {}
        self.count = 0
        self.fee = 0
        self.voided = 0
        self.lines = 0

    def add(self, line: _Line) -> None:
        self.lines += 1
        _, _, kind, _, _, counter, username, clerk_name, fee, status, _, _ = line
        if status is TransactionStatus.VOID:
            self.voided += 1
            return
        self.count += 1
        self.fee += fee
        for group in (
            self.kinds.setdefault(kind, [0, 0]),
            self.clerks.setdefault(username, [0, 0, clerk_name]),
            self.counters.setdefault(counter, [0, 0]),
        ):
            group[0] += 1
            group[1] += fee

    def by_kind(self) -> tuple[LedgerTotal, ...]:
        return tuple(
            LedgerTotal(kind.value, kind.label, *self.kinds[kind])
            for kind in BusinessKind
            if kind in self.kinds
        )

    def by_clerk(self) -> tuple[LedgerTotal, ...]:
        ordered = sorted(self.clerks.items(), key=lambda item: (item[1][2], item[0]))
        return tuple(LedgerTotal(user, name, count, fee) for user, (count, fee, name) in ordered)

    def by_counter(self) -> tuple[LedgerTotal, ...]:
        return tuple(
            LedgerTotal(no, f"{no} 号窗口", count, fee)
            for no, (count, fee) in sorted(self.counters.items())
        )

    def total(self) -> LedgerTotal:
        return LedgerTotal("total", "合计", self.count, self.fee)

    def sections(self) -> list[tuple[str, tuple[LedgerTotal, ...]]]:
        return [
            ("业务类型", self.by_kind()),
            ("经办人", self.by_clerk()),
            ("窗口", self.by_counter()),
        ]


def _ledger_lines(session: Session, hall: str, day: date, full_ids: bool) -> Iterator[_Line]:
    """The day's lines in serial order, streamed in batches as plain column values (an export
    of 100,000 lines must not build an ORM object per line)."""
    query = (
        select(
            Transaction.serial,
            Transaction.created_at,
            Transaction.kind,
            Person.name,
            Person.id_number,
            Transaction.counter_no,
            User.username,
            User.display_name,
            Transaction.fee_fen,
            Transaction.status,
            Transaction.void_reason,
            Transaction.summary,
        )
        .join(User, User.id == Transaction.clerk_id)
        .outerjoin(Person, Person.id == Transaction.person_id)
        .where(*day_rows(hall, day))
        .order_by(Transaction.serial)
        .execution_options(yield_per=_STREAM_BATCH)
    )
    mask = mask_identity_number
    for serial, at, kind, name, number, *rest in session.connection().execute(query):
        shown = number if full_ids or number is None else mask(number)
        yield (serial, at, kind, name, shown, *rest)


def _audit_ledger(session: Session, actor: Actor, action: str, day: date, **details: Any) -> None:
    append_audit(
        session,
        at=actor.now(),
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        entity="ledger",
        entity_id=f"{actor.counter.hall_code}-{day:%Y%m%d}",
        details={"day": day, **details},
    )


@service(Permission.EXPORT_LEDGER)
def daily_ledger(session: Session, actor: Actor, *, day: date, full_ids: bool = False) -> Ledger:
    """当日台账 of the hall: every transaction in serial order with totals."""
    hall = actor.counter.hall_code
    lines = _ledger_lines(session, hall, day, full_ids)
    ledger = _ledger(hall, day, full_ids, lines, _Totals(), day_closed(session, hall, day))
    if full_ids:
        _audit_ledger(session, actor, "ledger_full_ids", day, rows=len(ledger.rows))
    return ledger


def _ledger(
    hall: str,
    day: date,
    full_ids: bool,
    lines: Iterable[_Line],
    totals: _Totals,
    closed: DayClosed | None,
) -> Ledger:
    rows = []
    for line in lines:
        totals.add(line)
        rows.append(LedgerRow(*line))
    return Ledger(
        hall_code=hall,
        business_day=day,
        full_ids=full_ids,
        rows=tuple(rows),
        by_kind=totals.by_kind(),
        by_clerk=totals.by_clerk(),
        by_counter=totals.by_counter(),
        total=totals.total(),
        void_count=totals.voided,
        closed=closed is not None,
        closed_by_name=closed.closed_by_name if closed else None,
        closed_at=closed.closed_at if closed else None,
    )


# ---------------------------------------------------------------------------------------------
# Export: CSV and XLSX


@dataclass(frozen=True)
class LedgerExport:
    business_day: date
    fmt: str
    path: Path
    row_count: int
    full_ids: bool

    def describe(self) -> str:
        return f"已导出 {self.business_day:%Y-%m-%d} 台账 {self.row_count} 笔到 {self.path}"


LEDGER_HEADER = (
    "业务流水号",
    "办理时间",
    "业务类型",
    "姓名",
    "社会保障号码",
    "窗口",
    "经办人",
    "金额（元）",
    "状态",
    "作废原因",
    "摘要",
)
_TOTALS_HEADER = ("笔数", "金额（元）")
# Labels looked up per line without calling a property each time.
_KIND_LABELS = {kind: kind.label for kind in BusinessKind}
_STATUS_LABELS = {status: status.label for status in TransactionStatus}


def _closed_text(closed: DayClosed | None) -> str:
    if closed is None:
        return "未日结"
    return f"已日结（{closed.closed_by_name}，{closed.closed_at:%Y-%m-%d %H:%M}）"


_FORMULA_START = ("=", "+", "-", "@")


def _csv_text(value: str | None) -> str:
    """Free text as a CSV cell Excel will not run as a formula."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _write_csv(
    stream: TextIO, lines: Iterator[_Line], totals: _Totals, closed_text: str, full_ids: bool
) -> None:
    writer = csv.writer(stream)
    writer.writerow(LEDGER_HEADER)
    write, add, kinds, statuses = writer.writerow, totals.add, _KIND_LABELS, _STATUS_LABELS
    for line in lines:
        add(line)
        serial, at, kind, name, number, counter, _, clerk, fee, status, why, summary = line
        write(
            (
                "\t" + serial,
                at.time().isoformat(),
                kinds[kind],
                _csv_text(name),
                "\t" + number if full_ids and number else number,
                counter,
                clerk,
                format_yuan(fee),
                statuses[status],
                _csv_text(why),
                _csv_text(summary),
            )
        )
    for title, section in totals.sections():
        writer.writerow(())
        writer.writerow((f"按{title}汇总", *_TOTALS_HEADER))
        writer.writerows((t.label, t.count, format_yuan(t.fee_fen)) for t in section)
    writer.writerow(())
    total = totals.total()
    writer.writerow(("合计", total.count, format_yuan(total.fee_fen)))
    writer.writerow(("作废", totals.voided, ""))
    writer.writerow(("日结状态", closed_text, ""))


_COLUMN_WIDTHS = (26, 10, 14, 12, 22, 6, 10, 11, 8, 24, 40)
_SECONDS_PER_DAY = 86_400


def _write_xlsx(path: Path, lines: Iterator[_Line], totals: _Totals, closed_text: str) -> None:
    # Strings cost XlsxWriter twice what numbers do, so time and counter are numbers with a
    # display format, and empty cells are not written: 100,000 lines must take seconds.
    import xlsxwriter  # here: the counter's main window need not load it to open

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "0.00"})
        clock = workbook.add_format({"num_format": "hh:mm:ss"})
        counter_no = workbook.add_format({"num_format": "000"})
        sheet = workbook.add_worksheet("流水")
        for column, width in enumerate(_COLUMN_WIDTHS):
            sheet.set_column(column, column, width)
        for column, title in enumerate(LEDGER_HEADER):
            sheet.write_string(0, column, title, bold)
        sheet.freeze_panes(1, 0)
        text, number, add = sheet.write_string, sheet.write_number, totals.add
        kinds, statuses = _KIND_LABELS, _STATUS_LABELS
        for row, line in enumerate(lines, start=1):
            add(line)
            serial, at, kind, name, id_number, counter, _, clerk, fee, status, why, summary = line
            text(row, 0, serial)
            seconds = at.hour * 3600 + at.minute * 60 + at.second
            number(row, 1, seconds / _SECONDS_PER_DAY, clock)
            text(row, 2, kinds[kind])
            if name:
                text(row, 3, name)
            if id_number:
                text(row, 4, id_number)
            number(row, 5, int(counter), counter_no)
            text(row, 6, clerk)
            number(row, 7, fee / 100, money)
            text(row, 8, statuses[status])
            if why:
                text(row, 9, why)
            text(row, 10, summary)
        _write_xlsx_summary(workbook.add_worksheet("汇总"), totals, closed_text, bold, money)
    finally:
        workbook.close()


def _write_xlsx_summary(
    sheet: Any, totals: _Totals, closed_text: str, bold: Any, money: Any
) -> None:
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 2, 12)
    row = 0
    for title, section in totals.sections():
        for column, heading in enumerate((f"按{title}汇总", *_TOTALS_HEADER)):
            sheet.write_string(row, column, heading, bold)
        for total in section:
            row += 1
            sheet.write_string(row, 0, total.label)
            sheet.write_number(row, 1, total.count)
            sheet.write_number(row, 2, total.fee_fen / 100, money)
        row += 2
    grand = totals.total()
    sheet.write_string(row, 0, "合计", bold)
    sheet.write_number(row, 1, grand.count, bold)
    sheet.write_number(row, 2, grand.fee_fen / 100, money)
    sheet.write_string(row + 1, 0, "作废")
    sheet.write_number(row + 1, 1, totals.voided)
    sheet.write_string(row + 2, 0, "日结状态")
    sheet.write_string(row + 2, 1, closed_text)


def _write_beside(out: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in ``out``'s folder renamed into place: a failed export
    never leaves a half-written file under the final name."""
    folder = out.parent
    if not folder.is_dir():
        raise ValidationError("out", f"导出目录 {folder} 不存在")
    handle, name = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".part")
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, out)
    except OSError as error:
        raise StorageError(f"无法写入导出文件 {out}：{error.strerror or error}") from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _reporting(lines: Iterator[_Line], progress: Callable[[int], bool]) -> Iterator[_Line]:
    """``lines``, calling ``progress(lines so far)`` every PROGRESS_EVERY lines; a False answer
    stops the export."""
    for count, line in enumerate(lines, start=1):
        if count % PROGRESS_EVERY == 0 and not progress(count):
            raise UserCancelled()
        yield line


@service(Permission.EXPORT_LEDGER)
def export_ledger(
    session: Session,
    actor: Actor,
    *,
    day: date,
    fmt: str,
    full_ids: bool,
    out: Path,
    render_pdf: Callable[[Ledger], bytes] | None = None,
    progress: Callable[[int], bool] | None = None,
) -> LedgerExport:
    """导出台账 as CSV (UTF-8 with BOM, so Excel opens it), XLSX, or PDF drawn by ``render_pdf``
    (the printing package's; the core draws no PDF); always audited.

    ``progress`` hears how many lines are written and may cancel by answering False: the
    export then raises :class:`UserCancelled` and leaves no file behind."""
    fmt = fmt.strip().lower()
    if fmt not in EXPORT_FORMATS:
        raise ValidationError("fmt", f"台账导出格式只能是 CSV、XLSX 或 PDF，不支持「{fmt}」")
    if fmt == "pdf" and render_pdf is None:
        raise ValidationError("fmt", "本程序未安装打印模块，不能导出 PDF 台账")
    out = Path(out)
    if out.is_dir():
        raise ValidationError("out", f"{out} 是一个文件夹，请给出导出文件名")
    hall = actor.counter.hall_code
    closed = day_closed(session, hall, day)
    closed_text = _closed_text(closed)
    totals = _Totals()
    lines = _ledger_lines(session, hall, day, full_ids)
    if progress is not None:
        lines = _reporting(lines, progress)

    def write(path: Path) -> None:
        if fmt == "csv":
            with path.open("w", encoding="utf-8-sig", newline="") as stream:
                _write_csv(stream, lines, totals, closed_text, full_ids)
        elif fmt == "xlsx":
            _write_xlsx(path, lines, totals, closed_text)
        else:
            assert render_pdf is not None
            path.write_bytes(render_pdf(_ledger(hall, day, full_ids, lines, totals, closed)))
        _audit_ledger(
            session, actor, "ledger_export", day, format=fmt, full_ids=full_ids, rows=totals.lines
        )
        session.flush()  # a failing audit write stops the export before the file appears

    _write_beside(out, write)
    return LedgerExport(day, fmt, out, totals.lines, full_ids)
