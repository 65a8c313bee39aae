"""Hard kills of a crawl: SIGKILL at several moments (during start-up, right after the first page, mid-crawl,
near the end), one process and two processes sharing Redis. The restart with the same command stores
exactly the pages of an uninterrupted crawl, each once, with identical files; the catalogue passes
PRAGMA integrity_check after every kill; no temporary file survives the restart.

Real processes killed with SIGKILL (their whole process group: the crawl and its extraction
worker), a real site on 127.0.0.1 and a real redis-server (skipped when missing); nothing is mocked.
"""
from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from parser.scrape.check import check_corpus
from parser.scrape.server import serving

ROOT = Path(__file__).resolve().parents[2]
PAGES, PER_LISTING = 60, 10
UNITS = ["社区居委会", "街道办事处", "文化服务中心", "镇人民政府", "区政协办公室"]


def make_site(root: Path, pages: int = PAGES) -> None:
    """Listing pages chained by 下一页, each linking PER_LISTING invented plan pages."""
    (root / "a").mkdir(parents=True)
    listings = (pages + PER_LISTING - 1) // PER_LISTING
    for li in range(listings):
        items = "".join(f'<li><a href="a/p{i:04d}.html">第{i}号{UNITS[i % 5]}2025年工作计划</a></li>'
                        for i in range(li * PER_LISTING, min(pages, (li + 1) * PER_LISTING)))
        nxt = f'<a href="list_{li + 1}.html">下一页</a>' if li + 1 < listings else ""
        (root / ("list.html" if li == 0 else f"list_{li}.html")).write_text(
            f"<html><head><meta charset='utf-8'><title>工作动态</title></head><body><ul>{items}</ul>{nxt}</body></html>",
            "utf-8")
    for i in range(pages):
        unit = UNITS[i % 5]
        body = (f"<p>一、目标任务</p><p>围绕第{i}号片区的重点工作，{i % 12 + 1}月底前完成走访。</p>"
                f"<p>二、具体安排</p><p>（一）由{unit}牵头，每季度召开一次推进会。</p><p>三、工作要求</p><p>压实责任。</p>")
        (root / "a" / f"p{i:04d}.html").write_text(
            f"<html><head><meta charset='utf-8'><title>第{i}号{unit}2025年工作计划</title></head><body>"
            f"<h1>第{i}号{unit}2025年工作计划</h1><div id='zoom'>{body}</div></body></html>", "utf-8")


def scrape_cmd(url: str, corpus: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "parser.scrape", "scrape", url, "--corpus", str(corpus), "--delay", "0",
            "--no-throttle", "--ignore-robots", "--concurrency", "2", "--max-pages", "0", "--workers", "1",
            "--progress", "0", *extra]


def start(cmd: list[str], log: Path) -> subprocess.Popen:
    """A crawl in its own process group (so SIGKILL reaches its extraction worker too)."""
    with open(log, "ab") as fh:
        return subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=fh, start_new_session=True)


def kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(30)


def query(corpus: Path, sql: str) -> list[tuple]:
    if not (corpus / "catalog.sqlite").exists():
        return []
    db = sqlite3.connect(f"file:{corpus / 'catalog.sqlite'}?mode=ro", uri=True, timeout=10)
    try:
        return db.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        db.close()


def stored(corpus: Path) -> int:
    rows = query(corpus, "SELECT COUNT(*) FROM pages")
    return rows[0][0] if rows else 0


def wait_for(proc: subprocess.Popen, corpus: Path, pages: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while stored(corpus) < pages and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)


def snapshot(corpus: Path) -> dict[str, tuple]:
    """url → (rows, content hash, sha1 of its text file, sha1 of its contract JSON)."""
    out: dict[str, tuple] = {}
    for url, rows, digest, text, parsed in query(
            corpus, "SELECT url, COUNT(*), MAX(content_hash), MAX(text_path), MAX(parsed_path) FROM pages GROUP BY url"):
        sha = lambda rel: hashlib.sha1((corpus / rel).read_bytes()).hexdigest() if rel else None  # noqa: E731
        out[url] = (rows, digest, sha(text), sha(parsed))
    return out


def integrity(corpus: Path) -> str:
    return query(corpus, "PRAGMA integrity_check")[0][0]


def temps(corpus: Path) -> list[Path]:
    return list(corpus.rglob("*.part"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("faultsite")
    make_site(root / "site")
    with serving(root / "site", delay=0.05) as s:
        yield s


@pytest.fixture(scope="module")
def reference(site, tmp_path_factory):
    """The pages of an uninterrupted crawl."""
    corpus = tmp_path_factory.mktemp("reference") / "corpus"
    done = subprocess.run(scrape_cmd(site.url + "/list.html", corpus), cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    snap = snapshot(corpus)
    assert len(snap) == PAGES
    return snap


def test_crawl_killed_at_several_moments_resumes_to_the_same_pages(site, reference, tmp_path):
    corpus, log = tmp_path / "corpus", tmp_path / "crawl.log"
    cmd = scrape_cmd(site.url + "/list.html", corpus)
    mark = len(site.hits)
    kills = []
    for pages in (0, 1, 15, 35, 55):                 # 0: during start-up, before anything is stored
        proc = start(cmd, log)
        if pages:
            wait_for(proc, corpus, pages)
        else:
            time.sleep(1.0)
        assert proc.poll() is None, "the crawl ended before it could be killed"
        kill(proc)
        kills.append(stored(corpus))
        if (corpus / "catalog.sqlite").exists():
            assert integrity(corpus) == "ok"
        assert all(rows == 1 for rows, *_ in snapshot(corpus).values())      # never stored twice
    assert kills == sorted(kills) and kills[-1] >= 55, kills
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    assert snapshot(corpus) == reference             # 0 lost, 0 duplicated, identical files
    assert integrity(corpus) == "ok"
    assert temps(corpus) == []
    report = check_corpus(corpus)
    assert report.unresolved == [] and report.versions == PAGES and report.pending == 0
    fetched = [p for m, p, status in site.hits[mark:] if m == "GET" and p.startswith("/a/") and status == 200]
    assert set(fetched) == {f"/a/p{i:04d}.html" for i in range(PAGES)}
    assert len(fetched) - PAGES <= 8 * len(kills)    # only pages in flight at a kill are fetched again



def own_pages(corpus: Path, pid: int) -> int:
    """Pages stored by the crawl process ``pid`` (its run row notes its pid)."""
    rows = query(corpus, "SELECT COUNT(*) FROM pages WHERE run_id = (SELECT MAX(run_id) FROM runs WHERE "
                         f"json_extract(stats, '$.\"planparser/pid\"') = {int(pid)})")
    return rows[0][0] if rows else 0


def test_shared_crawl_with_one_process_killed_loses_nothing(site, reference, redis_url, tmp_path):
    """Two --redis processes, each sending a request every half second; one is SIGKILLed twice once it has
    stored pages of its own (it then holds leased requests, waiting in its downloader) and restarted. The
    leases of the dead process go back to the queue after --redis-lease seconds: every page is stored once,
    as in the uninterrupted crawl."""
    corpus = tmp_path / "corpus"
    cmd = scrape_cmd(site.url + "/list.html", corpus, "--redis", redis_url, "--redis-idle", "2",
                     "--redis-lease", "2", "--delay", "0.5")
    steady = start(cmd, tmp_path / "steady.log")
    victim = start(cmd, tmp_path / "victim.log")
    for _ in range(2):
        deadline = time.monotonic() + 120
        while own_pages(corpus, victim.pid) < 3 and victim.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert victim.poll() is None, "the crawl ended before the process could be killed"
        kill(victim)
        assert integrity(corpus) == "ok"
        victim = start(cmd, tmp_path / "victim.log")
    assert victim.wait(300) == 0, (tmp_path / "victim.log").read_text()[-3000:]
    assert steady.wait(300) == 0, (tmp_path / "steady.log").read_text()[-3000:]
    assert snapshot(corpus) == reference
    assert temps(corpus) == []
    assert check_corpus(corpus).unresolved == []
    stats = [json.loads(s) for (s,) in query(corpus, "SELECT stats FROM runs WHERE stats IS NOT NULL")]
    assert sum(s.get("redis/leases_requeued", 0) for s in stats) >= 1       # the dead process's leases came back
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.keys("planparser:*") == []                            # finished: the keys are cleared
    finally:
        client.close()


def test_disk_full_stops_the_crawl_and_the_resume_completes_it(site, reference, tmp_path):
    """Simulated with RLIMIT_FSIZE on the crawl process: the kernel refuses to grow any file past the limit
    (EFBIG; Python ignores SIGXFSZ) as a full disk refuses with ENOSPC. The catalogue's write-ahead log
    outgrows it after a few pages, so SQLite reports "database or disk is full". The crawl stops with one
    clear error, keeps what it stored intact, and the same command without the limit finishes the crawl."""
    corpus = tmp_path / "corpus"
    cmd = scrape_cmd(site.url + "/list.html", corpus)
    limit = 160_000
    full = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    assert full.returncode == 1, full.stderr[-3000:]
    errors = [ln for ln in full.stderr.splitlines() if ln.startswith("planparser: error:")]
    assert len(errors) == 1, full.stderr[-3000:]
    assert "catalog.sqlite" in errors[0] and "full disk" in errors[0] and "run the same command again" in errors[0]
    assert "Traceback" not in full.stderr
    first = stored(corpus)
    assert 0 < first < PAGES
    assert integrity(corpus) == "ok" and temps(corpus) == []
    assert check_corpus(corpus).unresolved == []        # what was stored is whole
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    assert snapshot(corpus) == reference
