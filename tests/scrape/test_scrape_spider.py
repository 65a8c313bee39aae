"""The spider's decisions without a reactor: which links become requests (depth, page budget,
conditional headers), and which responses become page / failure / not-modified items."""
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from parser.scrape.profiles import load_profile
from parser.scrape.spider import PlanSpider
from parser.scrape.store import Fetched

LISTING = """<html><head><meta charset="utf-8"><title>通知公告</title></head><body><ul>
<li><a href="/a/p1.html">某社区2025年工作计划</a></li><li><a href="/a/p2.html">某镇2025年工作要点</a></li>
<li><a href="/a/p3.html">某街道2025年实施方案</a></li><li><a href="/news/n1.html">会议消息</a></li>
<li><a href="http://elsewhere.org/p.html">外站工作计划</a></li></ul>
<a href="/list/index_1.html">下一页</a><a href="/other/index_1.html">更多</a></body></html>"""


def spider(tmp_path, **settings):
    crawler = get_crawler(PlanSpider, {"PLANPARSER_DEPTH": 1, **settings})
    return PlanSpider.from_crawler(crawler, profile=load_profile(), corpus=str(tmp_path),
                                   urls=["http://site.gov.cn/list/index.html"])


def response(url, body=LISTING, status=200, role="start", depth=0, headers=None):
    req = Request(url, meta={"pp_role": role, "pp_depth": depth})
    return HtmlResponse(url, body=body.encode("utf-8"), status=status, request=req, headers=headers or {})


def test_listing_yields_articles_and_pagination_within_depth(tmp_path):
    sp = spider(tmp_path)
    out = list(sp.parse(response("http://site.gov.cn/list/index.html")))
    reqs = {r.url: (r.meta["pp_role"], r.meta["pp_depth"]) for r in out if isinstance(r, Request)}
    assert reqs == {"http://site.gov.cn/a/p1.html": ("article", 1), "http://site.gov.cn/a/p2.html": ("article", 1),
                    "http://site.gov.cn/a/p3.html": ("article", 1),
                    "http://site.gov.cn/news/n1.html": ("article", 1),             # in the list: whatever its title
                    "http://site.gov.cn/list/index_1.html": ("listing", 0),      # same folder: same depth
                    "http://site.gov.cn/other/index_1.html": ("listing", 1)}
    assert not [x for x in out if isinstance(x, dict)]                           # a listing is not stored
    assert [r["url"] for r in sp.store.pending()][:1] == ["http://site.gov.cn/a/p1.html"]
    deeper = list(sp.parse(response("http://site.gov.cn/other/index_1.html", role="listing", depth=1)))
    assert all(r.meta["pp_depth"] <= 1 for r in deeper if isinstance(r, Request))


def test_page_budget_limits_requests(tmp_path):
    sp = spider(tmp_path, PLANPARSER_MAX_PAGES=2)
    sp.seen.add("http://site.gov.cn/list/index.html")
    out = [r for r in sp.parse(response("http://site.gov.cn/list/index.html")) if isinstance(r, Request)]
    assert len(out) == 1 and sp.crawler.stats.get_value("crawl/over_page_limit") == 5


def test_known_article_is_requested_conditionally(tmp_path):
    sp = spider(tmp_path)
    sp.store.record_page(Fetched(url="http://site.gov.cn/a/p1.html", final_url="http://site.gov.cn/a/p1.html",
                                 status=200, body=b"x", etag='"abc"'), sp.run_id, "generic")
    req = sp.make("http://site.gov.cn/a/p1.html", "article", 1)
    assert req.headers.get("If-None-Match") == b'"abc"'
    assert sp.make("http://site.gov.cn/a/p1.html", "article", 1) is None           # once per run


def test_article_responses_become_items(tmp_path):
    sp = spider(tmp_path)
    page = list(sp.parse(response("http://site.gov.cn/a/p1.html", role="article", depth=1,
                                  headers={"ETag": '"e"'})))
    assert page[0]["kind"] == "page" and page[0]["etag"] == '"e"' and page[0]["body"].startswith(b"<html>")
    gone = list(sp.parse(response("http://site.gov.cn/a/p9.html", body="nf", status=404, role="article")))
    assert gone == [{"kind": "failure", "url": "http://site.gov.cn/a/p9.html",
                     "final_url": "http://site.gov.cn/a/p9.html", "status": 404, "error": "HTTP 404"}]
    same = list(sp.parse(response("http://site.gov.cn/a/p1.html", body="", status=304, role="article")))
    assert same[0]["kind"] == "not_modified"
