"""The pipeline's wiring: mentions only outside page furniture, texts from the original characters."""
from __future__ import annotations

import subprocess
import sys

import pytest

import parser
from parser.errors import ConfigError

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


def test_parser_finds_what_the_spacy_components_find():
    # the Parser calls the components' finders directly; a spaCy pipeline over each plan agrees with it
    from parser.extract.nlp import build_nlp

    doc = parser.parse_text(PAGE, source="page.txt")
    nlp = build_nlp("jieba")
    for plan in doc.plans:
        s, e = plan.span
        sdoc = nlp.make_doc(doc.norm[s:e])
        sdoc._.plan_year = plan.year
        sdoc = nlp(sdoc)
        found = {key: [(m.span[0] + s, m.span[1] + s) for m in sdoc.user_data[f"planparser_{key}"]]
                 for key in ("dates", "organizations")}
        # the Parser leaves out mentions inside page furniture; the components see the plan's whole text
        assert [m.span for m in plan.dates] == [sp for sp in found["dates"] if not any(
            fs <= sp[0] < fe for fs, fe in doc.furniture)]
        assert [m.span for m in plan.organizations] == [sp for sp in found["organizations"] if not any(
            fs <= sp[0] < fe for fs, fe in doc.furniture)]
        assert plan.dates and plan.organizations


def test_components_option_chooses_the_finders_and_names_a_bad_one():
    only_dates = parser.Parser(parser.Options(components=("planparser_dates",))).parse_text(PAGE)
    assert only_dates.plans[0].dates and only_dates.plans[0].organizations == []
    with pytest.raises(ConfigError, match="unknown component 'ner'"):
        parser.Parser(parser.Options(components=("ner",))).parse_text(PAGE)


def test_parsing_a_text_file_imports_neither_pandas_nor_spacy_nor_bs4(tmp_path):
    # start-up time: the libraries that tables, the spaCy pipeline and HTML need load only when used
    (tmp_path / "plan.txt").write_text(PAGE, encoding="utf-8")
    code = ("import sys, parser; parser.parse_file(sys.argv[1]); "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'spacy', 'bs4') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "plan.txt")], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
