"""``planparser scrape --redis URL``: two crawler processes share one Redis queue and duplicate filter
and write into one corpus; every page is fetched and stored exactly once, and both processes work.

Starts a real ``redis-server`` on a free loopback port (skipped when the binary is missing) and a
local site of 300 generated article pages that answers each request after a short delay.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from parser.scrape.redis import keys, redis_key, redis_settings
from parser.scrape.server import serving
from parser.scrape.settings import resolve, scrapy_settings

ROOT = Path(__file__).resolve().parents[2]
PAGES, PER_LISTING = 300, 15
UNITS = ["社区居委会", "街道办事处", "文化服务中心", "镇人民政府", "区政协办公室"]



def make_site(root: Path) -> int:
    """Listing pages chained by 下一页 (the first also has a pager to all), each linking PER_LISTING article
    pages (invented plan texts): enough queued work at once for two processes to share."""
    (root / "a").mkdir(parents=True)
    listings = (PAGES + PER_LISTING - 1) // PER_LISTING
    for li in range(listings):
        items = "".join(f'<li><a href="a/p{i:04d}.html">第{i}号{UNITS[i % 5]}{2020 + i % 6}年工作计划</a></li>'
                        for i in range(li * PER_LISTING, min(PAGES, (li + 1) * PER_LISTING)))
        pager = "".join(f'<a href="list_{n}.html">{n + 1}</a>' for n in range(1, listings)) if li == 0 else ""
        nxt = (f'<a href="list_{li + 1}.html">下一页</a>' if li + 1 < listings else "") + pager
        (root / ("list.html" if li == 0 else f"list_{li}.html")).write_text(
            f"<html><head><meta charset='utf-8'><title>工作动态</title></head><body><ul>{items}</ul>{nxt}</body></html>",
            "utf-8")
    for i in range(PAGES):
        unit, year = UNITS[i % 5], 2020 + i % 6
        body = (f"<p>一、目标任务</p><p>围绕第{i}号片区的重点工作，{i % 12 + 1}月底前完成走访。</p>"
                f"<p>二、具体安排</p><p>（一）{unit}每季度召开一次推进会。</p><p>三、工作要求</p><p>压实责任。</p>")
        (root / "a" / f"p{i:04d}.html").write_text(
            f"<html><head><meta charset='utf-8'><title>第{i}号{unit}{year}年工作计划</title></head><body>"
            f"<h1>第{i}号{unit}{year}年工作计划</h1><div id='zoom'>{body}</div></body></html>", "utf-8")
    return listings


def crawl(url: str, corpus: Path, redis: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "parser.scrape", "scrape", url, "--corpus", str(corpus),
                             "--redis", redis, "--redis-idle", "2", "--delay", "0", "--no-throttle",
                             "--ignore-robots", "--concurrency", "2", "--max-pages", "0", "--workers", "0",
                             "--no-extract", "--progress", "0", *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def shared_crawl(redis_url, tmp_path_factory):
    """Two processes started together on one corpus; the catalogue and what the site saw."""
    tmp = tmp_path_factory.mktemp("shared")
    listings = make_site(tmp / "site")
    corpus = tmp / "corpus"
    with serving(tmp / "site", delay=0.05) as site:
        procs = [crawl(site.url + "/list.html", corpus, redis_url) for _ in range(2)]
        outs = [p.communicate(timeout=150) for p in procs]
        hits = list(site.hits)
    db = sqlite3.connect(corpus / "catalog.sqlite")
    db.row_factory = sqlite3.Row
    try:
        pages = [dict(r) for r in db.execute("SELECT url, version, content_hash, run_id FROM pages")]
        runs = [dict(r) for r in db.execute("SELECT run_id, reason, stats FROM runs ORDER BY run_id")]
    finally:
        db.close()
    return {"codes": [p.returncode for p in procs], "outs": outs, "pages": pages, "runs": runs, "hits": hits,
            "listings": listings}


def test_both_processes_finish(shared_crawl):
    for code, (_, err) in zip(shared_crawl["codes"], shared_crawl["outs"]):
        assert code == 0, err[-3000:]
    assert [r["reason"] for r in shared_crawl["runs"]] == ["finished", "finished"]


def test_every_page_stored_exactly_once(shared_crawl):
    pages = shared_crawl["pages"]
    urls = [p["url"] for p in pages]
    assert len(set(urls)) == PAGES
    assert len(urls) == PAGES                                    # one row (version 1) per URL
    assert {p["version"] for p in pages} == {1}
    assert len({(p["url"], p["content_hash"]) for p in pages}) == PAGES
    assert all(p["content_hash"] for p in pages)


def test_each_url_fetched_once_across_processes(shared_crawl):
    got = [path for method, path, status in shared_crawl["hits"] if method == "GET"]
    assert got.count("/sitemap.xml") == 1                         # asked once for the crawl, not per process
    assert len(got) == len(set(got)) == PAGES + shared_crawl["listings"] + 1


def test_both_processes_fetched_pages(shared_crawl):
    """Each process's run row counts its own responses, and both stored pages under their run_id."""
    runs = shared_crawl["runs"]
    responses = [json.loads(r["stats"]).get("response_received_count", 0) for r in runs]
    assert all(n > 0 for n in responses), responses
    assert sum(responses) == PAGES + shared_crawl["listings"] + 1       # + the sitemap.xml (a 404 here)
    stored = {r["run_id"]: 0 for r in runs}
    for p in shared_crawl["pages"]:
        stored[p["run_id"]] += 1
    assert all(n > 0 for n in stored.values()), stored


def test_no_deprecation_noise_and_keys_cleared(shared_crawl, redis_url):
    for _, err in shared_crawl["outs"]:
        assert "DeprecationWarning" not in err, err[-2000:]
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        assert [k for k in client.keys("planparser:*")] == []    # the last process out cleared the finished crawl
    finally:
        client.close()


def test_settings_switch_to_redis_only_when_asked(tmp_path):
    plain = scrapy_settings(resolve(), jobdir=str(tmp_path / "job"))
    assert plain["JOBDIR"] == str(tmp_path / "job") and "SCHEDULER" not in plain
    opts = resolve({"PLANPARSER_REDIS_URL": "redis://127.0.0.1:1/0", "PLANPARSER_REDIS_KEY": "planparser:p:c"})
    shared = scrapy_settings(opts, jobdir=str(tmp_path / "job"))
    assert "JOBDIR" not in shared
    assert shared["SCHEDULER"] == "parser.scrape.leases.LeasingScheduler"          # leases, not plain pops
    assert shared["SCHEDULER_QUEUE_CLASS"] == "parser.scrape.leases.LeasedQueue"
    assert shared["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert shared["SCHEDULER_PERSIST"] is True
    assert shared["SCHEDULER_QUEUE_KEY"] == keys("planparser:p:c")["requests"]
    assert "parser.scrape.progress.ProgressLine" in shared["EXTENSIONS"]      # merged, not replaced
    assert "parser.scrape.redis.SharedQueueWatch" in shared["EXTENSIONS"]


def test_key_prefix_per_corpus_and_profile(tmp_path):
    a = redis_key(tmp_path / "corpus one", "generic")
    assert a == "planparser:generic:corpus_one"
    assert redis_key(tmp_path / "other", "generic") != a
    assert redis_key(tmp_path / "corpus one", "mysite") != a
    assert "%" not in redis_settings("redis://x", "a%b", 1)["SCHEDULER_DUPEFILTER_KEY"]


def test_fresh_clears_only_this_crawls_keys(redis_url):
    import redis

    from parser.scrape.redis import clear

    client = redis.Redis.from_url(redis_url)
    try:
        for prefix in ("planparser:p:one", "planparser:p:two"):
            client.sadd(keys(prefix)["dupefilter"], "fp")
            client.zadd(keys(prefix)["requests"], {b"req": 0})
        assert clear(redis_url, "planparser:p:one") == 2
        assert not client.exists(keys("planparser:p:one")["dupefilter"], keys("planparser:p:one")["requests"])
        assert client.exists(keys("planparser:p:two")["dupefilter"], keys("planparser:p:two")["requests"]) == 2
        client.delete(*keys("planparser:p:two").values())
    finally:
        client.close()


def test_leased_requests_come_back_only_when_their_owner_is_silent(redis_url):
    """The reliable queue against a real redis-server: a popped request stays leased, goes back to the queue
    when its owner's heartbeat is older than the lease timeout, and is gone once acknowledged."""
    import redis
    import scrapy

    from parser.scrape.leases import LeasedQueue

    class Probe(scrapy.Spider):
        name = "probe"

    server = redis.Redis.from_url(redis_url)
    k = keys("planparser:probe:c")
    try:
        q = LeasedQueue(server, Probe(), k["requests"])
        q.spider_df_key = k["dupefilter"]
        a = scrapy.Request("http://x/a.html", meta={"pp_url": "http://x/a.html"}, priority=10)
        b = scrapy.Request("http://x/b.html", meta={"pp_url": "http://x/b.html"})
        assert q.push_new(a, "fp-a") and q.push_new(b, "fp-b")
        assert not q.push_new(a, "fp-a")                       # seen: not queued twice
        got = q.pop()
        assert got.url == "http://x/a.html"                    # priority first
        assert len(q) == 1 and server.hlen(k["leases"]) == 1   # leased, not gone
        now = q.now()
        server.zadd(k["alive"], {q.tag: now})
        assert q.reap(5.0) == 0                                # its owner is alive: it stays leased
        server.zadd(k["alive"], {q.tag: now - 10})
        assert q.reap(5.0) == 1 and len(q) == 2                # silent for 10 s: back in the queue
        assert q.pop().url == "http://x/a.html"
        q.ack("http://x/a.html")                               # stored: the lease is gone for good
        assert server.hlen(k["leases"]) == 0 and len(q) == 1
        assert q.pop().url == "http://x/b.html"
        assert q.release() == 1 and len(q) == 1 and server.hlen(k["leases"]) == 0     # shutting down
    finally:
        server.delete(*k.values())
        server.close()
