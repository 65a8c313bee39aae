"""The pipeline's wiring: mentions only outside page furniture, texts from the original characters."""
from __future__ import annotations

import parser

PAGE = """当前位置：首页 >> 工作计划 >> 政协工作
某镇政协联络组2024年工作计划
发布时间：2024-01-05 09:30:00  来源：镇政协联络组
一、加强學習
3月中旬，鎮政协联络组组织委员集中学习。
二、开展视察
6月，组织委员视察集镇污水管网建设。
"""


def test_no_mention_inside_furniture_and_texts_as_written():
    doc = parser.parse_text(PAGE, source="page.txt")
    assert len(doc.plans) == 1
    plan = doc.plans[0]
    furniture = [doc.text[s:e] for s, e in doc.furniture]
    assert any("发布时间" in f for f in furniture)
    texts = [d.text for d in plan.dates]
    assert "3月中旬" in texts and "6月" in texts
    assert not any("2024-01-05" in t for t in texts)
    for m in [*plan.dates, *plan.organizations]:
        assert doc.text[m.span[0]:m.span[1]] == m.text
    # Traditional characters stay as written in the mention text
    assert any(o.text.startswith("鎮政协") for o in plan.organizations)


def test_structure_only_options_skip_extraction():
    doc = parser.Parser(parser.Options(extract=False)).parse_text(PAGE)
    assert doc.plans and doc.plans[0].sections
    assert doc.plans[0].dates == [] and doc.plans[0].organizations == []
