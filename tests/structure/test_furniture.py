"""Page furniture: each kind of line the rules of parser/data/furniture.toml tell apart."""
from __future__ import annotations

import pytest

from parser.structure import furniture as fu
from parser.ingest.normalize import normalize

import pytest

# the rules alone (the line model's features and fallback; its own tests: test_outline.py)
pytestmark = pytest.mark.usefixtures("rules_only")


def kind(line: str) -> str:
    return fu.line_kind(normalize(line).strip())


@pytest.mark.parametrize("line", [
    "当前位置：首页 > 范文大全 > 工作计划",
    "您的位置: 首页 >> 公文 >> 计划",
    "首页 | 关于我们",
    "|",
    "首页  新闻  公告  下载  留言  帮助",
])
def test_navigation_lines(line):
    assert kind(line) == fu.NAV


@pytest.mark.parametrize("line", [
    "格式：DOC  上传日期：2023-03-01 08:00:00",
    "时间：2023-03-01 08:00:00    小编：某某",
    "来源：某某范文网 2.1万",
    "更新时间：2021-05-06 09:10 作者：王老师",
    "发布日期：2022-02-02 10:00 点击量：12",
    "栏目：工作计划 / 人气：1.2W",
    "02-15",
    "【打印】 【关闭】",
    "无障碍浏览  长者模式",
    "写作助手，一键生成公文！ 立即了解",
    "社区工作方案_第3页",
    "已阅读3页，还剩9页未读",
    "某某县人民政府文件",
    "某政发〔2022〕7号",
    "- 大小：18.5 KB",
    "- 文档页数：9",
    "【发布日期】2024-03-02",
    "打印  关闭",
    "提示",
    "某街道2024年工作要点.docx",
    "社区服务工作计划合集5篇",
    "村委会年度工作安排-12篇",
    "（精选8篇）",
    "乡镇文化站活动方案汇编",
])
def test_meta_and_header_lines(line):
    assert kind(line) == fu.FURNITURE


def test_reader_introduction_of_any_length():
    intro = ("做好一年的安排总是要先想清楚方向，计划写得好，工作才有章法，" * 3
             + "下面是小编为大家收集的几篇社区工作计划，希望对大家有所帮助。")
    assert len(intro) > 80
    assert kind(intro) == fu.FURNITURE


@pytest.mark.parametrize("line", ["全文阅读已结束，下载本文请点击", "微信扫码支付", "a.付费复制", "下载此文档",
                                  "上一篇：春季安全检查方案"])
def test_paywall_download_and_footer_lines(line):
    assert kind(line) == fu.TERMINAL


@pytest.mark.parametrize("line", ["隐藏内容", "此处内容需要权限查看", "……（本站省略1200字，正式会员可完整阅读）……"])
def test_hidden_content_lines(line):
    assert kind(line) == fu.GAP


@pytest.mark.parametrize("line", [
    "一、加强理论武装，提高履职本领",
    "社区文化站2024年工作计划",
    "时间安排：6月",
    "3月上旬，组织委员赴乡村开展调研，形成报告一份。",
    "（一）健全联系群众制度",
    "流程：申请→审核→公示→发放",
    "时间：2023年5月10日上午",
    "年内发展正式会员20名",
    "开辟立即开通绿色通道，加快审批",
    "网址和电话在会议通知中另行告知",
])
def test_content_lines_stay(line):
    assert kind(line) == fu.CONTENT


def test_table_of_contents_is_one_block():
    lines = ["目录：", "一、总体思路", "二、重点工作", "……", "镇政协2024年工作要点", "一、总体思路"]
    kinds = fu.classify_lines([normalize(x) for x in lines])
    assert kinds[:4] == [fu.TOC] * 4
    assert kinds[4:] == [fu.CONTENT, fu.CONTENT]


def test_blank_and_spans():
    text = "甲\n\n乙丙"
    assert fu.line_spans(text) == [(0, 1), (2, 2), (3, 5)]
    assert fu.classify_lines(["甲", "", "乙丙"])[1] == fu.BLANK


def test_table_rows_below_the_text_are_content():
    lines = ["首页 新闻 公告 下载 留言 帮助", "全县工业生产稳定增长，主要产品产量如下。", "产品名称 计量单位 产量 增减",
             "胶合板 立方米 2238 6.2"]
    kinds = fu.classify_lines([normalize(x) for x in lines])
    assert kinds == [fu.NAV, fu.CONTENT, fu.CONTENT, fu.CONTENT]


def test_plan_preamble_serving_people_is_content():
    line = "今年，我们将努力为大家提供更好的服务，让居民办事更方便。"
    assert fu.classify_lines([normalize(line)]) == [fu.CONTENT]


def test_introductions_are_only_looked_for_above_the_first_heading():
    lines = ["下面小编为大家整理了一篇计划，希望对大家有所帮助。", "一、总体要求", "三、希望对大家有所帮助的几件实事"]
    assert fu.classify_lines([normalize(x) for x in lines]) == [fu.FURNITURE, fu.CONTENT, fu.CONTENT]


def test_metadata_row_with_several_labels_is_left_out():
    assert kind("标题：某区民政局工作计划 | 发布机构：某区民政局 | 成文日期：2024-01-08") in fu.LEFT_OUT


@pytest.mark.parametrize("line", ["推进无障碍环境建设", "开展大中小学生读书活动", "提示群众注意防范电信诈骗"])
def test_content_with_tool_or_label_words_stays(line):
    assert kind(line) == fu.CONTENT


def test_dated_meta_row_as_a_list_item():
    assert kind("- 时间：2031-02-24") == fu.FURNITURE


@pytest.mark.parametrize("line", ["索 引 号：11330000/2031-00012  公开日期：2031-03-02",
                                  "发布机构：区民政局  文  号：某民发〔2031〕3号",
                                  "社区工作计划合集6篇(群里分享)",
                                  "- 1、下载文档前请自行甄别文档内容的完整性，平台不提供额外服务。"])
def test_spaced_labels_collection_notes_and_platform_notes(line):
    assert kind(line) == fu.FURNITURE


@pytest.mark.parametrize("line", ["本作品是中华人民共和国的法律、法规，属于公有领域。", "Public domain"])
def test_licence_notice_under_the_text(line):
    assert kind(line) == fu.TERMINAL


def test_date_with_a_source_label_is_a_metadata_row():
    assert kind("2031-01-03 来源：某某旅游网") == fu.FURNITURE
