"""The main-content finder on small pages modelled on gov article pages (own texts, no real page)."""
from __future__ import annotations

from collections import Counter

import pytest

from parser.ingest.maintext import clean_lines, extract_main
from parser.ingest.page import Page


def _page(fixtures, name: str, **kw) -> Page:
    return extract_main((fixtures / "pages" / name).read_text(encoding="utf-8"), name, **kw)


def test_gov_article_keeps_only_the_article(fixtures):
    page = _page(fixtures, "gov_article.html")
    lines = page.text.split("\n")
    assert page.title == "青溪县文化馆2024年工作计划"
    assert lines[0] == "为繁荣群众文化生活，丰富基层公共文化服务供给，结合本馆实际，制定本计划。"
    assert lines[-1] == "各股室要明确责任分工，按月报送工作进度，确保各项任务按时完成。"
    assert "二、重点工作" in lines and len(lines) == 9
    for furniture in ("首页", "当前位置", "发布时间", "访问量", "分享到", "责任编辑", "打印", "相关新闻",
                      "版权所有", "登录", "字号"):
        assert furniture not in page.text, furniture


def test_gov_article_title_repeat_dropped_and_meta(fixtures):
    page = _page(fixtures, "gov_article.html")
    assert not page.text.startswith(page.title)
    assert page.published == "2024-01-15"
    assert page.meta["breadcrumb"].startswith("当前位置")
    assert page.meta["site"] == "青溪县人民政府"
    assert page.meta["extraction"] == "main"


def test_table_rows_are_tab_separated_lines(fixtures):
    page = _page(fixtures, "table_page.html")
    lines = page.text.split("\n")
    assert page.title == "南湾镇2023年农业生产情况通报"
    assert page.published == "2023-11-02"          # from <meta name="PubDate">
    assert "作物\t单位\t产量\t较上年±%" in lines
    assert "早稻\t吨\t3150\t2.4" in lines            # a <p> inside a cell does not split the row
    assert "蔬菜\t吨\t12600\t" in lines              # an empty cell keeps its column
    assert "机构概况" not in page.text and "网站首页" not in page.text


def test_br_separated_repost_with_original_title_and_tail(fixtures):
    page = _page(fixtures, "wechat_repost.html")
    lines = page.text.split("\n")
    assert page.title == "好消息！城西文化广场下月开放！夜市+露天电影都安排上了"   # 原标题 replaces the cut title
    assert page.published == "2024-06-03"
    assert lines[0] == "广场建设进入收尾阶段"
    assert lines[-1] == "周边还将引入特色夜市摊位"
    assert "▲广场夜景效果图" in lines
    assert "\ufffd" not in page.text and "资料图" not in lines and "原标题" not in page.text
    assert "网友" not in page.text and "二维码" not in page.text


def test_selectors_override_the_finder(fixtures):
    page = _page(fixtures, "gov_article.html",
                 selectors={"content": "div.related-news", "title": "h3", "drop": ["h3"]})
    assert page.meta["extraction"] == "selector"
    assert page.title == "相关新闻"
    assert page.text.split("\n")[0].startswith("青溪县召开文化工作推进会")


def test_bad_selector_falls_back_to_the_finder(fixtures):
    page = _page(fixtures, "gov_article.html", selectors={"content": "div[[["})
    assert page.meta["extraction"] == "main"
    assert "二、重点工作" in page.text


def test_too_little_found_falls_back_to_the_body():
    html = ("<html><head><title>列表</title></head><body><ul>"
            + "".join(f"<li><a href='/{i}'>第{i}条通知</a></li>" for i in range(30)) + "</ul></body></html>")
    page = extract_main(html, "list.html")
    assert page.meta["extraction"] == "body"
    assert "第7条通知" in page.text


def test_hidden_and_furniture_elements_dropped_but_not_the_whole_article():
    paras = "".join(f"<p>第{i}段：推进社区文化建设，完善服务设施，开展群众喜闻乐见的活动。</p>" for i in range(6))
    html = (f"<html><body><div class='article-footer-wrap'><h1>某街道文化站工作要点</h1>{paras}</div>"
            "<div style='display:none'>隐藏的统计脚本说明文字，不应出现在正文中。</div></body></html>")
    page = extract_main(html, "x.html")
    assert "第5段" in page.text          # a furniture-like class on the article's own container is ignored
    assert "隐藏" not in page.text


def test_clean_lines_edges_only():
    lines = ["来源：县文化馆", "正文第一段，说明本年度的工作思路。", "时间：每月第一周", "正文第二段。",
             "", "a", "b", "c", "d", "e", "f", "（责任编辑：王五）"]
    out, _ = clean_lines(lines, None)
    assert "来源：县文化馆" not in out and "（责任编辑：王五）" not in out
    assert "时间：每月第一周" in out          # a field line of a plan is not a publication line


def test_editor_credit_in_the_tail_cuts_what_follows():
    lines = [f"正文第{i}段，内容。" for i in range(10)] + ["编辑|张三", "点击阅读更多精彩内容"]
    out, _ = clean_lines(lines, None)
    assert out[-1] == "正文第9段，内容。"


@pytest.mark.parametrize("name", ["cmse-001", "people-001", "wanzai-002", "thepaper-001"])
def test_real_pages_close_to_gold(shared, name):
    from parser.ingest.decode import decode_bytes
    from parser.ingest.page import declared_charset

    data = (shared / "pages" / f"{name}.html").read_bytes()
    page = extract_main(decode_bytes(data, name, declared=declared_charset(data)).text, name)
    gold = (shared / "pages" / f"{name}.txt").read_text(encoding="utf-8")
    ours = Counter(c for c in f"{page.title}\n{page.text}" if not c.isspace())
    want = Counter(c for c in gold if not c.isspace())
    overlap = sum((ours & want).values())
    f1 = 2 * overlap / (sum(ours.values()) + sum(want.values()))
    assert f1 >= 0.97


def test_sections_of_one_article_in_sibling_containers_are_all_kept():
    def section(n: str, k: int) -> str:
        return (f"<div class='essay'><h2>篇{n}：社区工作计划</h2>"
                + "".join(f"<p>第{i}项，做好社区服务，完善设施，开展活动。</p>" for i in range(k)) + "</div>")
    html = ("<html><head><title>社区工作计划（3篇）_范文网</title></head><body>"
            "<div class='nav'><a>首页</a><a>范文</a></div><div class='main'><h1>社区工作计划（3篇）</h1>"
            + section("一", 12) + section("二", 5) + section("三", 2)
            + "<div class='xgwz'><a>相关文章一</a><a>相关文章二</a></div></div></body></html>")
    lines = extract_main(html, "essay.html").text.split("\n")
    assert lines[0] == "篇一：社区工作计划"
    assert "篇三：社区工作计划" in lines and lines[-1] == "第1项，做好社区服务，完善设施，开展活动。"
    assert len(lines) == 3 + 12 + 5 + 2 and "相关文章一" not in lines


def test_article_in_a_furniture_named_container_survives_a_heavy_page():
    nav = "".join(f"<li><a href='/{i}'>栏目导航第{i}项</a></li>" for i in range(80))
    body = "".join(f"<p>第{i}条，落实镇文化站年度工作任务。按季度检查推进情况。</p>" for i in range(4))
    html = (f"<html><head><title>某镇文化站2024年工作要点</title></head><body><ul class='list'>{nav}</ul>"
            f"<div class='print_content'><h1>某镇文化站2024年工作要点</h1>{body}</div>"
            "<div class='print'>打印</div></body></html>")
    lines = extract_main(html, "p.html").text.split("\n")
    assert lines[0] == "第0条，落实镇文化站年度工作任务。按季度检查推进情况。"
    assert len(lines) == 4


def test_subtitle_beside_the_title_heading_leads_the_text():
    paras = "".join(f"<p>第{i}段：围绕年度目标，细化措施，压实责任，按期推进。</p>" for i in range(5))
    html = ("<html><head><title>全力推进乡村文化振兴 - 某县政府网</title></head><body>"
            "<div class='detail-title'><h3></h3><h2>全力推进乡村文化振兴</h2>"
            "<h3>某县召开文化工作会议部署全年任务</h3></div>"
            "<ul class='detail-infos'><li>时间：2024-02-01 08:00</li><li>来源：某县融媒体中心</li></ul>"
            f"<div class='detail-body'>{paras}</div></body></html>")
    page = extract_main(html, "s.html")
    lines = page.text.split("\n")
    assert page.title == "全力推进乡村文化振兴"
    assert lines[0] == "某县召开文化工作会议部署全年任务"
    assert lines[1].startswith("第0段") and page.published == "2024-02-01"


def test_open_government_table_and_comments_stay_out():
    paras = "".join(f"<p>（{i}）加强基层文化阵地建设，推动资源下沉。完善考核办法。</p>" for i in range(6))
    comments = "".join(f"<p>网友{i}：这个计划很好。希望早日落实。期待更多活动。</p>" for i in range(4))
    html = ("<html><head><title>某街道2023年公共文化服务工作计划_某区政府</title></head><body><div class='xxgk'>"
            "<table class='xxgk-table'><tr><td>索引号：</td><td>000-0001/2023-01</td>"
            "<td>发布机构：</td><td>某街道办</td></tr>"
            "<tr><td>生成日期：2023-03-01</td><td>公开方式：主动公开</td></tr></table>"
            f"<h1>某街道2023年公共文化服务工作计划</h1><div id='zoom'>{paras}</div>"
            f"<div class='comment-list'>{comments}</div></div></body></html>")
    page = extract_main(html, "x.html")
    assert page.published == "2023-03-01"
    assert page.text.split("\n")[0].startswith("（0）加强基层文化阵地建设")
    assert "索引号" not in page.text and "网友" not in page.text


def test_profile_selector_lists_and_xpath(fixtures):
    page = _page(fixtures, "gov_article.html", selectors={
        "title": ["h5.none", "h1.article-title"],
        "content": ["#missing", "#zoom"],
        "date": ["xpath://div[@class='article-info']/span[1]/text()"],
        "breadcrumb": [".breadcrumb"],
        "furniture": ["p:last-child"],
    })
    assert page.meta["extraction"] == "selector"
    assert page.title == "青溪县文化馆2024年工作计划" and page.published == "2024-01-15"
    assert page.meta["breadcrumb"].startswith("当前位置")
    assert page.text.split("\n")[-1] == "各股室要明确责任分工，按月报送工作进度，确保各项任务按时完成。"


def test_br_separated_article_in_a_layout_cell_leaves_the_menu_cell_out():
    menu = "".join(f"<a href='/{i}'>栏目{i}</a><br>" for i in range(15))
    text = "<br>".join(f"　　{i}、组织开展送戏下乡活动，全年不少于二十场，丰富农村群众文化生活。" for i in range(1, 7))
    html = (f"<html><head><title>某乡文化站工作计划</title></head><body><table><tr><td width='180'>{menu}</td>"
            f"<td><b>某乡文化站工作计划</b><br>{text}</td></tr></table></body></html>")
    lines = extract_main(html, "td.html").text.split("\n")
    assert lines[0].startswith("1、组织开展送戏下乡活动") and len(lines) == 6


def test_a_short_notice_on_a_heavy_page_is_not_replaced_by_the_body():
    nav = "".join(f"<li><a href='/{i}'>导航栏目名称第{i}项</a></li>" for i in range(120))
    html = (f"<html><head><title>关于调整文化站开放时间的通知</title></head><body><ul>{nav}</ul>"
            "<div class='con'><h1>关于调整文化站开放时间的通知</h1>"
            "<p>自下月起，镇文化站开放时间调整为每日九时至十七时，"
            "节假日照常开放。</p><p>特此通知。</p></div></body></html>")
    page = extract_main(html, "n.html")
    assert page.meta["extraction"] == "main"
    assert page.text == "自下月起，镇文化站开放时间调整为每日九时至十七时，节假日照常开放。\n特此通知。"


def test_widget_labels_counters_and_toolbar_tokens_go():
    paras = "".join(f"<p>第{i}段，区文化馆组织送文化下乡，群众反响热烈。</p>" for i in range(5))
    html = ("<html><head><title>区文化馆送文化下乡-某网</title></head><body>"
            "<div class='h-title'>区文化馆送文化下乡</div>"
            "<div class='h-info'><span>2024-05-06 10:00:00</span></div><div id='detail'>"
            f"<div class='lb'><span class='tj'>图集</span></div>{paras}<div class='zan'><div>+1</div></div>"
            "<div class='p-tags'><span><a href='#'>【纠错】</a> 责任编辑： 赵六</span></div></div></body></html>")
    page = extract_main(html, "w.html")
    lines = page.text.split("\n")
    assert page.published == "2024-05-06"
    assert lines[0] == "第0段，区文化馆组织送文化下乡，群众反响热烈。" and len(lines) == 5


def test_contributor_credit_line_at_the_end_goes():
    paras = "".join(f"<p>第{i}段，镇文化站举办书画展，展出作品六十余幅。</p>" for i in range(4))
    html = (f"<html><head><title>镇文化站举办书画展</title></head><body><div class='title'>镇文化站举办书画展</div>"
            f"<div id='z'>{paras}<p>镇文化站供稿&nbsp; 摄影/某某&nbsp; 编辑/某某</p></div></body></html>")
    lines = extract_main(html, "c.html").text.split("\n")
    assert len(lines) == 4 and lines[-1].startswith("第3段")


def test_pages_nested_thousands_deep_do_not_overflow():
    para = "<p>第一段正文，说明全年文化活动的总体安排和分工。</p>" * 3
    html = ("<html><body>" + "<div>" * 3000 + para + "</div>" * 3000
            + "<span>" * 2000 + "尾注" + "</span>" * 2000 + "</body></html>")
    page = extract_main(html, "deep.html")
    assert page.text.split("\n")[0] == "第一段正文，说明全年文化活动的总体安排和分工。"


def test_script_revealed_article_hidden_by_style_is_kept():
    paras = "".join(f"<p><span>第{i}项：开展社区读书会，每月一次。由社区文化志愿者组织。</span></p>" for i in range(6))
    html = ("<html><head><meta property='og:title' content='社区文化活动月度安排'><title></title></head><body>"
            "<div id='page-content'><h1 id='activity-name'>社区文化活动月度安排</h1>"
            "<div id='meta_content'><em id='publish_time'>2024-04-01</em><a id='js_name'>某社区</a></div>"
            f"<div class='rich_media_content' id='js_content' style='visibility: hidden;'>{paras}</div>"
            "<ul class='sub-menu' style='display:none'><li><a href='/x'>往期内容</a></li></ul></div></body></html>")
    page = extract_main(html, "wx.html")
    lines = page.text.split("\n")
    assert page.title == "社区文化活动月度安排" and page.published == "2024-04-01"
    assert lines[0] == "第0项：开展社区读书会，每月一次。由社区文化志愿者组织。" and len(lines) == 6
