"""The crawl: start URLs (and the catalogue's pending URLs) → listings → article pages → items.

Listing pages are scanned for links and never stored; article pages become ``page`` items for
the store pipeline. Known articles are re-requested with If-None-Match / If-Modified-Since.
The catalogue's queue is the frontier: a crawl killed at any moment resumes from its pending rows
(Scrapy's JOBDIR is written only on a clean shutdown, so it is not used).
"""
from __future__ import annotations

import os
from posixpath import dirname
from typing import Any, AsyncIterator, Optional
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import deferred_from_coro

from . import links as linkrules
from .profiles import Profile
from .settings import RECORDED_STATUSES
from .store import CorpusStore, fatal_store_error

START, ARTICLE, LISTING = "start", linkrules.ARTICLE, linkrules.LISTING


def _same_folder(a: str, b: str) -> bool:
    """Pagination usually stays in one folder (index_2.html, ?page=3): such hops do not add depth."""
    sa, sb = urlsplit(a), urlsplit(b)
    return sa.netloc == sb.netloc and dirname(sa.path) == dirname(sb.path)


class PlanSpider(scrapy.Spider):
    """Finds plan pages on one site (or a few) following a profile's link rules."""

    name = "planparser"

    def __init__(self, profile: Profile, corpus: str, urls: Optional[list[str]] = None, command: str = "scrape",
                 fresh: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.profile = profile.with_urls(list(urls or []))
        self.rules = linkrules.rules_for(self.profile)
        self.domains = tuple(self.profile.allowed_domains) or tuple(
            dict.fromkeys((urlsplit(u).hostname or "") for u in self.profile.start_urls if urlsplit(u).hostname))
        self.allowed_domains = list(self.domains)
        self.store = CorpusStore(corpus)
        self.command = command
        self.run_id = 0
        self.extract = True
        self.fresh = fresh          # forget an open crawl's frontier and begin again
        self.leases = None          # the LeasedQueue of a shared (Redis) crawl (parser.scrape.leases)
        self.fatal: Optional[Exception] = None
        self.seen: set[str] = set()
        self.max_depth = 3
        self.max_pages = 0
        self.follow_from_articles = False

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> "PlanSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.max_depth = s.getint("PLANPARSER_DEPTH", 3)
        spider.max_pages = s.getint("PLANPARSER_MAX_PAGES", 0)
        spider.follow_from_articles = s.getbool("PLANPARSER_FOLLOW_FROM_ARTICLES", False)
        spider.extract = s.getbool("PLANPARSER_EXTRACT", True)      # how its pages are parsed (for repairs)
        spider.run_id = spider.store.start_run(spider.command, spider.profile.name, spider.run_notes())
        return spider

    # -- requests -------------------------------------------------------------------------------
    def make(self, url: str, role: str, depth: int, referer: str = "", anchor: str = "",
             queued: bool = False) -> Optional[scrapy.Request]:
        """A request for ``url`` unless it was already made or the page budget is spent (``queued``: it is
        a pending row of the frontier, taken on before)."""
        if not queued:
            if url in self.seen:
                return None
            if self.max_pages and len(self.seen) >= self.max_pages:
                self.crawler.stats.inc_value("crawl/over_page_limit")
                return None
        self.seen.add(url)
        headers = self.store.conditional_headers(url) if role == ARTICLE else {}
        if headers:
            self.crawler.stats.inc_value("crawl/conditional_requests")
        meta = {"pp_role": role, "pp_depth": depth, "pp_anchor": anchor, "pp_url": url,
                "handle_httpstatus_list": RECORDED_STATUSES}
        if referer:
            headers["Referer"] = referer
        return scrapy.Request(url, callback=self.parse, errback=self.failed, headers=headers, meta=meta,
                              priority=10 if role == ARTICLE else 0)

    def run_notes(self) -> dict[str, Any]:
        """What the run's row records from its start (a killed run never writes its final stats): how its
        pages are parsed, for repairs, and which process made it."""
        return {"planparser/extract": self.extract, "planparser/pid": os.getpid()}

    async def start(self) -> AsyncIterator[Any]:
        for key, value in self.run_notes().items():
            self.crawler.stats.set_value(key, value)
        starts = [(url, START, 0, "", "") for url in dict.fromkeys(self.profile.start_urls)]
        known, pending = self.store.open_frontier(starts, fresh=self.fresh)
        resumed = len(known) - len(pending)
        if resumed:
            self.crawler.stats.set_value("crawl/resumed_done", resumed)
            self.crawler.stats.set_value("crawl/resumed_pending", len(pending))
        self.seen |= known
        for row in pending:
            yield self.make(row["url"], row["role"], row["depth"], row["referer"] or "", row["anchor"] or "",
                            queued=True)

    def done(self, url: str) -> None:
        """A listing's links are queued (or it was refused): settle it in the frontier and its lease."""
        if self._stored(self.store.mark_done, url) and self.leases is not None:
            self.leases.ack(url)

    def _stored(self, write, *args: Any) -> bool:
        """``write(*args)`` on the store; a full disk or a damaged catalogue stops the crawl instead of raising."""
        if self.fatal is not None:
            return False
        try:
            write(*args)
            return True
        except Exception as e:
            fatal = fatal_store_error(e, self.store.root)
            if fatal is None:
                raise
            self.stop_for(fatal)
            return False

    def stop_for(self, error: Exception) -> None:
        """A store error no page can get past (disk full, damaged catalogue): stop the crawl; the pages
        not stored stay queued for the resume."""
        if self.fatal is None:
            self.fatal = error
            self.logger.info("stopping: %s", error)       # the command reports it once, at the end
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))

    # -- responses ------------------------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any):
        role = response.meta.get("pp_role", START)
        depth = response.meta.get("pp_depth", 0)
        stats = self.crawler.stats
        stats.inc_value(f"crawl/{role}_responses")
        original = (response.meta.get("redirect_urls") or [response.url])[0]
        if response.status == 304:
            yield {"kind": "not_modified", "url": original, "final_url": response.url,
                   **self._validators(response)}
            return
        if response.status >= 400:
            if role != LISTING:
                yield {"kind": "failure", "url": original, "final_url": response.url, "status": response.status,
                       "error": f"HTTP {response.status}"}
            else:
                stats.inc_value("crawl/listing_failed")
                self.done(original)
            return
        store_it = role == ARTICLE or (role == START and not isinstance(response, TextResponse))
        scan = role in (START, LISTING) or (role == ARTICLE and self.follow_from_articles)
        if isinstance(response, TextResponse) and scan:
            if role == START:
                title = " ".join(response.xpath("//title//text()").getall())
                store_it = (linkrules.looks_like_article(title, self.rules)
                            or linkrules.classify(original, "", self.rules) == ARTICLE)
            yield from self._follow(response, depth)
        if store_it:
            yield {"kind": "page", "url": original, "final_url": response.url, "status": response.status,
                   "body": response.body, "content_type": response.headers.get("Content-Type", b"").decode(
                       "latin-1"), **self._validators(response)}
        elif role != ARTICLE:
            self.done(original)

    def _follow(self, response: TextResponse, depth: int):
        anchors = [(a.attrib.get("href", ""), " ".join(a.xpath(".//text()").getall()) or a.attrib.get("title", ""))
                   for a in response.xpath("//a[@href]")]
        found = linkrules.page_links(response.url, anchors, self.rules, self.domains)
        queued = []
        for link in found:
            hop = depth if (link.kind == LISTING and _same_folder(link.url, response.url)) else depth + 1
            if hop > self.max_depth:
                self.crawler.stats.inc_value("crawl/over_depth")
                continue
            req = self.make(link.url, link.kind, hop, response.url, link.text)
            if req is not None:
                queued.append((link.url, link.kind, hop, response.url, link.text))
                self.crawler.stats.inc_value(f"crawl/found_{link.kind}")
                yield req
        self._stored(self.store.enqueue, queued)

    @staticmethod
    def _validators(response: Response) -> dict[str, Optional[str]]:
        get = lambda k: (response.headers.get(k) or b"").decode("latin-1") or None  # noqa: E731
        return {"etag": get("ETag"), "last_modified": get("Last-Modified")}

    def failed(self, failure):
        """Errback: robots.txt refusals are only counted; other failures are recorded for the catalogue."""
        request = failure.request
        role = request.meta.get("pp_role", START)
        original = (request.meta.get("redirect_urls") or [request.url])[0]
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            self.crawler.stats.inc_value("crawl/ignored")
            self.done(original)
            return
        if failure.check(HttpError):
            resp = failure.value.response
            status, error = resp.status, f"HTTP {resp.status}"
        else:
            status, error = None, f"{failure.type.__name__}: {failure.getErrorMessage()}"
        if role == LISTING:
            self.crawler.stats.inc_value("crawl/listing_failed")
            self.done(original)
            return
        yield {"kind": "failure", "url": original, "final_url": request.url, "status": status, "error": error}

    def closed(self, reason: str) -> None:
        stats = dict(self.crawler.stats.get_stats())
        try:
            self.store.finish_run(self.run_id, reason, stats)
            if reason == "finished":
                self.store.close_frontier()
        except Exception as e:  # noqa: BLE001 - the reason a store error stopped us is already reported
            if self.fatal is None:
                raise
            self.logger.error("could not record the run's end: %s", e)
        finally:
            self.store.close()
