"""Listing pages a crawl has read: their validators and bytes, kept so that a later crawl (``update``)
asks for each again conditionally (If-None-Match / If-Modified-Since) and reads a 304 from the bytes it
has, exactly as it read the page the last time: every link it led to is requested again.

Listings are scanned for links and never stored as pages; this table (beside the store's own) is their
memory. A listing's row is written in the transaction that settles it in the frontier, its bytes
gzip-compressed inside the row, so no file can go missing; bytes whose hash no longer matches are
taken as absent, and the page is fetched again without validators.
"""
from __future__ import annotations

import gzip
import zlib
from typing import Optional

from .store import CorpusStore, Fetched, now, sha256, validator_headers

SCHEMA = """
CREATE TABLE IF NOT EXISTS listings (
    url TEXT PRIMARY KEY, final_url TEXT, content_type TEXT, etag TEXT, last_modified TEXT,
    content_hash TEXT, body BLOB, fetched_at TEXT, checked_at TEXT);
"""


def ensure_schema(store: CorpusStore) -> None:
    """Add the listings table to a catalogue (a no-op when it is there)."""
    with store.tx():
        store.db.execute(SCHEMA)


def settle(store: CorpusStore, page: Fetched) -> None:
    """The listing's links are queued: keep it (URL, final URL, bytes, Content-Type and validators; the bytes
    only when they changed) and mark it done."""
    digest = sha256(page.body)
    stamp = now()
    with store.tx():
        row = store.db.execute("SELECT content_hash FROM listings WHERE url=?", (page.url,)).fetchone()
        if row is not None and row[0] == digest:
            store.db.execute("UPDATE listings SET final_url=?, content_type=?, etag=?, last_modified=?, checked_at=? "
                             "WHERE url=?", (page.final_url, page.content_type, page.etag, page.last_modified, stamp,
                                             page.url))
        else:
            store.db.execute("INSERT OR REPLACE INTO listings (url, final_url, content_type, etag, last_modified, "
                             "content_hash, body, fetched_at, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (page.url, page.final_url, page.content_type, page.etag, page.last_modified, digest,
                              gzip.compress(page.body, compresslevel=6, mtime=0), stamp, stamp))
        store.db.execute("UPDATE queue SET done=1 WHERE url=?", (page.url,))


def validators(store: CorpusStore, url: str) -> dict[str, str]:
    """If-None-Match / If-Modified-Since for a listing read before ({} for one never read)."""
    return validator_headers(store.db.execute("SELECT etag, last_modified FROM listings WHERE url=?", (url,)).fetchone())


def read(store: CorpusStore, url: str) -> Optional[Fetched]:
    """The listing as it was last read, or None when it was not kept or its bytes are damaged."""
    row = store.db.execute("SELECT * FROM listings WHERE url=?", (url,)).fetchone()
    if row is None or row["body"] is None:
        return None
    try:
        body = gzip.decompress(row["body"])
    except (OSError, EOFError, zlib.error):
        return None
    if sha256(body) != row["content_hash"]:
        return None
    return Fetched(url, row["final_url"] or url, 200, body, row["content_type"], row["etag"], row["last_modified"])
