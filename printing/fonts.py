"""CJK fonts embedded as subsets, with a per-character fallback for rare characters (生僻字).

The main face is WenQuanYi Micro Hei (Apache-2.0), shipped in ``resources/fonts/``: TrueType
outlines, which ReportLab's TTFont can subset (it rejects the CFF-based Noto/Source Han OTFs).
It is the 黑体 of titles and headings. Body text is set in 宋体, as on government forms: AR PL
UMing (Debian ``fonts-arphic-uming``) or Windows' SimSun, looked up at run time in the system's
font folders (``MEDINS_SONG_FONT`` first); a machine with neither prints the body in the main
face. Where ``installer/song_subset.py`` has cut UMing down to GB 2312 in ``resources/fonts/``,
that subset is loaded first (ReportLab parses 7,500 glyphs instead of 27,000) and the full face
only for a character the subset lacks. A Windows build ships the same UMing subset (SimSun may
not be redistributed), so there a character beyond GB 2312 (玥) is drawn in SimSun, a 宋体 of
another hand. ReportLab draws two faces of one PostScript name with one program,
so the subset is named ``UMingCN-GB2312``, and loading a face whose name is taken is an error.

A face draws a character only where its cmap entry leads to an outline: WenQuanYi maps ℃ and
Ⅴ to empty glyphs, which print as nothing. Such a character goes to the next face.

No face here has CJK Extension B, so a name like 王𠮷 is drawn character by character, switching
to a fallback face for what the first face lacks. The fallback (HanaMin B, about 30 MB, so not
in the repository) is looked up at run time: ``MEDINS_RARE_FONT``, ``resources/fonts/``, then
the system's font folders: HanaMin B (Debian's ``fonts-hanazono``, or installed on Windows), then
Windows' SimSun-ExtB. Windows' folders are ``%WINDIR%\\Fonts`` and, for a font a user installed
without administrator rights (Windows 10 1809 and later),
``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts``. A missing main font fails at start; a
character no face has fails the document: never boxes on a citizen's voucher.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from medins_desk.errors import UserFacingError
from medins_desk.resources import resources_dir

MAIN = "WQYMicroHei"
SONG = "SongTi"
SONG_FULL = "SongTiFull"  # the system face the GB 2312 subset was cut from
RARE = "HanaMinB"

_MAIN_FILE = "wqy-microhei.ttc"
_RARE_FILE = "HanaMinB.ttf"  # in resources/fonts/, e.g. in a frozen build
# Looked up in every folder of system_font_dirs(), in this order.
_RARE_CANDIDATES = (
    "hanazono/HanaMinB.ttf",  # Debian fonts-hanazono
    "HanaMinB.ttf",  # HanaMin B installed on Windows
    "simsunb.ttf",  # SimSun-ExtB, on every Windows with the Chinese fonts
)
_SONG_SUBSET = "song-gb2312.ttf"  # built by installer/song_subset.py, not in the repository
_SONG_CANDIDATES = (
    "arphic/uming.ttc",  # Debian fonts-arphic-uming: AR PL UMing CN
    "simsun.ttc",  # 宋体 SimSun, on every Windows with the Chinese fonts
)
_lock = threading.Lock()
log = logging.getLogger(__name__)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with code points beyond the BMP written as UTF-16 surrogate
    pairs as the PDF reference asks. ReportLab writes ``<20BB7>`` for 𠮷, so the glyph prints
    but copying or searching the PDF (and pdftotext) yields a wrong character."""
    cmap: str = _reportlab_cmap(fontname, subset)
    wide = {v for v in subset if v > 0xFFFF}
    for index, value in enumerate(subset):
        if value in wide:
            pair = chr(value).encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{index:02X}> <{value:04X}>", f"<{index:02X}> <{pair}>")
    return cmap


_reportlab_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


class FontError(UserFacingError):
    """A font the vouchers need is missing or unreadable (字体缺失)."""


@dataclass(frozen=True)
class _Face:
    name: str
    glyphs: dict[int, int]  # code point -> glyph id, for the characters the face can draw


def _register(name: str, path: Path) -> _Face:
    try:
        font = TTFont(name, str(path), subfontIndex=0) if path.suffix == ".ttc" else None
        font = font or TTFont(name, str(path))
    except Exception as error:  # ReportLab raises TTFError or OSError with an English text
        raise FontError(f"无法加载字体 {path}：{error}") from error
    pdfmetrics.registerFont(font)
    face = font.face
    # ReportLab keeps one font per PostScript name: a second face of a taken name is drawn with
    # the first one's program, where its glyph ids are other characters or boxes.
    drawn_with = pdfmetrics.getFont(name).face
    if (drawn_with.filename, drawn_with.subfontNameX) != (face.filename, face.subfontNameX):
        raise FontError(
            f"字体 {path} 与已加载的 {drawn_with.filename} 同名（{face.name.decode()}），"
            "打印会出现方框；请重新生成该字体文件"
        )
    return _Face(name, _drawn(face.charToGlyph, face.glyphPos))


def _drawn(cmap: dict[int, int], loca: list[int]) -> dict[int, int]:
    """The entries of ``cmap`` whose glyph has an outline (a non-empty stretch of ``loca``),
    and the spaces, which need none."""
    return {
        code: glyph
        for code, glyph in cmap.items()
        if loca[glyph + 1] > loca[glyph] or chr(code).isspace()
    }


@functools.cache
def main_face() -> _Face:
    """The main face, registered once per process (about 90 ms)."""
    path = resources_dir() / "fonts" / _MAIN_FILE
    if not path.is_file():
        raise FontError(f"缺少凭证字体 {path}；请重新安装本程序")
    with _lock:
        return _register(MAIN, path)


def system_font_dirs(
    platform: str = sys.platform, environ: Mapping[str, str] = os.environ
) -> list[Path]:
    """The folders this system installs fonts in: Windows' own (``%WINDIR%\\Fonts``, which
    need not be on C:) and the user's, Debian's TrueType tree elsewhere."""
    if platform == "win32":
        windows = environ.get("WINDIR") or environ.get("SystemRoot") or r"C:\Windows"
        folders = [Path(windows, "Fonts")]
        if environ.get("LOCALAPPDATA"):
            folders.append(Path(environ["LOCALAPPDATA"], "Microsoft", "Windows", "Fonts"))
        return folders
    return [Path("/usr/share/fonts/truetype")]


def _system_file(names: tuple[str, ...], platform: str, environ: Mapping[str, str]) -> Path | None:
    """The first of ``names`` present in a system font folder (a name before a folder)."""
    folders = system_font_dirs(platform, environ)
    found = (folder / name for name in names for folder in folders)
    return next((path for path in found if path.is_file()), None)


def song_font_files(
    platform: str = sys.platform, environ: Mapping[str, str] = os.environ
) -> tuple[Path | None, Path | None]:
    """The 宋体 to load first, and the fuller one behind it for what the first lacks."""
    override = environ.get("MEDINS_SONG_FONT")
    if override:
        return (Path(override) if Path(override).is_file() else None), None
    system = _system_file(_SONG_CANDIDATES, platform, environ)
    shipped = resources_dir() / "fonts" / _SONG_SUBSET
    return (shipped, system) if shipped.is_file() else (system, None)


def rare_font_file(
    platform: str = sys.platform, environ: Mapping[str, str] = os.environ
) -> Path | None:
    """The Extension B face: ``MEDINS_RARE_FONT``, the one shipped in resources/fonts, then
    the system's."""
    override = environ.get("MEDINS_RARE_FONT")
    if override:
        return Path(override) if Path(override).is_file() else None
    shipped = resources_dir() / "fonts" / _RARE_FILE
    if shipped.is_file():
        return shipped
    return _system_file(_RARE_CANDIDATES, platform, environ)


def _optional(name: str, path: Path | None) -> _Face | None:
    if path is None:
        return None
    try:
        with _lock:
            return _register(name, path)
    except FontError as error:
        log.warning("%s; body text falls back to the next face", error)
        return None


@functools.cache
def song_face() -> _Face | None:
    """宋体 for body text; None where this machine has none (the main face stands in)."""
    return _optional(SONG, song_font_files()[0])


@functools.cache
def full_song_face() -> _Face | None:
    """The system 宋体 behind the GB 2312 subset, loaded the first time a text needs it."""
    return _optional(SONG_FULL, song_font_files()[1])


@functools.cache
def rare_face() -> _Face:
    """The Extension B fallback, loaded the first time a document needs it."""
    path = rare_font_file()
    if path is None:
        raise FontError(
            "缺少生僻字字体（花园明朝 HanaMinB）：姓名中的扩展 B 区汉字无法打印。"
            "请安装 fonts-hanazono（Windows：安装中文补充字体，含 SimSun-ExtB），"
            "或设置 MEDINS_RARE_FONT 指向该字体文件"
        )
    with _lock:
        return _register(RARE, path)


_HEADING_FACES: tuple[Callable[[], _Face | None], ...] = (main_face, rare_face)
_BODY_FACES: tuple[Callable[[], _Face | None], ...] = (
    song_face,
    full_song_face,
    main_face,
    rare_face,
)


def _face_for(code: int, faces: tuple[Callable[[], _Face | None], ...]) -> str:
    """The first face that has ``code``; a later face is loaded only when asked for."""
    for load in faces:
        face = load()
        if face is not None and code in face.glyphs:
            return face.name
    raise FontError(f"字符「{chr(code)}」（U+{code:04X}）在凭证字体中没有字形，无法打印")


def runs(text: str, *, heading: bool = False) -> Iterator[tuple[str, str]]:
    """``text`` cut into (font name, piece) runs: headings in the main face (黑体), other text in
    宋体, each falling back face by face (fuller 宋体, main, rare) for a missing glyph."""
    faces = _HEADING_FACES if heading else _BODY_FACES
    start, current = 0, ""
    for index, char in enumerate(text):
        wanted = _face_for(ord(char), faces)
        if wanted != current:
            if index > start:
                yield current, text[start:index]
            start, current = index, wanted
    if len(text) > start:
        yield current, text[start:]


def text_width(text: str, size: float, *, heading: bool = False) -> float:
    pieces = runs(text, heading=heading)
    return float(sum(pdfmetrics.stringWidth(piece, font, size) for font, piece in pieces))
