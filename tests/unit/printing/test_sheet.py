"""How blocks are laid out on pages."""

from __future__ import annotations

from dataclasses import dataclass

from printing.sheet import Block, Heading, paginate


@dataclass
class Box(Block):
    tall: float

    def height(self, width: float) -> float:
        return self.tall


def test_a_heading_goes_to_the_next_page_with_the_block_it_heads() -> None:
    heading = Heading("经办信息")
    # 100 points of room: the box fills 70, the heading (20) fits, its table (40) does not.
    pages = paginate([Box(70), heading, Box(40)], width=500, first_top=100, top=100, bottom=0)
    assert [[block for block, _ in page] for page in pages] == [[Box(70)], [heading, Box(40)]]


def test_a_heading_that_fits_with_its_block_stays() -> None:
    pages = paginate([Box(30), Heading("参保信息"), Box(40)], width=500, first_top=100, top=100,
                     bottom=0)  # fmt: skip
    assert len(pages) == 1
