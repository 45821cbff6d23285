"""补打: the archived PDF with a "补打" stamp and the reprint time laid over each page.

The archived page content is not redrawn, so everything but the stamp is the document the
citizen was first given, byte for byte in its page streams.
"""

from __future__ import annotations

import io
from datetime import datetime

from pypdf import PdfReader, PdfWriter

from printing.sheet import SMALL_SIZE, draw_text, mm, new_canvas


def _stamp(width: float, height: float, at: datetime) -> bytes:
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (width, height), "补打")
    canvas.setStrokeColorRGB(0.8, 0, 0)
    canvas.setFillColorRGB(0.8, 0, 0)
    canvas.setLineWidth(1.2)
    small = width < 100 * mm  # the 80 mm receipt: the stamp goes at the very top
    box_w, box_h = (22 * mm, 9 * mm)
    x = width - box_w - (2 * mm if small else 48 * mm)
    y = height - box_h - (1 * mm if small else 12 * mm)
    canvas.rect(x, y, box_w, box_h)
    draw_text(canvas, x + box_w / 2, y + 2.6 * mm, "补打", 16, align="center", bold=True)
    draw_text(
        canvas,
        x + box_w,
        y - 3.5 * mm,
        f"补打时间 {at:%Y-%m-%d %H:%M:%S}",
        SMALL_SIZE,
        align="right",
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def stamp_reprint(pdf: bytes, at: datetime) -> bytes:
    """``pdf`` with 补打 and ``at`` on every page."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    stamps: dict[tuple[float, float], bytes] = {}
    for page in writer.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in stamps:
            stamps[size] = _stamp(*size, at)
        page.merge_page(PdfReader(io.BytesIO(stamps[size])).pages[0])
    title = reader.metadata.title if reader.metadata and reader.metadata.title else ""
    writer.add_metadata({"/Title": f"{title} 补打".strip()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
