"""The metadata models: candidates and their features on sentences written here, and the decisions of
the trained models (parser/data/models/metadata.json) on plans of kinds the issue names."""
from __future__ import annotations

import pytest

import parser
from parser.extract import metadata_model
from parser.extract.metadata_features import context, level_counts, region_candidates, year_candidates
from parser.ingest.read import make_document
from parser.model import Plan


def _plan(text: str, title_line: bool = True):
    doc = make_document(text, "t")
    first = text.split("\n")[0]
    plan = Plan("t:p1", first if title_line else "", (0, len(text)), (0, len(first)) if title_line else None)
    return doc, plan


def test_a_target_year_and_a_date_line_are_told_apart():
    doc, plan = _plan("政府工作报告\n——2031年1月18日在某市第九届人民代表大会第五次会议上\n"
                      "一、今年的主要任务\n到2035年基本实现现代化。\n")
    cands = {c.value: c.feats for c in year_candidates(doc, plan, context(doc, plan), None, None)}
    assert "first_line_date" in cands[2031] and "text_target" in cands[2035]
    assert "none" in cands[None]


def test_a_title_year_and_a_range_in_the_title():
    doc, plan = _plan("某县实施乡村振兴三年行动方案(2031—2033年)\n一、目标\n")
    cands = {c.value: c.feats for c in year_candidates(doc, plan, context(doc, plan), None, None)}
    assert cands[2031]["title_range_start"] == 1.0 and cands[2033]["title_range_end"] == 1.0


def test_places_are_candidates_as_written_with_their_level():
    doc, plan = _plan("湘西州妇联2031年工作要点\n一、总体要求\n全州妇联组织要围绕中心。\n")
    cands = region_candidates(doc, plan, context(doc, plan), None, None)
    first = cands[0]
    assert (first.value, first.level) == ("湘西州", "市") and "title_org" in first.feats
    assert cands[-1].value is None


def test_an_autonomous_region_is_province_level():
    doc, plan = _plan("宁夏回族自治区2031年政府工作要点\n一、总体要求\n")
    cands = region_candidates(doc, plan, context(doc, plan), None, None)
    assert (cands[0].value, cands[0].level) == ("宁夏回族自治区", "省")


def test_a_place_the_table_misses_at_the_start_of_a_title():
    doc, plan = _plan("石桥铺街道2031年工作计划\n一、重点工作\n")
    values = [c.value for c in region_candidates(doc, plan, context(doc, plan), None, None)]
    assert "石桥铺街道" in values


def test_a_county_named_by_its_short_name_is_a_candidate():
    doc, plan = _plan("人大常委会2031年工作要点\n一、总体要求\n为建设美丽紫阳贡献力量,推动紫阳高质量发展。\n")
    cands = {c.value: c for c in region_candidates(doc, plan, context(doc, plan), None, None)}
    assert cands["紫阳县"].level == "县" and cands["紫阳县"].feats["src_short_county"] == 1.0
    assert cands["紫阳县"].feats["short_text"] > 0


def test_a_short_name_that_goes_on_into_another_name_is_not_the_county():
    from parser.extract.gazetteer import county_short_places

    assert county_short_places("沿紫阳路步行到紫阳镇") == []
    assert [p.name for p in county_short_places("幸福紫阳")] == ["紫阳县"]


def test_places_broken_by_pinyin_glosses_are_candidates():
    doc, plan = _plan("工作方案\n一、主要活动\n由城区(qū)残联(lián)牵头,在北辛街(jiē)道办事处开展活动。\n")
    cands = {c.value: c for c in region_candidates(doc, plan, context(doc, plan), None, None)}
    assert "北辛街道" in cands
    s, e = cands["北辛街道"].span
    assert doc.norm[s:e] == "北辛街(jiē)道"


def test_a_national_department_makes_the_candidate_all_china():
    doc, plan = _plan("2031年工作要点\n各省、自治区、直辖市民政厅:\n民政部将围绕中心工作。\n")
    cands = {c.value: c.feats for c in region_candidates(doc, plan, context(doc, plan), None, None)}
    assert cands["全国"]["national_body_text"] > 0 and cands["全国"]["national_addressed"] > 0


def test_a_street_office_written_without_dao_is_a_street_candidate():
    doc, plan = _plan("视察通知\n各位代表:\n经研究,石桥街工作室定于下月组织视察。\n")
    cands = {c.value: c for c in region_candidates(doc, plan, context(doc, plan), None, None)}
    assert cands["石桥街"].level == "街道"


def test_a_place_read_loosely_and_from_the_table_is_one_candidate():
    doc, plan = _plan("人大工作计划\n下陆区人大常委会\n一、总体要求\n")
    values = [c.value for c in region_candidates(doc, plan, context(doc, plan), None, None)]
    assert values.count("下陆区") == 1


def test_a_township_of_the_township_table_is_a_candidate_without_a_body_word():
    from parser.extract.gazetteer import township_places

    assert [(p.name, p.level) for p in township_places("要抓住水南镇的机遇")] == [("水南镇", "乡镇")]
    doc, plan = _plan("文化站工作计划\n一、主要任务\n要抓住水南镇的机遇,办好群众文化活动。\n")
    cands = {c.value: c for c in region_candidates(doc, plan, context(doc, plan), None, None)}
    assert cands["水南镇"].feats["src_township"] == 1.0 and cands["水南镇"].level == "乡镇"


def test_level_counts_read_self_references_and_bodies():
    counts = level_counts("我县将协助县政协开展视察，全县上下。", 0, 19)
    assert counts["self_县"] == 2 and counts["org_县"] == 1


needs_model = pytest.mark.skipif(metadata_model.load() is None, reason="no trained metadata model")


@needs_model
@pytest.mark.parametrize("text, want", [
    ("政府工作报告\n——2031年1月18日在宁夏回族自治区第十三届人民代表大会第五次会议上\n各位代表：\n"
     "现在，我代表自治区人民政府，向大会报告工作，请予审议。\n一、2030年工作回顾\n过去一年，全区经济稳中有进。\n"
     "二、2031年工作安排\n今年是开局之年。到2035年基本实现现代化。\n",
     (2031, "宁夏回族自治区", "省", "政府")),
    ("政府工作报告\n——2031年3月5日在第十六届全国人民代表大会第二次会议上\n各位代表：\n"
     "现在，我代表国务院，向大会报告政府工作。\n一、2030年工作回顾\n二、2031年政府工作任务\n到2035年，远景目标。\n",
     (2031, "全国", "全国", "政府")),
    ("桂溪街道2031年工作要点\n一、总体要求\n街道党工委、办事处围绕中心工作。\n二、重点任务\n（一）社区治理。\n",
     (2031, "桂溪街道", "街道", "政府")),
])
def test_reports_and_plans_get_what_a_reader_gives_them(text, want):
    plan = parser.parse_text(text).plans[0]
    assert (plan.year, plan.region, plan.admin_level, plan.body) == want


@needs_model
def test_a_text_that_names_no_body_gets_none():
    plan = parser.parse_text("今天天气很好。\n").plans[0]
    assert (plan.year, plan.region, plan.body) == (None, None, None)


def test_without_a_model_the_rules_decide(monkeypatch, tmp_path):
    from parser import models

    monkeypatch.setenv(models.ENV, str(tmp_path))
    doc, plan = _plan("某县政协2031年工作要点\n一、总体要求\n")
    metadata_model.describe_plan(doc, plan)
    assert plan.year == 2031 and plan.body == "政协"
