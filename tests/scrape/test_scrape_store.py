"""The corpus store: versions, unchanged pages, failures, validators, pending queue, atomic files."""
import gzip
import sqlite3

from parser.scrape.frontier import Entry
from parser.scrape.store import CorpusStore, Fetched, doc_id_for_url, sha256


def page(body: bytes, **kw) -> Fetched:
    return Fetched(url="http://x.gov.cn/a/p1.html", final_url="http://x.gov.cn/a/p1.html", status=200, body=body,
                   text=body.decode("utf-8"), parsed={"plans": []}, etag='"e1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT",
                   **kw)


def test_layout_wal_and_first_version(tmp_path):
    store = CorpusStore(tmp_path)
    run = store.start_run("scrape", "generic")
    assert store.record_page(page(b"v1 text"), run, "generic") == 1
    row = store.latest("http://x.gov.cn/a/p1.html")
    assert row["version"] == 1 and row["content_hash"] == sha256(b"v1 text")
    assert gzip.decompress((tmp_path / row["raw_path"]).read_bytes()) == b"v1 text"
    assert (tmp_path / row["text_path"]).read_text("utf-8") == "v1 text"
    assert (tmp_path / row["parsed_path"]).exists()
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert not list(tmp_path.rglob("*.part"))
    store.close()


def test_changed_page_is_a_new_version_and_validators_come_back(tmp_path):
    store = CorpusStore(tmp_path)
    run = store.start_run("scrape", "generic")
    store.record_page(page(b"v1"), run, "generic")
    assert store.is_unchanged("http://x.gov.cn/a/p1.html", sha256(b"v1"))
    assert store.conditional_headers("http://x.gov.cn/a/p1.html") == {
        "If-None-Match": '"e1"', "If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}
    assert store.record_page(page(b"v2"), run, "generic") == 2
    assert [r["version"] for r in store.iter_pages(all_versions=True)] == [1, 2]
    assert [r["version"] for r in store.iter_pages()] == [2]


def test_failures_recorded_once_then_touched(tmp_path):
    store = CorpusStore(tmp_path)
    run = store.start_run("scrape", "generic")
    assert store.record_failure("http://x/gone.html", "http://x/gone.html", 404, "HTTP 404", run, "generic")
    assert not store.record_failure("http://x/gone.html", "http://x/gone.html", 404, "HTTP 404", run, "generic")
    rows = list(store.iter_pages(all_versions=True))
    assert len(rows) == 1 and rows[0]["status"] == 404 and rows[0]["parse_status"] == "fetch_error"
    assert store.conditional_headers("http://x/gone.html") == {}


def test_pending_queue_survives_reopen(tmp_path):
    store = CorpusStore(tmp_path)
    later = [Entry("http://x/b.html", "article", 1, "http://x/", "工作要点"),
             Entry("http://x/index_1.html", "listing", 0, "http://x/", "下一页", column=True, shape=("html/body/ul", "li")),
             Entry("http://x/f.docx", "attachment", 2, "http://x/b.html", "附件：计划.docx", parent="http://x/b.html")]
    store.enqueue([Entry("http://x/a.html", "article", 1, "http://x/", "工作计划"), *later])
    store.mark_done("http://x/a.html")
    store.close()
    again = CorpusStore(tmp_path)
    assert again.pending() == later                   # each with all its request carries


def test_an_older_catalogues_queue_is_migrated_and_its_rows_stay_pending(tmp_path):
    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    db.executescript("""
        CREATE TABLE queue (url TEXT PRIMARY KEY, role TEXT NOT NULL, depth INTEGER NOT NULL, referer TEXT,
                            anchor TEXT, added_at TEXT, done INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        INSERT INTO meta VALUES ('schema_version', '1');
        INSERT INTO queue VALUES ('http://x/index_1.html', 'listing', 0, 'http://x/', '下一页', '', 0);""")
    db.commit()
    db.close()
    store = CorpusStore(tmp_path)
    assert store.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "2"
    assert store.pending() == [Entry("http://x/index_1.html", "listing", 0, "http://x/", "下一页", legacy=True)]
    store.enqueue([Entry("http://x/a.html", "article", 1, "http://x/index_1.html", "工作计划")])
    assert [e.legacy for e in store.pending()] == [True, False]
    store.close()


def test_failed_transaction_leaves_no_row(tmp_path):
    store = CorpusStore(tmp_path)
    try:
        with store.tx():
            store.db.execute("INSERT INTO queue (url, role, depth) VALUES ('http://x/c', 'article', 0)")
            raise RuntimeError("crash in the middle")
    except RuntimeError:
        pass
    assert sqlite3.connect(tmp_path / "catalog.sqlite").execute("SELECT COUNT(*) FROM queue").fetchone()[0] == 0


def test_doc_ids_are_stable_and_distinct():
    a = doc_id_for_url("http://x.gov.cn/a/index.html")
    assert a == doc_id_for_url("http://x.gov.cn/a/index.html") and a.startswith("index-")
    assert a != doc_id_for_url("http://x.gov.cn/b/index.html")


def test_corpus_list_on_a_missing_folder_is_a_clear_error(tmp_path, capsys):
    from parser.cli import main

    assert main(["corpus", "list", "--corpus", str(tmp_path / "nothing")]) == 2
    assert "no catalog.sqlite" in capsys.readouterr().err
    assert main(["scrape", "not-a-url", "--corpus", str(tmp_path / "c")]) == 2
    assert "not an http(s) URL" in capsys.readouterr().err


def test_no_space_while_writing_a_page_keeps_the_previous_version(tmp_path, monkeypatch):
    """ENOSPC injected at the file write (half the bytes written, then the error a full disk gives): the
    store raises DiskFull naming the file, no temporary file or catalogue row is left, version 1 is intact."""
    import errno
    from pathlib import Path

    import pytest

    from parser.errors import DiskFull

    store = CorpusStore(tmp_path)
    run = store.start_run("scrape", "generic")
    store.record_page(page(b"v1 text"), run, "generic")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".sqlite"
              and "catalog.sqlite" not in p.name}
    real = Path.write_bytes

    def full(self, data):
        real(self, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(DiskFull) as err:
        store.record_page(page(b"v2 text, longer"), run, "generic")
    monkeypatch.undo()
    assert "No space left on device" in err.value.reason and "run the same command again" in err.value.reason
    assert err.value.source.startswith(str(tmp_path / "raw"))            # the file it could not write
    assert [r["version"] for r in store.iter_pages(all_versions=True)] == [1]
    assert not list(tmp_path.rglob("*.part"))
    assert {p: p.read_bytes() for p in before} == before
    store.close()


def test_frontier_resumes_an_open_crawl_and_restarts_a_finished_one(tmp_path):
    store = CorpusStore(tmp_path)
    start = [Entry("http://x/list.html", "start", 0)]
    known, pending = store.open_frontier(start)
    assert known == {"http://x/list.html"} and [r.url for r in pending] == ["http://x/list.html"]
    store.enqueue([Entry("http://x/a.html", "article", 1, "http://x/list.html", "计划")])
    store.mark_done("http://x/list.html")
    store.close()
    store = CorpusStore(tmp_path)                       # killed, started again: the same crawl goes on
    known, pending = store.open_frontier(start)
    assert known == {"http://x/list.html", "http://x/a.html"} and [r.url for r in pending] == ["http://x/a.html"]
    store.mark_done("http://x/a.html")
    store.close_frontier()                              # finished: the next crawl begins again
    known, pending = store.open_frontier(start)
    assert known == {"http://x/list.html"} and [r.url for r in pending] == ["http://x/list.html"]
    known, pending = store.open_frontier(start, fresh=True)
    assert len(pending) == 1
    store.close()


def _store_with_long_pages(folder, n: int = 3) -> None:
    store = CorpusStore(folder)
    run = store.start_run("scrape", "generic")
    for i in range(n):
        body = ("第%d页的正文。" % i * 20000).encode("utf-8")      # far more than a pipe holds
        store.record_page(Fetched(url=f"http://x.gov.cn/a/p{i}.html", final_url=f"http://x.gov.cn/a/p{i}.html",
                                  status=200, body=body, text=body.decode("utf-8"), parsed={"plans": []}), run, "generic")
    store.close()


def test_corpus_list_tsv_has_a_header_row(tmp_path, capsys):
    from parser.cli import main

    _store_with_long_pages(tmp_path, 2)
    assert main(["corpus", "list", "--corpus", str(tmp_path), "--format", "tsv", "--no-text"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t") == ["url", "final_url", "status", "title", "published", "encoding", "plans"]
    assert len(lines) == 3 and lines[1].startswith("http://x.gov.cn/a/p")


def test_a_closed_pipe_ends_the_listing_quietly_with_exit_0(tmp_path):
    import subprocess
    import sys

    _store_with_long_pages(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "parser.cli", "corpus", "list", "--corpus", str(tmp_path),
                             "--format", "tsv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(100)       # `| head -c 100`: the reader takes a little and goes
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=60) == 0
    assert err == ""
