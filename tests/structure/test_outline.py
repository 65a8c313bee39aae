"""The outline with the line model shipped in parser/data/models: plan starts, titles and headings the
model decides, and the rules alone when the model file is absent."""
from __future__ import annotations

import pytest

from parser import models
from parser.ingest.read import make_document
from parser.structure import outline as ol
from parser.structure import plans as pl
from parser.structure.line_features import LABELS, rule_view

P = "围绕全年目标，组织干部群众开展学习，推动各项工作落到实处，确保年底前完成。"

needs_model = pytest.mark.skipif(models.model_path(ol.MODEL_FILE) is None, reason="no trained line model")


def _outline(lines: list[str]):
    doc = make_document("\n".join(lines), "t.txt", doc_id="t")
    found = ol.outline(doc)
    line = lambda off: doc.text.count("\n", 0, off)     # noqa: E731
    return [(line(p.span[0]), p.title, [(line(s.heading_span[0]), s.level, s.title) for s in p.sections])
            for p in found]


@needs_model
def test_page_tools_above_the_title_are_furniture():
    got = _outline(["朗读", "添加到桌面", "文章属性", "某镇2025年文化站工作计划", "发布时间：2025-01-03",
                    "一、总体要求", P, "二、重点工作", P, "三、保障措施", P])
    assert got == [(3, "某镇2025年文化站工作计划", [(5, 1, "总体要求"), (7, 1, "重点工作"), (9, 1, "保障措施")])]


@needs_model
def test_a_site_name_row_is_not_the_title():
    got = _outline(["首页 > 政务公开 > 计划规划", "某区政协", "某区政协2024年协商工作计划", "来源：区政协办公室  浏览次数：120",
                    "一、协商议题", P, "（一）优化营商环境", "协商内容：围绕企业诉求开展协商。", "时间安排：6月", "二、工作要求", P])
    assert got == [(2, "某区政协2024年协商工作计划", [(4, 1, "协商议题"), (6, 2, "优化营商环境"), (9, 1, "工作要求")])]


@needs_model
def test_a_notice_is_one_plan_and_its_attached_title_no_heading():
    got = _outline(["某县人民政府办公室关于印发某县2025年重点工作安排的通知", "各乡镇人民政府，县直各单位：",
                    "现将《某县2025年重点工作安排》印发给你们，请认真贯彻执行。", "某县人民政府办公室", "2025年2月1日",
                    "某县2025年重点工作安排", "一、稳定经济增长", P, "二、推进乡村振兴", P])
    assert [(start, title) for start, title, _ in got] == [(0, "某县人民政府办公室关于印发某县2025年重点工作安排的通知")]
    assert [h[0] for h in got[0][2]] == [6, 8]


@needs_model
def test_a_file_name_row_is_furniture():
    got = _outline(["2024年社区工作计划.docx", "社区2024年工作计划", "一、加强组织建设", P, "二、做好服务工作", P])
    assert [(start, title) for start, title, _ in got] == [(1, "社区2024年工作计划")]


@needs_model
def test_labels_come_window_by_window(monkeypatch):
    lines = ["某镇2025年文化站工作计划"] + [x for n in range(1, 9) for x in (f"{n}、第{n}项工作", P)]
    view = rule_view(make_document("\n".join(lines), "t.txt"))
    tagger = models.crf_tagger(ol.MODEL_FILE)
    whole = ol.tag_lines(tagger, view)
    monkeypatch.setattr(ol, "_limits", lambda: ol._Limits(window=5))
    windowed = ol.tag_lines(tagger, view)
    assert len(windowed) == len(lines) and all(lab in LABELS for lab in windowed)
    assert whole[0] == "title" and sum(lab == "heading" for lab in whole) == 8
    assert sum(lab == "heading" for lab in windowed) >= 6


def test_a_sentence_is_never_a_heading_whatever_the_model_says():
    class Says:
        def tag(self, xseq):
            return ["title"] + ["heading"] * (len(xseq) - 1)

    view = rule_view(make_document("\n".join(["某镇工作计划", "5月中旬，召开居民大会。再布置全年工作。", "1.建好议事厅"]), "t.txt"))
    assert ol.tag_lines(Says(), view) == ["title", "body", "heading"]


def test_without_the_model_the_rules_decide(monkeypatch, tmp_path):
    monkeypatch.setenv(models.ENV, str(tmp_path))
    lines = ["朗读", "某镇2025年文化站工作计划", "一、总体要求", P, "二、重点工作", P]
    doc = make_document("\n".join(lines), "t.txt", doc_id="t")
    ruled = pl.split_plans(make_document("\n".join(lines), "t.txt", doc_id="t"))
    assert [(p.span, p.title) for p in ol.outline(doc)] == [(p.span, p.title) for p in ruled]


def test_labels_that_open_no_plan_leave_it_to_the_rules():
    doc = make_document("\n".join(["某镇2025年文化站工作计划", "一、总体要求", P]), "t.txt", doc_id="t")
    view = rule_view(doc)
    assert ol.model_plans(doc, view, ["body"] * 3) is None
    found = ol.model_plans(doc, view, ["start", "heading", "body"])
    assert [(p.title, p.title_span) for p in found] == [("", None)]


class _Marginals:
    """A stand-in tagger: Viterbi labels and per-line probabilities of a start label given by the test."""

    def __init__(self, labels, starts):
        self.labels_, self.starts = labels, starts

    def labels(self):
        return list(LABELS)

    def tag(self, xseq):
        return self.labels_[:len(xseq)]

    def marginal(self, label, t):
        lab, p = self.starts[t]
        return p if label == lab else (1 - p) / (len(LABELS) - 1)


def test_the_first_plan_opens_where_a_start_is_most_likely():
    view = rule_view(make_document("\n".join(["朗读", "社区工作计划.docx", "社区2024年工作计划", "一、总体要求", P]), "t.txt"))
    # a page tool or file name opens no plan however likely
    tagger = _Marginals(["furniture", "title", "body", "heading", "body"],
                        [("title", 0.9), ("title", 0.8), ("title", 0.4), ("heading", 0.9), ("body", 0.9)])
    assert ol.tag_lines(tagger, view) == ["furniture", "furniture", "title", "heading", "body"]
    # even when the best labelling opens none, the first plan opens where one most likely starts ...
    tagger = _Marginals(["furniture", "furniture", "body", "heading", "body"],
                        [("furniture", 0.9), ("furniture", 0.9), ("title", 0.4), ("heading", 0.9), ("body", 0.9)])
    assert ol.tag_lines(tagger, view) == ["furniture", "furniture", "title", "heading", "body"]
    # ... untitled at a paragraph ...
    para = rule_view(make_document("\n".join(["朗读", P, "一、总体要求", P]), "t.txt"))
    tagger = _Marginals(["furniture", "title", "heading", "body"],
                        [("furniture", 0.9), ("title", 0.9), ("heading", 0.9), ("body", 0.9)])
    assert ol.tag_lines(tagger, para) == ["furniture", "start", "heading", "body"]
    # ... and none on a page with no content line for the rules to open a plan at
    page = rule_view(make_document("\n".join(["当前位置：首页 > 通知公告", "朗读"]), "t.txt"))
    tagger = _Marginals(["title", "furniture"], [("title", 0.9), ("furniture", 0.9)])
    assert ol.tag_lines(tagger, page) == ["furniture", "furniture"]
    # a later start less likely than not opens no plan of its own
    tagger = _Marginals(["furniture", "furniture", "title", "heading", "title"],
                        [("furniture", 0.9), ("furniture", 0.9), ("title", 0.9), ("heading", 0.9), ("title", 0.2)])
    labels = ol.tag_lines(tagger, view)
    assert labels[2] == "title" and labels[4] not in ("title", "start", "start_heading")
