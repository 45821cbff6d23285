"""The screenshot command draws every view of every role from a fresh demo store."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from pytestqt.qtbot import QtBot

from medins_desk.settings import Settings
from ui.screenshots import take_screenshots


def test_a_picture_of_every_view(qtbot: QtBot, settings: Settings, tmp_path: Path) -> None:
    saved = take_screenshots(settings, tmp_path / "screens")
    names = {path.stem.split("-", 1)[1] for path in saved}
    assert {"signin", "参保人查询", "社保卡申领", "挂失、解挂", "参保信息变更", "医保关系转移",
            "参保登记", "异地就医备案", "个人账户继承", "参保证明", "在职转退休", "复核",
            "日结台账", "设置", "挂失后"} <= names  # fmt: skip
    for path in saved:
        with Image.open(path) as image:
            assert image.width >= 300 and image.height >= 100
            # Not a blank grab: more than a handful of colours are drawn.
            colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
            assert colours is None or len(colours) > 8, path.name
