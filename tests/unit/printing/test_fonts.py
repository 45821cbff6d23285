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


def test_runs_switch_face_for_extension_b_only() -> None:
    assert list(fonts.runs("王𠮷 No.1")) == [
        (fonts.MAIN, "王"),
        (fonts.RARE, "𠮷"),
        (fonts.MAIN, " No.1"),
    ]
