"""就医地: the provinces and cities a citizen files for care in (异地就医备案), by their GB/T 2260
administrative division code (行政区划代码).

The table is python-stdnum's ``cn/loc`` (maintained with the code list, and already what the
identity checks read). A destination is a prefecture-level division (地级市、自治州、地区、盟),
a municipality as a whole (北京市 110000) or a county-level city a province governs directly
(省直辖县级行政单位, e.g. 仙桃市 429004): the units medical insurance is pooled in (统筹区).
Divisions the table marks as abolished are left out. The index is built once and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from stdnum import numdb

from medins_desk.errors import ValidationError

__all__ = [
    "Region",
    "destination",
    "destinations",
    "parse_destination",
    "pooling_region_code",
    "search_destinations",
]

# 直辖市: one pooling region each, named by the province-level code.
_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
# 省直辖县级行政单位 (x90), whose county-level cities are pooling regions of their own.
_DIRECT_COUNTIES = "90"
# 台湾省 and the special administrative regions have no direct settlement.
_LAST_PROVINCE = 65
_CODE = re.compile(r"[0-9]{6}")
_PERIOD = re.compile(r"\[(\d*)-(\d*)\]")


@dataclass(frozen=True)
class Region:
    """A destination: province and city with their codes, and the keys a clerk searches by."""

    code: str
    name: str
    province_code: str
    province_name: str
    pinyin: str  # of the city's name, lower case without spaces: "luzhoushi"
    initials: str  # "lzs"

    @property
    def full_name(self) -> str:
        """As printed: 四川省泸州市, or 北京市 for a municipality."""
        return self.name if self.name == self.province_name else self.province_name + self.name


def _current(names: str) -> str | None:
    """The division's name today, or None when the table says it was abolished.

    stdnum lists names over time: "[1983-1989]南头区办事处,[1990-]南山区"."""
    latest = names.split(",")[-1]
    period = _PERIOD.match(latest)
    if period is None:
        return latest
    if period.group(2):  # closed: the division ended that year
        return None
    return latest[period.end() :]


def _region(code: str, name: str, province_code: str, province_name: str) -> Region:
    # Imported here: pypinyin's phrase table takes a fifth of a second to load.
    from pypinyin import Style, lazy_pinyin

    return Region(
        code=code,
        name=name,
        province_code=province_code,
        province_name=province_name,
        pinyin="".join(lazy_pinyin(name)).lower(),
        initials="".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower(),
    )


@cache
def _index() -> tuple[tuple[Region, ...], dict[str, Region]]:
    """Every destination, and every current code (county-level ones too) to its destination."""
    regions: list[Region] = []
    by_code: dict[str, Region] = {}
    for _length, low, _high, props, children in numdb.get("cn/loc").prefixes:
        province_name = props.get("province")
        if not province_name or int(low) > _LAST_PROVINCE:
            continue
        province_code = f"{low}0000"
        if low in _MUNICIPALITIES:
            whole = _region(province_code, province_name, province_code, province_name)
            regions.append(whole)
            by_code[province_code] = whole
        for _length, tail, _high, child, _grandchildren in children:
            name = _current(child.get("county", ""))
            code = low + tail
            if name is None or tail == "0000":
                continue
            if low in _MUNICIPALITIES:
                by_code[code] = by_code[province_code]
            elif tail.endswith("00") != (tail[:2] == _DIRECT_COUNTIES):
                # A city (xx00), or a county-level city under 省直辖县级行政单位 (90xx).
                city = _region(code, name, province_code, province_name)
                regions.append(city)
                by_code[code] = city
        for _length, tail, _high, child, _grandchildren in children:
            code = low + tail
            parent = by_code.get(code[:4] + "00")
            if code not in by_code and parent is not None and _current(child.get("county", "")):
                by_code[code] = parent  # a district or county: its city's pooling region
    return tuple(regions), by_code


def destinations() -> tuple[Region, ...]:
    """Every destination, in code order."""
    return _index()[0]


def destination(code: str) -> Region | None:
    """The destination of a 6-digit code: a city's own, or the city a district or county is in."""
    return _index()[1].get(code)


def pooling_region_code(code: str) -> str:
    """The pooling region (统筹区) a 6-digit division code belongs to: 510502 -> 510500,
    110105 -> 110000; a code the table lacks is its own."""
    region = destination(code)
    return region.code if region is not None else code


def parse_destination(text: str, *, field: str = "destination_code") -> Region:
    """就医地 from what the clerk typed or picked: the 6-digit code, alone or with the name."""
    found = _CODE.search(text)
    if found is None:
        shown = text.strip()
        if not shown:
            raise ValidationError(field, "请填写就医地（可输入城市名称、拼音或行政区划代码）")
        matches = [r for r in search_destinations(shown) if shown in (r.name, r.full_name)]
        if len(matches) == 1:
            return matches[0]
        raise ValidationError(
            field, f"就医地「{shown}」不是一个地级行政区划，请从列表中选择或输入6位区划代码"
        )
    region = destination(found.group())
    if region is None:
        raise ValidationError(
            field, f"行政区划代码 {found.group()} 不在现行行政区划代码表（GB/T 2260）中，请核对"
        )
    return region


def search_destinations(text: str, *, limit: int = 20) -> list[Region]:
    """Destinations a clerk's text names: a code or its first digits, a name or part of it, the
    full pinyin or its initials; the closest first (code, name, pinyin, initials, province)."""
    query = "".join(text.split()).lower()
    if not query:
        return []
    regions = destinations()
    if query.isdigit():
        exact = destination(query) if len(query) == 6 else None
        hits = [exact] if exact is not None else []
        hits += [r for r in regions if r.code.startswith(query) and r is not exact]
        return hits[:limit]
    ranked: list[tuple[int, Region]] = []
    for region in regions:
        if region.name.startswith(query) or region.full_name.startswith(query):
            rank = 0
        elif query in region.full_name:
            rank = 1
        elif region.pinyin.startswith(query):
            rank = 2
        elif region.initials.startswith(query):
            rank = 3
        else:
            continue
        ranked.append((rank, region))
    ranked.sort(key=lambda pair: pair[0])  # stable: code order within a rank
    return [region for _rank, region in ranked[:limit]]
