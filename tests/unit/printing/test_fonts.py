"""A font that cannot be loaded is an error in Chinese, never a silent Latin fallback; text is
cut into runs so a rare character switches face mid-name."""

from __future__ import annotations

from pathlib import Path

import pytest

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
