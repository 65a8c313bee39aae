"""The store step: each fetched page is checked against the catalogue, extracted, parsed and stored.

Unchanged pages (304, or the same content hash) are only touched; a changed page becomes a new
version; failures are recorded and the crawl goes on. Counters: ``store/…`` and ``parse/…``.
An attachment file is stored once its article's row is there (being stored in this process, or by
another after a resume or in a shared crawl), so it takes the article's date.
A full disk or a damaged catalogue stops the crawl instead (the page stays queued for the resume);
in a shared crawl the page's lease is released only once its outcome is committed.
"""
from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Optional

from . import attachments as attach
from .extract import extract_page, warm_up
from .store import CorpusStore, Fetched, doc_id_for_url, fatal_store_error, sha256

_POOL: Optional[ProcessPoolExecutor] = None


def start_workers(n: int, extract: bool = True) -> Optional[ProcessPoolExecutor]:
    """Fork ``n`` extraction workers before the reactor starts (they inherit the warmed-up parser);
    0 keeps extraction in the crawl process."""
    global _POOL
    if n <= 0:
        return None
    _POOL = ProcessPoolExecutor(max_workers=n, initializer=_worker_init, initargs=(extract,))
    for f in [_POOL.submit(_ping) for _ in range(n)]:   # busy pings make the pool fork all n now
        f.result()
    return _POOL


def _ping() -> int:
    time.sleep(0.2)
    return os.getpid()


def _worker_init(extract: bool) -> None:
    """Workers leave Ctrl-C to the crawl process, which shuts down cleanly and still needs them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up(extract)


def stop_workers() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(wait=True, cancel_futures=True)
        _POOL = None


class StorePipeline:
    """Writes items of :class:`PlanSpider` into its :class:`CorpusStore`."""

    def __init__(self, stats, extract: bool = True, article_wait: float = 120.0):
        self.stats = stats
        self.extract = extract
        self.article_wait = article_wait        # seconds a file waits for its article stored elsewhere
        self.crawler = None
        self._storing: dict[str, asyncio.Future] = {}   # pages being stored: their files wait for them
        self._handled: set[str] = set()                 # pages this process has tried to store (stored or not)

    @classmethod
    def from_crawler(cls, crawler) -> "StorePipeline":
        pipe = cls(crawler.stats, crawler.settings.getbool("PLANPARSER_EXTRACT", True),
                   crawler.settings.getfloat("PLANPARSER_ARTICLE_WAIT", 120.0))
        pipe.crawler = crawler
        return pipe

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        spider = self.crawler.spider
        if spider.fatal is not None:        # stopping: leave the page queued (and leased) for the resume
            return {"url": item.get("url"), "result": "not_stored"}
        try:
            out = await self._process(spider, item)
        except Exception as e:  # noqa: BLE001 - a storage problem with one page is logged, never fatal
            fatal = fatal_store_error(e, spider.store.root)
            if fatal is not None:
                spider.stop_for(fatal)
                return {"url": item.get("url"), "result": "not_stored"}
            self.stats.inc_value("store/internal_error")
            spider.logger.error("could not store %s: %s: %s", item.get("url"), type(e).__name__, e)
            return {"url": item.get("url"), "result": "error"}
        if spider.leases is not None:
            spider.leases.ack(item["url"])
        return out

    async def _process(self, spider, item: dict[str, Any]) -> dict[str, Any]:
        store: CorpusStore = spider.store
        kind = item["kind"]
        if kind == "not_modified":
            store.touch(item["url"], spider.run_id, item.get("etag"), item.get("last_modified"))
            self.stats.inc_value("store/skipped_not_modified")
            return {"url": item["url"], "result": "not_modified"}
        if kind == "failure":
            new = store.record_failure(item["url"], item["final_url"], item.get("status"), item["error"],
                                       spider.run_id, spider.profile.name)
            self.stats.inc_value("store/failed")
            self.stats.inc_value(f"store/failed_{item.get('status') or 'network'}")
            if not new:
                self.stats.inc_value("store/failed_again")
            return {"url": item["url"], "result": "failed"}
        if item.get("role") == attach.ATTACHMENT:
            return await self._store_page(store, item, spider)
        done = self._storing[item["url"]] = asyncio.get_running_loop().create_future()
        try:
            return await self._store_page(store, item, spider)
        finally:
            self._storing.pop(item["url"], None)
            self._handled.add(item["url"])
            done.set_result(None)

    async def _article_elsewhere(self, store: CorpusStore, parent: Optional[str]) -> None:
        """A file whose article has no row yet but is still queued (its request was taken by another --redis
        process, or came back from a killed one's lease before the article's): wait for the article's outcome,
        up to ``article_wait`` seconds, then go on without its date."""
        if not parent or parent in self._handled or store.latest(parent) is not None or not store.is_pending(parent):
            return
        self.stats.inc_value("store/attachment_waited")
        deadline = time.monotonic() + self.article_wait
        while store.is_pending(parent):
            if time.monotonic() > deadline:
                self.stats.inc_value("store/attachment_without_article")
                return
            await asyncio.sleep(0.2)

    async def _store_page(self, store: CorpusStore, item: dict[str, Any], spider) -> dict[str, Any]:
        url, body = item["url"], item["body"]
        files = [attach.Attachment(u, n) for u, n in item.get("attachments") or ()]
        if attach.link(store, url, files):
            self.stats.inc_value("store/attachment_links", len(files))
        prev = store.latest(url)
        if prev is not None and prev["content_hash"] == sha256(body):
            store.touch(url, spider.run_id, item.get("etag"), item.get("last_modified"))
            self.stats.inc_value("store/skipped_unchanged")
            return {"url": url, "result": "unchanged"}
        hint = published = None
        if item.get("role") == attach.ATTACHMENT:
            article = self._storing.get(item.get("parent") or "")
            if article is not None:     # a file fetched before its article is stored takes the article's date
                await asyncio.shield(article)
            else:
                await self._article_elsewhere(store, item.get("parent"))
            hint, published = attach.hints(store, item.get("parent"), item.get("anchor"))
        args = (body, item["final_url"], item.get("content_type"), spider.profile, doc_id_for_url(url), self.extract,
                hint, published)
        ex = None
        if _POOL is not None:     # decode, extract and parse in a worker process; the reactor keeps downloading
            try:
                ex = await asyncio.wrap_future(_POOL.submit(extract_page, *args))
            except BrokenProcessPool:
                self.stats.inc_value("parse/worker_lost")
        if ex is None:
            ex = extract_page(*args)
        if files and ex.status == "ok" and attach.is_stub(ex.text, len(files)):
            ex.status, ex.plans = "in_attachment", 0       # "详见附件": the plan is the attachment's
            ex.parsed = attach.stub_parsed(ex.parsed, [f.url for f in files])
        if item.get("role") == attach.ATTACHMENT:
            self.stats.inc_value("store/attachment" if ex.status in ("ok", "empty") else "store/attachment_unreadable")
        self.stats.inc_value(f"parse/{ex.status}")
        if ex.plans:
            self.stats.inc_value("parse/plans", ex.plans)
        fetched = Fetched(url=url, final_url=item["final_url"], status=item["status"], body=body,
                          content_type=item.get("content_type"), etag=item.get("etag"),
                          last_modified=item.get("last_modified"), title=ex.title, published=ex.published,
                          breadcrumb=ex.breadcrumb, encoding=ex.encoding, text=ex.text, parsed=ex.parsed,
                          plans=ex.plans, parse_status=ex.status, parse_error=ex.error)
        try:
            version = store.record_page(fetched, spider.run_id, spider.profile.name, prev=prev)
        except sqlite3.IntegrityError:
            if not store.is_unchanged(url, sha256(body)):   # another process stored this version meanwhile
                raise
            store.touch(url, spider.run_id, item.get("etag"), item.get("last_modified"))
            self.stats.inc_value("store/skipped_unchanged")
            return {"url": url, "result": "unchanged"}
        self.stats.inc_value("store/new_page" if version == 1 else "store/new_version")
        return {"url": url, "result": "stored", "version": version}
