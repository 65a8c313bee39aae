"""Canonical organisation names: Simplified, long forms made short, the plan's place filled in (own texts)."""
from __future__ import annotations

import pytest

from parser.extract.canonical import canonical_name, short_form
from parser.ingest.read import make_document
from parser.model import Plan
from parser.pipeline import Parser


def _plan(region=None, level=None, city=None, province=None) -> Plan:
    return Plan(plan_id="t:p1", title="", span=(0, 0), region=region, admin_level=level, city=city, province=province)


BAOJI = _plan("宝鸡市", "市", "宝鸡市", "陕西省")
COUNTY = _plan("磐安县", "县", "金华市", "浙江省")


@pytest.mark.parametrize("written,short", [
    ("政协宝鸡市委员会", "宝鸡市政协"),
    ("中国人民政治协商会议宝鸡市委员会", "宝鸡市政协"),
    ("政协全国委员会", "全国政协"),
    ("中共宝鸡市委员会", "宝鸡市委"),
    ("中共宝鸡市委", "宝鸡市委"),
    ("宝鸡市人民代表大会常务委员会", "宝鸡市人大常委会"),
    ("宝鸡市第十六届人大常委会", "宝鸡市人大常委会"),
    ("宝鸡市人民政府办公室", "宝鸡市政府办公室"),
    ("中华人民共和国国务院", "国务院"),
    ("寶雞市人民政府", "宝鸡市政府"),                  # Traditional
    ("政协文史委员会", "政协文史委员会"),              # a committee of the CPPCC, not a place's CPPCC
])
def test_long_forms_are_made_short(written, short):
    assert short_form(written) == short


@pytest.mark.parametrize("written,plan,canonical", [
    ("市政协", BAOJI, "宝鸡市政协"),
    ("市政协经济委员会", BAOJI, "宝鸡市政协经济委员会"),
    ("市委", BAOJI, "宝鸡市委"),
    ("省政协", BAOJI, "陕西省政协"),                    # 省 in a city's plan: its province
    ("市体育局", BAOJI, "宝鸡市体育局"),
    ("市政协", COUNTY, "金华市政协"),                   # 市 in a county's plan: the city above it
    ("县委办", COUNTY, "磐安县委办"),
    ("党委", BAOJI, "宝鸡市委"),                        # a bare core body is the plan's own place's
    ("政府", COUNTY, "磐安县政府"),
    ("本级政府", COUNTY, "磐安县政府"),
    ("市场监管局", BAOJI, "市场监管局"),                # 市场 is a word, not 市
    ("市中区政协", BAOJI, "市中区政协"),                # a place of its own
    ("区政协", BAOJI, "区政协"),                        # no district known: left as written
    ("政府", _plan("全国", "全国"), "政府"),            # a national plan has no place to fill in
    ("本级政府", _plan(None, "乡镇"), "政府"),          # no place known: the bare body, one name with 政府
])
def test_the_plan_s_place_is_filled_in_where_the_text_leaves_it_out(written, plan, canonical):
    assert canonical_name(written, plan) == canonical


def test_every_organisation_row_gets_a_canonical_name_and_one_body_one_name():
    text = ("宝鸡市政协2031年工作要点\n一、加强协商\n由市政协办公室牵头，邀请政协宝鸡市委员会各专委会和"
            "中共宝鸡市委统战部参加。5月，市政协组织委员视察，为党委、政府提供参考。")
    doc = Parser().parse(make_document(text, "t.txt"))
    orgs = doc.plans[0].organizations
    assert orgs and all(o.canonical for o in orgs)
    names = {o.text: o.canonical for o in orgs}
    assert names["市政协"] == names["宝鸡市政协"] == names["政协宝鸡市委员会"] == "宝鸡市政协"
    assert names["市政协办公室"] == "宝鸡市政协办公室"
    assert all(text[slice(*o.span)] == o.text for o in orgs)     # the mention keeps its words and span
