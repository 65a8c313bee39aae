"""A crawl SIGKILLed in each phase of a column, then run again with the same command, ends with the pages,
files and attachment links of the uninterrupted crawl: killed during the first listing page, between listing
pages, among the articles, among the attachments; one process, and one ``--redis`` process.

The column's link texts mostly lack a plan keyword and the crawl follows by keyword (the default), so a
listing page made again without its column membership loses them (issue 17). Each kill lands in its phase,
whatever order the crawl takes: the site holds the answers to the phase's URLs (a listing page still to be
read among them from the second phase on), the kill comes once they have all come in and the frontier shows
the phase. Real processes, a real site on 127.0.0.1, a real redis-server (skipped when missing).
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from parser.scrape.check import check_corpus
from parser.scrape.links import has_keyword, rules_for
from parser.scrape.profiles import load_profile
from parser.scrape.server import serving
from parser.scrape.store import doc_id_for_url
from test_scrape_faults import kill      # SIGKILL to the crawl's process group

ROOT = Path(__file__).resolve().parents[2]
NEWS = ["区政协召开十届五次常委会议", "区政协领导赴乡镇走访慰问", "委员风采：扎根基层二十年", "区政协机关开展主题党日活动",
        "区政协举办委员履职培训班", "区政协视察城区老旧小区改造", "区政协召开民主评议座谈会", "区政协调研乡村振兴工作",
        "区政协界别活动组走进企业", "区政协机关干部参加义务植树", "区政协召开党组理论学习中心组会议"]
PLANS = ["区政协2025年协商工作计划", "区政协2025年工作要点", "区政协委员履职活动方案", "区政协2025年调研安排",
         "区政协2025年宣传工作思路"]
PAGES = [6, 6, 4]                       # articles on index.html, index_1.html, index_2.html
FILES = {1: [("f1.txt", "附件：2025年协商议题.txt")],             # article number → its attachments
         8: [("f2.txt", "附件1：2025年视察安排.txt"), ("f3.txt", "附件2：2025年委员培训方案.txt")]}
BODY = ["一、总体要求", "坚持稳中求进，由区政协办公室牵头，邀请区人大常委会参加。", "二、重点工作", "（一）加强组织建设",
        "每季度召开一次工作例会，6月中旬开展专项督查。", "（二）做好民生实事", "年内完成五项民生项目。"]


def titles() -> list[str]:
    """Two in three without a plan keyword, as a real column's news and plans mix."""
    news, plans = iter(NEWS), iter(PLANS)
    return [next(plans) if n % 3 == 2 else next(news) for n in range(sum(PAGES))]


def article_url(n: int) -> str:
    return f"/col/t202503{n + 1:02d}_{n}.html"


def listing_page(p: int, items: list[tuple[str, str, str]], pages: int = len(PAGES)) -> str:
    lis = "".join(f"<li><a href='{u}'>{t}</a><span>{d}</span></li>" for u, t, d in items)
    pager = f"<a href='index_{p + 1}.html'>下一页</a>" if p + 1 < pages else "<span>下一页</span>"
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>工作动态_青禾区政协</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a> <a href='/about.html'>机构概况</a></div>"
            f"<div class='content'><ul class='list'>{lis}</ul></div><div class='pager'>{pager}</div></body></html>")


def article_page(n: int, title: str) -> str:
    files = "".join(f"<p><a href='/col/files/{name}'>{text}</a></p>" for name, text in FILES.get(n, []))
    body = "".join(f"<p>{x}</p>" for x in BODY) + f"<p>（编号{n}）</p>" + files
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>"
            f"<div class='info'>发布时间：2025-03-{n + 1:02d}</div><div id='zoom'>{body}</div></body></html>")


def build_column(root: Path) -> list[tuple[str, str, str]]:
    """The column under /col/: three listing pages chained by 下一页, articles, .txt attachments."""
    (root / "col" / "files").mkdir(parents=True)
    items = [(article_url(n), t, f"2025-03-{n + 1:02d}") for n, t in enumerate(titles())]
    for n, (url, title, _) in enumerate(items):
        (root / url.lstrip("/")).write_text(article_page(n, title), "utf-8")
        for name, text in FILES.get(n, []):
            lines = [text.split("：", 1)[1].rsplit(".", 1)[0]] + BODY + [f"（附件{name}）"]
            (root / "col" / "files" / name).write_text("\n".join(lines) + "\n", "utf-8")
    start = 0
    for p, size in enumerate(PAGES):
        (root / "col" / ("index.html" if p == 0 else f"index_{p}.html")).write_text(
            listing_page(p, items[start:start + size]), "utf-8")
        start += size
    return items


def scrape_cmd(url: str, corpus: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "parser.scrape", "scrape", url, "--corpus", str(corpus), "--follow", "keyword",
            "--delay", "0", "--no-throttle", "--ignore-robots", "--concurrency", "2", "--max-pages", "0",
            "--workers", "0", "--no-extract", "--progress", "0", *extra]


def query(corpus: Path, sql: str, args: tuple = ()) -> list[tuple]:
    if not (corpus / "catalog.sqlite").exists():
        return []
    db = sqlite3.connect(f"file:{corpus / 'catalog.sqlite'}?mode=ro", uri=True, timeout=10)
    try:
        return db.execute(sql, args).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        db.close()


def result(corpus: Path, base: str) -> dict:
    """What a crawl ended with: path → (rows, content hash, text path's bytes, JSON bytes), and the
    attachment links."""
    pages = {}
    for url, rows, digest, text, parsed in query(
            corpus, "SELECT url, COUNT(*), MAX(content_hash), MAX(text_path), MAX(parsed_path) FROM pages GROUP BY url"):
        read = lambda rel: (corpus / rel).read_bytes() if rel else None  # noqa: E731
        pages[url[len(base):]] = (rows, digest, read(text), read(parsed))
    links = sorted((a[len(base):], b[len(base):]) for a, b in query(corpus, "SELECT page_url, url FROM attachments"))
    return {"pages": pages, "links": links}


def assert_same(got: dict, reference: dict) -> None:
    """Nothing lost, nothing extra, each page stored once with the same bytes, the same attachment links."""
    assert sorted(set(reference["pages"]) - set(got["pages"])) == []          # lost
    assert sorted(set(got["pages"]) - set(reference["pages"])) == []          # not in the uninterrupted crawl
    assert [p for p, v in reference["pages"].items() if got["pages"][p] != v] == []    # other bytes
    assert got == reference


def queue_state(corpus: Path, base: str) -> dict[str, int]:
    return {url[len(base):]: done for url, done in query(corpus, "SELECT url, done FROM queue")}


@pytest.fixture(scope="module")
def column(tmp_path_factory):
    root = tmp_path_factory.mktemp("killphases")
    items = build_column(root / "site")
    with serving(root / "site") as site:
        corpus = root / "reference"
        done = subprocess.run(scrape_cmd(site.url + "/col/index.html", corpus), cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        yield {"site": site, "items": items, "reference": result(corpus, site.url)}


def test_the_column_is_like_a_real_one(column):
    """Most link texts lack a plan keyword; the uninterrupted crawl stores every article and file once."""
    rules = rules_for(load_profile())
    assert sum(not has_keyword(t, rules) for _, t, _ in column["items"]) >= len(column["items"]) * 2 // 3
    pages = column["reference"]["pages"]
    files = {f"/col/files/{name}" for fs in FILES.values() for name, _ in fs}
    assert set(pages) == {u for u, _, _ in column["items"]} | files
    assert all(rows == 1 and digest for rows, digest, *_ in pages.values())
    assert len(column["reference"]["links"]) == 3


# phase → (the requests held, the frontier at the kill: path → done, None for not queued yet)
PHASES = {
    "first_listing": ({"/col/index.html"}, {"/col/index.html": 0, "/col/index_1.html": None}),
    "between_listings": ({"/col/index_1.html"}, {"/col/index.html": 1, "/col/index_1.html": 0}),
    "among_articles": ({article_url(9), "/col/index_2.html"},
                       {"/col/index_1.html": 1, article_url(9): 0, "/col/index_2.html": 0}),
    "among_attachments": ({"/col/files/f2.txt", "/col/index_2.html"},
                          {"/col/index_1.html": 1, "/col/files/f2.txt": 0, "/col/index_2.html": 0}),
}


def frontier_at(corpus: Path, base: str, paths) -> dict:
    state = queue_state(corpus, base)
    return {p: state.get(p) for p in paths}


def kill_in_phase(site, corpus: Path, cmd: list[str], phase: str) -> None:
    """Crawl (two requests at a time) until the phase's requests have come in and the frontier shows the
    phase: the crawl then waits on the held answers and can go no further. SIGKILL it there (its process
    group)."""
    held, expected = PHASES[phase]
    log = corpus.parent / "crawl.log"
    site.arrived.clear()
    site.hold(*held)
    try:
        with open(log, "ab") as fh:
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=fh, start_new_session=True)
        try:
            assert all(site.wait_arrival(path) for path in held), log.read_text()[-3000:]
            deadline = time.monotonic() + 60
            while frontier_at(corpus, site.url, expected) != expected and time.monotonic() < deadline:
                time.sleep(0.02)
            assert proc.poll() is None, log.read_text()[-3000:]
        finally:
            kill(proc)
    finally:
        site.release()
    assert frontier_at(corpus, site.url, expected) == expected


def kill_and_resume(column, tmp_path: Path, phase: str, *extra: str, forget=None) -> dict:
    """Kill the crawl in ``phase`` (then call ``forget``), run the same command again; what the corpus ended
    with."""
    site, corpus = column["site"], tmp_path / "corpus"
    cmd = scrape_cmd(site.url + "/col/index.html", corpus, *extra)
    kill_in_phase(site, corpus, cmd, phase)
    if forget is not None:
        forget()
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    report = check_corpus(corpus)
    assert report.unresolved == [] and report.pending == 0
    return result(corpus, site.url)


@pytest.mark.parametrize("phase", list(PHASES))
def test_one_process_killed_in_each_phase_ends_with_the_same_pages(column, tmp_path, phase):
    assert_same(kill_and_resume(column, tmp_path, phase), column["reference"])


@pytest.mark.parametrize("phase", list(PHASES))
def test_a_redis_process_killed_in_each_phase_ends_with_the_same_pages(column, redis_url, tmp_path, phase):
    got = kill_and_resume(column, tmp_path, phase, "--redis", redis_url, "--redis-key", f"planparser:phases:{phase}",
                          "--redis-idle", "1", "--redis-lease", "1")
    assert_same(got, column["reference"])


def test_a_redis_crawl_whose_shared_queue_was_lost_resumes_from_the_catalogue(column, redis_url, tmp_path):
    """Redis restarted without persistence while the crawl was down: the catalogue's frontier alone makes
    the pending requests again, each as it was."""
    import redis

    key = "planparser:phases:lost"

    def forget():
        client = redis.Redis.from_url(redis_url)
        try:
            client.delete(*client.keys(key + ":*"))
        finally:
            client.close()

    got = kill_and_resume(column, tmp_path, "among_articles", "--redis", redis_url, "--redis-key", key,
                          "--redis-idle", "1", "--redis-lease", "1", forget=forget)
    assert_same(got, column["reference"])


def test_update_after_a_resume_reads_the_settled_listings_again_conditionally(tmp_path):
    """index.html is settled in a run killed between listing pages; the resumed run does not read it again.
    An article is then added to it: the next ``update`` asks for every listing page with its validators,
    finds the new article on the changed page, and reads the unchanged pages (304) from the bytes it kept,
    so their articles are checked again too."""
    build_column(tmp_path / "site")
    corpus = tmp_path / "corpus"
    with serving(tmp_path / "site") as site:
        base = site.url
        cmd = scrape_cmd(base + "/col/index.html", corpus)
        kill_in_phase(site, corpus, cmd, "between_listings")
        mark = len(site.hits)
        again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr[-3000:]
        assert [p for m, p, _ in site.hits[mark:] if p == "/col/index.html"] == []     # settled: not read again

        new = article_url(len(titles()))
        (tmp_path / "site" / new.lstrip("/")).write_text(article_page(len(titles()), "区政协召开新春茶话会"), "utf-8")
        first = tmp_path / "site" / "col" / "index.html"
        first.write_text(first.read_text("utf-8").replace(
            "<ul class='list'>", f"<ul class='list'><li><a href='{new}'>区政协召开新春茶话会</a><span>2025-03-31</span></li>"),
            "utf-8")
        mark, asked = len(site.hits), len(site.conditional)
        update = subprocess.run([sys.executable, "-m", "parser.scrape", "update", "--corpus", str(corpus),
                                 "--delay", "0", "--no-throttle", "--ignore-robots", "--progress", "0", "--workers", "0"],
                                cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert update.returncode == 0, update.stderr[-3000:]
        hits = {(p, status) for m, p, status in site.hits[mark:] if m == "GET"}
        conditional = set(site.conditional[asked:])
    listings = {"/col/index.html", "/col/index_1.html", "/col/index_2.html"}
    assert listings <= conditional                                  # every listing asked with its validators
    assert ("/col/index.html", 200) in hits                         # changed: read
    assert {("/col/index_1.html", 304), ("/col/index_2.html", 304)} <= hits       # unchanged: read from the kept bytes
    assert {(article_url(n), 304) for n in range(len(titles()))} <= hits     # … so every article was checked again
    assert new in {url[len(base):] for (url,) in query(corpus, "SELECT url FROM pages")}
    plans = pd.read_parquet(corpus / "tables" / "plans.parquet")
    assert doc_id_for_url(base + new) in set(plans["doc_id"])       # and it reached the tables
