"""Canonical places: Simplified region, province, city and division code from the gazetteer's table
(own short texts, not real documents)."""
from __future__ import annotations

import pytest

from parser.extract.places import canonical_place, divisions
from parser.ingest.read import make_document
from parser.pipeline import Parser


@pytest.mark.parametrize("written,want", [
    ("雨湖區", ("雨湖区", "湖南省", "湘潭市", "430302")),          # Traditional → Simplified, then looked up
    ("全國", ("全国", None, None, None)),                          # national: no province, city or code
    ("宝鸡市", ("宝鸡市", "陕西省", "宝鸡市", "610300")),           # a city is its own city
    ("磐安县", ("磐安县", "浙江省", "金华市", "330727")),
    ("内蒙古自治区", ("内蒙古自治区", "内蒙古自治区", None, "150000")),  # an autonomous region is province-level
    ("海淀区", ("海淀区", "北京市", "北京市", "110108")),            # a municipality is province and city
    ("仙桃市", ("仙桃市", "湖北省", "仙桃市", "429004")),            # directly under its province
    ("宝鸡", ("宝鸡", "陕西省", "宝鸡市", "610300")),                # written without its suffix
])
def test_a_place_resolves_to_its_province_city_and_code(written, want):
    p = canonical_place(written)
    assert (p.region, p.province, p.city, p.code) == want


def test_a_name_several_divisions_share_is_told_apart_by_the_places_written_with_it_or_left_missing():
    assert len(divisions()["鼓楼区"]) > 1
    alone = canonical_place("鼓楼区")
    assert (alone.region, alone.province, alone.city, alone.code) == ("鼓楼区", None, None, None)   # never a guess
    near = canonical_place("鼓楼区", ["福州市"])
    assert (near.province, near.city, near.code) == ("福建省", "福州市", "350102")


def test_a_township_takes_province_and_city_from_the_chain_written_before_it_and_has_no_code():
    p = canonical_place("青禾镇", ["荆州市", "荆州区"])
    assert (p.province, p.city, p.code) == ("湖北省", "荆州市", None)
    lone = canonical_place("青禾镇")
    assert (lone.province, lone.city, lone.code) == (None, None, None)
    torn = canonical_place("青禾镇", ["荆州市", "宝鸡市"])       # two places on no one chain: nothing is certain
    assert (torn.province, torn.city) == (None, None)


def test_no_place_is_missing_everywhere():
    p = canonical_place(None)
    assert (p.region, p.province, p.city, p.code) == (None, None, None, None)


def test_every_table_code_is_six_digits_and_names_one_division():
    codes = [d.code for ds in divisions().values() for d in ds if d.code]
    assert len(codes) > 3000 and all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) == len(set(codes))


def _plan(text: str):
    doc = Parser().parse(make_document(text, "t.txt"))
    return doc, doc.plans[0]


def test_a_traditional_plan_gets_its_region_in_simplified_and_as_written_with_the_span_it_came_from():
    doc, p = _plan("湘潭市雨湖區政協2031年工作要點\n一、加強學習\n組織委員學習。")
    assert (p.region, p.region_as_written, p.province, p.city, p.region_code) == \
        ("雨湖区", "雨湖區", "湖南省", "湘潭市", "430302")
    s, e = map(int, p.region_source.split(":"))
    assert doc.text[s:e] == "雨湖區"


def test_a_district_two_cities_have_is_resolved_by_the_city_written_before_it():
    _, p = _plan("福州市鼓楼区政协2031年协商计划\n一、专题协商\n5月组织委员视察。")
    assert (p.region, p.city, p.region_code) == ("鼓楼区", "福州市", "350102")


def test_a_plan_without_a_place_has_no_place_columns():
    _, p = _plan("今天天气很好。")
    assert (p.region, p.region_as_written, p.province, p.city, p.region_code, p.region_source) == (None,) * 6
