"""The crawl: start URLs (and the catalogue's pending URLs) → listings → article pages → items.

Listing pages are scanned for links and never stored: every item of the start column's main list is
an article (``column.py``), its other pages are followed (``pagination.py``, also sitemap.xml), and
an article's document files are fetched as attachments (``attachments.py``). Article pages and files
become ``page`` items for the store pipeline. Known ones are re-requested with If-None-Match /
If-Modified-Since, and so are listings read before (``listing_cache.py``: a 304 is read from the kept
bytes). The catalogue's queue is the frontier: every link is queued there, as the ``frontier.Entry`` its
request is made from, before it is requested, so a crawl killed at any moment resumes from its pending
rows with the same requests (Scrapy's JOBDIR is written only on a clean shutdown, so it is not used).
"""
from __future__ import annotations

import os
from dataclasses import replace
from typing import Any, AsyncIterator, Optional
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import deferred_from_coro

from . import attachments as attach
from . import links as linkrules
from . import listing_cache
from .column import listing_links, same_folder
from .frontier import Entry, restore_legacy
from .listing import ListShape, looks_like_listing
from .pagination import column_folders, in_column, read_sitemap, sitemap_url
from .profiles import Profile
from .settings import DEFAULTS, RECORDED_STATUSES
from .store import CorpusStore, Fetched, fatal_store_error

START, ARTICLE, LISTING = "start", linkrules.ARTICLE, linkrules.LISTING
ATTACHMENT, SITEMAP = "attachment", "sitemap"


def _header(response: Response, name: str) -> Optional[str]:
    return (response.headers.get(name) or b"").decode("latin-1") or None


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
        self.waiting: dict[str, list[Entry]] = {}    # a pending article → its pending files, asked for once it is read
        self.max_depth = 3
        self.max_pages = 0
        self.follow_from_articles = False
        self.follow = self.profile.follow
        self.attachments = True
        self.attachment_max = int(DEFAULTS["PLANPARSER_ATTACHMENT_MAX_BYTES"])
        self.sitemap = True
        self.column_folders = column_folders(self.profile.start_urls)
        attach.ensure_schema(self.store)
        listing_cache.ensure_schema(self.store)

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> "PlanSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.max_depth = s.getint("PLANPARSER_DEPTH", 3)
        spider.max_pages = s.getint("PLANPARSER_MAX_PAGES", 0)
        spider.follow_from_articles = s.getbool("PLANPARSER_FOLLOW_FROM_ARTICLES", False)
        spider.follow = s.get("PLANPARSER_FOLLOW") or spider.follow
        spider.attachments = s.getbool("PLANPARSER_ATTACHMENTS", True)
        spider.attachment_max = s.getint("PLANPARSER_ATTACHMENT_MAX_BYTES", spider.attachment_max)
        spider.sitemap = s.getbool("PLANPARSER_SITEMAP", True)
        spider.extract = s.getbool("PLANPARSER_EXTRACT", True)      # how its pages are parsed (for repairs)
        spider.run_id = spider.store.start_run(spider.command, spider.profile.name, spider.run_notes())
        crawler.signals.connect(spider.release_waiting, signal=signals.spider_idle)
        return spider

    # -- requests -------------------------------------------------------------------------------
    def make(self, entry: Entry, queued: bool = False) -> Optional[scrapy.Request]:
        """The request for a frontier entry unless its URL was already taken on or the page budget is spent
        (``queued``: it is a pending row of the frontier, taken on before). The request depends on the
        entry, the settings and the validators stored, so a pending row's request is the one it replaces."""
        url, role = entry.url, entry.role
        if not queued:
            if url in self.seen:
                return None
            if self.max_pages and len(self.seen) >= self.max_pages:
                self.crawler.stats.inc_value("crawl/over_page_limit")
                return None
        self.seen.add(url)
        if role in (ARTICLE, ATTACHMENT):
            headers = self.store.conditional_headers(url)
        elif role in (START, LISTING):
            headers = listing_cache.validators(self.store, url)
        else:
            headers = {}
        if headers:
            self.crawler.stats.inc_value("crawl/conditional_requests")
        meta = {**entry.meta(), "handle_httpstatus_list": RECORDED_STATUSES}
        if role == ATTACHMENT or attach.is_attachment_link(url, ""):
            meta["download_maxsize"] = self.attachment_max          # files are size-capped
        if role == ATTACHMENT:
            meta["allow_offsite"] = True                            # checked against the site's domains already
        if entry.referer:
            headers["Referer"] = entry.referer
        return scrapy.Request(url, callback=self.parse, errback=self.failed, headers=headers, meta=meta,
                              priority={ATTACHMENT: 20, ARTICLE: 10}.get(role, 0))

    def run_notes(self) -> dict[str, Any]:
        """What the run's row records from its start (a killed run never writes its final stats): how its
        pages are parsed, for repairs, and which process made it."""
        return {"planparser/extract": self.extract, "planparser/pid": os.getpid()}

    async def start(self) -> AsyncIterator[Any]:
        for key, value in self.run_notes().items():
            self.crawler.stats.set_value(key, value)
        starts = [Entry(url, START, 0) for url in dict.fromkeys(self.profile.start_urls)]
        if self.sitemap:
            starts += [Entry(url, SITEMAP, 1) for url in dict.fromkeys(sitemap_url(u) for u in self.profile.start_urls)]
        known, pending = self.store.open_frontier(starts, fresh=self.fresh)
        resumed = len(known) - len(pending)
        if resumed:
            self.crawler.stats.set_value("crawl/resumed_done", resumed)
            self.crawler.stats.set_value("crawl/resumed_pending", len(pending))
        self.seen |= known
        unread = {e.url for e in pending}
        for entry in pending:
            if entry.legacy:            # a row of a catalogue written before rows carried their requests' state
                self.crawler.stats.inc_value("crawl/resumed_legacy_rows")
                entry = restore_legacy(entry, self.profile.start_urls, self.column_folders)
            if entry.role == ATTACHMENT and entry.parent in unread:
                # made, as it first was, once its article is read: the file is then stored with the article's date
                self.waiting.setdefault(entry.parent, []).append(entry)
                continue
            req = self.make(entry, queued=True)
            if req is not None:
                yield req

    def done(self, url: str) -> None:
        """A listing's links are queued (or it was refused): settle it in the frontier and its lease."""
        if self._stored(self.store.mark_done, url) and self.leases is not None:
            self.leases.ack(url)

    def settle_listing(self, url: str, response: TextResponse) -> None:
        """A listing read and its links queued: keep it for the next crawl's conditional request, and settle
        it in the frontier (one transaction) and its lease."""
        page = Fetched(url, response.url, response.status, response.body, _header(response, "Content-Type"),
                       **self._validators(response))
        if self._stored(listing_cache.settle, self.store, page) and self.leases is not None:
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
        """What a response leads to (``_parse``); files left waiting for this page at a resume are asked for
        just before its own item, where its first reading asked for them."""
        original = (response.meta.get("redirect_urls") or [response.url])[0]
        for out in self._parse(response):
            if isinstance(out, dict) and out.get("url") == original:
                yield from self._files_waiting(original)
            yield out
        yield from self._files_waiting(original)

    def _files_waiting(self, url: str) -> list[scrapy.Request]:
        """The requests for the pending files of ``url`` held back at the resume (now that it is read)."""
        return [req for e in self.waiting.pop(url, []) if (req := self.make(e, queued=True)) is not None]

    def release_waiting(self) -> None:
        """spider_idle: files still waiting when nothing else is left (their article was read by another
        process, or it is no more) are asked for now, never left pending."""
        if not self.waiting:
            return
        for url in list(self.waiting):
            for req in self._files_waiting(url):
                self.crawler.engine.crawl(req)
        raise DontCloseSpider

    def _parse(self, response: Response):
        role = response.meta.get("pp_role", START)
        depth = response.meta.get("pp_depth", 0)
        stats = self.crawler.stats
        stats.inc_value(f"crawl/{role}_responses")
        original = (response.meta.get("redirect_urls") or [response.url])[0]
        if role == SITEMAP:
            yield from self._sitemap(response, original)
            return
        if response.status == 304 and role in (START, LISTING):
            kept = listing_cache.read(self.store, original)
            if kept is None:            # not kept, or damaged: ask again without validators
                yield self._unconditional(response.request)
                return
            stats.inc_value("crawl/listing_not_modified")
            response = self._kept_response(kept, response)
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
        store_it = role in (ARTICLE, ATTACHMENT) or (role == START and not isinstance(response, TextResponse))
        scan = role in (START, LISTING) or (role == ARTICLE and self.follow_from_articles)
        if isinstance(response, TextResponse) and scan:
            column = role == LISTING and bool(response.meta.get("pp_column"))
            if role == START:
                column = looks_like_listing(response.selector.root, response.url)
                title = " ".join(response.xpath("//title//text()").getall())
                store_it = not column and (linkrules.looks_like_article(title, self.rules)
                                           or linkrules.classify(original, "", self.rules) == ARTICLE)
            requests, main = self._follow(response, depth, column)
            yield from requests
            if role == LISTING and self.follow == "all" and not column and len(main.items) < 3:
                store_it = True         # --follow all: a page that is no listing is an article of the site
        if store_it:
            files: list[attach.Attachment] = []
            if isinstance(response, TextResponse) and role != ATTACHMENT and self.attachments \
                    and attach.may_link_files(response.body):
                files = attach.find_attachments(response.url, self._anchors(response), self.domains)
                yield from self._attachment_requests(files, original, depth)
            item = {"kind": "page", "url": original, "final_url": response.url, "status": response.status,
                    "role": role, "body": response.body,
                    "content_type": response.headers.get("Content-Type", b"").decode("latin-1"),
                    "attachments": [(a.url, a.name) for a in files], **self._validators(response)}
            if role == ATTACHMENT:
                item["parent"] = response.meta.get("pp_parent")
                item["anchor"] = response.meta.get("pp_anchor")
            yield item
        elif isinstance(response, TextResponse) and role in (START, LISTING):
            self.settle_listing(original, response)
        elif role != ARTICLE:
            self.done(original)

    @staticmethod
    def _anchors(response: TextResponse) -> list[tuple[str, str]]:
        return [(a.attrib.get("href", ""), " ".join(a.xpath(".//text()").getall()) or a.attrib.get("title", ""))
                for a in response.xpath("//a[@href]")]

    @staticmethod
    def _kept_response(kept: Fetched, not_modified: Response) -> Response:
        """A 304's listing as it was read before: its kept bytes and headers (fresher validators from the
        304), at the URL it ended at, for the same request."""
        headers = {k: v for k, v in (("Content-Type", kept.content_type),
                                     ("ETag", _header(not_modified, "ETag") or kept.etag),
                                     ("Last-Modified", _header(not_modified, "Last-Modified") or kept.last_modified))
                   if v}
        cls = responsetypes.from_args(headers=headers, url=kept.final_url, body=kept.body)
        return cls(kept.final_url, status=200, headers=headers, body=kept.body, request=not_modified.request)

    def _unconditional(self, request: scrapy.Request) -> scrapy.Request:
        """The same request without If-None-Match / If-Modified-Since (its 304 cannot be read here)."""
        self.crawler.stats.inc_value("crawl/listing_fetched_again")
        headers = {k: v for k, v in request.headers.items()
                   if k.decode("latin-1").lower() not in ("if-none-match", "if-modified-since")}
        return request.replace(headers=headers, dont_filter=True, meta={**request.meta, "pp_refetch": True})

    def _attachment_requests(self, files: list[attach.Attachment], parent: str, depth: int) -> list[scrapy.Request]:
        """Requests for an article's files, queued in the frontier before they are made."""
        return self._take([Entry(f.url, ATTACHMENT, depth + 1, parent, f.name, parent=parent) for f in files])

    def _take(self, entries: list[Entry], counter: Optional[str] = None,
              main: frozenset[str] = frozenset()) -> list[scrapy.Request]:
        """The requests of the entries not taken on before, each counted (``crawl/found_ROLE`` unless
        ``counter`` names it); queued in the frontier, as the very entries they are made from, in one
        transaction before any is made."""
        queued, requests = [], []
        for entry in entries:
            req = self.make(entry)
            if req is not None:
                queued.append(entry)
                self.crawler.stats.inc_value(counter or f"crawl/found_{entry.role}")
                if entry.url in main:
                    self.crawler.stats.inc_value("crawl/found_main_list")
                requests.append(req)
        return requests if self._stored(self.store.enqueue, queued) else []

    def _follow(self, response: TextResponse, depth: int, column: bool = False):
        """The requests a listing page leads to, and its main list."""
        shape = response.meta.get("pp_shape")
        hint = ListShape(*shape) if shape else None
        scripts = [t for t in response.xpath("//script/text()").getall() if t.strip()]
        found, main = listing_links(response.url, response.selector.root, self._anchors(response), scripts,
                                    self.rules, self.domains, self.follow, column, hint)
        if main.items:
            self.crawler.stats.inc_value("crawl/main_list_items", len(main.items))
        shape = (main.shape.container, main.shape.item) if main.shape else None
        entries = []
        for link in found:
            hop = depth if (link.kind == LISTING and same_folder(link.url, response.url)) else depth + 1
            if hop > self.max_depth:
                self.crawler.stats.inc_value("crawl/over_depth")
                continue
            entries.append(Entry(link.url, link.kind, hop, response.url, link.text, column=link.column,
                                 shape=shape if link.column else None))
        return self._take(entries, main=frozenset(f.url for f in found if f.main_list)), main

    def _sitemap(self, response: Response, original: str):
        """sitemap.xml: nested sitemaps are read; entries under a start column's folder are its articles and
        pages (all entries of the site's shapes with ``--follow all``); a missing sitemap is no error."""
        kind, locs = read_sitemap(response.body) if response.status == 200 else ("", [])
        if not kind:
            self.crawler.stats.inc_value("crawl/sitemap_missing")
            self.done(original)
            return
        self.crawler.stats.inc_value("crawl/sitemap_entries", len(locs))
        rules = replace(self.rules, needs_keyword=False)
        entries = []
        for loc in locs:
            if self.domains and not linkrules.host_allowed(loc, self.domains):
                continue
            if kind == "sitemapindex":
                entries.append(Entry(loc, SITEMAP, 1, original))
                continue
            shape = linkrules.classify(loc, "", rules)
            inside = in_column(loc, self.column_folders)
            if not inside and self.follow != "all":
                continue
            if shape is None and not inside:
                continue
            role = LISTING if shape == LISTING else ARTICLE
            entries.append(Entry(loc, role, 1, original, column=inside and role == LISTING))
        requests = self._take(entries, "crawl/found_in_sitemap")
        if self.fatal is None:          # its entries are queued before it is settled
            self.done(original)
            yield from requests

    @staticmethod
    def _validators(response: Response) -> dict[str, Optional[str]]:
        return {"etag": _header(response, "ETag"), "last_modified": _header(response, "Last-Modified")}

    def failed(self, failure):
        """Errback: robots.txt refusals are only counted; other failures are recorded for the catalogue."""
        request = failure.request
        role = request.meta.get("pp_role", START)
        original = (request.meta.get("redirect_urls") or [request.url])[0]
        yield from self._files_waiting(original)
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            self.crawler.stats.inc_value("crawl/ignored")
            self.done(original)
            return
        if failure.check(HttpError):
            resp = failure.value.response
            status, error = resp.status, f"HTTP {resp.status}"
        else:
            status, error = None, f"{failure.type.__name__}: {failure.getErrorMessage()}"
            if "max size" in error or "maxsize" in error:
                cap = request.meta.get("download_maxsize", self.attachment_max) / 1048576
                error = f"file over the size cap ({cap:g} MB), not downloaded (raise it with --attachment-max-mb)"
        if role == SITEMAP:
            self.crawler.stats.inc_value("crawl/sitemap_missing")
            self.done(original)
            return
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
