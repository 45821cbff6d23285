"""Drawing primitives and the blocks a government form is made of (ruled tables, signature
lines, a seal area), laid out top to bottom and broken into pages.

Every string goes through :func:`printing.fonts.runs`, so a rare character switches face in
the middle of a name. Blocks measure themselves first; pages are assigned before anything is
drawn, which is how the footer knows "共 M 页".
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from printing import fonts

mm = 72 / 25.4  # points per millimetre, as reportlab.lib.units.mm (typed here)
TITLE_SIZE = 18.0
HEADING_SIZE = 11.0
BODY_SIZE = 10.0
SMALL_SIZE = 8.0
LINE = 0.6  # rule width, points
GREY = 0.93  # fill of label cells


def new_canvas(buffer: io.BytesIO, pagesize: tuple[float, float], title: str) -> Canvas:
    # invariant: no creation date or random document id, so the same data gives the same bytes.
    # The initial font is ours: ReportLab's default Helvetica would be an unembedded font.
    canvas = Canvas(
        buffer,
        pagesize=pagesize,
        invariant=1,
        pageCompression=1,
        initialFontName=fonts.main_face().name,
    )
    canvas.setTitle(title)
    canvas.setAuthor("medins-desk")
    canvas.setCreator("medins-desk")
    return canvas


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float = BODY_SIZE,
    *,
    align: str = "left",
    bold: bool = False,
) -> None:
    """One line at baseline ``y``, in 宋体; ``bold`` sets it in 黑体 with the outline stroked too
    (a heading: the face has one weight)."""
    if not text:
        return
    if align != "left":
        width = fonts.text_width(text, size, heading=bold)
        x -= width if align == "right" else width / 2
    if bold:
        # The render mode (Tr) and line width are graphics state that outlives the text object,
        # and ReportLab writes no "0 Tr" to undo them: the heading's own state is popped after.
        canvas.saveState()
        canvas.setLineWidth(size / 30)
    for font, piece in fonts.runs(text, heading=bold):
        obj = canvas.beginText(x, y)
        obj.setFont(font, size)
        if bold:
            obj.setTextRenderMode(2)  # fill, then stroke the outline
        obj.textOut(piece)
        canvas.drawText(obj)
        x += canvas.stringWidth(piece, font, size)
    if bold:
        canvas.restoreState()


def wrap(text: str, size: float, width: float, *, heading: bool = False) -> list[str]:
    """Lines of ``text`` no wider than ``width``; Chinese breaks between any two characters."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for char in paragraph:
            w = fonts.text_width(char, size, heading=heading)
            if used + w > width and line:
                lines.append(line)
                line, used = "", 0.0
            line += char
            used += w
        lines.append(line)
    return lines


def clip(text: str, size: float, width: float) -> str:
    """``text`` on one line no wider than ``width``, cut with "…" where it does not fit."""
    if fonts.text_width(text, size) <= width:
        return text
    room, used = width - fonts.text_width("…", size), 0.0
    for end, char in enumerate(text):
        used += fonts.text_width(char, size)
        if used > room:
            return text[:end] + "…"
    return text


class Block:
    """Something drawn full width below the previous block."""

    def height(self, width: float) -> float:
        raise NotImplementedError

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        raise NotImplementedError


@dataclass
class Heading(Block):
    text: str

    def height(self, width: float) -> float:
        return 20

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        draw_text(canvas, x, top - 14, self.text, HEADING_SIZE, bold=True)


@dataclass
class Paragraph(Block):
    text: str
    size: float = BODY_SIZE
    boxed: bool = False

    def _lines(self, width: float) -> list[str]:
        return wrap(self.text, self.size, width - (12 if self.boxed else 0))

    def height(self, width: float) -> float:
        return len(self._lines(width)) * self.size * 1.6 + (12 if self.boxed else 4)

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        inset = 6 if self.boxed else 0
        y = top - inset - self.size * 1.2
        for line in self._lines(width):
            draw_text(canvas, x + inset, y, line, self.size)
            y -= self.size * 1.6
        if self.boxed:
            canvas.setLineWidth(LINE)
            canvas.rect(x, top - self.height(width) + 4, width, self.height(width) - 4)


@dataclass
class Table(Block):
    """Ruled cells. ``widths`` are fractions of the width; ``shaded`` columns are labels."""

    rows: Sequence[Sequence[str]]
    widths: Sequence[float]
    header: Sequence[str] = ()
    shaded: frozenset[int] = frozenset()
    size: float = BODY_SIZE
    spans: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, col) -> columns

    def _cells(self, width: float) -> list[list[tuple[float, float, list[str]]]]:
        """Per row: (x offset, cell width, wrapped lines) of each cell."""
        out = []
        for r, row in enumerate(self._all_rows()):
            cells, offset, c = [], 0.0, 0
            for text in row:
                span = self.spans.get((r - bool(self.header), c), 1)
                w = sum(self.widths[c : c + span]) * width
                is_header = bool(self.header) and r == 0
                cells.append((offset, w, wrap(text, self.size, w - 8, heading=is_header)))
                offset += w
                c += span
            out.append(cells)
        return out

    def _all_rows(self) -> list[Sequence[str]]:
        return [self.header, *self.rows] if self.header else list(self.rows)

    def _row_height(self, cells: list[tuple[float, float, list[str]]]) -> float:
        return max(len(lines) for _, _, lines in cells) * self.size * 1.45 + 8

    def height(self, width: float) -> float:
        return sum(self._row_height(cells) for cells in self._cells(width)) + 6

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        canvas.setLineWidth(LINE)
        y = top
        for r, cells in enumerate(self._cells(width)):
            h = self._row_height(cells)
            is_header = bool(self.header) and r == 0
            c = 0
            for offset, w, lines in cells:
                if is_header or c in self.shaded:
                    canvas.setFillGray(GREY)
                    canvas.rect(x + offset, y - h, w, h, stroke=0, fill=1)
                    canvas.setFillGray(0)
                canvas.rect(x + offset, y - h, w, h, stroke=1, fill=0)
                ty = y - 4 - self.size * 1.05
                for line in lines:
                    draw_text(canvas, x + offset + 4, ty, line, self.size, bold=is_header)
                    ty -= self.size * 1.45
                c += self.spans.get((r - bool(self.header), c), 1)
            y -= h


def fields_table(pairs: Sequence[tuple[str, str]], *, columns: int = 2) -> Table:
    """Label/value pairs, ``columns`` pairs a row; a pair with a long value takes a full row."""
    rows: list[list[str]] = []
    spans: dict[tuple[int, int], int] = {}
    pending: list[str] = []

    def flush() -> None:
        # The last value of a short row stretches to the right edge.
        spans[(len(rows), len(pending) - 1)] = 2 * columns - len(pending) + 1
        rows.append(list(pending))
        pending.clear()

    for label, value in pairs:
        if columns > 1 and fonts.text_width(value, BODY_SIZE) > 150:
            if pending:
                flush()
            pending += [label, value]
            flush()
            continue
        pending += [label, value]
        if len(pending) == 2 * columns:
            rows.append(list(pending))
            pending.clear()
    if pending:
        flush()
    label_w, value_w = (0.17, 0.33) if columns == 2 else (0.25, 0.75)
    widths = [label_w, value_w] * columns
    shaded = frozenset(range(0, 2 * columns, 2))
    return Table(rows, widths, shaded=shaded, spans=spans)


@dataclass
class Signatures(Block):
    """Lines to sign on: "参保人（签字）：________  日期：____年__月__日"."""

    labels: Sequence[str]

    def height(self, width: float) -> float:
        return 34 * ((len(self.labels) + 1) // 2) + 6

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        canvas.setLineWidth(LINE)
        half = width / 2
        for index, label in enumerate(self.labels):
            cx = x + (index % 2) * half
            y = top - 26 - 34 * (index // 2)
            draw_text(canvas, cx, y, f"{label}：", BODY_SIZE)
            start = cx + fonts.text_width(f"{label}：", BODY_SIZE)
            canvas.line(start, y - 2, cx + half - 20, y - 2)
            draw_text(canvas, cx, y - 14, "日期：      年    月    日", SMALL_SIZE)


@dataclass
class SealArea(Block):
    """The agency's name and date at the right, with a ruled square for the seal (盖章处)."""

    agency: str
    date_text: str

    def height(self, width: float) -> float:
        return 46 * mm

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        size = 38 * mm
        left = x + width - size - 10
        canvas.setDash(3, 2)
        canvas.setLineWidth(LINE)
        canvas.rect(left, top - size - 4, size, size)
        canvas.setDash()
        draw_text(
            canvas, left + size / 2, top - size / 2, "（经办机构盖章）", SMALL_SIZE, align="center"
        )
        draw_text(canvas, left - 12, top - size + 12, self.agency, BODY_SIZE, align="right")
        draw_text(canvas, left - 12, top - size - 2, self.date_text, BODY_SIZE, align="right")


@dataclass
class Spacer(Block):
    points: float

    def height(self, width: float) -> float:
        return self.points

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        pass


PageDecorator = Callable[[Canvas, int, int], None]  # (canvas, page number, page count)


def paginate(
    blocks: Sequence[Block], *, width: float, first_top: float, top: float, bottom: float
) -> list[list[tuple[Block, float]]]:
    """Blocks with the y of their top edge, page by page. A heading is kept with the block it
    heads: never left alone at the foot of a page."""
    pages: list[list[tuple[Block, float]]] = [[]]
    y = first_top
    for index, block in enumerate(blocks):
        h = block.height(width)
        needed = h
        if isinstance(block, Heading) and index + 1 < len(blocks):
            needed += blocks[index + 1].height(width)
        if y - needed < bottom and pages[-1]:
            pages.append([])
            y = top
        pages[-1].append((block, y))
        y -= h
    return pages


def render_pages(
    canvas: Canvas,
    pages: list[list[tuple[Block, float]]],
    *,
    x: float,
    width: float,
    decorate: PageDecorator,
) -> None:
    for number, placed in enumerate(pages, start=1):
        decorate(canvas, number, len(pages))
        for block, top in placed:
            block.draw(canvas, x, top, width)
        canvas.showPage()


def watermark(canvas: Canvas, text: str, pagesize: tuple[float, float] = A4) -> None:
    """Large diagonal grey text behind nothing important: 培训 on training documents."""
    width, height = pagesize
    canvas.saveState()
    canvas.setFillGray(0.82)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35)
    size = min(width, height) / 4
    draw_text(canvas, 0, -size / 3, text, size, align="center")
    canvas.restoreState()
