"""The line model's features: the rules' decision for each line, lexicon hits, shapes (sentences written here)."""
from __future__ import annotations

from parser.ingest.read import make_document
from parser.structure.fields import match_marker
from parser.structure.line_features import (_similar, features, is_meta, is_tool, may_head, rule_view, sequence,
                                            title_key)

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
