"""Reading a PDF as a person would: rendered pixels, decoded codes, extracted text, fonts, and
the glyphs drawn, which pdftotext cannot show (it reads the ToUnicode map, never a box)."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "printing"


def render_png(pdf: bytes, *, dpi: int = 150, page: int = 1, keep_as: str | None = None) -> Path:
    """Page ``page`` as a PNG (pdftoppm); with ``keep_as`` also kept in tests/artifacts/printing."""
    work = Path(tempfile.mkdtemp(prefix="medins-pdf-"))
    source = work / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
         str(source), str(work / "page")],
        check=True,
    )  # fmt: skip
    png = work / "page.png"
    if keep_as:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, ARTIFACTS / f"{keep_as}.png")
    return png


def decode(png: Path) -> set[str]:
    """Every symbol zbarimg finds, as "CODE-128:…" / "QR-Code:…" (its exit status says only
    whether it found anything, so the lines are what is checked)."""
    result = subprocess.run(["zbarimg", "-q", str(png)], capture_output=True, text=True)
    return {line for line in result.stdout.splitlines() if line}


def text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", file.name, "-"], capture_output=True, check=True
        )
    return result.stdout.decode("utf-8")


def fonts(pdf: bytes) -> list[dict[str, str]]:
    """pdffonts' table: name, type, emb, sub per font."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        result = subprocess.run(["pdffonts", file.name], capture_output=True, text=True, check=True)
    rows = []
    for line in result.stdout.splitlines()[2:]:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID: read from the right.
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4]})
    return rows


def page_count(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        result = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True, check=True)
    for line in result.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")


@dataclass(frozen=True)
class TextPiece:
    """A text object of a page as PDFium reads it."""

    text: str
    mode: int  # PDF render mode: 0 fill, 2 fill then stroke (bold)
    right: float  # right edge, points from the page's left
    left: float
    page_width: float


def text_pieces(pdf: bytes) -> list[TextPiece]:
    """Every page's text objects (a cut or an overrun on the last page counts as on the first)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(pdf)
    pieces = []
    for page in document:
        textpage = page.get_textpage()
        for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_TEXT,)):
            size = raw.FPDFTextObj_GetText(obj, textpage, None, 0)
            buffer = ctypes.create_string_buffer(size)
            wide = ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR))
            raw.FPDFTextObj_GetText(obj, textpage, wide, size)
            text = buffer.raw[: size - 2].decode("utf-16-le").strip()
            mode = raw.FPDFTextObj_GetTextRenderMode(obj)
            left, _bottom, right, _top = obj.get_bounds()
            pieces.append(TextPiece(text, mode, right, left, page.get_width()))
        textpage.close()
        page.close()
    document.close()
    return pieces


def text_off_the_page(pdf: bytes) -> list[str]:
    """Text that runs past the paper's left or right edge (cut off when printed)."""
    return [
        piece.text for piece in text_pieces(pdf)
        if piece.text and (piece.left < 0 or piece.right > piece.page_width)
    ]  # fmt: skip


def text_render_modes(pdf: bytes) -> dict[str, set[int]]:
    """The text pieces with the render modes they are drawn in."""
    modes: dict[str, set[int]] = {}
    for piece in text_pieces(pdf):
        modes.setdefault(piece.text, set()).add(piece.mode)
    return modes


@dataclass(frozen=True)
class Glyph:
    """A glyph drawn on a page as MuPDF traces it: a box on paper when ``glyph`` is 0."""

    font: str  # the font's BaseFont, e.g. AAAAAA+UMingCN-GB2312
    glyph: int  # the glyph id in that font's embedded program
    text: str  # what the ToUnicode map says it is


_SPAN = re.compile(r'<span font="([^"]*)"')
_GLYPH = re.compile(r'<g unicode="(.*?)" glyph="(\d+)"')


def drawn_glyphs(pdf: bytes) -> list[Glyph]:
    """Every glyph drawn on every page (``mutool trace``)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        result = subprocess.run(
            ["mutool", "trace", file.name], capture_output=True, text=True, check=True
        )
    glyphs, font = [], ""
    for line in result.stdout.splitlines():
        if span := _SPAN.search(line):
            font = span.group(1)
        elif found := _GLYPH.search(line):
            glyphs.append(Glyph(font, int(found.group(2)), html.unescape(found.group(1))))
    return glyphs


def font_programs(pdf: bytes) -> dict[str, set[bytes]]:
    """The embedded TrueType programs (FontFile2) of every page's fonts, by BaseFont."""
    from pypdf import PdfReader

    programs: dict[str, set[bytes]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            program = font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            programs.setdefault(str(font["/BaseFont"])[1:], set()).add(program)
    return programs


def glyph_faults(pdf: bytes) -> list[str]:
    """What would print as a box or as nothing: .notdef, a glyph id beyond the embedded
    program, a glyph without an outline (for a character that is not a space), or two
    programs embedded under one name, which a printer may take for one."""
    from fontTools.ttLib import TTFont

    programs = font_programs(pdf)
    faults = [
        f"{name}: {len(found)} programs" for name, found in programs.items() if len(found) > 1
    ]
    fonts = {name: TTFont(io.BytesIO(next(iter(found)))) for name, found in programs.items()}
    for glyph in drawn_glyphs(pdf):
        where = f"{glyph.text!r} in {glyph.font}, glyph {glyph.glyph}"
        font = fonts[glyph.font]
        order = font.getGlyphOrder()
        if glyph.glyph == 0:
            faults.append(f"{where}: .notdef")
        elif glyph.glyph >= len(order):
            faults.append(f"{where}: not in the embedded program")
        elif font["glyf"][order[glyph.glyph]].numberOfContours == 0 and not glyph.text.isspace():
            faults.append(f"{where}: no outline")
    return sorted(set(faults))
