"""The line model's features: the rules' decision for each line, lexicon hits, shapes (sentences written here)."""
from __future__ import annotations

from parser.ingest.read import make_document
from parser.structure.fields import match_marker
from parser.structure.line_features import (_similar, features, is_file_name, is_meta, is_tool, may_head, may_title,
                                            page_row, rule_view, sequence, title_key)

P = "围绕全年目标，组织干部群众开展学习，推动各项工作落到实处，确保年底前完成。"


def test_metadata_rows_and_page_tools():
    assert is_meta("发布时间：2025-01-03  来源：镇政府") and is_meta("某政办发〔2024〕12号")
    assert not is_meta("一、总体要求") and not is_meta(P)
    assert all(is_tool(x) for x in ["朗读", "【打印】", "添加到桌面", "文章属性", "跳到主要内容", "门户网站截图"])
    assert not is_tool("某镇2025年文化站工作计划") and not is_tool("全文共分三个部分")


def test_titles_naming_one_document():
    assert title_key("街道工作计划(篇二)") == title_key("街道工作计划篇1") == "街道工作计划"
    assert _similar(title_key("某区政协"), title_key("某区政协2024年协商工作计划"))
    assert not _similar(title_key("一、总体要求"), title_key("二、重点工作"))


def test_what_may_be_a_heading():
    assert may_head("1.建好议事厅。再写一句。") and may_head("指导思想") and may_head("一、总体要求。")
    assert not may_head("5月中旬，召开居民大会。再布置全年工作。")


def test_new_marker_styles():
    assert (match_marker("⑶森林覆盖率").style, match_marker("⑶森林覆盖率").number) == ("paren_char", 3)
    assert (match_marker("贰、年度目标").style, match_marker("贰、年度目标").number) == ("cn_upper_dun", 2)


def test_the_rules_decision_is_a_feature_of_each_line():
    doc = make_document("\n".join(["首页 > 政务公开", "某镇2025年工作计划", "", "一、总体要求", P, "协商内容：学习。"]), "t")
    view = rule_view(doc)
    assert view.labels == ["furniture", "title", "", "heading", "body", "field"]
    assert doc.furniture == []          # the rules ran on the side: the document is untouched
    seq = sequence(view)
    feats = features(view, seq)
    assert seq == [0, 1, 3, 4, 5] and len(feats) == 5
    assert "r=title" in feats[1] and "mk=cn_dun" in feats[2] and "-1r=title" in feats[2] and "blank-" in feats[2]
    assert "fk" in feats[4] and "kw" in feats[1]


def test_a_file_name_or_a_page_tool_is_never_a_title():
    assert is_file_name("2024年社区工作计划.docx") and is_file_name("社区工作计划(精选12篇)")
    assert is_file_name("街道工作要点.docxVIP") and not is_file_name("社区工作计划 第1篇")
    doc = make_document("\n".join(["首页 > 政务公开", "朗读", "社区工作计划.doc", "社区2024年工作计划", P]), "t")
    view = rule_view(doc)
    assert [may_title(view, i) for i in range(5)] == [False, False, False, True, True]
    rows = ["【打印】 【关闭】 分享", "工作计划 > 社区工作计划", "某某政务网", "新闻 • 看台", "某政办发〔2024〕12号",
            "发布时间：2025-01-03", "来源：镇政府", "某镇关于印发2024年工作计划的通知", "紧抓质量 周密组织 深入调研"]
    view = rule_view(make_document("\n".join(rows), "t"))
    assert [may_title(view, i) for i in range(len(rows))] == [False] * 7 + [True, True]
    # a metadata row or a document number may still be a plan's first line (untitled); page rows never
    assert [page_row(view, i) for i in range(len(rows))] == [True] * 4 + [False] * 5
    rows = ["打印整页 打印内容 分享", "分享至：", "![图片](/static/a.jpg)", "首页>工作>计划", "索 引 号：0001/2024-0001",
            "按照《某县关于印发<某县规划>的通知》要求，制定本规划。"]
    view = rule_view(make_document("\n".join(rows), "t"))
    assert [page_row(view, i) for i in range(len(rows))] == [True] * 4 + [False] * 2
    assert not may_title(view, 4) and may_title(view, 5)


def test_a_title_sees_the_lines_below_it_and_its_repeats():
    lines = ["某镇2025年工作计划", "发布时间：2025-01-03", "某镇2025年工作计划", "各村委会：", P, "一、总体要求", P]
    view = rule_view(make_document("\n".join(lines), "t"))
    feats = features(view, sequence(view))
    # the page's header title: a repeat below with only a metadata row between, the repeat above the text
    assert {"sim>", "sim>m", "nc=tkw", "ngap=1"} <= set(feats[0])
    assert {"sim<", "sim<m", "nc=addr", "nc2=sent", "pc=tkw"} <= set(feats[2])
    assert "nc=head" in feats[4] and "pc=addr" in feats[4]
