"""Splitting pages into plans: collections, title lines, page headers, glued titles, furniture."""
from __future__ import annotations

from parser.structure.plans import split_plans
from parser.ingest.read import make_document

import pytest

# the rules alone (the line model's features and fallback; its own tests: test_outline.py)
pytestmark = pytest.mark.usefixtures("rules_only")


def doc_of(lines: list[str], **kw):
    return make_document("\n".join(lines), "page.txt", doc_id="d", **kw)


def line_of(doc, offset: int) -> int:
    return doc.text.count("\n", 0, offset)


def left_out_lines(doc) -> set[int]:
    return {line_of(doc, s) for s, _ in doc.furniture}


COLLECTION = [
    "当前位置：首页 > 范文 > 社区工作计划",         # 0 nav
    "",
    "社区工作计划三篇",                             # 2 page header
    "格式：DOC  上传日期：2023-05-06 10:11:12",      # 3
    "每到年初，大家都要理一理思路。下面是小编为大家收集的社区工作计划，希望对大家有所帮助。",  # 4
    "",
    "社区工作计划篇一",                             # 6
    "一、抓好居民议事会",                           # 7
    "每季度召开一次议事会，听取居民意见。",          # 8
    "社区工作计划篇二",                             # 9
    "一、办好老年食堂",                             # 10
    "完善助餐点，年内新增两处。",                    # 11
    "",
    "全文阅读已结束，下载本文请点击",                # 13
    "微信扫码支付",                                 # 14
    "已付款请点这里",                               # 15
]


def test_collection_items_open_plans_and_furniture_is_left_out():
    doc = doc_of(COLLECTION)
    plans = split_plans(doc)
    assert [p.title for p in plans] == ["社区工作计划篇一", "社区工作计划篇二"]
    assert [p.plan_id for p in plans] == ["d:p1", "d:p2"]
    assert [line_of(doc, p.span[0]) for p in plans] == [6, 9]
    assert doc.text[plans[0].title_span[0]:plans[0].title_span[1]] == "社区工作计划篇一"
    # the second plan ends with its content, before the paywall
    assert doc.text[:plans[1].span[1]].endswith("年内新增两处。")
    assert {0, 2, 3, 4, 13, 14, 15} <= left_out_lines(doc)
    assert not {6, 7, 8, 9, 10, 11} & left_out_lines(doc)


def test_weak_indexes_after_a_plan_word():
    doc = doc_of(["文化站工作计划范文", "文化站是群众身边的文化阵地，做好计划很重要。",
                  "文化站工作计划(一)", "一、办好春节文艺演出", "文化站工作计划(二)", "一、开放图书室"])
    plans = split_plans(doc)
    assert [line_of(doc, p.span[0]) for p in plans] == [2, 4]
    assert {0, 1} <= left_out_lines(doc)
    doc = doc_of(["街道协商工作计划1", "一、围绕老旧小区改造开展协商"])
    assert [p.title for p in split_plans(doc)] == ["街道协商工作计划1"]


def test_index_before_the_title():
    doc = doc_of(["【篇一】村委会工作计划", "一、修好村道", "【篇二】村委会工作计划", "一、建好书屋"])
    assert [line_of(doc, p.span[0]) for p in split_plans(doc)] == [0, 2]


def test_page_header_repeated_over_the_title_gives_way():
    doc = doc_of(["镇文化站工作计划(1500字)", "镇文化站工作计划", "今年文化站将围绕群众需求开展工作。", "一、办好广场舞比赛"])
    plans = split_plans(doc)
    assert len(plans) == 1 and line_of(doc, plans[0].span[0]) == 1
    assert plans[0].title == "镇文化站工作计划"
    assert 0 in left_out_lines(doc)


def test_site_name_above_the_title_gives_way_to_a_plan_title():
    doc = doc_of(["信息公开专栏", "区民政局2024年工作要点", "一、兜牢民生底线"])
    plans = split_plans(doc)
    assert line_of(doc, plans[0].span[0]) == 1 and plans[0].title == "区民政局2024年工作要点"


def test_header_above_breadcrumb_and_title_below_meta():
    doc = doc_of(["政务公开", "当前位置：首页 > 政务公开 > 计划总结", "【打印】【关闭】", "",
                  "关于做好2024年协商工作的通知", "来源：区政协办  发布日期：2024-01-05 09:00", "各委室：",
                  "现将有关事项通知如下。"])
    plans = split_plans(doc)
    assert [line_of(doc, p.span[0]) for p in plans] == [4]
    assert {0, 1, 2, 5} <= left_out_lines(doc)


def test_no_title_line_gives_an_empty_title():
    doc = doc_of(["根据年度安排，现将本委员会今年的视察工作计划如下。", "一、视察内容", "围绕民生实事开展视察。"])
    plans = split_plans(doc)
    assert plans[0].title == "" and plans[0].title_span is None and plans[0].span[0] == 0


def test_note_in_parentheses_is_not_a_title():
    doc = doc_of(["（2023年1月9日区人大常委会主任会议通过）", "一、监督工作"])
    plans = split_plans(doc)
    assert plans[0].title == "" and line_of(doc, plans[0].span[0]) == 0


def test_page_title_names_a_plan_without_title_line():
    doc = doc_of(["今年，区政协将围绕中心工作开展协商。", "一、协商议题"], page_title="区政协协商计划")
    assert split_plans(doc)[0].title == "区政协协商计划"


def test_issuer_line_and_notice_line_form_one_title():
    doc = doc_of(["某某县人民政府文件", "某政发〔2023〕5号", "某某县政协委员会", "关于印发《2023年委员读书计划》的通知",
                  "各委室：", "现将计划印发给你们。", "2023年委员读书计划", "一、读书内容"])
    plans = split_plans(doc)
    assert len(plans) == 1
    p = plans[0]
    assert line_of(doc, p.span[0]) == 2
    assert p.title == "某某县政协委员会关于印发《2023年委员读书计划》的通知"
    assert line_of(doc, p.title_span[1]) == 3
    assert {0, 1} <= left_out_lines(doc)


def test_title_glued_to_a_page_number_or_a_site_address():
    doc = doc_of(["32024年社区工作要点今年是谋划发展的关键一年，社区将全力做好各项工作。"])
    assert split_plans(doc)[0].title == "2024年社区工作要点"
    doc = doc_of(["范文之家每日更新www.example.com2024年镇人大工作计划一、依法履职，做好监督。"])
    assert split_plans(doc)[0].title == "2024年镇人大工作计划"


def test_first_heading_glued_to_the_title():
    doc = doc_of(["街道治理实施方案参考一、现状分析", "1.1基本情况", "辖区人口稳定。"])
    plans = split_plans(doc)
    assert plans[0].title == "街道治理实施方案参考"
    assert line_of(doc, plans[0].span[0]) == 0


def test_repeated_title_opens_a_plan_only_after_a_numbered_body():
    body = "围绕群众关心的事情开展工作，做到件件有落实，事事有回音，" * 8
    doc = doc_of(["村委会工作计划", "一、修路", body, "村委会工作计划", "一、建书屋", body])
    assert [line_of(doc, p.span[0]) for p in split_plans(doc)] == [0, 3]
    doc = doc_of(["村委会工作计划", "来源：某网", "今年村里的事情很多，要统筹安排。", "村委会工作计划", "一、修路", body])
    plans = split_plans(doc)
    assert len(plans) == 1 and plans[0].span[0] == 0


def test_paywall_inside_a_collection_ends_only_its_plan():
    doc = doc_of(["镇政协工作计划篇一", "一、学习", "下载此文档", "付费复制", "镇政协工作计划篇二", "一、调研"])
    plans = split_plans(doc)
    assert [line_of(doc, p.span[0]) for p in plans] == [0, 4]
    assert line_of(doc, plans[0].span[1]) == 1
    assert {2, 3} <= left_out_lines(doc)


def test_traditional_titles_keep_their_characters():
    doc = doc_of(["網站首頁 範文 書信 計劃 總結 報告", "鄉鎮人大工作計劃篇一", "一、依法召開代表大會"])
    plans = split_plans(doc)
    assert plans[0].title == "鄉鎮人大工作計劃篇一"


def test_empty_text_has_no_plan():
    doc = doc_of([""])
    assert split_plans(doc) == []


def test_plans_numbered_like_headings_each_with_its_own_list():
    doc = doc_of(["乡镇工作计划汇编", "一、东岭镇2024年工作计划", "一、发展产业", "二、改善民生",
                  "二、西岭乡2024年工作计划", "一、修建水渠", "二、办好学校"])
    plans = split_plans(doc)
    assert [p.title for p in plans] == ["一、东岭镇2024年工作计划", "二、西岭乡2024年工作计划"]


def test_report_parts_named_like_plans_stay_one_plan():
    doc = doc_of(["区政协工作报告", "一、2023年工作总结", "（一）加强学习", "（二）开展调研",
                  "二、2024年工作安排", "（一）围绕中心", "（二）服务大局"])
    plans = split_plans(doc)
    assert len(plans) == 1 and plans[0].title == "区政协工作报告"


def test_headline_without_plan_word_keeps_its_line():
    doc = doc_of(["区政协召开主席会议研究部署全年重点工作", "审议通过2024年协商工作计划", "会议指出，要精心组织实施。"])
    plans = split_plans(doc)
    assert line_of(doc, plans[0].span[0]) == 0


def test_contents_without_closing_line_are_left_out():
    doc = doc_of(["目录", "一、总体要求 ...... 1", "二、重点任务 ...... 3", "镇人大2024年工作要点",
                  "一、总体要求", "依法履职。", "二、重点任务", "开好代表大会。"])
    plans = split_plans(doc)
    assert line_of(doc, plans[0].span[0]) == 3 and plans[0].title == "镇人大2024年工作要点"
    assert {0, 1, 2} <= left_out_lines(doc)


def test_model_essay_index_in_chinese_numerals():
    doc = doc_of(["社区工作计划范文一", "一、服务居民", "社区工作计划范文二", "一、美化环境"])
    assert [line_of(doc, p.span[0]) for p in split_plans(doc)] == [0, 2]


def test_links_below_a_footer_open_no_plans():
    doc = doc_of(["社区工作计划篇一", "一、服务居民", "社区工作计划篇二", "一、美化环境", "相关推荐", "社区工作计划篇一",
                  "村委会工作计划篇一"])
    plans = split_plans(doc)
    assert [line_of(doc, p.span[0]) for p in plans] == [0, 2]
    assert {4, 5, 6} <= left_out_lines(doc)


def test_contents_with_page_numbers_whose_entries_do_not_all_come_back():
    doc = doc_of(["目录", "1.街道2024年工作要点 2", "2.社区2024年工作计划 7", "3.文化站2024年活动安排 12",
                  "街道2024年工作要点", "一、抓好党建", "每月开展一次主题党日。"])
    plans = split_plans(doc)
    assert [line_of(doc, p.span[0]) for p in plans] == [4]
    assert {0, 1, 2, 3} <= left_out_lines(doc)


def test_headings_listed_above_the_title_are_contents():
    doc = doc_of(["一、过去一年工作回顾", "二、今年工作安排", "（一）抓项目", "（二）抓民生", "三、加强自身建设",
                  "某县2024年政府工作报告", "各位代表：", "一、过去一年工作回顾", "一年来，我们攻坚克难。",
                  "二、2024年主要任务", "（一）全力抓项目建设"])
    plans = split_plans(doc)
    assert [line_of(doc, p.span[0]) for p in plans] == [5]
    assert plans[0].title == "某县2024年政府工作报告"
    assert {0, 1, 2, 3, 4} <= left_out_lines(doc)


def test_collection_index_glued_to_its_text():
    doc = doc_of(["社区平安建设工作计划范文", "社区平安建设工作计划范文（精选6篇）",
                  "社区平安建设工作计划范文 篇120xx年我社区将在街道的指导下开展平安创建。", "一、指导思想",
                  "坚持群防群治。"])
    plans = split_plans(doc)
    assert [line_of(doc, p.span[0]) for p in plans] == [2]
    assert plans[0].title == "社区平安建设工作计划范文 篇1"
    assert {0, 1} <= left_out_lines(doc)


def test_own_title_glued_to_its_text_below_metadata_rows():
    doc = doc_of(["政协委员履职工作计划", "- 格式：docx", "- 大小：20 KB",
                  "政协委员年度履职计划范文为了更好地履行职责，特制定本计划。", "一、加强学习", "每月集中学习一次。"])
    plans = split_plans(doc)
    assert [line_of(doc, p.span[0]) for p in plans] == [3]
    assert plans[0].title == "政协委员年度履职计划范文"
    assert 0 in left_out_lines(doc)


def test_body_sentence_with_a_plan_word_is_not_cut_as_a_title():
    doc = doc_of(["镇人大2024年工作计划", "发布时间：2024-01-03", "为做好今年人大工作，根据镇党委部署，制定本计划。",
                  "一、依法监督"])
    plans = split_plans(doc)
    assert [line_of(doc, p.span[0]) for p in plans] == [0] and plans[0].title == "镇人大2024年工作计划"


def test_title_over_three_lines_from_the_issuer_name():
    doc = doc_of(["中国人民政治协商会议", "某某县委员会", "常务委员会2024年工作要点", "一、加强思想政治建设"])
    plans = split_plans(doc)
    assert [line_of(doc, p.span[0]) for p in plans] == [0]
    assert plans[0].title == "中国人民政治协商会议某某县委员会常务委员会2024年工作要点"


def test_column_name_and_metadata_rows_above_the_document_title():
    doc = doc_of(["计划总结", "索 引 号：11330000/2031-00012  公开日期：2031-03-02", "发布机构：区民政局  文  号：某民发〔2031〕3号",
                  "", "区民政局关于印发2031年民政工作要点的通知", "各街道：", "现将要点印发给你们。"])
    plans = split_plans(doc)
    assert [line_of(doc, p.span[0]) for p in plans] == [4]
    assert {0, 1, 2} <= left_out_lines(doc)


def test_bracketed_index_of_a_second_plan_after_an_unnumbered_first():
    body = "镇文化站今年将组织送戏下乡、书画展览和全民阅读活动，" * 9
    doc = doc_of(["文化站工作计划", body, "一、抓好阵地建设", "【入二】", "乡文化站今年将继续办好农民运动会。" + body])
    plans = split_plans(doc)
    assert [line_of(doc, p.span[0]) for p in plans] == [0, 3]
    assert [p.title for p in plans] == ["文化站工作计划", "【入二】"]


def test_title_repeated_with_two_opens_the_second_plan():
    body = "今年社区将开展邻里节、文艺汇演和志愿服务等活动，丰富居民文化生活。" * 4
    doc = doc_of(["社区文化活动计划", body, "一、办好邻里节", body, "社区文化活动计划(二)", body, "一、办好广场舞比赛", body])
    assert [(line_of(doc, p.span[0]), p.title) for p in split_plans(doc)] == [(0, "社区文化活动计划"),
                                                                             (4, "社区文化活动计划(二)")]


def test_documents_one_after_another_each_closed_by_a_footer():
    body = "今年全区将围绕高质量发展开展各项工作，抓好项目建设，办好民生实事。" * 7
    doc = doc_of(["区政府2031年工作要点", "一、抓项目", body, "版权所有：某区人民政府", "区政府2032年工作要点", "一、抓民生",
                  body, "版权所有：某区人民政府", "相关推荐", "区政府2033年工作要点"])
    plans = split_plans(doc)
    assert [line_of(doc, p.span[0]) for p in plans] == [0, 4]
    assert {3, 7, 8, 9} <= left_out_lines(doc)


def test_a_site_name_over_a_title_opening_with_it_is_no_issuer_line():
    body = "围绕全年目标，组织干部群众开展学习，推动各项工作落到实处，确保年底前完成。"
    doc = doc_of(["某区政协", "某区政协2024年协商工作计划", "一、协商议题", body])
    assert [(line_of(doc, p.span[0]), p.title) for p in split_plans(doc)] == [(1, "某区政协2024年协商工作计划")]
    doc = doc_of(["中共某镇委员会", "关于印发《某镇2024年工作要点》的通知", "一、总体要求", body])
    assert [p.title for p in split_plans(doc)] == ["中共某镇委员会关于印发《某镇2024年工作要点》的通知"]
