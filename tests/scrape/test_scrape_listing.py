"""A listing's main list, the column's other pages, and what each follow mode takes (no reactor)."""
from __future__ import annotations

from lxml import html as lxml_html

from parser.scrape.column import listing_links
from parser.scrape.links import ARTICLE, LISTING, rules_for
from parser.scrape.listing import ListShape, looks_like_listing, main_list
from parser.scrape.pagination import (column_folders, column_pages, in_column, page_total, read_sitemap,
                                      script_pager, script_pages)
from parser.scrape.profiles import load_profile

BASE = "http://www.a.gov.cn/jhzj/index.html"
NAV = ("<div class='nav'><a href='/'>首页</a><a href='/zwgk/'>政务公开新闻</a><a href='/hdjl/'>互动交流平台</a>"
       "<a href='/about/'>机构概况介绍</a></div>")
SIDE = ("<div class='side'><ul class='hot'><li><a href='/h/1.html'>全区经济运行情况通报</a></li>"
        "<li><a href='/h/2.html'>全力推进项目建设见成效</a></li><li><a href='/h/3.html'>我区召开安全生产会议</a></li></ul></div>")
TITLES = ["某市人大常委會2019年監督工作計劃", "代表视察活动通知", "学雷锋志愿服务活动方案", "区政协召开十届五次常委会议",
          "县委常委会审议通过政协年度协商计划", "委员风采：扎根基层二十年", "文化站2025年工作安排"]


def items_html(titles, per_block=5):
    lis = [f"<li><a href='a/t2024010{i}_{i}.html'>{t}</a><span>2024-01-0{i + 1}</span></li>" for i, t in enumerate(titles)]
    return "".join("<ul class='list'>" + "".join(lis[k:k + per_block]) + "</ul>" for k in range(0, len(lis), per_block))


def page(body, script=""):
    return (f"<html><head><title>计划总结</title></head><body>{NAV}<div class='main'>{body}</div>{SIDE}"
            f"<div class='pager'><a href='index_1.html'>2</a><a href='index_1.html'>下一页</a>{script}</div>"
            "<div class='footer'>版权所有 青禾区人民政府</div></body></html>")


def test_main_list_is_the_whole_dated_list_not_nav_or_side_boxes():
    found = main_list(page(items_html(TITLES)), BASE)
    assert [it.title for it in found.items] == TITLES                 # both <ul> blocks, whatever the titles
    assert found.items[0].url == "http://www.a.gov.cn/jhzj/a/t20240100_0.html" and found.items[0].date == "2024-01-01"
    assert found.shape == ListShape("html/body/div.main/ul.list", "li")


def test_table_and_div_lists_and_cut_titles():
    rows = "".join(f"<tr><td><a href='a/{i}.html' title='{t}'>{t[:6]}...</a></td><td>2024-02-0{i + 1}</td></tr>"
                   for i, t in enumerate(TITLES[:4]))
    found = main_list(page(f"<table><tbody>{rows}</tbody></table>"), BASE)
    assert [it.title for it in found.items] == TITLES[:4]              # the title attribute beats "…" text
    divs = "".join(f"<div class='item'><a href='a/{i}.html'>{t}</a></div>" for i, t in enumerate(TITLES))
    assert len(main_list(page(f"<div class='news'>{divs}</div>"), BASE).items) == len(TITLES)


def test_the_first_pages_shape_reads_a_last_page_of_one_item():
    shape = main_list(page(items_html(TITLES)), BASE).shape
    last = page(items_html(TITLES[:1]))
    assert [it.title for it in main_list(last, BASE, hint=shape).items] == TITLES[:1]


def test_jcms_datastore_records_are_the_list():
    records = "".join(f"<record><![CDATA[<li><a href='/art/2024/1/{i}/art_1_{i}.html'>{t}</a><span>2024-01-0{i + 1}"
                      f"</span></li>]]></record>" for i, t in enumerate(TITLES[:4]))
    html = page(f"<div id='123'><script type='text/xml'><datastore><recordset>{records}</recordset></datastore>"
                "</script></div>")
    assert [it.title for it in main_list(html, BASE).items] == TITLES[:4]


def test_a_listing_is_told_from_an_article_with_a_related_box():
    assert looks_like_listing(lxml_html.fromstring(page(items_html(TITLES))), BASE)
    article = page("<h1>2024年工作要点</h1>" + "<p>" + "坚持稳中求进，统筹推进各项工作。" * 40 + "</p>"
                   + items_html(TITLES[:3]))
    assert not looks_like_listing(lxml_html.fromstring(article), BASE)


def test_script_pagers():
    assert script_pager('createPageHTML(8, 0, "index", "html");') == (8, "index", "html")
    assert script_pager("createPageHTML('page_div',12, 3,'list','shtml',230);") == (12, "list", "shtml")
    assert script_pager("var countPage = 5//共多少页\nvar currentPage = 0;\nvar prefix = 'index';") == (5, "index", "html")
    assert script_pager("var x = 1;") is None
    assert script_pages(BASE, ['createPageHTML(3, 0, "index", "html");']) == [
        "http://www.a.gov.cn/jhzj/index.html", "http://www.a.gov.cn/jhzj/index_1.html",
        "http://www.a.gov.cn/jhzj/index_2.html"]
    assert script_pages(BASE, ['createPageHTML(99999, 0, "index", "html");']) == []        # not believed


def test_stated_page_count_fills_the_range():
    assert page_total("共 6 页 当前第1页") == 6 and page_total("页次：1/4") == 4 and page_total("第1页") is None
    pages = column_pages("http://a.gov.cn/list.jsp?cat=3&page=1", [("http://a.gov.cn/list.jsp?cat=3&page=2", "2")],
                         [], [], "共4页")
    assert pages == ["http://a.gov.cn/list.jsp?cat=3&page=2", "http://a.gov.cn/list.jsp?cat=3&page=3",
                     "http://a.gov.cn/list.jsp?cat=3&page=4"]
    trs = column_pages(BASE, [], ["http://www.a.gov.cn/jhzj/index_1.html"], [], "共 4 页")
    assert trs == ["http://www.a.gov.cn/jhzj/index_1.html", "http://www.a.gov.cn/jhzj/index_2.html",
                   "http://www.a.gov.cn/jhzj/index_3.html"]


def test_sitemaps_and_column_folders():
    kind, locs = read_sitemap(b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                              b"<url><loc>http://www.a.gov.cn/jhzj/a/1.html</loc></url></urlset>")
    assert kind == "urlset" and locs == ["http://www.a.gov.cn/jhzj/a/1.html"]
    assert read_sitemap(b"<html>not a sitemap</html>")[1] == []
    import gzip

    index = gzip.compress(b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                          b"<sitemap><loc>http://www.a.gov.cn/sitemap1.xml</loc></sitemap></sitemapindex>")
    assert read_sitemap(index) == ("sitemapindex", ["http://www.a.gov.cn/sitemap1.xml"])
    folders = column_folders([BASE, "http://www.a.gov.cn/index.html"])
    assert folders == ("www.a.gov.cn/jhzj/",)                           # the site root is no column
    assert in_column("http://www.a.gov.cn/jhzj/a/1.html", folders) and not in_column("http://www.a.gov.cn/h/1.html", folders)


def _links(follow, column=True):
    html = page(items_html(TITLES) + "<a href='/qt/plan.html'>青禾区2024年工作要点</a><a href='/qt/news.html'>领导调研活动</a>")
    root = lxml_html.fromstring(html)
    anchors = [(a.get("href"), a.text_content()) for a in root.iter("a")]
    found, _ = listing_links(BASE, root, anchors, [], rules_for(load_profile()), ("www.a.gov.cn",), follow, column)
    return {f.url.replace("http://www.a.gov.cn", ""): (f.kind, f.column) for f in found}


def test_follow_modes():
    keyword, every, only = _links("keyword"), _links("all"), _links("list")
    column_items = {f"/jhzj/a/t2024010{i}_{i}.html" for i in range(len(TITLES))}
    for got in (keyword, every, only):
        assert column_items <= set(got) and got["/jhzj/index_1.html"] == (LISTING, True)
    assert keyword["/qt/plan.html"] == (ARTICLE, False) and "/qt/news.html" not in keyword
    assert "/h/1.html" not in keyword and "/about/" not in keyword      # side box and navigation
    assert "/qt/plan.html" not in only and "/h/1.html" not in only
    assert every["/qt/news.html"] == (LISTING, False) and "/h/1.html" in every and "/about/" in every
    not_column = _links("keyword", column=False)
    assert "/jhzj/a/t20240103_3.html" not in not_column                 # a news title outside the column: skipped
    assert not_column["/jhzj/a/t20240101_1.html"] == (ARTICLE, False)   # 代表视察活动通知: a plan keyword


def test_the_columns_own_items_beat_a_longer_dated_side_box():
    side = "<div class='box'><ul class='zxxx'>" + "".join(
        f"<li><a href='/zwgk/news/{i}.html'>全区第{i}次重点项目调度会议召开</a><span>2024-05-0{i}</span></li>"
        for i in range(1, 9)) + "</ul></div>"
    found = main_list(page(items_html(TITLES) + side), BASE)      # 7 items under /jhzj/ against 8 elsewhere
    assert [it.title for it in found.items] == TITLES
