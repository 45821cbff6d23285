"""Code128 and QR drawn as vector rectangles (no bitmaps: sharp at any printer resolution).

python-barcode supplies the Code128 module pattern and qrcode the QR matrix; both are drawn
here as filled rectangles, one per run of dark modules, so a page holds a few hundred path
operators rather than an image.
"""

from __future__ import annotations

from barcode import Code128
from qrcode import QRCode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

QUIET_MODULES = 10  # Code128 wants 10 modules of white on each side


def code128_modules(data: str) -> str:
    """The bar pattern, "1" for a dark module."""
    return "".join(Code128(data, writer=None).build())


def _dark_runs(modules: str | list[bool]) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules."""
    runs: list[tuple[int, int]] = []
    start = -1
    for index, module in enumerate(modules):
        dark = module == "1" if isinstance(module, str) else bool(module)
        if dark and start < 0:
            start = index
        elif not dark and start >= 0:
            runs.append((start, index - start))
            start = -1
    if start >= 0:
        runs.append((start, len(modules) - start))
    return runs


def draw_code128(
    canvas: Canvas, data: str, *, x: float, y: float, width: float, height: float
) -> None:
    """The barcode filling ``width`` (quiet zones included) with its bottom-left at (x, y)."""
    modules = code128_modules(data)
    module = width / (len(modules) + 2 * QUIET_MODULES)
    path = canvas.beginPath()
    for start, length in _dark_runs(modules):
        path.rect(x + (QUIET_MODULES + start) * module, y, length * module, height)
    canvas.drawPath(path, stroke=0, fill=1)


def qr_matrix(data: str) -> list[list[bool]]:
    code = QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


def draw_qr(canvas: Canvas, data: str, *, x: float, y: float, size: float) -> None:
    """The QR code, ``size`` square without its quiet zone, bottom-left at (x, y)."""
    matrix = qr_matrix(data)
    module = size / len(matrix)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        for start, length in _dark_runs(row):
            path.rect(x + start * module, top, length * module, module)
    canvas.drawPath(path, stroke=0, fill=1)
