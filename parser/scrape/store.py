"""The corpus store: raw responses (gzip, content-addressed), texts, contract JSON and a SQLite
catalogue (WAL) in one folder, no server. Files are written atomically before their row commits.

The ``queue`` table is the crawl's frontier: every URL the crawl has taken on with what its request
carries (``frontier.Entry``), ``done`` once its outcome is committed (in the same transaction as its page
row). A crawl killed at any moment resumes from it; ``meta.frontier`` says whether a crawl is still open.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Optional
from urllib.parse import urlsplit

from ..errors import CatalogueDamaged, DiskFull
from ..tables.atomic import is_disk_full, write_atomic
from .frontier import Entry, from_row

SCHEMA_VERSION = 2          # 2: the queue's ``carry`` column (what a request carries besides its URL)
SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT NOT NULL, version INTEGER NOT NULL, doc_id TEXT NOT NULL, final_url TEXT, status INTEGER,
    fetched_at TEXT, checked_at TEXT, title TEXT, published TEXT, breadcrumb TEXT, encoding TEXT,
    content_hash TEXT, content_type TEXT, etag TEXT, last_modified TEXT, profile TEXT,
    parse_status TEXT, parse_error TEXT, plans INTEGER, text_chars INTEGER,
    raw_path TEXT, text_path TEXT, parsed_path TEXT, run_id INTEGER,
    PRIMARY KEY (url, version));
CREATE INDEX IF NOT EXISTS pages_run ON pages(run_id);
CREATE TABLE IF NOT EXISTS queue (
    url TEXT PRIMARY KEY, role TEXT NOT NULL, depth INTEGER NOT NULL, referer TEXT, anchor TEXT,
    added_at TEXT, done INTEGER NOT NULL DEFAULT 0, carry TEXT);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT, command TEXT, profile TEXT, started_at TEXT,
    finished_at TEXT, reason TEXT, stats TEXT);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def doc_id_for_url(url: str) -> str:
    """A stable, file-safe id for a URL: the last path segment's stem plus a hash of the whole URL."""
    path = urlsplit(url).path.rstrip("/")
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0] or (urlsplit(url).hostname or "page")
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)[:40] or "page"
    return f"{stem}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:10]}"


def retry_locked(fn, attempts: int = 8):
    """``fn()``, again after a short pause while SQLite says "database is locked": several crawl processes
    (``scrape --redis``) share one catalogue, and the busy timeout does not cover every case (WAL set-up)."""
    for n in range(attempts):
        try:
            return fn()
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or n == attempts - 1:
                raise
            time.sleep(min(0.05 * 2 ** n, 2.0))


def validator_headers(row: Optional[sqlite3.Row]) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from a row's ``etag`` and ``last_modified`` ({} for no row)."""
    out: dict[str, str] = {}
    if row is not None:
        if row["etag"]:
            out["If-None-Match"] = row["etag"]
        if row["last_modified"]:
            out["If-Modified-Since"] = row["last_modified"]
    return out


def fatal_store_error(exc: BaseException, root: str | os.PathLike) -> Optional[Exception]:
    """The error that must stop a crawl instead of being logged per page: no room to write (DiskFull)
    or a damaged catalogue (CatalogueDamaged); None for anything else."""
    if isinstance(exc, (DiskFull, CatalogueDamaged)):
        return exc
    if is_disk_full(exc):
        return DiskFull(getattr(exc, "filename", None) or str(root), f"{exc.strerror or exc} while writing; "
                        "nothing half-written was kept and the page stays queued. Free some space and run the "
                        "same command again to resume")
    code = getattr(exc, "sqlite_errorname", "") or ""
    if isinstance(exc, sqlite3.OperationalError) and (code.startswith(("SQLITE_FULL", "SQLITE_IOERR"))
                                                     or "full" in str(exc) or "disk I/O" in str(exc)):
        return DiskFull(str(Path(root) / "catalog.sqlite"), f"{exc} (a full disk, a file-size limit or a failing "
                        "disk); the last change was rolled back. Free some space and run the same command again to "
                        "resume")
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return damaged(root, str(exc))
    return None


def damaged(root: str | os.PathLike, why: str) -> CatalogueDamaged:
    """The refusal for a catalogue SQLite calls damaged, with the way out."""
    return CatalogueDamaged(str(Path(root) / "catalog.sqlite"), f"the catalogue is damaged ({why}). Nothing was "
                            f"written. Repair it with: planparser corpus check --corpus {root} --repair (it keeps the "
                            "damaged file, restores the last good back-up in state/ and salvages what is readable)")


@dataclass
class Fetched:
    """One downloaded page and what extraction made of it, ready to be stored."""

    url: str
    final_url: str
    status: int
    body: bytes
    content_type: Optional[str] = None
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    title: Optional[str] = None
    published: Optional[str] = None
    breadcrumb: Optional[str] = None
    encoding: Optional[str] = None
    text: Optional[str] = None
    parsed: Optional[dict[str, Any] | bytes] = None      # contract JSON (a dict or its UTF-8 bytes)
    plans: int = 0
    parse_status: str = "ok"
    parse_error: Optional[str] = None
    extra: dict[str, Any] = field(default_factory=dict)


class CorpusStore:
    """DIR/raw, DIR/text, DIR/parsed and DIR/catalog.sqlite; one writer (the crawl) at a time."""

    def __init__(self, root: str | os.PathLike, readonly: bool = False):
        self.root = Path(root)
        self.readonly = readonly
        if not readonly:
            for sub in ("raw", "text", "parsed", "state"):
                (self.root / sub).mkdir(parents=True, exist_ok=True)
        elif not (self.root / "catalog.sqlite").exists():
            raise FileNotFoundError(f"{self.root}: no catalog.sqlite here (crawl into it first with --corpus)")
        self.db = sqlite3.connect(self.root / "catalog.sqlite", timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        try:
            self._open(readonly)
        except sqlite3.DatabaseError as e:
            self.db.close()
            raise fatal_store_error(e, self.root) or e

    def _open(self, readonly: bool) -> None:
        if not readonly:
            if self.db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":   # setting it needs a lock
                retry_locked(lambda: self.db.execute("PRAGMA journal_mode=WAL"))
            self.db.execute("PRAGMA synchronous=NORMAL")
            with self.tx():
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self._migrate()

    def _migrate(self) -> None:
        """Bring an older catalogue's tables up to this schema (inside the opening transaction). A queue
        without ``carry`` gets the column; its rows keep NULL there, which marks them as older rows."""
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(queue)")}
        if "carry" not in columns:
            self.db.execute("ALTER TABLE queue ADD COLUMN carry TEXT")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    # -- transactions ---------------------------------------------------------------------------
    def tx(self):
        """``with store.tx():`` — BEGIN IMMEDIATE … COMMIT, ROLLBACK on any error."""
        store = self

        class _Tx:
            def __enter__(self):
                retry_locked(lambda: store.db.execute("BEGIN IMMEDIATE"))

            def __exit__(self, exc_type, exc, tb):
                if exc_type:
                    store.db.execute("ROLLBACK")
                else:
                    retry_locked(lambda: store.db.execute("COMMIT"))
                return False
        return _Tx()

    def close(self) -> None:
        self.db.close()

    # -- runs and queue -------------------------------------------------------------------------
    def start_run(self, command: str, profile: str, stats: Optional[dict[str, Any]] = None) -> int:
        """A new row in ``runs``; ``stats`` holds what repairs need to know at once (parse options), since a
        killed run never writes its final stats."""
        with self.tx():
            cur = self.db.execute("INSERT INTO runs (command, profile, started_at, stats) VALUES (?, ?, ?, ?)",
                                  (command, profile, now(), json.dumps(stats) if stats else None))
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, reason: str, stats: dict[str, Any]) -> None:
        with self.tx():
            self.db.execute("UPDATE runs SET finished_at=?, reason=?, stats=? WHERE run_id=?",
                            (now(), reason, json.dumps(stats, default=str, ensure_ascii=False), run_id))

    def enqueue(self, entries: list[Entry]) -> None:
        """Remember discovered links with all their requests carry, so an interrupted crawl resumes them."""
        if not entries:
            return
        with self.tx():
            self._insert(entries)

    def _insert(self, entries: list[Entry]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO queue (url, role, depth, referer, anchor, carry, added_at, done) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, 0)", [(*e.row(), now()) for e in entries])

    def mark_done(self, url: str) -> None:
        with self.tx():
            self.db.execute("UPDATE queue SET done=1 WHERE url=?", (url,))

    def is_pending(self, url: str) -> bool:
        """Is ``url`` in the frontier with its outcome not committed yet?"""
        row = self.db.execute("SELECT done FROM queue WHERE url=?", (url,)).fetchone()
        return row is not None and not row[0]

    def pending(self) -> list[Entry]:
        """The frontier's entries still to do, in the order they were found."""
        return [from_row(r) for r in self.db.execute("SELECT * FROM queue WHERE done=0 ORDER BY rowid")]

    def open_frontier(self, start: list[Entry], fresh: bool = False) -> tuple[set[str], list[Entry]]:
        """Begin a crawl from ``start`` links, or resume the open one (killed or interrupted): every URL its
        frontier already holds, and the rows still to do, in the order they were found."""
        with self.tx():
            state = self.db.execute("SELECT value FROM meta WHERE key='frontier'").fetchone()
            is_open = (state[0] == "open") if state else bool(
                self.db.execute("SELECT 1 FROM queue WHERE done=0 LIMIT 1").fetchone())
            if fresh or not is_open:
                self.db.execute("DELETE FROM queue")
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('frontier', 'open')")
            self._insert(start)
        return {r[0] for r in self.db.execute("SELECT url FROM queue")}, self.pending()

    def close_frontier(self) -> None:
        """The crawl finished: the next one starts afresh (and re-checks known pages)."""
        with self.tx():
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('frontier', 'closed')")

    # -- pages ----------------------------------------------------------------------------------
    def latest(self, url: str) -> Optional[sqlite3.Row]:
        return self.db.execute("SELECT * FROM pages WHERE url=? ORDER BY version DESC LIMIT 1", (url,)).fetchone()

    def conditional_headers(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from the last good version of ``url``."""
        return validator_headers(self.db.execute("SELECT etag, last_modified FROM pages WHERE url=? AND content_hash "
                                                 "IS NOT NULL ORDER BY version DESC LIMIT 1", (url,)).fetchone())

    def touch(self, url: str, run_id: int, etag: Optional[str] = None, last_modified: Optional[str] = None) -> None:
        """The page is unchanged: note when it was checked (and fresher validators)."""
        row = self.latest(url)
        if row is None:
            return
        with self.tx():
            self.db.execute("UPDATE pages SET checked_at=?, etag=COALESCE(?, etag), "
                            "last_modified=COALESCE(?, last_modified) WHERE url=? AND version=?",
                            (now(), etag, last_modified, url, row["version"]))
            self.db.execute("UPDATE queue SET done=1 WHERE url=?", (url,))

    def is_unchanged(self, url: str, content_hash: str) -> bool:
        row = self.latest(url)
        return row is not None and row["content_hash"] == content_hash

    def _put_raw(self, body: bytes, digest: str) -> str:
        rel = f"raw/{digest[:2]}/{digest}.gz"
        path = self.root / rel
        if not path.exists():
            write_atomic(path, gzip.compress(body, compresslevel=6, mtime=0))
        return rel

    def record_page(self, f: Fetched, run_id: int, profile: str, prev: Optional[sqlite3.Row] = None) -> int:
        """Store a new version of a page (files first, then the row, in one transaction); its version.
        ``prev`` is the latest row when the caller has just read it."""
        digest = sha256(f.body) if f.body else None
        prev = prev if prev is not None else self.latest(f.url)
        version = (prev["version"] + 1) if prev is not None else 1
        doc_id = doc_id_for_url(f.url)
        try:
            return self._record(f, run_id, profile, digest, version, doc_id)
        except (OSError, sqlite3.DatabaseError) as e:
            raise fatal_store_error(e, self.root) or e

    def _record(self, f: Fetched, run_id: int, profile: str, digest: Optional[str], version: int, doc_id: str) -> int:
        raw_rel = self._put_raw(f.body, digest) if digest else None
        text_rel = parsed_rel = None
        if f.text is not None:
            text_rel = f"text/{doc_id}/v{version}.txt"
            write_atomic(self.root / text_rel, f.text.encode("utf-8"))
        if f.parsed is not None:
            parsed_rel = f"parsed/{doc_id}/v{version}.json"
            data = f.parsed if isinstance(f.parsed, bytes) else json.dumps(f.parsed, ensure_ascii=False).encode("utf-8")
            write_atomic(self.root / parsed_rel, data)
        stamp = now()
        with self.tx():
            self.db.execute(
                "INSERT INTO pages (url, version, doc_id, final_url, status, fetched_at, checked_at, title, published, "
                "breadcrumb, encoding, content_hash, content_type, etag, last_modified, profile, parse_status, "
                "parse_error, plans, text_chars, raw_path, text_path, parsed_path, run_id) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (f.url, version, doc_id, f.final_url, f.status, stamp, stamp, f.title, f.published, f.breadcrumb,
                 f.encoding, digest, f.content_type, f.etag, f.last_modified, profile, f.parse_status,
                 f.parse_error, f.plans, len(f.text) if f.text is not None else None, raw_rel, text_rel,
                 parsed_rel, run_id))
            self.db.execute("UPDATE queue SET done=1 WHERE url=?", (f.url,))
        return version

    def record_failure(self, url: str, final_url: str, status: Optional[int], error: str, run_id: int,
                       profile: str) -> bool:
        """Note a 404, a 5xx after retries or a network error; a repeat of the last failure only touches it."""
        prev = self.latest(url)
        if prev is not None and prev["content_hash"] is None and prev["status"] == status \
                and prev["parse_error"] == error:
            self.touch(url, run_id)
            return False
        self.record_page(Fetched(url=url, final_url=final_url, status=status or 0, body=b"",
                                 parse_status="fetch_error", parse_error=error), run_id, profile)
        return True

    # -- reading --------------------------------------------------------------------------------
    def iter_pages(self, all_versions: bool = False, run_id: Optional[int] = None) -> Iterator[sqlite3.Row]:
        """Catalogue rows: the latest version per URL (or every version, or those of one run)."""
        if run_id is not None:
            sql, args = "SELECT * FROM pages WHERE run_id=? ORDER BY url, version", (run_id,)
        elif all_versions:
            sql, args = "SELECT * FROM pages ORDER BY url, version", ()
        else:
            sql, args = ("SELECT p.* FROM pages p JOIN (SELECT url, MAX(version) v FROM pages GROUP BY url) m "
                         "ON p.url=m.url AND p.version=m.v ORDER BY p.url"), ()
        yield from self.db.execute(sql, args)

    def read_text(self, row: sqlite3.Row) -> Optional[str]:
        return (self.root / row["text_path"]).read_text("utf-8") if row["text_path"] else None

    def read_raw(self, row: sqlite3.Row) -> Optional[bytes]:
        return gzip.decompress((self.root / row["raw_path"]).read_bytes()) if row["raw_path"] else None

    def read_parsed(self, row: sqlite3.Row) -> Optional[dict]:
        return json.loads((self.root / row["parsed_path"]).read_text("utf-8")) if row["parsed_path"] else None

    def last_run(self) -> Optional[sqlite3.Row]:
        return self.db.execute("SELECT * FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()

    def counts(self) -> dict[str, int]:
        one = lambda sql: int(self.db.execute(sql).fetchone()[0])  # noqa: E731
        return {"urls": one("SELECT COUNT(DISTINCT url) FROM pages"), "versions": one("SELECT COUNT(*) FROM pages"),
                "pending": one("SELECT COUNT(*) FROM queue WHERE done=0")}
