"""The spider's decisions without a reactor: which links become requests (depth, page budget,
conditional headers), and which responses become page / failure / not-modified items."""
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from parser.scrape.frontier import Entry
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
    assert [r.url for r in sp.store.pending()][:1] == ["http://site.gov.cn/a/p1.html"]
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
    req = sp.make(Entry("http://site.gov.cn/a/p1.html", "article", 1))
    assert req.headers.get("If-None-Match") == b'"abc"'
    assert sp.make(Entry("http://site.gov.cn/a/p1.html", "article", 1)) is None      # once per run


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


ARTICLE_WITH_FILES = """<html><head><meta charset="utf-8"><title>区政协2025年工作要点</title></head><body>
<h1>关于印发区政协2025年工作要点的通知</h1><p>详见附件。</p>
<p>附件：<a href="/files/gzyd.docx">2025年工作要点.docx</a></p>
<p><a href="/down.jsp?id=7">重点任务分解表.pdf</a> <a href="http://file.site.gov.cn/u/plan.wps">打印版</a></p>
<p><a href="http://other.org/x.pdf">外站文件.pdf</a> <a href="/a/p2.html">上一篇</a></p></body></html>"""


def test_an_articles_files_are_requested_size_capped_and_travel_with_it(tmp_path):
    sp = spider(tmp_path, PLANPARSER_ATTACHMENT_MAX_BYTES=1000)
    out = list(sp.parse(response("http://www.site.gov.cn/a/p1.html", body=ARTICLE_WITH_FILES, role="article",
                                 depth=1)))
    reqs = [r for r in out if isinstance(r, Request)]
    assert [r.url for r in reqs] == ["http://www.site.gov.cn/files/gzyd.docx", "http://www.site.gov.cn/down.jsp?id=7",
                                     "http://file.site.gov.cn/u/plan.wps"]        # not the other site's file
    assert all(r.meta["pp_role"] == "attachment" and r.meta["download_maxsize"] == 1000 for r in reqs)
    assert reqs[0].meta["pp_parent"] == "http://www.site.gov.cn/a/p1.html"
    page = [x for x in out if isinstance(x, dict)][0]
    assert [name for _, name in page["attachments"]] == ["2025年工作要点.docx", "重点任务分解表.pdf", "打印版"]


def test_a_file_over_the_cap_is_a_clear_failure(tmp_path):
    from twisted.internet.defer import CancelledError
    from twisted.python.failure import Failure

    sp = spider(tmp_path, PLANPARSER_ATTACHMENT_MAX_BYTES=1048576)
    req = sp.make(Entry("http://site.gov.cn/files/big.pdf", "attachment", 2, "http://site.gov.cn/a/p1.html", "大文件.pdf",
                        parent="http://site.gov.cn/a/p1.html"))
    try:
        raise CancelledError("Cancelling download of http://site.gov.cn/files/big.pdf: expected response size "
                             "(99999999) larger than download max size (1048576).")
    except CancelledError:
        failure = Failure()
    failure.request = req
    [item] = list(sp.failed(failure))
    assert item["kind"] == "failure" and "over the size cap (1 MB)" in item["error"]


def test_follow_all_stores_a_page_that_is_no_listing(tmp_path):
    sp = spider(tmp_path, PLANPARSER_FOLLOW="all")
    about = ("<html><head><meta charset='utf-8'><title>机构概况</title></head><body><h1>机构概况</h1>"
             "<p>区政协是区委领导下的政治协商机构。</p><a href='/list/index.html'>返回</a></body></html>")
    out = list(sp.parse(response("http://site.gov.cn/jg/about.html", body=about, role="listing", depth=1)))
    assert [x["url"] for x in out if isinstance(x, dict)] == ["http://site.gov.cn/jg/about.html"]
    kept = list(spider(tmp_path / "k").parse(response("http://site.gov.cn/jg/about.html", body=about,
                                                      role="listing", depth=1)))
    assert not [x for x in kept if isinstance(x, dict)]                  # keyword mode: scanned, not stored


def requests_of(out) -> dict[str, tuple]:
    """url → everything a request is made of that decides what its page leads to."""
    return {r.url: (r.meta, dict(r.headers), r.priority, r.callback.__name__, r.errback.__name__, r.dont_filter)
            for r in out if isinstance(r, Request)}


def resumed(tmp_path) -> dict[str, tuple]:
    """The requests a spider started again on the same corpus makes from the frontier's pending rows."""
    import asyncio

    async def collect(sp):
        return [r async for r in sp.start()]

    return requests_of(asyncio.run(collect(spider(tmp_path))))


COLUMN = """<html><head><meta charset="utf-8"><title>工作动态</title></head><body><ul class="list">
<li><a href="/list/t20250301_1.html">区政协召开常委会议</a><span>2025-03-01</span></li>
<li><a href="/list/t20250302_2.html">委员风采：扎根基层二十年</a><span>2025-03-02</span></li>
<li><a href="/list/t20250303_3.html">区政协2025年工作要点</a><span>2025-03-03</span></li></ul>
<a href="/list/index_1.html">下一页</a></body></html>"""
ARTICLE = ("<html><head><meta charset='utf-8'><title>区政协召开常委会议</title></head><body><h1>区政协召开常委会议</h1>"
           "<p>会议审议了工作计划。</p><p>附件：<a href='/files/jh.docx'>2025年协商计划.docx</a></p></body></html>")


def test_a_pending_rows_request_is_the_request_it_replaces(tmp_path):
    """Killed after a column page and an article were read: the resumed spider makes, from the frontier's rows,
    the very requests the killed one had made (column membership, main-list shape, an attachment's article and
    title hint, depth, referer, priority), so the pages lead where they led."""
    sp = spider(tmp_path)
    asked = requests_of(sp.parse(response("http://site.gov.cn/list/index.html", body=COLUMN)))
    page = requests_of(sp.parse(response("http://site.gov.cn/list/t20250301_1.html", body=ARTICLE, role="article",
                                         depth=1)))
    asked.update(page)
    nxt = asked["http://site.gov.cn/list/index_1.html"][0]
    assert nxt["pp_column"] and nxt["pp_shape"] == ("html/body/ul.list", "li")     # a page of the column
    assert page["http://site.gov.cn/files/jh.docx"][0]["pp_parent"] == "http://site.gov.cn/list/t20250301_1.html"
    sp.store.mark_done("http://site.gov.cn/list/t20250301_1.html")         # the article was stored
    del asked["http://site.gov.cn/list/t20250301_1.html"]
    sp.store.close()
    again = resumed(tmp_path)
    assert {u: again.get(u) for u in asked} == asked


def test_a_column_page_read_again_leads_where_it_led(tmp_path):
    """index_1 made from its pending row is read as a page of the column: every item of its main list is an
    article, with or without a plan keyword (``--follow keyword`` would drop 区政协召开常委会议 elsewhere)."""
    sp = spider(tmp_path)
    list(sp.parse(response("http://site.gov.cn/list/index.html", body=COLUMN)))
    sp.store.close()
    again = spider(tmp_path)
    req = again.make(next(e for e in again.store.pending() if e.url.endswith("index_1.html")), queued=True)
    page = COLUMN.replace("t202503", "t202504").replace("index_1", "index_2")
    out = again.parse(HtmlResponse(req.url, body=page.encode("utf-8"), request=req))
    got = {r.url for r in out if isinstance(r, Request)}
    assert {"http://site.gov.cn/list/t20250401_1.html", "http://site.gov.cn/list/t20250402_2.html"} <= got


def test_rows_of_an_older_catalogue_are_read_as_well_as_they_can_be(tmp_path):
    """A catalogue written before rows carried their requests' state (no ``carry``; NULL after the migration):
    an attachment's article is its referer, a listing beside the start URL is a page of its column."""
    import sqlite3

    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    db.executescript("""
        CREATE TABLE queue (url TEXT PRIMARY KEY, role TEXT NOT NULL, depth INTEGER NOT NULL, referer TEXT,
                            anchor TEXT, added_at TEXT, done INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        INSERT INTO meta VALUES ('schema_version', '1'), ('frontier', 'open');
        INSERT INTO queue VALUES ('http://site.gov.cn/list/index.html', 'start', 0, '', '', '', 1);
        INSERT INTO queue VALUES ('http://site.gov.cn/list/index_1.html', 'listing', 0,
                                  'http://site.gov.cn/list/index.html', '下一页', '', 0);
        INSERT INTO queue VALUES ('http://site.gov.cn/other/index_1.html', 'listing', 1,
                                  'http://site.gov.cn/list/index.html', '更多', '', 0);
        INSERT INTO queue VALUES ('http://site.gov.cn/files/jh.docx', 'attachment', 2,
                                  'http://site.gov.cn/list/t20250301_1.html', '2025年协商计划.docx', '', 0);""")
    db.commit()
    db.close()
    again = resumed(tmp_path)
    assert again["http://site.gov.cn/list/index_1.html"][0]["pp_column"] is True
    assert again["http://site.gov.cn/other/index_1.html"][0]["pp_column"] is False
    attachment = again["http://site.gov.cn/files/jh.docx"][0]
    assert attachment["pp_parent"] == "http://site.gov.cn/list/t20250301_1.html"
    assert attachment["pp_anchor"] == "2025年协商计划.docx"


def test_a_listing_not_modified_is_read_from_the_bytes_kept(tmp_path):
    """A listing read before is asked for with its validators; its 304 leads to the requests its 200 led to.
    Without kept bytes (or with damaged ones) it is asked for again without validators."""
    sp = spider(tmp_path)
    url = "http://site.gov.cn/list/index.html"
    first = requests_of(sp.parse(response(url, body=COLUMN, headers={"ETag": '"v1"'})))
    sp.store.close()
    later = spider(tmp_path)                            # the next crawl
    req = later.make(Entry(url, "start", 0))
    assert req.headers.get("If-None-Match") == b'"v1"'
    out = requests_of(later.parse(HtmlResponse(url, status=304, body=b"", request=req)))
    assert {u: r[0]["pp_column"] for u, r in out.items()} == {u: r[0]["pp_column"] for u, r in first.items()}
    later.store.db.execute("UPDATE listings SET body = x'00'")
    [again] = list(later.parse(HtmlResponse(url, status=304, body=b"", request=req)))
    assert again.url == url and again.dont_filter and b"If-None-Match" not in again.headers


def test_a_resumed_file_is_asked_for_once_its_article_is_read_again(tmp_path):
    """Killed after an article's file was queued but before the article was stored: the resumed crawl asks for
    the file when the article is read again, just before the article's item (as it first did), so the file is
    stored with the article's date; a file whose article is not read again is asked for once nothing else is
    left, never left pending."""
    import asyncio
    from types import SimpleNamespace

    import pytest
    from scrapy.exceptions import DontCloseSpider

    async def collect(sp):
        return [r.url async for r in sp.start()]

    article, file = "http://site.gov.cn/list/t20250301_1.html", "http://site.gov.cn/files/jh.docx"
    first = spider(tmp_path)
    first.store.enqueue([Entry(article, "article", 1, "http://site.gov.cn/list/index.html", "区政协召开常委会议")])
    list(first.parse(response(article, body=ARTICLE, role="article", depth=1)))   # its item is never stored
    again = spider(tmp_path)
    asked = asyncio.run(collect(again))
    assert article in asked and file not in asked
    out = list(again.parse(response(article, body=ARTICLE, role="article", depth=1)))
    assert [x.url if isinstance(x, Request) else x["kind"] for x in out] == [file, "page"]
    assert out[0].meta["pp_parent"] == article and out[0].meta["pp_anchor"] == "2025年协商计划.docx"

    idle = spider(tmp_path)                  # resumed again; this time the article goes elsewhere
    asyncio.run(collect(idle))
    crawled = []
    idle.crawler.engine = SimpleNamespace(crawl=crawled.append)
    with pytest.raises(DontCloseSpider):
        idle.release_waiting()
    assert [r.url for r in crawled] == [file]
    idle.release_waiting()                   # nothing waits any more: the crawl may close
