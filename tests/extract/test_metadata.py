"""Plan metadata: year, region with admin level, body (own short texts, not real documents)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from parser.extract.gazetteer import find_places, level_of
from parser.extract.metadata import describe_plan, plan_year
from parser.model import Plan
from parser.ingest.normalize import normalize
from parser.ingest.read import make_document


def described(text: str, title_line: bool = True) -> Plan:
    """A one-plan document whose first line is the plan's title (or which has no title)."""
    doc = make_document(text, "t.txt")
    first = text.split("\n", 1)[0]
    plan = Plan(plan_id="t:p1", title=first if title_line else "", span=(0, len(text)),
                title_span=(0, len(first)) if title_line else None)
    doc.plans = [plan]
    describe_plan(doc, plan)
    return plan


# ------------------------------------------------------------------ year

def test_title_year_wins_over_upload_date():
    p = described("青禾县政协2021年工作要点\n上传日期:2024-08-19 10:11:12\n今年县政协工作的总体要求是团结奋进。")
    assert p.year == 2021


def test_upload_date_line_is_not_a_year():
    p = described("乡镇政协工作计划\n时间:2023-05-06 08:00:00\n一、加强学习\n组织委员学习。", title_line=True)
    assert p.year is None


def test_body_year_before_plan_word():
    text = "关于县政协工作的通报\n现就县政协2019年主要工作及2020年工作安排通报如下。\n2019年,县政协认真履职。"
    assert described(text).year == 2020


def test_body_year_is_this_is_the_year():
    assert described("镇人大工作计划\n2015年是发展的关键一年,镇人大将认真履职。").year == 2015


@pytest.mark.parametrize("masked", ["20--年", "201x年", "20XX年", "xxxx年"])
def test_masked_year_is_null(masked):
    assert described(f"街道工作计划\n{masked}是关键之年,街道将扎实推进各项工作。").year is None


def test_masked_body_takes_the_title_year():
    assert described("政协2023年工作计划\n20xx年度政协工作的总体思路是团结民主。").year == 2023


def test_document_title_gives_year_to_a_plan_without_one():
    text = "清河县政协2022年工作要点(3000字)\n县政协工作要点\n一、加强学习\n20xx年要加强学习。"
    doc = make_document(text, "t.txt")
    s = len(text.split("\n")[0]) + 1
    plan = Plan(plan_id="t:p1", title="县政协工作要点", span=(s, len(text)), title_span=(s, s + 7))
    doc.plans = [plan]
    assert plan_year(doc, plan) == 2022


# ------------------------------------------------------------------ region and level

def test_gazetteer_levels():
    assert level_of("洛阳市") == "市"
    assert level_of("磐安县") == "县"
    assert level_of("福建省") == "省"
    assert level_of("北京市") == "市"          # a municipality is written 市
    assert level_of("义乌市") == "市"          # a county-level city is 市
    assert level_of("兴华镇") == "乡镇"        # generic township pattern
    assert level_of("桂澜街道") == "街道"


def test_region_from_place_before_body():
    p = described("为做好本年度协商工作,雨花区政协制定计划如下。\n一、组织政协委员学习", title_line=False)
    assert (p.region, p.admin_level, p.body) == ("雨花区", "区", "政协")


def test_region_and_level_from_gazetteer():
    p = described("宝鸡市政协2023年协商计划\n市政协将围绕全市中心工作开展协商。")
    assert p.region == "宝鸡市"
    assert p.admin_level == "市"
    assert p.body == "政协"


def test_short_city_name_gets_its_suffix():
    p = described("市政协协商工作计划\n围绕建设美丽洛阳,市政协将组织委员开展协商。")
    assert p.region == "洛阳市"
    assert p.admin_level == "市"


def test_township_pattern_and_superior_guidance():
    text = ("乡年度政协工作计划\n2016年柳溪乡政协工委在乡党委领导、县政协的精心指导下开展工作,"
            "全乡政协委员积极履职,按时上报县政协。")
    p = described(text)
    assert p.region == "柳溪乡"
    assert p.admin_level == "乡镇"
    assert p.body == "政协"
    assert p.year == 2016


def test_street_named_in_title_is_the_office_plan():
    p = described("青州市北湖区桂林街道2024年工作计划\n街道将推进重点项目建设,做好民生工作。")
    assert p.region == "桂林街道"
    assert p.admin_level == "街道"
    assert p.body == "政府"


def test_level_without_a_place_name():
    p = described("县政协2020年工作要点\n今年县政协工作的总体要求是:围绕县委中心工作。")
    assert p.region is None
    assert p.admin_level == "县"


def test_higher_place_is_not_a_street_plan_region():
    p = described("街道2023年工作规划\n全街道上下要抓住临沂科创城建设的机遇,推动街道发展。")
    assert p.admin_level == "街道"
    assert p.region is None


def test_national_bodies():
    p = described("全国政协常委会工作要点摘要\n全国政协将围绕大局开展协商。")
    assert (p.region, p.admin_level, p.body) == ("全国", "全国", "政协")
    p = described("政府工作报告(摘要)\n我代表国务院向大会报告政府工作,2018年政府工作的总体部署如下。")
    assert (p.region, p.admin_level, p.body, p.year) == ("全国", "全国", "政府", 2018)


def test_places_are_not_verbs():
    norm = normalize("要结合镇党委的中心工作,围绕街道党工委部署,提高县委理论学习质量")
    assert find_places(norm, body_words=("党委", "党工委", "县委")) == []


# ------------------------------------------------------------------ body

@pytest.mark.parametrize("title,body", [
    ("清河县人大常委会2022年工作要点", "人大"),
    ("金沙镇人民政府2025年重点工作安排", "政府"),
    ("中共青河县委理论学习中心组2020年学习计划", "党委"),
    ("青龙镇文化站年度工作计划", "文化站"),
    ("韶南市妇联2020年工作计划", "其他"),
    ("市委、市政府、市政协2021年协商工作计划", "政协"),
])
def test_body_from_title(title, body):
    assert described(f"{title}\n一、工作安排\n组织开展各项工作。").body == body


def test_collection_title_yields_to_the_text():
    text = ("乡镇政协工作计划篇二\n20--年文化站工作在镇党委的领导下开展,为搞好文化站工作制订计划:"
            "文化站将组织文艺演出。")
    assert described(text).body == "文化站"


def test_self_reference_names_a_bureau():
    text = ("政协工作计划 篇1\n为确保我局建议提案办理工作有序进行,我局承办人大代表建议和政协提案共12件,"
            "市政府要求按时办结。")
    assert described(text).body == "政府"


def test_objects_of_oversight_do_not_make_a_government_plan():
    text = ("根据监督法的规定,常委会年度监督工作安排如下。\n听取和审议市人民政府关于教育工作的报告。"
            "听取和审议市人民政府关于医疗工作的报告。听取和审议市人民政府关于环保工作的报告。")
    assert described(text, title_line=False).body == "人大"


def test_traditional_input():
    p = described("湘潭市雨湖區政協2024年工作計劃\n區政協將圍繞中心工作開展協商。")
    assert p.region == "雨湖區"            # as written
    assert (p.admin_level, p.body, p.year) == ("区", "政协", 2024)


def test_dev_gold_metadata_accuracy(shared):
    """On the gold structure of the dev set, metadata stays above the agreed floors."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from eval_gold_structure import gold_document, norm_region

    ok = {"year": 0, "region": 0, "body": 0}
    n = 0
    for gp in sorted((shared / "eval" / "dev").glob("*.json")):
        gold = json.loads(gp.read_text(encoding="utf-8"))
        doc = gold_document(gold, gp.stem)
        for plan, g in zip(doc.plans, gold["plans"]):
            describe_plan(doc, plan)
            n += 1
            ok["year"] += plan.year == g["year"]
            ok["region"] += norm_region(plan.region) == norm_region(g["region"])
            ok["body"] += plan.body == g["body"]
    assert n > 0
    assert all(v / n >= 0.8 for v in ok.values()), ok


def test_bureau_and_community_titles():
    p = described("永嘉县教育局2023年工作计划\n县教育局将推进教育优质均衡发展。")
    assert (p.region, p.admin_level, p.body) == ("永嘉县", "县", "政府")
    p = described("青山社区2023年工作计划\n社区居委会将做好为民服务。")
    assert (p.region, p.admin_level, p.body) == ("青山社区", "社区", "其他")


def test_chinese_numeral_year_and_page_heading_year():
    assert described("镇政府工作安排\n(二〇二二年三月五日镇党政联席会议通过)\n今年全镇将推进重点项目。").year == 2022
    text = "网站首页 > 范文 > 计划\n2024年社区工作计划范文(精选3篇)\n社区工作计划篇一\n20xx年社区将做好服务。"
    doc = make_document(text, "t.txt")
    s = text.index("社区工作计划篇一")
    plan = Plan(plan_id="t:p1", title="社区工作计划篇一", span=(s, len(text)), title_span=(s, s + 8))
    doc.plans = [plan]
    assert plan_year(doc, plan) == 2024


# ------------------------------------------------------------------ classes added for unseen documents

def test_this_year_in_a_report_is_the_year_it_was_delivered():
    text = ("政府工作报告\n——2031年2月3日在某某市第八届人民代表大会第二次会议上\n各位代表：\n"
            "一、2030年工作回顾\n2030年是极不平凡的一年，全市经济稳中有进。\n"
            "二、今年工作安排\n今年经济社会发展的主要预期目标是：地区生产总值增长6%。今年要重点抓好以下工作。")
    assert described(text).year == 2031


def test_listed_superiors_do_not_set_the_level():
    text = ("政协工作计划\n深入贯彻落实省委、市委全会精神，打造全省增长极。"
            "市政协将围绕中心开展协商，我市经济社会发展中的难点问题是重点。")
    p = described(text)
    assert p.admin_level == "市"


def test_development_zone_is_district_level():
    p = described("青禾高新区2031年工作要点\n一、抓项目建设\n全区新开工项目二十个。")
    assert p.admin_level == "区"


def test_a_quality_of_a_place_is_not_its_name():
    p = described("社区平安建设工作计划\n今年我社区将继续创建平安社区、文明社区，开展邻里守望活动。")
    assert p.region is None and p.admin_level == "社区"


def test_unlisted_township_before_its_cultural_station():
    p = described("乡镇综合文化站2031年工作计划\n今年，青禾岭镇综合文化站将在镇党委的领导下开展文化活动。")
    assert p.region == "青禾岭镇" and p.body == "文化站"


def test_village_committee_election_plan_of_a_town_is_the_government_s():
    text = ("青禾镇村(居)民委员会换届选举工作实施方案\n全镇各村民委员会、居民委员会任期届满，"
            "依法进行换届选举。一、指导思想\n保障村民委员会选举依法进行。")
    assert described(text).body == "政府"


@pytest.mark.parametrize("text", ["青禾市2031年教育工作意见\n一、办好学前教育\n新建幼儿园五所。", "今天天气很好。"])
def test_a_plan_naming_no_body_has_none(text):
    assert described(text).body is None       # GUIDE.md allows null: no default body is made up


def test_a_street_plan_naming_no_body_is_its_office_s_by_inference():
    p = described("青禾街道2031年工作计划\n一、抓好项目建设\n全年新建停车场两处。")
    assert (p.body, p.body_source) == ("政府", "inferred")


def test_year_right_after_a_glued_index():
    doc = make_document("乡镇政府工作报告篇一2031年是全面发力的一年，全镇要抓好项目建设。\n一、总体要求", "t.txt")
    plan = Plan(plan_id="t:p1", title="乡镇政府工作报告篇一", span=(0, len(doc.text)), title_span=(0, 10))
    doc.plans = [plan]
    describe_plan(doc, plan)
    assert plan.year == 2031


def test_two_character_county_after_a_conjunction_is_not_a_place():
    n = normalize("会议传达了市委全会和县委书记的讲话。")
    assert [p.name for p in find_places(n, 0, len(n), ("委", "县委"))] == []


def test_a_plan_naming_its_own_place_outweighs_the_bodies_it_reports_to():
    text = ("根据区委、区政府工作安排，现向区委、区政府报告我镇2031年度工作计划。\n"
            "一、深化基层党建引领\n抓好党建工作，推进党建示范点建设，党建责任落实到村。")
    p = described(text, title_line=False)
    assert p.admin_level == "乡镇" and p.body == "政府"
