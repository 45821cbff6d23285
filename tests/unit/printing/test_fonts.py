"""A font that cannot be loaded is an error in Chinese, never a silent Latin fallback; text is
cut into runs so a rare character switches face mid-name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from printing import fonts


def test_an_unreadable_font_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    with pytest.raises(fonts.FontError, match="无法加载字体"):
        fonts._register("Broken", broken)


def test_a_missing_main_font_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fonts.main_face.cache_clear()
    monkeypatch.setattr(fonts, "resources_dir", lambda: tmp_path)
    try:
        with pytest.raises(fonts.FontError, match="缺少凭证字体"):
            fonts.main_face()
    finally:
        monkeypatch.undo()
        fonts.main_face.cache_clear()


def test_headings_are_in_the_main_face_and_switch_for_extension_b_only() -> None:
    assert list(fonts.runs("王𠮷 No.1", heading=True)) == [
        (fonts.MAIN, "王"),
        (fonts.RARE, "𠮷"),
        (fonts.MAIN, " No.1"),
    ]


def test_body_text_is_in_song_the_subset_first_then_the_full_face() -> None:
    # The test command installs fonts-arphic-uming and cuts its GB 2312 subset.
    assert (fonts.resources_dir() / "fonts" / "song-gb2312.ttf").is_file()
    assert list(fonts.runs("王玥𠮷 No.1")) == [
        (fonts.SONG, "王"),
        (fonts.SONG_FULL, "玥"),  # not in GB 2312: the same design, from the full face
        (fonts.RARE, "𠮷"),
        (fonts.SONG, " No.1"),
    ]


def test_the_subset_holds_the_punctuation_of_documents_and_names() -> None:
    # The em dash of periods, the middle dot of minority names, 〇, full-width forms: with
    # the subset they need no second face.
    text = "1999.07.01—2011.06.30 阿依古丽·买买提 二〇二六年 （，：；！？）《》「」… ￥"
    assert list(fonts.runs(text)) == [(fonts.SONG, text)]


def test_the_two_song_faces_embed_as_two_programs() -> None:
    # ReportLab draws faces of one PostScript name with the first one's program: the subset
    # carried UMing's name, and the full face's glyph ids printed as boxes.
    assert fonts.song_face() is not None and fonts.full_song_face() is not None
    subset = pdfmetrics.getFont(fonts.SONG).face
    full = pdfmetrics.getFont(fonts.SONG_FULL).face
    assert subset.name == b"UMingCN-GB2312" and full.name == b"UMingCN"
    assert subset.filename != full.filename


def test_a_second_face_of_a_taken_postscript_name_is_an_error(tmp_path: Path) -> None:
    fonts.main_face()
    copy = tmp_path / "copy.ttc"
    shutil.copyfile(fonts.resources_dir() / "fonts" / "wqy-microhei.ttc", copy)
    with pytest.raises(fonts.FontError, match="同名"):
        fonts._register("WQYCopy", copy)


def test_a_cmap_entry_without_an_outline_is_not_drawn() -> None:
    # WenQuanYi maps ℃ to an empty glyph: it would print as nothing, so it is no glyph.
    with pytest.raises(fonts.FontError, match=r"U\+2103"):
        list(fonts.runs("℃", heading=True))
    # Spaces have no outline and need none.
    assert list(fonts.runs("a\u3000b", heading=True)) == [(fonts.MAIN, "a\u3000b")]


@pytest.mark.parametrize("found", ["missing", "broken"])
def test_without_a_usable_song_font_body_text_falls_back_to_the_main_face(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, found: str
) -> None:
    font = tmp_path / "simsun.ttc"
    if found == "broken":
        font.write_bytes(b"not a font")
    monkeypatch.setenv("MEDINS_SONG_FONT", str(font))
    fonts.song_face.cache_clear()
    fonts.full_song_face.cache_clear()
    try:
        assert list(fonts.runs("宋体正文")) == [(fonts.MAIN, "宋体正文")]
    finally:
        monkeypatch.undo()
        fonts.song_face.cache_clear()
        fonts.full_song_face.cache_clear()


def test_a_character_no_face_has_stops_the_document() -> None:
    with pytest.raises(fonts.FontError, match=r"U\+E000"):
        list(fonts.runs("\ue000"))


def _font_file(path: Path, family: str, characters: str) -> Path:
    """A real TrueType face with a square outline for each of ``characters``."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 800))
    pen.lineTo((900, 800))
    pen.lineTo((900, 0))
    pen.closePath()
    square = pen.glyph()
    names = [f"uni{ord(c):04X}" for c in characters]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", *names])
    builder.setupCharacterMap({ord(c): n for c, n in zip(characters, names, strict=True)})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), **{n: square for n in names}})
    builder.setupHorizontalMetrics({n: (1000, 100) for n in [".notdef", *names]})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular", "psName": family})
    builder.setupOS2()
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


def test_windows_fonts_are_found_in_its_fonts_folder_and_the_users(tmp_path: Path) -> None:
    # A Windows that is not on C:, and a user who installed a font without administrator rights.
    windows, local = tmp_path / "D" / "WINNT", tmp_path / "Users" / "clerk" / "AppData" / "Local"
    environ = {"WINDIR": str(windows), "LOCALAPPDATA": str(local)}
    assert fonts.system_font_dirs("win32", environ) == [
        windows / "Fonts",
        local / "Microsoft" / "Windows" / "Fonts",
    ]
    assert fonts.rare_font_file("win32", environ) is None
    ext_b = _font_file(windows / "Fonts" / "simsunb.ttf", "TestSimSunExtB", "𠮷𡈼")
    assert fonts.rare_font_file("win32", environ) == ext_b
    # The loader ReportLab uses reads it, and it draws the Extension B characters of names.
    face = fonts._register("TestSimSunExtB", ext_b)
    assert {0x20BB7, 0x2123C} <= face.glyphs.keys()
    # HanaMin B, installed for the user, comes before SimSun-ExtB.
    hanamin = _font_file(local / "Microsoft/Windows/Fonts/HanaMinB.ttf", "TestHanaMinB", "𠮷")
    assert fonts.rare_font_file("win32", environ) == hanamin
    assert fonts.rare_font_file("win32", {**environ, "MEDINS_RARE_FONT": str(ext_b)}) == ext_b
    # 宋体: the shipped GB 2312 subset first, SimSun from the Windows folder behind it.
    assert fonts.song_font_files("win32", environ) == (
        fonts.resources_dir() / "fonts" / "song-gb2312.ttf",
        None,
    )
    simsun = _font_file(windows / "Fonts" / "simsun.ttc", "TestSimSun", "玥")
    assert fonts.song_font_files("win32", environ)[1] == simsun
    # Without WINDIR (a service's bare environment) SystemRoot says where Windows is.
    assert fonts.system_font_dirs("win32", {"SystemRoot": str(windows)}) == [windows / "Fonts"]
