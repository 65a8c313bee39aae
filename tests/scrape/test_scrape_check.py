"""``planparser corpus check``: a truncated gzip, a corrupt or missing contract JSON, a cut text, a lost raw
body and a temporary file of a dead writer are each reported, and ``--repair`` restores the very bytes
the crawl wrote (re-fetch, re-extract, re-parse). A catalogue that fails its integrity check is refused
by the crawl with the way out, and ``--repair`` restores the back-up and salvages what is readable."""
from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from parser.cli import main
from parser.scrape.catalogue import BACKUP, integrity, repair_catalogue
from parser.scrape.check import check_corpus
from parser.scrape.server import serving
from parser.scrape.store import CorpusStore, Fetched

ROOT = Path(__file__).resolve().parents[2]
PAGES = 12


def make_site(root: Path) -> None:
    (root / "a").mkdir(parents=True)
    items = "".join(f'<li><a href="a/p{i:02d}.html">第{i}号社区2025年工作计划</a></li>' for i in range(PAGES))
    (root / "list.html").write_text(f"<html><head><meta charset='utf-8'><title>工作动态</title></head><body><ul>{items}"
                                    "</ul></body></html>", "utf-8")
    for i in range(PAGES):
        (root / "a" / f"p{i:02d}.html").write_text(
            f"<html><head><meta charset='utf-8'><title>第{i}号社区2025年工作计划</title></head><body>"
            f"<h1>第{i}号社区2025年工作计划</h1><div id='zoom'><p>一、目标任务</p><p>{i % 12 + 1}月底前，由社区居委会"
            f"牵头完成走访。</p><p>二、工作要求</p><p>每季度召开一次推进会。</p></div></body></html>", "utf-8")


def scrape(url: str, corpus: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parser.scrape", "scrape", url, "--corpus", str(corpus), "--delay",
                           "0", "--no-throttle", "--ignore-robots", "--max-pages", "0", "--workers", "0",
                           "--no-extract", "--progress", "0"], cwd=ROOT, capture_output=True, text=True, timeout=300)


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def files(corpus: Path) -> dict[str, bytes]:
    return {p.relative_to(corpus).as_posix(): p.read_bytes() for sub in ("raw", "text", "parsed")
            for p in (corpus / sub).rglob("*") if p.is_file()}


@pytest.fixture
def crawled(tmp_path):
    make_site(tmp_path / "site")
    corpus = tmp_path / "corpus"
    with serving(tmp_path / "site") as site:
        done = scrape(site.url + "/list.html", corpus)
        assert done.returncode == 0, done.stderr
        yield site, corpus


def rows(corpus: Path) -> list[sqlite3.Row]:
    db = sqlite3.connect(corpus / "catalog.sqlite")
    db.row_factory = sqlite3.Row
    try:
        return list(db.execute("SELECT * FROM pages ORDER BY url"))
    finally:
        db.close()


def test_damaged_files_are_reported_then_repaired_to_the_same_bytes(crawled, tmp_path):
    site, corpus = crawled
    original = files(corpus)
    r = rows(corpus)
    raw = corpus / r[0]["raw_path"]
    raw.write_bytes(raw.read_bytes()[: len(raw.read_bytes()) // 2])          # a truncated gzip
    (corpus / r[1]["parsed_path"]).write_text('{"doc_id": "', "utf-8")       # a corrupt contract JSON
    (corpus / r[2]["parsed_path"]).unlink()                                 # a missing one
    text = corpus / r[3]["text_path"]
    text.write_bytes(text.read_bytes()[:-7])                                # a text cut short
    (corpus / r[4]["raw_path"]).unlink()                                    # a lost raw body
    dead = subprocess.Popen(["true"])
    dead.wait()
    temp = corpus / "parsed" / f".x.json.{dead.pid}.abc123.part"            # a writer killed mid-write
    temp.write_text("{", "utf-8")

    code, out, err = cli("corpus", "check", "--corpus", str(corpus), "--format", "jsonl")
    assert code == 1
    found = {(d["kind"], d["path"]) for d in map(json.loads, out.splitlines())}
    assert len(found) == 6
    assert ("raw", r[0]["raw_path"]) in found and ("parsed", r[1]["parsed_path"]) in found
    assert ("parsed", r[2]["parsed_path"]) in found and ("text", r[3]["text_path"]) in found
    assert ("raw", r[4]["raw_path"]) in found and ("temp", str(temp)) in found
    assert "truncated or corrupt gzip" in out and "not valid JSON" in out and "missing" in out
    assert "--repair" in err

    code, out, err = cli("corpus", "check", "--corpus", str(corpus), "--repair", "--delay", "0")
    assert code == 0, out + err
    assert files(corpus) == original                    # the very bytes the crawl wrote (re-parsed --no-extract)
    assert not temp.exists()
    assert check_corpus(corpus).findings == []
    assert sum(1 for m, p, s in site.hits if p == "/a/p00.html") == 2           # one re-fetch for the raw body


def test_a_raw_body_the_site_changed_is_not_repaired(crawled):
    site, corpus = crawled
    row = rows(corpus)[0]
    (corpus / row["raw_path"]).write_bytes(b"\x1f\x8b\x08")                  # a gzip header, nothing else
    page = Path(site.root) / "a" / "p00.html"
    page.write_text(page.read_text("utf-8").replace("走访", "回访"), "utf-8")
    report = check_corpus(corpus, repair=True, delay=0)
    assert [f.kind for f in report.unresolved] == ["raw"]
    assert "different bytes" in report.unresolved[0].reason


def corrupt(db_file: Path) -> None:
    """Overwrite the middle pages of a SQLite file with garbage (what a failing disk or a torn copy does)."""
    data = bytearray(db_file.read_bytes())
    assert len(data) >= 5 * 4096
    for off in range(2 * 4096, len(data) - 4096, 4096):
        data[off + 8: off + 4000] = bytes((7 * i + 13) % 256 for i in range(3992))
    db_file.write_bytes(bytes(data))


def test_damaged_catalogue_is_refused_then_restored(crawled, tmp_path):
    site, corpus = crawled
    assert (corpus / BACKUP).exists()                   # taken when the crawl finished
    before = files(corpus)
    corrupt(corpus / "catalog.sqlite")
    damaged = (corpus / "catalog.sqlite").read_bytes()
    assert integrity(corpus / "catalog.sqlite")

    again = scrape(site.url + "/list.html", corpus)
    assert again.returncode == 1
    assert "catalogue is damaged" in again.stderr and "corpus check --corpus" in again.stderr
    assert "--repair" in again.stderr and "Traceback" not in again.stderr
    assert (corpus / "catalog.sqlite").read_bytes() == damaged               # refused: nothing written

    code, out, err = cli("corpus", "list", "--corpus", str(corpus))
    assert code == 1 and "catalogue is damaged" in err and "corpus check" in err
    code, out, err = cli("corpus", "check", "--corpus", str(corpus))
    assert code == 1 and out.startswith("catalogue:") and "--repair" in err
    code, out, err = cli("corpus", "check", "--corpus", str(corpus), "--repair", "--delay", "0")
    assert code == 0, out + err
    assert "restored from the back-up" in out
    assert list((corpus / "state").glob("catalog.damaged-*.sqlite"))      # the damaged file is kept
    assert integrity(corpus / "catalog.sqlite") == []
    assert len(rows(corpus)) == PAGES and files(corpus) == before

    hits = len(site.hits)
    again = scrape(site.url + "/list.html", corpus)
    assert again.returncode == 0, again.stderr
    assert len(rows(corpus)) == PAGES                                       # nothing stored twice
    assert all(status == 304 for m, p, status in site.hits[hits:] if p.startswith("/a/"))


def test_repair_without_backup_salvages_readable_rows(tmp_path):
    store = CorpusStore(tmp_path)
    run = store.start_run("scrape", "generic")
    for i in range(400):
        store.record_page(Fetched(url=f"http://x.gov.cn/a/p{i}.html", final_url=f"http://x.gov.cn/a/p{i}.html",
                                  status=200, body=f"第{i}页".encode("utf-8") * 20), run, "generic")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    db_file = tmp_path / "catalog.sqlite"
    data = bytearray(db_file.read_bytes())
    pages = len(data) // 4096
    off = (pages // 2) * 4096                           # one leaf page in the middle of the pages table
    data[off + 8: off + 4096] = bytes(4088)
    db_file.write_bytes(bytes(data))
    assert integrity(db_file)
    done = repair_catalogue(tmp_path)
    assert not done.from_backup and done.problems_after == []
    kept = sqlite3.connect(tmp_path / "catalog.sqlite").execute("SELECT COUNT(*) FROM pages").fetchone()[0]
    assert 300 < kept < 400                             # everything but the rows of the zeroed page
    assert done.salvaged["pages"] == kept
    assert done.damaged_copy.exists()
