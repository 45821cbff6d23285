"""Which document a service result prints as. Each document module registers its kinds here,
keyed by the type of result it prints (:func:`functools.singledispatch`), so a new kind is one
new module and :data:`LAYOUTS` lists every kind there is."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from medins_desk.services.vouchers import DocumentKind, VoucherSource
from printing import fonts
from printing.documents.frame import Letterhead

Source = TypeVar("Source")


@dataclass(frozen=True)
class Layout:
    """One document kind (凭证版式): the service result it prints, and how."""

    kind: DocumentKind
    source_type: type[Any]
    draw: Callable[[Any, Letterhead], bytes]
    receipt_80mm: bool  # for the 80 mm receipt printer, not A4


LAYOUTS: dict[DocumentKind, Layout] = {}  # every registered kind


@functools.singledispatch
def _layouts_of(source: object) -> tuple[Layout, ...]:
    raise TypeError(f"no document prints a {type(source).__name__}")


def document(
    source_type: type[Source], kind: DocumentKind, *, receipt_80mm: bool = False
) -> Callable[[Callable[[Source, Letterhead], bytes]], Callable[[Source, Letterhead], bytes]]:
    """Register the decorated function as document ``kind`` of ``source_type`` results."""

    def register(
        draw: Callable[[Source, Letterhead], bytes],
    ) -> Callable[[Source, Letterhead], bytes]:
        if kind in LAYOUTS:
            raise ValueError(f"{kind} is registered twice")
        LAYOUTS[kind] = Layout(kind, source_type, draw, receipt_80mm)
        layouts = tuple(layout for layout in LAYOUTS.values() if layout.source_type is source_type)
        _layouts_of.register(source_type, lambda _source: layouts)
        return draw

    return register


def layout_for(source: VoucherSource, *, receipt_80mm: bool = False) -> Layout:
    """The document ``source`` prints as: the 80 mm one where it has one and it is asked for."""
    layouts = _layouts_of(source)
    return next((one for one in layouts if one.receipt_80mm == receipt_80mm), layouts[0])


def document_kind(source: VoucherSource, *, receipt_80mm: bool = False) -> DocumentKind:
    """Which document a service result is printed as."""
    return layout_for(source, receipt_80mm=receipt_80mm).kind


def render(source: VoucherSource, letterhead: Letterhead, *, receipt_80mm: bool = False) -> bytes:
    """The PDF of any voucher source."""
    fonts.main_face()  # fail on a missing font before drawing anything
    return layout_for(source, receipt_80mm=receipt_80mm).draw(source, letterhead)
