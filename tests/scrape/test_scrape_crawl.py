"""End to end against tests/fixtures/site served on 127.0.0.1: what is stored, what a re-run skips,
that extracted texts equal the expected ones, 404/500/redirect/robots handling, update and schedule.

Crawls run in a child process (``python -m parser.scrape``): Scrapy's reactor starts once per process.
"""
from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from parser.cli import main
from parser.scrape.server import serving

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
PROFILE = SITE / "_profiles" / "testsite.toml"
FAST = ["--delay", "0", "--no-throttle", "--progress", "0"]


def cli(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parser.scrape", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def corpus_list(corpus: Path, *extra: str) -> list[dict]:
    """``planparser corpus list --format jsonl`` in this process (reading needs no reactor)."""
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["corpus", "list", "--corpus", str(corpus), "--format", "jsonl", *extra]) == 0
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def listing(corpus: Path, *extra: str) -> dict[str, dict]:
    return {d["url"].rsplit("/", 1)[1]: d for d in corpus_list(corpus, *extra)}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Crawl the site, crawl it again, change a page and update twice; snapshots of each step."""
    tmp = tmp_path_factory.mktemp("crawl")
    site_dir = tmp / "site"
    shutil.copytree(SITE, site_dir)
    corpus = tmp / "corpus"
    out: dict = {"corpus": corpus}
    with serving(site_dir) as site:
        out["url"] = site.url
        r1 = cli("scrape", site.url + "/index.html", "--corpus", corpus, "--profile", PROFILE, *FAST)
        out["r1"], out["hits1"], out["list1"] = r1, list(site.hits), listing(corpus)
        out["agents"] = set(site.agents)
        r2 = cli("scrape", site.url + "/index.html", "--corpus", corpus, "--profile", PROFILE, *FAST)
        out["r2"], out["hits2"], out["list2"] = r2, site.hits[len(out["hits1"]):], listing(corpus)
        page = site_dir / "plan-c.html"
        page.write_text(page.read_text("utf-8").replace("年内建成科普示范社区三个。", "年内建成科普示范社区五个。"),
                        "utf-8")
        mark = len(site.hits)
        r3 = cli("update", "--corpus", corpus, *FAST)       # start URL and profile remembered from the scrape
        out["r3"], out["hits3"], out["list3"] = r3, site.hits[mark:], listing(corpus, "--all-versions")
        out["tables3"] = {t: pd.read_parquet(corpus / "tables" / f"{t}.parquet") for t in ("plans", "sections")}
        r4 = cli("schedule", "--corpus", corpus, "--every", "1s", "--times", "1", *FAST)
        out["r4"] = r4
        out["tables4"] = {t: pd.read_parquet(corpus / "tables" / f"{t}.parquet") for t in ("plans", "sections")}
    return out


def test_first_crawl_stores_article_pages_only(runs):
    assert runs["r1"].returncode == 0, runs["r1"].stderr
    pages = runs["list1"]
    assert set(pages) == {"plan-a.html", "plan-gbk.html", "multi.html", "missing.html", "flaky.html",
                          "old-plan.html", "plan-c.html", "broken.html", "news-1.html"}   # the column's whole list
    for name, d in pages.items():
        assert set(d) == {"url", "final_url", "status", "title", "published", "encoding", "plans", "text"}
        if name not in ("missing.html", "broken.html"):
            assert d["status"] == 200 and d["plans"] >= 1, name


@pytest.mark.parametrize("name", ["plan-a", "plan-gbk", "multi", "flaky", "old-plan", "plan-c"])
def test_extracted_texts_equal_expected(runs, name):
    expected = (SITE / "_expected" / f"{name}.txt").read_text("utf-8")
    assert runs["list1"][f"{name}.html"]["text"] == expected


def test_encoding_dates_titles(runs):
    p = runs["list1"]
    assert p["plan-gbk.html"]["encoding"] == "gb18030" and "堃山" in p["plan-gbk.html"]["text"]
    assert p["plan-a.html"]["encoding"] == "utf-8"
    assert p["plan-a.html"]["published"] == "2025-01-20"            # from the page, not the crawl time
    assert p["multi.html"]["published"] == "2025-03-02T08:00"
    assert p["plan-a.html"]["title"] == "青禾区政协2025年度协商计划"
    assert "会员" not in p["multi.html"]["text"]                       # the paywall is furniture


def test_faults_are_recorded_and_the_crawl_goes_on(runs):
    p, hits = runs["list1"], runs["hits1"]
    assert p["missing.html"]["status"] == 404 and p["missing.html"]["text"] is None
    assert ("GET", "/flaky.html", 500) in hits and ("GET", "/flaky.html", 200) in hits
    assert p["old-plan.html"]["final_url"].endswith("/moved/plan-moved.html")
    broken = {d["url"].rsplit("/", 1)[1]: d for d in corpus_list(runs["corpus"], "--all-fields")}["broken.html"]
    assert broken["status"] == 200 and broken["text"] is None and broken["parse_status"] == "extract_error"
    assert broken["content_hash"]                                      # the raw bytes are kept


def test_politeness_robots_domains_and_link_choice(runs):
    paths = {path for _, path, _ in runs["hits1"]}
    assert "/robots.txt" in paths
    assert not any(p.startswith("/private/") for p in paths)           # Disallow: /private/
    assert "/index_1.html" in paths                                     # pagination followed
    assert "/about.html" not in paths                                  # navigation, no plan keyword: not fetched
    assert "/news-1.html" in paths                                      # in the column's main list: stored


def test_user_agent_and_no_leftover_state(runs):
    assert runs["agents"] == {"planparser/0.1 (+https://github.com/planparser/planparser)"}
    assert not (runs["corpus"] / "state" / "job").exists()
    db = sqlite3.connect(runs["corpus"] / "catalog.sqlite")
    assert db.execute("SELECT reason FROM runs ORDER BY run_id LIMIT 1").fetchone()[0] == "finished"
    assert db.execute("SELECT COUNT(*) FROM queue WHERE done=0").fetchone()[0] == 0
    stats = json.loads(db.execute("SELECT stats FROM runs ORDER BY run_id LIMIT 1").fetchone()[0])
    assert stats["retry/backoff_seconds"] == 1.0 and stats["retry/count"] == 1     # flaky.html: 500, wait, 200
    assert stats["store/new_page"] == 8 and stats["store/failed"] == 1


def test_rerun_skips_unchanged_pages(runs):
    assert runs["r2"].returncode == 0, runs["r2"].stderr
    assert runs["list2"] == runs["list1"]
    article_hits = [(p, s) for _, p, s in runs["hits2"] if p not in ("/index.html", "/index_1.html", "/robots.txt")]
    assert ("/plan-a.html", 304) in article_hits and not any(s == 200 and p == "/plan-a.html" for p, s in article_hits)
    assert "0 new pages, 0 new versions, 8 unchanged" in runs["r2"].stderr


def test_changed_page_becomes_a_new_version_and_tables_append(runs):
    assert runs["r3"].returncode == 0, runs["r3"].stderr
    versions = {}
    for d in corpus_list(runs["corpus"], "--all-versions", "--all-fields", "--no-text"):
        versions.setdefault(d["url"].rsplit("/", 1)[1], []).append(d["version"])
    assert versions["plan-c.html"] == [1, 2] and versions["plan-a.html"] == [1]
    assert "五个" in runs["list3"]["plan-c.html"]["text"]
    plans = runs["tables3"]["plans"]
    assert plans["doc_id"].nunique() == 7                               # every stored page once
    # the schedule's update found nothing new: the tables are the same
    assert runs["r4"].returncode == 0, runs["r4"].stderr
    assert len(runs["tables4"]["sections"]) == len(runs["tables3"]["sections"])
