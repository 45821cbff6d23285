"""补打: the archived PDF with a "补打" stamp and the reprint time laid over each page.

The archived page content is not redrawn, so everything but the stamp is the document the
citizen was first given, byte for byte in its page streams.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from typing import cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject

from printing.sheet import SMALL_SIZE, draw_text, mm, new_canvas


def _stamp(width: float, height: float, at: datetime) -> PageObject:
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
    page = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    _tag_subsets(page)
    return page


def _tag_subsets(page: PageObject) -> None:
    """Name each font subset of ``page`` after its own glyphs. ReportLab tags the first subset
    of every face AAAAAA, so the stamp's 黑体 and 宋体 would carry the names of the archived
    document's different subsets, which a printer may take for one font (the PDF reference
    asks for distinct tags)."""
    resources = cast(DictionaryObject, page["/Resources"].get_object())
    for ref in cast(DictionaryObject, resources["/Font"].get_object()).values():
        font = cast(DictionaryObject, ref.get_object())
        descriptor = cast(DictionaryObject, font["/FontDescriptor"].get_object())
        program = cast(StreamObject, descriptor["/FontFile2"].get_object()).get_data()
        tag = "".join(chr(ord("A") + byte % 26) for byte in hashlib.sha256(program).digest()[:6])
        name = NameObject(f"/{tag}+{str(font['/BaseFont']).partition('+')[2]}")
        font[NameObject("/BaseFont")] = descriptor[NameObject("/FontName")] = name


def stamp_reprint(pdf: bytes, at: datetime) -> bytes:
    """``pdf`` with 补打 and ``at`` on every page."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    stamps: dict[tuple[float, float], PageObject] = {}
    for page in writer.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in stamps:
            stamps[size] = _stamp(*size, at)
        page.merge_page(stamps[size])
    title = reader.metadata.title if reader.metadata and reader.metadata.title else ""
    writer.add_metadata({"/Title": f"{title} 补打".strip()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
