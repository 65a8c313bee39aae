"""An interrupted crawl (Ctrl-C) resumes where it stopped: no page is downloaded twice."""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from parser.scrape import crawl_local_sample
from parser.scrape.server import serving

ROOT = Path(__file__).resolve().parents[2]
N = 24


def make_site(root: Path) -> None:
    items = "\n".join(f'<li><a href="p{i}.html">第{i}社区2025年工作计划</a></li>' for i in range(N))
    (root / "index.html").write_text(f"<html><head><meta charset='utf-8'><title>列表</title></head><body><ul>{items}"
                                     "</ul></body></html>", "utf-8")
    for i in range(N):
        (root / f"p{i}.html").write_text(
            f"<html><head><meta charset='utf-8'><title>第{i}社区2025年工作计划</title></head><body>"
            f"<h1>第{i}社区2025年工作计划</h1><p>一、加强组织建设</p><p>每月开展一次活动。</p></body></html>", "utf-8")


def stored(corpus: Path) -> int:
    db = corpus / "catalog.sqlite"
    if not db.exists():
        return 0
    try:
        return sqlite3.connect(db, timeout=5).execute("SELECT COUNT(*) FROM pages").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_interrupted_crawl_resumes_without_refetching(tmp_path):
    (tmp_path / "site").mkdir()
    make_site(tmp_path / "site")
    corpus = tmp_path / "corpus"
    with serving(tmp_path / "site", delay=0.25) as site:
        cmd = [sys.executable, "-m", "parser.scrape", "scrape", site.url + "/index.html", "--corpus", str(corpus),
               "--delay", "0", "--no-throttle", "--concurrency", "1", "--progress", "0", "--ignore-robots"]
        child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while stored(corpus) < 3 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.1)
        child.send_signal(signal.SIGINT)
        child.communicate(timeout=120)
        first = stored(corpus)
        db = sqlite3.connect(corpus / "catalog.sqlite")
        assert db.execute("SELECT reason FROM runs").fetchone()[0] == "shutdown"
        assert 3 <= first < N
        assert db.execute("SELECT COUNT(*) FROM queue WHERE done=0").fetchone()[0] == N - first   # the frontier
        db.close()
        again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=180)
        assert again.returncode == 0, again.stderr
        assert stored(corpus) == N
        for i in range(N):
            assert site.count(f"/p{i}.html", 200) == 1, i        # each page downloaded exactly once
        assert site.count("/index.html") == 1                    # the listing was done: not fetched again


def test_crawl_local_sample_stores_every_file(tmp_path):
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "a_plan.txt").write_text("某社区2025年工作计划\n一、加强党建\n每月开展一次活动。\n", "utf-8")
    (sample / "b_gbk.html").write_bytes("<html><head><meta charset='gb2312'><title>某镇2024年工作要点</title></head>"
                                        "<body><p>一、抓好产业</p><p>推进堃山茶园建设。</p></body></html>".encode("gbk"))
    result = crawl_local_sample(sample, tmp_path / "corpus")
    assert result["exit_code"] == 0 and result["reason"] == "finished"
    assert result["files"] == 2 and result["stored"] == 2 and result["urls"] == 2 and result["failed"] == 0
