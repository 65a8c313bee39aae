"""A page saved as Markdown (a heading's marks, key: value rows in bold, a rule): written here."""
from parser.ingest.read import make_document
from parser.pipeline import Options, Parser
from parser.structure import plans as pl
from parser.structure.line_features import may_title, page_row, rule_view

PAGE = "\n".join([
    "# 青禾县人民政府办公室关于印发《青禾县全民阅读推广实施方案》的通知",
    "",
    "**发布日期**: 2031-03-02",
    "**发布机构**: 青禾县文化和旅游局",
    "**检索关键词**: 阅读, 图书馆",
    "",
    "---",
    "",
    "青政办发〔2031〕5号",
    "",
    "各乡镇人民政府,县政府各部门:",
    "《青禾县全民阅读推广实施方案》已经县政府同意,现印发给你们,请认真贯彻执行。",
    "",
    "一、工作目标",
    "到2031年底,建成农家书屋20个。",
    "二、主要任务",
    "(一)开展读书月活动。由县图书馆牵头,4月前完成。",
])


def test_markdown_marks_are_not_part_of_a_line():
    page = pl.read_page(make_document("## 青禾县2031年工作要点\n**一、总体要求**\n正文。", "<md>"))
    assert page.lines[:2] == ["青禾县2031年工作要点", "一、总体要求"]
    assert page.lead[:2] == [3, 2]
    # white space inside the bold marks is no part of the line either, and the line stays on its span
    doc = make_document("**  青禾县2031年工作要点 **\n正文。", "<md>")
    page = pl.read_page(doc)
    start = page.spans[0][0] + page.lead[0]
    assert page.lines[0] == doc.text[start:start + len(page.lines[0])] == "青禾县2031年工作要点"


def test_rules_rows_and_label_rows_are_no_title():
    doc = make_document(PAGE, "<md>")
    view = rule_view(doc)
    at = {line: i for i, line in enumerate(view.page.lines)}
    assert page_row(view, at["---"])
    assert not may_title(view, at["**检索关键词**: 阅读, 图书馆"])
    assert may_title(view, at[view.page.lines[0]])


def test_the_plan_of_a_markdown_page_keeps_its_heading_as_title():
    doc = Parser(Options(extract=False)).parse(make_document(PAGE, "<md>"))
    assert [p.title for p in doc.plans] == ["青禾县人民政府办公室关于印发《青禾县全民阅读推广实施方案》的通知"]
    s, e = doc.plans[0].title_span
    assert doc.text[s:e] == doc.plans[0].title          # the span leaves the "# " out


def test_an_untitled_model_start_below_the_rules_titled_start_keeps_the_title():
    from parser.structure.outline import _titled_rule_start

    view = rule_view(make_document(PAGE, "<md>"))
    assert view.starts and view.starts[0].line == 0 and view.starts[0].title_span is not None
    below = view.page.lines.index("青政办发〔2031〕5号")
    untitled = {"title": 0.0, "start": 0.9, "start_heading": 0.0}
    assert _titled_rule_start(view, below, untitled) == 0
    # the model's own start with its title stays; so does a first start at or above the rules' one
    assert _titled_rule_start(view, below, {"title": 0.8, "start": 0.1, "start_heading": 0.0}) is None
    assert _titled_rule_start(view, 0, untitled) is None
