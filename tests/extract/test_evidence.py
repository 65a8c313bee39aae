"""Evidence columns: the span each plan value was read from, "inferred", or nothing for a missing value."""
from __future__ import annotations

from parser.ingest.read import make_document
from parser.pipeline import Parser


def _plan(text: str):
    doc = Parser().parse(make_document(text, "t.txt"))
    return doc, doc.plans[0]


def _words(doc, source: str) -> str:
    s, e = map(int, source.split(":"))
    return doc.text[s:e]


def test_values_stated_in_the_title_point_at_the_title():
    doc, p = _plan("磐安县政协2031年工作要点\n一、加强学习\n县政协将于5月组织委员视察，邀请县政府参加。")
    assert (p.year, p.region, p.body) == (2031, "磐安县", "政协")
    assert p.title_span[0] <= int(p.year_source.split(":")[0]) < p.title_span[1]
    assert _words(doc, p.year_source) == "2031年"
    assert _words(doc, p.body_source) == "政协"
    assert _words(doc, p.region_source) == "磐安县"


def test_a_year_in_chinese_numerals_in_the_text_is_found_as_written():
    doc, p = _plan("县政协工作安排\n二〇三一年是关键之年，县政协将认真履职。")
    assert p.year == 2031 and _words(doc, p.year_source) == "二〇三一年"


def test_a_body_given_by_the_plan_s_level_is_inferred():
    _, p = _plan("青禾街道2031年工作计划\n一、抓好项目建设\n全年新建停车场两处。")
    assert (p.body, p.body_source) == ("政府", "inferred")


def test_a_text_that_names_nothing_has_no_values_and_no_sources():
    _, p = _plan("今天天气很好。")
    assert (p.year, p.region, p.body) == (None, None, None)
    assert (p.year_source, p.region_source, p.body_source) == (None, None, None)


def test_values_read_from_a_page_title_outside_the_text_say_title():
    doc = Parser().parse(make_document("2031年，县政协将围绕中心工作履职。\n一、加强学习\n组织委员学习。", "t.html",
                                       page_title="磐安县政协2031年工作要点"))
    p = doc.plans[0]
    assert p.title == "磐安县政协2031年工作要点" and p.title_span is None
    assert (p.region, p.region_source, p.year_source, p.body_source) == ("磐安县", "title", "title", "title")
