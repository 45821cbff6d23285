"""就医地 from the GB/T 2260 table: codes, names, pinyin and the pooling region a code is in."""

from __future__ import annotations

import pytest

from medins_desk.domain.regions import (
    destination,
    destinations,
    parse_destination,
    pooling_region_code,
    search_destinations,
)
from medins_desk.errors import ValidationError


def test_a_city_code_names_its_province_and_city() -> None:
    region = parse_destination("510500")
    assert (region.province_code, region.province_name) == ("510000", "四川省")
    assert (region.code, region.name, region.full_name) == ("510500", "泸州市", "四川省泸州市")
    assert (region.pinyin, region.initials) == ("luzhoushi", "lzs")


def test_a_district_or_county_code_files_for_its_city() -> None:
    assert parse_destination("510502").code == "510500"  # 江阳区
    assert parse_destination("110105").code == "110000"  # a district of the municipality
    assert parse_destination("泸州市 510500（四川省）").code == "510500"  # the completer's text


def test_municipalities_and_directly_governed_cities_are_their_own_pooling_regions() -> None:
    chongqing = destination("500000")
    assert chongqing is not None and chongqing.full_name == "重庆市"
    xiantao = parse_destination("429004")
    assert xiantao.full_name == "湖北省仙桃市"
    assert pooling_region_code("110105") == "110000"
    assert pooling_region_code("510521") == "510500"
    assert pooling_region_code("999999") == "999999"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("519999", "519999 不在现行行政区划代码表"),  # never assigned
        ("512100", "512100 不在"),  # 江津地区, abolished
        ("710000", "710000 不在"),  # no direct settlement there
        ("", "请填写就医地"),
        ("   ", "请填写就医地"),
        ("泸州", "不是一个地级行政区划"),  # a name is taken whole only
        ("12345", "不是一个地级行政区划"),
    ],
)
def test_unknown_codes_and_names_are_refused_at_the_field(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_destination(text)
    assert refused.value.field == "destination_code"
    assert words in refused.value.message


def test_a_whole_name_is_enough() -> None:
    assert parse_destination("泸州市").code == "510500"
    assert parse_destination("四川省泸州市").code == "510500"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("luzhou", "510500"),
        ("LuZhou", "510500"),
        ("泸州", "510500"),
        ("5105", "510500"),
        ("510502", "510500"),
        ("chongqing", "500000"),
        ("xiantao", "429004"),
        ("四川", "510100"),  # a province lists its cities in code order
    ],
)
def test_search_by_name_pinyin_initials_and_code(query: str, first: str) -> None:
    assert search_destinations(query)[0].code == first


def test_initials_find_every_city_they_fit() -> None:
    codes = [r.code for r in search_destinations("lz")]
    assert {"510500", "450200", "620100"} <= set(codes)  # 泸州, 柳州, 兰州


def test_the_search_is_limited_and_empty_for_nothing() -> None:
    assert len(search_destinations("s", limit=5)) == 5
    assert search_destinations("") == []
    assert search_destinations("qqqq") == []


def test_the_table_holds_every_province_and_only_current_divisions() -> None:
    regions = destinations()
    assert len({r.province_code for r in regions}) == 31
    assert all(len(r.code) == 6 and r.code.isdigit() for r in regions)
    assert "[" not in "".join(r.name for r in regions)
