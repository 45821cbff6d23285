"""Where a document comes from (the letterhead and the key that signs its QR code) and the A4
frame around its blocks: the serial as Code128, the QR code, the title, and a footer with the
issuing agency and "第 N 页 共 M 页". Training documents are watermarked 培训, voided ones 作废."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4 as _A4
from reportlab.pdfgen.canvas import Canvas

from medins_desk.domain.business import TransactionStatus
from medins_desk.domain.voucher import sign_voucher_payload
from medins_desk.services.transactions import TransactionInfo
from medins_desk.settings import Settings
from printing.codes import draw_code128, draw_qr
from printing.sheet import (
    BODY_SIZE,
    SMALL_SIZE,
    TITLE_SIZE,
    Block,
    clip,
    draw_text,
    mm,
    new_canvas,
    paginate,
    render_pages,
    watermark,
)

A4: tuple[float, float] = _A4
MARGIN = 18 * mm
HEADER = 46 * mm
FOOTER = 16 * mm


@dataclass(frozen=True)
class Letterhead:
    """What every document says about where it comes from, and the key that signs it."""

    hall_name: str
    agency_name: str
    agency_address: str
    agency_phone: str
    secret: str
    demo_secret: bool

    @classmethod
    def from_settings(cls, settings: Settings) -> Letterhead:
        agency = settings.agency
        return cls(
            hall_name=settings.hall_name,
            agency_name=agency.name,
            agency_address=agency.address,
            agency_phone=agency.phone,
            secret=settings.hall_secret,
            demo_secret=settings.demo_secret,
        )


def payload_for(txn: TransactionInfo, letterhead: Letterhead) -> str:
    """The QR payload of a voucher of ``txn``."""
    return sign_voucher_payload(
        letterhead.secret, serial=txn.serial, hall_code=txn.hall_code, kind=txn.kind
    )


@dataclass(frozen=True)
class Frame:
    """The header and footer of an A4 document."""

    title: str
    txn: TransactionInfo
    letterhead: Letterhead
    parts: Sequence[str] = ()  # 联 names of a multi-part form, one per copy

    def decorate(self, canvas: Canvas, number: int, count: int) -> None:
        width, height = A4
        txn = self.txn
        if txn.training:
            watermark(canvas, "培训")
        if txn.status is TransactionStatus.VOID:
            watermark(canvas, "作废")
        top = height - MARGIN
        draw_code128(
            canvas, txn.serial, x=MARGIN - 4 * mm, y=top - 12 * mm, width=78 * mm, height=12 * mm
        )
        draw_text(canvas, MARGIN, top - 16 * mm, f"业务流水号 {txn.serial}", SMALL_SIZE)
        qr = 25 * mm
        draw_qr(
            canvas, payload_for(txn, self.letterhead), x=width - MARGIN - qr, y=top - qr, size=qr
        )
        draw_text(
            canvas, width / 2, top - 31 * mm, self.title, TITLE_SIZE, align="center", bold=True
        )
        sub = f"{self.letterhead.hall_name}    {txn.kind_label}"
        if self.parts:
            sub += f"    {self.parts[(number - 1) % len(self.parts)]}"
        if txn.training:
            sub += "    【培训业务，凭证无效】"
        inner = width - 2 * MARGIN  # a long hall name or address is cut, never past the margins
        draw_text(
            canvas, width / 2, top - 38 * mm, clip(sub, BODY_SIZE - 1, inner), BODY_SIZE - 1,
            align="center",
        )  # fmt: skip
        # Footer: who issued it, how to check it, which page.
        lh = self.letterhead
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, MARGIN + 9 * mm, width - MARGIN, MARGIN + 9 * mm)
        issuer = f"{lh.agency_name}  地址：{lh.agency_address}  电话：{lh.agency_phone}"
        draw_text(canvas, MARGIN, MARGIN + 5 * mm, clip(issuer, SMALL_SIZE, inner), SMALL_SIZE)
        check = "扫描二维码可核验凭证真伪"
        if lh.demo_secret:
            check += "（演示密钥签发，仅供培训演示，不作正式凭证）"
        draw_text(canvas, MARGIN, MARGIN + 1 * mm, check, SMALL_SIZE)
        draw_text(
            canvas, width - MARGIN, MARGIN + 1 * mm, f"第 {number} 页 共 {count} 页", SMALL_SIZE,
            align="right",
        )  # fmt: skip


def a4_document(frame: Frame, blocks: Sequence[Block], *, copies: int = 1) -> bytes:
    """The PDF of ``blocks`` in ``frame``, paginated, ``copies`` times over."""
    width, height = A4
    inner = width - 2 * MARGIN
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, A4, f"{frame.title} {frame.txn.serial}")
    pages = paginate(
        blocks,
        width=inner,
        first_top=height - MARGIN - HEADER,
        top=height - MARGIN - HEADER,
        bottom=MARGIN + FOOTER,
    )
    render_pages(canvas, pages * copies, x=MARGIN, width=inner, decorate=frame.decorate)
    canvas.save()
    return buffer.getvalue()
