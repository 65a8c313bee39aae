"""The heading tree: marker styles, levels, titles, sequence checks, field lines, unnumbered headings."""
from __future__ import annotations

from parser.structure.fields import cn_number, match_marker
from parser.ingest.normalize import normalize
from parser.pipeline import Options, Parser
from parser.ingest.read import make_document

import pytest

# the rules alone (the line model's features and fallback; its own tests: test_outline.py)
pytestmark = pytest.mark.usefixtures("rules_only")


def tree(lines: list[str]):
    doc = make_document("\n".join(lines), "t.txt", doc_id="t")
    Parser(Options(extract=False)).structure(doc)
    return doc, [s for p in doc.plans for s in p.sections]


def heads(lines: list[str]) -> list[tuple[int, int, str, str]]:
    """(line, level, marker, title) of every heading."""
    doc, secs = tree(lines)
    return [(doc.text.count("\n", 0, s.heading_span[0]), s.level, s.marker, s.title) for s in secs]


def test_cn_numbers():
    assert [cn_number(x) for x in ["一", "十", "十二", "二十三", "一百零五", "7", "⑤"]] == [1, 10, 12, 23, 105, 7, 5]


def test_marker_styles_and_numbers():
    cases = {"一、总体要求": ("cn_dun", 1), "（三）加强学习": ("paren_cn", 3), "12．做好宣传": ("arabic_dot", 12),
             "4、抓好落实": ("arabic_dun", 4), "(2)开展调研": ("paren_arabic", 2), "⑤组织培训": ("circled", 5),
             "第十二条 本办法自公布之日起施行": ("article", 12), "第三章 监督": ("chapter", 3),
             "第二部分 主要任务": ("part", 2), "第一节 目标": ("jie", 1), "2.3.1 政策支撑": ("dotted3", 1),
             "3.2 实施路径": ("dotted2", 2)}
    for line, (style, number) in cases.items():
        mk = match_marker(normalize(line))
        assert (mk.style, mk.number) == (style, number), line
    for line in ["2019年是关键一年", "5月中旬召开会议", "3.5万元用于修缮", "一是加强学习", "第一，要提高认识", "首先要统一思想"]:
        mk = match_marker(normalize(line))
        assert mk is None or mk.style.startswith("dotted"), line


def test_levels_follow_the_order_styles_appear():
    got = heads(["镇政协2024年工作计划", "一、加强学习", "（一）集中学习", "1.每月一次", "（1）读原著", "①写体会",
                 "（二）专题研讨", "二、开展调研", "1.调研产业"])
    assert [(ln, lv, mk) for ln, lv, mk, _ in got] == [
        (1, 1, "一、"), (2, 2, "（一）"), (3, 3, "1."), (4, 4, "（1）"), (5, 5, "①"), (6, 2, "（二）"),
        (7, 1, "二、"), (8, 3, "1.")]        # 1. keeps the level of its first appearance


def test_a_style_met_first_below_another_goes_under_it_later():
    got = heads(["工作计划", "一、学习", "1.读书", "二、调研", "（一）走访", "1.座谈"])
    assert [(lv, mk) for _, lv, mk, _ in got] == [(1, "一、"), (2, "1."), (1, "二、"), (2, "（一）"), (3, "1.")]


def test_parent_ids_numbers_ids_and_body_spans():
    doc, secs = tree(["区人大工作要点", "一、监督工作", "听取报告。", "（一）预算监督", "审查预算。", "二、代表工作"])
    assert [s.section_id for s in secs] == ["t:p1:s1", "t:p1:s2", "t:p1:s3"]
    assert [s.parent_id for s in secs] == [None, "t:p1:s1", None]
    assert [s.number for s in secs] == [1, 1, 2]
    assert [s.style for s in secs] == ["cn_dun", "paren_cn", "cn_dun"]
    assert doc.text[secs[0].body_span[0]:secs[0].body_span[1]] == "\n听取报告。\n"
    assert doc.text[secs[0].heading_span[0]:secs[0].heading_span[1]] == "一、监督工作"
    assert doc.text[secs[1].title_span[0]:secs[1].title_span[1]] == "预算监督"


def test_title_rule():
    got = heads(["某某计划", "一、强化学习。组织委员集中学习，每月一次。", "二、工作要求：", "三、做好宣传工作。",
                 "四、联系群众,服务基层；", "  五、 保障措施"])
    assert [t for *_, t in got] == ["强化学习", "工作要求", "做好宣传工作", "联系群众,服务基层", "保障措施"]
    assert got[-1][2] == "五、"


def test_numbers_inside_sentences_are_not_headings():
    got = heads(["社区工作计划", "一、总体目标", "2019年以来，社区持续推进各项工作。", "5月中旬，召开居民大会。",
                 "1.建好议事厅", "2.办好讲座", "5.这一行跳过了编号，不是标题", "3.5万元用于修缮活动室。",
                 "一是加强领导，二是压实责任。", "第一，提高认识。", "首先，统一思想。", "——以党建为引领，凝聚合力。"])
    assert [(ln, mk) for ln, _, mk, _ in got] == [(1, "一、"), (4, "1."), (5, "2.")]


def test_field_lines_are_fields_not_headings():
    doc, secs = tree(["协商计划", "一、协商议题", "（一）养老服务", "协商内容：围绕居家养老开展协商", "时间安排：6月",
                      "牵头单位：区政协社法委", "1.时间：9月10日"])
    assert [s.marker for s in secs] == ["一、", "（一）", "1."]
    f = secs[1].fields
    assert [x.name for x in f] == ["协商内容", "时间安排", "牵头单位"]
    assert f[1].value == "6月" and doc.text[f[1].value_span[0]:f[1].value_span[1]] == "6月"
    assert secs[2].title == "时间：9月10日" and secs[2].fields[0].name == "时间"


def test_unnumbered_topic_line_over_field_lines():
    got = heads(["市政协协商计划", "一、协商安排", "（一）全体会议协商", "提升营商环境，推动民营经济发展",
                 "协商内容：围绕营商环境开展协商。", "参加人员：有关部门负责同志", "（二）常委会协商",
                 "1.加快数字乡村建设", "协商内容：围绕数字乡村开展协商。"])
    assert got == [(1, 1, "一、", "协商安排"), (2, 2, "（一）", "全体会议协商"),
                   (3, 3, "", "提升营商环境，推动民营经济发展"), (6, 2, "（二）", "常委会协商"),
                   (7, 3, "1.", "加快数字乡村建设")]


def test_label_over_a_restarted_list():
    got = heads(["文化站工作计划", "一、办好节日活动", "二、保护文物", "发展展望：", "一、建设文化广场", "二、培育演出队"])
    assert got[2:] == [(3, 1, "", "发展展望"), (4, 2, "一、", "建设文化广场"), (5, 2, "二、", "培育演出队")]


def test_lead_in_lines_are_not_headings():
    got = heads(["分工方案", "一、主要内容", "主要任务分别是：", "1.稳增长", "2.促改革", "具体安排如下：", "3.惠民生"])
    assert [mk for _, _, mk, _ in got] == ["一、", "1.", "2.", "3."]


def test_known_section_name_on_its_own_line():
    got = heads(["乡政协工作计划", "指导思想", "以科学理论为指导，围绕中心服务大局。", "主要任务", "一、加强学习"])
    assert [(ln, lv, mk) for ln, lv, mk, _ in got] == [(1, 1, ""), (3, 1, ""), (4, 2, "一、")]
    got = heads(["区政府工作报告", "2023年工作回顾", "过去一年，全区经济稳中有进。", "2024年工作安排：", "一、稳增长"])
    assert [(ln, lv, mk, t) for ln, lv, mk, t in got] == [(1, 1, "", "2023年工作回顾"), (3, 1, "", "2024年工作安排"),
                                                         (4, 2, "一、", "稳增长")]


def test_sequence_may_jump_after_hidden_content():
    got = heads(["乡政协工作计划", "一、开展活动", "1.组织学习", "2.开展调研", "3.撰写提案", "隐藏内容", "此处内容需要权限查看",
                 "会员免费查看", "2.健全制度", "3.遵纪守法"])
    assert [(ln, lv, mk) for ln, lv, mk, _ in got][-2:] == [(8, 2, "2."), (9, 2, "3.")]


def test_first_heading_may_start_above_one():
    got = heads(["联络办公室工作计划1", "（二）做好社情民意工作。畅通渠道。", "（三）联系委员。"])
    assert [(lv, mk) for _, lv, mk, _ in got] == [(1, "（二）"), (1, "（三）")]


def test_dotted_numbers_under_a_heading_glued_to_the_title():
    got = heads(["街道实施方案参考一、现状分析", "1.1区域背景", "1.1.1政策环境", "1.1.2发展定位", "1.2现状评估",
                 "二、工作目标", "2.1总体目标"])
    assert got == [(1, 2, "1.1", "区域背景"), (2, 3, "1.1.1", "政策环境"), (3, 3, "1.1.2", "发展定位"),
                   (4, 2, "1.2", "现状评估"), (5, 1, "二、", "工作目标"), (6, 2, "2.1", "总体目标")]


def test_chapters_and_articles():
    got = heads(["委员履职办法", "第一章 总则", "第一条 为规范履职，制定本办法。", "第二条 本办法适用于全体委员。",
                 "第二章 履职", "第三条 委员应当参加会议。"])
    assert [(lv, mk) for _, lv, mk, _ in got] == [(1, "第一章"), (2, "第一条"), (2, "第二条"), (1, "第二章"), (2, "第三条")]
    assert got[1][3] == "为规范履职，制定本办法"


def test_list_inside_a_field_value_is_not_headings():
    got = heads(["协商计划", "一、协商议题", "（一）全会协商", "主要内容：1. 围绕报告建言", "2. 围绕发展协商",
                 "（二）常委会协商", "1. 降低企业成本"])
    assert [(ln, mk) for ln, _, mk, _ in got] == [(1, "一、"), (2, "（一）"), (5, "（二）"), (6, "1.")]


def test_repeated_title_and_notice_lines_are_not_headings():
    got = heads(["镇人大工作计划", "来源：某网", "今年镇人大将依法履职。", "镇人大工作计划", "一、开好代表大会"])
    assert [ln for ln, *_ in got] == [4]


def test_one_list_typed_two_ways_continues():
    got = heads(["工作计划", "一、学习", "1.读原著", "2、写笔记", "3.交流"])
    assert [(lv, mk) for _, lv, mk, _ in got] == [(1, "一、"), (2, "1."), (2, "2、"), (2, "3.")]


def test_holiday_dates_are_not_dotted_headings():
    got = heads(["文化站工作计划", "一、节日活动", "开展群众文艺演出。", "5.1劳动节举办职工歌咏比赛。", "10.1国庆期间举办摄影展。"])
    assert [mk for _, _, mk, _ in got] == ["一、"]


def test_dotted_numbers_may_open_a_plan():
    got = heads(["实施方案", "1.1 背景", "1.2 目标", "2.1 任务"])
    assert [(lv, mk) for _, lv, mk, _ in got] == [(1, "1.1"), (1, "1.2"), (1, "2.1")]


# ------------------------------------------------------------------ classes added for unseen documents

P = "这是一段足够长的正文，用来说明本节要做的工作和要达到的目标，并不是标题。"


def test_marker_alone_on_its_line_is_a_heading_with_an_empty_title():
    got = heads(["街道2031年工作计划", "一、", "稳中求进，推动经济质效提升", P, "（一）做大增量", P])
    assert got[:2] == [(1, 1, "一、", ""), (4, 2, "（一）", "做大增量")]


def test_label_over_a_first_list_heads_it():
    got = heads(["社区2031年工作计划", "低保工作：", "1、成立低保评议小组。", "2、定期入户走访。"])
    assert [(ln, lv, mk) for ln, lv, mk, _ in got] == [(1, 1, ""), (2, 2, "1、"), (3, 2, "2、")]


def test_later_section_name_is_a_sibling_of_the_first():
    got = heads(["区政协工作报告", "2030年工作回顾", "一、加强党的建设", P, "二、助推发展", P,
                 "2031年主要任务", "一、深入学习", P, "二、助力现代化建设", P])
    assert [(ln, lv) for ln, lv, _, _ in got] == [(1, 1), (2, 2), (4, 2), (6, 1), (7, 2), (9, 2)]


def test_a_list_may_skip_a_lost_item():
    got = heads(["文化站工作计划", "1、争取上级补助，建好综合文化站。", P, "3、加强文化队伍建设。", P, "4、办好节日活动。"])
    assert [mk for _, _, mk, _ in got] == ["1、", "3、", "4、"]


def test_first_item_inside_the_heading_line_opens_the_list():
    got = heads(["社区文体活动安排", "一、5月开展少儿活动", "二、9月开展文化周活动：1、健身操比赛", "2、乒乓球比赛", "3、书画展"])
    assert [(lv, mk) for _, lv, mk, _ in got] == [(1, "一、"), (1, "二、"), (2, "2、"), (2, "3、")]


def test_short_lead_sentences_over_their_paragraphs():
    got = heads(["街道工作计划", "（一）做大增量", P, "着力发展在线经济。", P, "合力引入招商资源。", P])
    assert [(ln, lv, title) for ln, lv, _, title in got] == [(1, 1, "做大增量"), (3, 2, "着力发展在线经济"),
                                                          (5, 2, "合力引入招商资源")]


def test_part_titles_over_lists_that_start_again():
    got = heads(["政府工作报告", P, "一、改革城市经济", P, "二、办好经济特区", P, "关于外交工作", P, "一、维护世界和平", P,
                 "二、坚持和平共处", P])
    assert [(ln, lv, mk) for ln, lv, mk, _ in got] == [(2, 1, "一、"), (4, 1, "二、"), (6, 1, ""), (8, 2, "一、"),
                                                       (10, 2, "二、")]


def test_inner_list_of_the_same_style_inside_an_item():
    got = heads(["工作报告", "三、提高能源效率", P, "四、推进技术改造", P, "一、节约能源", P, "二、改革产品结构", P,
                 "五、整顿企业", P])
    assert [(mk, lv) for _, lv, mk, _ in got] == [("三、", 1), ("四、", 1), ("一、", 2), ("二、", 2), ("五、", 1)]


def test_numeral_alone_on_its_line():
    got = heads(["政府工作报告", "一", P, "二", P])
    assert [(ln, lv, mk) for ln, lv, mk, _ in got] == [(1, 1, "一"), (3, 1, "二")]
