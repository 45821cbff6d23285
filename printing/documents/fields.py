"""How the documents write the values in their fields: amounts, dates, periods, the
representative and the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from medins_desk.domain.money import amount_in_words, format_yuan
from medins_desk.services.cards import RepresentativeView
from medins_desk.services.transactions import TransactionInfo


def yuan(fen: int) -> str:
    """Amounts as forms print them: grouped, with the unit."""
    return format_yuan(fen, grouping=True, unit=True)


def payment(fen: int) -> str:
    """An amount paid or moved between funds: the figures, then the capitals (大写), which
    payment documents carry so that neither can be altered alone."""
    return f"{yuan(fen)}（{amount_in_words(fen)}）"


def day(value: date | None) -> str:
    return f"{value:%Y年%m月%d日}" if value else "—"


def timestamp(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}"


def months(count: int) -> str:
    years, rest = divmod(count, 12)
    return f"{count} 个月（{years} 年 {rest} 个月）" if years else f"{count} 个月"


def periods(spans: Sequence[tuple[date, date | None]]) -> str:
    return (
        "；".join(
            f"{start:%Y.%m.%d}—{end:%Y.%m.%d}" if end else f"{start:%Y.%m.%d}—至今"
            for start, end in spans
        )
        or "—"
    )


def representative(view: RepresentativeView | None) -> list[tuple[str, str]]:
    if view is None:
        return []
    return [
        (view.role_label, f"{view.name}（{view.relation}）"),
        (f"{view.role_label}证件号", view.masked_id_number),
        (f"{view.role_label}电话", view.phone),
    ]


def transaction(txn: TransactionInfo) -> list[tuple[str, str]]:
    return [
        ("经办人", txn.clerk_name),
        ("受理窗口", f"{txn.counter_no} 号窗口"),
        ("办理时间", timestamp(txn.created_at)),
    ]
