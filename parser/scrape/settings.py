"""Every crawl default in one place (``PLANPARSER_…`` names), and the Scrapy settings built from them.

A site profile's ``[crawl]`` table and the command-line flags override these per run.
"""
from __future__ import annotations

import os
from typing import Any, Optional

PROJECT_URL = "https://github.com/planparser/planparser"

DEFAULTS: dict[str, Any] = {
    "PLANPARSER_USER_AGENT": f"planparser/0.1 (+{PROJECT_URL})",
    "PLANPARSER_DEPTH": 3,                  # listing hops from a start URL
    "PLANPARSER_MAX_PAGES": 500,            # responses per run (0 = no limit)
    "PLANPARSER_OBEY_ROBOTS": True,
    "PLANPARSER_DELAY": 1.0,                # seconds between requests to one domain (AutoThrottle's start)
    "PLANPARSER_MAX_DELAY": 30.0,
    "PLANPARSER_CONCURRENCY_PER_DOMAIN": 2,
    "PLANPARSER_CONCURRENCY": 8,
    "PLANPARSER_AUTOTHROTTLE": True,
    "PLANPARSER_RETRY_TIMES": 3,
    "PLANPARSER_RETRY_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
    "PLANPARSER_RETRY_BACKOFF": 1.0,        # seconds before the first retry, doubled each time
    "PLANPARSER_RETRY_BACKOFF_MAX": 30.0,
    "PLANPARSER_TIMEOUT": 30,               # seconds per download
    "PLANPARSER_MAX_BYTES": 32 * 1024 * 1024,
    "PLANPARSER_PROGRESS_INTERVAL": 5.0,    # seconds between progress lines (0 = off)
    "PLANPARSER_LOG_LEVEL": "WARNING",
    "PLANPARSER_FOLLOW_FROM_ARTICLES": False,
    "PLANPARSER_FOLLOW": None,              # links outside a listing's main list: keyword | all | list (None = profile's)
    "PLANPARSER_ATTACHMENTS": True,         # fetch and store an article's .docx/.pdf/.doc/.wps/.xls(x)/.txt files
    "PLANPARSER_ATTACHMENT_MAX_BYTES": 20 * 1024 * 1024,   # a larger file is not downloaded (recorded as failed)
    "PLANPARSER_ARTICLE_WAIT": 120.0,       # seconds a file waits for its article's row from another process
    "PLANPARSER_SITEMAP": True,             # read /sitemap.xml of the start URLs' sites
    "PLANPARSER_EXTRACT": True,             # dates/organisations/categories in the parse step
    "PLANPARSER_WORKERS": None,             # extraction processes; None = one per CPU, at most 4 (0 = in-process)
    "PLANPARSER_REDIS_URL": None,           # redis://host:6379/0 shares the queue between processes (parser.scrape.redis)
    "PLANPARSER_REDIS_KEY": None,           # key prefix; None = planparser:PROFILE:CORPUS-FOLDER-NAME
    "PLANPARSER_REDIS_IDLE": 10.0,          # seconds the shared queue stays empty before a process exits
    "PLANPARSER_REDIS_LEASE": 30.0,         # seconds of silence after which a process's leased requests go back
}


def default_workers() -> int:
    """One extraction process per CPU, at most 4: the crawl process itself mostly waits on the network."""
    return max(1, min(4, os.cpu_count() or 1))

# statuses the spider sees itself (to record them) instead of Scrapy dropping them
RECORDED_STATUSES = [304, 400, 401, 403, 404, 405, 410, 451, 500, 502, 503, 504]


def resolve(overrides: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """The defaults with the non-None ``overrides`` laid over them."""
    out = dict(DEFAULTS)
    for k, v in (overrides or {}).items():
        if v is not None:
            out[k] = v
    if out["PLANPARSER_WORKERS"] is None:
        out["PLANPARSER_WORKERS"] = default_workers()
    return out


def scrapy_settings(opts: dict[str, Any], jobdir: Optional[str] = None, extra: Optional[dict] = None) -> dict:
    """Scrapy settings for one planparser crawl (no Scrapy project needed)."""
    polite = bool(opts["PLANPARSER_AUTOTHROTTLE"])
    s: dict[str, Any] = {
        "BOT_NAME": "planparser",
        "USER_AGENT": opts["PLANPARSER_USER_AGENT"],
        "ROBOTSTXT_OBEY": bool(opts["PLANPARSER_OBEY_ROBOTS"]),
        "DEPTH_LIMIT": 0,                   # the spider counts listing hops itself
        "PLANPARSER_MAX_PAGES": int(opts["PLANPARSER_MAX_PAGES"] or 0),
        "PLANPARSER_DEPTH": int(opts["PLANPARSER_DEPTH"]),
        "CONCURRENT_REQUESTS": int(opts["PLANPARSER_CONCURRENCY"]),
        "CONCURRENT_REQUESTS_PER_DOMAIN": int(opts["PLANPARSER_CONCURRENCY_PER_DOMAIN"]),
        "CONCURRENT_ITEMS": 16,             # a page yields one item; fewer idle item workers per response
        "DOWNLOAD_DELAY": float(opts["PLANPARSER_DELAY"]),
        "DOWNLOAD_DELAY_JITTER": 0.5,
        "AUTOTHROTTLE_ENABLED": polite,
        "AUTOTHROTTLE_START_DELAY": max(float(opts["PLANPARSER_DELAY"]), 0.1),
        "AUTOTHROTTLE_MAX_DELAY": float(opts["PLANPARSER_MAX_DELAY"]),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": int(opts["PLANPARSER_RETRY_TIMES"]),
        "RETRY_HTTP_CODES": list(opts["PLANPARSER_RETRY_CODES"]),
        "DOWNLOAD_TIMEOUT": int(opts["PLANPARSER_TIMEOUT"]),
        "DOWNLOAD_MAXSIZE": int(opts["PLANPARSER_MAX_BYTES"]),
        "PLANPARSER_RETRY_BACKOFF": float(opts["PLANPARSER_RETRY_BACKOFF"]),
        "PLANPARSER_RETRY_BACKOFF_MAX": float(opts["PLANPARSER_RETRY_BACKOFF_MAX"]),
        "DOWNLOADER_MIDDLEWARES": {"scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
                                   "parser.scrape.middlewares.BackoffRetryMiddleware": 550},
        "REDIRECT_ENABLED": True,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": opts["PLANPARSER_LOG_LEVEL"],
        "LOGSTATS_INTERVAL": 0,
        "HTTPCACHE_ENABLED": False,
        "ITEM_PIPELINES": {"parser.scrape.pipelines.StorePipeline": 300},
        "EXTENSIONS": {"parser.scrape.progress.ProgressLine": 500},
        "PLANPARSER_PROGRESS_INTERVAL": float(opts["PLANPARSER_PROGRESS_INTERVAL"]),
        "PLANPARSER_EXTRACT": bool(opts["PLANPARSER_EXTRACT"]),
        "PLANPARSER_FOLLOW_FROM_ARTICLES": bool(opts["PLANPARSER_FOLLOW_FROM_ARTICLES"]),
        "PLANPARSER_FOLLOW": opts["PLANPARSER_FOLLOW"] or "",
        "PLANPARSER_ATTACHMENTS": bool(opts["PLANPARSER_ATTACHMENTS"]),
        "PLANPARSER_ATTACHMENT_MAX_BYTES": int(opts["PLANPARSER_ATTACHMENT_MAX_BYTES"]),
        "PLANPARSER_ARTICLE_WAIT": float(opts["PLANPARSER_ARTICLE_WAIT"]),
        "PLANPARSER_SITEMAP": bool(opts["PLANPARSER_SITEMAP"]),
    }
    if not polite:
        s["DOWNLOAD_DELAY"] = float(opts["PLANPARSER_DELAY"])
        s["DOWNLOAD_DELAY_JITTER"] = 0
    if opts.get("PLANPARSER_REDIS_URL"):     # the queue lives in Redis: no JOBDIR
        from .redis import quiet_scrapy_redis, redis_settings

        quiet_scrapy_redis()
        shared = redis_settings(opts["PLANPARSER_REDIS_URL"], opts["PLANPARSER_REDIS_KEY"] or "planparser",
                                float(opts["PLANPARSER_REDIS_IDLE"]), float(opts["PLANPARSER_REDIS_LEASE"]))
        s["EXTENSIONS"] = {**s["EXTENSIONS"], **shared.pop("EXTENSIONS")}
        s.update(shared)
        jobdir = None
    if jobdir:
        s["JOBDIR"] = jobdir
    s.update(extra or {})
    return s
