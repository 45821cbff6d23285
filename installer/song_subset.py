"""Build the 宋体 the vouchers load first: AR PL UMing CN cut down to GB 2312.

ReportLab parses a TrueType face in Python when a process draws its first voucher: about 70 ms
for UMing's 27,000 glyphs, 20 ms for the 7,500 of GB 2312 (every character of the vouchers' own
text and of most names). printing/fonts.py loads this subset first and the full system face
only for a character the subset lacks, so both are the same design. The cut is a font program
of its own and is named so (``UMingCN-GB2312``): under the source's name a PDF that draws from
both embeds one program, and the full face's glyph ids print the subset's glyphs or boxes.

    python installer/song_subset.py SOURCE.ttc OUT.ttf

Run by installer/dev-setup.sh (run, test) when the system font or this script is newer than
OUT. The result stays under the Arphic Public License of its source
(/usr/share/doc/fonts-arphic-uming/copyright); a build that ships it ships that licence too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset


def gb2312_code_points() -> set[int]:
    """Every BMP character GB 2312 encodes (ASCII included)."""
    points = set()
    for code in range(0x20, 0x10000):
        try:
            chr(code).encode("gb2312")
        except UnicodeEncodeError:
            continue
        points.add(code)
    return points


POSTSCRIPT_NAME = "UMingCN-GB2312"
# What the documents and names print beyond GB 2312 (Python's codec reads its dash and middle
# dot as U+2015 and U+30FB): the em dash of periods, the middle dot of minority names
# (阿依古丽·买买提), 〇 of dates, the full-width forms. Without them one dash on a voucher
# loads the full face.
PUNCTUATION = (
    range(0x00A0, 0x0100),  # Latin-1: · × ° and the no-break space
    range(0x2010, 0x2030),  # dashes, quotation marks, …, ‰
    range(0x3000, 0x3040),  # CJK punctuation: 、。〇《》「」【】〔〕
    range(0xFF01, 0xFF5F),  # full-width forms
    range(0xFFE0, 0xFFE7),  # full-width signs: ￥
)


def build(source: Path, out: Path) -> None:
    options = subset.Options()
    options.font_number = 0  # AR PL UMing CN in uming.ttc
    options.name_IDs = ["*"]  # keep the names but the PostScript one, renamed below
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # print resolution needs no hints; the file halves
    options.layout_features = []
    # Screen bitmaps (embedded ones are dropped by default) and FontForge's timestamp.
    options.drop_tables += ["BDF", "FFTM"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    extra = {code for block in PUNCTUATION for code in block}
    subsetter.populate(unicodes=gb2312_code_points() | extra)  # absent ones are skipped
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID == 6:  # the PostScript name, which a PDF's BaseFont carries
            record.string = POSTSCRIPT_NAME
    temporary = out.with_suffix(".tmp")
    subset.save_font(font, str(temporary), options)
    temporary.replace(out)


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
